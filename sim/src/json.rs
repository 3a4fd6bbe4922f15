//! A small hand-written JSON writer.
//!
//! Pages of up to 500 records are serialised straight into one byte buffer:
//! no `serde_json::Value` tree is built per record, which keeps the server
//! well above the throughput target. Output is compact UTF-8, with non-ASCII
//! characters written raw (as Pipedrive does) and only the characters JSON
//! requires escaped.

fn needs_escape(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// Index of the first byte JSON requires to be escaped, if any. Checks
/// eight bytes at a time with the classic SWAR zero-byte tests, as strings
/// are the bulk of every page (long notes especially).
fn first_escape(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // Exact "some byte is < n" for n <= 128 (a byte >= 0x80 never counts).
    let has_less = |v: u64, n: u64| v.wrapping_sub(ONES * n) & !v & HIGHS != 0;
    let has_zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS != 0;
    let mut chunks = bytes.chunks_exact(8);
    let mut offset = 0;
    for chunk in chunks.by_ref() {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let v = u64::from_le_bytes(word);
        if has_less(v, 0x20)
            || has_zero(v ^ (ONES * b'"' as u64))
            || has_zero(v ^ (ONES * b'\\' as u64))
        {
            return chunk
                .iter()
                .position(|&b| needs_escape(b))
                .map(|i| offset + i);
        }
        offset += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&b| needs_escape(b))
        .map(|i| offset + i)
}

/// Appends `s` as a JSON string literal (with quotes).
pub(crate) fn write_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let mut rest = s.as_bytes();
    // Copy runs that need no escaping in one go; most strings are one run.
    while let Some(i) = first_escape(rest) {
        out.extend_from_slice(&rest[..i]);
        let b = rest[i];
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0c => out.extend_from_slice(b"\\f"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[(b >> 4) as usize]);
                out.push(HEX[(b & 0xf) as usize]);
            }
        }
        rest = &rest[i + 1..];
    }
    out.extend_from_slice(rest);
    out.push(b'"');
}

/// Appends an unsigned integer in decimal.
#[inline]
pub(crate) fn write_u64(out: &mut Vec<u8>, n: u64) {
    if n < 10 {
        out.push(b'0' + n as u8);
        return;
    }
    let len = n.ilog10() as usize + 1;
    let mut digits = [0u8; 20];
    let mut rest = n;
    for slot in digits[..len].iter_mut().rev() {
        *slot = b'0' + (rest % 10) as u8;
        rest /= 10;
    }
    // Copying the whole fixed-size array and truncating compiles to a few
    // register moves; a variable-length copy would be a memmove call, and
    // numbers are written by the dozen per record.
    let end = out.len() + len;
    out.extend_from_slice(&digits);
    out.truncate(end);
}

/// Appends a signed integer in decimal.
pub(crate) fn write_i64(out: &mut Vec<u8>, n: i64) {
    if n < 0 {
        out.push(b'-');
    }
    write_u64(out, n.unsigned_abs());
}

/// Appends a finite number in its shortest round-trip form ("200", "12.5").
/// Non-finite values cannot occur in generated data; they are written as
/// `null` rather than producing invalid JSON.
pub(crate) fn write_f64(out: &mut Vec<u8>, x: f64) {
    use std::io::Write;
    if !x.is_finite() {
        out.extend_from_slice(b"null");
        return;
    }
    // Fast path for amounts with at most two decimals (most generated
    // numbers). If `cents / 100.0` reproduces `x` exactly, `x` is the double
    // nearest to that two-decimal number, so those digits (without trailing
    // zeros) are its shortest round-trip representation.
    let scaled = x * 100.0;
    // Round half away from zero with a (saturating) cast rather than
    // f64::round, which is a library call; the equality check below makes
    // any rounding slip fall back to the general path.
    let cents = (scaled + 0.5f64.copysign(scaled)) as i64;
    if scaled.abs() < 1e15 && cents as f64 / 100.0 == x {
        if cents < 0 {
            out.push(b'-');
        }
        let abs = cents.unsigned_abs();
        write_u64(out, abs / 100);
        let frac = abs % 100;
        if frac != 0 {
            out.push(b'.');
            out.push(b'0' + (frac / 10) as u8);
            if !frac.is_multiple_of(10) {
                out.push(b'0' + (frac % 10) as u8);
            }
        }
        return;
    }
    // Display for f64 is the shortest representation that round-trips and
    // never uses exponent notation.
    let _ = write!(out, "{x}");
}

/// Writes the members of one JSON object, taking care of separators.
///
/// Keys are written without escaping: every key the simulator emits is a
/// fixed ASCII identifier or a 40-hex custom field key.
pub(crate) struct ObjectWriter<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
}

impl<'a> ObjectWriter<'a> {
    #[inline]
    pub(crate) fn begin(out: &'a mut Vec<u8>) -> Self {
        out.push(b'{');
        ObjectWriter { out, first: true }
    }

