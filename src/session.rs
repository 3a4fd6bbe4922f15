//! An open connection to Pipedrive: the configuration, the API client, the
//! data model and who is connected. Statements share it read-only.
//!
//! With AuthScheme=OAuth the client's bearer token comes from a
//! [`TokenSource`], which follows InitiateOAuth (see `crate::auth`). A
//! connection that has the OAuth app's credentials but no token yet opens
//! unauthorized: it skips the `users/me` check (user and company names are
//! empty / CompanyDomain), the OAuth procedures work on it, and any API
//! request fails with 28000 naming the ways to authorize.

use crate::api::{
    ApiClient, ClientSettings, Credentials, NetworkSettings, ProxySettings, RetryPolicy,
    ServerTrust, TokenProvider,
};
use crate::auth::{GivenToken, TokenSource};
use crate::config::{AuthScheme, Config};
use crate::diag::{OdbcError, Result, SqlState};
use crate::logging::{self, Logger};
use crate::model::{ApiVersion, Schema};
use serde_json::Value as Json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

#[derive(Debug)]
pub struct Session {
    pub config: Config,
    pub log: Arc<Logger>,
    pub client: Arc<ApiClient>,
    pub schema: Schema,
    /// The connected user's name (SQL_USER_NAME, USER()).
    pub user_name: String,
    /// The company (SQL_DATABASE_NAME, DATABASE()).
    pub company_name: String,
    /// The OAuth tokens (AuthScheme=OAuth), shared with the client.
    pub oauth: Option<Arc<TokenSource>>,
    /// SQL_ATTR_CONNECTION_TIMEOUT in seconds (0: none), which the
    /// application may change while statements run.
    connection_timeout: AtomicUsize,
}

/// How every HTTP client of a configuration reaches its server: the proxy
/// and the trusted certificates (reading an `SSLServerCert` file, so 08001
/// when it cannot be used).
pub fn network_settings(config: &Config) -> Result<NetworkSettings> {
    Ok(NetworkSettings {
        proxy: proxy_settings(config),
        server_trust: ServerTrust::load(config.ssl_server_cert.as_ref())?,
    })
}

/// The warning, logged at Verbosity 1 and returned to the application, for
/// `SSLServerCert=*`.
const NO_VERIFICATION_WARNING: &str = "SSLServerCert=* turns off server certificate verification: anyone on the network path can pose as the server and read the credentials and data. Use it for testing only; give the server's CA certificate in SSLServerCert instead";

fn proxy_settings(config: &Config) -> ProxySettings {
    ProxySettings {
        server: config.proxy_server.clone(),
        port: config.proxy_port,
        user: config.proxy_user.clone(),
        password: config
            .proxy_password
            .as_ref()
            .map(|p| p.expose().to_string()),
        auto_detect: config.proxy_auto_detect,
        exceptions: config.proxy_exceptions.clone(),
    }
}

/// What authenticates requests: fixed credentials, or a provider of bearer
/// tokens; plus the token source when the OAuth app is configured.
struct Authentication {
    credentials: Credentials,
    provider: Option<Arc<dyn TokenProvider>>,
    oauth: Option<Arc<TokenSource>>,
}

/// How requests authenticate: the API token, a given bearer token
/// (OAuthAccessToken without the app's credentials), or a token source.
fn credentials(
    config: &Config,
    network: &NetworkSettings,
    log: &Arc<Logger>,
) -> Result<Authentication> {
    match config.auth_scheme {
        AuthScheme::Basic => config
            .api_token
            .as_ref()
            .map(|t| Authentication {
                credentials: Credentials::ApiToken(t.expose().to_string()),
                provider: None,
                oauth: None,
            })
            .ok_or_else(|| {
                OdbcError::new(
                    SqlState::InvalidAuthorization,
                    "APIToken is required with AuthScheme=Basic",
                )
            }),
        AuthScheme::OAuth => {
            if config.oauth_client_id.is_none() || config.oauth_client_secret.is_none() {
                // OFF with only OAuthAccessToken: nothing to refresh with.
                return config
                    .oauth_access_token
                    .as_ref()
                    .map(|t| Authentication {
                        credentials: Credentials::Bearer(t.expose().to_string()),
                        provider: Some(Arc::new(GivenToken(t.clone()))),
                        oauth: None,
                    })
                    .ok_or_else(|| {
                        OdbcError::new(
                            SqlState::InvalidAuthorization,
                            "AuthScheme=OAuth needs OAuthAccessToken, or OAuthClientId and OAuthClientSecret",
                        )
                    });
            }
            let client = crate::auth::oauth_client(config, network)?;
            let source = Arc::new(TokenSource::connect(config, client, log.clone())?);
            Ok(Authentication {
                // Sent only by code that does not ask the provider; the
                // provider is what every read uses.
                credentials: Credentials::Bearer(String::new()),
                provider: Some(source.clone()),
                oauth: Some(source),
            })
        }
    }
}

