//! One HTTP client per connection: base URL, credentials, timeouts.

use super::errors::{error_from_response, transport_error};
use super::network::NetworkSettings;
use super::pacing::{daily_budget_error, governor_for, RateGovernor, RateHeaders};
use super::retry::{RetryPolicy, Retryable};
use crate::diag::{OdbcError, Result};
use crate::logging::{self, Logger};
use crate::model::ApiVersion;
use once_cell::sync::Lazy;
use serde_json::Value as Json;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The credential sent with every request. Never printed.
#[derive(Clone)]
pub enum Credentials {
    ApiToken(String),
    Bearer(String),
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Credentials::ApiToken(_) => f.write_str("ApiToken(********)"),
            Credentials::Bearer(_) => f.write_str("Bearer(********)"),
        }
    }
}

/// Supplies bearer tokens that change while a connection is open (OAuth
/// refresh); see `crate::auth::TokenSource`.
pub trait TokenProvider: Send + Sync + std::fmt::Debug {
    /// The access token to send now (refreshed first if it has expired).
    fn access_token(&self) -> Result<String>;
    /// The API refused `rejected` with 401 (`error`): a renewed token to
    /// retry the request with once, or the error to report.
    fn renew_after_rejection(&self, rejected: &str, error: OdbcError) -> Result<String>;
}

#[derive(Debug, Clone)]
pub struct ClientSettings {
    /// Root under which `/api/v1` and `/api/v2` live, without trailing slash.
    pub base_url: String,
    /// The credential sent when there is no `token_provider`.
    pub credentials: Credentials,
    /// When set, every request asks it for the current bearer token, and a
    /// 401 is retried once with a renewed one.
    pub token_provider: Option<Arc<dyn TokenProvider>>,
    /// Whole-request timeout; `None` waits forever.
    pub timeout: Option<Duration>,
    /// Proxy and trusted server certificates.
    pub network: NetworkSettings,
    pub retry: RetryPolicy,
    /// `MaxRequestsPerSecond`: `None` for no cap.
    pub max_requests_per_second: Option<u32>,
}

/// rustls needs a process-wide crypto provider; install ring's once unless
/// the host process already installed one.
static CRYPTO_PROVIDER: Lazy<()> = Lazy::new(|| {
    let _ = rustls::crypto::ring::default_provider().install_default();
});

/// Installs the TLS crypto provider, for other HTTP clients of the driver
/// (the OAuth token endpoint).
pub fn install_crypto_provider() {
    Lazy::force(&CRYPTO_PROVIDER);
}

#[derive(Debug)]
pub struct ApiClient {
    pub(super) http: reqwest::blocking::Client,
    pub(super) settings: ClientSettings,
    pub(super) host: String,
    pub(super) log: Arc<Logger>,
    /// The id of the last record this connection created (LAST_INSERT_ID()).
    pub(super) last_created_id: parking_lot::Mutex<Option<crate::value::Value>>,
    /// Paces requests under the rate limits of these credentials (shared
    /// with the other connections that use them).
    pub(super) governor: Arc<RateGovernor>,
}

impl ApiClient {
    pub fn new(settings: ClientSettings, log: Arc<Logger>) -> Result<ApiClient> {
        let http = super::network::client_builder(&settings.network, settings.timeout)?
            .build()
            .map_err(|e| OdbcError::general(format!("Could not create the HTTP client: {e}")))?;
        let host = settings
            .base_url
            .split("://")
            .nth(1)
            .unwrap_or(&settings.base_url)
            .split('/')
            .next()
            .unwrap_or_default()
            .to_string();
        // Pipedrive counts limits per token (of one company, at one host):
        // connections with the same API token share a governor; OAuth
        // tokens rotate, so those share one per API host.
        let rate_key = match &settings.credentials {
            Credentials::ApiToken(token) if settings.token_provider.is_none() => {
                format!("{}|{token}", settings.base_url)
            }
            _ => format!("{}|oauth", settings.base_url),
        };
        let governor = governor_for(&rate_key, settings.max_requests_per_second.map(f64::from));
        Ok(ApiClient {
            governor,
            http,
            settings,
            host,
            log,
            last_created_id: parking_lot::Mutex::new(None),
        })
    }

