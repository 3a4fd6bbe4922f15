//! SQL values -> application buffers (SQLFetch with bound columns and
//! SQLGetData), per the ODBC "Converting Data from SQL to C Data Types"
//! tables. Character and binary data may be read in pieces.

use super::c_types as c;
use crate::diag::{OdbcError, Result, SqlState};
use crate::ffi::text::{OdbcChar, SqlWChar};
use crate::types::DataType;
use crate::value::{Date, Time, Timestamp, Value};
use std::borrow::Cow;
use std::ffi::c_void;

pub const SQL_NULL_DATA: isize = -1;
pub const SQL_NO_TOTAL: isize = -4;

/// Where a value goes.
#[derive(Debug, Clone, Copy)]
pub struct Target {
    pub c_type: i16,
    pub ptr: *mut c_void,
    /// Bytes available at `ptr` (used by character and binary types).
    pub buffer_len: isize,
    /// SQL_DESC_PRECISION / SQL_DESC_SCALE for SQL_C_NUMERIC.
    pub precision: i16,
    pub scale: i16,
}

/// What a conversion wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    /// The length/indicator value to report: bytes available (before
    /// truncation, from `offset`), SQL_NULL_DATA, or the fixed size.
    pub indicator: isize,
    /// 01004: character or binary data did not fit.
    pub truncated: bool,
    /// 01S07: a fractional part or time part was dropped.
    pub fractional_truncation: bool,
    /// For piecewise reads: the offset (in bytes of the C representation) the
    /// next SQLGetData call continues from.
    pub next_offset: usize,
}

impl Written {
    fn fixed(size: usize) -> Written {
        Written {
            indicator: size as isize,
            truncated: false,
            fractional_truncation: false,
            next_offset: usize::MAX,
        }
    }

    fn with_fraction(mut self, dropped: bool) -> Written {
        self.fractional_truncation = dropped;
        self
    }
}

/// The concrete C type SQL_C_DEFAULT stands for, and the ODBC 2 aliases.
pub fn resolve_c_type(c_type: i16, sql_type: DataType) -> i16 {
    match c_type {
        c::DEFAULT => sql_type.default_c_type(),
        c::LONG => c::SLONG,
        c::SHORT => c::SSHORT,
        c::TINYINT => c::STINYINT,
        c::DATE => c::TYPE_DATE,
        c::TIME => c::TYPE_TIME,
        c::TIMESTAMP => c::TYPE_TIMESTAMP,
        other => other,
    }
}

/// Size in bytes of a fixed-length C type; `None` for character/binary.
pub fn fixed_size(c_type: i16) -> Option<usize> {
    Some(match c_type {
        c::SLONG | c::ULONG | c::LONG => 4,
        c::SSHORT | c::USHORT | c::SHORT => 2,
        c::STINYINT | c::UTINYINT | c::TINYINT | c::BIT => 1,
        c::SBIGINT | c::UBIGINT | c::DOUBLE => 8,
        c::FLOAT => 4,
        c::TYPE_DATE | c::DATE | c::TYPE_TIME | c::TIME => 6,
        c::TYPE_TIMESTAMP | c::TIMESTAMP => 16,
        c::NUMERIC => 19,
        c::GUID => 16,
        _ => return None,
    })
}

pub fn is_known_c_type(c_type: i16) -> bool {
    fixed_size(c_type).is_some()
        || matches!(
            c_type,
            c::CHAR | c::WCHAR | c::BINARY | c::DEFAULT | c::ARD_TYPE
        )
}

unsafe fn put<T>(ptr: *mut c_void, v: T) {
    if !ptr.is_null() {
        ptr.cast::<T>().write_unaligned(v);
    }
}

fn cast_error(value: &Value, target: &str) -> OdbcError {
    let shown: String = value
        .to_text()
        .unwrap_or_default()
        .chars()
        .take(40)
        .collect();
    OdbcError::new(
        SqlState::InvalidCharacterValueForCast,
        format!("Cannot convert '{shown}' to {target}"),
    )
}

