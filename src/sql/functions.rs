//! The ODBC scalar functions (ODBC 3.8 appendix E): names, argument
//! signatures, result types and evaluation.
//!
//! Every function here is strict: `Expr::Function` yields NULL as soon as an
//! argument is NULL, so `eval` only sees non-NULL values. Arguments arrive
//! as whatever values the operands produced; text-taking functions read
//! other values in their text form, number-taking ones parse text (22018
//! when it is not a number), date functions parse text in the date forms.

use std::borrow::Cow;
use std::sync::atomic::{AtomicU64, Ordering};

use once_cell::sync::Lazy;

use crate::diag::{OdbcError, SqlState};
use crate::types::DataType;
use crate::value::{format_double, Value};

use super::cast::{self, text_length, DEFAULT_TEXT_LENGTH};
use super::datetime::{self, IntervalUnit};
use super::expr::{EvalEnv, Expr, TypedExpr};

/// Largest text (in bytes) a function may build: REPEAT('x', 1e12) must be
/// an error, not an allocation failure that aborts the host process.
pub const MAX_RESULT_BYTES: usize = 16 * 1024 * 1024;

/// Length of USER() and DATABASE() results.
const NAME_LENGTH: u32 = 128;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrimSide {
    Both,
    Leading,
    Trailing,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ScalarFunction {
    // String functions.
    Ascii,
    /// BIT_LENGTH of character data: UTF-8 bits.
    BitLength,
    Char,
    /// CHAR_LENGTH / CHARACTER_LENGTH of character data.
    CharLength,
    Concat,
    /// DIFFERENCE(a, b): how many of the four SOUNDEX characters agree.
    Difference,
    Insert,
    Lower,
    Left,
    Length,
    /// LOCATE(needle, haystack[, start]) and POSITION(needle IN haystack).
    Locate,
    LTrim,
    /// OCTET_LENGTH of character data: UTF-8 bytes.
    OctetLength,
    /// CHAR_LENGTH / OCTET_LENGTH / BIT_LENGTH of a non-character operand:
    /// ODBC defines it by the operand's size, fixed by its type.
    TypeLength(i64),
    Repeat,
    Replace,
    Right,
    RTrim,
    Soundex,
    Space,
    Substring,
    /// TRIM([side] [chars FROM] x): arguments are x and optionally the
    /// characters to remove (default a space).
    Trim(TrimSide),
    Upper,
    // Numeric functions.
    Abs,
    Acos,
    Asin,
    Atan,
    Atan2,
    Ceiling,
    Cos,
    Cot,
    Degrees,
    Exp,
    Floor,
    Log,
    Log10,
    Mod,
    Pi,
    Power,
    Radians,
    Rand,
    Round,
    Sign,
    Sin,
    Sqrt,
    Tan,
    Truncate,
    // Date and time functions.
    CurrentDate,
    CurrentTime,
    CurrentTimestamp,
    DayName,
    DayOfMonth,
    DayOfWeek,
    DayOfYear,
    Hour,
    Minute,
    Month,
    MonthName,
    Quarter,
    Second,
    Week,
    Year,
    /// TIMESTAMPADD(unit, count, ts): arguments are count and ts.
    TimestampAdd(IntervalUnit),
    /// TIMESTAMPDIFF(unit, a, b): arguments are a and b.
    TimestampDiff(IntervalUnit),
    // System functions.
    Database,
    User,
    /// LAST_INSERT_ID() / SCOPE_IDENTITY(): the connection's last created
    /// integer id (NULL before any INSERT, or when the id is a UUID).
    LastInsertId,
}

/// What an argument position takes; decides compile-time checks and the
/// type an untyped parameter there is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgKind {
    /// Any value, read as text.
    Text,
    /// A number used as a count or position (parameters become INTEGER).
    Integer,
    /// Any number (parameters become DOUBLE).
    Numeric,
    /// A DATE, TIME or TIMESTAMP (or text in their forms).
    DateTime,
    /// A date-bearing value: DATE or TIMESTAMP (or text).
    Date,
    /// Anything at all.
    Any,
}

/// Looks a function up by name (any case). TIMESTAMPADD, TIMESTAMPDIFF,
/// COALESCE, IFNULL and NULLIF are compiled specially and are not here.
pub fn lookup(name: &str) -> Option<ScalarFunction> {
    use ScalarFunction as F;
    Some(match name.to_ascii_uppercase().as_str() {
        "ASCII" => F::Ascii,
        "BIT_LENGTH" => F::BitLength,
        "CHAR" | "CHR" => F::Char,
        "CHAR_LENGTH" | "CHARACTER_LENGTH" => F::CharLength,
        "CONCAT" => F::Concat,
        "DIFFERENCE" => F::Difference,
        "INSERT" => F::Insert,
        "LCASE" | "LOWER" => F::Lower,
        "LEFT" => F::Left,
        "LENGTH" => F::Length,
        "LOCATE" | "POSITION" => F::Locate,
        "LTRIM" => F::LTrim,
        "OCTET_LENGTH" => F::OctetLength,
        "REPEAT" => F::Repeat,
        "REPLACE" => F::Replace,
        "RIGHT" => F::Right,
        "RTRIM" => F::RTrim,
        "SOUNDEX" => F::Soundex,
        "SPACE" => F::Space,
        "SUBSTRING" | "SUBSTR" => F::Substring,
        "TRIM" => F::Trim(TrimSide::Both),
        "UCASE" | "UPPER" => F::Upper,
        "ABS" => F::Abs,
        "ACOS" => F::Acos,
        "ASIN" => F::Asin,
        "ATAN" => F::Atan,
        "ATAN2" => F::Atan2,
        "CEILING" | "CEIL" => F::Ceiling,
        "COS" => F::Cos,
        "COT" => F::Cot,
        "DEGREES" => F::Degrees,
        "EXP" => F::Exp,
        "FLOOR" => F::Floor,
        "LOG" | "LN" => F::Log,
        "LOG10" => F::Log10,
        "MOD" => F::Mod,
        "PI" => F::Pi,
        "POWER" | "POW" => F::Power,
        "RADIANS" => F::Radians,
        "RAND" => F::Rand,
        "ROUND" => F::Round,
        "SIGN" => F::Sign,
        "SIN" => F::Sin,
        "SQRT" => F::Sqrt,
        "TAN" => F::Tan,
        "TRUNCATE" => F::Truncate,
        "CURDATE" | "CURRENT_DATE" => F::CurrentDate,
        "CURTIME" | "CURRENT_TIME" => F::CurrentTime,
        "NOW" | "CURRENT_TIMESTAMP" => F::CurrentTimestamp,
        "DAYNAME" => F::DayName,
        "DAYOFMONTH" | "DAY" => F::DayOfMonth,
        "DAYOFWEEK" => F::DayOfWeek,
        "DAYOFYEAR" => F::DayOfYear,
        "HOUR" => F::Hour,
        "MINUTE" => F::Minute,
        "MONTH" => F::Month,
        "MONTHNAME" => F::MonthName,
        "QUARTER" => F::Quarter,
        "SECOND" => F::Second,
        "WEEK" => F::Week,
        "YEAR" => F::Year,
        "DATABASE" => F::Database,
        "USER" | "CURRENT_USER" | "SESSION_USER" | "SYSTEM_USER" => F::User,
        "LAST_INSERT_ID" | "SCOPE_IDENTITY" | "LASTVAL" => F::LastInsertId,
        _ => return None,
    })
}

fn text_type(length: Option<u32>) -> DataType {
    match length {
        Some(n) => DataType::WVarchar(n.max(1)),
        None => DataType::WLongVarchar,
    }
}