    pub fn host(&self) -> &str {
        &self.host
    }

    pub fn base_url(&self) -> &str {
        &self.settings.base_url
    }

    /// The credentials to send now: the token provider's current token, or
    /// the fixed credentials.
    pub(super) fn current_credentials(&self) -> Result<Credentials> {
        match &self.settings.token_provider {
            Some(provider) => provider.access_token().map(Credentials::Bearer),
            None => Ok(self.settings.credentials.clone()),
        }
    }

    /// After a 401 answered to `used`: renewed credentials to retry the
    /// request with once, or (no provider, or no renewal) `error` itself.
    pub(super) fn renewed_credentials(
        &self,
        used: &Credentials,
        error: OdbcError,
    ) -> Result<Credentials> {
        match (&self.settings.token_provider, used) {
            (Some(provider), Credentials::Bearer(token)) => provider
                .renew_after_rejection(token, error)
                .map(Credentials::Bearer),
            _ => Err(error),
        }
    }

    /// GETs `{base}{version prefix}/{path}` and returns the parsed envelope.
    /// `Ok(None)` for 404 (an id that does not exist). `connecting` selects
    /// the connection-establishment SQLSTATEs for transport failures.
    pub fn get(
        &self,
        version: ApiVersion,
        path: &str,
        query: &[(String, String)],
        connecting: bool,
    ) -> Result<Option<Json>> {
        self.get_decoded(version, path, query, connecting, |body| {
            let json: Json = serde_json::from_slice(body)?;
            let refused = json.get("success").and_then(Json::as_bool) == Some(false);
            Ok(Decoded {
                value: json,
                refused,
            })
        })
    }

