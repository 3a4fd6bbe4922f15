//! Conversions between SQL values: explicit CAST targets, the implicit
//! conversions expressions need (numbers from text, a CASE branch into the
//! CASE's type) and the coercion of a text literal compared with a typed
//! operand.
//!
//! States: text that does not convert -> 22018 (as ISO SQL and the ODBC
//! conversion tables say for character sources), a value outside the target's
//! range -> 22003.

use sqlparser::ast::{
    CharacterLength, ExactNumberInfo, ObjectNamePart, TimezoneInfo, TypeModifier,
};

use crate::diag::{OdbcError, SqlState};
use crate::types::{DataType, LONG_TEXT_MAX};
use crate::value::{format_double, Date, Time, Timestamp, Value};

use super::expr::EvalEnv;

/// Length given to text whose size nothing bounds (a parameter, a function
/// result that cannot be sized from its inputs).
pub const DEFAULT_TEXT_LENGTH: u32 = 4000;

/// Largest DECIMAL/NUMERIC precision accepted (ISO SQL's usual maximum).
const MAX_DECIMAL_PRECISION: u64 = 38;

/// What a CAST converts to: the driver type plus what it does not carry
/// (integer ranges, decimal scale, text length).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CastTarget {
    /// TINYINT, SMALLINT, INTEGER: all reported as INTEGER, range-checked.
    Integer {
        min: i64,
        max: i64,
    },
    BigInt,
    Double,
    /// DECIMAL/NUMERIC(p, s): a double rounded to `scale` digits, with at
    /// most `precision - scale` integral digits.
    Decimal {
        precision: Option<u32>,
        scale: u32,
    },
    /// CHAR(n) pads to n; VARCHAR(n) does not; both truncate to n. Without a
    /// length the text is not cut (CHAR alone is CHAR(1) in ISO SQL, but
    /// applications writing `CAST(x AS CHAR)` mean "as text", as MySQL reads
    /// it).
    Text {
        length: Option<u32>,
        fixed: bool,
    },
    LongText,
    Bit,
    Date,
    Time,
    Timestamp,
}

fn cast_error(message: String) -> OdbcError {
    OdbcError::new(SqlState::InvalidCharacterValueForCast, message)
}

fn out_of_range(message: String) -> OdbcError {
    OdbcError::new(SqlState::NumericOutOfRange, message)
}

fn unsupported_type(data_type: &sqlparser::ast::DataType) -> OdbcError {
    OdbcError::syntax(format!(
        "Syntax error: data type {data_type} is not supported"
    ))
}

fn char_length(length: &Option<CharacterLength>) -> Result<Option<u32>, OdbcError> {
    match length {
        None => Ok(None),
        Some(CharacterLength::Max) => Ok(None),
        Some(CharacterLength::IntegerLength { length, .. }) => match u32::try_from(*length) {
            Ok(n) if (1..=LONG_TEXT_MAX).contains(&n) => Ok(Some(n)),
            _ => Err(OdbcError::syntax(format!(
                "Syntax error: invalid character length {length}"
            ))),
        },
    }
}

fn decimal(info: &ExactNumberInfo) -> Result<CastTarget, OdbcError> {
    let (precision, scale) = match *info {
        ExactNumberInfo::None => (None, 0),
        ExactNumberInfo::Precision(p) => (Some(p), 0),
        ExactNumberInfo::PrecisionAndScale(p, s) => (Some(p), s),
    };
    let valid_precision = precision.map_or(true, |p| (1..=MAX_DECIMAL_PRECISION).contains(&p));
    let valid_scale = scale >= 0
        && precision.map_or(true, |p| scale as u64 <= p)
        && scale as u64 <= MAX_DECIMAL_PRECISION;
    if !valid_precision || !valid_scale {
        return Err(OdbcError::syntax(format!(
            "Syntax error: invalid DECIMAL precision or scale ({info})"
        )));
    }
    Ok(CastTarget::Decimal {
        precision: precision.map(|p| p as u32),
        scale: scale as u32,
    })
}

/// ODBC type names sqlparser does not know (WVARCHAR, NCHAR, ...) arrive as
/// custom types.
fn custom_type(
    name: &str,
    modifiers: &[TypeModifier],
    data_type: &sqlparser::ast::DataType,
) -> Result<CastTarget, OdbcError> {
    let length = match modifiers {
        [] => None,
        [TypeModifier::Number(n, _)] => match n.parse::<u32>() {
            Ok(n) if (1..=LONG_TEXT_MAX).contains(&n) => Some(n),
            _ => {
                return Err(OdbcError::syntax(format!(
                    "Syntax error: invalid length in {data_type}"
                )))
            }
        },
        _ => return Err(unsupported_type(data_type)),
    };
    match name.to_ascii_uppercase().as_str() {
        "WVARCHAR" | "NVARCHAR2" | "VARCHAR2" => Ok(CastTarget::Text {
            length,
            fixed: false,
        }),
        "WCHAR" | "NCHAR" => Ok(CastTarget::Text {
            length,
            fixed: length.is_some(),
        }),
        "WLONGVARCHAR" | "LONGVARCHAR" | "NTEXT" if length.is_none() => Ok(CastTarget::LongText),
        _ => Err(unsupported_type(data_type)),
    }
}