fn restricted(value: &Value, c_type: i16) -> OdbcError {
    let kind = match value {
        Value::Date(_) => "DATE",
        Value::Time(_) => "TIME",
        Value::Timestamp(_) => "TIMESTAMP",
        Value::Bool(_) => "BIT",
        Value::Int(_) => "INTEGER",
        Value::Double(_) => "DOUBLE",
        _ => "value",
    };
    OdbcError::new(
        SqlState::RestrictedDataType,
        format!("A {kind} cannot be converted to C type {c_type}"),
    )
}

fn out_of_range(what: &str) -> OdbcError {
    OdbcError::new(
        SqlState::NumericOutOfRange,
        format!("Numeric value out of range for {what}"),
    )
}

/// A number as f64 (with text parsed), for numeric C targets.
fn numeric_of(value: &Value, target: &str) -> Result<f64> {
    match value {
        Value::Text(s) => s
            .trim()
            .parse::<f64>()
            .map_err(|_| cast_error(value, target)),
        other => other.as_f64().ok_or_else(|| restricted(other, 0)),
    }
}

/// Integer conversion: the fractional part is truncated with 01S07.
fn integer_of(value: &Value, min: i128, max: i128, target: &str) -> Result<(i128, bool)> {
    if let Value::Int(i) = value {
        let i = i128::from(*i);
        return if i < min || i > max {
            Err(out_of_range(target))
        } else {
            Ok((i, false))
        };
    }
    if let Value::Text(s) = value {
        if let Ok(i) = s.trim().parse::<i128>() {
            return if i < min || i > max {
                Err(out_of_range(target))
            } else {
                Ok((i, false))
            };
        }
    }
    let f = numeric_of(value, target)?;
    if !f.is_finite() {
        return Err(out_of_range(target));
    }
    let t = f.trunc();
    if t < min as f64 || t > max as f64 {
        return Err(out_of_range(target));
    }
    Ok((t as i128, t != f))
}

fn date_of(value: &Value) -> Result<(Date, bool)> {
    match value {
        Value::Date(d) => Ok((*d, false)),
        Value::Timestamp(ts) => Ok((ts.date, ts.time.seconds_of_day() != 0 || ts.nanos != 0)),
        Value::Text(s) => match Timestamp::parse(s) {
            Some(ts) => Ok((ts.date, ts.time.seconds_of_day() != 0 || ts.nanos != 0)),
            None => Err(cast_error(value, "DATE")),
        },
        other => Err(restricted(other, c::TYPE_DATE)),
    }
}

fn time_of(value: &Value) -> Result<(Time, bool)> {
    match value {
        Value::Time(t) => Ok((*t, false)),
        Value::Timestamp(ts) => Ok((ts.time, ts.nanos != 0)),
        Value::Text(s) => match Time::parse(s)
            .map(|t| (t, false))
            .or_else(|| Timestamp::parse(s).map(|ts| (ts.time, ts.nanos != 0)))
        {
            Some(t) => Ok(t),
            None => Err(cast_error(value, "TIME")),
        },
        other => Err(restricted(other, c::TYPE_TIME)),
    }
}

fn timestamp_of(value: &Value) -> Result<Timestamp> {
    match value {
        Value::Timestamp(ts) => Ok(*ts),
        Value::Date(d) => Ok(Timestamp::from_date(*d)),
        Value::Text(s) => Timestamp::parse(s).ok_or_else(|| cast_error(value, "TIMESTAMP")),
        other => Err(restricted(other, c::TYPE_TIMESTAMP)),
    }
}