fn is_integer_type(data_type: DataType) -> bool {
    matches!(
        data_type,
        DataType::Bit | DataType::SmallInt | DataType::Integer | DataType::BigInt
    )
}

/// The integer a literal argument holds, for sizing results.
fn literal_int(arg: &TypedExpr) -> Option<i64> {
    match &arg.expr {
        Expr::Literal(Value::Int(n)) => Some(*n),
        _ => None,
    }
}

/// INTEGER for integer input (BIT counts as one), BIGINT stays, else DOUBLE.
fn numeric_like(data_type: DataType) -> DataType {
    match data_type {
        DataType::Bit | DataType::SmallInt | DataType::Integer => DataType::Integer,
        DataType::BigInt => DataType::BigInt,
        _ => DataType::Double,
    }
}

impl ScalarFunction {
    /// The name used in messages.
    pub fn name(self) -> &'static str {
        use ScalarFunction as F;
        match self {
            F::Ascii => "ASCII",
            F::BitLength => "BIT_LENGTH",
            F::Char => "CHAR",
            F::CharLength | F::TypeLength(_) => "CHAR_LENGTH",
            F::Concat => "CONCAT",
            F::Difference => "DIFFERENCE",
            F::Insert => "INSERT",
            F::Lower => "LCASE",
            F::Left => "LEFT",
            F::Length => "LENGTH",
            F::Locate => "LOCATE",
            F::LTrim => "LTRIM",
            F::OctetLength => "OCTET_LENGTH",
            F::Repeat => "REPEAT",
            F::Replace => "REPLACE",
            F::Right => "RIGHT",
            F::RTrim => "RTRIM",
            F::Soundex => "SOUNDEX",
            F::Space => "SPACE",
            F::Substring => "SUBSTRING",
            F::Trim(_) => "TRIM",
            F::Upper => "UCASE",
            F::Abs => "ABS",
            F::Acos => "ACOS",
            F::Asin => "ASIN",
            F::Atan => "ATAN",
            F::Atan2 => "ATAN2",
            F::Ceiling => "CEILING",
            F::Cos => "COS",
            F::Cot => "COT",
            F::Degrees => "DEGREES",
            F::Exp => "EXP",
            F::Floor => "FLOOR",
            F::Log => "LOG",
            F::Log10 => "LOG10",
            F::Mod => "MOD",
            F::Pi => "PI",
            F::Power => "POWER",
            F::Radians => "RADIANS",
            F::Rand => "RAND",
            F::Round => "ROUND",
            F::Sign => "SIGN",
            F::Sin => "SIN",
            F::Sqrt => "SQRT",
            F::Tan => "TAN",
            F::Truncate => "TRUNCATE",
            F::CurrentDate => "CURRENT_DATE",
            F::CurrentTime => "CURRENT_TIME",
            F::CurrentTimestamp => "CURRENT_TIMESTAMP",
            F::DayName => "DAYNAME",
            F::DayOfMonth => "DAYOFMONTH",
            F::DayOfWeek => "DAYOFWEEK",
            F::DayOfYear => "DAYOFYEAR",
            F::Hour => "HOUR",
            F::Minute => "MINUTE",
            F::Month => "MONTH",
            F::MonthName => "MONTHNAME",
            F::Quarter => "QUARTER",
            F::Second => "SECOND",
            F::Week => "WEEK",
            F::Year => "YEAR",
            F::TimestampAdd(_) => "TIMESTAMPADD",
            F::TimestampDiff(_) => "TIMESTAMPDIFF",
            F::Database => "DATABASE",
            F::User => "USER",
            F::LastInsertId => "LAST_INSERT_ID",
        }
    }

    /// Minimum and maximum argument counts, and the kind of each position
    /// (the last kind repeats for variadic functions).
    pub fn signature(self) -> (usize, usize, &'static [ArgKind]) {
        use ArgKind::*;
        use ScalarFunction as F;
        match self {
            F::Ascii | F::Lower | F::Upper | F::Length | F::LTrim | F::RTrim | F::Soundex => {
                (1, 1, &[Text])
            }
            F::Difference => (2, 2, &[Text]),
            F::CharLength | F::OctetLength | F::BitLength | F::TypeLength(_) => (1, 1, &[Any]),
            F::Char | F::Space => (1, 1, &[Integer]),
            F::Concat => (2, 255, &[Text]),
            F::Insert => (4, 4, &[Text, Integer, Integer, Text]),
            F::Left | F::Right | F::Repeat => (2, 2, &[Text, Integer]),
            F::Locate => (2, 3, &[Text, Text, Integer]),
            F::Replace => (3, 3, &[Text]),
            F::Substring => (2, 3, &[Text, Integer, Integer]),
            F::Trim(_) => (1, 2, &[Text]),
            F::Abs
            | F::Acos
            | F::Asin
            | F::Atan
            | F::Ceiling
            | F::Cos
            | F::Cot
            | F::Degrees
            | F::Exp
            | F::Floor
            | F::Log
            | F::Log10
            | F::Radians
            | F::Sign
            | F::Sin
            | F::Sqrt
            | F::Tan => (1, 1, &[Numeric]),
            F::Atan2 | F::Mod | F::Power => (2, 2, &[Numeric]),
            F::Round => (1, 2, &[Numeric, Integer]),
            F::Truncate => (2, 2, &[Numeric, Integer]),
            F::Pi | F::CurrentDate | F::Database | F::User | F::LastInsertId => (0, 0, &[]),
            F::Rand => (0, 1, &[Integer]),
            // CURRENT_TIME(p) / CURRENT_TIMESTAMP(p): fractional precision.
            F::CurrentTime | F::CurrentTimestamp => (0, 1, &[Integer]),
            F::DayName
            | F::DayOfMonth
            | F::DayOfWeek
            | F::DayOfYear
            | F::Month
            | F::MonthName
            | F::Quarter
            | F::Week
            | F::Year => (1, 1, &[Date]),
            F::Hour | F::Minute | F::Second => (1, 1, &[DateTime]),
            F::TimestampAdd(_) => (2, 2, &[Integer, DateTime]),
            F::TimestampDiff(_) => (2, 2, &[DateTime]),
        }
    }

    /// The kind of argument `index`.
    pub fn arg_kind(self, index: usize) -> ArgKind {
        let (_, _, kinds) = self.signature();
        kinds
            .get(index)
            .or(kinds.last())
            .copied()
            .unwrap_or(ArgKind::Any)
    }

    /// The result type and whether the result can be NULL, given the
    /// compiled arguments.
    pub fn result_type(self, args: &[TypedExpr]) -> (DataType, bool) {
        use ScalarFunction as F;
        let arg_type = |i: usize| {
            args.get(i)
                .map_or(DataType::WVarchar(DEFAULT_TEXT_LENGTH), |a| a.data_type)
        };
        let arg_text = |i: usize| text_length(arg_type(i));
        let strict = args.iter().any(|a| a.nullable);
        let (data_type, may_be_null) = match self {
            // ASCII('') and CHAR(-1) are NULL.
            F::Ascii => (DataType::Integer, true),
            F::Char => (DataType::WVarchar(1), true),
            F::CharLength
            | F::Length
            | F::Locate
            | F::OctetLength
            | F::BitLength
            | F::TypeLength(_)
            | F::Difference => (DataType::Integer, false),
            F::Soundex => (DataType::WVarchar(4), false),
            F::Concat | F::Insert => {
                let total = args
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| self != F::Insert || *i == 0 || *i == 3)
                    .try_fold(0u32, |sum, (_, a)| {
                        text_length(a.data_type).map(|n| sum.saturating_add(n))
                    });
                (text_type(total), false)
            }
            F::Lower
            | F::Upper
            | F::LTrim
            | F::RTrim
            | F::Trim(_)
            | F::Substring
            | F::Left
            | F::Right => (text_type(arg_text(0)), false),
            F::Repeat => {
                let length = match (arg_text(0), args.get(1).and_then(literal_int)) {
                    (None, _) => None,
                    (Some(n), Some(count)) => Some(
                        u32::try_from(i64::from(n).saturating_mul(count.max(1)))
                            .unwrap_or(u32::MAX),
                    ),
                    (Some(_), None) => Some(DEFAULT_TEXT_LENGTH),
                };
                (
                    text_type(length.map(|n| n.min(MAX_RESULT_BYTES as u32))),
                    false,
                )
            }
            F::Replace => (
                text_type(arg_text(0).map(|n| n.max(DEFAULT_TEXT_LENGTH))),
                false,
            ),
            F::Space => {
                let length = args
                    .first()
                    .and_then(literal_int)
                    .map_or(DEFAULT_TEXT_LENGTH, |n| {
                        n.clamp(1, MAX_RESULT_BYTES as i64) as u32
                    });
                (DataType::WVarchar(length), false)
            }
            F::Abs | F::Ceiling | F::Floor | F::Round | F::Truncate => {
                (numeric_like(arg_type(0)), false)
            }
            F::Sign => (DataType::Integer, false),
            F::Mod => match (arg_type(0), arg_type(1)) {
                (a, b) if is_integer_type(a) && is_integer_type(b) => {
                    // |a MOD b| <= |a|: the dividend's type holds the result.
                    (numeric_like(a), false)
                }
                _ => (DataType::Double, false),
            },
            F::Acos
            | F::Asin
            | F::Atan
            | F::Atan2
            | F::Cos
            | F::Cot
            | F::Degrees
            | F::Exp
            | F::Log
            | F::Log10
            | F::Pi
            | F::Power
            | F::Radians
            | F::Rand
            | F::Sin
            | F::Sqrt
            | F::Tan => (DataType::Double, false),
            F::CurrentDate => (DataType::Date, false),
            F::CurrentTime => (DataType::Time, false),
            F::CurrentTimestamp | F::TimestampAdd(_) => (DataType::Timestamp, false),
            F::DayName | F::MonthName => (DataType::WVarchar(9), false),
            F::DayOfMonth
            | F::DayOfWeek
            | F::DayOfYear
            | F::Hour
            | F::Minute
            | F::Month
            | F::Quarter
            | F::Second
            | F::Week
            | F::Year => (DataType::Integer, false),
            F::TimestampDiff(_) => (DataType::BigInt, false),
            F::Database | F::User => (DataType::WVarchar(NAME_LENGTH), false),
            F::LastInsertId => (DataType::BigInt, true),
        };
        (data_type, may_be_null || strict)
    }

    /// Applies the function to non-NULL arguments (arity already checked at
    /// compile time; a short slice is an internal error, not a panic).
    pub fn eval(self, args: &[Value], env: &EvalEnv) -> Result<Value, OdbcError> {
        use ScalarFunction as F;
        let arg = |i: usize| {
            args.get(i).ok_or_else(|| {
                OdbcError::general(format!(
                    "internal error: {} is missing argument {}",
                    self.name(),
                    i + 1
                ))
            })
        };
        let text = |i: usize| arg(i).map(as_text);
        let int = |i: usize| arg(i).and_then(cast::to_i64);
        let float = |i: usize| arg(i).and_then(cast::to_f64);
        Ok(match self {
            F::Ascii => match text(0)?.chars().next() {
                Some(c) => Value::Int(i64::from(u32::from(c))),
                None => Value::Null,
            },
            F::Char => match u32::try_from(int(0)?).ok().and_then(char::from_u32) {
                Some(c) => Value::Text(c.to_string()),
                None => Value::Null,
            },
            F::CharLength => Value::Int(count_chars(&text(0)?)),
            F::TypeLength(length) => Value::Int(length),
            F::OctetLength => Value::Int(text(0)?.len() as i64),
            F::BitLength => Value::Int(text(0)?.len() as i64 * 8),
            F::Soundex => Value::Text(soundex(&text(0)?)),
            F::Difference => {
                let (a, b) = (soundex(&text(0)?), soundex(&text(1)?));
                Value::Int(a.chars().zip(b.chars()).filter(|(x, y)| x == y).count() as i64)
            }
            F::Length => Value::Int(count_chars(text(0)?.trim_end_matches(' '))),
            F::Concat => {
                let mut out = String::new();
                for i in 0..args.len() {
                    out.push_str(&text(i)?);
                    check_size(self, out.len())?;
                }
                Value::Text(out)
            }
            F::Insert => Value::Text(insert(&text(0)?, int(1)?, int(2)?, &text(3)?, self)?),
            F::Lower => Value::Text(text(0)?.to_lowercase()),
            F::Upper => Value::Text(text(0)?.to_uppercase()),
            F::Left => Value::Text(text(0)?.chars().take(clamp_count(int(1)?)).collect()),
            F::Right => {
                let s = text(0)?;
                let skip = count_chars(&s).saturating_sub(int(1)?.max(0)).max(0);
                Value::Text(s.chars().skip(clamp_count(skip)).collect())
            }
            F::Locate => {
                let start = if args.len() > 2 { int(2)? } else { 1 };
                Value::Int(locate(&text(0)?, &text(1)?, start))
            }
            F::LTrim => Value::Text(text(0)?.trim_start_matches(' ').to_string()),
            F::RTrim => Value::Text(text(0)?.trim_end_matches(' ').to_string()),
            F::Trim(side) => {
                let set: Vec<char> = if args.len() > 1 {
                    text(1)?.chars().collect()
                } else {
                    vec![' ']
                };
                let s = text(0)?;
                let in_set = |c: char| set.contains(&c);
                Value::Text(
                    match side {
                        TrimSide::Both => s.trim_matches(in_set),
                        TrimSide::Leading => s.trim_start_matches(in_set),
                        TrimSide::Trailing => s.trim_end_matches(in_set),
                    }
                    .to_string(),
                )
            }
            F::Repeat => {
                let s = text(0)?;
                let count = clamp_count(int(1)?);
                check_size(self, s.len().saturating_mul(count))?;
                Value::Text(s.repeat(count))
            }
            F::Space => {
                let count = clamp_count(int(0)?);
                check_size(self, count)?;
                Value::Text(" ".repeat(count))
            }
            F::Replace => Value::Text(replace(&text(0)?, &text(1)?, &text(2)?, self)?),
            F::Substring => {
                let length = if args.len() > 2 { Some(int(2)?) } else { None };
                Value::Text(substring(&text(0)?, int(1)?, length)?)
            }
            F::Abs => match cast::to_number(arg(0)?)? {
                Value::Int(n) => Value::Int(n.checked_abs().ok_or_else(|| out_of_range(self))?),
                other => Value::Double(cast::to_f64(&other)?.abs()),
            },
            F::Ceiling => integral(arg(0)?, f64::ceil)?,
            F::Floor => integral(arg(0)?, f64::floor)?,
            F::Sign => Value::Int(match cast::to_number(arg(0)?)? {
                Value::Int(n) => n.signum(),
                other => {
                    let d = cast::to_f64(&other)?;
                    if d > 0.0 {
                        1
                    } else if d < 0.0 {
                        -1
                    } else {
                        0
                    }
                }
            }),
            F::Round | F::Truncate => {
                let places = if args.len() > 1 { int(1)? } else { 0 };
                round_or_truncate(self, arg(0)?, places)?
            }
            F::Mod => match (cast::to_number(arg(0)?)?, cast::to_number(arg(1)?)?) {
                (Value::Int(_), Value::Int(0)) => return Err(division_by_zero()),
                (Value::Int(a), Value::Int(b)) => Value::Int(a.checked_rem(b).unwrap_or(0)),
                (a, b) => {
                    let (a, b) = (cast::to_f64(&a)?, cast::to_f64(&b)?);
                    if b == 0.0 {
                        return Err(division_by_zero());
                    }
                    Value::Double(a % b)
                }
            },
            F::Acos => finite(self, domain(self, float(0)?, -1.0..=1.0)?.acos())?,
            F::Asin => finite(self, domain(self, float(0)?, -1.0..=1.0)?.asin())?,
            F::Atan => finite(self, float(0)?.atan())?,
            // ODBC names the arguments x and y, but every DBMS (and SQL
            // Server's ODBC driver) reads ATAN2(y, x); follow them.
            F::Atan2 => finite(self, float(0)?.atan2(float(1)?))?,
            F::Cos => finite(self, float(0)?.cos())?,
            F::Sin => finite(self, float(0)?.sin())?,
            F::Tan => finite(self, float(0)?.tan())?,
            F::Cot => {
                let t = float(0)?.tan();
                if t == 0.0 {
                    return Err(division_by_zero());
                }
                finite(self, 1.0 / t)?
            }
            F::Degrees => finite(self, float(0)?.to_degrees())?,
            F::Radians => finite(self, float(0)?.to_radians())?,
            F::Exp => finite(self, float(0)?.exp())?,
            F::Log => finite(self, positive(self, float(0)?)?.ln())?,
            F::Log10 => finite(self, positive(self, float(0)?)?.log10())?,
            F::Sqrt => finite(self, domain(self, float(0)?, 0.0..=f64::INFINITY)?.sqrt())?,
            F::Power => finite(self, float(0)?.powf(float(1)?))?,
            F::Pi => Value::Double(std::f64::consts::PI),
            F::Rand => Value::Double(match args.first() {
                Some(seed) => seeded_random(cast::to_i64(seed)?),
                None => next_random(),
            }),
            F::CurrentDate => Value::Date(env.now.date),
            F::CurrentTime => Value::Time(env.now.time),
            F::CurrentTimestamp => {
                let mut now = env.now;
                if let Some(precision) = args.first() {
                    now.nanos = truncate_fraction(now.nanos, cast::to_i64(precision)?);
                }
                Value::Timestamp(now)
            }
            F::DayName => Value::Text(datetime::day_name(datetime::date_of(arg(0)?)?).to_string()),
            F::MonthName => {
                Value::Text(datetime::month_name(datetime::date_of(arg(0)?)?).to_string())
            }
            F::DayOfMonth => Value::Int(i64::from(datetime::date_of(arg(0)?)?.day)),
            F::DayOfWeek => Value::Int(datetime::day_of_week(datetime::date_of(arg(0)?)?)),
            F::DayOfYear => Value::Int(i64::from(datetime::date_of(arg(0)?)?.day_of_year())),
            F::Month => Value::Int(i64::from(datetime::date_of(arg(0)?)?.month)),
            F::Quarter => Value::Int(datetime::quarter(datetime::date_of(arg(0)?)?)),
            F::Week => Value::Int(datetime::week_of_year(datetime::date_of(arg(0)?)?)),
            F::Year => Value::Int(i64::from(datetime::date_of(arg(0)?)?.year)),
            F::Hour => Value::Int(i64::from(datetime::time_of(arg(0)?)?.hour)),
            F::Minute => Value::Int(i64::from(datetime::time_of(arg(0)?)?.minute)),
            F::Second => Value::Int(i64::from(datetime::time_of(arg(0)?)?.second)),
            F::TimestampAdd(unit) => {
                let count = datetime::interval_count(arg(0)?)?;
                Value::Timestamp(datetime::timestamp_add(
                    unit,
                    count,
                    datetime::timestamp_of(arg(1)?, env)?,
                )?)
            }
            F::TimestampDiff(unit) => {
                let (a, b) = (
                    datetime::timestamp_of(arg(0)?, env)?,
                    datetime::timestamp_of(arg(1)?, env)?,
                );
                Value::Int(datetime::timestamp_diff(unit, a, b)?)
            }
            F::Database => Value::Text(env.database.clone()),
            F::User => Value::Text(env.user.clone()),
            F::LastInsertId => match &env.last_insert_id {
                Value::Int(id) => Value::Int(*id),
                _ => Value::Null,
            },
        })
    }
}

