//! The OAuth 2.0 client side of Pipedrive's authorization-code flow
//! (REFERENCE.md section 2): the authorization URL, and `POST /oauth/token`
//! with HTTP Basic client authentication for the `authorization_code` and
//! `refresh_token` grants. Error messages carry the server's description
//! and never a code, token or secret.

use super::form;
use super::tokens::{now_secs, Tokens};
use crate::api::NetworkSettings;
use crate::config::Secret;
use crate::diag::{OdbcError, Result, SqlState};
use serde_json::Value as Json;
use std::time::Duration;

const AUTHORIZE_PATH: &str = "/oauth/authorize";
const TOKEN_PATH: &str = "/oauth/token";

/// The registered OAuth app and where its server is.
#[derive(Debug, Clone)]
pub struct OAuthApp {
    pub client_id: String,
    pub client_secret: Secret,
    /// The registered redirect URI (CallbackURL).
    pub callback_url: String,
    /// OAuthBaseURL, without a trailing `/`.
    pub oauth_base_url: String,
}

/// What a token request was for, to word its errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Grant {
    Code,
    Refresh,
}

#[derive(Debug, Clone)]
pub struct OAuthClient {
    app: OAuthApp,
    http: reqwest::blocking::Client,
}

impl OAuthClient {
    pub fn new(
        app: OAuthApp,
        timeout: Option<Duration>,
        network: &NetworkSettings,
    ) -> Result<Self> {
        let http = crate::api::client_builder(network, timeout)?
            // The token endpoint never redirects; following one could send
            // the client credentials elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| OdbcError::general(format!("Could not create the HTTP client: {e}")))?;
        Ok(OAuthClient { app, http })
    }

    pub fn app(&self) -> &OAuthApp {
        &self.app
    }

    /// The consent page URL the user opens.
    pub fn authorization_url(
        &self,
        callback_url: &str,
        state: &str,
        scope: Option<&str>,
    ) -> String {
        let mut pairs = vec![
            ("client_id", self.app.client_id.as_str()),
            ("redirect_uri", callback_url),
            ("state", state),
        ];
        if let Some(scope) = scope.filter(|s| !s.trim().is_empty()) {
            pairs.push(("scope", scope));
        }
        format!(
            "{}{AUTHORIZE_PATH}?{}",
            self.app.oauth_base_url,
            form::encode_pairs(&pairs)
        )
    }

    /// `grant_type=authorization_code`.
    pub fn exchange_code(&self, code: &Secret, callback_url: &str) -> Result<Tokens> {
        let mut tokens = self.token_request(
            Grant::Code,
            &[
                ("grant_type", "authorization_code"),
                ("code", code.expose()),
                ("redirect_uri", callback_url),
            ],
        )?;
        tokens.verifier_fingerprint = Some(super::cipher::fingerprint(code.expose()));
        Ok(tokens)
    }

    /// `grant_type=refresh_token`. The answer carries a new refresh token:
    /// the one sent is dead afterwards.
    pub fn refresh(&self, refresh_token: &Secret) -> Result<Tokens> {
        self.token_request(
            Grant::Refresh,
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", refresh_token.expose()),
            ],
        )
    }

    fn token_request(&self, grant: Grant, form: &[(&str, &str)]) -> Result<Tokens> {
        let url = format!("{}{TOKEN_PATH}", self.app.oauth_base_url);
        let host = host_of(&self.app.oauth_base_url);
        let response = self
            .http
            .post(&url)
            .basic_auth(&self.app.client_id, Some(self.app.client_secret.expose()))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json")
            .body(form::encode_pairs(form))
            .send()
            .map_err(|e| unreachable(&e, host))?;
        let status = response.status().as_u16();
        let body = response.bytes().map_err(|e| unreachable(&e, host))?;
        let json: Option<Json> = serde_json::from_slice(&body).ok();
        if !(200..300).contains(&status) {
            return Err(token_error(grant, status, json.as_ref(), host));
        }
        let json = json.ok_or_else(|| {
            OdbcError::new(
                SqlState::CommunicationLinkFailure,
                format!("The OAuth server {host} answered the token request with something that is not JSON"),
            )
        })?;
        parse_token_answer(&json, host)
    }
}

fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.split('/').next().unwrap_or(rest)
}

fn unreachable(err: &reqwest::Error, host: &str) -> OdbcError {
    let mut cause: &dyn std::error::Error = err;
    while let Some(next) = cause.source() {
        cause = next;
    }
    let what = if err.is_timeout() {
        "timed out".to_string()
    } else if let Some(refusal) = crate::api::certificate_refusal(err) {
        refusal
    } else {
        cause.to_string()
    };
    OdbcError::new(
        SqlState::UnableToConnect,
        format!("Could not reach the OAuth server {host} (OAuthBaseURL): {what}"),
    )
}

