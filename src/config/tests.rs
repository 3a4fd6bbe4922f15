//! Tests of resolution: precedence, base URLs, credentials, warnings, secret
//! hygiene and the completed connection string.

use super::*;

/// In-memory DSNs, names compared case-insensitively like odbc.ini sections.
struct FakeDsns(Vec<(&'static str, Vec<(&'static str, &'static str)>)>);

impl DsnSource for FakeDsns {
    fn lookup(&self, dsn: &str) -> Option<Vec<(String, String)>> {
        self.0
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(dsn))
            .map(|(_, pairs)| {
                pairs
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect()
            })
    }
}

fn no_dsns() -> FakeDsns {
    FakeDsns(vec![])
}

fn test_environment(name: &str) -> Option<OsString> {
    (name == "HOME").then(|| OsString::from("/home/tester"))
}

fn resolve_string(text: &str, dsns: &dyn DsnSource) -> Result<(Config, Vec<OdbcError>), OdbcError> {
    let attrs = connection_string::parse(text)?;
    resolve_with_environment(&attrs, dsns, &test_environment)
}

fn resolve_ok(text: &str, dsns: &dyn DsnSource) -> Config {
    match resolve_string(text, dsns) {
        Ok((config, _)) => config,
        Err(err) => panic!("{text}: {err}"),
    }
}

fn resolve_err(text: &str, dsns: &dyn DsnSource) -> OdbcError {
    match resolve_string(text, dsns) {
        Ok((config, _)) => panic!("{text}: resolved to {config:?}"),
        Err(err) => err,
    }
}

fn sqlconnect_attrs(dsn: &str, uid: &str, pwd: &str) -> Vec<(String, String)> {
    vec![
        ("DSN".into(), dsn.into()),
        ("UID".into(), uid.into()),
        ("PWD".into(), pwd.into()),
    ]
}

fn sales_dsn() -> FakeDsns {
    FakeDsns(vec![(
        "Sales",
        vec![
            ("Driver", "Pipedrive ODBC"),
            ("Description", "Sales team"),
            ("CompanyDomain", "acme"),
            ("APIToken", "dsn-token"),
            ("Timeout", "30"),
            ("ProxyServer", "proxy.internal"),
            ("ProxyPassword", "dsn-proxy-password"),
            ("SomethingElse", "1"),
        ],
    )])
}

#[test]
fn defaults_apply_when_nothing_is_set() {
    let config = resolve_ok(
        "DRIVER={Pipedrive};CompanyDomain=acme;APIToken=t",
        &no_dsns(),
    );
    assert_eq!(config.target, ConnectTarget::Driver("Pipedrive".into()));
    assert_eq!(config.api_base_url(), "https://acme.pipedrive.com");
    assert_eq!(config.auth_scheme, AuthScheme::Basic);
    assert_eq!(config.initiate_oauth, InitiateOAuth::Off);
    assert_eq!(config.callback_url, "http://localhost:33333");
    assert_eq!(config.oauth_base_url, "https://oauth.pipedrive.com");
    assert_eq!(config.timeout, Some(Duration::from_secs(60)));
    assert_eq!(config.max_rows, None);
    assert_eq!(config.verbosity, 1);
    assert_eq!(config.retry_count, 3);
    assert_eq!(config.retry_wait_time, Duration::from_millis(1000));
    assert!(!config.proxy_auto_detect);
    assert!(!config.allow_unfiltered_writes);
    assert_eq!(config.proxy_port, None);
    assert!(config.proxy_exceptions.is_empty());
    assert_eq!(config.ssl_server_cert, None);
    assert_eq!(config.logfile, None);
    assert_eq!(
        config.oauth_settings_location,
        Some(PathBuf::from(
            "/home/tester/.config/pipedrive-odbc/OAuthSettings.txt"
        ))
    );
    assert_eq!(config.api_token.as_ref().map(Secret::expose), Some("t"));
    assert_eq!(config.data_source_name(), "");
}

#[test]
fn every_property_is_read_from_the_connection_string() {
    let config = resolve_ok(
        "DRIVER=x;APIBaseURL=http://127.0.0.1:8080/;AuthScheme=oauth;InitiateOAuth=GetAndRefresh;\
         OAuthClientId=id;OAuthClientSecret=cs;CallbackURL=http://[::1]:5000/cb;OAuthAccessToken=at;\
         OAuthRefreshToken=rt;OAuthSettingsLocation=/tmp/s.txt;OAuthVerifier=v;OAuthBaseURL=https://oauth.example.com;\
         SSLServerCert=/etc/ssl/ca.pem;Timeout=0;MaxRows=500;Logfile=/tmp/log.txt;Verbosity=5;ProxyServer=p;ProxyPort=3128;ProxyUser=u;\
         ProxyPassword=pp;ProxyAutoDetect=yes;ProxyExceptions={a.com; b.com ,,c};RetryCount=0;RetryWaitTime=250;\
         AllowUnfilteredWrites=ON;UID=someone",
        &no_dsns(),
    );
    assert_eq!(config.api_base_url(), "http://127.0.0.1:8080");
    assert_eq!(config.auth_scheme, AuthScheme::OAuth);
    assert_eq!(config.initiate_oauth, InitiateOAuth::GetAndRefresh);
    assert_eq!(config.oauth_client_id.as_deref(), Some("id"));
    assert_eq!(
        config.oauth_client_secret.as_ref().map(Secret::expose),
        Some("cs")
    );
    assert_eq!(config.callback_url, "http://[::1]:5000/cb");
    assert_eq!(
        config.oauth_access_token.as_ref().map(Secret::expose),
        Some("at")
    );
    assert_eq!(
        config.oauth_refresh_token.as_ref().map(Secret::expose),
        Some("rt")
    );
    assert_eq!(
        config.oauth_settings_location,
        Some(PathBuf::from("/tmp/s.txt"))
    );
    assert_eq!(
        config.oauth_verifier.as_ref().map(Secret::expose),
        Some("v")
    );
    assert_eq!(config.oauth_base_url, "https://oauth.example.com");
    assert_eq!(
        config.ssl_server_cert,
        Some(SslServerCert::PemFile(PathBuf::from("/etc/ssl/ca.pem")))
    );
    assert_eq!(config.timeout, None);
    assert_eq!(config.max_rows, Some(500));
    assert_eq!(config.logfile, Some(PathBuf::from("/tmp/log.txt")));
    assert_eq!(config.verbosity, 5);
    assert_eq!(config.proxy_server.as_deref(), Some("p"));
    assert_eq!(config.proxy_port, Some(3128));
    assert_eq!(config.proxy_user.as_deref(), Some("u"));
    assert_eq!(
        config.proxy_password.as_ref().map(Secret::expose),
        Some("pp")
    );
    assert!(config.proxy_auto_detect);
    assert_eq!(config.proxy_exceptions, ["a.com", "b.com", "c"]);
    assert_eq!(config.retry_count, 0);
    assert_eq!(config.retry_wait_time, Duration::from_millis(250));
    assert!(config.allow_unfiltered_writes);
    assert_eq!(config.user_id.as_deref(), Some("someone"));
    assert_eq!(config.api_token, None);
}

#[test]
fn keys_are_case_insensitive() {
    let config = resolve_ok(
        "driver=x;COMPANYDOMAIN=acme;apitoken=t;maxrows=7",
        &no_dsns(),
    );
    assert_eq!(config.api_base_url(), "https://acme.pipedrive.com");
    assert_eq!(config.max_rows, Some(7));
}

#[test]
fn connection_string_keys_override_dsn_keys() {
    let config = resolve_ok("DSN=sales;Timeout=5;APIToken=mine", &sales_dsn());
    assert_eq!(config.target, ConnectTarget::Dsn("sales".into()));
    assert_eq!(config.data_source_name(), "sales");
    assert_eq!(config.timeout, Some(Duration::from_secs(5)));
    assert_eq!(config.api_token.as_ref().map(Secret::expose), Some("mine"));
    // Keys only the DSN sets still apply.
    assert_eq!(config.api_base_url(), "https://acme.pipedrive.com");
    assert_eq!(config.proxy_server.as_deref(), Some("proxy.internal"));
}

#[test]
fn an_empty_value_clears_a_dsn_setting() {
    let config = resolve_ok("DSN=Sales;ProxyServer=;Timeout=", &sales_dsn());
    assert_eq!(config.proxy_server, None);
    assert_eq!(config.timeout, Some(Duration::from_secs(60)));
}

#[test]
fn sqlconnect_password_is_the_api_token() {
    let dsns = sales_dsn();
    let (config, warnings) = resolve_with_environment(
        &sqlconnect_attrs("Sales", "", "typed-token"),
        &dsns,
        &test_environment,
    )
    .unwrap();
    assert!(warnings.is_empty());
    assert_eq!(
        config.api_token.as_ref().map(Secret::expose),
        Some("typed-token")
    );

    // No password typed: the DSN's token stands.
    let (config, _) =
        resolve_with_environment(&sqlconnect_attrs("Sales", "", ""), &dsns, &test_environment)
            .unwrap();
    assert_eq!(
        config.api_token.as_ref().map(Secret::expose),
        Some("dsn-token")
    );
}

#[test]
fn canonical_keyword_beats_its_alias_in_one_source() {
    let config = resolve_ok(
        "DRIVER=x;CompanyDomain=a;PWD=alias;APIToken=canonical",
        &no_dsns(),
    );
    assert_eq!(
        config.api_token.as_ref().map(Secret::expose),
        Some("canonical")
    );
    let config = resolve_ok(
        "DRIVER=x;CompanyDomain=a;APIToken=canonical;PWD=alias",
        &no_dsns(),
    );
    assert_eq!(
        config.api_token.as_ref().map(Secret::expose),
        Some("canonical")
    );
}

#[test]
fn repeated_keys_keep_the_first_value() {
    let config = resolve_ok(
        "DRIVER=x;CompanyDomain=a;APIToken=t;Verbosity=2;VERBOSITY=4",
        &no_dsns(),
    );
    assert_eq!(config.verbosity, 2);
}

#[test]
fn default_dsn_is_read_when_no_target_is_named() {
    let dsns = FakeDsns(vec![(
        "DEFAULT",
        vec![("CompanyDomain", "dflt"), ("APIToken", "t")],
    )]);
    let config = resolve_ok("", &dsns);
    assert_eq!(config.target, ConnectTarget::Dsn("DEFAULT".into()));
    assert_eq!(config.api_base_url(), "https://dflt.pipedrive.com");
    let config = resolve_ok("DSN= ;Timeout=3", &dsns);
    assert_eq!(config.api_base_url(), "https://dflt.pipedrive.com");

    // With DRIVER= no DSN is read, not even DEFAULT.
    let err = resolve_err("DRIVER={Pipedrive}", &dsns);
    assert_eq!(err.state, SqlState::UnableToConnect);
}

#[test]
fn a_missing_named_dsn_is_mentioned_when_settings_are_missing() {
    let err = resolve_err("DSN=Nowhere;APIToken=t", &no_dsns());
    assert_eq!(err.state, SqlState::UnableToConnect);
    assert!(err.message.contains("CompanyDomain"), "{}", err.message);
    assert!(err.message.contains("APIBaseURL"), "{}", err.message);
    assert!(
        err.message.contains("'Nowhere' was not found"),
        "{}",
        err.message
    );
    // The connection string alone may be enough.
    assert!(resolve_string("DSN=Nowhere;APIToken=t;CompanyDomain=a", &no_dsns()).is_ok());
}

#[test]
fn api_base_url_wins_over_company_domain() {
    let config = resolve_ok(
        "DSN=Sales;APIBaseURL=https://eu.example.com/pd/",
        &sales_dsn(),
    );
    assert_eq!(config.api_base_url(), "https://eu.example.com/pd");
    assert_eq!(config.company_domain.as_deref(), Some("acme"));
}

#[test]
fn every_company_domain_form_resolves() {
    for domain in [
        "acme",
        "acme.pipedrive.com",
        "https://acme.pipedrive.com",
        "https://acme.pipedrive.com/",
        "{ acme.pipedrive.com/ }",
    ] {
        let config = resolve_ok(
            &format!("DRIVER=x;APIToken=t;CompanyDomain={domain}"),
            &no_dsns(),
        );
        assert_eq!(
            config.api_base_url(),
            "https://acme.pipedrive.com",
            "{domain}"
        );
    }
}

#[test]
fn http_urls_must_point_at_loopback_hosts() {
    let cases = [
        ("APIBaseURL=http://api.example.com", "APIBaseURL"),
        ("CompanyDomain=http://acme.pipedrive.com", "CompanyDomain"),
        (
            "CompanyDomain=acme;OAuthBaseURL=http://oauth.example.com",
            "OAuthBaseURL",
        ),
        (
            "CompanyDomain=acme;CallbackURL=http://192.168.0.10:33333",
            "CallbackURL",
        ),
    ];
    for (setting, property) in cases {
        let err = resolve_err(&format!("DRIVER=x;APIToken=t;{setting}"), &no_dsns());
        assert_eq!(err.state, SqlState::UnableToConnect, "{setting}");
        assert!(
            err.message.starts_with(property),
            "{setting}: {}",
            err.message
        );
    }
    for url in ["http://localhost:9999", "http://127.0.0.2", "http://[::1]"] {
        let config = resolve_ok(
            &format!("DRIVER=x;APIToken=t;APIBaseURL={url};OAuthBaseURL={url}"),
            &no_dsns(),
        );
        assert_eq!(config.api_base_url(), url);
        assert_eq!(config.oauth_base_url, url);
    }
}

#[test]
fn basic_auth_requires_an_api_token() {
    let err = resolve_err("DRIVER=x;CompanyDomain=acme", &no_dsns());
    assert_eq!(err.state, SqlState::InvalidAuthorization);
    assert!(
        err.message.starts_with("APIToken is required"),
        "{}",
        err.message
    );
    let err = resolve_err("DRIVER=x;CompanyDomain=acme;PWD=", &no_dsns());
    assert_eq!(err.state, SqlState::InvalidAuthorization);
}

#[test]
fn oauth_requires_what_its_mode_uses() {
    let err = resolve_err("DRIVER=x;CompanyDomain=acme;AuthScheme=OAuth", &no_dsns());
    assert_eq!(err.state, SqlState::InvalidAuthorization);
    assert!(err.message.contains("OAuthAccessToken"), "{}", err.message);
    assert!(resolve_string(
        "DRIVER=x;CompanyDomain=acme;AuthScheme=OAuth;OAuthAccessToken=a",
        &no_dsns()
    )
    .is_ok());

    let err = resolve_err(
        "DRIVER=x;CompanyDomain=acme;AuthScheme=OAuth;InitiateOAuth=REFRESH;OAuthClientId=id",
        &no_dsns(),
    );
    assert_eq!(err.state, SqlState::InvalidAuthorization);
    assert!(err.message.contains("OAuthClientSecret"), "{}", err.message);
    // OAuth does not need an API token.
    assert!(resolve_string(
        "DRIVER=x;CompanyDomain=acme;AuthScheme=OAuth;InitiateOAuth=GETANDREFRESH;OAuthClientId=id;OAuthClientSecret=s",
        &no_dsns()
    )
    .is_ok());
}

#[test]
fn invalid_values_are_hy024_naming_the_property() {
    let cases = [
        ("Timeout=-5", "Timeout"),
        ("Timeout=abc", "Timeout"),
        ("MaxRows=-2", "MaxRows"),
        ("Verbosity=9", "Verbosity"),
        ("ProxyPort=70000", "ProxyPort"),
        ("RetryCount=1.5", "RetryCount"),
        ("RetryWaitTime=soon", "RetryWaitTime"),
        ("AllowUnfilteredWrites=sometimes", "AllowUnfilteredWrites"),
        ("ProxyAutoDetect=2", "ProxyAutoDetect"),
        ("AuthScheme=Token", "AuthScheme"),
        ("InitiateOAuth=ALWAYS", "InitiateOAuth"),
    ];
    for (setting, property) in cases {
        let err = resolve_err(
            &format!("DRIVER=x;CompanyDomain=acme;APIToken=secret-token;{setting}"),
            &no_dsns(),
        );
        assert_eq!(err.state, SqlState::InvalidAttributeValue, "{setting}");
        assert!(
            err.message
                .contains(&format!("Invalid value for {property}:")),
            "{setting}: {}",
            err.message
        );
        assert!(!err.message.contains("secret-token"), "{setting}");
    }
    let err = resolve_err(
        "DRIVER=x;CompanyDomain=acme;APIToken=t;AuthScheme=Token",
        &no_dsns(),
    );
    assert!(
        err.message.contains("one of Basic, OAuth"),
        "{}",
        err.message
    );
    // Values from the DSN are validated too.
    let dsns = FakeDsns(vec![(
        "Bad",
        vec![
            ("CompanyDomain", "acme"),
            ("APIToken", "t"),
            ("Verbosity", "0"),
        ],
    )]);
    assert_eq!(
        resolve_err("DSN=Bad", &dsns).state,
        SqlState::InvalidAttributeValue
    );
}

#[test]
fn max_rows_minus_one_and_zero_mean_unlimited() {
    for value in ["-1", "0"] {
        let config = resolve_ok(
            &format!("DRIVER=x;CompanyDomain=a;APIToken=t;MaxRows={value}"),
            &no_dsns(),
        );
        assert_eq!(config.max_rows, None, "{value}");
    }
}

#[test]
fn unknown_connection_string_keys_warn_without_echoing_values() {
    let (config, warnings) = resolve_string(
        "DSN=Sales;Bogus=secret-value;UID=me;Description=x;Trace=No;FILEDSN=f;SAVEFILE=g;Other={also-secret}",
        &sales_dsn(),
    )
    .unwrap();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings
        .iter()
        .all(|w| w.state == SqlState::InvalidConnectionStringAttribute));
    assert!(
        warnings[0].message.contains("'Bogus'"),
        "{}",
        warnings[0].message
    );
    assert!(
        warnings[1].message.contains("'Other'"),
        "{}",
        warnings[1].message
    );
    for warning in &warnings {
        assert!(!warning.message.contains("secret"), "{}", warning.message);
    }
    // The DSN's own unknown key (SomethingElse) is not the caller's and
    // raises no warning; the connection still resolves.
    assert_eq!(config.api_base_url(), "https://acme.pipedrive.com");
}

