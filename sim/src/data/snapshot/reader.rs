//! Reading the members of a JSON object from a dataset file, with errors
//! that name where in the file the problem is (`deals.records[3].title:
//! expected a string`). `opt_*` readers treat a missing member and `null`
//! alike.

use crate::time;
use serde_json::{Map, Value};

pub(crate) struct Obj<'a> {
    map: &'a Map<String, Value>,
    path: String,
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl<'a> Obj<'a> {
    pub(crate) fn new(value: &'a Value, path: impl Into<String>) -> Result<Obj<'a>, String> {
        let path = path.into();
        match value {
            Value::Object(map) => Ok(Obj { map, path }),
            other => Err(format!(
                "{path}: expected an object, found {}",
                kind_of(other)
            )),
        }
    }

    pub(crate) fn map(&self) -> &'a Map<String, Value> {
        self.map
    }

    pub(crate) fn path(&self) -> &str {
        &self.path
    }

    pub(crate) fn at(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    pub(crate) fn err(&self, key: &str, problem: &str) -> String {
        format!("{}: {problem}", self.at(key))
    }

    pub(crate) fn keys(&self) -> impl Iterator<Item = &'a String> {
        self.map.keys()
    }

    /// The member, `None` when missing or `null`.
    pub(crate) fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    fn required(&self, key: &str) -> Result<&'a Value, String> {
        self.get(key).ok_or_else(|| self.err(key, "missing"))
    }

    fn expected(&self, key: &str, what: &str, found: &Value) -> String {
        self.err(key, &format!("expected {what}, found {}", kind_of(found)))
    }

    fn typed<T>(
        &self,
        key: &str,
        what: &str,
        read: impl Fn(&'a Value) -> Option<T>,
    ) -> Result<Option<T>, String> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => read(v).map(Some).ok_or_else(|| self.expected(key, what, v)),
        }
    }

    fn must<T>(&self, key: &str, value: Result<Option<T>, String>) -> Result<T, String> {
        value?.ok_or_else(|| self.err(key, "missing"))
    }

    pub(crate) fn opt_u64(&self, key: &str) -> Result<Option<u64>, String> {
        self.typed(key, "a non-negative integer", Value::as_u64)
    }

    pub(crate) fn u64(&self, key: &str) -> Result<u64, String> {
        self.must(key, self.opt_u64(key))
    }

    pub(crate) fn opt_i64(&self, key: &str) -> Result<Option<i64>, String> {
        self.typed(key, "an integer", Value::as_i64)
    }

    pub(crate) fn opt_f64(&self, key: &str) -> Result<Option<f64>, String> {
        self.typed(key, "a number", Value::as_f64)
    }

    pub(crate) fn opt_str(&self, key: &str) -> Result<Option<&'a str>, String> {
        self.typed(key, "a string", Value::as_str)
    }

    pub(crate) fn str(&self, key: &str) -> Result<&'a str, String> {
        self.must(key, self.opt_str(key))
    }

    pub(crate) fn opt_string(&self, key: &str) -> Result<Option<String>, String> {
        Ok(self.opt_str(key)?.map(str::to_string))
    }

    pub(crate) fn opt_bool(&self, key: &str) -> Result<Option<bool>, String> {
        self.typed(key, "true or false", Value::as_bool)
    }

    /// An RFC 3339 or `YYYY-MM-DD HH:MM:SS` time, as Unix seconds.
    pub(crate) fn opt_time(&self, key: &str) -> Result<Option<i64>, String> {
        self.typed(key, "a time such as 2025-01-01T10:20:00Z", |v| {
            time::parse_any_time(v.as_str()?)
        })
    }

    pub(crate) fn time(&self, key: &str) -> Result<i64, String> {
        self.must(key, self.opt_time(key))
    }

    /// A `YYYY-MM-DD` date, as days since 1970-01-01.
    pub(crate) fn opt_date(&self, key: &str) -> Result<Option<i64>, String> {
        self.typed(key, "a date such as 2025-01-31", |v| {
            time::parse_date(v.as_str()?)
        })
    }

    /// An array of non-negative integers; missing or `null` is empty.
    pub(crate) fn u64_list(&self, key: &str) -> Result<Vec<u64>, String> {
        match self.get(key) {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    v.as_u64()
                        .ok_or_else(|| self.expected(&format!("{key}[{i}]"), "an integer", v))
                })
                .collect(),
            Some(other) => Err(self.expected(key, "an array", other)),
        }
    }

    /// An array member; missing or `null` is empty.
    pub(crate) fn list(&self, key: &str) -> Result<&'a [Value], String> {
        match self.get(key) {
            None => Ok(&[]),
            Some(Value::Array(items)) => Ok(items),
            Some(other) => Err(self.expected(key, "an array", other)),
        }
    }

    /// The objects of an array member, each with its path.
    pub(crate) fn objects(&self, key: &str) -> Result<Vec<Obj<'a>>, String> {
        self.list(key)?
            .iter()
            .enumerate()
            .map(|(i, v)| Obj::new(v, format!("{}[{i}]", self.at(key))))
            .collect()
    }

    pub(crate) fn opt_obj(&self, key: &str) -> Result<Option<Obj<'a>>, String> {
        self.get(key).map(|v| Obj::new(v, self.at(key))).transpose()
    }

    pub(crate) fn obj(&self, key: &str) -> Result<Obj<'a>, String> {
        Obj::new(self.required(key)?, self.at(key))
    }
}
