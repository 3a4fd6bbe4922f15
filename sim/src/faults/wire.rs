//! Faulty ways of putting an answer on the wire. The head is always the
//! honest one (status, headers, the full body's `Content-Length`); what
//! goes wrong is the body.

use crate::response::{write_response, ResponseHead};
use std::io::{self, Write};
use std::time::Duration;

/// The head, then only the first half of the body. The caller closes the
/// connection afterwards, so the client sees fewer bytes than promised.
pub(crate) fn write_truncated(
    writer: &mut dyn Write,
    head: &ResponseHead,
    body: &[u8],
) -> io::Result<()> {
    write_response(writer, head, body, true)?;
    writer.write_all(&body[..body.len() / 2])?;
    writer.flush()
}

/// The head at once, then the body in pieces, pausing between them so it
/// arrives at about `bytes_per_sec`.
pub(crate) fn write_slowly(
    writer: &mut dyn Write,
    head: &ResponseHead,
    body: &[u8],
    head_only: bool,
    bytes_per_sec: u64,
) -> io::Result<()> {
    write_response(writer, head, body, true)?;
    if head_only {
        return Ok(());
    }
    // Ten pieces a second, or one byte at a time when slower than that.
    let piece = (bytes_per_sec / 10).max(1) as usize;
    let pause = Duration::from_micros(piece as u64 * 1_000_000 / bytes_per_sec.max(1));
    for (i, chunk) in body.chunks(piece).enumerate() {
        if i > 0 {
            std::thread::sleep(pause);
        }
        writer.write_all(chunk)?;
        writer.flush()?;
    }
    Ok(())
}

/// A body that is no longer JSON: its first half (at least `{`).
pub(crate) fn malformed(body: &[u8]) -> Vec<u8> {
    if body.len() < 2 {
        return b"{".to_vec();
    }
    body[..body.len() / 2].to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head() -> ResponseHead<'static> {
        ResponseHead {
            http_version: (1, 1),
            connection: None,
            status: 200,
            content_type: "application/json",
            extra_headers: &[],
            now: 0,
        }
    }

    #[test]
    fn truncated_promises_more_than_it_sends() {
        let mut out = Vec::new();
        write_truncated(&mut out, &head(), b"{\"data\":[1,2,3]}").unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("Content-Length: 16\r\n"), "{text}");
        assert!(text.ends_with("\r\n\r\n{\"data\":"), "{text}");
    }

    #[test]
    fn slow_body_arrives_whole() {
        let mut out = Vec::new();
        let body = vec![b'x'; 30];
        write_slowly(&mut out, &head(), &body, false, 1_000_000).unwrap();
        assert!(out.ends_with(&body));
    }

    #[test]
    fn malformed_is_not_json() {
        for body in [&b"{}"[..], b"", br#"{"success":true,"data":[]}"#] {
            assert!(serde_json::from_slice::<serde_json::Value>(&malformed(body)).is_err());
        }
    }
}
