//! Connection configuration: the connection string (or SQLConnect's
//! arguments) and the DSN it names, resolved into one typed [`Config`].
//!
//! Precedence, highest first:
//! 1. the connection string (SQLDriverConnect) or SQLConnect's DSN/UID/PWD;
//! 2. the DSN's keys from odbc.ini (the DSN named by `DSN=`, or `DEFAULT`
//!    when neither DSN nor DRIVER is given; none with `DRIVER=`);
//! 3. the property's default from [`properties::PROPERTIES`].
//!
//! Within one source a canonical keyword beats its alias (`APIToken` beats
//! `PWD`), and the first occurrence of a keyword wins (the SQLDriverConnect
//! rule). An empty value counts as "not set", so `ProxyServer=` in a
//! connection string clears a DSN's proxy and the default applies.

mod base_url;
pub mod connection_string;
pub mod dsn;
pub mod properties;
#[cfg(windows)]
mod registry_dsn;
mod secret;
mod server_cert;
mod typed_values;

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use crate::diag::{OdbcError, SqlState};

pub use base_url::{is_loopback_host, validate_base_url};
pub use dsn::{installed_dsns, DsnSource, NoDsns, OdbcIniFiles};
pub use properties::{Property, PropertyDef, PropertyDefault, ValueKind};
pub use secret::Secret;
pub use server_cert::SslServerCert;

use properties::{classify, definition, Keyword};
use typed_values::{parse_bool, parse_choice, parse_integer};

/// The DSN used when a connection names neither DSN nor DRIVER.
pub const DEFAULT_DSN: &str = "DEFAULT";

/// Directory (under the user's config directory) holding the driver's files.
const CONFIG_DIRECTORY_NAME: &str = "pipedrive-odbc";
const OAUTH_SETTINGS_FILE_NAME: &str = "OAuthSettings.txt";

/// Every connection property the driver accepts, for documentation.
pub fn properties() -> &'static [PropertyDef] {
    properties::PROPERTIES
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthScheme {
    /// Personal API token.
    Basic,
    OAuth,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InitiateOAuth {
    /// Use OAuthAccessToken as given.
    Off,
    /// Obtain tokens interactively when there are none, refresh them when
    /// they expire.
    GetAndRefresh,
    /// Only refresh existing tokens.
    Refresh,
}

/// What the connection string named to connect to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnectTarget {
    /// A data source (SQLConnect, or `DSN=` / no target in a connection
    /// string, which means `DEFAULT`).
    Dsn(String),
    /// `DRIVER=` in a connection string: no DSN is read.
    Driver(String),
}

/// The resolved connection configuration. Secrets are [`Secret`]s, so the
/// derived Debug never shows them.
#[derive(Debug, Clone)]
pub struct Config {
    pub target: ConnectTarget,
    /// The UID keyword, if given (the driver does not use it to log in).
    pub user_id: Option<String>,
    pub api_token: Option<Secret>,
    pub company_domain: Option<String>,
    pub auth_scheme: AuthScheme,
    pub initiate_oauth: InitiateOAuth,
    pub oauth_client_id: Option<String>,
    pub oauth_client_secret: Option<Secret>,
    /// Validated: https, or http to a loopback host; no trailing `/`.
    pub callback_url: String,
    pub oauth_access_token: Option<Secret>,
    pub oauth_refresh_token: Option<Secret>,
    /// `None` only when no config directory can be determined (no HOME).
    pub oauth_settings_location: Option<PathBuf>,
    pub oauth_verifier: Option<Secret>,
    /// Validated like `callback_url`.
    pub oauth_base_url: String,
    /// Certificates trusted besides the system's (`SSLServerCert`); `None`
    /// trusts the system's certificate authorities only.
    pub ssl_server_cert: Option<SslServerCert>,
    /// API response timeout; `None` means no limit.
    pub timeout: Option<Duration>,
    /// Cap on the rows of every query; `None` means unlimited.
    pub max_rows: Option<u64>,
    pub logfile: Option<PathBuf>,
    /// 1 to 5.
    pub verbosity: u8,
    pub proxy_server: Option<String>,
    pub proxy_port: Option<u16>,
    pub proxy_user: Option<String>,
    pub proxy_password: Option<Secret>,
    pub proxy_auto_detect: bool,
    pub proxy_exceptions: Vec<String>,
    pub retry_count: u32,
    pub retry_wait_time: Duration,
    /// `MaxRequestsPerSecond`; `None` for no cap.
    pub max_requests_per_second: Option<u32>,
    pub allow_unfiltered_writes: bool,
    api_base_url: String,
    /// The keys of the completed connection string after its target, in
    /// order, with canonical names.
    completed_keys: Vec<(&'static str, CompletedValue)>,
}

/// A value in the completed connection string; secret ones stay masked in
/// Debug output.
#[derive(Debug, Clone)]
enum CompletedValue {
    Plain(String),
    Secret(Secret),
}

impl Config {
    /// Every secret value this configuration holds, so that logs and
    /// messages can mask them.
    pub fn secret_values(&self) -> Vec<String> {
        [
            &self.api_token,
            &self.oauth_client_secret,
            &self.oauth_access_token,
            &self.oauth_refresh_token,
            &self.oauth_verifier,
            &self.proxy_password,
        ]
        .into_iter()
        .flatten()
        .map(|s| s.expose().to_string())
        .collect()
    }

