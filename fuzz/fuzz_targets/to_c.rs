//! Conversions between SQL values and C buffers (SQLFetch / SQLGetData and
//! bound parameters).
//!
//! `write_value`, with a fuzz-chosen value, column type, C type, buffer
//! length (within a real buffer), offset and a null or real pointer:
//! - never panics;
//! - never writes past `buffer_len` for character and binary types, nor
//!   past the C type's size for fixed types (guard bytes follow the buffer);
//! - the indicator is consistent: SQL_NULL_DATA for NULL, the fixed size
//!   for fixed types, the bytes left from `offset` for character/binary;
//!   a truncated piece is reported as such, and the pieces read with
//!   `next_offset` add up to the whole value.
//!
//! `read_value`, with fuzz-chosen bytes, C type, buffer length and
//! indicator (within the real buffer): never panics, never reads past the
//! buffer (ASan), and text written by `write_value` reads back unchanged.
#![no_main]

use arbitrary::{Arbitrary, Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use pipedrive_odbc::convert::c_types as c;
use pipedrive_odbc::convert::from_c::{self, read_value, SQL_NTS};
use pipedrive_odbc::convert::to_c::{
    fixed_size, resolve_c_type, write_value, Target, SQL_NULL_DATA,
};
use pipedrive_odbc::types::DataType;
use pipedrive_odbc::value::{Date, Time, Timestamp, Value};

const GUARD: u8 = 0xA5;
const GUARD_LEN: usize = 32;
const MAX_BUFFER: usize = 96;

const C_TYPES: [i16; 27] = [
    c::CHAR,
    c::WCHAR,
    c::BINARY,
    c::BIT,
    c::STINYINT,
    c::UTINYINT,
    c::TINYINT,
    c::SSHORT,
    c::USHORT,
    c::SHORT,
    c::SLONG,
    c::ULONG,
    c::LONG,
    c::SBIGINT,
    c::UBIGINT,
    c::DOUBLE,
    c::FLOAT,
    c::NUMERIC,
    c::DATE,
    c::TIME,
    c::TIMESTAMP,
    c::TYPE_DATE,
    c::TYPE_TIME,
    c::TYPE_TIMESTAMP,
    c::DEFAULT,
    c::GUID,
    c::ARD_TYPE,
];

fn c_type(u: &mut Unstructured) -> Result<i16> {
    if u.ratio(1, 16)? {
        return i16::arbitrary(u);
    }
    Ok(*u.choose(&C_TYPES)?)
}

fn data_type(u: &mut Unstructured) -> Result<DataType> {
    Ok(match u.int_in_range(0..=9)? {
        0 => DataType::Bit,
        1 => DataType::SmallInt,
        2 => DataType::Integer,
        3 => DataType::BigInt,
        4 => DataType::Double,
        5 => DataType::WVarchar(u.int_in_range(0..=8000)?),
        6 => DataType::WLongVarchar,
        7 => DataType::Date,
        8 => DataType::Time,
        _ => DataType::Timestamp,
    })
}

fn date(u: &mut Unstructured) -> Result<Date> {
    let (year, month, day) = (i32::arbitrary(u)?, u8::arbitrary(u)?, u8::arbitrary(u)?);
    Ok(
        Date::new(year % 10_000, month % 13, day % 32).unwrap_or(Date {
            year: 2025,
            month: 2,
            day: 28,
        }),
    )
}

fn time(u: &mut Unstructured) -> Result<Time> {
    let (hour, minute, second) = (u8::arbitrary(u)?, u8::arbitrary(u)?, u8::arbitrary(u)?);
    Ok(
        Time::new(hour % 25, minute % 61, second % 61).unwrap_or(Time {
            hour: 23,
            minute: 59,
            second: 59,
        }),
    )
}

/// A value as the engine produces them (valid dates and times only).
fn value(u: &mut Unstructured) -> Result<Value> {
    Ok(match u.int_in_range(0..=8)? {
        0 => Value::Null,
        1 => Value::Bool(bool::arbitrary(u)?),
        2 => Value::Int(i64::arbitrary(u)?),
        3 => Value::Double(f64::arbitrary(u)?),
        4 => Value::Text(String::arbitrary(u)?),
        // Numbers and datetimes as text: what conversions parse.
        5 => Value::Text(
            [
                "1",
                "-0",
                "1.5",
                " 42 ",
                "1e308",
                "-1e-308",
                "NaN",
                "inf",
                "2025-02-03",
                "2025-02-03 04:05:06.789",
                "23:59:59",
                "99999999999999999999",
            ][u.choose_index(12)?]
            .to_string(),
        ),
        6 => Value::Date(date(u)?),
        7 => Value::Time(time(u)?),
        _ => Value::Timestamp(Timestamp {
            date: date(u)?,
            time: time(u)?,
            nanos: u.int_in_range(0..=999_999_999)?,
        }),
    })
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let _ = check_write(&mut u);
    let _ = check_read(&mut u);
});

