//! Putting an answer on the connection, honestly or as a fault says.

use super::Incoming;
use crate::faults::{find_connection, wire, FaultAction};
use crate::http_reply::HttpReply;
use crate::response::{write_response, ResponseHead};
use crate::time;

/// Writes `reply` to the client of `request`, spoiled by `action` when
/// there is one. `port` is the listening port, to find the connection to
/// close.
///
/// `record` learns the status the client is sent (`None`: the connection
/// was dropped without an answer) before the client can see any of it, so
/// a client that has its answer also finds it in the log and counters.
pub(crate) fn deliver(
    request: tiny_http::Request,
    req: &Incoming,
    reply: &HttpReply,
    action: Option<&FaultAction>,
    port: u16,
    record: impl FnOnce(Option<u16>),
) {
    let extra: Vec<(&str, &str)> = reply
        .headers
        .iter()
        .map(|(name, value)| (*name, value.as_str()))
        .collect();
    let head = ResponseHead {
        http_version: req.http_version,
        status: reply.status,
        content_type: reply.content_type,
        extra_headers: &extra,
        now: time::now(),
    };
    // Taking the writer stops tiny_http from answering by itself when the
    // request is dropped unanswered.
    let mut writer = request.into_writer();
    let find = || req.peer.and_then(|peer| find_connection(port, peer).ok());
    if action == Some(&FaultAction::DropConnection) {
        if let Some(socket) = find() {
            record(None);
            let _ = socket.shut_down();
            return;
        }
        // Cannot drop it here: the plain answer is the fallback.
    }
    record(Some(reply.status));
    // Write errors mean the client hung up; nothing to do about them.
    match action {
        Some(FaultAction::TruncatedBody) if !req.is_head() => {
            let _ = wire::write_truncated(&mut *writer, &head, &reply.body);
            if let Some(socket) = find() {
                let _ = socket.shut_down();
            }
        }
        Some(FaultAction::MalformedJson) => {
            let body = wire::malformed(&reply.body);
            let _ = write_response(&mut *writer, &head, &body, req.is_head());
        }
        Some(FaultAction::SlowBody { bytes_per_sec }) => {
            let _ = wire::write_slowly(
                &mut *writer,
                &head,
                &reply.body,
                req.is_head(),
                *bytes_per_sec,
            );
        }
        _ => {
            let _ = write_response(&mut *writer, &head, &reply.body, req.is_head());
        }
    }
}
