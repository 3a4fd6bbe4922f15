//! HTTP answers and transport failures -> SQLSTATEs, with Pipedrive's own
//! message where it sent one.

use crate::diag::{OdbcError, SqlState};
use serde_json::Value as Json;

/// The message Pipedrive put in an error envelope (`error`, else `message`).
fn api_message(body: &[u8]) -> Option<String> {
    let json: Json = serde_json::from_slice(body).ok()?;
    let main = json
        .get("error")
        .or_else(|| json.get("message"))?
        .as_str()?
        .to_string();
    match json.get("error_info").and_then(Json::as_str) {
        Some(info) if !info.is_empty() => Some(format!("{main} ({info})")),
        _ => Some(main),
    }
}

/// Maps a non-success HTTP status to an error carrying the status as the
/// native error code.
pub fn error_from_response(status: u16, body: &[u8], what: &str) -> OdbcError {
    let message = api_message(body).unwrap_or_else(|| format!("HTTP status {status}"));
    let state = match status {
        401 => SqlState::InvalidAuthorization,
        402 | 403 => SqlState::InvalidAuthorization,
        408 => SqlState::TimeoutExpired,
        _ => SqlState::GeneralError,
    };
    OdbcError::new(
        state,
        format!("Pipedrive API error {status} on {what}: {message}"),
    )
    .with_native(i32::from(status))
}

/// A transport failure (no HTTP answer). `connecting` selects 08001 over
/// 08S01 for failures while establishing the connection.
pub fn transport_error(err: &reqwest::Error, host: &str, connecting: bool) -> OdbcError {
    if err.is_timeout() {
        let state = if connecting {
            SqlState::UnableToConnect
        } else {
            SqlState::TimeoutExpired
        };
        return OdbcError::new(state, format!("Timed out waiting for {host}"));
    }
    // Whenever it happens, a refused certificate means no connection can
    // be made to this server as configured.
    if let Some(refusal) = super::tls::certificate_refusal(err) {
        return OdbcError::new(
            SqlState::UnableToConnect,
            format!("Could not connect to {host}: {refusal}"),
        );
    }
    let kind = if err.is_connect() {
        "could not connect to"
    } else {
        "lost the connection to"
    };
    // reqwest's own text names the URL, which carries no secret (tokens travel
    // in headers), but its chain can be long; keep the innermost cause.
    let mut cause: &dyn std::error::Error = err;
    while let Some(next) = cause.source() {
        cause = next;
    }
    let state = if connecting || err.is_connect() {
        SqlState::UnableToConnect
    } else {
        SqlState::CommunicationLinkFailure
    };
    OdbcError::new(state, format!("{} {host}: {cause}", capitalize(kind)))
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unauthorized_is_28000_with_pipedrives_message() {
        let e = error_from_response(
            401,
            br#"{"success":false,"error":"unauthorized access","errorCode":401}"#,
            "GET /api/v1/users/me",
        );
        assert_eq!(e.state, SqlState::InvalidAuthorization);
        assert!(e.message.contains("unauthorized access"), "{}", e.message);
        assert_eq!(e.native, 401);
    }

    #[test]
    fn unparseable_bodies_still_give_the_status() {
        let e = error_from_response(502, b"<html>bad gateway</html>", "GET /api/v2/deals");
        assert_eq!(e.state, SqlState::GeneralError);
        assert!(e.message.contains("502"));
    }

    #[test]
    fn error_info_is_appended() {
        let e = error_from_response(404, br#"{"success":false,"error":"Entity was not found","error_info":"Object was not found."}"#, "x");
        assert!(e
            .message
            .contains("Entity was not found (Object was not found.)"));
    }
}