/// Copies `data[offset..]` into a buffer of `capacity` bytes, leaving room
/// for a terminator of `terminator` bytes and cutting only where `boundary`
/// allows (never inside a UTF-8 sequence or a surrogate pair).
unsafe fn write_pieces(
    data: &[u8],
    offset: usize,
    target: &Target,
    terminator: usize,
    boundary: impl Fn(usize) -> bool,
) -> Written {
    let offset = offset.min(data.len());
    let remaining = data.len() - offset;
    let capacity = usize::try_from(target.buffer_len).unwrap_or(0);
    if target.ptr.is_null() || capacity < terminator.max(1) {
        // Nothing can be written; report the length (01004 unless empty).
        return Written {
            indicator: remaining as isize,
            truncated: remaining > 0 || terminator > 0,
            fractional_truncation: false,
            next_offset: offset,
        };
    }
    let room = capacity - terminator;
    let mut take = remaining.min(room);
    while take > 0 && take < remaining && !boundary(offset + take) {
        take -= 1;
    }
    // A buffer too small for even the next whole character still gets its
    // bytes: splitting then is better than a read that never progresses.
    if take == 0 {
        take = remaining.min(room);
    }
    let dst = target.ptr.cast::<u8>();
    std::ptr::copy_nonoverlapping(data.as_ptr().add(offset), dst, take);
    for i in 0..terminator {
        dst.add(take + i).write(0);
    }
    Written {
        indicator: remaining as isize,
        truncated: take < remaining,
        fractional_truncation: false,
        next_offset: offset + take,
    }
}

/// SQL_C_WCHAR from the start of `text`, encoded straight into the buffer
/// (bound columns: no intermediate copies of the text). Gives what
/// `write_pieces` gives for the encoded text, whole characters only; `None`
/// in the cases left to it: no buffer, or no room for the first character.
unsafe fn write_wide_from_start(text: &str, target: &Target) -> Option<Written> {
    let unit = SqlWChar::SIZE;
    let capacity = usize::try_from(target.buffer_len).unwrap_or(0);
    if target.ptr.is_null() || capacity < unit {
        return None;
    }
    // Units that fit before the terminator.
    let room = (capacity - unit) / unit;
    let dst = target.ptr.cast::<u8>();
    let mut written = 0;
    let mut total = 0;
    let mut truncated = false;
    if text.is_ascii() && text.len() <= room {
        // Most text is ASCII: one unit per byte, and all of it fits.
        for (i, byte) in text.bytes().enumerate() {
            dst.add(i * unit)
                .cast::<SqlWChar>()
                .write_unaligned(SqlWChar::from(byte));
        }
        written = text.len();
        total = text.len();
    } else {
        let mut encoded = [SqlWChar::default(); 4];
        for ch in text.chars() {
            let n = SqlWChar::encode_char(ch, &mut encoded);
            if !truncated && written + n <= room {
                for u in &encoded[..n] {
                    dst.add(written * unit)
                        .cast::<SqlWChar>()
                        .write_unaligned(*u);
                    written += 1;
                }
            } else {
                // The text is cut before the first character that does not
                // fit; the rest is only counted.
                truncated = true;
            }
            total += n;
        }
    }
    if truncated && written == 0 {
        return None;
    }
    for i in 0..unit {
        dst.add(written * unit + i).write(0);
    }
    Some(Written {
        indicator: (total * unit) as isize,
        truncated,
        fractional_truncation: false,
        next_offset: written * unit,
    })
}