#[test]
fn secrets_never_appear_in_debug_output_or_errors() {
    let text =
        "DRIVER=x;CompanyDomain=acme;APIToken=tok-1;OAuthClientSecret=cs-2;OAuthAccessToken=at-3;\
                OAuthRefreshToken=rt-4;OAuthVerifier=ov-5;ProxyPassword=pp-6";
    let config = resolve_ok(text, &no_dsns());
    let debug = format!("{config:?}");
    for secret in ["tok-1", "cs-2", "at-3", "rt-4", "ov-5", "pp-6"] {
        assert!(!debug.contains(secret), "{secret} in {debug}");
    }
    assert!(debug.contains(secret::MASK));

    let failing = format!("{text};Timeout=x");
    let err = resolve_err(&failing, &no_dsns());
    for secret in ["tok-1", "cs-2", "at-3", "rt-4", "ov-5", "pp-6"] {
        assert!(!err.message.contains(secret));
    }
    let err = resolve_err("DRIVER=x;APIToken=tok-1", &no_dsns());
    assert!(!err.message.contains("tok-1"));
}

#[test]
fn completed_string_has_the_target_first_and_canonical_names() {
    let config = resolve_ok(
        "driver={Pipedrive ODBC};companydomain=acme;pwd=tok;maxrows=10;uid=me",
        &no_dsns(),
    );
    assert_eq!(
        config.completed_connection_string(),
        "DRIVER={Pipedrive ODBC};CompanyDomain=acme;APIToken=tok;MaxRows=10;UID=me"
    );
}

