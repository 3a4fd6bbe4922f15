//! Reading one HTTP/1.x request (head and whole body) off a connection.
//!
//! Only what HTTP clients send to an API: a request line, headers, and a
//! body framed by `Content-Length` or chunked transfer coding. Anything
//! else is a [`RequestError`] naming what was wrong, which the connection
//! answers with 400 (or 431, 501, 505) before closing. A body over the
//! limit is flagged instead, so that the API can refuse it in its words.

use std::io::{self, BufRead, Read};

/// Bodies beyond this are flagged (the API answers 413); no Pipedrive
/// request comes close.
pub(crate) const MAX_BODY_BYTES: u64 = 16 * 1024 * 1024;
/// One request line or header line.
const MAX_LINE_BYTES: usize = 16 * 1024;
/// The whole head: request line and headers.
const MAX_HEAD_BYTES: usize = 64 * 1024;
const MAX_HEADERS: usize = 128;

/// A request as it came off the wire.
#[derive(Debug)]
pub(crate) struct Request {
    pub method: String,
    /// Path and query, as sent.
    pub target: String,
    /// `(major, minor)`; only 1.0 and 1.1 are accepted.
    pub version: (u8, u8),
    /// In the order sent; names as sent (compare without case).
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// True when the body was longer than [`MAX_BODY_BYTES`]: `body` is
    /// empty and the rest of the connection unusable.
    pub body_too_large: bool,
}

impl Request {
    /// The first header called `name` (any case).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Whether the client wants the connection kept open afterwards
    /// (HTTP/1.1 unless `Connection: close`; HTTP/1.0 only with
    /// `Connection: keep-alive`).
    pub(crate) fn keep_alive(&self) -> bool {
        let has = |token: &str| {
            self.headers
                .iter()
                .filter(|(n, _)| n.eq_ignore_ascii_case("connection"))
                .flat_map(|(_, v)| v.split(','))
                .any(|t| t.trim().eq_ignore_ascii_case(token))
        };
        if self.version >= (1, 1) {
            !has("close")
        } else {
            has("keep-alive")
        }
    }
}

/// Why a request could not be read; the connection cannot be used after.
#[derive(Debug)]
pub(crate) enum RequestError {
    /// The socket failed or closed mid-request: nobody to answer.
    Io,
    /// Not HTTP, or HTTP this server does not take: answer with `status`.
    Refused { status: u16, reason: String },
}

impl From<io::Error> for RequestError {
    fn from(_: io::Error) -> Self {
        RequestError::Io
    }
}

fn refused(status: u16, reason: impl Into<String>) -> RequestError {
    RequestError::Refused {
        status,
        reason: reason.into(),
    }
}

/// What [`read_head`] found before the body.
pub(crate) enum Head {
    /// The client closed the connection between requests.
    Closed,
    Request(Request),
}

/// Reads the request line and headers. Empty lines before the request
/// line are skipped (RFC 9112 section 2.2). The body is left unread: read
/// it with [`read_body`] (after answering `Expect: 100-continue`).
pub(crate) fn read_head(reader: &mut impl BufRead) -> Result<Head, RequestError> {
    let mut head_bytes = 0;
    let request_line = loop {
        match read_line(reader, &mut head_bytes)? {
            None => return Ok(Head::Closed),
            Some(line) if line.is_empty() => continue,
            Some(line) => break line,
        }
    };
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(refused(400, "malformed request line"));
    };
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(refused(400, "malformed method"));
    }
    if !target.starts_with('/') {
        return Err(refused(400, "the request target must be a path"));
    }
    let version = match version {
        "HTTP/1.1" => (1, 1),
        "HTTP/1.0" => (1, 0),
        _ => return Err(refused(505, "only HTTP/1.0 and HTTP/1.1 are served")),
    };
    let mut headers = Vec::new();
    loop {
        let Some(line) = read_line(reader, &mut head_bytes)? else {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "closed in the head").into());
        };
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            return Err(refused(400, "folded header lines are not accepted"));
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(refused(400, "a header line without ':'"));
        };
        if name.is_empty() || name.ends_with([' ', '\t']) {
            return Err(refused(400, "malformed header name"));
        }
        if headers.len() == MAX_HEADERS {
            return Err(refused(431, "too many headers"));
        }
        headers.push((name.to_string(), value.trim().to_string()));
    }
    Ok(Head::Request(Request {
        method: method.to_string(),
        target: target.to_string(),
        version,
        headers,
        body: Vec::new(),
        body_too_large: false,
    }))
}

