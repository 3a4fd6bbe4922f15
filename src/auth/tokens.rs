//! A token pair as the OAuth server issues it and the settings file keeps it.

use crate::config::Secret;
use std::time::{SystemTime, UNIX_EPOCH};

/// Access tokens are refreshed this long before they expire, so a request
/// does not start with a token that dies on the way.
const EXPIRY_MARGIN_SECS: u64 = 60;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tokens {
    pub access_token: Secret,
    pub refresh_token: Option<Secret>,
    /// Unix seconds; `None` when unknown (tokens given in a connection
    /// string), in which case only a 401 tells that it expired.
    pub expires_at: Option<u64>,
    /// Seconds of validity the server granted with this token.
    pub expires_in: Option<u64>,
    /// `https://<company>.pipedrive.com`, from the token answer.
    pub api_domain: Option<String>,
    /// SHA-256 of the authorization code these tokens came from, so a
    /// connection string that still carries OAuthVerifier does not try to
    /// use the (single-use) code again.
    pub verifier_fingerprint: Option<String>,
}

pub fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

impl Tokens {
    /// Whether the access token is (nearly) past its lifetime.
    pub fn expired(&self, now: u64) -> bool {
        self.expires_at
            .is_some_and(|at| now.saturating_add(EXPIRY_MARGIN_SECS) >= at)
    }

    /// Every secret value, for masking.
    pub fn secret_values(&self) -> Vec<String> {
        let mut values = vec![self.access_token.expose().to_string()];
        if let Some(refresh) = &self.refresh_token {
            values.push(refresh.expose().to_string());
        }
        values
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_has_a_margin_and_unknown_never_expires() {
        let mut tokens = Tokens {
            access_token: Secret::new("a"),
            refresh_token: None,
            expires_at: Some(1_000),
            expires_in: Some(3600),
            api_domain: None,
            verifier_fingerprint: None,
        };
        assert!(!tokens.expired(900));
        assert!(tokens.expired(941));
        assert!(tokens.expired(2_000));
        tokens.expires_at = None;
        assert!(!tokens.expired(u64::MAX));
        assert!(!format!("{tokens:?}").contains("\"a\""));
    }
}