/// Writes `value` (of column type `sql_type`) to `target`, continuing at
/// `offset` for character and binary data read in pieces.
///
/// # Safety
/// `target.ptr` must be null or valid for writes of `target.buffer_len`
/// bytes (character/binary) or of the C type's size (fixed types).
pub unsafe fn write_value(
    value: &Value,
    sql_type: DataType,
    target: &Target,
    offset: usize,
) -> Result<Written> {
    let c_type = resolve_c_type(target.c_type, sql_type);
    if value.is_null() {
        return Ok(Written {
            indicator: SQL_NULL_DATA,
            truncated: false,
            fractional_truncation: false,
            next_offset: usize::MAX,
        });
    }
    let ptr = target.ptr;
    match c_type {
        c::CHAR => {
            let text = char_text(value);
            let bytes = text.as_bytes();
            Ok(write_pieces(bytes, offset, target, 1, |i| {
                text.is_char_boundary(i)
            }))
        }
        c::WCHAR => {
            let text = char_text(value);
            if offset == 0 {
                if let Some(written) = write_wide_from_start(&text, target) {
                    return Ok(written);
                }
            }
            let units = SqlWChar::encode(&text);
            let bytes = SqlWChar::to_bytes(&units);
            let unit = SqlWChar::SIZE;
            Ok(write_pieces(&bytes, offset, target, unit, |i| {
                i % unit == 0 && SqlWChar::is_boundary(&units, i / unit)
            }))
        }
        c::BINARY => {
            let bytes = binary_bytes(value)?;
            Ok(write_pieces(&bytes, offset, target, 0, |_| true))
        }
        c::BIT => {
            let f = numeric_of(value, "BIT")?;
            if !(0.0..2.0).contains(&f) {
                return Err(out_of_range("BIT"));
            }
            put(ptr, u8::from(f >= 1.0));
            Ok(Written::fixed(1).with_fraction(f != 0.0 && f != 1.0))
        }
        c::STINYINT
        | c::UTINYINT
        | c::SSHORT
        | c::USHORT
        | c::SLONG
        | c::ULONG
        | c::SBIGINT
        | c::UBIGINT => {
            let (min, max, size): (i128, i128, usize) = match c_type {
                c::STINYINT => (i8::MIN.into(), i8::MAX.into(), 1),
                c::UTINYINT => (0, u8::MAX.into(), 1),
                c::SSHORT => (i16::MIN.into(), i16::MAX.into(), 2),
                c::USHORT => (0, u16::MAX.into(), 2),
                c::SLONG => (i32::MIN.into(), i32::MAX.into(), 4),
                c::ULONG => (0, u32::MAX.into(), 4),
                c::SBIGINT => (i64::MIN.into(), i64::MAX.into(), 8),
                _ => (0, u64::MAX.into(), 8),
            };
            let (i, dropped) = integer_of(value, min, max, "the integer C type")?;
            match size {
                1 => put(ptr, i as u8),
                2 => put(ptr, i as u16),
                4 => put(ptr, i as u32),
                _ => put(ptr, i as u64),
            }
            Ok(Written::fixed(size).with_fraction(dropped))
        }
        c::DOUBLE => {
            put(ptr, numeric_of(value, "DOUBLE")?);
            Ok(Written::fixed(8))
        }
        c::FLOAT => {
            let f = numeric_of(value, "REAL")?;
            if f.is_finite() && f.abs() > f64::from(f32::MAX) {
                return Err(out_of_range("REAL"));
            }
            put(ptr, f as f32);
            Ok(Written::fixed(4))
        }
        c::NUMERIC => {
            let f = numeric_of(value, "NUMERIC")?;
            let (numeric, dropped) = to_numeric_struct(f, target.precision, target.scale)?;
            put(ptr, numeric);
            Ok(Written::fixed(19).with_fraction(dropped))
        }
        c::TYPE_DATE => {
            let (d, dropped) = date_of(value)?;
            put(
                ptr,
                odbc_sys::Date {
                    year: d.year as i16,
                    month: u16::from(d.month),
                    day: u16::from(d.day),
                },
            );
            Ok(Written::fixed(6).with_fraction(dropped))
        }
        c::TYPE_TIME => {
            let (t, dropped) = time_of(value)?;
            put(
                ptr,
                odbc_sys::Time {
                    hour: u16::from(t.hour),
                    minute: u16::from(t.minute),
                    second: u16::from(t.second),
                },
            );
            Ok(Written::fixed(6).with_fraction(dropped))
        }
        c::TYPE_TIMESTAMP => {
            let ts = match value {
                // A TIME gets today's date per the conversion table; the
                // driver has no clock here, so use the date part of "now".
                Value::Time(t) => Timestamp {
                    date: today(),
                    time: *t,
                    nanos: 0,
                },
                other => timestamp_of(other)?,
            };
            put(
                ptr,
                odbc_sys::Timestamp {
                    year: ts.date.year as i16,
                    month: u16::from(ts.date.month),
                    day: u16::from(ts.date.day),
                    hour: u16::from(ts.time.hour),
                    minute: u16::from(ts.time.minute),
                    second: u16::from(ts.time.second),
                    fraction: ts.nanos,
                },
            );
            Ok(Written::fixed(16))
        }
        other => Err(OdbcError::new(
            SqlState::RestrictedDataType,
            format!("Conversion to C type {other} is not supported"),
        )),
    }
}