impl CastTarget {
    /// The target a CAST (or CONVERT) names.
    pub fn from_ast(data_type: &sqlparser::ast::DataType) -> Result<CastTarget, OdbcError> {
        use sqlparser::ast::DataType as T;
        Ok(match data_type {
            T::TinyInt(_) => CastTarget::Integer {
                min: i64::from(i8::MIN),
                max: i64::from(i8::MAX),
            },
            T::SmallInt(_) | T::Int2(_) => CastTarget::Integer {
                min: i64::from(i16::MIN),
                max: i64::from(i16::MAX),
            },
            T::Int(_) | T::Integer(_) | T::Int4(_) | T::Int32 | T::Signed | T::SignedInteger => {
                CastTarget::Integer {
                    min: i64::from(i32::MIN),
                    max: i64::from(i32::MAX),
                }
            }
            T::BigInt(_) | T::Int8(_) | T::Int64 => CastTarget::BigInt,
            T::Double(_)
            | T::DoublePrecision
            | T::Float(_)
            | T::Float4
            | T::Float8
            | T::Float32
            | T::Float64
            | T::Real => CastTarget::Double,
            T::Decimal(info) | T::Numeric(info) | T::Dec(info) => decimal(info)?,
            T::Char(length) | T::Character(length) => {
                let length = char_length(length)?;
                CastTarget::Text {
                    length,
                    fixed: length.is_some(),
                }
            }
            T::Varchar(length)
            | T::Nvarchar(length)
            | T::CharacterVarying(length)
            | T::CharVarying(length) => match length {
                Some(CharacterLength::Max) => CastTarget::LongText,
                _ => CastTarget::Text {
                    length: char_length(length)?,
                    fixed: false,
                },
            },
            T::String(None) => CastTarget::Text {
                length: None,
                fixed: false,
            },
            T::Text
            | T::MediumText
            | T::LongText
            | T::Clob(_)
            | T::CharacterLargeObject(_)
            | T::CharLargeObject(_) => CastTarget::LongText,
            T::Bit(None) | T::Bit(Some(1)) | T::Bool | T::Boolean => CastTarget::Bit,
            T::Date => CastTarget::Date,
            T::Time(_, TimezoneInfo::None | TimezoneInfo::WithoutTimeZone) => CastTarget::Time,
            T::Timestamp(_, TimezoneInfo::None | TimezoneInfo::WithoutTimeZone)
            | T::Datetime(_)
            | T::TimestampNtz(_) => CastTarget::Timestamp,
            T::Custom(name, modifiers) => match name.0.as_slice() {
                [ObjectNamePart::Identifier(ident)] => {
                    custom_type(&ident.value, modifiers, data_type)?
                }
                _ => return Err(unsupported_type(data_type)),
            },
            _ => return Err(unsupported_type(data_type)),
        })
    }

    /// The plain conversion into a driver type, as implicit conversions use
    /// it (no length limit, full integer range).
    pub fn implicit(data_type: DataType) -> CastTarget {
        match data_type {
            DataType::Bit => CastTarget::Bit,
            DataType::SmallInt | DataType::Integer | DataType::BigInt => CastTarget::BigInt,
            DataType::Double => CastTarget::Double,
            DataType::WVarchar(_) => CastTarget::Text {
                length: None,
                fixed: false,
            },
            DataType::WLongVarchar => CastTarget::LongText,
            DataType::Date => CastTarget::Date,
            DataType::Time => CastTarget::Time,
            DataType::Timestamp => CastTarget::Timestamp,
        }
    }

    /// The type of `CAST(<source-typed value> AS self)`.
    pub fn result_type(&self, source: DataType) -> DataType {
        match *self {
            CastTarget::Integer { .. } => DataType::Integer,
            CastTarget::BigInt => DataType::BigInt,
            CastTarget::Double | CastTarget::Decimal { .. } => DataType::Double,
            CastTarget::Text {
                length: Some(n), ..
            } => DataType::WVarchar(n),
            CastTarget::Text { length: None, .. } => match source {
                DataType::WVarchar(_) | DataType::WLongVarchar => source,
                other => DataType::WVarchar(text_length(other).unwrap_or(DEFAULT_TEXT_LENGTH)),
            },
            CastTarget::LongText => DataType::WLongVarchar,
            CastTarget::Bit => DataType::Bit,
            CastTarget::Date => DataType::Date,
            CastTarget::Time => DataType::Time,
            CastTarget::Timestamp => DataType::Timestamp,
        }
    }

