//! The OAuth tokens of one connection, and the InitiateOAuth modes:
//!
//! * `OFF`: OAuthAccessToken is used as given; when the API refuses it the
//!   error (28000) says how to get a new one. Nothing is refreshed or saved.
//! * `REFRESH`: the tokens come from the settings file, else from
//!   OAuthAccessToken/OAuthRefreshToken (the file wins: refresh tokens
//!   rotate, so the file holds the newest). With OAuthVerifier the code is
//!   exchanged first, unless the file already holds the tokens that code
//!   produced. Expired or refused access tokens are refreshed and the new
//!   pair saved.
//! * `GETANDREFRESH`: as REFRESH, and when there is no usable token at
//!   connect time the browser flow obtains one.
//!
//! With no token at all (OFF or REFRESH with only the client settings) the
//! connection opens unauthorized: the OAuth procedures work, and any API
//! request fails with 28000 saying how to authorize.
//!
//! Refreshing takes the settings file's lock and re-reads the file first:
//! when another connection (thread or process) has refreshed meanwhile, its
//! tokens are adopted instead of spending a refresh token that is already
//! dead.

use super::browser_flow::{authorize_in_browser, BrowserRequest};
use super::cipher::fingerprint;
use super::oauth_client::OAuthClient;
use super::settings_file::{SettingsFile, SettingsLock};
use super::tokens::{now_secs, Tokens};
use crate::api::TokenProvider;
use crate::config::{Config, InitiateOAuth, Secret};
use crate::diag::{OdbcError, Result, SqlState};
use crate::logging::{self, Logger};
use parking_lot::Mutex;
use std::sync::Arc;

pub struct TokenSource {
    mode: InitiateOAuth,
    client: OAuthClient,
    /// `None` with InitiateOAuth=OFF, or when no location is known.
    file: Option<SettingsFile>,
    current: Mutex<Option<Tokens>>,
    log: Arc<Logger>,
}

impl std::fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenSource")
            .field("mode", &self.mode)
            .field("authorized", &self.current.lock().is_some())
            .finish()
    }
}

/// The message for API requests on a connection that has no token yet.
pub const NOT_AUTHORIZED: &str = "This connection is not authorized yet: it has OAuth client settings but no token. \
Authorize with InitiateOAuth=GETANDREFRESH, or get tokens with the GetOAuthAuthorizationURL and GetOAuthAccessToken procedures \
(or the pipedrive-odbc-auth helper) and connect with InitiateOAuth=REFRESH or OAuthAccessToken";

impl TokenSource {
    /// Establishes the connection's tokens according to InitiateOAuth.
    pub fn connect(config: &Config, client: OAuthClient, log: Arc<Logger>) -> Result<TokenSource> {
        let file = match config.initiate_oauth {
            InitiateOAuth::Off => None,
            InitiateOAuth::Refresh | InitiateOAuth::GetAndRefresh => {
                config.oauth_settings_location.clone().map(|path| {
                    SettingsFile::new(
                        path,
                        &client.app().client_id,
                        client.app().client_secret.expose(),
                    )
                })
            }
        };
        let source = TokenSource {
            mode: config.initiate_oauth,
            client,
            file,
            current: Mutex::new(None),
            log,
        };
        let initial = source.initial_tokens(config)?;
        *source.current.lock() = initial;
        Ok(source)
    }

    pub fn is_authorized(&self) -> bool {
        self.current.lock().is_some()
    }

    pub fn api_domain(&self) -> Option<String> {
        self.current
            .lock()
            .as_ref()
            .and_then(|t| t.api_domain.clone())
    }

    pub fn client(&self) -> &OAuthClient {
        &self.client
    }

    /// Makes `tokens` this connection's (and, unless InitiateOAuth=OFF, the
    /// settings file's): the OAuth procedures call this after obtaining
    /// tokens, so the connection is authorized from then on.
    pub fn adopt(&self, tokens: Tokens) -> Result<()> {
        let mut current = self.current.lock();
        if let Some(file) = &self.file {
            let _lock = file.lock()?;
            file.write(&tokens)?;
        }
        *current = Some(tokens);
        Ok(())
    }