fn as_text(value: &Value) -> Cow<'_, str> {
    match value {
        Value::Text(s) => Cow::Borrowed(s.as_str()),
        other => Cow::Owned(other.to_text().unwrap_or_default()),
    }
}

fn count_chars(s: &str) -> i64 {
    s.chars().count() as i64
}

/// A count argument as a usize; negative counts mean none.
fn clamp_count(n: i64) -> usize {
    usize::try_from(n.max(0)).unwrap_or(usize::MAX)
}

fn check_size(function: ScalarFunction, bytes: usize) -> Result<(), OdbcError> {
    if bytes > MAX_RESULT_BYTES {
        return Err(OdbcError::new(
            SqlState::StringDataRightTruncated,
            format!("String data, right truncation: the result of {} would exceed {MAX_RESULT_BYTES} bytes", function.name()),
        ));
    }
    Ok(())
}

fn out_of_range(function: ScalarFunction) -> OdbcError {
    OdbcError::new(
        SqlState::NumericOutOfRange,
        format!("Numeric value out of range in {}", function.name()),
    )
}

fn division_by_zero() -> OdbcError {
    OdbcError::new(SqlState::DivisionByZero, "Division by zero")
}

fn finite(function: ScalarFunction, d: f64) -> Result<Value, OdbcError> {
    if d.is_finite() {
        Ok(Value::Double(d))
    } else {
        Err(out_of_range(function))
    }
}