    /// Starts a member and returns the buffer so the caller can write any
    /// value (nested objects, arrays).
    #[inline]
    pub(crate) fn key(&mut self, key: &str) -> &mut Vec<u8> {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        self.out.push(b'"');
        self.out.extend_from_slice(key.as_bytes());
        self.out.extend_from_slice(b"\":");
        self.out
    }

    /// [`Self::key`] for keys of a fixed length (custom field hashes): a
    /// fixed-size copy is a few register moves, not a memmove call.
    #[inline]
    pub(crate) fn key_fixed<const N: usize>(&mut self, key: &[u8; N]) -> &mut Vec<u8> {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        self.out.push(b'"');
        self.out.extend_from_slice(key);
        self.out.extend_from_slice(b"\":");
        self.out
    }

    #[inline]
    pub(crate) fn str(&mut self, key: &str, value: &str) {
        write_str(self.key(key), value);
    }

    #[inline]
    pub(crate) fn opt_str(&mut self, key: &str, value: Option<&str>) {
        match value {
            Some(v) => self.str(key, v),
            None => self.null(key),
        }
    }

    #[inline]
    pub(crate) fn u64(&mut self, key: &str, value: u64) {
        write_u64(self.key(key), value);
    }

    #[inline]
    pub(crate) fn i64(&mut self, key: &str, value: i64) {
        write_i64(self.key(key), value);
    }

    #[inline]
    pub(crate) fn opt_u64(&mut self, key: &str, value: Option<u64>) {
        match value {
            Some(v) => self.u64(key, v),
            None => self.null(key),
        }
    }

    #[inline]
    pub(crate) fn opt_i64(&mut self, key: &str, value: Option<i64>) {
        match value {
            Some(v) => self.i64(key, v),
            None => self.null(key),
        }
    }

    #[inline]
    pub(crate) fn f64(&mut self, key: &str, value: f64) {
        write_f64(self.key(key), value);
    }

    #[inline]
    pub(crate) fn opt_f64(&mut self, key: &str, value: Option<f64>) {
        match value {
            Some(v) => self.f64(key, v),
            None => self.null(key),
        }
    }

    #[inline]
    pub(crate) fn bool(&mut self, key: &str, value: bool) {
        let v: &[u8] = if value { b"true" } else { b"false" };
        self.key(key).extend_from_slice(v);
    }

    #[inline]
    pub(crate) fn null(&mut self, key: &str) {
        self.key(key).extend_from_slice(b"null");
    }

    /// Writes an array of unsigned integers.
    #[inline]
    pub(crate) fn u64_array(&mut self, key: &str, values: &[u64]) {
        let out = self.key(key);
        write_u64_array(out, values);
    }

    #[inline]
    pub(crate) fn end(self) {
        self.out.push(b'}');
    }
}

pub(crate) fn write_u64_array(out: &mut Vec<u8>, values: &[u64]) {
    out.push(b'[');
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_u64(out, *v);
    }
    out.push(b']');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(f: impl FnOnce(&mut Vec<u8>)) -> String {
        let mut out = Vec::new();
        f(&mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn strings_are_escaped_like_serde_json() {
        for input in [
            "plain",
            "quo\"te",
            "back\\slash",
            "tab\tnl\n",
            "\u{1}\u{1f}",
            "Zoë 東京 😀",
        ] {
            let ours = s(|o| write_str(o, input));
            assert_eq!(ours, serde_json::to_string(input).unwrap());
        }
    }

    #[test]
    fn numbers() {
        assert_eq!(s(|o| write_i64(o, -1234)), "-1234");
        assert_eq!(s(|o| write_u64(o, 0)), "0");
        assert_eq!(s(|o| write_u64(o, u64::MAX)), u64::MAX.to_string());
        assert_eq!(s(|o| write_f64(o, 200.0)), "200");
        assert_eq!(s(|o| write_f64(o, 1234.56)), "1234.56");
        assert_eq!(s(|o| write_f64(o, 0.07)), "0.07");
        assert_eq!(s(|o| write_f64(o, -3.5)), "-3.5");
        // Agrees with Rust's shortest representation everywhere.
        for cents in (-100_000i64..100_000)
            .step_by(7)
            .chain([123_456_789_012, 99_999_999_999_999])
        {
            let x = cents as f64 / 100.0;
            assert_eq!(s(|o| write_f64(o, x)), format!("{x}"), "{cents}");
        }
        for x in [0.1 + 0.2, 1.0 / 3.0, 1e-7, 123.456, -0.0] {
            let ours = s(|o| write_f64(o, x));
            assert_eq!(ours.parse::<f64>().unwrap(), x, "{ours}");
        }
    }

    #[test]
    fn object_writer_separates_members() {
        let out = s(|o| {
            let mut w = ObjectWriter::begin(o);
            w.u64("id", 1);
            w.opt_str("name", None);
            w.bool("ok", true);
            w.u64_array("ids", &[1, 2]);
            w.end();
        });
        assert_eq!(out, r#"{"id":1,"name":null,"ok":true,"ids":[1,2]}"#);
    }
}