fn check_write(u: &mut Unstructured) -> Result<()> {
    let value = value(u)?;
    let sql_type = data_type(u)?;
    let requested = c_type(u)?;
    let buffer_len = u.int_in_range(-4..=MAX_BUFFER as isize)?;
    let offset = if u.ratio(1, 8)? {
        usize::arbitrary(u)?
    } else {
        u.int_in_range(0..=64)?
    };
    let null_pointer = u.ratio(1, 16)?;
    let precision = u.int_in_range(-2..=40)?;
    let scale = u.int_in_range(-2..=40)?;

    let resolved = resolve_c_type(requested, sql_type);
    let fixed = fixed_size(resolved);
    // Fixed types ignore the buffer length: the application supplies the
    // type's size. Character and binary types get exactly buffer_len.
    let writable = fixed.unwrap_or(usize::try_from(buffer_len).unwrap_or(0));
    let mut buffer = vec![GUARD; writable + GUARD_LEN];
    let target = Target {
        c_type: requested,
        ptr: if null_pointer {
            std::ptr::null_mut()
        } else {
            buffer.as_mut_ptr().cast()
        },
        buffer_len,
        precision,
        scale,
    };
    // SAFETY: ptr is null or valid for `writable` bytes, which is what
    // write_value's contract asks for this C type.
    let outcome = unsafe { write_value(&value, sql_type, &target, offset) };
    assert!(
        buffer[writable..].iter().all(|b| *b == GUARD),
        "{value:?} as C type {requested} with buffer_len {buffer_len} wrote past the buffer"
    );
    let Ok(written) = outcome else {
        return Ok(());
    };
    if value.is_null() {
        assert_eq!(written.indicator, SQL_NULL_DATA);
        return Ok(());
    }
    if let Some(size) = fixed {
        assert_eq!(written.indicator, size as isize, "{value:?} as {resolved}");
        return Ok(());
    }
    // Character or binary: indicator = bytes left from the offset.
    assert!(written.indicator >= 0, "{value:?}: {written:?}");
    let total = total_bytes(&value, sql_type, resolved);
    let from = offset.min(total);
    assert_eq!(
        written.indicator as usize,
        total - from,
        "{value:?}: {written:?}"
    );
    assert!(written.next_offset >= from && written.next_offset <= total);
    // Never a short piece reported as complete.
    assert!(
        written.truncated || written.next_offset == total,
        "{value:?} as {resolved}, buffer_len {buffer_len}, offset {offset}: {written:?}"
    );
    if !null_pointer && buffer_len > 0 {
        check_pieces(&value, sql_type, resolved, buffer_len)?;
    }
    Ok(())
}

/// The length in bytes of the whole character/binary form of `value`.
fn total_bytes(value: &Value, sql_type: DataType, c_type: i16) -> usize {
    let mut buffer = vec![0u8; 1 << 16];
    let target = Target {
        c_type,
        ptr: buffer.as_mut_ptr().cast(),
        buffer_len: buffer.len() as isize,
        precision: 0,
        scale: 0,
    };
    // SAFETY: the target is `buffer`.
    match unsafe { write_value(value, sql_type, &target, 0) } {
        Ok(w) => usize::try_from(w.indicator).unwrap_or(0),
        Err(_) => 0,
    }
}

