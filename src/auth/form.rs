//! The URL pieces OAuth needs: percent-encoding of query and form values,
//! and reading the query of a redirect (`?code=...&state=...`). Kept apart
//! from the API client's encoder because decoding is needed here too.

/// Percent-encodes everything but RFC 3986's unreserved characters, which is
/// valid both in a query string and in an `application/x-www-form-urlencoded`
/// body.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `key=value&...` with every key and value encoded.
pub fn encode_pairs(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(key, value)| format!("{}={}", encode(key), encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Decodes `%XX` and `+` (a form's space); `None` for a malformed escape or
/// text that is not UTF-8.
pub fn decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'%' => {
                let hex = bytes.get(i + 1..i + 3)?;
                let hex = std::str::from_utf8(hex).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// The decoded value of the first `name` parameter in a query string (the
/// part after `?`, without a fragment).
pub fn query_value(query: &str, name: &str) -> Option<String> {
    let query = query.split('#').next().unwrap_or_default();
    query
        .split('&')
        .filter_map(|pair| pair.split_once('=').or(Some((pair, ""))))
        .find(|(key, _)| decode(key).as_deref() == Some(name))
        .and_then(|(_, value)| decode(value))
}

/// The query of a URL or request target (`/cb?code=1` -> `code=1`).
pub fn query_of(target: &str) -> &str {
    target.split_once('?').map_or("", |(_, query)| query)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_round_trips() {
        let text = "a b&c=d/é:1";
        assert_eq!(encode(text), "a%20b%26c%3Dd%2F%C3%A9%3A1");
        assert_eq!(decode(&encode(text)).as_deref(), Some(text));
        assert_eq!(decode("a+b").as_deref(), Some("a b"));
        assert_eq!(decode("%zz"), None);
        assert_eq!(decode("%4"), None);
        assert_eq!(decode("%FF"), None, "not UTF-8");
    }

    #[test]
    fn query_values_are_found_and_decoded() {
        let target = "/callback?code=abc%2F1&state=x%20y#frag";
        let query = query_of(target);
        assert_eq!(query_value(query, "code").as_deref(), Some("abc/1"));
        assert_eq!(query_value(query, "state").as_deref(), Some("x y"));
        assert_eq!(query_value(query, "error"), None);
        assert_eq!(query_value("flag&x=1", "flag").as_deref(), Some(""));
        assert_eq!(
            encode_pairs(&[("grant_type", "refresh_token"), ("t", "1:1")]),
            "grant_type=refresh_token&t=1%3A1"
        );
    }
}