    /// Rejects conversions no value of `source` can make (numbers to dates
    /// and back, DATE to TIME, TIME to DATE) when the statement is compiled.
    pub fn check_source(&self, source: DataType) -> Result<(), OdbcError> {
        let allowed = match self {
            CastTarget::Text { .. } | CastTarget::LongText => true,
            CastTarget::Integer { .. }
            | CastTarget::BigInt
            | CastTarget::Double
            | CastTarget::Decimal { .. }
            | CastTarget::Bit => source.is_numeric() || source.is_text(),
            CastTarget::Date => {
                matches!(source, DataType::Date | DataType::Timestamp) || source.is_text()
            }
            CastTarget::Time => {
                matches!(source, DataType::Time | DataType::Timestamp) || source.is_text()
            }
            CastTarget::Timestamp => {
                matches!(
                    source,
                    DataType::Date | DataType::Time | DataType::Timestamp
                ) || source.is_text()
            }
        };
        if allowed {
            Ok(())
        } else {
            Err(OdbcError::syntax(format!(
                "Syntax error: cannot convert {} to {}",
                source.type_name(),
                self.result_type(source).type_name()
            )))
        }
    }

    /// Converts one value (NULL stays NULL).
    pub fn apply(&self, value: Value, env: &EvalEnv) -> Result<Value, OdbcError> {
        if value.is_null() {
            return Ok(Value::Null);
        }
        match *self {
            CastTarget::Integer { min, max } => {
                let n = to_i64(&value)?;
                if n < min || n > max {
                    return Err(out_of_range(format!(
                        "Numeric value out of range: {n} does not fit the target integer type"
                    )));
                }
                Ok(Value::Int(n))
            }
            CastTarget::BigInt => Ok(Value::Int(to_i64(&value)?)),
            CastTarget::Double => Ok(Value::Double(to_f64(&value)?)),
            CastTarget::Decimal { precision, scale } => {
                let rounded = round_to_scale(to_f64(&value)?, i64::from(scale))?;
                if let Some(p) = precision {
                    let limit = 10f64.powi(p as i32 - scale as i32);
                    if rounded.abs() >= limit {
                        return Err(out_of_range(format!(
                            "Numeric value out of range: {} does not fit DECIMAL({p},{scale})",
                            format_double(rounded)
                        )));
                    }
                }
                Ok(Value::Double(rounded))
            }
            CastTarget::Text { length, fixed } => {
                let text = value.to_text().unwrap_or_default();
                Ok(Value::Text(match length {
                    Some(n) => fit_text(text, n as usize, fixed),
                    None => text,
                }))
            }
            CastTarget::LongText => Ok(Value::Text(value.to_text().unwrap_or_default())),
            CastTarget::Bit => to_bool(&value).map(Value::Bool),
            CastTarget::Date => match value {
                Value::Date(_) => Ok(value),
                Value::Timestamp(ts) => Ok(Value::Date(ts.date)),
                Value::Text(ref text) => parse_date_text(text).map(Value::Date),
                other => Err(not_convertible(&other, "DATE")),
            },
            CastTarget::Time => match value {
                Value::Time(_) => Ok(value),
                Value::Timestamp(ts) => Ok(Value::Time(ts.time)),
                Value::Text(ref text) => parse_time_text(text).map(Value::Time),
                other => Err(not_convertible(&other, "TIME")),
            },
            CastTarget::Timestamp => match value {
                Value::Timestamp(_) => Ok(value),
                Value::Date(date) => Ok(Value::Timestamp(Timestamp::from_date(date))),
                // ISO SQL: a TIME becomes a TIMESTAMP on the current date.
                Value::Time(time) => Ok(Value::Timestamp(Timestamp {
                    date: env.now.date,
                    time,
                    nanos: 0,
                })),
                Value::Text(ref text) => {
                    Timestamp::parse(text).map(Value::Timestamp).ok_or_else(|| {
                        cast_error(format!(
                            "Invalid character value for cast: '{text}' is not a timestamp"
                        ))
                    })
                }
                other => Err(not_convertible(&other, "TIMESTAMP")),
            },
        }
    }
}

fn not_convertible(value: &Value, target: &str) -> OdbcError {
    cast_error(format!(
        "Invalid character value for cast: cannot convert {} to {target}",
        describe(value)
    ))
}

/// A short description of a value for messages (text is quoted, nothing
/// else is long).
fn describe(value: &Value) -> String {
    match value {
        Value::Text(t) => format!("'{}'", t.chars().take(40).collect::<String>()),
        other => other.to_text().unwrap_or_else(|| "NULL".into()),
    }
}

/// Cuts `text` to `length` characters and, for CHAR(n), pads it with spaces.
fn fit_text(text: String, length: usize, pad: bool) -> String {
    let count = text.chars().count();
    if count > length {
        text.chars().take(length).collect()
    } else if pad && count < length {
        let mut padded = text;
        padded.push_str(&" ".repeat(length - count));
        padded
    } else {
        text
    }
}