/// Reads the value piece by piece (as SQLGetData does) and checks that the
/// pieces add up to what one large buffer receives, and that text written
/// whole reads back as the same text through `read_value`.
fn check_pieces(value: &Value, sql_type: DataType, c_type: i16, buffer_len: isize) -> Result<()> {
    let terminator = match c_type {
        c::CHAR => 1,
        c::WCHAR => 2,
        _ => 0,
    };
    let mut whole = vec![0u8; (1 << 16) + 2];
    let big = Target {
        c_type,
        ptr: whole.as_mut_ptr().cast(),
        buffer_len: (1 << 16) + 2,
        precision: 0,
        scale: 0,
    };
    // SAFETY: the target is `whole`.
    let Ok(all) = (unsafe { write_value(value, sql_type, &big, 0) }) else {
        return Ok(());
    };
    let total = usize::try_from(all.indicator).unwrap_or(0);
    whole.truncate(total);

    let mut pieces = Vec::new();
    let mut offset = 0;
    let mut buffer = vec![GUARD; buffer_len as usize + GUARD_LEN];
    // A piece makes progress whenever there is room for a byte beyond the
    // terminator; bound the loop anyway.
    for _ in 0..=total + 1 {
        let target = Target {
            c_type,
            ptr: buffer.as_mut_ptr().cast(),
            buffer_len,
            precision: 0,
            scale: 0,
        };
        // SAFETY: ptr is valid for buffer_len bytes.
        let Ok(w) = (unsafe { write_value(value, sql_type, &target, offset) }) else {
            panic!("{value:?}: a piece at offset {offset} failed after the whole value converted");
        };
        assert!(buffer[buffer_len as usize..].iter().all(|b| *b == GUARD));
        assert_eq!(w.indicator as usize, total - offset);
        let taken = w.next_offset - offset;
        pieces.extend_from_slice(&buffer[..taken]);
        if terminator > 0 && (buffer_len as usize) >= terminator {
            assert!(buffer[taken..taken + terminator].iter().all(|b| *b == 0));
        }
        if !w.truncated {
            assert_eq!(w.next_offset, total);
            assert_eq!(pieces, whole, "{value:?} read in pieces of {buffer_len}");
            return Ok(());
        }
        if taken == 0 {
            // The buffer holds only the terminator: no progress is possible.
            assert!((buffer_len as usize) <= terminator);
            return Ok(());
        }
        offset = w.next_offset;
    }
    panic!("{value:?} in pieces of {buffer_len} did not finish");
}

fn check_read(u: &mut Unstructured) -> Result<()> {
    let sql_type = data_type(u)?;
    let requested = c_type(u)?;
    let mut bytes: Vec<u8> = Vec::arbitrary(u)?;
    bytes.truncate(MAX_BUFFER);
    let data_len = bytes.len();
    let resolved = resolve_c_type(requested, sql_type);
    // The contract: fixed types are read at their size; text up to the
    // length given, or to a terminator. Pad to the fixed size and end with
    // an aligned NUL unit so an SQL_NTS scan stops inside the buffer.
    let size = fixed_size(resolved).unwrap_or(0).max(data_len);
    bytes.resize(size + size % 2, 0);
    bytes.extend_from_slice(&[0, 0]);
    let buffer_len = u.int_in_range(-4..=data_len as isize)?;
    let indicator = match u.int_in_range(0..=5)? {
        0 => None,
        1 => Some(SQL_NTS),
        2 => Some(SQL_NULL_DATA),
        3 => Some(from_c::SQL_DATA_AT_EXEC),
        4 => Some(isize::arbitrary(u)?.min(-5)),
        _ => Some(u.int_in_range(0..=data_len as isize)?),
    };
    let source = from_c::Source {
        c_type: requested,
        ptr: bytes.as_ptr().cast(),
        buffer_len,
        indicator,
    };
    // SAFETY: the buffer covers the fixed size, any length the indicator
    // or buffer length gives, and ends with a NUL unit.
    let read = unsafe { read_value(&source, sql_type) };
    if let (Ok(Value::Text(text)), Some(n)) = (&read, indicator) {
        if resolved == c::CHAR && n >= 0 {
            assert_eq!(text.len(), n as usize);
        }
    }
    check_text_round_trip(u)
}

/// Text written to SQL_C_CHAR / SQL_C_WCHAR in a large enough buffer reads
/// back as the same text.
fn check_text_round_trip(u: &mut Unstructured) -> Result<()> {
    let text = String::arbitrary(u)?;
    for c_type in [c::CHAR, c::WCHAR] {
        let mut buffer = vec![0u8; text.len() * 4 + 2];
        let target = Target {
            c_type,
            ptr: buffer.as_mut_ptr().cast(),
            buffer_len: buffer.len() as isize,
            precision: 0,
            scale: 0,
        };
        let value = Value::Text(text.clone());
        // SAFETY: the target is `buffer`.
        let written = unsafe { write_value(&value, DataType::WLongVarchar, &target, 0) }
            .unwrap_or_else(|e| panic!("{text:?} to C type {c_type}: {e:?}"));
        assert!(!written.truncated);
        let source = from_c::Source {
            c_type,
            ptr: buffer.as_ptr().cast(),
            buffer_len: buffer.len() as isize,
            indicator: Some(written.indicator),
        };
        // SAFETY: the indicator is within the buffer.
        let read = unsafe { read_value(&source, DataType::WLongVarchar) }
            .unwrap_or_else(|e| panic!("{text:?} from C type {c_type}: {e:?}"));
        assert_eq!(read, value, "C type {c_type}");
    }
    Ok(())
}
