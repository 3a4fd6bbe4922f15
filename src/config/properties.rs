//! The one table of connection properties the driver accepts. Resolution,
//! validation messages, secret masking and the generated documentation all
//! read this table, so a property is added in exactly one place.

/// Identifies a driver property, so code refers to properties without
/// spelling their names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Property {
    ApiToken,
    CompanyDomain,
    AuthScheme,
    InitiateOAuth,
    OAuthClientId,
    OAuthClientSecret,
    CallbackUrl,
    OAuthAccessToken,
    OAuthRefreshToken,
    OAuthSettingsLocation,
    OAuthVerifier,
    ApiBaseUrl,
    OAuthBaseUrl,
    SslServerCert,
    Timeout,
    MaxRows,
    Logfile,
    Verbosity,
    ProxyServer,
    ProxyPort,
    ProxyUser,
    ProxyPassword,
    ProxyAutoDetect,
    ProxyExceptions,
    RetryCount,
    RetryWaitTime,
    MaxRequestsPerSecond,
    AllowUnfilteredWrites,
}

/// The value a property takes when neither the DSN nor the connection string
/// sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PropertyDefault {
    /// Unset: the feature it configures is off or the value is required.
    None,
    /// A fixed value, written as it would be in a connection string.
    Value(&'static str),
    /// Computed at connect time; the text says how (for the documentation).
    Derived(&'static str),
}

/// The shape of a property's value: how it is validated and documented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    Text,
    /// true/false, yes/no, 1/0, on/off, case-insensitively.
    Bool,
    /// A decimal integer in `min..=max`.
    Integer {
        min: i64,
        max: i64,
    },
    /// One of the listed words, case-insensitively.
    Choice(&'static [&'static str]),
    /// An `https://` URL, or `http://` to a loopback host.
    Url,
    /// A file system path.
    Path,
}

/// One connection property.
#[derive(Debug, PartialEq, Eq)]
pub struct PropertyDef {
    pub property: Property,
    /// Canonical spelling, used in the completed connection string and docs.
    pub name: &'static str,
    /// Other keywords accepted for the same property. A canonical keyword
    /// beats an alias given in the same source (connection string or DSN).
    pub aliases: &'static [&'static str],
    pub default: PropertyDefault,
    /// Secrets are never echoed in messages, Debug output, or a completed
    /// connection string the caller did not put them in.
    pub secret: bool,
    pub kind: ValueKind,
    pub description: &'static str,
}

/// Allowed values of `AuthScheme`.
pub const AUTH_SCHEMES: &[&str] = &["Basic", "OAuth"];
/// Allowed values of `InitiateOAuth`.
pub const INITIATE_OAUTH_MODES: &[&str] = &["OFF", "GETANDREFRESH", "REFRESH"];

