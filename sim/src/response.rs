//! Writing HTTP responses onto the connection.
//!
//! The whole response goes out with one `write_all`: copying the body to
//! the socket in small pieces (8 KiB, as many servers do) makes each its
//! own `send` and TCP segment, and a 700 KB page then costs ~90 system
//! calls and as many packets for the client to take in. Large writes let
//! the kernel send large segments, which makes full scans markedly cheaper
//! on both ends.

use crate::time;
use std::io::{self, Write};

/// What goes on the wire besides the body.
pub(crate) struct ResponseHead<'a> {
    /// `(major, minor)` of the request, echoed in the status line.
    pub http_version: (u8, u8),
    pub status: u16,
    pub content_type: &'a str,
    /// Extra headers, e.g. `Allow` on a 405.
    pub extra_headers: &'a [(&'a str, &'a str)],
    /// The `Connection` header, when the connection's fate needs saying
    /// (see [`crate::http::Exchange::connection_header`]).
    pub connection: Option<&'static str>,
    /// Unix seconds for the `Date` header.
    pub now: i64,
}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Content Too Large",
        417 => "Expectation Failed",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        _ => "Unknown",
    }
}

/// Writes a complete response. With `head_only` (a HEAD request) the
/// headers announce the body's length but the body is not sent.
pub(crate) fn write_response(
    writer: &mut dyn Write,
    head: &ResponseHead,
    body: &[u8],
    head_only: bool,
) -> io::Result<()> {
    let mut out = Vec::with_capacity(256);
    let (major, minor) = head.http_version;
    write!(
        out,
        "HTTP/{major}.{minor} {} {}\r\n",
        head.status,
        reason_phrase(head.status)
    )?;
    out.extend_from_slice(b"Date: ");
    out.extend_from_slice(time::http_date(head.now).as_bytes());
    out.extend_from_slice(b"\r\nServer: pipedrive-sim\r\nContent-Type: ");
    out.extend_from_slice(head.content_type.as_bytes());
    write!(out, "\r\nContent-Length: {}\r\n", body.len())?;
    for (name, value) in head.extra_headers {
        write!(out, "{name}: {value}\r\n")?;
    }
    if let Some(connection) = head.connection {
        write!(out, "Connection: {connection}\r\n")?;
    }
    out.extend_from_slice(b"\r\n");
    // One write for head and body: with two, the small head segment and the
    // client's delayed ACK measurably stall large responses. Copying the
    // body once is cheaper than that.
    if !head_only {
        out.extend_from_slice(body);
    }
    writer.write_all(&out)?;
    writer.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_line_headers_and_body() {
        let mut out = Vec::new();
        let head = ResponseHead {
            http_version: (1, 1),
            connection: None,
            status: 405,
            content_type: "application/json",
            extra_headers: &[("Allow", "GET")],
            now: 784_111_777,
        };
        write_response(&mut out, &head, b"{}", false).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "HTTP/1.1 405 Method Not Allowed\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nServer: pipedrive-sim\r\n\
             Content-Type: application/json\r\nContent-Length: 2\r\nAllow: GET\r\n\r\n{}"
        );
        let mut out = Vec::new();
        write_response(&mut out, &head, b"{}", true).unwrap();
        assert!(String::from_utf8(out)
            .unwrap()
            .ends_with("Content-Length: 2\r\nAllow: GET\r\n\r\n"));
    }

    #[test]
    fn says_when_the_connection_closes() {
        let mut out = Vec::new();
        let head = ResponseHead {
            http_version: (1, 0),
            connection: Some("close"),
            status: 200,
            content_type: "text/plain",
            extra_headers: &[],
            now: 0,
        };
        write_response(&mut out, &head, b"x", false).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("HTTP/1.0 200 OK\r\n"), "{text}");
        assert!(
            text.ends_with("Content-Length: 1\r\nConnection: close\r\n\r\nx"),
            "{text}"
        );
    }
}