    /// attrs: the parsed connection string (SQLDriverConnect) or the
    /// SQLConnect arguments as DSN/UID/PWD pairs.
    ///
    /// DSN keys are read through `dsns` when a DSN key is present (or
    /// "DEFAULT" when neither DSN nor DRIVER is given); connection-string
    /// keys override DSN keys.
    ///
    /// Returns the config and warnings (01S00, one per unknown key in the
    /// connection string, naming the key but never echoing a value).
    /// Errors: HY024 for an invalid value, 08001 for a missing or unusable
    /// base URL, 28000 for missing credentials.
    pub fn resolve(
        attrs: &[(String, String)],
        dsns: &dyn DsnSource,
    ) -> Result<(Config, Vec<OdbcError>), OdbcError> {
        resolve_with_environment(attrs, dsns, &|name| {
            std::env::var_os(name).filter(|value| !value.is_empty())
        })
    }

    /// The completed connection string SQLDriverConnect returns: DSN or
    /// DRIVER first, then every key the caller passed (canonical names),
    /// then the non-secret keys the DSN set. Defaults are left out (they
    /// apply anyway), and secrets the caller did not pass in the connection
    /// string never appear.
    pub fn completed_connection_string(&self) -> String {
        let target = match &self.target {
            ConnectTarget::Dsn(name) => format!("DSN={}", connection_string::quote_value(name)),
            // The specification asks drivers to keep braces around DRIVER
            // values; bracing always is the conventional form.
            ConnectTarget::Driver(name) => format!("DRIVER={}", connection_string::brace(name)),
        };
        let rest =
            connection_string::format_pairs(self.completed_keys.iter().map(|(keyword, value)| {
                let text = match value {
                    CompletedValue::Plain(text) => text.as_str(),
                    CompletedValue::Secret(secret) => secret.expose(),
                };
                (*keyword, text)
            }));
        if rest.is_empty() {
            target
        } else {
            format!("{target};{rest}")
        }
    }

    /// The resolved API base URL, without a trailing slash.
    pub fn api_base_url(&self) -> &str {
        &self.api_base_url
    }

    /// The data source name (SQL_DATA_SOURCE_NAME): empty for `DRIVER=`.
    pub fn data_source_name(&self) -> &str {
        match &self.target {
            ConnectTarget::Dsn(name) => name,
            ConnectTarget::Driver(_) => "",
        }
    }
}

/// The settings one source (connection string or DSN) gives.
#[derive(Debug, Default)]
struct SourceSettings {
    values: HashMap<Property, SourceValue>,
    /// Standard keywords (canonical spelling) with their values, in order.
    standard: Vec<(&'static str, String)>,
    /// Known keywords in order of first mention.
    order: Vec<Mention>,
    /// Keywords neither a property nor standard, as written (trimmed).
    unknown: Vec<String>,
}

/// A known keyword, in the order the source mentions it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mention {
    Property(Property),
    Standard(&'static str),
}

#[derive(Debug)]
struct SourceValue {
    text: String,
    via_alias: bool,
}

impl SourceSettings {
    fn from_pairs(pairs: &[(String, String)]) -> Self {
        let mut settings = SourceSettings::default();
        for (keyword, text) in connection_string::first_occurrences(pairs.iter().cloned()) {
            match classify(&keyword) {
                Keyword::Property { def, via_alias } => {
                    // SQLConnect hands over an empty PWD when the application
                    // gives no password; that must not hide the DSN's token.
                    if via_alias && text.is_empty() {
                        continue;
                    }
                    let replaces = match settings.values.get(&def.property) {
                        None => {
                            settings.order.push(Mention::Property(def.property));
                            true
                        }
                        // A canonical keyword beats an alias in one source.
                        Some(existing) => existing.via_alias && !via_alias,
                    };
                    if replaces {
                        settings
                            .values
                            .insert(def.property, SourceValue { text, via_alias });
                    }
                }
                Keyword::Standard(name) => {
                    settings.order.push(Mention::Standard(name));
                    settings.standard.push((name, text));
                }
                Keyword::Unknown => settings.unknown.push(keyword.trim().to_string()),
            }
        }
        settings
    }