/// Every driver property, in documentation order.
pub static PROPERTIES: &[PropertyDef] = &[
    PropertyDef {
        property: Property::ApiToken,
        name: "APIToken",
        // SQLConnect's password argument reaches the driver as PWD.
        aliases: &["PWD"],
        default: PropertyDefault::None,
        secret: true,
        kind: ValueKind::Text,
        description: "Pipedrive personal API token (AuthScheme=Basic); PWD is used when APIToken is absent.",
    },
    PropertyDef {
        property: Property::CompanyDomain,
        name: "CompanyDomain",
        aliases: &[],
        default: PropertyDefault::None,
        secret: false,
        kind: ValueKind::Text,
        description: "Company subdomain: `acme`, `acme.pipedrive.com` or `https://acme.pipedrive.com`.",
    },
    PropertyDef {
        property: Property::AuthScheme,
        name: "AuthScheme",
        aliases: &[],
        default: PropertyDefault::Value("Basic"),
        secret: false,
        kind: ValueKind::Choice(AUTH_SCHEMES),
        description: "How the driver authenticates: Basic (API token) or OAuth.",
    },
    PropertyDef {
        property: Property::InitiateOAuth,
        name: "InitiateOAuth",
        aliases: &[],
        default: PropertyDefault::Value("OFF"),
        secret: false,
        kind: ValueKind::Choice(INITIATE_OAUTH_MODES),
        description: "OAuth token handling: OFF (use OAuthAccessToken), GETANDREFRESH (obtain and refresh), REFRESH (refresh only).",
    },
    PropertyDef {
        property: Property::OAuthClientId,
        name: "OAuthClientId",
        aliases: &[],
        default: PropertyDefault::None,
        secret: false,
        kind: ValueKind::Text,
        description: "Client ID of the Pipedrive OAuth app.",
    },
    PropertyDef {
        property: Property::OAuthClientSecret,
        name: "OAuthClientSecret",
        aliases: &[],
        default: PropertyDefault::None,
        secret: true,
        kind: ValueKind::Text,
        description: "Client secret of the Pipedrive OAuth app.",
    },
    PropertyDef {
        property: Property::CallbackUrl,
        name: "CallbackURL",
        aliases: &[],
        default: PropertyDefault::Value("http://localhost:33333"),
        secret: false,
        kind: ValueKind::Url,
        description: "Redirect URL registered for the OAuth app; the driver listens on it during authorization.",
    },
    PropertyDef {
        property: Property::OAuthAccessToken,
        name: "OAuthAccessToken",
        aliases: &[],
        default: PropertyDefault::None,
        secret: true,
        kind: ValueKind::Text,
        description: "OAuth access token to use as is (InitiateOAuth=OFF).",
    },
    PropertyDef {
        property: Property::OAuthRefreshToken,
        name: "OAuthRefreshToken",
        aliases: &[],
        default: PropertyDefault::None,
        secret: true,
        kind: ValueKind::Text,
        description: "OAuth refresh token used to obtain new access tokens.",
    },
    PropertyDef {
        property: Property::OAuthSettingsLocation,
        name: "OAuthSettingsLocation",
        aliases: &[],
        default: PropertyDefault::Derived(
            "OAuthSettings.txt in $XDG_CONFIG_HOME/pipedrive-odbc/ (else ~/.config/pipedrive-odbc/)",
        ),
        secret: false,
        kind: ValueKind::Path,
        description: "File where the driver stores OAuth tokens between connections.",
    },
    PropertyDef {
        property: Property::OAuthVerifier,
        name: "OAuthVerifier",
        aliases: &[],
        default: PropertyDefault::None,
        secret: true,
        kind: ValueKind::Text,
        description: "Authorization code from the OAuth redirect, for headless authorization.",
    },
    PropertyDef {
        property: Property::ApiBaseUrl,
        name: "APIBaseURL",
        aliases: &[],
        default: PropertyDefault::Derived("https://<CompanyDomain>.pipedrive.com"),
        secret: false,
        kind: ValueKind::Url,
        description: "Base URL of the Pipedrive API; overrides CompanyDomain.",
    },
    PropertyDef {
        property: Property::OAuthBaseUrl,
        name: "OAuthBaseURL",
        aliases: &[],
        default: PropertyDefault::Value("https://oauth.pipedrive.com"),
        secret: false,
        kind: ValueKind::Url,
        description: "Base URL of the Pipedrive OAuth server.",
    },
    PropertyDef {
        property: Property::SslServerCert,
        // The name the commercial CData and Devart drivers use.
        name: "SSLServerCert",
        aliases: &[],
        default: PropertyDefault::None,
        secret: false,
        kind: ValueKind::Text,
        description: "Certificates to trust in addition to the system's certificate authorities, for the API, OAuth and HTTPS proxy connections (a private CA, or a pinned self-signed server certificate): the path of a PEM file, or the PEM text itself (`-----BEGIN CERTIFICATE-----...`). `*` accepts any server certificate: insecure, for testing only (logged as a warning).",
    },
    PropertyDef {
        property: Property::Timeout,
        name: "Timeout",
        aliases: &[],
        default: PropertyDefault::Value("60"),
        secret: false,
        kind: ValueKind::Integer { min: 0, max: i32::MAX as i64 },
        description: "Seconds to wait for an API response; 0 means no limit.",
    },
    PropertyDef {
        property: Property::MaxRows,
        name: "MaxRows",
        aliases: &[],
        default: PropertyDefault::Value("-1"),
        secret: false,
        kind: ValueKind::Integer { min: -1, max: i64::MAX },
        description: "Most rows any query returns; -1 (or 0, as for SQL_ATTR_MAX_ROWS) means unlimited.",
    },
    PropertyDef {
        property: Property::Logfile,
        name: "Logfile",
        aliases: &[],
        default: PropertyDefault::None,
        secret: false,
        kind: ValueKind::Path,
        description: "File the driver appends its log to; no logging when unset.",
    },
    PropertyDef {
        property: Property::Verbosity,
        name: "Verbosity",
        aliases: &[],
        default: PropertyDefault::Value("1"),
        secret: false,
        kind: ValueKind::Integer { min: 1, max: 5 },
        description: "Log detail from 1 (errors and connections) to 5 (everything, secrets masked).",
    },
    PropertyDef {
        property: Property::ProxyServer,
        name: "ProxyServer",
        aliases: &[],
        default: PropertyDefault::None,
        secret: false,
        kind: ValueKind::Text,
        description: "Host name or IP address of an HTTP proxy.",
    },
    PropertyDef {
        property: Property::ProxyPort,
        name: "ProxyPort",
        aliases: &[],
        default: PropertyDefault::None,
        secret: false,
        kind: ValueKind::Integer { min: 1, max: 65535 },
        description: "TCP port of the HTTP proxy.",
    },
    PropertyDef {
        property: Property::ProxyUser,
        name: "ProxyUser",
        aliases: &[],
        default: PropertyDefault::None,
        secret: false,
        kind: ValueKind::Text,
        description: "User name for proxy authentication.",
    },
    PropertyDef {
        property: Property::ProxyPassword,
        name: "ProxyPassword",
        aliases: &[],
        default: PropertyDefault::None,
        secret: true,
        kind: ValueKind::Text,
        description: "Password for proxy authentication.",
    },
    PropertyDef {
        property: Property::ProxyAutoDetect,
        name: "ProxyAutoDetect",
        aliases: &[],
        default: PropertyDefault::Value("false"),
        secret: false,
        kind: ValueKind::Bool,
        description: "Use the proxy named by the HTTPS_PROXY / HTTP_PROXY / NO_PROXY environment variables.",
    },
    PropertyDef {
        property: Property::ProxyExceptions,
        name: "ProxyExceptions",
        aliases: &[],
        default: PropertyDefault::None,
        secret: false,
        kind: ValueKind::Text,
        description: "Hosts reached without the proxy, separated by `,` or `;`.",
    },
    PropertyDef {
        property: Property::RetryCount,
        name: "RetryCount",
        aliases: &[],
        default: PropertyDefault::Value("3"),
        secret: false,
        kind: ValueKind::Integer { min: 0, max: 1000 },
        description: "How many times a rate-limited or failed API request is retried.",
    },
    PropertyDef {
        property: Property::RetryWaitTime,
        name: "RetryWaitTime",
        aliases: &[],
        default: PropertyDefault::Value("1000"),
        secret: false,
        kind: ValueKind::Integer { min: 0, max: 3_600_000 },
        description: "Milliseconds to wait before the first retry (later retries back off).",
    },
    PropertyDef {
        property: Property::MaxRequestsPerSecond,
        name: "MaxRequestsPerSecond",
        aliases: &[],
        default: PropertyDefault::Value("0"),
        secret: false,
        kind: ValueKind::Integer { min: 0, max: 10_000 },
        description: "Most API requests per second from all connections with the same credentials; 0 means no cap (the driver still paces itself by Pipedrive's rate-limit headers).",
    },
    PropertyDef {
        property: Property::AllowUnfilteredWrites,
        name: "AllowUnfilteredWrites",
        aliases: &[],
        default: PropertyDefault::Value("false"),
        secret: false,
        kind: ValueKind::Bool,
        description: "Allow UPDATE and DELETE statements without a WHERE clause.",
    },
];

