//! Serving one client connection: read a request, let the handler answer
//! it, and go on with the next one while the connection is kept alive.
//!
//! Each connection has its own thread, so a client that holds a
//! keep-alive connection open, or reads its answer slowly, never delays
//! another client: every request is handled as soon as it has arrived.

use super::request::{framing, read_body, read_head, Body, Framing, Head, Request, RequestError};
use crate::response::{write_response, ResponseHead};
use crate::time;
use std::io::{BufReader, Write};
use std::net::{Shutdown, TcpStream};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Answers requests. Implementations write the whole response through
/// the [`Exchange`].
pub(crate) trait Handler: Send + Sync + 'static {
    fn handle(&self, request: Request, exchange: &mut Exchange<'_>);
}

/// One request's hold on its connection, for writing the answer.
pub(crate) struct Exchange<'a> {
    stream: &'a TcpStream,
    version: (u8, u8),
    keep_alive: bool,
    started: bool,
    dropped: bool,
}

impl<'a> Exchange<'a> {
    fn new(stream: &'a TcpStream, version: (u8, u8), keep_alive: bool) -> Self {
        Exchange {
            stream,
            version,
            keep_alive,
            started: false,
            dropped: false,
        }
    }

    /// The request's HTTP version, echoed in the status line.
    pub(crate) fn http_version(&self) -> (u8, u8) {
        self.version
    }

    /// The `Connection` header the response must carry, if any: `close`
    /// when the connection ends after it, `keep-alive` for an HTTP/1.0
    /// client that asked to keep it.
    pub(crate) fn connection_header(&self) -> Option<&'static str> {
        match (self.keep_alive, self.version >= (1, 1)) {
            (false, _) => Some("close"),
            (true, false) => Some("keep-alive"),
            (true, true) => None,
        }
    }

    /// Where the response goes.
    pub(crate) fn writer(&mut self) -> &mut dyn Write {
        self.started = true;
        &mut self.stream
    }

    /// Closes the connection at once: the client gets a FIN after what was
    /// already written, and no further request is read from it.
    pub(crate) fn drop_connection(&mut self) {
        self.started = true;
        self.dropped = true;
        let _ = self.stream.shutdown(Shutdown::Both);
    }
}

/// Serves `stream` until the client closes it, asks to close it, sends
/// something that is not a request, or the handler drops it.
pub(crate) fn serve(stream: TcpStream, handler: &dyn Handler) {
    let Ok(read_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::with_capacity(16 * 1024, read_half);
    loop {
        let request = match read_request(&mut reader, &stream) {
            Ok(Some(request)) => request,
            Ok(None) | Err(RequestError::Io) => return,
            Err(RequestError::Refused { status, reason }) => {
                answer_plainly(&stream, status, &reason);
                return;
            }
        };
        // An unread body leaves the connection out of step: close it.
        let keep_alive = request.keep_alive() && !request.body_too_large;
        let mut exchange = Exchange::new(&stream, request.version, keep_alive);
        let handled = catch_unwind(AssertUnwindSafe(|| handler.handle(request, &mut exchange)));
        if handled.is_err() || !exchange.started {
            if !exchange.started {
                answer_plainly(&stream, 500, "the simulator failed to answer this request");
            }
            return;
        }
        if exchange.dropped || !exchange.keep_alive {
            let _ = stream.shutdown(Shutdown::Write);
            return;
        }
    }
}

/// The next request, body included; `None` when the client has closed
/// the connection between requests.
fn read_request(
    reader: &mut BufReader<TcpStream>,
    stream: &TcpStream,
) -> Result<Option<Request>, RequestError> {
    let mut request = match read_head(reader)? {
        Head::Closed => return Ok(None),
        Head::Request(request) => request,
    };
    let framing = framing(&request)?;
    if let Some(expect) = request.header("expect") {
        if !expect.eq_ignore_ascii_case("100-continue") {
            return Err(RequestError::Refused {
                status: 417,
                reason: format!("unsupported expectation {expect:?}"),
            });
        }
        // The client waits for this before sending the body.
        if framing != Framing::None && request.version >= (1, 1) {
            let mut stream = stream;
            stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
        }
    }
    match read_body(reader, &framing)? {
        Body::Complete(body) => request.body = body,
        Body::TooLarge => request.body_too_large = true,
    }
    Ok(Some(request))
}

/// A plain-text answer to a request that never reached the handler (or
/// that it failed to answer); the connection closes after it.
fn answer_plainly(stream: &TcpStream, status: u16, reason: &str) {
    let head = ResponseHead {
        http_version: (1, 1),
        status,
        content_type: "text/plain; charset=utf-8",
        extra_headers: &[],
        connection: Some("close"),
        now: time::now(),
    };
    let mut stream = stream;
    let _ = write_response(&mut stream, &head, format!("{reason}\n").as_bytes(), false);
    let _ = stream.shutdown(Shutdown::Write);
}