/// Characters the text form of a value of `data_type` can take; `None` for
/// long text.
pub fn text_length(data_type: DataType) -> Option<u32> {
    match data_type {
        DataType::WLongVarchar => None,
        DataType::WVarchar(n) => Some(n),
        // Timestamps may carry up to nine fraction digits: 19 + 1 + 9.
        DataType::Timestamp => Some(29),
        other => Some(other.display_size()),
    }
}

/// Whether `text` (already trimmed) is an ISO SQL signed numeric literal:
/// `[+-]digits[.digits][E[+-]digits]` or `[+-].digits...`. Rust's float
/// parser alone would also take "inf" and "NaN".
fn is_numeric_literal(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let int_digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    i += int_digits;
    let mut frac_digits = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        frac_digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        i += frac_digits;
    }
    if int_digits + frac_digits == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exp_digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if exp_digits == 0 {
            return false;
        }
        i += exp_digits;
    }
    i == b.len()
}

/// Reads text as a number: `Int` when it is an integer literal that fits
/// i64, else `Double`; `None` when it is not a numeric literal.
pub fn parse_number(text: &str) -> Option<Value> {
    let text = text.trim();
    if !is_numeric_literal(text) {
        return None;
    }
    if let Ok(n) = text.parse::<i64>() {
        return Some(Value::Int(n));
    }
    text.parse::<f64>()
        .ok()
        .filter(|d| d.is_finite())
        .map(Value::Double)
}

/// A double truncated toward zero into i64 (ISO SQL leaves rounding vs
/// truncation to the implementation; ODBC's conversions truncate).
pub fn f64_to_i64(d: f64) -> Result<i64, OdbcError> {
    // i64::MAX is not representable as f64; 2^63 is the exclusive bound
    // (NaN is outside every range).
    const TWO_POW_63: f64 = 9_223_372_036_854_775_808.0;
    let t = d.trunc();
    if !(-TWO_POW_63..TWO_POW_63).contains(&t) {
        return Err(out_of_range(format!(
            "Numeric value out of range: {} does not fit BIGINT",
            format_double(d)
        )));
    }
    Ok(t as i64)
}

/// A value as an integer (text is parsed, fractions truncated).
pub fn to_i64(value: &Value) -> Result<i64, OdbcError> {
    match value {
        Value::Int(n) => Ok(*n),
        Value::Bool(b) => Ok(i64::from(*b)),
        Value::Double(d) => f64_to_i64(*d),
        Value::Text(text) => match parse_number(text) {
            Some(Value::Int(n)) => Ok(n),
            Some(Value::Double(d)) => f64_to_i64(d),
            _ => Err(cast_error(format!(
                "Invalid character value for cast: '{}' is not a number",
                text.trim()
            ))),
        },
        other => Err(not_convertible(other, "a number")),
    }
}

/// A value as a double (text is parsed).
pub fn to_f64(value: &Value) -> Result<f64, OdbcError> {
    match value {
        Value::Int(n) => Ok(*n as f64),
        Value::Bool(b) => Ok(f64::from(u8::from(*b))),
        Value::Double(d) => Ok(*d),
        Value::Text(text) => match parse_number(text) {
            Some(Value::Int(n)) => Ok(n as f64),
            Some(Value::Double(d)) => Ok(d),
            _ => Err(cast_error(format!(
                "Invalid character value for cast: '{}' is not a number",
                text.trim()
            ))),
        },
        other => Err(not_convertible(other, "a number")),
    }
}

/// A value as a number (`Int` or `Double`), text parsed.
pub fn to_number(value: &Value) -> Result<Value, OdbcError> {
    match value {
        Value::Int(_) | Value::Double(_) => Ok(value.clone()),
        Value::Bool(b) => Ok(Value::Int(i64::from(*b))),
        Value::Text(text) => parse_number(text).ok_or_else(|| {
            cast_error(format!(
                "Invalid character value for cast: '{}' is not a number",
                text.trim()
            ))
        }),
        other => Err(not_convertible(other, "a number")),
    }
}

/// A value as a BIT: numbers are true when non-zero; text is TRUE/FALSE
/// (any case) or a number.
pub fn to_bool(value: &Value) -> Result<bool, OdbcError> {
    match value {
        Value::Bool(b) => Ok(*b),
        Value::Int(n) => Ok(*n != 0),
        Value::Double(d) => Ok(*d != 0.0),
        Value::Text(text) => {
            let trimmed = text.trim();
            if trimmed.eq_ignore_ascii_case("true") {
                Ok(true)
            } else if trimmed.eq_ignore_ascii_case("false") {
                Ok(false)
            } else {
                match parse_number(trimmed) {
                    Some(n) => to_bool(&n),
                    None => Err(cast_error(format!(
                        "Invalid character value for cast: '{trimmed}' is not a BIT value"
                    ))),
                }
            }
        }
        other => Err(not_convertible(other, "BIT")),
    }
}