/// Keywords the driver accepts without using them: the ones the ODBC
/// specification defines for SQLDriverConnect (the driver manager acts on
/// FILEDSN and SAVEFILE; DSN and DRIVER only select what to connect to; this
/// driver has no user name) and the keys unixODBC's odbcinst writes into
/// odbc.ini / odbcinst.ini sections. They never cause an unknown-key warning.
pub static STANDARD_KEYS: &[&str] = &[
    "DSN",
    "DRIVER",
    "FILEDSN",
    "SAVEFILE",
    "UID",
    "Description",
    "Driver64",
    "Setup",
    "Setup64",
    "Trace",
    "TraceFile",
    "TraceLibrary",
    "FileUsage",
    "FileExtns",
    "UsageCount",
    "DriverODBCVer",
    "APILevel",
    "ConnectFunctions",
    "SQLLevel",
    "CPTimeout",
    "CPTimeToLive",
    "CPReuse",
    "Threading",
    "DontDLClose",
    "DisableGetFunctions",
    "IconvEncoding",
    "DMEnvAttr",
    "DMConnAttr",
    "DMStmtAttr",
];

/// What a connection-string or DSN keyword means to the driver.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keyword {
    /// A driver property, named canonically (`via_alias` false) or by alias.
    Property {
        def: &'static PropertyDef,
        via_alias: bool,
    },
    /// A standard keyword, in its canonical spelling.
    Standard(&'static str),
    Unknown,
}