    fn standard_value(&self, name: &str) -> Option<&str> {
        self.standard
            .iter()
            .find(|(keyword, _)| *keyword == name)
            .map(|(_, text)| text.as_str())
    }

    /// The first DSN or DRIVER keyword, which selects what to connect to.
    fn target(&self) -> ConnectTarget {
        let named = self
            .standard
            .iter()
            .find(|(keyword, _)| *keyword == "DSN" || *keyword == "DRIVER");
        match named {
            Some(("DRIVER", name)) => ConnectTarget::Driver(name.clone()),
            // A blank DSN means the default data source, as in SQLConnect.
            Some((_, name)) if !name.trim().is_empty() => {
                ConnectTarget::Dsn(name.trim().to_string())
            }
            _ => ConnectTarget::Dsn(DEFAULT_DSN.to_string()),
        }
    }
}

/// The merged view of both sources, with typed accessors that apply the
/// table's defaults.
struct Resolver<'a> {
    connection: &'a SourceSettings,
    dsn: &'a SourceSettings,
}

impl Resolver<'_> {
    /// The set (non-empty) text of a property: connection string first.
    fn text(&self, property: Property) -> Option<&str> {
        self.connection
            .values
            .get(&property)
            .or_else(|| self.dsn.values.get(&property))
            .map(|value| value.text.as_str())
            .filter(|text| !text.is_empty())
    }

    fn string(&self, property: Property) -> Option<String> {
        self.text(property).map(str::to_string)
    }

    fn secret(&self, property: Property) -> Option<Secret> {
        self.text(property).map(Secret::new)
    }

    fn path(&self, property: Property) -> Option<PathBuf> {
        self.text(property).map(PathBuf::from)
    }

    /// The set text, else the table's literal default.
    fn text_or_default(&self, property: Property) -> Option<&str> {
        self.text(property).or(match definition(property).default {
            PropertyDefault::Value(text) => Some(text),
            PropertyDefault::None | PropertyDefault::Derived(_) => None,
        })
    }

    fn boolean(&self, property: Property) -> Result<bool, OdbcError> {
        match self.text_or_default(property) {
            Some(text) => parse_bool(definition(property), text),
            None => Ok(false),
        }
    }

    fn integer(&self, property: Property) -> Result<Option<i64>, OdbcError> {
        self.text_or_default(property)
            .map(|text| parse_integer(definition(property), text))
            .transpose()
    }

    /// The canonical spelling of a choice property's value.
    fn choice(&self, property: Property) -> Result<&'static str, OdbcError> {
        match self.text_or_default(property) {
            Some(text) => parse_choice(definition(property), text),
            None => Ok(""),
        }
    }

    fn url(&self, property: Property) -> Result<String, OdbcError> {
        let def = definition(property);
        match self.text_or_default(property) {
            Some(text) => base_url::validate_base_url(def.name, text),
            None => Err(OdbcError::new(
                SqlState::UnableToConnect,
                format!("{} is required", def.name),
            )),
        }
    }
}