fn today() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    Timestamp::from_seconds_since_epoch(secs, 0)
        .map(|ts| ts.date)
        .unwrap_or(Date {
            year: 1970,
            month: 1,
            day: 1,
        })
}

/// The character form of a value: BIT as 0/1, numbers plainly, datetimes in
/// ODBC canonical form.
/// The text of a value for character C types (borrowed when it is text).
fn char_text(value: &Value) -> Cow<'_, str> {
    match value {
        Value::Text(s) => Cow::Borrowed(s),
        other => Cow::Owned(other.to_text().unwrap_or_default()),
    }
}

fn binary_bytes(value: &Value) -> Result<Vec<u8>> {
    Ok(match value {
        Value::Text(s) => s.as_bytes().to_vec(),
        Value::Int(i) => i.to_ne_bytes().to_vec(),
        Value::Double(d) => d.to_ne_bytes().to_vec(),
        Value::Bool(b) => vec![u8::from(*b)],
        Value::Date(d) => [d.year as i16 as u16, u16::from(d.month), u16::from(d.day)]
            .iter()
            .flat_map(|v| v.to_ne_bytes())
            .collect(),
        Value::Time(t) => [t.hour, t.minute, t.second]
            .iter()
            .flat_map(|v| u16::from(*v).to_ne_bytes())
            .collect(),
        Value::Timestamp(ts) => {
            let mut out: Vec<u8> = [
                ts.date.year as i16 as u16,
                ts.date.month.into(),
                ts.date.day.into(),
                ts.time.hour.into(),
                ts.time.minute.into(),
                ts.time.second.into(),
            ]
            .iter()
            .flat_map(|v: &u16| v.to_ne_bytes())
            .collect();
            out.extend_from_slice(&ts.nanos.to_ne_bytes());
            out
        }
        Value::Null => Vec::new(),
    })
}

