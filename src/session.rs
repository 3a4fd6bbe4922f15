//! An open connection to Pipedrive: the configuration, the API client, the
//! data model and who is connected. Statements share it read-only.

use crate::api::{ApiClient, ClientSettings, Credentials, ProxySettings, RetryPolicy};
use crate::config::{AuthScheme, Config};
use crate::diag::{OdbcError, Result, SqlState};
use crate::logging::{self, Logger};
use crate::model::{ApiVersion, Schema};
use serde_json::Value as Json;
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
}

fn credentials(config: &Config) -> Result<Credentials> {
    match config.auth_scheme {
        AuthScheme::Basic => config
            .api_token
            .as_ref()
            .map(|t| Credentials::ApiToken(t.expose().to_string()))
            .ok_or_else(|| OdbcError::new(SqlState::InvalidAuthorization, "APIToken is required with AuthScheme=Basic")),
        AuthScheme::OAuth => config
            .oauth_access_token
            .as_ref()
            .map(|t| Credentials::Bearer(t.expose().to_string()))
            .ok_or_else(|| {
                OdbcError::new(
                    SqlState::InvalidAuthorization,
                    "AuthScheme=OAuth needs OAuthAccessToken: the interactive OAuth flows (InitiateOAuth) are not available in this version",
                )
            }),
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
        let warnings: Vec<OdbcError> = log_problem
            .into_iter()
            .map(|m| OdbcError::new(SqlState::GeneralWarning, m))
            .collect();
        let opened = Self::authenticate(&config, log.clone());
        match &opened {
            Ok((client, user, _)) => log.log(logging::ERRORS, None, || {
                format!("connected to {} as {user}", client.base_url())
            }),
            Err(e) => log.log(logging::ERRORS, None, || {
                format!("connection to {} failed: {e}", config.api_base_url())
            }),
        }
        let (client, user_name, company_name) = opened?;
        let session = Session {
            user_name,
            company_name,
            client: Arc::new(client),
            schema: Schema::builtin(),
            log,
            config,
        };
        Ok((session, warnings))
    }

    /// Builds the client and asks who we are: (client, user, company).
    fn authenticate(config: &Config, log: Arc<Logger>) -> Result<(ApiClient, String, String)> {
        let client = ApiClient::new(
            ClientSettings {
                base_url: config.api_base_url().to_string(),
                credentials: credentials(config)?,
                timeout: config.timeout,
                proxy: ProxySettings {
                    server: config.proxy_server.clone(),
                    port: config.proxy_port,
                    user: config.proxy_user.clone(),
                    password: config
                        .proxy_password
                        .as_ref()
                        .map(|p| p.expose().to_string()),
                    auto_detect: config.proxy_auto_detect,
                    exceptions: config.proxy_exceptions.clone(),
                },
                retry: RetryPolicy {
                    count: config.retry_count,
                    base_wait: config.retry_wait_time,
                },
            },
            log,
        )?;
        let me = client
            .get(ApiVersion::V1, "users/me", &[], true)?
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
        Ok((client, text("name"), company_name))
    }

    pub fn max_rows(&self) -> Option<u64> {
        self.config.max_rows
    }
}
