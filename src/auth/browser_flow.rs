//! The interactive authorization: listen on CallbackURL, open the browser
//! at the consent page, receive the redirect, exchange the code. Used by
//! InitiateOAuth=GETANDREFRESH and by GetOAuthAccessToken in APP mode.
//!
//! Where no browser can be started (or it exits with an error before the
//! redirect arrives), the flow stops at once with 28000 and the
//! authorization URL in the message and the log, so the user can finish
//! headlessly (OAuthVerifier or `pipedrive-odbc-auth`) instead of waiting.

use super::browser;
use super::listener::RedirectListener;
use super::oauth_client::OAuthClient;
use super::tokens::Tokens;
use crate::diag::{OdbcError, Result, SqlState};
use crate::logging::{self, Logger};
use std::time::{Duration, Instant};

/// How long the user has to approve in the browser (Pipedrive's codes live
/// five minutes, so waiting longer is pointless).
const CONSENT_WAIT: Duration = Duration::from_secs(300);

pub struct BrowserRequest<'a> {
    pub callback_url: &'a str,
    /// The caller's `state`, else a random one.
    pub state: Option<&'a str>,
    pub scope: Option<&'a str>,
}

fn no_browser(why: &str, url: &str) -> OdbcError {
    OdbcError::new(
        SqlState::InvalidAuthorization,
        format!(
            "Authorization needs a browser, but none could be opened ({why}). Open this URL on any machine to authorize: {url} \
             then pass the code from the redirect as OAuthVerifier (InitiateOAuth=REFRESH), or run pipedrive-odbc-auth"
        ),
    )
}

pub fn authorize_in_browser(
    client: &OAuthClient,
    request: &BrowserRequest<'_>,
    log: &Logger,
) -> Result<Tokens> {
    let generated;
    let state = match request.state.filter(|s| !s.is_empty()) {
        Some(state) => state,
        None => {
            generated = super::cipher::random_state();
            generated.as_str()
        }
    };
    // Listening first: a taken port fails before the user is sent anywhere.
    let listener = RedirectListener::bind(request.callback_url)?;
    let url = client.authorization_url(request.callback_url, state, request.scope);
    log.log(logging::ERRORS, None, || {
        format!("OAuth: opening the browser to authorize: {url}")
    });
    let mut child = match browser::open(&url) {
        Ok(child) => child,
        Err(why) => {
            let error = no_browser(&why, &url);
            log.log(logging::ERRORS, None, || error.message.clone());
            return Err(error);
        }
    };
    let deadline = Instant::now() + CONSENT_WAIT;
    let mut give_up = || match child.try_wait() {
        Ok(Some(status)) if !status.success() => Some(no_browser(
            &format!("the browser command exited with {status}"),
            &url,
        )),
        _ => None,
    };
    let code = listener.wait_for_code(state, deadline, &mut give_up);
    // Reap the browser launcher whenever it ends; it is not ours to kill.
    std::thread::spawn(move || {
        let _ = child.wait();
    });
    let code = code.inspect_err(|e| {
        log.log(logging::ERRORS, None, || format!("OAuth: {}", e.message));
    })?;
    let tokens = client.exchange_code(&code, request.callback_url)?;
    log.log(logging::ERRORS, None, || {
        "OAuth: authorized in the browser; tokens received".to_string()
    });
    Ok(tokens)
}
