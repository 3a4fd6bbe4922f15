//! Strings across the boundary: ANSI (UTF-8 bytes) and wide (SQLWCHAR)
//! arguments in, NUL-terminated and truncation-safe results out.

use crate::diag::{OdbcError, Result, SqlState};

pub const SQL_NTS: isize = -3;

/// SQLWCHAR, the unit of the W entry points and of SQL_C_WCHAR data:
/// UTF-16 for unixODBC and Windows; with the `iodbc` feature, iODBC's
/// 4-byte `wchar_t` holding UTF-32 (macOS, and iODBC on Linux).
#[cfg(not(feature = "iodbc"))]
pub type SqlWChar = u16;
/// SQLWCHAR, the unit of the W entry points and of SQL_C_WCHAR data:
/// UTF-16 for unixODBC and Windows; with the `iodbc` feature, iODBC's
/// 4-byte `wchar_t` holding UTF-32 (macOS, and iODBC on Linux).
#[cfg(feature = "iodbc")]
pub type SqlWChar = u32;

/// A character unit of an ODBC string argument: `u8` for the ANSI entry
/// points, [`SqlWChar`] for the W ones.
pub trait OdbcChar: Copy + Default + PartialEq + 'static {
    /// Bytes per unit.
    const SIZE: usize;
    fn decode(units: &[Self]) -> Result<String>;
    fn encode(text: &str) -> Vec<Self>;
    /// Encodes one character into `out`; returns the units used.
    fn encode_char(c: char, out: &mut [Self; 4]) -> usize;
    /// Whether a string may be cut before unit `i` of `units`.
    fn is_boundary(units: &[Self], i: usize) -> bool;
    /// The units' bytes in native order (SQL_C_WCHAR buffers).
    fn to_bytes(units: &[Self]) -> Vec<u8>;
    /// Units from native-order bytes; a trailing partial unit is dropped.
    fn from_bytes(bytes: &[u8]) -> Vec<Self>;
}

impl OdbcChar for u8 {
    const SIZE: usize = 1;
    fn decode(units: &[u8]) -> Result<String> {
        // Applications on Linux pass UTF-8; anything else is replaced rather
        // than rejected so that a stray byte in a comment is no failure.
        Ok(String::from_utf8_lossy(units).into_owned())
    }
    fn encode(text: &str) -> Vec<u8> {
        text.as_bytes().to_vec()
    }
    fn encode_char(c: char, out: &mut [u8; 4]) -> usize {
        c.encode_utf8(out).len()
    }
    fn is_boundary(units: &[u8], i: usize) -> bool {
        units.get(i).is_none_or(|b| (*b & 0xC0) != 0x80)
    }
    fn to_bytes(units: &[u8]) -> Vec<u8> {
        units.to_vec()
    }
    fn from_bytes(bytes: &[u8]) -> Vec<u8> {
        bytes.to_vec()
    }
}

impl OdbcChar for u16 {
    const SIZE: usize = 2;
    fn decode(units: &[u16]) -> Result<String> {
        String::from_utf16(units).map_err(|_| {
            OdbcError::new(
                SqlState::InvalidCharacterValueForCast,
                "Invalid UTF-16 in a string argument (unpaired surrogate)",
            )
        })
    }
    fn encode(text: &str) -> Vec<u16> {
        text.encode_utf16().collect()
    }
    fn encode_char(c: char, out: &mut [u16; 4]) -> usize {
        // Four units hold any character (two at most).
        c.encode_utf16(out).len()
    }
    fn is_boundary(units: &[u16], i: usize) -> bool {
        units.get(i).is_none_or(|u| !(0xDC00..=0xDFFF).contains(u))
    }
    fn to_bytes(units: &[u16]) -> Vec<u8> {
        units.iter().flat_map(|u| u.to_ne_bytes()).collect()
    }
    fn from_bytes(bytes: &[u8]) -> Vec<u16> {
        bytes
            .chunks_exact(2)
            .map(|p| u16::from_ne_bytes([p[0], p[1]]))
            .collect()
    }
}

impl OdbcChar for u32 {
    const SIZE: usize = 4;
    fn decode(units: &[u32]) -> Result<String> {
        units
            .iter()
            .map(|&u| {
                char::from_u32(u).ok_or_else(|| {
                    OdbcError::new(
                        SqlState::InvalidCharacterValueForCast,
                        format!("Invalid character U+{u:X} in a wide string argument"),
                    )
                })
            })
            .collect()
    }
    fn encode(text: &str) -> Vec<u32> {
        text.chars().map(u32::from).collect()
    }
    fn encode_char(c: char, out: &mut [u32; 4]) -> usize {
        out[0] = u32::from(c);
        1
    }
    fn is_boundary(_units: &[u32], _i: usize) -> bool {
        // One unit is one character.
        true
    }
    fn to_bytes(units: &[u32]) -> Vec<u8> {
        units.iter().flat_map(|u| u.to_ne_bytes()).collect()
    }
    fn from_bytes(bytes: &[u8]) -> Vec<u32> {
        bytes
            .chunks_exact(4)
            .map(|p| u32::from_ne_bytes([p[0], p[1], p[2], p[3]]))
            .collect()
    }
}

