//! OAuth 2.0 for AuthScheme=OAuth: the authorization-code flow against
//! OAuthBaseURL, the encrypted settings file that keeps the newest tokens,
//! and the per-connection token source the API client asks for a bearer
//! token (refreshing it when it expires or the API refuses it).
//!
//! Nothing here logs or reports a token, code or secret.

mod browser;
mod browser_flow;
mod cipher;
mod form;
mod listener;
mod oauth_client;
mod settings_file;
mod token_source;
mod tokens;

pub use browser::BROWSER_VARIABLE;
pub use browser_flow::{authorize_in_browser, BrowserRequest};
pub use cipher::random_state;
pub use form::{query_of, query_value};
pub use oauth_client::{OAuthApp, OAuthClient};
pub use settings_file::SettingsFile;
pub use token_source::{GivenToken, TokenSource, NOT_AUTHORIZED};
pub use tokens::Tokens;

use crate::api::NetworkSettings;
use crate::config::Config;
use crate::diag::{OdbcError, Result, SqlState};

/// The OAuth client the configuration describes (28000 without
/// OAuthClientId and OAuthClientSecret).
pub fn oauth_client(config: &Config, network: &NetworkSettings) -> Result<OAuthClient> {
    let (Some(client_id), Some(client_secret)) =
        (&config.oauth_client_id, &config.oauth_client_secret)
    else {
        return Err(OdbcError::new(
            SqlState::InvalidAuthorization,
            "OAuthClientId and OAuthClientSecret (the OAuth app's credentials) are required for this",
        ));
    };
    OAuthClient::new(
        OAuthApp {
            client_id: client_id.clone(),
            client_secret: client_secret.clone(),
            callback_url: config.callback_url.clone(),
            oauth_base_url: config.oauth_base_url.clone(),
        },
        config.timeout,
        network,
    )
}

/// The authorization code in what a user pasted: the code itself, or the
/// whole redirect URL (`http://localhost:33333/?code=...&state=...`).
pub fn code_from_pasted(text: &str) -> Option<String> {
    let text = text.trim();
    if text.contains('?') || text.contains("code=") {
        let query = if text.contains('?') {
            query_of(text)
        } else {
            text
        };
        return query_value(query, "code").filter(|code| !code.is_empty());
    }
    (!text.is_empty()).then(|| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_codes_and_redirect_urls() {
        assert_eq!(code_from_pasted(" abc123 \n").as_deref(), Some("abc123"));
        assert_eq!(
            code_from_pasted("http://localhost:33333/?code=ab%2Fc&state=s").as_deref(),
            Some("ab/c")
        );
        assert_eq!(code_from_pasted("code=xyz&state=1").as_deref(), Some("xyz"));
        assert_eq!(
            code_from_pasted("http://localhost/?error=access_denied"),
            None
        );
        assert_eq!(code_from_pasted("  "), None);
    }
}