/// One line without its CRLF (a bare LF is accepted too); `None` at a
/// clean end of stream before any byte of the line.
fn read_line(
    reader: &mut impl BufRead,
    head_bytes: &mut usize,
) -> Result<Option<String>, RequestError> {
    let mut line = Vec::new();
    let n = reader
        .take(MAX_LINE_BYTES as u64 + 1)
        .read_until(b'\n', &mut line)?;
    if n == 0 {
        return Ok(None);
    }
    *head_bytes += n;
    if *head_bytes > MAX_HEAD_BYTES {
        return Err(refused(431, "the request head is too large"));
    }
    if line.last() != Some(&b'\n') {
        if n > MAX_LINE_BYTES {
            return Err(refused(431, "a line of the request head is too long"));
        }
        return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "closed in the head").into());
    }
    line.pop();
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    String::from_utf8(line)
        .map(Some)
        .map_err(|_| refused(400, "the request head is not UTF-8"))
}

/// How the body is framed (RFC 9112 section 6.3).
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Framing {
    None,
    Length(u64),
    Chunked,
}

pub(crate) fn framing(request: &Request) -> Result<Framing, RequestError> {
    let transfer_encoding: Vec<&str> = request
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("transfer-encoding"))
        .flat_map(|(_, v)| v.split(','))
        .map(str::trim)
        .collect();
    let lengths: Vec<&str> = request
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .map(|(_, v)| v.as_str())
        .collect();
    if !transfer_encoding.is_empty() {
        // Both framings at once is how requests get smuggled: refuse.
        if !lengths.is_empty() {
            return Err(refused(400, "both Transfer-Encoding and Content-Length"));
        }
        return match transfer_encoding.last() {
            Some(last) if last.eq_ignore_ascii_case("chunked") => Ok(Framing::Chunked),
            _ => Err(refused(501, "only chunked transfer coding is served")),
        };
    }
    let Some(first) = lengths.first() else {
        return Ok(Framing::None);
    };
    if lengths.iter().any(|l| l != first) {
        return Err(refused(400, "conflicting Content-Length headers"));
    }
    if first.is_empty() || !first.bytes().all(|b| b.is_ascii_digit()) {
        return Err(refused(400, "malformed Content-Length"));
    }
    // Only digits, so a parse failure is an overflow: too large.
    Ok(Framing::Length(first.parse().unwrap_or(u64::MAX)))
}

/// A body read whole, or the news that it is larger than allowed.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Body {
    Complete(Vec<u8>),
    /// Over [`MAX_BODY_BYTES`]; what was not read is still on the wire.
    TooLarge,
}

/// Reads the whole body as framed, up to [`MAX_BODY_BYTES`].
pub(crate) fn read_body(
    reader: &mut impl BufRead,
    framing: &Framing,
) -> Result<Body, RequestError> {
    match *framing {
        Framing::None => Ok(Body::Complete(Vec::new())),
        Framing::Length(n) if n > MAX_BODY_BYTES => Ok(Body::TooLarge),
        Framing::Length(n) => {
            let mut body = Vec::with_capacity(n as usize);
            reader.take(n).read_to_end(&mut body)?;
            if body.len() as u64 != n {
                return Err(
                    io::Error::new(io::ErrorKind::UnexpectedEof, "closed in the body").into(),
                );
            }
            Ok(Body::Complete(body))
        }
        Framing::Chunked => read_chunked(reader),
    }
}