/// Arguments outside a function's domain (SQRT(-1), ACOS(2)) are errors:
/// ISO SQL has states 2201E/2201F for them, which this driver reports as
/// 22003 with a message saying which.
fn domain(
    function: ScalarFunction,
    d: f64,
    range: std::ops::RangeInclusive<f64>,
) -> Result<f64, OdbcError> {
    if range.contains(&d) {
        Ok(d)
    } else {
        Err(OdbcError::new(
            SqlState::NumericOutOfRange,
            format!(
                "Numeric value out of range: {} is outside the domain of {}",
                format_double(d),
                function.name()
            ),
        ))
    }
}

fn positive(function: ScalarFunction, d: f64) -> Result<f64, OdbcError> {
    if d > 0.0 {
        Ok(d)
    } else {
        Err(OdbcError::new(
            SqlState::NumericOutOfRange,
            format!(
                "Numeric value out of range: {} of a non-positive number ({})",
                function.name(),
                format_double(d)
            ),
        ))
    }
}

/// CEILING / FLOOR: integers are already integral.
fn integral(value: &Value, op: fn(f64) -> f64) -> Result<Value, OdbcError> {
    Ok(match cast::to_number(value)? {
        Value::Int(n) => Value::Int(n),
        other => Value::Double(op(cast::to_f64(&other)?)),
    })
}

