//! What an uncorrelated subquery leaves for the rest of the statement: a
//! single value (scalar subqueries, EXISTS) or the set of values an
//! `IN (subquery)` tests against, with SQL's three-valued membership.

use super::expr::compare_values;
use super::keys::{KeyFamily, ValueKey};
use crate::diag::OdbcError;
use crate::value::Value;
use std::cmp::Ordering;
use std::collections::HashSet;

/// The result of one subquery, by slot in `EvalEnv::subqueries`.
#[derive(Debug, Clone, PartialEq)]
pub enum SubqueryResult {
    Value(Value),
    Set(ValueSet),
}

/// The distinct values of a one-column subquery, and whether it produced a
/// NULL.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ValueSet {
    keys: HashSet<ValueKey>,
    /// The distinct non-NULL values, in first-seen order (for pushdown and
    /// for comparisons across families).
    values: Vec<Value>,
    has_null: bool,
    /// The family of every value, when they share one.
    family: Option<KeyFamily>,
    mixed_families: bool,
}

impl ValueSet {
    pub fn insert(&mut self, value: Value) {
        if value.is_null() {
            self.has_null = true;
            return;
        }
        let key = ValueKey::of(&value);
        match self.family {
            None => self.family = Some(key.family()),
            Some(f) if f != key.family() => self.mixed_families = true,
            Some(_) => {}
        }
        if self.keys.insert(key) {
            self.values.push(value);
        }
    }

    /// No rows at all (a set holding only NULL is not empty).
    pub fn is_empty(&self) -> bool {
        self.values.is_empty() && !self.has_null
    }

    pub fn has_null(&self) -> bool {
        self.has_null
    }

    /// The distinct non-NULL values.
    pub fn values(&self) -> &[Value] {
        &self.values
    }

    /// `needle IN (set)`: true when some value equals it; else unknown when
    /// the needle or some value is NULL; else false. Over an empty set the
    /// answer is false whatever the needle, NULL included.
    pub fn contains(&self, needle: &Value) -> Result<Option<bool>, OdbcError> {
        if self.is_empty() {
            return Ok(Some(false));
        }
        if needle.is_null() {
            return Ok(None);
        }
        let key = ValueKey::of(needle);
        let found = if !self.mixed_families && self.family.map_or(true, |f| f == key.family()) {
            self.keys.contains(&key)
        } else {
            // Values of another family compare the way `=` does (text
            // read as a number, or a 22018 error).
            let mut found = false;
            for value in &self.values {
                if compare_values(needle, value)? == Ordering::Equal {
                    found = true;
                    break;
                }
            }
            found
        };
        Ok(if found {
            Some(true)
        } else if self.has_null {
            None
        } else {
            Some(false)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(values: &[Value]) -> ValueSet {
        let mut s = ValueSet::default();
        for v in values {
            s.insert(v.clone());
        }
        s
    }

    #[test]
    fn membership_is_three_valued() {
        let plain = set(&[Value::Int(1), Value::Int(2), Value::Int(2)]);
        assert_eq!(plain.values().len(), 2);
        assert_eq!(plain.contains(&Value::Int(2)).unwrap(), Some(true));
        assert_eq!(plain.contains(&Value::Double(2.0)).unwrap(), Some(true));
        assert_eq!(plain.contains(&Value::Int(3)).unwrap(), Some(false));
        assert_eq!(plain.contains(&Value::Null).unwrap(), None);

        let with_null = set(&[Value::Int(1), Value::Null]);
        assert_eq!(with_null.contains(&Value::Int(1)).unwrap(), Some(true));
        assert_eq!(with_null.contains(&Value::Int(3)).unwrap(), None);

        let only_null = set(&[Value::Null]);
        assert!(!only_null.is_empty());
        assert_eq!(only_null.contains(&Value::Int(3)).unwrap(), None);
    }

    #[test]
    fn the_empty_set_contains_nothing_not_even_unknown() {
        let empty = ValueSet::default();
        assert_eq!(empty.contains(&Value::Int(1)).unwrap(), Some(false));
        assert_eq!(empty.contains(&Value::Null).unwrap(), Some(false));
    }

    #[test]
    fn other_families_compare_like_equals() {
        let numbers = set(&[Value::Int(10)]);
        assert_eq!(
            numbers.contains(&Value::Text("10".into())).unwrap(),
            Some(true)
        );
        assert!(numbers.contains(&Value::Text("ten".into())).is_err());
    }
}