/// Text as a date: `YYYY-MM-DD` or a timestamp form (its date part).
pub fn parse_date_text(text: &str) -> Result<Date, OdbcError> {
    Date::parse(text)
        .or_else(|| Timestamp::parse(text).map(|ts| ts.date))
        .ok_or_else(|| {
            cast_error(format!(
                "Invalid character value for cast: '{}' is not a date",
                text.trim()
            ))
        })
}

/// Text as a time: `HH:MM[:SS]` or a timestamp form (its time part).
pub fn parse_time_text(text: &str) -> Result<Time, OdbcError> {
    Time::parse(text)
        .or_else(|| Timestamp::parse(text).map(|ts| ts.time))
        .ok_or_else(|| {
            cast_error(format!(
                "Invalid character value for cast: '{}' is not a time",
                text.trim()
            ))
        })
}

/// Rounds half away from zero to `scale` decimal digits (negative: left of
/// the decimal point).
pub fn round_to_scale(d: f64, scale: i64) -> Result<f64, OdbcError> {
    scaled(d, scale, f64::round)
}

/// Truncates toward zero to `scale` decimal digits.
pub fn truncate_to_scale(d: f64, scale: i64) -> Result<f64, OdbcError> {
    scaled(d, scale, f64::trunc)
}

fn scaled(d: f64, scale: i64, op: fn(f64) -> f64) -> Result<f64, OdbcError> {
    // Beyond 308 digits either way nothing changes (or everything is 0).
    let scale = scale.clamp(-400, 400) as i32;
    let result = if scale >= 0 {
        if scale > 308 {
            return Ok(d);
        }
        let factor = 10f64.powi(scale);
        let shifted = d * factor;
        if !shifted.is_finite() {
            return Ok(d);
        }
        op(shifted) / factor
    } else {
        if -scale > 308 {
            return Ok(0.0);
        }
        let factor = 10f64.powi(-scale);
        op(d / factor) * factor
    };
    if result.is_finite() {
        Ok(result)
    } else {
        Err(out_of_range(format!(
            "Numeric value out of range: rounding {} overflows",
            format_double(d)
        )))
    }
}

/// Whether `value` is in the variant values of `data_type` are carried in
/// (NULL fits every type).
pub fn is_carried_as(value: &Value, data_type: DataType) -> bool {
    matches!(
        (value, data_type),
        (Value::Null, _)
            | (Value::Bool(_), DataType::Bit)
            | (
                Value::Int(_),
                DataType::SmallInt | DataType::Integer | DataType::BigInt
            )
            | (Value::Double(_), DataType::Double)
            | (
                Value::Text(_),
                DataType::WVarchar(_) | DataType::WLongVarchar
            )
            | (Value::Date(_), DataType::Date)
            | (Value::Time(_), DataType::Time)
            | (Value::Timestamp(_), DataType::Timestamp)
    )
}

/// Converts a value to the variant `data_type` is carried in, when it is
/// not already (a CASE branch into the CASE's type, an integer into a
/// double result). Text is never cut.
pub fn conform(value: Value, data_type: DataType, env: &EvalEnv) -> Result<Value, OdbcError> {
    if is_carried_as(&value, data_type) {
        Ok(value)
    } else {
        CastTarget::implicit(data_type).apply(value, env)
    }
}

