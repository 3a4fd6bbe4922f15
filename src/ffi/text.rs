//! Strings across the boundary: ANSI (UTF-8 bytes) and wide (UTF-16)
//! arguments in, NUL-terminated and truncation-safe results out.

use crate::diag::{OdbcError, Result, SqlState};

pub const SQL_NTS: isize = -3;

/// A character unit of an ODBC string argument: `u8` for the ANSI entry
/// points, `u16` (SQLWCHAR) for the W ones.
pub trait OdbcChar: Copy + Default + PartialEq + 'static {
    /// Bytes per unit.
    const SIZE: usize;
    fn decode(units: &[Self]) -> Result<String>;
    fn encode(text: &str) -> Vec<Self>;
    /// Whether a string may be cut before unit `i` of `units`.
    fn is_boundary(units: &[Self], i: usize) -> bool;
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
    fn is_boundary(units: &[u8], i: usize) -> bool {
        units.get(i).is_none_or(|b| (*b & 0xC0) != 0x80)
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
    fn is_boundary(units: &[u16], i: usize) -> bool {
        units.get(i).is_none_or(|u| !(0xDC00..=0xDFFF).contains(u))
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
