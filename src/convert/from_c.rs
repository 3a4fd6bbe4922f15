//! Application buffers -> SQL values (bound parameters), per the ODBC
//! "Converting Data from C to SQL Data Types" tables.

use super::c_types as c;
use super::to_c::{resolve_c_type, SQL_NULL_DATA};
use crate::diag::{OdbcError, Result, SqlState};
use crate::ffi::text::{OdbcChar, SqlWChar};
use crate::types::DataType;
use crate::value::{Date, Time, Timestamp, Value};
use std::ffi::c_void;

pub const SQL_NTS: isize = -3;
pub const SQL_DATA_AT_EXEC: isize = -2;
/// SQL_LEN_DATA_AT_EXEC(length) values are at or below this offset.
pub const SQL_LEN_DATA_AT_EXEC_OFFSET: isize = -100;

/// A bound parameter buffer.
#[derive(Debug, Clone, Copy)]
pub struct Source {
    pub c_type: i16,
    pub ptr: *const c_void,
    pub buffer_len: isize,
    /// The value of the StrLen_or_Ind buffer (already read), or `None` when
    /// the application bound no indicator.
    pub indicator: Option<isize>,
}

unsafe fn get<T: Copy>(ptr: *const c_void) -> T {
    ptr.cast::<T>().read_unaligned()
}

unsafe fn text_bytes(src: &Source, unit: usize) -> Result<Vec<u8>> {
    let len = match src.indicator {
        Some(SQL_NTS) | None if src.buffer_len <= 0 || src.indicator == Some(SQL_NTS) => None,
        None => Some(src.buffer_len as usize),
        Some(n) if n >= 0 => Some(n as usize),
        Some(other) => {
            return Err(OdbcError::new(
                SqlState::InvalidStringOrBufferLength,
                format!("Invalid parameter length {other}"),
            ));
        }
    };
    let base = src.ptr.cast::<u8>();
    match len {
        Some(n) => Ok(std::slice::from_raw_parts(base, n - n % unit).to_vec()),
        None => {
            // NUL-terminated: scan for a zero unit.
            let mut n = 0usize;
            loop {
                let unit_bytes = std::slice::from_raw_parts(base.add(n), unit);
                if unit_bytes.iter().all(|b| *b == 0) {
                    break;
                }
                n += unit;
            }
            Ok(std::slice::from_raw_parts(base, n).to_vec())
        }
    }
}

/// Reads one parameter value. `sql_type` is the parameter's declared SQL type
/// (used for SQL_C_DEFAULT).
///
/// # Safety
/// `src.ptr` must be valid for the C type's size, or for the length the
/// indicator or buffer length gives (or up to a terminator for SQL_NTS).
pub unsafe fn read_value(src: &Source, sql_type: DataType) -> Result<Value> {
    match src.indicator {
        Some(SQL_NULL_DATA) => return Ok(Value::Null),
        Some(n) if n == SQL_DATA_AT_EXEC || n <= SQL_LEN_DATA_AT_EXEC_OFFSET => {
            return Err(OdbcError::not_implemented(
                "data-at-execution parameters (SQLParamData/SQLPutData)",
            ));
        }
        _ => {}
    }
    if src.ptr.is_null() {
        return Ok(Value::Null);
    }
    let ptr = src.ptr;
    Ok(match resolve_c_type(src.c_type, sql_type) {
        c::CHAR => {
            let bytes = text_bytes(src, 1)?;
            Value::Text(String::from_utf8(bytes).map_err(|_| {
                OdbcError::new(
                    SqlState::InvalidCharacterValueForCast,
                    "Parameter text is not valid UTF-8",
                )
            })?)
        }
        c::WCHAR => {
            let bytes = text_bytes(src, SqlWChar::SIZE)?;
            Value::Text(
                SqlWChar::decode(&SqlWChar::from_bytes(&bytes)).map_err(|_| {
                    OdbcError::new(
                        SqlState::InvalidCharacterValueForCast,
                        "Parameter text is not a valid wide (SQLWCHAR) string",
                    )
                })?,
            )
        }
        c::BINARY => {
            let bytes = text_bytes(src, 1)?;
            Value::Text(String::from_utf8_lossy(&bytes).into_owned())
        }
        c::BIT => Value::Bool(get::<u8>(ptr) != 0),
        c::STINYINT => Value::Int(get::<i8>(ptr).into()),
        c::UTINYINT => Value::Int(get::<u8>(ptr).into()),
        c::SSHORT => Value::Int(get::<i16>(ptr).into()),
        c::USHORT => Value::Int(get::<u16>(ptr).into()),
        c::SLONG => Value::Int(get::<i32>(ptr).into()),
        c::ULONG => Value::Int(get::<u32>(ptr).into()),
        c::SBIGINT => Value::Int(get::<i64>(ptr)),
        c::UBIGINT => {
            let v = get::<u64>(ptr);
            Value::Int(i64::try_from(v).map_err(|_| {
                OdbcError::new(SqlState::NumericOutOfRange, "Parameter value out of range")
            })?)
        }
        c::DOUBLE => Value::Double(get::<f64>(ptr)),
        c::FLOAT => Value::Double(f64::from(get::<f32>(ptr))),
        c::NUMERIC => {
            let n = get::<odbc_sys::Numeric>(ptr);
            let mantissa = u128::from_le_bytes(n.val);
            let magnitude = mantissa as f64 / 10f64.powi(i32::from(n.scale));
            let v = if n.sign == 0 { -magnitude } else { magnitude };
            if n.scale <= 0 && v.fract() == 0.0 && v.abs() < 9.2e18 {
                Value::Int(v as i64)
            } else {
                Value::Double(v)
            }
        }
        c::TYPE_DATE => {
            let d = get::<odbc_sys::Date>(ptr);
            Value::Date(date_from_parts(i32::from(d.year), d.month, d.day)?)
        }
        c::TYPE_TIME => {
            let t = get::<odbc_sys::Time>(ptr);
            Value::Time(time_from_parts(t.hour, t.minute, t.second)?)
        }
        c::TYPE_TIMESTAMP => {
            let t = get::<odbc_sys::Timestamp>(ptr);
            let date = date_from_parts(i32::from(t.year), t.month, t.day)?;
            let time = time_from_parts(t.hour, t.minute, t.second)?;
            if t.fraction >= 1_000_000_000 {
                return Err(datetime_overflow());
            }
            Value::Timestamp(Timestamp {
                date,
                time,
                nanos: t.fraction,
            })
        }
        other => {
            return Err(OdbcError::new(
                SqlState::InvalidApplicationBufferType,
                format!("C type {other} is not supported for parameters"),
            ));
        }
    })
}