#[test]
fn completed_string_quotes_values_and_round_trips() {
    let config = resolve_ok(
        "DRIVER={a}}b};CompanyDomain=acme;APIToken={x;y};ProxyExceptions={a;b}",
        &no_dsns(),
    );
    let completed = config.completed_connection_string();
    assert_eq!(
        completed,
        "DRIVER={a}}b};CompanyDomain=acme;APIToken={x;y};ProxyExceptions={a;b}"
    );
    let again = resolve_ok(&completed, &no_dsns());
    assert_eq!(again.completed_connection_string(), completed);
    assert_eq!(again.api_token.as_ref().map(Secret::expose), Some("x;y"));
}

#[test]
fn completed_string_leaves_out_secrets_the_caller_did_not_pass() {
    let config = resolve_ok("DSN=Sales;Timeout=5", &sales_dsn());
    let completed = config.completed_connection_string();
    assert_eq!(
        completed,
        "DSN=Sales;Timeout=5;CompanyDomain=acme;ProxyServer=proxy.internal"
    );
    assert!(!completed.contains("dsn-token"));
    assert!(!completed.contains("dsn-proxy-password"));

    // A secret the caller passed is returned: the caller already has it.
    let config = resolve_ok("DSN=Sales;ProxyPassword=given", &sales_dsn());
    assert!(config
        .completed_connection_string()
        .contains("ProxyPassword=given"));

    // Without any target the default data source is named.
    let dsns = FakeDsns(vec![(
        "DEFAULT",
        vec![("CompanyDomain", "d"), ("APIToken", "t")],
    )]);
    assert_eq!(
        resolve_ok("", &dsns).completed_connection_string(),
        "DSN=DEFAULT;CompanyDomain=d"
    );
}