/// Classifies a keyword; ODBC keywords are case-insensitive.
pub fn classify(keyword: &str) -> Keyword {
    let keyword = keyword.trim();
    for def in PROPERTIES {
        if def.name.eq_ignore_ascii_case(keyword) {
            return Keyword::Property {
                def,
                via_alias: false,
            };
        }
        if def
            .aliases
            .iter()
            .any(|alias| alias.eq_ignore_ascii_case(keyword))
        {
            return Keyword::Property {
                def,
                via_alias: true,
            };
        }
    }
    match STANDARD_KEYS
        .iter()
        .find(|name| name.eq_ignore_ascii_case(keyword))
    {
        Some(name) => Keyword::Standard(name),
        None => Keyword::Unknown,
    }
}

/// The table entry of a property.
pub fn definition(property: Property) -> &'static PropertyDef {
    // Every Property variant has an entry (a unit test checks it). Were one
    // missing, falling back to the first entry fails safe: it is a secret.
    PROPERTIES
        .iter()
        .find(|def| def.property == property)
        .unwrap_or(&PROPERTIES[0])
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    const ALL: &[Property] = &[
        Property::ApiToken,
        Property::CompanyDomain,
        Property::AuthScheme,
        Property::InitiateOAuth,
        Property::OAuthClientId,
        Property::OAuthClientSecret,
        Property::CallbackUrl,
        Property::OAuthAccessToken,
        Property::OAuthRefreshToken,
        Property::OAuthSettingsLocation,
        Property::OAuthVerifier,
        Property::ApiBaseUrl,
        Property::OAuthBaseUrl,
        Property::SslServerCert,
        Property::Timeout,
        Property::MaxRows,
        Property::Logfile,
        Property::Verbosity,
        Property::ProxyServer,
        Property::ProxyPort,
        Property::ProxyUser,
        Property::ProxyPassword,
        Property::ProxyAutoDetect,
        Property::ProxyExceptions,
        Property::RetryCount,
        Property::RetryWaitTime,
        Property::MaxRequestsPerSecond,
        Property::AllowUnfilteredWrites,
    ];

    #[test]
    fn every_property_has_exactly_one_entry() {
        assert_eq!(PROPERTIES.len(), ALL.len());
        for property in ALL {
            let entries = PROPERTIES
                .iter()
                .filter(|def| def.property == *property)
                .count();
            assert_eq!(entries, 1, "{property:?}");
            assert_eq!(definition(*property).property, *property);
        }
    }

    #[test]
    fn keywords_are_unique_case_insensitively() {
        let mut seen = HashSet::new();
        let keywords = PROPERTIES
            .iter()
            .flat_map(|def| std::iter::once(def.name).chain(def.aliases.iter().copied()))
            .chain(STANDARD_KEYS.iter().copied());
        for keyword in keywords {
            assert!(
                seen.insert(keyword.to_ascii_lowercase()),
                "duplicate keyword {keyword}"
            );
        }
    }

    #[test]
    fn secrets_are_the_token_and_password_properties() {
        let secrets: Vec<&str> = PROPERTIES
            .iter()
            .filter(|def| def.secret)
            .map(|def| def.name)
            .collect();
        assert_eq!(
            secrets,
            [
                "APIToken",
                "OAuthClientSecret",
                "OAuthAccessToken",
                "OAuthRefreshToken",
                "OAuthVerifier",
                "ProxyPassword"
            ]
        );
    }

    #[test]
    fn literal_defaults_are_valid_for_their_kind() {
        for def in PROPERTIES {
            let PropertyDefault::Value(value) = def.default else {
                continue;
            };
            match def.kind {
                ValueKind::Integer { min, max } => {
                    let number: i64 = value.parse().unwrap_or(i64::MIN);
                    assert!((min..=max).contains(&number), "{}", def.name);
                }
                ValueKind::Choice(allowed) => assert!(allowed.contains(&value), "{}", def.name),
                ValueKind::Bool => assert!(value == "true" || value == "false", "{}", def.name),
                ValueKind::Url => assert!(value.starts_with("http"), "{}", def.name),
                ValueKind::Text | ValueKind::Path => {}
            }
        }
    }

    #[test]
    fn classify_is_case_insensitive_and_knows_aliases() {
        match classify(" apitoken ") {
            Keyword::Property { def, via_alias } => {
                assert_eq!(def.name, "APIToken");
                assert!(!via_alias);
            }
            other => panic!("unexpected {other:?}"),
        }
        match classify("pwd") {
            Keyword::Property { def, via_alias } => {
                assert_eq!(def.property, Property::ApiToken);
                assert!(via_alias);
            }
            other => panic!("unexpected {other:?}"),
        }
        assert_eq!(classify("driver"), Keyword::Standard("DRIVER"));
        assert_eq!(classify("usagecount"), Keyword::Standard("UsageCount"));
        assert_eq!(classify("ApiTokn"), Keyword::Unknown);
    }
}