/// A text literal compared with (or combined with) an operand of
/// `data_type`, converted to that type once when the statement is compiled,
/// as SQL converts literals. A date column compared with a literal that has
/// a time of day compares as a timestamp rather than losing the time.
pub fn coerce_literal(text: &str, data_type: DataType) -> Result<Value, OdbcError> {
    match data_type {
        DataType::WVarchar(_) | DataType::WLongVarchar => Ok(Value::Text(text.to_string())),
        DataType::SmallInt | DataType::Integer | DataType::BigInt | DataType::Double => {
            let number = to_number(&Value::Text(text.to_string()))?;
            match (data_type, number) {
                (DataType::Double, Value::Int(n)) => Ok(Value::Double(n as f64)),
                (_, number) => Ok(number),
            }
        }
        DataType::Bit => to_bool(&Value::Text(text.to_string())).map(Value::Bool),
        DataType::Date => match Date::parse(text) {
            Some(date) => Ok(Value::Date(date)),
            None => match Timestamp::parse(text) {
                Some(ts) if ts.time.seconds_of_day() == 0 && ts.nanos == 0 => {
                    Ok(Value::Date(ts.date))
                }
                Some(ts) => Ok(Value::Timestamp(ts)),
                None => Err(cast_error(format!(
                    "Invalid character value for cast: '{}' is not a date",
                    text.trim()
                ))),
            },
        },
        DataType::Time => parse_time_text(text).map(Value::Time),
        DataType::Timestamp => Timestamp::parse(text).map(Value::Timestamp).ok_or_else(|| {
            cast_error(format!(
                "Invalid character value for cast: '{}' is not a timestamp",
                text.trim()
            ))
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlparser::ast::Expr as AstExpr;
    use sqlparser::dialect::GenericDialect;
    use sqlparser::parser::Parser;

    fn env() -> EvalEnv {
        EvalEnv {
            now: Timestamp::parse("2025-06-15 12:30:00").unwrap(),
            user: "u".into(),
            database: "d".into(),
            subqueries: Default::default(),
            last_insert_id: Value::Null,
        }
    }

    fn target(type_sql: &str) -> Result<CastTarget, OdbcError> {
        let sql = format!("CAST(x AS {type_sql})");
        let expr = Parser::new(&GenericDialect {})
            .try_with_sql(&sql)
            .unwrap()
            .parse_expr()
            .unwrap();
        match expr {
            AstExpr::Cast { data_type, .. } => CastTarget::from_ast(&data_type),
            other => panic!("not a cast: {other:?}"),
        }
    }

    fn cast(value: Value, type_sql: &str) -> Result<Value, OdbcError> {
        target(type_sql)?.apply(value, &env())
    }

    fn text(s: &str) -> Value {
        Value::Text(s.into())
    }

    #[test]
    fn type_names_map_to_driver_types() {
        let cases = [
            ("INTEGER", DataType::Integer),
            ("INT", DataType::Integer),
            ("SMALLINT", DataType::Integer),
            ("TINYINT", DataType::Integer),
            ("BIGINT", DataType::BigInt),
            ("DOUBLE", DataType::Double),
            ("FLOAT", DataType::Double),
            ("REAL", DataType::Double),
            ("DECIMAL(10,2)", DataType::Double),
            ("NUMERIC(5)", DataType::Double),
            ("CHAR(3)", DataType::WVarchar(3)),
            ("VARCHAR(20)", DataType::WVarchar(20)),
            ("NVARCHAR(7)", DataType::WVarchar(7)),
            ("WVARCHAR(9)", DataType::WVarchar(9)),
            ("WVARCHAR", DataType::WVarchar(11)),
            ("TEXT", DataType::WLongVarchar),
            ("DATE", DataType::Date),
            ("TIME", DataType::Time),
            ("TIMESTAMP", DataType::Timestamp),
            ("DATETIME", DataType::Timestamp),
            ("BIT", DataType::Bit),
            ("BOOLEAN", DataType::Bit),
        ];
        for (name, expected) in cases {
            assert_eq!(
                target(name).unwrap().result_type(DataType::Integer),
                expected,
                "{name}"
            );
        }
        assert_eq!(
            target("VARCHAR")
                .unwrap()
                .result_type(DataType::WVarchar(50)),
            DataType::WVarchar(50)
        );
        assert_eq!(
            target("VARCHAR").unwrap().result_type(DataType::Timestamp),
            DataType::WVarchar(29)
        );
    }

    #[test]
    fn unsupported_and_invalid_types_are_rejected() {
        assert_eq!(target("BLOB").unwrap_err().state, SqlState::SyntaxError);
        assert_eq!(
            target("DECIMAL(5,6)").unwrap_err().state,
            SqlState::SyntaxError
        );
        assert_eq!(
            target("DECIMAL(50,2)").unwrap_err().state,
            SqlState::SyntaxError
        );
        assert_eq!(
            target("TIMESTAMP WITH TIME ZONE").unwrap_err().state,
            SqlState::SyntaxError
        );
    }

    #[test]
    fn integers_from_text_doubles_and_bits() {
        assert_eq!(cast(text(" 42 "), "INTEGER").unwrap(), Value::Int(42));
        assert_eq!(cast(text("-7.9"), "INTEGER").unwrap(), Value::Int(-7));
        assert_eq!(cast(text("1e3"), "INTEGER").unwrap(), Value::Int(1000));
        assert_eq!(cast(Value::Double(2.99), "BIGINT").unwrap(), Value::Int(2));
        assert_eq!(
            cast(Value::Double(-2.99), "BIGINT").unwrap(),
            Value::Int(-2)
        );
        assert_eq!(cast(Value::Bool(true), "INTEGER").unwrap(), Value::Int(1));
        assert_eq!(cast(Value::Null, "INTEGER").unwrap(), Value::Null);
    }

    #[test]
    fn invalid_text_is_22018() {
        for bad in ["abc", "", "1.2.3", "inf", "NaN", "1e", "--1", "0x10"] {
            assert_eq!(
                cast(text(bad), "INTEGER").unwrap_err().state,
                SqlState::InvalidCharacterValueForCast,
                "{bad}"
            );
            assert_eq!(
                cast(text(bad), "DOUBLE").unwrap_err().state,
                SqlState::InvalidCharacterValueForCast,
                "{bad}"
            );
        }
        assert_eq!(
            cast(text("2025-02-30"), "DATE").unwrap_err().state,
            SqlState::InvalidCharacterValueForCast
        );
        assert_eq!(
            cast(text("25:00"), "TIME").unwrap_err().state,
            SqlState::InvalidCharacterValueForCast
        );
        assert_eq!(
            cast(text("yesterday"), "TIMESTAMP").unwrap_err().state,
            SqlState::InvalidCharacterValueForCast
        );
        assert_eq!(
            cast(text("maybe"), "BIT").unwrap_err().state,
            SqlState::InvalidCharacterValueForCast
        );
    }

    #[test]
    fn out_of_range_is_22003() {
        assert_eq!(
            cast(Value::Int(128), "TINYINT").unwrap_err().state,
            SqlState::NumericOutOfRange
        );
        assert_eq!(cast(Value::Int(-128), "TINYINT").unwrap(), Value::Int(-128));
        assert_eq!(
            cast(Value::Int(32768), "SMALLINT").unwrap_err().state,
            SqlState::NumericOutOfRange
        );
        assert_eq!(
            cast(Value::Int(2_147_483_648), "INTEGER")
                .unwrap_err()
                .state,
            SqlState::NumericOutOfRange
        );
        assert_eq!(
            cast(Value::Int(2_147_483_647), "INTEGER").unwrap(),
            Value::Int(2_147_483_647)
        );
        assert_eq!(
            cast(Value::Double(9.3e18), "BIGINT").unwrap_err().state,
            SqlState::NumericOutOfRange
        );
        assert_eq!(
            cast(text("99999999999999999999"), "BIGINT")
                .unwrap_err()
                .state,
            SqlState::NumericOutOfRange
        );
        assert_eq!(
            cast(Value::Double(123.456), "DECIMAL(4,2)")
                .unwrap_err()
                .state,
            SqlState::NumericOutOfRange
        );
    }

    #[test]
    fn decimals_round_half_away_from_zero() {
        assert_eq!(
            cast(Value::Double(123.456), "DECIMAL(10,2)").unwrap(),
            Value::Double(123.46)
        );
        assert_eq!(
            cast(Value::Double(-2.5), "DECIMAL(10,0)").unwrap(),
            Value::Double(-3.0)
        );
        assert_eq!(
            cast(Value::Double(2.5), "NUMERIC").unwrap(),
            Value::Double(3.0)
        );
        assert_eq!(
            cast(text("1.005e1"), "DECIMAL(5,1)").unwrap(),
            Value::Double(10.1)
        );
        assert_eq!(
            cast(Value::Int(99), "DECIMAL(2,0)").unwrap(),
            Value::Double(99.0)
        );
        assert_eq!(
            cast(Value::Int(100), "DECIMAL(2,0)").unwrap_err().state,
            SqlState::NumericOutOfRange
        );
    }

    #[test]
    fn text_targets_truncate_and_pad() {
        assert_eq!(cast(text("abcdef"), "VARCHAR(3)").unwrap(), text("abc"));
        assert_eq!(cast(text("ab"), "CHAR(4)").unwrap(), text("ab  "));
        assert_eq!(cast(text("ab"), "VARCHAR(4)").unwrap(), text("ab"));
        assert_eq!(cast(text("züri"), "CHAR(2)").unwrap(), text("zü"));
        assert_eq!(cast(Value::Double(2.5), "VARCHAR").unwrap(), text("2.5"));
        assert_eq!(cast(Value::Double(3.0), "CHAR").unwrap(), text("3"));
        assert_eq!(cast(Value::Bool(true), "VARCHAR(5)").unwrap(), text("1"));
        let ts = Timestamp::parse("2025-01-02 03:04:05").unwrap();
        assert_eq!(
            cast(Value::Timestamp(ts), "TEXT").unwrap(),
            text("2025-01-02 03:04:05")
        );
    }

    #[test]
    fn datetime_conversions() {
        let ts = Timestamp::parse("2025-01-02 03:04:05").unwrap();
        assert_eq!(
            cast(text("2025-01-02"), "DATE").unwrap(),
            Value::Date(ts.date)
        );
        assert_eq!(
            cast(text("2025-01-02 03:04:05"), "DATE").unwrap(),
            Value::Date(ts.date)
        );
        assert_eq!(
            cast(Value::Timestamp(ts), "DATE").unwrap(),
            Value::Date(ts.date)
        );
        assert_eq!(
            cast(Value::Timestamp(ts), "TIME").unwrap(),
            Value::Time(ts.time)
        );
        assert_eq!(
            cast(text("03:04:05"), "TIME").unwrap(),
            Value::Time(ts.time)
        );
        assert_eq!(
            cast(text("2025-01-02T03:04:05Z"), "TIMESTAMP").unwrap(),
            Value::Timestamp(ts)
        );
        assert_eq!(
            cast(Value::Date(ts.date), "TIMESTAMP").unwrap(),
            Value::Timestamp(Timestamp::from_date(ts.date))
        );
        // A TIME becomes a timestamp on the statement's current date.
        let t = cast(Value::Time(ts.time), "TIMESTAMP").unwrap();
        assert_eq!(
            t,
            Value::Timestamp(Timestamp {
                date: env().now.date,
                time: ts.time,
                nanos: 0
            })
        );
        assert_eq!(
            cast(Value::Int(5), "DATE").unwrap_err().state,
            SqlState::InvalidCharacterValueForCast
        );
    }

    #[test]
    fn bits_from_numbers_and_words() {
        assert_eq!(cast(Value::Int(0), "BIT").unwrap(), Value::Bool(false));
        assert_eq!(cast(Value::Int(-3), "BIT").unwrap(), Value::Bool(true));
        assert_eq!(cast(text("TRUE"), "BOOLEAN").unwrap(), Value::Bool(true));
        assert_eq!(cast(text(" false "), "BIT").unwrap(), Value::Bool(false));
        assert_eq!(cast(text("1"), "BIT").unwrap(), Value::Bool(true));
    }

    #[test]
    fn impossible_source_types_are_rejected_at_compile_time() {
        assert_eq!(
            target("DATE")
                .unwrap()
                .check_source(DataType::Integer)
                .unwrap_err()
                .state,
            SqlState::SyntaxError
        );
        assert!(target("DATE")
            .unwrap()
            .check_source(DataType::Time)
            .is_err());
        assert!(target("TIME")
            .unwrap()
            .check_source(DataType::Date)
            .is_err());
        assert!(target("INTEGER")
            .unwrap()
            .check_source(DataType::Timestamp)
            .is_err());
        assert!(target("INTEGER")
            .unwrap()
            .check_source(DataType::WVarchar(5))
            .is_ok());
        assert!(target("VARCHAR(5)")
            .unwrap()
            .check_source(DataType::Date)
            .is_ok());
        assert!(target("TIMESTAMP")
            .unwrap()
            .check_source(DataType::Time)
            .is_ok());
    }

    #[test]
    fn literals_coerce_to_the_compared_type() {
        assert_eq!(
            coerce_literal("42", DataType::Integer).unwrap(),
            Value::Int(42)
        );
        assert_eq!(
            coerce_literal("4.5", DataType::Integer).unwrap(),
            Value::Double(4.5)
        );
        assert_eq!(
            coerce_literal("4", DataType::Double).unwrap(),
            Value::Double(4.0)
        );
        assert_eq!(
            coerce_literal("true", DataType::Bit).unwrap(),
            Value::Bool(true)
        );
        let date = Date::new(2025, 1, 2).unwrap();
        assert_eq!(
            coerce_literal("2025-01-02", DataType::Date).unwrap(),
            Value::Date(date)
        );
        assert_eq!(
            coerce_literal("2025-01-02 00:00:00", DataType::Date).unwrap(),
            Value::Date(date)
        );
        assert!(matches!(
            coerce_literal("2025-01-02 10:00:00", DataType::Date).unwrap(),
            Value::Timestamp(_)
        ));
        assert_eq!(
            coerce_literal("abc", DataType::Integer).unwrap_err().state,
            SqlState::InvalidCharacterValueForCast
        );
        assert_eq!(
            coerce_literal("abc", DataType::Date).unwrap_err().state,
            SqlState::InvalidCharacterValueForCast
        );
    }

    #[test]
    fn conform_only_converts_mismatched_variants() {
        assert_eq!(
            conform(Value::Int(3), DataType::Double, &env()).unwrap(),
            Value::Double(3.0)
        );
        assert_eq!(
            conform(Value::Int(3), DataType::WVarchar(5), &env()).unwrap(),
            text("3")
        );
        assert_eq!(
            conform(text("abcdef"), DataType::WVarchar(2), &env()).unwrap(),
            text("abcdef")
        );
        let date = Date::new(2025, 1, 2).unwrap();
        assert_eq!(
            conform(Value::Date(date), DataType::Timestamp, &env()).unwrap(),
            Value::Timestamp(Timestamp::from_date(date))
        );
    }

    #[test]
    fn rounding_and_truncation_to_scale() {
        assert_eq!(round_to_scale(1234.5678, 2).unwrap(), 1234.57);
        assert_eq!(round_to_scale(1234.5678, -2).unwrap(), 1200.0);
        assert_eq!(round_to_scale(-1250.0, -2).unwrap(), -1300.0);
        assert_eq!(truncate_to_scale(1234.5678, 2).unwrap(), 1234.56);
        assert_eq!(truncate_to_scale(-1234.5678, -2).unwrap(), -1200.0);
        assert_eq!(round_to_scale(1.5, 500).unwrap(), 1.5);
        assert_eq!(round_to_scale(1.5, -500).unwrap(), 0.0);
    }
}