/// Reads a string argument given as (pointer, length in units or SQL_NTS).
/// A null pointer reads as `None`.
///
/// # Safety
/// `ptr` must be null or valid for `len` units (or up to a NUL for SQL_NTS).
pub unsafe fn read_text<C: OdbcChar>(ptr: *const C, len: isize) -> Result<Option<String>> {
    if ptr.is_null() {
        return Ok(None);
    }
    let count = if len == SQL_NTS {
        let mut n = 0usize;
        while *ptr.add(n) != C::default() {
            n += 1;
        }
        n
    } else if len >= 0 {
        len as usize
    } else {
        return Err(OdbcError::new(
            SqlState::InvalidStringOrBufferLength,
            format!("Invalid string length {len}"),
        ));
    };
    C::decode(std::slice::from_raw_parts(ptr, count)).map(Some)
}

/// Reads a required string argument: null is HY009.
///
/// # Safety
/// As for [`read_text`].
pub unsafe fn read_required<C: OdbcChar>(ptr: *const C, len: isize, what: &str) -> Result<String> {
    read_text(ptr, len)?.ok_or_else(|| {
        OdbcError::new(
            SqlState::InvalidNullPointer,
            format!("{what} is a null pointer"),
        )
    })
}

/// How an output buffer's length is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LengthUnit {
    /// In characters (units of the entry point's character type).
    Chars,
    /// In bytes.
    Bytes,
}

/// What writing an output string did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextWritten {
    /// The full length of the string (excluding the NUL), in the unit asked.
    pub full_length: usize,
    pub truncated: bool,
}

/// Writes `text` to a buffer of `buffer_len` (in `unit`s), NUL-terminated,
/// cutting only at character boundaries.
///
/// # Safety
/// `buf` must be null or valid for `buffer_len` units/bytes.
pub unsafe fn write_text<C: OdbcChar>(
    text: &str,
    buf: *mut C,
    buffer_len: isize,
    unit: LengthUnit,
) -> TextWritten {
    let units = C::encode(text);
    let full_length = match unit {
        LengthUnit::Chars => units.len(),
        LengthUnit::Bytes => units.len() * C::SIZE,
    };
    let capacity_units = match unit {
        LengthUnit::Chars => buffer_len.max(0) as usize,
        LengthUnit::Bytes => buffer_len.max(0) as usize / C::SIZE,
    };
    if buf.is_null() || capacity_units == 0 {
        return TextWritten {
            full_length,
            truncated: !units.is_empty() && !buf.is_null(),
        };
    }
    let mut take = units.len().min(capacity_units - 1);
    while take > 0 && take < units.len() && !C::is_boundary(&units, take) {
        take -= 1;
    }
    std::ptr::copy_nonoverlapping(units.as_ptr(), buf, take);
    buf.add(take).write(C::default());
    TextWritten {
        full_length,
        truncated: take < units.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_units_of_iodbc_are_utf32() {
        let units = u32::encode("aé😀");
        assert_eq!(units, vec![0x61, 0xE9, 0x1F600]);
        assert_eq!(u32::decode(&units).unwrap(), "aé😀");
        assert_eq!(u32::from_bytes(&u32::to_bytes(&units)), units);
        // A surrogate is no character: 22018, not a panic or a U+FFFD.
        let err = u32::decode(&[0x61, 0xD800]).unwrap_err();
        assert_eq!(err.state, SqlState::InvalidCharacterValueForCast);
    }

    #[test]
    fn wide_bytes_round_trip_in_native_order() {
        let units = u16::encode("a😀");
        let bytes = u16::to_bytes(&units);
        assert_eq!(bytes.len(), units.len() * 2);
        assert_eq!(u16::from_bytes(&bytes), units);
        // A trailing partial unit is dropped, never read past.
        assert_eq!(u16::from_bytes(&bytes[..3]), &units[..1]);
    }

    #[test]
    fn reads_nts_and_counted() {
        let s = b"SELECT 1\0xx";
        assert_eq!(
            unsafe { read_text(s.as_ptr(), SQL_NTS) }
                .unwrap()
                .as_deref(),
            Some("SELECT 1")
        );
        assert_eq!(
            unsafe { read_text(s.as_ptr(), 6) }.unwrap().as_deref(),
            Some("SELECT")
        );
        assert_eq!(
            unsafe { read_text::<u8>(std::ptr::null(), 3) }.unwrap(),
            None
        );
        assert_eq!(
            unsafe { read_text(s.as_ptr(), -7) }.unwrap_err().state,
            SqlState::InvalidStringOrBufferLength
        );
        let w: Vec<u16> = "ä😀\0".encode_utf16().collect();
        assert_eq!(
            unsafe { read_text(w.as_ptr(), SQL_NTS) }
                .unwrap()
                .as_deref(),
            Some("ä😀")
        );
    }

    #[test]
    fn truncates_at_boundaries_and_terminates() {
        let mut buf = [0xAAu8; 4];
        let w = unsafe { write_text("aé€", buf.as_mut_ptr(), 4, LengthUnit::Chars) };
        assert_eq!(
            w,
            TextWritten {
                full_length: 6,
                truncated: true
            }
        );
        assert_eq!(&buf, b"a\xc3\xa9\0");
        let mut wbuf = [0xAAAAu16; 3];
        let w = unsafe { write_text("a😀", wbuf.as_mut_ptr(), 6, LengthUnit::Bytes) };
        assert_eq!(
            w,
            TextWritten {
                full_length: 6,
                truncated: true
            }
        );
        assert_eq!(wbuf[0], u16::from(b'a'));
        assert_eq!(wbuf[1], 0, "the surrogate pair is not split");
    }

    #[test]
    fn null_buffer_only_reports_length() {
        let w = unsafe { write_text::<u16>("abc", std::ptr::null_mut(), 0, LengthUnit::Bytes) };
        assert_eq!(
            w,
            TextWritten {
                full_length: 6,
                truncated: false
            }
        );
    }
}