/// ROUND(x, places) rounds half away from zero; TRUNCATE cuts toward zero.
/// Negative places act left of the decimal point; integers stay integers.
fn round_or_truncate(
    function: ScalarFunction,
    value: &Value,
    places: i64,
) -> Result<Value, OdbcError> {
    let rounding = function == ScalarFunction::Round;
    match cast::to_number(value)? {
        Value::Int(n) if places >= 0 => Ok(Value::Int(n)),
        Value::Int(n) => {
            // 10^19 exceeds i64: every integer then rounds to 0 (or overflows
            // when rounding up, which i64 cannot hold either).
            let Some(unit) =
                10i64.checked_pow(u32::try_from(places.unsigned_abs()).unwrap_or(u32::MAX))
            else {
                return Ok(Value::Int(0));
            };
            let truncated = n / unit * unit;
            let remainder = n % unit;
            let result = if rounding && remainder.unsigned_abs() * 2 >= unit.unsigned_abs() {
                truncated
                    .checked_add(unit * n.signum())
                    .ok_or_else(|| out_of_range(function))?
            } else {
                truncated
            };
            Ok(Value::Int(result))
        }
        other => {
            let d = cast::to_f64(&other)?;
            let result = if rounding {
                cast::round_to_scale(d, places)?
            } else {
                cast::truncate_to_scale(d, places)?
            };
            Ok(Value::Double(result))
        }
    }
}

/// LOCATE: 1-based character position of `needle` in `haystack` at or
/// after `start` (a start below 1 searches from the beginning), 0 when
/// absent. An empty needle is found where the search starts.
fn locate(needle: &str, haystack: &str, start: i64) -> i64 {
    let start = start.max(1);
    let skip = clamp_count(start - 1);
    let Some((offset, _)) = haystack.char_indices().nth(skip).or_else(|| {
        // Starting just past the last character still finds an empty needle.
        (skip == haystack.chars().count()).then_some((haystack.len(), ' '))
    }) else {
        return 0;
    };
    match haystack[offset..].find(needle) {
        Some(found) => start + count_chars(&haystack[offset..offset + found]),
        None => 0,
    }
}

/// The byte offset of the character at 0-based position `index`, or the
/// end of the string.
fn byte_offset(s: &str, index: usize) -> usize {
    s.char_indices()
        .nth(index)
        .map_or(s.len(), |(offset, _)| offset)
}

/// INSERT(s, start, length, new): deletes `length` characters at `start`
/// and inserts `new` there. A start outside the string leaves it unchanged;
/// a length past the end (or negative) deletes to the end.
fn insert(
    s: &str,
    start: i64,
    length: i64,
    new: &str,
    function: ScalarFunction,
) -> Result<String, OdbcError> {
    let char_count = count_chars(s);
    if start < 1 || start > char_count {
        return Ok(s.to_string());
    }
    let from = byte_offset(s, clamp_count(start - 1));
    let deleted = if length < 0 { char_count } else { length };
    let to = byte_offset(s, clamp_count((start - 1).saturating_add(deleted)));
    check_size(function, s.len() - (to - from) + new.len())?;
    let mut out = String::with_capacity(s.len() + new.len());
    out.push_str(&s[..from]);
    out.push_str(new);
    out.push_str(&s[to..]);
    Ok(out)
}

fn replace(s: &str, from: &str, to: &str, function: ScalarFunction) -> Result<String, OdbcError> {
    // An empty search string would match between every character.
    if from.is_empty() {
        return Ok(s.to_string());
    }
    let occurrences = s.matches(from).count();
    check_size(
        function,
        s.len() - occurrences * from.len() + occurrences.saturating_mul(to.len()),
    )?;
    Ok(s.replace(from, to))
}

/// ISO SQL SUBSTRING: the characters at positions [start, start + length)
/// that exist; a negative length is an error.
fn substring(s: &str, start: i64, length: Option<i64>) -> Result<String, OdbcError> {
    let end = match length {
        Some(n) if n < 0 => {
            return Err(OdbcError::new(
                SqlState::NumericOutOfRange,
                format!("Numeric value out of range: negative SUBSTRING length {n}"),
            ))
        }
        Some(n) => start.saturating_add(n),
        None => i64::MAX,
    };
    let first = start.max(1);
    if end <= first {
        return Ok(String::new());
    }
    Ok(s.chars()
        .skip(clamp_count(first - 1))
        .take(clamp_count(end - first))
        .collect())
}

/// American Soundex: the first letter, then up to three digits coding the
/// following consonants (adjacent equal codes, and equal codes separated
/// only by H or W, count once; vowels separate). Characters other than
/// ASCII letters are ignored; no letters at all gives an empty string.
fn soundex(s: &str) -> String {
    fn code(c: char) -> Option<char> {
        match c {
            'B' | 'F' | 'P' | 'V' => Some('1'),
            'C' | 'G' | 'J' | 'K' | 'Q' | 'S' | 'X' | 'Z' => Some('2'),
            'D' | 'T' => Some('3'),
            'L' => Some('4'),
            'M' | 'N' => Some('5'),
            'R' => Some('6'),
            _ => None,
        }
    }
    let mut letters = s
        .chars()
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_uppercase());
    let Some(first) = letters.next() else {
        return String::new();
    };
    let mut out = String::from(first);
    let mut previous = code(first);
    for c in letters {
        if out.len() == 4 {
            break;
        }
        match c {
            'H' | 'W' => {}
            _ => {
                let current = code(c);
                if current.is_some() && current != previous {
                    out.extend(current);
                }
                previous = current;
            }
        }
    }
    while out.len() < 4 {
        out.push('0');
    }
    out
}

/// Keeps `precision` fraction digits of a nanosecond count.
fn truncate_fraction(nanos: u32, precision: i64) -> u32 {
    let precision = precision.clamp(0, 9) as u32;
    let unit = 10u32.pow(9 - precision);
    nanos / unit * unit
}

