//! Requests that change Pipedrive: create (POST), update (PATCH/PUT) and
//! delete. Unlike reads, a write that failed may already have happened, so
//! every failure says whether it may have reached Pipedrive, and a POST,
//! which would create a second record if repeated, is tried again only when
//! the request provably did not arrive (no connection, or 429, which
//! Pipedrive answers before doing anything). PATCH, PUT and DELETE of one
//! record are idempotent and are retried like reads.

use super::client::ApiClient;
use super::errors::error_from_response;
use super::retry::Retryable;
use crate::diag::{OdbcError, SqlState};
use crate::logging;
use crate::model::writable::UpdateMethod;
use crate::model::ApiVersion;
use crate::value::Value;
use serde_json::Value as Json;
use std::time::{Duration, Instant};

/// Whether a failed write may have changed data in Pipedrive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteOutcome {
    /// Pipedrive refused it, or it never arrived.
    NotApplied,
    /// The request may have been carried out (timeout, dropped connection
    /// or server error after it was sent).
    MaybeApplied,
}

#[derive(Debug, Clone, PartialEq)]
pub struct WriteFailure {
    pub error: OdbcError,
    pub outcome: WriteOutcome,
}

impl WriteFailure {
    fn not_applied(error: OdbcError) -> WriteFailure {
        WriteFailure {
            error,
            outcome: WriteOutcome::NotApplied,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    Post,
    Patch,
    Put,
    Delete,
}

impl Method {
    fn name(self) -> &'static str {
        match self {
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }

    fn idempotent(self) -> bool {
        self != Method::Post
    }
}

/// What one attempt produced.
enum Attempt {
    /// A 2xx answer's parsed body (`None` when the body was not JSON).
    Done(Option<Json>),
    NotFound,
    /// Pipedrive refused the request: no retry fixes it.
    Rejected(OdbcError),
    /// A failure another attempt may fix, if the method allows one.
    Failed {
        retry: Retryable,
        /// Whether the request may have been carried out.
        maybe_applied: bool,
    },
}

/// Percent-encodes an id for a path segment (lead ids are UUIDs, but an
/// id comes from the application and must not change the path).
fn path_segment(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl ApiClient {
    /// `POST {version}/{path}` with `body`: the created record (`data`).
    pub fn create_record(
        &self,
        version: ApiVersion,
        path: &str,
        body: &Json,
    ) -> Result<Json, WriteFailure> {
        match self.write(Method::Post, version, path, Some(body))? {
            Some(Some(record)) => {
                let id = match record.get("id") {
                    Some(Json::Number(n)) => n.as_i64().map(Value::Int),
                    Some(Json::String(s)) => Some(Value::Text(s.clone())),
                    _ => None,
                };
                if id.is_some() {
                    *self.last_created_id.lock() = id;
                }
                Ok(record)
            }
            Some(None) => Err(WriteFailure {
                error: OdbcError::new(
                    SqlState::CommunicationLinkFailure,
                    format!(
                        "POST {}/{path} succeeded but its answer could not be read, so the new record's id is unknown",
                        version.prefix()
                    ),
                ),
                outcome: WriteOutcome::MaybeApplied,
            }),
            None => Err(WriteFailure::not_applied(OdbcError::general(format!(
                "POST {}/{path}: the endpoint does not exist",
                version.prefix()
            )))),
        }
    }

    /// The id of the last record this connection created, for
    /// LAST_INSERT_ID() and SCOPE_IDENTITY().
    pub fn last_created_id(&self) -> Option<Value> {
        self.last_created_id.lock().clone()
    }

    /// `PATCH|PUT {version}/{path}/{id}`: `Ok(false)` when no record has
    /// that id.
    pub fn update_record(
        &self,
        version: ApiVersion,
        method: UpdateMethod,
        path: &str,
        id: &str,
        body: &Json,
    ) -> Result<bool, WriteFailure> {
        let method = match method {
            UpdateMethod::Patch => Method::Patch,
            UpdateMethod::Put => Method::Put,
        };
        let target = format!("{path}/{}", path_segment(id));
        Ok(self.write(method, version, &target, Some(body))?.is_some())
    }

    /// `DELETE {version}/{path}/{id}`: `Ok(false)` when no record has that
    /// id.
    pub fn delete_record(
        &self,
        version: ApiVersion,
        path: &str,
        id: &str,
    ) -> Result<bool, WriteFailure> {
        let target = format!("{path}/{}", path_segment(id));
        Ok(self
            .write(Method::Delete, version, &target, None)?
            .is_some())
    }

    /// Sends one write, retrying what the method and the failure allow.
    /// `Ok(None)`: 404.
    fn write(
        &self,
        method: Method,
        version: ApiVersion,
        path: &str,
        body: Option<&Json>,
    ) -> Result<Option<Option<Json>>, WriteFailure> {
        let url = format!("{}{}/{}", self.settings.base_url, version.prefix(), path);
        let what = format!("{} {}/{}", method.name(), version.prefix(), path);
        let payload = match body {
            Some(b) => Some(serde_json::to_vec(b).map_err(|e| {
                WriteFailure::not_applied(OdbcError::general(format!(
                    "Could not encode the body of {what}: {e}"
                )))
            })?),
            None => None,
        };
        let deadline = self.settings.timeout.map(|t| Instant::now() + t);
        let mut attempt = 0;
        // Once an attempt may have been carried out, a later 404 of an
        // idempotent retry means the first one did it.
        let mut earlier_maybe_applied = false;
        let mut credentials = self
            .current_credentials()
            .map_err(WriteFailure::not_applied)?;
        let mut renewed = false;
        loop {
            self.governor
                .admit(deadline)
                .map_err(|error| WriteFailure {
                    error,
                    outcome: if earlier_maybe_applied {
                        WriteOutcome::MaybeApplied
                    } else {
                        WriteOutcome::NotApplied
                    },
                })?;
            match self.write_once(method, &url, &what, payload.as_deref(), &credentials) {
                // A refused OAuth token: nothing was done; renew it once.
                Attempt::Rejected(error)
                    if error.native == 401
                        && !renewed
                        && self.settings.token_provider.is_some() =>
                {
                    credentials = self
                        .renewed_credentials(&credentials, error)
                        .map_err(WriteFailure::not_applied)?;
                    renewed = true;
                }
                Attempt::Done(answer) => return Ok(Some(answer)),
                Attempt::NotFound if earlier_maybe_applied && method == Method::Delete => {
                    return Ok(Some(None))
                }
                Attempt::NotFound => return Ok(None),
                Attempt::Rejected(error) => {
                    let outcome = if earlier_maybe_applied {
                        WriteOutcome::MaybeApplied
                    } else {
                        WriteOutcome::NotApplied
                    };
                    return Err(WriteFailure { error, outcome });
                }
                Attempt::Failed {
                    retry,
                    maybe_applied,
                } => {
                    if maybe_applied && !method.idempotent() {
                        return Err(WriteFailure {
                            error: unknown_outcome(retry.error, &what),
                            outcome: WriteOutcome::MaybeApplied,
                        });
                    }
                    earlier_maybe_applied |= maybe_applied;
                    let outcome = if earlier_maybe_applied {
                        WriteOutcome::MaybeApplied
                    } else {
                        WriteOutcome::NotApplied
                    };
                    let wait = self
                        .settings
                        .retry
                        .next_wait(attempt, retry, deadline)
                        .map_err(|error| WriteFailure { error, outcome })?;
                    self.log.log(logging::REQUESTS, None, || {
                        format!("{what}: retrying in {} ms", wait.as_millis())
                    });
                    // Canceled while waiting to try again: this attempt's
                    // outcome stands.
                    super::interrupt::sleep(wait)
                        .map_err(|error| WriteFailure { error, outcome })?;
                    attempt += 1;
                }
            }
        }
    }

    fn write_once(
        &self,
        method: Method,
        url: &str,
        what: &str,
        body: Option<&[u8]>,
        credentials: &super::Credentials,
    ) -> Attempt {
        let started = Instant::now();
        let mut request = match method {
            Method::Post => self.http.post(url),
            Method::Patch => self.http.patch(url),
            Method::Put => self.http.put(url),
            Method::Delete => self.http.delete(url),
        }
        .header("accept", "application/json");
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body.to_vec());
        }
        request = match credentials {
            super::Credentials::ApiToken(token) => request.header("x-api-token", token),
            super::Credentials::Bearer(token) => request.bearer_auth(token),
        };
        let transport = |e: reqwest::Error| {
            // Only a failure to connect proves the request never left.
            let maybe_applied = !e.is_connect();
            Attempt::Failed {
                retry: Retryable {
                    error: super::errors::transport_error(&e, &self.host, false),
                    retry_after: None,
                    rate_limited: false,
                },
                maybe_applied,
            }
        };
        let response = match request.send() {
            Ok(r) => r,
            Err(e) => return transport(e),
        };
        let status = response.status().as_u16();
        let rate = super::pacing::RateHeaders::from_headers(response.headers());
        self.governor.observe(&rate);
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let answer = response.bytes();
        self.log.log(logging::REQUESTS, None, || {
            format!("{what} -> {status} in {} ms", started.elapsed().as_millis())
        });
        let body = match answer {
            Ok(b) => b,
            // The status arrived: a 2xx write happened even if its body
            // was cut; anything else is judged by its status below.
            Err(_) if (200..300).contains(&status) => return Attempt::Done(None),
            Err(e) => return transport(e),
        };
        match status {
            404 => Attempt::NotFound,
            // Pipedrive refused it undone, and waiting cannot help until its
            // day turns.
            429 if rate.daily_budget_exhausted() => {
                Attempt::Rejected(super::pacing::daily_budget_error())
            }
            429 => Attempt::Failed {
                retry: Retryable {
                    error: error_from_response(status, &body, what),
                    retry_after,
                    rate_limited: true,
                },
                // Pipedrive refuses rate-limited requests before doing them.
                maybe_applied: false,
            },
            500..=599 => Attempt::Failed {
                retry: Retryable {
                    error: error_from_response(status, &body, what),
                    retry_after,
                    rate_limited: false,
                },
                maybe_applied: true,
            },
            s if (200..300).contains(&s) => {
                let json: Option<Json> = serde_json::from_slice(&body).ok();
                if json
                    .as_ref()
                    .and_then(|j| j.get("success"))
                    .and_then(Json::as_bool)
                    == Some(false)
                {
                    return Attempt::Rejected(rejected(status, &body, what));
                }
                Attempt::Done(json.and_then(|mut j| j.get_mut("data").map(Json::take)))
            }
            _ => Attempt::Rejected(rejected(status, &body, what)),
        }
    }
}

/// Pipedrive refused the request (4xx other than 404/429): the data is
/// wrong, so 23000 for 400/409/422 (the row violates what Pipedrive
/// accepts), the response's own state otherwise (28000 for 401/403).
fn rejected(status: u16, body: &[u8], what: &str) -> OdbcError {
    let mut error = error_from_response(status, body, what);
    if matches!(status, 400 | 409 | 422) {
        error.state = SqlState::IntegrityConstraintViolation;
    }
    error
}

/// The error for a POST that may have been carried out: it is not repeated,
/// and the message says why.
fn unknown_outcome(error: OdbcError, what: &str) -> OdbcError {
    OdbcError {
        message: format!(
            "{} - the outcome of {what} is unknown: Pipedrive may have created the record, so it was not sent again; check before repeating this row",
            error.message
        ),
        ..error
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_cannot_change_the_path() {
        assert_eq!(path_segment("12"), "12");
        assert_eq!(
            path_segment("adf21080-0e10-11eb-879b-05d71fb426ec"),
            "adf21080-0e10-11eb-879b-05d71fb426ec"
        );
        assert_eq!(path_segment("../users"), "..%2Fusers");
    }

    #[test]
    fn only_posts_are_not_idempotent() {
        assert!(!Method::Post.idempotent());
        assert!(Method::Patch.idempotent() && Method::Put.idempotent());
        assert!(Method::Delete.idempotent());
    }

    #[test]
    fn rejected_bodies_are_integrity_violations_with_the_apis_message() {
        let e = rejected(
            400,
            br#"{"success":false,"error":"Stage not found"}"#,
            "POST /api/v2/deals",
        );
        assert_eq!(e.state, SqlState::IntegrityConstraintViolation);
        assert_eq!(e.native, 400);
        assert!(e.message.contains("Stage not found"), "{}", e.message);
        let unknown = unknown_outcome(OdbcError::general("Timed out"), "POST /api/v2/deals");
        assert!(unknown.message.contains("not sent again"));
    }
}