/// RFC 6749 section 5.2 errors, worded for the property the user must fix.
fn token_error(grant: Grant, status: u16, body: Option<&Json>, host: &str) -> OdbcError {
    let text = |key: &str| {
        body.and_then(|b| b.get(key))
            .and_then(Json::as_str)
            .map(str::to_string)
    };
    let code = text("error").unwrap_or_default();
    let description = text("error_description")
        .or_else(|| text("message"))
        .unwrap_or_else(|| format!("HTTP status {status}"));
    let advice = match (code.as_str(), grant) {
        ("invalid_client", _) => "check OAuthClientId and OAuthClientSecret",
        ("invalid_grant", Grant::Code) => {
            "the authorization code was already used, has expired or was issued for another app or CallbackURL; authorize again"
        }
        ("invalid_grant", Grant::Refresh) => {
            "the refresh token was revoked, expired or already used; authorize again (InitiateOAuth=GETANDREFRESH, OAuthVerifier, or GetOAuthAccessToken)"
        }
        ("invalid_request", Grant::Code) => "check that CallbackURL matches the app's registered callback",
        _ => "the request was refused",
    };
    let state = if status >= 500 {
        SqlState::UnableToConnect
    } else {
        SqlState::InvalidAuthorization
    };
    OdbcError::new(
        state,
        format!("The OAuth server {host} refused the token request: {description} ({advice})"),
    )
    .with_native(i32::from(status))
}

fn parse_token_answer(json: &Json, host: &str) -> Result<Tokens> {
    let text = |key: &str| {
        json.get(key)
            .and_then(Json::as_str)
            .filter(|s| !s.is_empty())
    };
    let access_token = text("access_token").ok_or_else(|| {
        OdbcError::new(
            SqlState::CommunicationLinkFailure,
            format!("The OAuth server {host} sent no access_token"),
        )
    })?;
    let expires_in = json.get("expires_in").and_then(Json::as_u64);
    let api_domain = match text("api_domain") {
        Some(domain) => Some(
            crate::config::validate_base_url("api_domain", domain).map_err(|e| {
                OdbcError::new(
                    SqlState::UnableToConnect,
                    format!(
                        "The OAuth server {host} named an unusable api_domain: {}",
                        e.message
                    ),
                )
            })?,
        ),
        None => None,
    };
    Ok(Tokens {
        access_token: Secret::new(access_token),
        refresh_token: text("refresh_token").map(Secret::new),
        expires_at: expires_in.map(|secs| now_secs().saturating_add(secs)),
        expires_in,
        api_domain,
        verifier_fingerprint: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn client() -> OAuthClient {
        OAuthClient::new(
            OAuthApp {
                client_id: "my app".into(),
                client_secret: Secret::new("cs"),
                callback_url: "http://localhost:33333".into(),
                oauth_base_url: "https://oauth.pipedrive.com".into(),
            },
            None,
            &NetworkSettings::default(),
        )
        .unwrap()
    }

    #[test]
    fn authorization_urls_encode_every_value() {
        let url =
            client().authorization_url("http://localhost:33333/cb", "s t", Some("deals:read"));
        assert_eq!(
            url,
            "https://oauth.pipedrive.com/oauth/authorize?client_id=my%20app&redirect_uri=http%3A%2F%2Flocalhost%3A33333%2Fcb&state=s%20t&scope=deals%3Aread"
        );
        assert!(!client()
            .authorization_url("x", "s", Some(" "))
            .contains("scope"));
    }

    #[test]
    fn token_answers_are_parsed_and_checked() {
        let tokens = parse_token_answer(
            &json!({"access_token": "a", "refresh_token": "r", "expires_in": 3600, "api_domain": "https://acme.pipedrive.com/"}),
            "h",
        )
        .unwrap();
        assert_eq!(tokens.access_token.expose(), "a");
        assert_eq!(tokens.refresh_token.as_ref().map(Secret::expose), Some("r"));
        assert_eq!(
            tokens.api_domain.as_deref(),
            Some("https://acme.pipedrive.com")
        );
        assert!(tokens.expires_at.unwrap() >= now_secs() + 3599);
        assert!(parse_token_answer(&json!({"token": "a"}), "h").is_err());
        let insecure = parse_token_answer(
            &json!({"access_token": "a", "api_domain": "http://evil.example.com"}),
            "h",
        )
        .unwrap_err();
        assert_eq!(insecure.state, SqlState::UnableToConnect);
    }

    #[test]
    fn token_errors_name_what_to_fix() {
        let body = json!({"error": "invalid_grant", "error_description": "Invalid grant: refresh_token is invalid"});
        let err = token_error(Grant::Refresh, 400, Some(&body), "h");
        assert_eq!(err.state, SqlState::InvalidAuthorization);
        assert!(
            err.message.contains("refresh_token is invalid"),
            "{}",
            err.message
        );
        assert!(err.message.contains("authorize again"), "{}", err.message);
        let body = json!({"error": "invalid_client", "error_description": "Invalid client: client is invalid"});
        let err = token_error(Grant::Code, 401, Some(&body), "h");
        assert!(err.message.contains("OAuthClientSecret"), "{}", err.message);
        assert_eq!(err.native, 401);
        assert_eq!(
            token_error(Grant::Code, 503, None, "h").state,
            SqlState::UnableToConnect
        );
    }
}
