//! `multipart/form-data` bodies (RFC 7578 on RFC 2046's multipart
//! syntax), for `POST /files`: the boundary from the `Content-Type`
//! parameter, parts separated by `CRLF--boundary`, each with its headers
//! and `Content-Disposition: form-data; name="..."[; filename="..."]`.
//! Parameter values may be quoted (with backslash escapes) or bare tokens.
//! Anything malformed is an error naming the problem, never a guess.

/// One part of the body.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Part<'a> {
    pub name: String,
    /// `filename` of the part (file parts have one).
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub data: &'a [u8],
}

/// More parts than any form needs; a guard against pathological bodies.
const MAX_PARTS: usize = 64;

/// A header value's first token (lower-cased) and its `;`-separated
/// parameters (names lower-cased, quoted values unescaped).
fn header_params(value: &str) -> Result<(String, Vec<(String, String)>), String> {
    let mut chars = value.chars().peekable();
    let mut first = String::new();
    while let Some(&c) = chars.peek() {
        if c == ';' {
            break;
        }
        first.push(c);
        chars.next();
    }
    let mut params = Vec::new();
    while chars.next() == Some(';') {
        let mut name = String::new();
        for c in chars.by_ref() {
            if c == '=' {
                break;
            }
            name.push(c);
        }
        let name = name.trim().to_ascii_lowercase();
        if name.is_empty() {
            return Err("a header parameter has no name".to_string());
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut value = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            let mut closed = false;
            while let Some(c) = chars.next() {
                match c {
                    '"' => {
                        closed = true;
                        break;
                    }
                    '\\' => match chars.next() {
                        Some(escaped) => value.push(escaped),
                        None => break,
                    },
                    other => value.push(other),
                }
            }
            if !closed {
                return Err(format!("the quoted value of '{name}' is not closed"));
            }
            while chars.peek().is_some_and(|&c| c != ';') {
                let c = chars.next().unwrap_or(' ');
                if !c.is_whitespace() {
                    return Err(format!("text after the quoted value of '{name}'"));
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c == ';' {
                    break;
                }
                value.push(c);
                chars.next();
            }
            value = value.trim().to_string();
        }
        params.push((name, value));
    }
    Ok((first.trim().to_ascii_lowercase(), params))
}

fn param<'p>(params: &'p [(String, String)], name: &str) -> Option<&'p str> {
    params
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// The boundary of a `multipart/form-data` content type.
pub(crate) fn boundary(content_type: &str) -> Result<String, String> {
    let (media, params) = header_params(content_type)?;
    if media != "multipart/form-data" {
        return Err(format!(
            "Content-Type must be multipart/form-data, not '{media}'"
        ));
    }
    let boundary =
        param(&params, "boundary").ok_or("the multipart/form-data Content-Type has no boundary")?;
    // RFC 2046: 1 to 70 characters, not ending in a space.
    if boundary.is_empty() || boundary.len() > 70 || boundary.ends_with(' ') {
        return Err("the multipart boundary must be 1 to 70 characters".to_string());
    }
    Ok(boundary.to_string())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Whether the bytes after a delimiter make it one: `--` (the close
/// delimiter) or optional spaces and tabs, then CRLF. Data that merely
/// starts a line with the delimiter text (`--boundaryX`) is not one.
fn ends_delimiter(after: &[u8]) -> bool {
    if after.starts_with(b"--") {
        return true;
    }
    let padding = after
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count();
    after[padding..].starts_with(b"\r\n")
}

/// The first real delimiter (`CRLF--boundary`) in `data`.
fn find_delimiter(data: &[u8], delimiter: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = find(&data[from..], delimiter) {
        let at = from + found;
        if ends_delimiter(&data[at + delimiter.len()..]) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// RFC 5987 `filename*=UTF-8''percent%20encoded`.
fn extended_value(value: &str) -> Option<String> {
    let (charset, rest) = value.split_once('\'')?;
    let (_language, encoded) = rest.split_once('\'')?;
    if !charset.eq_ignore_ascii_case("utf-8") {
        return None;
    }
    let bytes = encoded.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn parse_headers(
    block: &[u8],
    index: usize,
) -> Result<(String, Option<String>, Option<String>), String> {
    let text = std::str::from_utf8(block)
        .map_err(|_| format!("part {index}: its headers are not UTF-8"))?;
    let mut disposition = None;
    let mut content_type = None;
    for line in text.split("\r\n") {
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| format!("part {index}: malformed header line '{line}'"))?;
        match name.trim().to_ascii_lowercase().as_str() {
            "content-disposition" => disposition = Some(value.trim().to_string()),
            "content-type" => content_type = Some(value.trim().to_string()),
            _ => {}
        }
    }
    let disposition =
        disposition.ok_or_else(|| format!("part {index} has no Content-Disposition header"))?;
    let (kind, params) = header_params(&disposition).map_err(|e| format!("part {index}: {e}"))?;
    if kind != "form-data" {
        return Err(format!(
            "part {index}: Content-Disposition must be form-data, not '{kind}'"
        ));
    }
    let name = param(&params, "name")
        .filter(|n| !n.is_empty())
        .ok_or_else(|| format!("part {index} has no name"))?
        .to_string();
    let filename = match param(&params, "filename*") {
        Some(ext) => Some(
            extended_value(ext)
                .ok_or_else(|| format!("part {index}: filename* is not UTF-8''percent-encoded"))?,
        ),
        None => param(&params, "filename").map(str::to_string),
    };
    Ok((name, filename, content_type))
}

/// The parts of a body with this boundary.
pub(crate) fn parse<'a>(body: &'a [u8], boundary: &str) -> Result<Vec<Part<'a>>, String> {
    let delimiter = format!("--{boundary}");
    let delimiter = delimiter.as_bytes();
    // The first delimiter starts the body or follows a preamble's CRLF.
    let mut at = if body.starts_with(delimiter) {
        delimiter.len()
    } else {
        let with_crlf = [b"\r\n", delimiter].concat();
        find(body, &with_crlf).ok_or("the body has no multipart boundary line")? + with_crlf.len()
    };
    let next_delimiter = [b"\r\n", delimiter].concat();
    let mut parts = Vec::new();
    loop {
        let rest = &body[at..];
        if rest.starts_with(b"--") {
            // The close delimiter; anything after it is an epilogue.
            return if parts.is_empty() {
                Err("the multipart body has no parts".to_string())
            } else {
                Ok(parts)
            };
        }
        // Transport padding, then the line break ending the delimiter line.
        let padding = rest
            .iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
        if !rest[padding..].starts_with(b"\r\n") {
            return Err("a boundary line does not end in CRLF".to_string());
        }
        if parts.len() == MAX_PARTS {
            return Err(format!("more than {MAX_PARTS} parts"));
        }
        let index = parts.len() + 1;
        let part_start = at + padding + 2;
        let part = &body[part_start..];
        let (headers, data_start) = if part.starts_with(b"\r\n") {
            (&part[..0], 2)
        } else {
            let end = find(part, b"\r\n\r\n")
                .ok_or_else(|| format!("part {index}: its headers do not end"))?;
            (&part[..end], end + 4)
        };
        let (name, filename, content_type) = parse_headers(headers, index)?;
        let data_and_rest = &part[data_start..];
        let data_len = find_delimiter(data_and_rest, &next_delimiter)
            .ok_or_else(|| format!("part {index} ('{name}') is not followed by a boundary line"))?;
        parts.push(Part {
            name,
            filename,
            content_type,
            data: &data_and_rest[..data_len],
        });
        at = part_start + data_start + data_len + next_delimiter.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(parts: &[&str]) -> Vec<u8> {
        let mut out = Vec::new();
        for p in parts {
            out.extend_from_slice(b"--XyZ\r\n");
            out.extend_from_slice(p.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"--XyZ--\r\n");
        out
    }

    #[test]
    fn boundaries_quoted_or_not() {
        assert_eq!(
            boundary("multipart/form-data; boundary=XyZ").unwrap(),
            "XyZ"
        );
        assert_eq!(
            boundary("Multipart/Form-Data;boundary=\"a b;c\"").unwrap(),
            "a b;c"
        );
        assert_eq!(
            boundary("multipart/form-data; charset=utf-8; boundary=\"q\\\"x\"").unwrap(),
            "q\"x"
        );
        for bad in [
            "application/json",
            "multipart/form-data",
            "multipart/form-data; boundary=",
            "multipart/form-data; boundary=\"open",
            "multipart/mixed; boundary=x",
        ] {
            assert!(boundary(bad).is_err(), "{bad}");
        }
        assert!(boundary(&format!("multipart/form-data; boundary={}", "b".repeat(71))).is_err());
    }

    #[test]
    fn parts_with_names_files_and_binary_data() {
        let mut raw = body(&[
            "Content-Disposition: form-data; name=\"deal_id\"\r\n\r\n7",
            "content-disposition: form-data; name=file; filename=\"a \\\"q\\\".bin\"\r\nContent-Type: application/octet-stream\r\n\r\n\u{0}\r\n\r\n--XyZ-not-a-boundary\r\n--XyZx",
        ]);
        raw.splice(0..0, b"preamble\r\n".iter().copied());
        let parts = parse(&raw, "XyZ").unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].name, "deal_id");
        assert_eq!(parts[0].data, b"7");
        assert_eq!(parts[1].filename.as_deref(), Some("a \"q\".bin"));
        assert_eq!(
            parts[1].content_type.as_deref(),
            Some("application/octet-stream")
        );
        assert_eq!(parts[1].data, b"\0\r\n\r\n--XyZ-not-a-boundary\r\n--XyZx");
    }

    #[test]
    fn empty_data_and_utf8_file_names() {
        let raw = body(&[
            "Content-Disposition: form-data; name=\"file\"; filename*=UTF-8''%E6%97%A5%E6%9C%AC.txt\r\n\r\n",
        ]);
        let parts = parse(&raw, "XyZ").unwrap();
        assert_eq!(parts[0].filename.as_deref(), Some("日本.txt"));
        assert_eq!(parts[0].data, b"");
    }

    #[test]
    fn malformed_bodies_are_errors() {
        let cases: Vec<Vec<u8>> = vec![
            b"".to_vec(),
            b"no boundary here".to_vec(),
            b"--XyZ--\r\n".to_vec(),
            b"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue".to_vec(),
            b"--XyZ\nContent-Disposition: form-data; name=\"a\"\n\nv\n--XyZ--".to_vec(),
            body(&["Content-Type: text/plain\r\n\r\nv"]),
            body(&["Content-Disposition: form-data\r\n\r\nv"]),
            body(&["Content-Disposition: attachment; name=\"a\"\r\n\r\nv"]),
            body(&["Content-Disposition: form-data; name=\"a\r\n\r\nv"]),
            body(&["no colon\r\n\r\nv"]),
            b"--XyZ\r\nContent-Disposition: form-data; name=\"a\"".to_vec(),
        ];
        for (i, raw) in cases.iter().enumerate() {
            assert!(parse(raw, "XyZ").is_err(), "case {i}");
        }
    }
}
