//! Query strings: percent-decoding and typed parameter access. Every
//! accessor turns bad input into a 400 [`ApiError`], never a panic.

use crate::errors::ApiError;
use crate::time;

pub(crate) struct Query {
    pairs: Vec<(String, String)>,
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Decodes `%XX` escapes and `+` (space). Malformed escapes stay literal;
/// invalid UTF-8 becomes U+FFFD, which later validation rejects.
pub(crate) fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match (hex_value(bytes[i + 1]), hex_value(bytes[i + 2])) {
                    (Some(h), Some(l)) => {
                        out.push(h << 4 | l);
                        i += 3;
                        continue;
                    }
                    _ => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl Query {
    pub(crate) fn parse(raw: &str) -> Query {
        let pairs = raw
            .split('&')
            .filter(|part| !part.is_empty())
            .map(|part| {
                let (name, value) = part.split_once('=').unwrap_or((part, ""));
                (percent_decode(name), percent_decode(value))
            })
            .collect();
        Query { pairs }
    }

    /// The first value of `name`; an empty value counts as absent.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    pub(crate) fn u64(&self, name: &str) -> Result<Option<u64>, ApiError> {
        self.get(name)
            .map(|v| {
                v.trim()
                    .parse::<u64>()
                    .map_err(|_| ApiError::invalid_param(name, "Expected a non-negative integer"))
            })
            .transpose()
    }

    pub(crate) fn bool(&self, name: &str) -> Result<Option<bool>, ApiError> {
        self.get(name)
            .map(|v| match v {
                "true" => Ok(true),
                "false" => Ok(false),
                _ => Err(ApiError::invalid_param(name, "Expected true or false")),
            })
            .transpose()
    }

    /// One value out of a fixed set.
    pub(crate) fn one_of<T>(
        &self,
        name: &str,
        parse: impl Fn(&str) -> Option<T>,
        allowed: &[&str],
    ) -> Result<Option<T>, ApiError> {
        self.get(name)
            .map(|v| match allowed.contains(&v).then(|| parse(v)).flatten() {
                Some(t) => Ok(t),
                None => Err(ApiError::invalid_param(
                    name,
                    &format!("Expected one of {}", allowed.join(", ")),
                )),
            })
            .transpose()
    }

    /// An RFC 3339 timestamp as Unix seconds.
    pub(crate) fn timestamp(&self, name: &str) -> Result<Option<i64>, ApiError> {
        self.get(name)
            .map(|v| {
                time::parse_rfc3339(v).ok_or_else(|| {
                    ApiError::invalid_param(
                        name,
                        "Expected an RFC 3339 date-time such as 2025-01-01T10:20:00Z",
                    )
                })
            })
            .transpose()
    }

    /// A comma-separated list of non-empty items.
    pub(crate) fn list(&self, name: &str) -> Option<Vec<&str>> {
        self.get(name).map(|v| {
            v.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect()
        })
    }

    /// Every item of a list parameter given as `name=1,2`, repeated
    /// (`name=1&name=2`) or in bracket form (`name[]=1&name[]=2`).
    pub(crate) fn all(&self, name: &str) -> Vec<&str> {
        let bracketed = format!("{name}[]");
        self.pairs
            .iter()
            .filter(|(n, _)| n == name || *n == bracketed)
            .flat_map(|(_, v)| v.split(','))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect()
    }

    /// A comma-separated list of ids, at most `max` of them.
    pub(crate) fn id_list(&self, name: &str, max: usize) -> Result<Option<Vec<u64>>, ApiError> {
        let Some(items) = self.list(name) else {
            return Ok(None);
        };
        if items.len() > max {
            return Err(ApiError::invalid_param(
                name,
                &format!("At most {max} ids are allowed"),
            ));
        }
        items
            .iter()
            .map(|s| {
                s.parse::<u64>()
                    .map_err(|_| ApiError::invalid_param(name, "Expected comma-separated integers"))
            })
            .collect::<Result<Vec<u64>, _>>()
            .map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding() {
        assert_eq!(percent_decode("a%2Cb+c"), "a,b c");
        assert_eq!(percent_decode("%E6%9D%B1"), "東");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
    }

    #[test]
    fn typed_access() {
        let q = Query::parse("owner_id=5&bad=x&ids=1,%202,3&flag=true&empty=&status=won");
        assert_eq!(q.u64("owner_id").unwrap(), Some(5));
        assert_eq!(q.u64("missing").unwrap(), None);
        assert_eq!(q.u64("empty").unwrap(), None);
        assert_eq!(q.u64("bad").unwrap_err().status, 400);
        assert_eq!(q.id_list("ids", 100).unwrap(), Some(vec![1, 2, 3]));
        assert_eq!(q.id_list("ids", 2).unwrap_err().status, 400);
        assert_eq!(q.bool("flag").unwrap(), Some(true));
        assert!(q.bool("bad").is_err());
        assert!(q
            .one_of("status", |s| Some(s.len()), &["open", "won"])
            .unwrap()
            .is_some());
        assert!(q.one_of("bad", |s| Some(s.len()), &["open"]).is_err());
    }
}