/// [`Config::resolve`] with the environment variable lookup injected, so
/// tests need not mutate the process environment.
fn resolve_with_environment(
    attrs: &[(String, String)],
    dsns: &dyn DsnSource,
    variable: &dyn Fn(&str) -> Option<OsString>,
) -> Result<(Config, Vec<OdbcError>), OdbcError> {
    let connection = SourceSettings::from_pairs(attrs);
    let target = connection.target();
    let (dsn, missing_dsn) = match &target {
        ConnectTarget::Dsn(name) => match dsns.lookup(name) {
            Some(pairs) => (SourceSettings::from_pairs(&pairs), None),
            // The default data source is optional; a named one that does not
            // exist only matters if something required is then missing.
            None if name == DEFAULT_DSN => (SourceSettings::default(), None),
            None => (SourceSettings::default(), Some(name.clone())),
        },
        ConnectTarget::Driver(_) => (SourceSettings::default(), None),
    };
    let warnings = connection
        .unknown
        .iter()
        .map(|keyword| {
            OdbcError::new(
                SqlState::InvalidConnectionStringAttribute,
                format!("Invalid connection string attribute: '{keyword}' is not a keyword of this driver and was ignored"),
            )
        })
        .collect();
    let settings = Resolver {
        connection: &connection,
        dsn: &dsn,
    };

    let auth_scheme = match settings.choice(Property::AuthScheme)? {
        "OAuth" => AuthScheme::OAuth,
        _ => AuthScheme::Basic,
    };
    let initiate_oauth = match settings.choice(Property::InitiateOAuth)? {
        "GETANDREFRESH" => InitiateOAuth::GetAndRefresh,
        "REFRESH" => InitiateOAuth::Refresh,
        _ => InitiateOAuth::Off,
    };
    // Integer ranges come from the table, so the narrowing conversions below
    // cannot fail for validated values; `unwrap_or` keeps them total anyway.
    let timeout = settings
        .integer(Property::Timeout)?
        .filter(|seconds| *seconds > 0);
    let max_rows = settings
        .integer(Property::MaxRows)?
        .filter(|rows| *rows > 0);
    let verbosity = settings.integer(Property::Verbosity)?.unwrap_or(1);
    let proxy_port = settings.integer(Property::ProxyPort)?;
    let retry_count = settings.integer(Property::RetryCount)?.unwrap_or(0);
    let retry_wait_ms = settings.integer(Property::RetryWaitTime)?.unwrap_or(0);
    let max_requests_per_second = settings
        .integer(Property::MaxRequestsPerSecond)?
        .filter(|rate| *rate > 0)
        .and_then(|rate| u32::try_from(rate).ok());
    let proxy_auto_detect = settings.boolean(Property::ProxyAutoDetect)?;
    let allow_unfiltered_writes = settings.boolean(Property::AllowUnfilteredWrites)?;

    let api_base_url = resolve_api_base_url(&settings, missing_dsn.as_deref())?;
    let oauth_base_url = settings.url(Property::OAuthBaseUrl)?;
    let callback_url = settings.url(Property::CallbackUrl)?;

    let config = Config {
        user_id: connection.standard_value("UID").map(str::to_string),
        api_token: settings.secret(Property::ApiToken),
        company_domain: settings.string(Property::CompanyDomain),
        auth_scheme,
        initiate_oauth,
        oauth_client_id: settings.string(Property::OAuthClientId),
        oauth_client_secret: settings.secret(Property::OAuthClientSecret),
        callback_url,
        oauth_access_token: settings.secret(Property::OAuthAccessToken),
        oauth_refresh_token: settings.secret(Property::OAuthRefreshToken),
        oauth_settings_location: settings
            .path(Property::OAuthSettingsLocation)
            .or_else(|| default_oauth_settings_location(variable)),
        oauth_verifier: settings.secret(Property::OAuthVerifier),
        oauth_base_url,
        ssl_server_cert: settings
            .text(Property::SslServerCert)
            .map(SslServerCert::parse),
        timeout: timeout.map(|seconds| Duration::from_secs(seconds.unsigned_abs())),
        max_rows: max_rows.map(i64::unsigned_abs),
        logfile: settings.path(Property::Logfile),
        verbosity: u8::try_from(verbosity).unwrap_or(1),
        proxy_server: settings.string(Property::ProxyServer),
        proxy_port: proxy_port.and_then(|port| u16::try_from(port).ok()),
        proxy_user: settings.string(Property::ProxyUser),
        proxy_password: settings.secret(Property::ProxyPassword),
        proxy_auto_detect,
        proxy_exceptions: settings
            .text(Property::ProxyExceptions)
            .map(|list| {
                list.split([',', ';'])
                    .map(str::trim)
                    .filter(|host| !host.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default(),
        retry_count: u32::try_from(retry_count).unwrap_or(0),
        retry_wait_time: Duration::from_millis(retry_wait_ms.unsigned_abs()),
        max_requests_per_second,
        allow_unfiltered_writes,
        api_base_url,
        completed_keys: completed_keys(&connection, &dsn),
        target,
    };
    check_credentials(&config)?;
    Ok((config, warnings))
}

/// APIBaseURL if set, else the URL CompanyDomain implies.
fn resolve_api_base_url(
    settings: &Resolver<'_>,
    missing_dsn: Option<&str>,
) -> Result<String, OdbcError> {
    if let Some(url) = settings.text(Property::ApiBaseUrl) {
        return base_url::validate_base_url(definition(Property::ApiBaseUrl).name, url);
    }
    if let Some(domain) = settings.text(Property::CompanyDomain) {
        return base_url::api_base_url_from_company_domain(
            definition(Property::CompanyDomain).name,
            domain,
        );
    }
    let hint = match missing_dsn {
        Some(name) => format!(" (data source '{name}' was not found in the odbc.ini files)"),
        None => String::new(),
    };
    Err(OdbcError::new(
        SqlState::UnableToConnect,
        format!("CompanyDomain or APIBaseURL is required to know which Pipedrive company to connect to{hint}"),
    ))
}

/// Credentials the chosen AuthScheme cannot work without (28000).
fn check_credentials(config: &Config) -> Result<(), OdbcError> {
    let missing = |message: &str| {
        Err(OdbcError::new(
            SqlState::InvalidAuthorization,
            message.to_string(),
        ))
    };
    match (config.auth_scheme, config.initiate_oauth) {
        (AuthScheme::Basic, _) if config.api_token.is_none() => missing(
            "APIToken is required when AuthScheme=Basic: set APIToken in the DSN or connection string, or pass the token as the password",
        ),
        // With the OAuth app's credentials but no token the connection opens
        // unauthorized, for the OAuth procedures (the manual flows).
        (AuthScheme::OAuth, InitiateOAuth::Off)
            if config.oauth_access_token.is_none()
                && (config.oauth_client_id.is_none() || config.oauth_client_secret.is_none()) =>
        {
            missing("OAuthAccessToken (or, to authorize with the OAuth procedures, OAuthClientId and OAuthClientSecret) is required when AuthScheme=OAuth and InitiateOAuth=OFF")
        }
        (AuthScheme::OAuth, InitiateOAuth::GetAndRefresh | InitiateOAuth::Refresh)
            if config.oauth_client_id.is_none() || config.oauth_client_secret.is_none() =>
        {
            missing("OAuthClientId and OAuthClientSecret are required when AuthScheme=OAuth and InitiateOAuth is GETANDREFRESH or REFRESH")
        }
        _ => Ok(()),
    }
}

/// The keys after the target in the completed connection string: what the
/// caller passed (secrets included: the caller already has them), then the
/// non-secret properties the DSN set.
fn completed_keys(
    connection: &SourceSettings,
    dsn: &SourceSettings,
) -> Vec<(&'static str, CompletedValue)> {
    let mut keys: Vec<(&'static str, CompletedValue)> = Vec::new();
    for mention in &connection.order {
        match *mention {
            Mention::Property(property) => {
                let def = definition(property);
                if let Some(value) = connection.values.get(&property) {
                    let completed = if def.secret {
                        CompletedValue::Secret(Secret::new(value.text.clone()))
                    } else {
                        CompletedValue::Plain(value.text.clone())
                    };
                    keys.push((def.name, completed));
                }
            }
            // DSN and DRIVER are the target; the driver manager acts on
            // FILEDSN and SAVEFILE itself.
            Mention::Standard("DSN" | "DRIVER" | "FILEDSN" | "SAVEFILE") => {}
            Mention::Standard(keyword) => {
                if let Some(text) = connection.standard_value(keyword) {
                    keys.push((keyword, CompletedValue::Plain(text.to_string())));
                }
            }
        }
    }
    for mention in &dsn.order {
        let Mention::Property(property) = *mention else {
            continue;
        };
        let def = definition(property);
        let passed = connection.values.contains_key(&property);
        if let (false, false, Some(value)) = (def.secret, passed, dsn.values.get(&property)) {
            if !value.text.is_empty() {
                keys.push((def.name, CompletedValue::Plain(value.text.clone())));
            }
        }
    }
    keys
}

/// `OAuthSettings.txt` in `$XDG_CONFIG_HOME/pipedrive-odbc/`, else in
/// `~/.config/pipedrive-odbc/`. The XDG specification says a relative
/// XDG_CONFIG_HOME is invalid and must be ignored.
fn default_oauth_settings_location(variable: &dyn Fn(&str) -> Option<OsString>) -> Option<PathBuf> {
    let config_home = variable("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|path| path.is_absolute())
        .or_else(|| variable("HOME").map(|home| PathBuf::from(home).join(".config")))?;
    Some(
        config_home
            .join(CONFIG_DIRECTORY_NAME)
            .join(OAUTH_SETTINGS_FILE_NAME),
    )
}

#[cfg(test)]
mod tests;