#[test]
fn completed_string_omits_driver_manager_keys() {
    let config = resolve_ok(
        "DSN=Sales;FILEDSN=x.dsn;SAVEFILE=y.dsn;Description=d",
        &sales_dsn(),
    );
    let completed = config.completed_connection_string();
    assert!(!completed.contains("FILEDSN"), "{completed}");
    assert!(!completed.contains("SAVEFILE"), "{completed}");
    assert!(completed.contains("Description=d"), "{completed}");
}

#[test]
fn oauth_settings_location_follows_xdg() {
    let with = |vars: &'static [(&'static str, &'static str)]| {
        default_oauth_settings_location(&move |name: &str| {
            vars.iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| OsString::from(value))
        })
    };
    assert_eq!(
        with(&[("XDG_CONFIG_HOME", "/xdg"), ("HOME", "/home/a")]),
        Some(PathBuf::from("/xdg/pipedrive-odbc/OAuthSettings.txt"))
    );
    assert_eq!(
        with(&[("XDG_CONFIG_HOME", "relative/dir"), ("HOME", "/home/a")]),
        Some(PathBuf::from(
            "/home/a/.config/pipedrive-odbc/OAuthSettings.txt"
        ))
    );
    assert_eq!(with(&[]), None);
}

#[test]
fn properties_lists_the_table() {
    assert!(properties()
        .iter()
        .any(|def| def.name == "AllowUnfilteredWrites"));
    assert_eq!(properties().len(), properties::PROPERTIES.len());
}

#[test]
fn ssl_server_cert_takes_pem_text_or_a_star_from_either_source() {
    let pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";
    // Unbraced: a value runs to the next `;`, newlines and base64's `=`
    // padding included.
    let config = resolve_ok(
        &format!("DRIVER=x;APIToken=t;CompanyDomain=acme;SSLServerCert={pem}=="),
        &no_dsns(),
    );
    assert_eq!(
        config.ssl_server_cert,
        Some(SslServerCert::Pem(format!("{pem}==")))
    );
    let dsns = FakeDsns(vec![(
        "Test",
        vec![
            ("APIToken", "t"),
            ("CompanyDomain", "acme"),
            ("SSLServerCert", "*"),
        ],
    )]);
    let config = resolve_ok("DSN=Test", &dsns);
    assert_eq!(config.ssl_server_cert, Some(SslServerCert::AcceptAny));
    // An empty value in the connection string clears the DSN's.
    let config = resolve_ok("DSN=Test;sslservercert=", &dsns);
    assert_eq!(config.ssl_server_cert, None);
}
