//! OAuth 2.0 authorization-code flow as Pipedrive runs it on
//! `https://oauth.pipedrive.com` (REFERENCE.md section 2; v1.yaml
//! `/oauth/authorize`, `/oauth/token`), served at the simulator's root so
//! one base URL serves both the OAuth host and the API:
//!
//! * `GET /oauth/authorize` consents at once (or declines, when told to)
//!   and redirects to the registered `redirect_uri` with `code` and `state`;
//! * `POST /oauth/token` (form body, HTTP Basic client authentication)
//!   exchanges a code, a refresh token or an API token for an access token
//!   and a new refresh token; refresh tokens rotate (each is single-use);
//! * `Authorization: Bearer <access_token>` then works on every API path
//!   until the token expires.

pub(crate) mod endpoints;
mod secrets;
mod store;

pub(crate) use store::{BearerError, OAuthStore};

/// An app registered for OAuth (Pipedrive's Developer Hub registration).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OAuthClient {
    pub client_id: String,
    pub client_secret: String,
    /// The only callback `/oauth/authorize` redirects to, and the value
    /// `/oauth/token` requires with a code.
    pub redirect_uri: String,
    /// Scopes granted when the authorize request names none, comma
    /// separated as Pipedrive returns them.
    pub scope: String,
}

impl OAuthClient {
    /// A client with the scopes a read-mostly SQL client asks for.
    pub fn new(client_id: &str, client_secret: &str, redirect_uri: &str) -> OAuthClient {
        OAuthClient {
            client_id: client_id.to_string(),
            client_secret: client_secret.to_string(),
            redirect_uri: redirect_uri.to_string(),
            scope: "base,deals:read,contacts:read,users:read,admin".to_string(),
        }
    }
}

/// What the simulated user answers on the consent page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OAuthConsent {
    /// Install the app: redirect with a code.
    Approve,
    /// Decline: redirect with `error=access_denied`.
    Deny,
}

/// OAuth apps and lifetimes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OAuthSettings {
    /// Registered apps; none by default, so `/oauth/*` refuses every client.
    pub clients: Vec<OAuthClient>,
    pub consent: OAuthConsent,
    /// `expires_in` of access tokens (Pipedrive: about an hour).
    pub access_token_lifetime_secs: u64,
    /// Refresh tokens expire after this long unused (Pipedrive: 60 days).
    pub refresh_token_lifetime_secs: u64,
    /// Authorization codes expire after this long (Pipedrive: 5 minutes).
    pub code_lifetime_secs: u64,
}

impl Default for OAuthSettings {
    fn default() -> Self {
        OAuthSettings {
            clients: Vec::new(),
            consent: OAuthConsent::Approve,
            access_token_lifetime_secs: 3_600,
            refresh_token_lifetime_secs: 60 * 86_400,
            code_lifetime_secs: 300,
        }
    }
}

impl OAuthSettings {
    pub(crate) fn validate(&self) -> Result<(), String> {
        for client in &self.clients {
            if client.client_id.is_empty() || client.client_secret.is_empty() {
                return Err("oauth client: id and secret must not be empty".to_string());
            }
            if !endpoints::is_absolute_uri(&client.redirect_uri) {
                return Err(format!(
                    "oauth client {}: redirect URI '{}' is not an absolute URI",
                    client.client_id, client.redirect_uri
                ));
            }
        }
        if self.access_token_lifetime_secs == 0 || self.code_lifetime_secs == 0 {
            return Err("oauth: token and code lifetimes must be at least 1 second".to_string());
        }
        Ok(())
    }
}

/// Tokens as `POST /oauth/token` returns them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OAuthTokens {
    pub access_token: String,
    pub refresh_token: String,
    pub scope: String,
    pub expires_in: u64,
}