    /// [`ApiClient::get`] with the body decoded by `decode` instead of into
    /// a `serde_json::Value` (list pages go straight to rows). A body that
    /// does not decode is retried like a cut one.
    pub fn get_decoded<T>(
        &self,
        version: ApiVersion,
        path: &str,
        query: &[(String, String)],
        connecting: bool,
        mut decode: impl FnMut(&[u8]) -> serde_json::Result<Decoded<T>>,
    ) -> Result<Option<T>> {
        let mut url = format!("{}{}/{}", self.settings.base_url, version.prefix(), path);
        for (i, (key, value)) in query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            percent_encode_into(&mut url, key);
            url.push('=');
            percent_encode_into(&mut url, value);
        }
        let what = format!("GET {}/{}", version.prefix(), path);
        // GET is idempotent: failures another attempt may fix are retried
        // within the deadline.
        let deadline = self.settings.timeout.map(|t| Instant::now() + t);
        let mut attempt = 0;
        let mut credentials = self.current_credentials()?;
        // A refused OAuth token is renewed once and the same request (same
        // page cursor) repeated, so a scan goes on without a gap or repeat.
        let mut renewed = false;
        loop {
            self.governor.admit(deadline)?;
            let outcome =
                match self.get_once(&url, &what, query, connecting, &credentials, &mut decode) {
                    Err(error)
                        if error.native == 401
                            && !renewed
                            && self.settings.token_provider.is_some() =>
                    {
                        credentials = self.renewed_credentials(&credentials, error)?;
                        renewed = true;
                        continue;
                    }
                    outcome => outcome?,
                };
            match outcome {
                Attempt::Done(answer) => return Ok(answer),
                Attempt::Failed(failure) => {
                    let wait = self.settings.retry.next_wait(attempt, failure, deadline)?;
                    self.log.log(logging::REQUESTS, None, || {
                        format!("{what}: retrying in {} ms", wait.as_millis())
                    });
                    super::interrupt::sleep(wait)?;
                    attempt += 1;
                }
            }
        }
    }

    /// One request: the answer, a failure worth retrying, or an error.
    fn get_once<T>(
        &self,
        url: &str,
        what: &str,
        query: &[(String, String)],
        connecting: bool,
        credentials: &Credentials,
        decode: &mut impl FnMut(&[u8]) -> serde_json::Result<Decoded<T>>,
    ) -> Result<Attempt<T>> {
        let started = Instant::now();
        let mut request = self.http.get(url).header("accept", "application/json");
        request = match credentials {
            Credentials::ApiToken(token) => request.header("x-api-token", token),
            Credentials::Bearer(token) => request.bearer_auth(token),
        };
        let transport = |e: reqwest::Error| {
            Attempt::Failed(Retryable {
                error: transport_error(&e, &self.host, connecting),
                retry_after: None,
                rate_limited: false,
            })
        };
        // Sent and read on a thread of its own inside a statement, so that
        // SQLCancel and the query timeout need not wait for the answer.
        let exchange = super::interrupt::wait_for(move || {
            let response = request.send()?;
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            response.bytes().map(|body| (status, headers, body))
        })?;
        let (status, headers, body) = match exchange {
            Ok(answer) => answer,
            // A refused certificate stays refused: retrying only delays it.
            Err(e) if super::tls::certificate_refusal(&e).is_some() => {
                return Err(transport_error(&e, &self.host, connecting));
            }
            Err(e) => return Ok(transport(e)),
        };
        let rate = RateHeaders::from_headers(&headers);
        self.governor.observe(&rate);
        let retry_after = headers
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        self.log.log(logging::REQUESTS, None, || {
            let elapsed = started.elapsed().as_millis();
            if self.log.enabled(logging::DETAILS) {
                format!(
                    "{what} query={query:?} -> {status} ({} bytes) in {elapsed} ms",
                    body.len()
                )
            } else {
                format!("{what} -> {status} in {elapsed} ms")
            }
        });
        match status {
            404 => return Ok(Attempt::Done(None)),
            // Waiting cannot help until Pipedrive's day turns.
            429 if rate.daily_budget_exhausted() => return Err(daily_budget_error()),
            429 | 500 | 502 | 503 | 504 => {
                return Ok(Attempt::Failed(Retryable {
                    error: error_from_response(status, &body, what),
                    retry_after,
                    rate_limited: status == 429,
                }));
            }
            s if !(200..300).contains(&s) => return Err(error_from_response(status, &body, what)),
            _ => {}
        }
        let decoded = match decode(&body) {
            Ok(decoded) => decoded,
            // A cut or garbled body: the next attempt may arrive whole.
            Err(e) => {
                let error = OdbcError::new(
                    crate::diag::SqlState::CommunicationLinkFailure,
                    format!("Malformed JSON from {what}: {e}"),
                );
                return Ok(Attempt::Failed(Retryable {
                    error,
                    retry_after: None,
                    rate_limited: false,
                }));
            }
        };
        if decoded.refused {
            return Err(error_from_response(status, &body, what));
        }
        Ok(Attempt::Done(Some(decoded.value)))
    }
}

/// An answer's body as decoded for the caller.
pub struct Decoded<T> {
    pub value: T,
    /// The envelope says `"success": false`.
    pub refused: bool,
}

/// The outcome of one request.
enum Attempt<T> {
    Done(Option<T>),
    Failed(Retryable),
}

/// Percent-encodes a query component (RFC 3986: everything but unreserved).
fn percent_encode_into(out: &mut String, s: &str) {
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_components_are_percent_encoded() {
        let mut s = String::new();
        percent_encode_into(&mut s, "a b,c=d&é");
        assert_eq!(s, "a%20b%2Cc%3Dd%26%C3%A9");
    }

    #[test]
    fn credentials_never_print() {
        let c = Credentials::ApiToken("secret-token-value".into());
        assert!(!format!("{c:?}").contains("secret"));
    }
}