impl Session {
    /// Connects: builds the client and checks the credentials with
    /// `GET /api/v1/users/me`, which also names the user and company.
    /// Returns the session and any warnings (a log file that cannot be
    /// opened).
    pub fn open(config: Config, connection_id: u64) -> Result<(Session, Vec<OdbcError>)> {
        let (logger, log_problem) = Logger::open(&config, connection_id);
        let log = Arc::new(logger);
        let mut warnings: Vec<OdbcError> = log_problem
            .into_iter()
            .map(|m| OdbcError::new(SqlState::GeneralWarning, m))
            .collect();
        let opened = network_settings(&config).and_then(|network| {
            if network.server_trust.accepts_any_certificate() {
                log.log(logging::ERRORS, None, || {
                    format!("warning: {NO_VERIFICATION_WARNING}")
                });
                warnings.push(OdbcError::new(
                    SqlState::GeneralWarning,
                    NO_VERIFICATION_WARNING,
                ));
            }
            Self::authenticate(&config, &network, log.clone())
        });
        match &opened {
            Ok((client, user, _, oauth)) => log.log(logging::ERRORS, None, || {
                match oauth.as_ref().filter(|source| !source.is_authorized()) {
                    Some(_) => format!(
                        "connected to {} without authorization (OAuth procedures only)",
                        client.base_url()
                    ),
                    None => format!("connected to {} as {user}", client.base_url()),
                }
            }),
            Err(e) => log.log(logging::ERRORS, None, || {
                format!("connection to {} failed: {e}", config.api_base_url())
            }),
        }
        let (client, user_name, company_name, oauth) = opened?;
        let session = Session {
            user_name,
            company_name,
            client: Arc::new(client),
            schema: Schema::builtin(),
            log,
            config,
            oauth,
            connection_timeout: AtomicUsize::new(0),
        };
        Ok((session, warnings))
    }

    /// SQL_ATTR_CONNECTION_TIMEOUT in seconds (0: none).
    pub fn connection_timeout(&self) -> usize {
        self.connection_timeout.load(Ordering::Relaxed)
    }

    pub fn set_connection_timeout(&self, seconds: usize) {
        self.connection_timeout.store(seconds, Ordering::Relaxed);
    }

    /// Builds the client and asks who we are: (client, user, company,
    /// token source).
    #[allow(clippy::type_complexity)]
    fn authenticate(
        config: &Config,
        network: &NetworkSettings,
        log: Arc<Logger>,
    ) -> Result<(ApiClient, String, String, Option<Arc<TokenSource>>)> {
        let Authentication {
            credentials,
            provider,
            oauth,
        } = credentials(config, network, &log)?;
        // The token answer names the company's API host (api_domain).
        let base_url = oauth
            .as_ref()
            .and_then(|source| source.api_domain())
            .unwrap_or_else(|| config.api_base_url().to_string());
        let client = ApiClient::new(
            ClientSettings {
                base_url,
                credentials,
                token_provider: provider,
                timeout: config.timeout,
                network: network.clone(),
                retry: RetryPolicy {
                    count: config.retry_count,
                    base_wait: config.retry_wait_time,
                },
                max_requests_per_second: config.max_requests_per_second,
            },
            log.clone(),
        )?;
        if oauth.as_ref().is_some_and(|source| !source.is_authorized()) {
            let company = config.company_domain.clone().unwrap_or_default();
            return Ok((client, String::new(), company, oauth));
        }
        let me = match client.get(ApiVersion::V1, "users/me", &[], true) {
            Err(refused)
                if refused.state == SqlState::InvalidAuthorization
                    && oauth.as_ref().is_some_and(|s| s.can_authorize_again()) =>
            {
                // GETANDREFRESH: tokens that no refresh can revive (revoked)
                // are no usable token; authorize again in the browser.
                log.log(logging::ERRORS, None, || {
                    format!(
                        "OAuth: the saved tokens were refused ({}); authorizing again",
                        refused.message
                    )
                });
                if let Some(source) = &oauth {
                    source.authorize_again(config)?;
                }
                client.get(ApiVersion::V1, "users/me", &[], true)?
            }
            answer => answer?,
        }
        .ok_or_else(|| {
            OdbcError::new(
                SqlState::UnableToConnect,
                format!(
                    "{} did not answer like the Pipedrive API (no /api/v1/users/me)",
                    client.host()
                ),
            )
        })?;
        let data = me.get("data").cloned().unwrap_or(Json::Null);
        let text = |key: &str| {
            data.get(key)
                .and_then(Json::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let company_name = match text("company_name") {
            name if name.is_empty() => config.company_domain.clone().unwrap_or_default(),
            name => name,
        };
        Ok((client, text("name"), company_name, oauth))
    }

    pub fn max_rows(&self) -> Option<u64> {
        self.config.max_rows
    }
}
