//! Hash keys for values: GROUP BY, DISTINCT, UNION, hash joins and
//! IN (subquery) sets need values that SQL calls equal to hash equal.
//!
//! Within one comparison family (numbers, text, dates and timestamps,
//! times) two values have the same key exactly when `compare_values` says
//! they are equal: 2 and 2.0 share a key, a DATE shares its key with the
//! TIMESTAMP at its midnight, text is compared code point by code point.
//! Values of different families never share a key; callers compare those
//! with `compare_values` instead (or rule them out when planning).

use crate::types::DataType;
use crate::value::{Timestamp, Value};

/// The canonical form of one value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ValueKey {
    /// NULL: one group for GROUP BY and DISTINCT; joins and IN never look
    /// NULL keys up.
    Null,
    /// Integers, BITs and doubles without a fraction.
    Integer(i64),
    /// Other doubles, by their bits.
    Fraction(u64),
    Text(String),
    /// Dates and timestamps: seconds since 1970 and nanoseconds.
    Instant(i64, u32),
    /// Times of day, in seconds.
    Time(i64),
}

/// Which values can be equal to each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyFamily {
    Null,
    Number,
    Text,
    Instant,
    Time,
}

impl KeyFamily {
    /// The family the values of a column or expression type belong to.
    pub fn of_type(data_type: DataType) -> KeyFamily {
        match data_type {
            DataType::Bit
            | DataType::SmallInt
            | DataType::Integer
            | DataType::BigInt
            | DataType::Double => KeyFamily::Number,
            DataType::WVarchar(_) | DataType::WLongVarchar => KeyFamily::Text,
            DataType::Date | DataType::Timestamp => KeyFamily::Instant,
            DataType::Time => KeyFamily::Time,
        }
    }
}

/// Doubles at or beyond 2^63 in magnitude do not fit i64.
const TWO_POW_63: f64 = 9_223_372_036_854_775_808.0;

impl ValueKey {
    pub fn of(value: &Value) -> ValueKey {
        match value {
            Value::Null => ValueKey::Null,
            Value::Bool(b) => ValueKey::Integer(i64::from(*b)),
            Value::Int(n) => ValueKey::Integer(*n),
            Value::Double(d) => {
                if d.fract() == 0.0 && (-TWO_POW_63..TWO_POW_63).contains(d) {
                    // -0.0 lands here too, as 0.
                    ValueKey::Integer(*d as i64)
                } else {
                    ValueKey::Fraction(d.to_bits())
                }
            }
            Value::Text(s) => ValueKey::Text(s.clone()),
            Value::Date(d) => {
                let ts = Timestamp::from_date(*d);
                ValueKey::Instant(ts.seconds_since_epoch(), 0)
            }
            Value::Timestamp(ts) => ValueKey::Instant(ts.seconds_since_epoch(), ts.nanos),
            Value::Time(t) => ValueKey::Time(t.seconds_of_day()),
        }
    }

    pub fn family(&self) -> KeyFamily {
        match self {
            ValueKey::Null => KeyFamily::Null,
            ValueKey::Integer(_) | ValueKey::Fraction(_) => KeyFamily::Number,
            ValueKey::Text(_) => KeyFamily::Text,
            ValueKey::Instant(..) => KeyFamily::Instant,
            ValueKey::Time(_) => KeyFamily::Time,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, ValueKey::Null)
    }
}

/// The key of a row (or of some of its columns).
pub fn row_key(values: &[Value]) -> Vec<ValueKey> {
    values.iter().map(ValueKey::of).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::expr::compare_values;
    use crate::value::{Date, Time};
    use std::cmp::Ordering;

    fn values() -> Vec<Value> {
        let day = Date::new(2025, 3, 4).unwrap();
        vec![
            Value::Bool(true),
            Value::Bool(false),
            Value::Int(0),
            Value::Int(1),
            Value::Int(-7),
            Value::Double(1.0),
            Value::Double(-0.0),
            Value::Double(2.5),
            Value::Double(1e300),
            Value::Text("a".into()),
            Value::Text("A".into()),
            Value::Text("1".into()),
            Value::Date(day),
            Value::Timestamp(Timestamp::from_date(day)),
            Value::Timestamp(Timestamp::parse("2025-03-04 00:00:01").unwrap()),
            Value::Time(Time::new(1, 2, 3).unwrap()),
        ]
    }

    #[test]
    fn keys_agree_with_sql_equality_within_a_family() {
        for a in values() {
            for b in values() {
                let (ka, kb) = (ValueKey::of(&a), ValueKey::of(&b));
                if ka.family() != kb.family() {
                    assert_ne!(ka, kb, "{a:?} {b:?}");
                    continue;
                }
                let equal = compare_values(&a, &b).map(|o| o == Ordering::Equal);
                assert_eq!(Ok(ka == kb), equal, "{a:?} vs {b:?}");
            }
        }
    }

    #[test]
    fn families_follow_types() {
        assert_eq!(KeyFamily::of_type(DataType::Bit), KeyFamily::Number);
        assert_eq!(KeyFamily::of_type(DataType::Date), KeyFamily::Instant);
        assert_eq!(KeyFamily::of_type(DataType::WVarchar(3)), KeyFamily::Text);
        assert_eq!(ValueKey::of(&Value::Null).family(), KeyFamily::Null);
    }
}