/// SQL_NUMERIC_STRUCT for `f` at `scale` (default precision 38 when 0).
fn to_numeric_struct(f: f64, precision: i16, scale: i16) -> Result<(odbc_sys::Numeric, bool)> {
    if !f.is_finite() {
        return Err(out_of_range("NUMERIC"));
    }
    let scale = scale.clamp(0, 38);
    let precision = if precision <= 0 {
        38
    } else {
        precision.min(38)
    };
    let scaled = f.abs() * 10f64.powi(i32::from(scale));
    let rounded = scaled.trunc();
    let dropped = rounded != scaled;
    if rounded >= 1e38 || rounded.to_string().trim_end_matches(".0").len() > precision as usize + 1
    {
        return Err(out_of_range("NUMERIC"));
    }
    let mut mantissa = rounded as u128;
    let digits = if mantissa == 0 {
        1
    } else {
        mantissa.to_string().len()
    };
    if digits > precision as usize {
        return Err(out_of_range("NUMERIC"));
    }
    let mut val = [0u8; 16];
    for byte in val.iter_mut() {
        *byte = (mantissa & 0xFF) as u8;
        mantissa >>= 8;
    }
    Ok((
        odbc_sys::Numeric {
            precision: precision as u8,
            scale: scale as i8,
            sign: u8::from(f >= 0.0),
            val,
        },
        dropped,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(c_type: i16, buf: &mut [u8]) -> Target {
        Target {
            c_type,
            ptr: buf.as_mut_ptr().cast(),
            buffer_len: buf.len() as isize,
            precision: 0,
            scale: 0,
        }
    }

    /// The general path for SQL_C_WCHAR: the text encoded, then copied by
    /// `write_pieces`.
    unsafe fn wide_by_pieces(text: &str, target: &Target) -> Written {
        let units = SqlWChar::encode(text);
        let bytes = SqlWChar::to_bytes(&units);
        let unit = SqlWChar::SIZE;
        write_pieces(&bytes, 0, target, unit, |i| {
            i % unit == 0 && SqlWChar::is_boundary(&units, i / unit)
        })
    }

    #[test]
    fn wide_text_written_directly_matches_the_general_path() {
        let texts = [
            "",
            "a",
            "plain ascii text",
            "Müller & Söhne – Größe",
            "😀",
            "a😀b😀😀c",
            "Они хотят начать пилот 🚀 в следующем квартале",
            "\0inside\0",
        ];
        for text in texts {
            for capacity in 0..(text.len() * 4 + 12) {
                let mut direct = vec![0xEEu8; capacity + 8];
                let mut general = direct.clone();
                let mut direct_target = target(c::WCHAR, &mut direct);
                direct_target.buffer_len = capacity as isize;
                let mut general_target = target(c::WCHAR, &mut general);
                general_target.buffer_len = capacity as isize;
                let fast = unsafe { write_wide_from_start(text, &direct_target) };
                let slow = unsafe { wide_by_pieces(text, &general_target) };
                if let Some(fast) = fast {
                    assert_eq!(fast, slow, "{text:?} in {capacity} bytes");
                    assert_eq!(direct, general, "{text:?} in {capacity} bytes");
                } else {
                    // Left to the general path: no room for a character.
                    assert!(capacity < 2 * SqlWChar::SIZE || text.starts_with('😀'));
                }
                // write_value gives the general path's result either way.
                let mut via_value = vec![0xEEu8; capacity + 8];
                let mut value_target = target(c::WCHAR, &mut via_value);
                value_target.buffer_len = capacity as isize;
                let written = unsafe {
                    write_value(
                        &Value::Text(text.into()),
                        DataType::WLongVarchar,
                        &value_target,
                        0,
                    )
                }
                .unwrap();
                assert_eq!(written, slow);
                assert_eq!(via_value, general);
            }
        }
    }

    #[test]
    fn char_in_pieces_never_splits_utf8() {
        let v = Value::Text("añb€c".into()); // a(1) ñ(2) b(1) €(3) c(1) = 8 bytes
        let mut buf = [0xFFu8; 4];
        let t = target(c::CHAR, &mut buf);
        let w = unsafe { write_value(&v, DataType::WVarchar(10), &t, 0) }.unwrap();
        assert_eq!(w.indicator, 8);
        assert!(w.truncated);
        assert_eq!(&buf[..4], b"a\xc3\xb1\0");
        let w2 = unsafe { write_value(&v, DataType::WVarchar(10), &t, w.next_offset) }.unwrap();
        assert_eq!(w2.indicator, 5);
        assert_eq!(&buf[..2], b"b\0"); // the euro sign does not fit in 3 bytes + NUL
        let w3 = unsafe {
            write_value(
                &v,
                DataType::WVarchar(10),
                &target(c::CHAR, &mut [0u8; 8]),
                w2.next_offset,
            )
        }
        .unwrap();
        assert!(!w3.truncated);
        assert_eq!(w3.indicator, 4);
    }

    #[test]
    fn wchar_never_splits_surrogate_pairs() {
        let v = Value::Text("a😀b".into()); // units: a, hi, lo, b
        let mut buf = [0u8; 6]; // room for 2 units + NUL
        let t = target(c::WCHAR, &mut buf);
        let w = unsafe { write_value(&v, DataType::WVarchar(10), &t, 0) }.unwrap();
        assert_eq!(w.indicator, 8);
        assert!(w.truncated);
        assert_eq!(w.next_offset, 2, "only 'a' fits without splitting the pair");
        let w2 = unsafe { write_value(&v, DataType::WVarchar(10), &t, w.next_offset) }.unwrap();
        assert_eq!(w2.next_offset, 6);
        let units: Vec<u16> = buf
            .chunks(2)
            .map(|c| u16::from_ne_bytes([c[0], c[1]]))
            .collect();
        assert_eq!(String::from_utf16(&units[..2]).unwrap(), "😀");
    }

    #[test]
    fn a_buffer_smaller_than_one_character_still_progresses() {
        let v = Value::Text("€".into()); // 3 bytes
        let mut buf = [0xFFu8; 2]; // one byte + NUL
        let t = target(c::CHAR, &mut buf);
        let mut offset = 0;
        let mut bytes = Vec::new();
        while offset != usize::MAX {
            let w = unsafe { write_value(&v, DataType::WVarchar(10), &t, offset) }.unwrap();
            let n = if w.truncated {
                w.next_offset - offset
            } else {
                w.indicator as usize
            };
            bytes.extend_from_slice(&buf[..n]);
            offset = if w.truncated {
                w.next_offset
            } else {
                usize::MAX
            };
        }
        assert_eq!(String::from_utf8(bytes).unwrap(), "€");
    }

    #[test]
    fn empty_string_has_length_zero() {
        let mut buf = [0xFFu8; 4];
        let w = unsafe {
            write_value(
                &Value::Text(String::new()),
                DataType::WVarchar(10),
                &target(c::CHAR, &mut buf),
                0,
            )
        }
        .unwrap();
        assert_eq!(w.indicator, 0);
        assert!(!w.truncated);
        assert_eq!(buf[0], 0);
    }

    #[test]
    fn integers_check_range_and_fraction() {
        let mut buf = [0u8; 8];
        let w = unsafe {
            write_value(
                &Value::Double(3.7),
                DataType::Double,
                &target(c::SLONG, &mut buf),
                0,
            )
        }
        .unwrap();
        assert!(w.fractional_truncation);
        assert_eq!(i32::from_ne_bytes(buf[..4].try_into().unwrap()), 3);
        let err = unsafe {
            write_value(
                &Value::Int(300),
                DataType::Integer,
                &target(c::STINYINT, &mut buf),
                0,
            )
        }
        .unwrap_err();
        assert_eq!(err.state, SqlState::NumericOutOfRange);
        let err = unsafe {
            write_value(
                &Value::Text("x1".into()),
                DataType::WVarchar(5),
                &target(c::SLONG, &mut buf),
                0,
            )
        }
        .unwrap_err();
        assert_eq!(err.state, SqlState::InvalidCharacterValueForCast);
    }

    #[test]
    fn nulls_report_null_data() {
        let mut buf = [0u8; 8];
        let w = unsafe {
            write_value(
                &Value::Null,
                DataType::Integer,
                &target(c::SLONG, &mut buf),
                0,
            )
        }
        .unwrap();
        assert_eq!(w.indicator, SQL_NULL_DATA);
    }

    #[test]
    fn timestamps_to_date_drop_the_time_with_01s07() {
        let mut buf = [0u8; 16];
        let ts = Value::Timestamp(Timestamp::parse("2025-02-03 04:05:06").unwrap());
        let w =
            unsafe { write_value(&ts, DataType::Timestamp, &target(c::TYPE_DATE, &mut buf), 0) }
                .unwrap();
        assert!(w.fractional_truncation);
        let d: odbc_sys::Date = unsafe { buf.as_ptr().cast::<odbc_sys::Date>().read_unaligned() };
        assert_eq!((d.year, d.month, d.day), (2025, 2, 3));
    }

    #[test]
    fn numeric_struct_little_endian_mantissa() {
        let (n, dropped) = to_numeric_struct(-123.456, 10, 2).unwrap();
        assert_eq!(n.sign, 0);
        assert_eq!(n.scale, 2);
        assert!(dropped);
        assert_eq!(u16::from_le_bytes([n.val[0], n.val[1]]), 12345);
    }
}
