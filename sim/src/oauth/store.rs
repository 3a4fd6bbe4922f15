//! The OAuth server's state: registered clients, outstanding codes, access
//! and refresh tokens, and the rules for trading one for another. Pure
//! bookkeeping, with the time passed in, so every rule is testable without
//! HTTP or a clock.
//!
//! Error texts are the ones Pipedrive lists for its OAuth server
//! (REFERENCE.md section 2, "Token errors").

use super::secrets::{self, SecretKind};
use super::{OAuthClient, OAuthConsent, OAuthSettings, OAuthTokens};
use std::collections::HashMap;
use std::sync::Mutex;

/// The `error` codes of RFC 6749 section 5.2.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum GrantErrorKind {
    InvalidRequest,
    InvalidClient,
    InvalidGrant,
    UnsupportedGrantType,
}

impl GrantErrorKind {
    pub(crate) fn code(self) -> &'static str {
        match self {
            GrantErrorKind::InvalidRequest => "invalid_request",
            GrantErrorKind::InvalidClient => "invalid_client",
            GrantErrorKind::InvalidGrant => "invalid_grant",
            GrantErrorKind::UnsupportedGrantType => "unsupported_grant_type",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct GrantError {
    pub kind: GrantErrorKind,
    pub description: &'static str,
}

fn error(kind: GrantErrorKind, description: &'static str) -> GrantError {
    GrantError { kind, description }
}

pub(crate) const MISSING_CLIENT_CREDENTIALS: &str =
    "Invalid client: cannot retrieve client credentials";
const INVALID_CLIENT: &str = "Invalid client: client is invalid";
const INVALID_REDIRECT_URI: &str = "Invalid request: redirect_uri is invalid";
const REDIRECT_URI_NOT_URI: &str = "Invalid request: redirect_uri is not a valid URI";

/// Why a bearer token was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BearerError {
    /// Never issued, or revoked.
    Invalid,
    /// Issued but past its lifetime.
    Expired,
}

/// What the consent page decided.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Consent {
    Approved { redirect_uri: String, code: String },
    Denied { redirect_uri: String },
}

struct Code {
    client_id: String,
    redirect_uri: String,
    scope: String,
    expires_ms: i64,
}

struct Access {
    id: u64,
    expires_ms: i64,
}

struct Refresh {
    client_id: String,
    scope: String,
    expires_ms: i64,
}

struct State {
    settings: OAuthSettings,
    /// Numbers every code and token, so each secret is distinct.
    serial: u64,
    codes: HashMap<String, Code>,
    access: HashMap<String, Access>,
    refresh: HashMap<String, Refresh>,
}

pub(crate) struct OAuthStore {
    seed: u64,
    state: Mutex<State>,
}

/// Keeps long runs from accumulating dead secrets: past this many, expired
/// ones are dropped (an expired access token then reads as invalid rather
/// than expired, which clients treat alike).
const PRUNE_ABOVE: usize = 10_000;

impl State {
    fn next_secret(&mut self, seed: u64, kind: SecretKind) -> String {
        self.serial += 1;
        secrets::make(seed, kind, self.serial)
    }

    fn client(&self, client_id: &str) -> Option<&OAuthClient> {
        self.settings
            .clients
            .iter()
            .find(|c| c.client_id == client_id)
    }

    fn issue(&mut self, seed: u64, client_id: &str, scope: &str, now_ms: i64) -> OAuthTokens {
        let access_token = self.next_secret(seed, SecretKind::AccessToken);
        let access_id = self.serial;
        let refresh_token = self.next_secret(seed, SecretKind::RefreshToken);
        let lifetime = self.settings.access_token_lifetime_secs;
        let access = Access {
            id: access_id,
            expires_ms: now_ms.saturating_add(secs_to_ms(lifetime)),
        };
        let refresh = Refresh {
            client_id: client_id.to_string(),
            scope: scope.to_string(),
            expires_ms: now_ms
                .saturating_add(secs_to_ms(self.settings.refresh_token_lifetime_secs)),
        };
        if self.access.len() > PRUNE_ABOVE {
            self.access.retain(|_, a| a.expires_ms > now_ms);
        }
        if self.refresh.len() > PRUNE_ABOVE {
            self.refresh.retain(|_, r| r.expires_ms > now_ms);
        }
        self.access.insert(access_token.clone(), access);
        self.refresh.insert(refresh_token.clone(), refresh);
        OAuthTokens {
            access_token,
            refresh_token,
            scope: scope.to_string(),
            expires_in: lifetime,
        }
    }
}