    fn initial_tokens(&self, config: &Config) -> Result<Option<Tokens>> {
        if self.mode == InitiateOAuth::Off {
            return Ok(config
                .oauth_access_token
                .clone()
                .map(|access| given_tokens(access, None)));
        }
        if let Some(verifier) = &config.oauth_verifier {
            return self
                .tokens_from_verifier(verifier, &config.callback_url)
                .map(Some);
        }
        let stored = match &self.file {
            Some(file) => file.read()?,
            None => None,
        };
        let given = || {
            config
                .oauth_access_token
                .clone()
                .or_else(|| config.oauth_refresh_token.as_ref().map(|_| Secret::new("")))
                .map(|access| given_tokens(access, config.oauth_refresh_token.clone()))
        };
        let tokens = match stored.or_else(given) {
            Some(tokens) => tokens,
            None if self.mode == InitiateOAuth::GetAndRefresh => {
                return self.authorize_in_browser(config).map(Some)
            }
            None => return Ok(None),
        };
        // Only a refresh token (or an expired access token): refresh now.
        let stale = tokens.access_token.expose().is_empty() || tokens.expired(now_secs());
        if !stale {
            return Ok(Some(tokens));
        }
        *self.current.lock() = Some(tokens);
        match self.refresh(None) {
            Ok(_) => Ok(self.current.lock().clone()),
            Err(e)
                if self.mode == InitiateOAuth::GetAndRefresh
                    && e.state == SqlState::InvalidAuthorization =>
            {
                self.log.log(logging::ERRORS, None, || {
                    format!(
                        "OAuth: the stored tokens no longer work ({}); authorizing again",
                        e.message
                    )
                });
                self.authorize_in_browser(config).map(Some)
            }
            Err(e) => Err(e),
        }
    }

    /// GETANDREFRESH at connect time, when the API refused the tokens and
    /// refreshing could not fix it (revoked): authorize in the browser again.
    pub fn can_authorize_again(&self) -> bool {
        self.mode == InitiateOAuth::GetAndRefresh
    }

    pub fn authorize_again(&self, config: &Config) -> Result<()> {
        let tokens = self.authorize_in_browser(config)?;
        *self.current.lock() = Some(tokens);
        Ok(())
    }

    fn authorize_in_browser(&self, config: &Config) -> Result<Tokens> {
        let tokens = authorize_in_browser(
            &self.client,
            &BrowserRequest {
                callback_url: &config.callback_url,
                state: None,
                scope: None,
            },
            &self.log,
        )?;
        self.save(&tokens)?;
        Ok(tokens)
    }

    /// Headless option 1: the code the user pasted. The file remembers which
    /// code its tokens came from, so reconnecting with the same connection
    /// string reuses them instead of failing on the spent code.
    fn tokens_from_verifier(&self, verifier: &Secret, callback_url: &str) -> Result<Tokens> {
        let _lock = self.file.as_ref().map(SettingsFile::lock).transpose()?;
        if let Some(file) = &self.file {
            if let Some(stored) = file.read()? {
                if stored.verifier_fingerprint.as_deref()
                    == Some(fingerprint(verifier.expose()).as_str())
                {
                    return Ok(stored);
                }
            }
        }
        let tokens = self.client.exchange_code(verifier, callback_url)?;
        if let Some(file) = &self.file {
            file.write(&tokens)?;
        }
        self.log.log(logging::ERRORS, None, || {
            "OAuth: exchanged OAuthVerifier for tokens".to_string()
        });
        Ok(tokens)
    }

    fn save(&self, tokens: &Tokens) -> Result<()> {
        match &self.file {
            Some(file) => {
                let _lock = file.lock()?;
                file.write(tokens)
            }
            None => Ok(()),
        }
    }