fn splitmix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn unit_interval(bits: u64) -> f64 {
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

/// RAND(seed): the same seed always gives the same value (as in SQL
/// Server), so results are reproducible.
fn seeded_random(seed: i64) -> f64 {
    unit_interval(splitmix64(seed as u64))
}

/// Process-wide generator for RAND() without a seed.
static RANDOM_STATE: Lazy<AtomicU64> = Lazy::new(|| {
    let clock = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    AtomicU64::new(clock ^ u64::from(std::process::id()).rotate_left(32))
});

fn next_random() -> f64 {
    let state = RANDOM_STATE.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed);
    unit_interval(splitmix64(state))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::{Date, Time, Timestamp};

    fn env() -> EvalEnv {
        EvalEnv {
            now: Timestamp::parse("2025-06-15 12:30:45.123456789").unwrap(),
            user: "ann".into(),
            database: "pipedrive".into(),
            subqueries: Default::default(),
            last_insert_id: Value::Null,
        }
    }

    fn call(name: &str, args: &[Value]) -> Result<Value, OdbcError> {
        lookup(name)
            .unwrap_or_else(|| panic!("no function {name}"))
            .eval(args, &env())
    }

    fn ok(name: &str, args: &[Value]) -> Value {
        call(name, args).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    fn t(s: &str) -> Value {
        Value::Text(s.into())
    }

    fn i(n: i64) -> Value {
        Value::Int(n)
    }

    fn d(x: f64) -> Value {
        Value::Double(x)
    }

    #[test]
    fn names_are_case_insensitive_with_aliases() {
        assert_eq!(lookup("ucase"), Some(ScalarFunction::Upper));
        assert_eq!(lookup("Upper"), Some(ScalarFunction::Upper));
        assert_eq!(lookup("CHARACTER_LENGTH"), Some(ScalarFunction::CharLength));
        assert_eq!(lookup("substr"), Some(ScalarFunction::Substring));
        assert_eq!(lookup("ceil"), Some(ScalarFunction::Ceiling));
        assert_eq!(lookup("no_such_function"), None);
    }

    #[test]
    fn ascii_and_char() {
        assert_eq!(ok("ASCII", &[t("A")]), i(65));
        assert_eq!(ok("ASCII", &[t("é!")]), i(233));
        assert_eq!(ok("ASCII", &[t("")]), Value::Null);
        assert_eq!(ok("CHAR", &[i(65)]), t("A"));
        assert_eq!(ok("CHAR", &[i(0x1F600)]), t("😀"));
        assert_eq!(ok("CHAR", &[i(-1)]), Value::Null);
        assert_eq!(ok("CHAR", &[i(0xD800)]), Value::Null);
    }

    #[test]
    fn lengths() {
        assert_eq!(ok("CHAR_LENGTH", &[t("zü  ")]), i(4));
        assert_eq!(ok("LENGTH", &[t("zü  ")]), i(2));
        assert_eq!(ok("LENGTH", &[t("  a")]), i(3));
        assert_eq!(ok("OCTET_LENGTH", &[t("zü")]), i(3));
        assert_eq!(ok("OCTET_LENGTH", &[t("")]), i(0));
        assert_eq!(ok("LENGTH", &[i(12345)]), i(5));
        assert_eq!(
            ScalarFunction::TypeLength(8).eval(&[i(1)], &env()).unwrap(),
            i(8)
        );
    }

    #[test]
    fn bit_length_soundex_difference() {
        assert_eq!(ok("BIT_LENGTH", &[t("zü")]), i(24));
        assert_eq!(ok("SOUNDEX", &[t("Robert")]), t("R163"));
        assert_eq!(ok("SOUNDEX", &[t("Rupert")]), t("R163"));
        assert_eq!(ok("SOUNDEX", &[t("Rubin")]), t("R150"));
        assert_eq!(ok("SOUNDEX", &[t("Ashcraft")]), t("A261"));
        assert_eq!(ok("SOUNDEX", &[t("Tymczak")]), t("T522"));
        assert_eq!(ok("SOUNDEX", &[t("Pfister")]), t("P236"));
        assert_eq!(ok("SOUNDEX", &[t("Lee")]), t("L000"));
        assert_eq!(ok("SOUNDEX", &[t("  o'Hara")]), t("O600"));
        assert_eq!(ok("SOUNDEX", &[t("123")]), t(""));
        assert_eq!(ok("DIFFERENCE", &[t("Robert"), t("Rupert")]), i(4));
        assert_eq!(ok("DIFFERENCE", &[t("Green"), t("Greene")]), i(4));
        assert_eq!(ok("DIFFERENCE", &[t("Smith"), t("Lee")]), i(1));
        assert_eq!(ok("DIFFERENCE", &[t("abc"), t("")]), i(0));
    }

    #[test]
    fn concat_insert_case() {
        assert_eq!(ok("CONCAT", &[t("ab"), t("cd")]), t("abcd"));
        assert_eq!(ok("CONCAT", &[t("a"), i(1), d(2.5)]), t("a12.5"));
        assert_eq!(
            ok("INSERT", &[t("abcdef"), i(2), i(3), t("XY")]),
            t("aXYef")
        );
        assert_eq!(ok("INSERT", &[t("abc"), i(3), i(10), t("Z")]), t("abZ"));
        assert_eq!(ok("INSERT", &[t("abc"), i(1), i(0), t("Z")]), t("Zabc"));
        assert_eq!(ok("INSERT", &[t("abc"), i(4), i(1), t("Z")]), t("abc"));
        assert_eq!(ok("INSERT", &[t("abc"), i(0), i(1), t("Z")]), t("abc"));
        assert_eq!(
            ok("INSERT", &[t("zürich"), i(2), i(1), t("u")]),
            t("zurich")
        );
        assert_eq!(ok("LCASE", &[t("ÄbC")]), t("äbc"));
        assert_eq!(ok("UPPER", &[t("straße")]), t("STRASSE"));
    }

    #[test]
    fn left_right_substring() {
        assert_eq!(ok("LEFT", &[t("zürich"), i(2)]), t("zü"));
        assert_eq!(ok("LEFT", &[t("abc"), i(10)]), t("abc"));
        assert_eq!(ok("LEFT", &[t("abc"), i(-1)]), t(""));
        assert_eq!(ok("RIGHT", &[t("zürich"), i(3)]), t("ich"));
        assert_eq!(ok("RIGHT", &[t("abc"), i(10)]), t("abc"));
        assert_eq!(ok("RIGHT", &[t("abc"), i(0)]), t(""));
        assert_eq!(ok("SUBSTRING", &[t("hello"), i(2), i(3)]), t("ell"));
        assert_eq!(ok("SUBSTRING", &[t("hello"), i(2)]), t("ello"));
        assert_eq!(ok("SUBSTRING", &[t("hello"), i(0), i(2)]), t("h"));
        assert_eq!(ok("SUBSTRING", &[t("hello"), i(-5), i(2)]), t(""));
        assert_eq!(ok("SUBSTRING", &[t("hello"), i(9), i(2)]), t(""));
        assert_eq!(ok("SUBSTRING", &[t("日本語"), i(2), i(1)]), t("本"));
        assert_eq!(ok("SUBSTRING", &[t("hello"), i(2), i(i64::MAX)]), t("ello"));
        assert_eq!(
            call("SUBSTRING", &[t("hello"), i(1), i(-1)])
                .unwrap_err()
                .state,
            SqlState::NumericOutOfRange
        );
    }

    #[test]
    fn locate_and_position() {
        assert_eq!(ok("LOCATE", &[t("b"), t("abcb")]), i(2));
        assert_eq!(ok("LOCATE", &[t("b"), t("abcb"), i(3)]), i(4));
        assert_eq!(ok("LOCATE", &[t("x"), t("abc")]), i(0));
        assert_eq!(ok("LOCATE", &[t("ch"), t("zürich")]), i(5));
        assert_eq!(ok("LOCATE", &[t(""), t("abc")]), i(1));
        assert_eq!(ok("LOCATE", &[t(""), t("abc"), i(4)]), i(4));
        assert_eq!(ok("LOCATE", &[t(""), t("abc"), i(5)]), i(0));
        assert_eq!(ok("LOCATE", &[t("a"), t("abc"), i(-3)]), i(1));
        assert_eq!(ok("LOCATE", &[t("a"), t("abc"), i(9)]), i(0));
        assert_eq!(ok("POSITION", &[t("c"), t("abc")]), i(3));
    }

    #[test]
    fn trims() {
        assert_eq!(ok("LTRIM", &[t("  a  ")]), t("a  "));
        assert_eq!(ok("RTRIM", &[t("  a  ")]), t("  a"));
        assert_eq!(ok("LTRIM", &[t("\ta")]), t("\ta"));
        assert_eq!(ok("TRIM", &[t("  a  ")]), t("a"));
        assert_eq!(
            ScalarFunction::Trim(TrimSide::Leading)
                .eval(&[t("xxaxx"), t("x")], &env())
                .unwrap(),
            t("axx")
        );
        assert_eq!(
            ScalarFunction::Trim(TrimSide::Trailing)
                .eval(&[t("xxaxx"), t("x")], &env())
                .unwrap(),
            t("xxa")
        );
        assert_eq!(
            ScalarFunction::Trim(TrimSide::Both)
                .eval(&[t("xyaxy"), t("yx")], &env())
                .unwrap(),
            t("a")
        );
    }

    #[test]
    fn repeat_space_replace() {
        assert_eq!(ok("REPEAT", &[t("ab"), i(3)]), t("ababab"));
        assert_eq!(ok("REPEAT", &[t("ab"), i(-3)]), t(""));
        assert_eq!(ok("SPACE", &[i(3)]), t("   "));
        assert_eq!(ok("SPACE", &[i(-1)]), t(""));
        assert_eq!(ok("REPLACE", &[t("a.b.c"), t("."), t("--")]), t("a--b--c"));
        assert_eq!(ok("REPLACE", &[t("abc"), t(""), t("x")]), t("abc"));
        assert_eq!(
            call("REPEAT", &[t("ab"), i(1_000_000_000_000)])
                .unwrap_err()
                .state,
            SqlState::StringDataRightTruncated
        );
        assert_eq!(
            call("SPACE", &[i(i64::MAX)]).unwrap_err().state,
            SqlState::StringDataRightTruncated
        );
        let big = "a".repeat(1 << 20);
        assert_eq!(
            call("REPLACE", &[t(&big), t("a"), t(&"b".repeat(64))])
                .unwrap_err()
                .state,
            SqlState::StringDataRightTruncated
        );
    }

    #[test]
    fn numeric_functions() {
        assert_eq!(ok("ABS", &[i(-3)]), i(3));
        assert_eq!(ok("ABS", &[d(-2.5)]), d(2.5));
        assert_eq!(ok("ABS", &[t("-2.5")]), d(2.5));
        assert_eq!(
            call("ABS", &[i(i64::MIN)]).unwrap_err().state,
            SqlState::NumericOutOfRange
        );
        assert_eq!(ok("CEILING", &[d(1.2)]), d(2.0));
        assert_eq!(ok("CEILING", &[d(-1.2)]), d(-1.0));
        assert_eq!(ok("FLOOR", &[d(-1.2)]), d(-2.0));
        assert_eq!(ok("FLOOR", &[i(5)]), i(5));
        assert_eq!(ok("SIGN", &[d(-0.5)]), i(-1));
        assert_eq!(ok("SIGN", &[i(0)]), i(0));
        assert_eq!(ok("SIGN", &[i(9)]), i(1));
        assert_eq!(ok("MOD", &[i(7), i(3)]), i(1));
        assert_eq!(ok("MOD", &[i(-7), i(3)]), i(-1));
        assert_eq!(ok("MOD", &[d(7.5), i(2)]), d(1.5));
        assert_eq!(
            call("MOD", &[i(7), i(0)]).unwrap_err().state,
            SqlState::DivisionByZero
        );
        assert_eq!(
            call("MOD", &[d(7.0), d(0.0)]).unwrap_err().state,
            SqlState::DivisionByZero
        );
        assert_eq!(ok("POWER", &[i(2), i(10)]), d(1024.0));
        assert_eq!(
            call("POWER", &[i(10), i(400)]).unwrap_err().state,
            SqlState::NumericOutOfRange
        );
        assert_eq!(
            call("POWER", &[i(-8), d(0.5)]).unwrap_err().state,
            SqlState::NumericOutOfRange
        );
        assert_eq!(ok("SQRT", &[i(16)]), d(4.0));
        assert_eq!(
            call("SQRT", &[i(-1)]).unwrap_err().state,
            SqlState::NumericOutOfRange
        );
        assert_eq!(ok("EXP", &[i(0)]), d(1.0));
        assert_eq!(
            call("EXP", &[i(1000)]).unwrap_err().state,
            SqlState::NumericOutOfRange
        );
        assert_eq!(ok("LOG", &[d(std::f64::consts::E)]), d(1.0));
        assert_eq!(
            call("LOG", &[i(0)]).unwrap_err().state,
            SqlState::NumericOutOfRange
        );
        assert_eq!(ok("LOG10", &[i(1000)]), d(3.0));
        assert_eq!(
            call("LOG10", &[i(-1)]).unwrap_err().state,
            SqlState::NumericOutOfRange
        );
        assert_eq!(ok("PI", &[]), d(std::f64::consts::PI));
        assert_eq!(ok("DEGREES", &[d(std::f64::consts::PI)]), d(180.0));
        assert_eq!(ok("RADIANS", &[i(180)]), d(std::f64::consts::PI));
        assert_eq!(ok("SIN", &[i(0)]), d(0.0));
        assert_eq!(ok("COS", &[i(0)]), d(1.0));
        assert_eq!(ok("TAN", &[i(0)]), d(0.0));
        assert_eq!(ok("ATAN", &[i(0)]), d(0.0));
        assert_eq!(ok("ATAN2", &[i(1), i(0)]), d(std::f64::consts::FRAC_PI_2));
        assert_eq!(ok("ACOS", &[i(1)]), d(0.0));
        assert_eq!(ok("ASIN", &[i(0)]), d(0.0));
        assert_eq!(
            call("ACOS", &[i(2)]).unwrap_err().state,
            SqlState::NumericOutOfRange
        );
        assert_eq!(
            call("ASIN", &[d(-1.5)]).unwrap_err().state,
            SqlState::NumericOutOfRange
        );
        assert_eq!(
            ok("COT", &[d(std::f64::consts::FRAC_PI_4)]),
            d(1.0000000000000002)
        );
        assert_eq!(
            call("COT", &[i(0)]).unwrap_err().state,
            SqlState::DivisionByZero
        );
        assert_eq!(
            call("ABS", &[t("abc")]).unwrap_err().state,
            SqlState::InvalidCharacterValueForCast
        );
    }

    #[test]
    fn round_and_truncate() {
        assert_eq!(ok("ROUND", &[d(2.345), i(2)]), d(2.35));
        assert_eq!(ok("ROUND", &[d(-2.5), i(0)]), d(-3.0));
        assert_eq!(ok("ROUND", &[d(2.5)]), d(3.0));
        assert_eq!(ok("ROUND", &[d(1234.5), i(-2)]), d(1200.0));
        assert_eq!(ok("ROUND", &[i(1250), i(-2)]), i(1300));
        assert_eq!(ok("ROUND", &[i(-1250), i(-2)]), i(-1300));
        assert_eq!(ok("ROUND", &[i(1249), i(-2)]), i(1200));
        assert_eq!(ok("ROUND", &[i(17), i(2)]), i(17));
        assert_eq!(ok("ROUND", &[i(17), i(-30)]), i(0));
        assert_eq!(
            call("ROUND", &[i(i64::MAX), i(-1)]).unwrap_err().state,
            SqlState::NumericOutOfRange
        );
        assert_eq!(ok("TRUNCATE", &[d(2.349), i(2)]), d(2.34));
        assert_eq!(ok("TRUNCATE", &[d(-2.349), i(1)]), d(-2.3));
        assert_eq!(ok("TRUNCATE", &[i(1299), i(-2)]), i(1200));
        assert_eq!(ok("TRUNCATE", &[i(-1299), i(-2)]), i(-1200));
    }

    #[test]
    fn rand_is_seedable_and_in_range() {
        assert_eq!(ok("RAND", &[i(42)]), ok("RAND", &[i(42)]));
        assert_ne!(ok("RAND", &[i(42)]), ok("RAND", &[i(43)]));
        for _ in 0..1000 {
            let Value::Double(x) = ok("RAND", &[]) else {
                panic!("RAND must be a double")
            };
            assert!((0.0..1.0).contains(&x));
        }
        assert_ne!(ok("RAND", &[]), ok("RAND", &[]));
    }

    #[test]
    fn current_date_and_time_come_from_the_statement() {
        let now = env().now;
        assert_eq!(ok("CURDATE", &[]), Value::Date(now.date));
        assert_eq!(ok("CURRENT_TIME", &[]), Value::Time(now.time));
        assert_eq!(ok("NOW", &[]), Value::Timestamp(now));
        let Value::Timestamp(ms) = ok("CURRENT_TIMESTAMP", &[i(3)]) else {
            panic!()
        };
        assert_eq!(ms.nanos, 123_000_000);
        let Value::Timestamp(s) = ok("CURRENT_TIMESTAMP", &[i(0)]) else {
            panic!()
        };
        assert_eq!(s.nanos, 0);
    }

    #[test]
    fn date_parts() {
        let ts = [Value::Timestamp(
            Timestamp::parse("2024-02-29 13:14:15").unwrap(),
        )];
        assert_eq!(ok("YEAR", &ts), i(2024));
        assert_eq!(ok("MONTH", &ts), i(2));
        assert_eq!(ok("DAYOFMONTH", &ts), i(29));
        assert_eq!(ok("DAYOFYEAR", &ts), i(60));
        assert_eq!(ok("DAYOFWEEK", &ts), i(5)); // a Thursday
        assert_eq!(ok("DAYNAME", &ts), t("Thursday"));
        assert_eq!(ok("MONTHNAME", &ts), t("February"));
        assert_eq!(ok("QUARTER", &ts), i(1));
        assert_eq!(ok("WEEK", &ts), i(9));
        assert_eq!(ok("HOUR", &ts), i(13));
        assert_eq!(ok("MINUTE", &ts), i(14));
        assert_eq!(ok("SECOND", &ts), i(15));
        let date = [Value::Date(Date::new(2025, 12, 31).unwrap())];
        assert_eq!(ok("HOUR", &date), i(0));
        assert_eq!(ok("DAYOFYEAR", &date), i(365));
        let time = Value::Time(Time::new(7, 8, 9).unwrap());
        assert_eq!(ok("MINUTE", std::slice::from_ref(&time)), i(8));
        assert_eq!(
            call("YEAR", &[time]).unwrap_err().state,
            SqlState::InvalidCharacterValueForCast
        );
        assert_eq!(ok("YEAR", &[t("2023-05-06")]), i(2023));
        assert_eq!(ok("HOUR", &[t("2023-05-06T07:00:00Z")]), i(7));
        assert_eq!(
            call("MONTH", &[t("May")]).unwrap_err().state,
            SqlState::InvalidCharacterValueForCast
        );
    }

    #[test]
    fn timestamp_add_and_diff() {
        let add = ScalarFunction::TimestampAdd(IntervalUnit::Month);
        let jan31 = Value::Date(Date::new(2024, 1, 31).unwrap());
        assert_eq!(
            add.eval(&[i(1), jan31.clone()], &env()).unwrap(),
            Value::Timestamp(Timestamp::parse("2024-02-29").unwrap())
        );
        let add_hours = ScalarFunction::TimestampAdd(IntervalUnit::Hour);
        let time = Value::Time(Time::new(23, 0, 0).unwrap());
        assert_eq!(
            add_hours.eval(&[i(2), time], &env()).unwrap(),
            Value::Timestamp(Timestamp::parse("2025-06-16 01:00:00").unwrap())
        );
        let diff = ScalarFunction::TimestampDiff(IntervalUnit::Day);
        let mar1 = Value::Text("2024-03-01".into());
        assert_eq!(diff.eval(&[jan31, mar1], &env()).unwrap(), i(30));
        assert_eq!(
            add.eval(&[t("x"), t("2024-01-01")], &env())
                .unwrap_err()
                .state,
            SqlState::InvalidCharacterValueForCast
        );
    }

    #[test]
    fn system_functions() {
        assert_eq!(ok("USER", &[]), t("ann"));
        assert_eq!(ok("DATABASE", &[]), t("pipedrive"));
    }

    #[test]
    fn result_types_follow_the_arguments() {
        let typed = |data_type, nullable| TypedExpr {
            expr: Expr::Column(0),
            data_type,
            nullable,
        };
        let lit = |n: i64| TypedExpr {
            expr: Expr::Literal(Value::Int(n)),
            data_type: DataType::Integer,
            nullable: false,
        };
        use ScalarFunction as F;
        assert_eq!(
            F::Upper.result_type(&[typed(DataType::WVarchar(20), false)]),
            (DataType::WVarchar(20), false)
        );
        assert_eq!(
            F::Upper.result_type(&[typed(DataType::WLongVarchar, true)]),
            (DataType::WLongVarchar, true)
        );
        assert_eq!(
            F::Upper.result_type(&[typed(DataType::Integer, false)]),
            (DataType::WVarchar(11), false)
        );
        assert_eq!(
            F::Concat.result_type(&[
                typed(DataType::WVarchar(20), false),
                typed(DataType::WVarchar(5), true)
            ]),
            (DataType::WVarchar(25), true)
        );
        assert_eq!(
            F::Concat
                .result_type(&[
                    typed(DataType::WVarchar(20), false),
                    typed(DataType::WLongVarchar, false)
                ])
                .0,
            DataType::WLongVarchar
        );
        assert_eq!(
            F::Insert
                .result_type(&[
                    typed(DataType::WVarchar(10), false),
                    lit(1),
                    lit(2),
                    typed(DataType::WVarchar(3), false)
                ])
                .0,
            DataType::WVarchar(13)
        );
        assert_eq!(
            F::Repeat
                .result_type(&[typed(DataType::WVarchar(3), false), lit(4)])
                .0,
            DataType::WVarchar(12)
        );
        assert_eq!(
            F::Repeat
                .result_type(&[
                    typed(DataType::WVarchar(3), false),
                    typed(DataType::Integer, false)
                ])
                .0,
            DataType::WVarchar(4000)
        );
        assert_eq!(F::Space.result_type(&[lit(7)]).0, DataType::WVarchar(7));
        assert_eq!(
            F::Ascii.result_type(&[typed(DataType::WVarchar(3), false)]),
            (DataType::Integer, true)
        );
        assert_eq!(
            F::Abs.result_type(&[typed(DataType::Integer, false)]).0,
            DataType::Integer
        );
        assert_eq!(
            F::Abs.result_type(&[typed(DataType::BigInt, false)]).0,
            DataType::BigInt
        );
        assert_eq!(
            F::Abs.result_type(&[typed(DataType::WVarchar(5), false)]).0,
            DataType::Double
        );
        assert_eq!(
            F::Mod
                .result_type(&[
                    typed(DataType::Integer, false),
                    typed(DataType::BigInt, false)
                ])
                .0,
            DataType::Integer
        );
        assert_eq!(
            F::Mod
                .result_type(&[
                    typed(DataType::Double, false),
                    typed(DataType::Integer, false)
                ])
                .0,
            DataType::Double
        );
        assert_eq!(
            F::Sqrt.result_type(&[typed(DataType::Integer, false)]).0,
            DataType::Double
        );
        assert_eq!(
            F::Sign.result_type(&[typed(DataType::Double, false)]).0,
            DataType::Integer
        );
        assert_eq!(
            F::DayName.result_type(&[typed(DataType::Date, false)]).0,
            DataType::WVarchar(9)
        );
        assert_eq!(
            F::CurrentTimestamp.result_type(&[]),
            (DataType::Timestamp, false)
        );
        assert_eq!(
            F::TimestampDiff(IntervalUnit::Day).result_type(&[]).0,
            DataType::BigInt
        );
        assert_eq!(F::User.result_type(&[]), (DataType::WVarchar(128), false));
    }

    #[test]
    fn missing_arguments_are_errors_not_panics() {
        assert_eq!(
            ScalarFunction::Left
                .eval(&[t("a")], &env())
                .unwrap_err()
                .state,
            SqlState::GeneralError
        );
    }
}