fn secs_to_ms(secs: u64) -> i64 {
    i64::try_from(secs.saturating_mul(1000)).unwrap_or(i64::MAX)
}

/// Scopes as Pipedrive returns them: comma separated, `base` included.
fn normalize_scope(requested: &str) -> String {
    let mut scopes: Vec<&str> = requested
        .split([',', ' '])
        .filter(|s| !s.is_empty())
        .collect();
    if !scopes.contains(&"base") {
        scopes.push("base");
    }
    scopes.join(",")
}

impl OAuthStore {
    pub(crate) fn new(seed: u64, settings: OAuthSettings) -> OAuthStore {
        OAuthStore {
            seed,
            state: Mutex::new(State {
                settings,
                serial: 0,
                codes: HashMap::new(),
                access: HashMap::new(),
                refresh: HashMap::new(),
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds a client, or replaces the one with the same id.
    pub(crate) fn register_client(&self, client: OAuthClient) {
        let mut state = self.lock();
        state
            .settings
            .clients
            .retain(|c| c.client_id != client.client_id);
        state.settings.clients.push(client);
    }

    pub(crate) fn set_consent(&self, consent: OAuthConsent) {
        self.lock().settings.consent = consent;
    }

    /// `GET /oauth/authorize`. Errors here cannot be redirected (the
    /// redirect target is what is in doubt), so they are answered directly.
    pub(crate) fn authorize(
        &self,
        client_id: Option<&str>,
        redirect_uri: Option<&str>,
        scope: Option<&str>,
        now_ms: i64,
    ) -> Result<Consent, GrantError> {
        let mut state = self.lock();
        let client_id = client_id.ok_or(error(
            GrantErrorKind::InvalidRequest,
            "Missing parameter: client_id",
        ))?;
        let client = state
            .client(client_id)
            .ok_or(error(GrantErrorKind::InvalidClient, INVALID_CLIENT))?;
        let redirect_uri = redirect_uri
            .filter(|uri| super::endpoints::is_absolute_uri(uri))
            .ok_or(error(GrantErrorKind::InvalidRequest, REDIRECT_URI_NOT_URI))?;
        if redirect_uri != client.redirect_uri {
            return Err(error(GrantErrorKind::InvalidRequest, INVALID_REDIRECT_URI));
        }
        let scope = normalize_scope(scope.unwrap_or(&client.scope));
        if state.settings.consent == OAuthConsent::Deny {
            return Ok(Consent::Denied {
                redirect_uri: redirect_uri.to_string(),
            });
        }
        let code = state.next_secret(self.seed, SecretKind::Code);
        let expires_ms = now_ms.saturating_add(secs_to_ms(state.settings.code_lifetime_secs));
        if state.codes.len() > PRUNE_ABOVE {
            state.codes.retain(|_, c| c.expires_ms > now_ms);
        }
        state.codes.insert(
            code.clone(),
            Code {
                client_id: client_id.to_string(),
                redirect_uri: redirect_uri.to_string(),
                scope,
                expires_ms,
            },
        );
        Ok(Consent::Approved {
            redirect_uri: redirect_uri.to_string(),
            code,
        })
    }

    /// Checks client credentials; the client id on success.
    pub(crate) fn authenticate_client(
        &self,
        credentials: Option<(&str, &str)>,
    ) -> Result<String, GrantError> {
        let (id, secret) = credentials.ok_or(error(
            GrantErrorKind::InvalidClient,
            MISSING_CLIENT_CREDENTIALS,
        ))?;
        let state = self.lock();
        match state.client(id) {
            Some(client) if client.client_secret == secret => Ok(id.to_string()),
            _ => Err(error(GrantErrorKind::InvalidClient, INVALID_CLIENT)),
        }
    }

    /// `grant_type=authorization_code`: a code is good once, for the client
    /// and redirect URI it was issued to, until it expires.
    pub(crate) fn exchange_code(
        &self,
        client_id: &str,
        code: Option<&str>,
        redirect_uri: Option<&str>,
        now_ms: i64,
    ) -> Result<OAuthTokens, GrantError> {
        let invalid = error(
            GrantErrorKind::InvalidGrant,
            "Invalid grant: authorization_code is invalid",
        );
        let mut state = self.lock();
        let code = code.ok_or(error(
            GrantErrorKind::InvalidRequest,
            "Missing parameter: code",
        ))?;
        let grant = state.codes.get(code).ok_or(invalid.clone())?;
        if grant.client_id != client_id {
            return Err(invalid);
        }
        if grant.expires_ms <= now_ms {
            state.codes.remove(code);
            return Err(error(
                GrantErrorKind::InvalidGrant,
                "Invalid grant: authorization_code has expired",
            ));
        }
        let redirect_uri = redirect_uri
            .filter(|uri| super::endpoints::is_absolute_uri(uri))
            .ok_or(error(GrantErrorKind::InvalidRequest, REDIRECT_URI_NOT_URI))?;
        if redirect_uri != grant.redirect_uri {
            return Err(error(GrantErrorKind::InvalidRequest, INVALID_REDIRECT_URI));
        }
        let scope = grant.scope.clone();
        state.codes.remove(code);
        Ok(state.issue(self.seed, client_id, &scope, now_ms))
    }

    /// `grant_type=refresh_token`: refresh tokens rotate. The one presented
    /// is revoked and a new one comes with the new access token, so a
    /// refresh token works exactly once.
    pub(crate) fn refresh(
        &self,
        client_id: &str,
        refresh_token: Option<&str>,
        now_ms: i64,
    ) -> Result<OAuthTokens, GrantError> {
        let mut state = self.lock();
        let token = refresh_token.ok_or(error(
            GrantErrorKind::InvalidRequest,
            "Missing parameter: refresh_token",
        ))?;
        let grant = state
            .refresh
            .get(token)
            .filter(|r| r.client_id == client_id)
            .ok_or(error(
                GrantErrorKind::InvalidGrant,
                "Invalid grant: refresh_token is invalid",
            ))?;
        if grant.expires_ms <= now_ms {
            state.refresh.remove(token);
            return Err(error(
                GrantErrorKind::InvalidGrant,
                "Invalid grant: refresh_token has expired",
            ));
        }
        let scope = grant.scope.clone();
        state.refresh.remove(token);
        Ok(state.issue(self.seed, client_id, &scope, now_ms))
    }

    /// `grant_type=exchange_api_token`: the company's API token buys a
    /// token pair with the client's scopes.
    pub(crate) fn exchange_api_token(
        &self,
        client_id: &str,
        api_token: Option<&str>,
        company_token: &str,
        now_ms: i64,
    ) -> Result<OAuthTokens, GrantError> {
        let mut state = self.lock();
        let api_token = api_token.ok_or(error(
            GrantErrorKind::InvalidRequest,
            "Missing parameter: api_token",
        ))?;
        if api_token != company_token {
            return Err(error(
                GrantErrorKind::InvalidGrant,
                "Invalid grant: api_token is invalid",
            ));
        }
        let scope = normalize_scope(
            &state
                .client(client_id)
                .map(|c| c.scope.clone())
                .unwrap_or_default(),
        );
        Ok(state.issue(self.seed, client_id, &scope, now_ms))
    }

    /// Tokens for `client_id` without the HTTP round trips (for tests that
    /// need a bearer token, not the flow).
    pub(crate) fn issue_directly(&self, client_id: &str, now_ms: i64) -> Option<OAuthTokens> {
        let mut state = self.lock();
        let scope = normalize_scope(&state.client(client_id)?.scope.clone());
        Some(state.issue(self.seed, client_id, &scope, now_ms))
    }

    /// The id of a live access token (its rate-limit window is keyed by it).
    pub(crate) fn authenticate(&self, access_token: &str, now_ms: i64) -> Result<u64, BearerError> {
        let state = self.lock();
        match state.access.get(access_token) {
            None => Err(BearerError::Invalid),
            Some(a) if a.expires_ms <= now_ms => Err(BearerError::Expired),
            Some(a) => Ok(a.id),
        }
    }

    /// Makes every access token issued so far expired (refresh tokens stay
    /// good), as if their lifetime had passed.
    pub(crate) fn expire_access_tokens(&self, now_ms: i64) {
        for access in self.lock().access.values_mut() {
            access.expires_ms = access.expires_ms.min(now_ms);
        }
    }

    /// Revokes one refresh token; false if it was not live.
    pub(crate) fn revoke_refresh_token(&self, refresh_token: &str) -> bool {
        self.lock().refresh.remove(refresh_token).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REDIRECT: &str = "http://127.0.0.1:9/callback";

    fn store() -> OAuthStore {
        OAuthStore::new(
            7,
            OAuthSettings {
                clients: vec![OAuthClient::new("app", "s3cret", REDIRECT)],
                ..OAuthSettings::default()
            },
        )
    }

    fn code(store: &OAuthStore, now: i64) -> String {
        match store.authorize(Some("app"), Some(REDIRECT), None, now) {
            Ok(Consent::Approved { code, .. }) => code,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn authorize_checks_client_and_redirect_uri() {
        let s = store();
        let err = |r: Result<Consent, GrantError>| r.unwrap_err().description;
        assert_eq!(
            err(s.authorize(Some("nope"), Some(REDIRECT), None, 0)),
            INVALID_CLIENT
        );
        assert_eq!(
            err(s.authorize(Some("app"), Some("elsewhere"), None, 0)),
            REDIRECT_URI_NOT_URI
        );
        assert_eq!(
            err(s.authorize(Some("app"), Some("http://evil/cb"), None, 0)),
            INVALID_REDIRECT_URI
        );
        s.set_consent(OAuthConsent::Deny);
        assert!(matches!(
            s.authorize(Some("app"), Some(REDIRECT), None, 0),
            Ok(Consent::Denied { .. })
        ));
    }

    #[test]
    fn codes_are_single_use_bound_and_expiring() {
        let s = store();
        let c = code(&s, 0);
        assert_eq!(
            s.exchange_code("app", Some(&c), Some("http://127.0.0.1:9/other"), 1)
                .unwrap_err()
                .description,
            INVALID_REDIRECT_URI
        );
        let tokens = s.exchange_code("app", Some(&c), Some(REDIRECT), 1).unwrap();
        assert_eq!(tokens.expires_in, 3600);
        assert_eq!(s.authenticate(&tokens.access_token, 2), Ok(1 + 1));
        assert_eq!(
            s.exchange_code("app", Some(&c), Some(REDIRECT), 2)
                .unwrap_err()
                .kind,
            GrantErrorKind::InvalidGrant
        );
        let late = code(&s, 0);
        assert_eq!(
            s.exchange_code("app", Some(&late), Some(REDIRECT), 300_000)
                .unwrap_err()
                .description,
            "Invalid grant: authorization_code has expired"
        );
    }

    #[test]
    fn refresh_tokens_rotate_and_access_tokens_expire() {
        let s = store();
        let first = s.issue_directly("app", 0).unwrap();
        assert_eq!(
            first.scope,
            "base,deals:read,contacts:read,users:read,admin"
        );
        let second = s.refresh("app", Some(&first.refresh_token), 10).unwrap();
        assert_ne!(second.refresh_token, first.refresh_token);
        assert_eq!(
            s.refresh("app", Some(&first.refresh_token), 20)
                .unwrap_err()
                .description,
            "Invalid grant: refresh_token is invalid"
        );
        // Another client cannot use it either.
        assert!(s.refresh("other", Some(&second.refresh_token), 20).is_err());
        assert!(s.authenticate(&second.access_token, 3_599_999).is_ok());
        assert_eq!(
            s.authenticate(&second.access_token, 3_600_010),
            Err(BearerError::Expired)
        );
        assert_eq!(s.authenticate("v1u:forged", 0), Err(BearerError::Invalid));
        s.expire_access_tokens(30);
        assert_eq!(
            s.authenticate(&first.access_token, 30),
            Err(BearerError::Expired)
        );
        assert!(s.revoke_refresh_token(&second.refresh_token));
        assert!(!s.revoke_refresh_token(&second.refresh_token));
    }

    #[test]
    fn client_credentials_and_api_token_exchange() {
        let s = store();
        assert_eq!(
            s.authenticate_client(None).unwrap_err().description,
            MISSING_CLIENT_CREDENTIALS
        );
        assert_eq!(
            s.authenticate_client(Some(("app", "wrong")))
                .unwrap_err()
                .description,
            INVALID_CLIENT
        );
        assert_eq!(
            s.authenticate_client(Some(("app", "s3cret"))).unwrap(),
            "app"
        );
        assert!(s
            .exchange_api_token("app", Some("company"), "company", 0)
            .is_ok());
        assert_eq!(
            s.exchange_api_token("app", Some("other"), "company", 0)
                .unwrap_err()
                .description,
            "Invalid grant: api_token is invalid"
        );
    }
}