fn datetime_overflow() -> OdbcError {
    OdbcError::new(
        SqlState::DatetimeFieldOverflow,
        "Datetime field overflow in a parameter",
    )
}

fn date_from_parts(year: i32, month: u16, day: u16) -> Result<Date> {
    let month = u8::try_from(month).map_err(|_| datetime_overflow())?;
    let day = u8::try_from(day).map_err(|_| datetime_overflow())?;
    Date::new(year, month, day).ok_or_else(datetime_overflow)
}

fn time_from_parts(hour: u16, minute: u16, second: u16) -> Result<Time> {
    let part = |v: u16| u8::try_from(v).map_err(|_| datetime_overflow());
    Time::new(part(hour)?, part(minute)?, part(second)?).ok_or_else(datetime_overflow)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src<T>(c_type: i16, v: &T, indicator: Option<isize>) -> Source {
        Source {
            c_type,
            ptr: (v as *const T).cast(),
            buffer_len: std::mem::size_of::<T>() as isize,
            indicator,
        }
    }

    #[test]
    fn nts_and_counted_text() {
        let s = b"hello\0junk";
        let v = unsafe {
            read_value(
                &Source {
                    c_type: c::CHAR,
                    ptr: s.as_ptr().cast(),
                    buffer_len: 10,
                    indicator: Some(SQL_NTS),
                },
                DataType::WVarchar(10),
            )
        }
        .unwrap();
        assert_eq!(v, Value::Text("hello".into()));
        let v = unsafe {
            read_value(
                &Source {
                    c_type: c::CHAR,
                    ptr: s.as_ptr().cast(),
                    buffer_len: 10,
                    indicator: Some(3),
                },
                DataType::WVarchar(10),
            )
        }
        .unwrap();
        assert_eq!(v, Value::Text("hel".into()));
        let w: Vec<u16> = "é😀\0".encode_utf16().collect();
        let v = unsafe {
            read_value(
                &Source {
                    c_type: c::WCHAR,
                    ptr: w.as_ptr().cast(),
                    buffer_len: 0,
                    indicator: Some(SQL_NTS),
                },
                DataType::WVarchar(10),
            )
        }
        .unwrap();
        assert_eq!(v, Value::Text("é😀".into()));
    }

    #[test]
    fn numbers_dates_and_null() {
        assert_eq!(
            unsafe { read_value(&src(c::SLONG, &-5i32, None), DataType::Integer) }.unwrap(),
            Value::Int(-5)
        );
        assert_eq!(
            unsafe { read_value(&src(c::DOUBLE, &2.5f64, None), DataType::Double) }.unwrap(),
            Value::Double(2.5)
        );
        assert_eq!(
            unsafe {
                read_value(
                    &src(c::SLONG, &1i32, Some(SQL_NULL_DATA)),
                    DataType::Integer,
                )
            }
            .unwrap(),
            Value::Null
        );
        let d = odbc_sys::Date {
            year: 2026,
            month: 1,
            day: 15,
        };
        assert_eq!(
            unsafe { read_value(&src(c::TYPE_DATE, &d, None), DataType::Date) }.unwrap(),
            Value::Date(Date::new(2026, 1, 15).unwrap())
        );
        let bad = odbc_sys::Date {
            year: 2026,
            month: 2,
            day: 30,
        };
        assert_eq!(
            unsafe { read_value(&src(c::TYPE_DATE, &bad, None), DataType::Date) }
                .unwrap_err()
                .state,
            SqlState::DatetimeFieldOverflow
        );
    }
}