    /// A working access token after `rejected` was refused (or, with
    /// `None`, because the current one expired).
    fn refresh(&self, rejected: Option<&str>) -> Result<String> {
        let mut current = self.current.lock();
        let Some(mine) = current.clone() else {
            return Err(OdbcError::new(
                SqlState::InvalidAuthorization,
                NOT_AUTHORIZED,
            ));
        };
        let now = now_secs();
        // Another statement of this connection refreshed while we waited.
        if let Some(rejected) = rejected {
            if mine.access_token.expose() != rejected && !mine.expired(now) {
                return Ok(mine.access_token.expose().to_string());
            }
        }
        if self.mode == InitiateOAuth::Off {
            return Err(not_refreshed(None));
        }
        let lock: Option<SettingsLock> = self.file.as_ref().map(SettingsFile::lock).transpose()?;
        let mut refresh_token = mine.refresh_token.clone();
        if let Some(file) = &self.file {
            if let Some(stored) = file.read()? {
                let newer = stored.access_token != mine.access_token;
                let refused = rejected == Some(stored.access_token.expose());
                if newer
                    && !refused
                    && !stored.access_token.expose().is_empty()
                    && !stored.expired(now)
                {
                    self.log.log(logging::REQUESTS, None, || {
                        "OAuth: using the tokens another connection refreshed".to_string()
                    });
                    let token = stored.access_token.expose().to_string();
                    *current = Some(stored);
                    return Ok(token);
                }
                refresh_token = stored.refresh_token.or(refresh_token);
            }
        }
        let refresh_token = refresh_token.ok_or_else(|| {
            OdbcError::new(
                SqlState::InvalidAuthorization,
                "The OAuth access token has expired and there is no refresh token (OAuthRefreshToken) to renew it: authorize again",
            )
        })?;
        let mut renewed = self.client.refresh(&refresh_token)?;
        if renewed.api_domain.is_none() {
            renewed.api_domain = mine.api_domain.clone();
        }
        renewed.verifier_fingerprint = mine.verifier_fingerprint.clone();
        if renewed.refresh_token.is_none() {
            renewed.refresh_token = Some(refresh_token);
        }
        if let Some(file) = &self.file {
            file.write(&renewed)?;
        }
        drop(lock);
        self.log.log(logging::ERRORS, None, || {
            format!(
                "OAuth: access token refreshed{}",
                renewed
                    .expires_in
                    .map(|s| format!(" (valid {s} s)"))
                    .unwrap_or_default()
            )
        });
        let token = renewed.access_token.expose().to_string();
        *current = Some(renewed);
        Ok(token)
    }
}

/// InitiateOAuth=OFF and the API refused the token (28000, with the API's
/// reason when there is one).
fn not_refreshed(api_error: Option<&OdbcError>) -> OdbcError {
    let reason = api_error
        .map(|e| format!(" ({})", e.message))
        .unwrap_or_default();
    OdbcError::new(
        SqlState::InvalidAuthorization,
        format!(
            "The OAuth access token (OAuthAccessToken) has expired or was revoked, and InitiateOAuth=OFF never refreshes it: \
             get a new one (RefreshOAuthAccessToken) and reconnect, or use InitiateOAuth=REFRESH with OAuthRefreshToken{reason}"
        ),
    )
    .with_native(api_error.map_or(0, |e| e.native))
}

/// OAuthAccessToken alone (no OAuth app settings): sent as given; a 401
/// becomes the same advice as with the app settings.
#[derive(Debug)]
pub struct GivenToken(pub Secret);

impl TokenProvider for GivenToken {
    fn access_token(&self) -> Result<String> {
        Ok(self.0.expose().to_string())
    }

    fn renew_after_rejection(&self, _rejected: &str, error: OdbcError) -> Result<String> {
        Err(not_refreshed(Some(&error)))
    }
}

/// Tokens from the connection string: their lifetime is unknown.
fn given_tokens(access: Secret, refresh: Option<Secret>) -> Tokens {
    Tokens {
        access_token: access,
        refresh_token: refresh,
        expires_at: None,
        expires_in: None,
        api_domain: None,
        verifier_fingerprint: None,
    }
}

impl TokenProvider for TokenSource {
    fn access_token(&self) -> Result<String> {
        {
            let current = self.current.lock();
            match current.as_ref() {
                None => {
                    return Err(OdbcError::new(
                        SqlState::InvalidAuthorization,
                        NOT_AUTHORIZED,
                    ))
                }
                // OFF never refreshes: the API's 401 reports the expiry.
                Some(tokens) if !tokens.expired(now_secs()) || self.mode == InitiateOAuth::Off => {
                    return Ok(tokens.access_token.expose().to_string())
                }
                Some(_) => {}
            }
        }
        self.refresh(None)
    }

    fn renew_after_rejection(&self, rejected: &str, error: OdbcError) -> Result<String> {
        if self.mode == InitiateOAuth::Off {
            return Err(not_refreshed(Some(&error)));
        }
        self.log.log(logging::REQUESTS, None, || {
            format!(
                "OAuth: the API refused the access token ({}); refreshing",
                error.message
            )
        });
        self.refresh(Some(rejected))
    }
}
