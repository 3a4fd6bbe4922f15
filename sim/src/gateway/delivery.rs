//! Putting an answer on the connection, honestly or as a fault says.

use super::Incoming;
use crate::faults::{wire, FaultAction};
use crate::http::Exchange;
use crate::http_reply::HttpReply;
use crate::response::{write_response, ResponseHead};
use crate::time;

/// Writes `reply` to the client of `req`, spoiled by `action` when there
/// is one.
///
/// `record` learns the status the client is sent (`None`: the connection
/// was dropped without an answer) before the client can see any of it, so
/// a client that has its answer also finds it in the log and counters.
pub(crate) fn deliver(
    exchange: &mut Exchange<'_>,
    req: &Incoming,
    reply: &HttpReply,
    action: Option<&FaultAction>,
    record: impl FnOnce(Option<u16>),
) {
    let extra: Vec<(&str, &str)> = reply
        .headers
        .iter()
        .map(|(name, value)| (*name, value.as_str()))
        .collect();
    let head = ResponseHead {
        http_version: exchange.http_version(),
        status: reply.status,
        content_type: reply.content_type,
        extra_headers: &extra,
        connection: exchange.connection_header(),
        now: time::now(),
    };
    if action == Some(&FaultAction::DropConnection) {
        record(None);
        exchange.drop_connection();
        return;
    }
    record(Some(reply.status));
    // Write errors mean the client hung up; nothing to do about them.
    match action {
        Some(FaultAction::TruncatedBody) if !req.is_head() => {
            let _ = wire::write_truncated(exchange.writer(), &head, &reply.body);
            exchange.drop_connection();
        }
        Some(FaultAction::MalformedJson) => {
            let body = wire::malformed(&reply.body);
            let _ = write_response(exchange.writer(), &head, &body, req.is_head());
        }
        Some(FaultAction::SlowBody { bytes_per_sec }) => {
            let _ = wire::write_slowly(
                exchange.writer(),
                &head,
                &reply.body,
                req.is_head(),
                *bytes_per_sec,
            );
        }
        _ => {
            let _ = write_response(exchange.writer(), &head, &reply.body, req.is_head());
        }
    }
}