fn read_chunked(reader: &mut impl BufRead) -> Result<Body, RequestError> {
    let mut body = Vec::new();
    let mut head_bytes = 0;
    loop {
        let Some(line) = read_line(reader, &mut head_bytes)? else {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "closed in the body").into());
        };
        head_bytes = 0;
        let size_text = line.split(';').next().unwrap_or("").trim();
        let size =
            u64::from_str_radix(size_text, 16).map_err(|_| refused(400, "malformed chunk size"))?;
        if size == 0 {
            break;
        }
        if body.len() as u64 + size > MAX_BODY_BYTES {
            return Ok(Body::TooLarge);
        }
        let start = body.len();
        reader.take(size).read_to_end(&mut body)?;
        if (body.len() - start) as u64 != size {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "closed in the body").into());
        }
        match read_line(reader, &mut head_bytes)? {
            Some(end) if end.is_empty() => {}
            _ => return Err(refused(400, "a chunk not followed by CRLF")),
        }
    }
    // Trailer fields, up to the empty line; none is used.
    loop {
        match read_line(reader, &mut head_bytes)? {
            Some(line) if line.is_empty() => return Ok(Body::Complete(body)),
            Some(_) => continue,
            None => {
                return Err(
                    io::Error::new(io::ErrorKind::UnexpectedEof, "closed in the trailer").into(),
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::BufReader;

    fn parse(raw: &[u8]) -> Result<Request, RequestError> {
        let mut reader = BufReader::new(raw);
        let Head::Request(mut request) = read_head(&mut reader)? else {
            panic!("closed");
        };
        match read_body(&mut reader, &framing(&request)?)? {
            Body::Complete(body) => request.body = body,
            Body::TooLarge => request.body_too_large = true,
        }
        Ok(request)
    }

    fn status(result: Result<Request, RequestError>) -> u16 {
        match result {
            Err(RequestError::Refused { status, .. }) => status,
            Err(RequestError::Io) => panic!("io error"),
            Ok(r) => panic!("accepted {r:?}"),
        }
    }

    #[test]
    fn reads_a_request_with_a_length_framed_body() {
        let r = parse(b"POST /oauth/token?x=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nX-Api-Token:  t \r\n\r\nhelloNEXT").unwrap();
        assert_eq!(r.method, "POST");
        assert_eq!(r.target, "/oauth/token?x=1");
        assert_eq!(r.version, (1, 1));
        assert_eq!(r.header("x-api-token"), Some("t"));
        assert_eq!(r.body, b"hello");
        assert!(r.keep_alive());
    }

    #[test]
    fn reads_a_chunked_body_with_extensions_and_trailers() {
        let r = parse(b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4;x=y\r\nWiki\r\n5\r\npedia\r\n0\r\nT: v\r\n\r\n").unwrap();
        assert_eq!(r.body, b"Wikipedia");
    }

    #[test]
    fn skips_empty_lines_and_accepts_bare_line_feeds() {
        let r = parse(b"\r\n\nGET /a HTTP/1.0\nConnection: Keep-Alive\n\n").unwrap();
        assert_eq!((r.target.as_str(), r.version), ("/a", (1, 0)));
        assert!(r.keep_alive());
        let r = parse(b"GET /a HTTP/1.0\r\n\r\n").unwrap();
        assert!(!r.keep_alive());
        let r = parse(b"GET /a HTTP/1.1\r\nConnection: foo, close\r\n\r\n").unwrap();
        assert!(!r.keep_alive());
    }

    #[test]
    fn a_clean_close_between_requests_is_not_an_error() {
        let mut reader = BufReader::new(&b""[..]);
        assert!(matches!(read_head(&mut reader), Ok(Head::Closed)));
    }

    #[test]
    fn a_close_inside_a_request_is_an_io_error() {
        for raw in [
            &b"GET / HTTP/1.1\r\nHost"[..],
            b"POST / HTTP/1.1\r\nContent-Length: 9\r\n\r\nabc",
            b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab",
        ] {
            assert!(matches!(parse(raw), Err(RequestError::Io)), "{raw:?}");
        }
    }

    #[test]
    fn flags_a_body_over_the_limit_without_reading_it() {
        for length in [MAX_BODY_BYTES + 1, u64::MAX] {
            let raw = format!("POST / HTTP/1.1\r\nContent-Length: {length}\r\n\r\nabc");
            let r = parse(raw.as_bytes()).unwrap();
            assert!(r.body_too_large && r.body.is_empty());
        }
        let r =
            parse(b"POST / HTTP/1.1\r\nContent-Length: 999999999999999999999999\r\n\r\n").unwrap();
        assert!(r.body_too_large);
        let raw = format!(
            "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n",
            MAX_BODY_BYTES + 1
        );
        assert!(parse(raw.as_bytes()).unwrap().body_too_large);
    }

    #[test]
    fn refuses_what_it_cannot_serve_with_the_right_status() {
        assert_eq!(status(parse(b"GET / HTTP/2.0\r\n\r\n")), 505);
        assert_eq!(status(parse(b"GET  / HTTP/1.1\r\n\r\n")), 400);
        assert_eq!(status(parse(b"GET http://x/ HTTP/1.1\r\n\r\n")), 400);
        assert_eq!(status(parse(b"GET / HTTP/1.1\r\nNoColon\r\n\r\n")), 400);
        assert_eq!(
            status(parse(b"GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n")),
            400
        );
        assert_eq!(
            status(parse(
                b"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"
            )),
            400
        );
        assert_eq!(
            status(parse(b"POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n")),
            400
        );
        assert_eq!(
            status(parse(
                b"POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n"
            )),
            400
        );
        assert_eq!(
            status(parse(b"POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n")),
            501
        );
        assert_eq!(
            status(parse(
                b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"
            )),
            400
        );
        let long = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(MAX_LINE_BYTES));
        assert_eq!(status(parse(long.as_bytes())), 431);
        let many: String = (0..=MAX_HEADERS).map(|i| format!("H{i}: v\r\n")).collect();
        assert_eq!(
            status(parse(format!("GET / HTTP/1.1\r\n{many}\r\n").as_bytes())),
            431
        );
    }
}
