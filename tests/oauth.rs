//! AuthScheme=OAuth end to end through unixODBC against the simulator's
//! OAuth server: every InitiateOAuth mode, refresh on expiry and on a 401
//! in the middle of a scan, refresh-token rotation with concurrent
//! connections, the OAuth procedures, the bad-input cases, and that no
//! token, code or secret reaches a log, a diagnostic or the settings file.
//!
//! The browser is stood in for by `curl -L` (PIPEDRIVE_ODBC_BROWSER): it
//! follows the authorization URL, the simulator consents and redirects to
//! the driver's loopback listener, exactly as a browser would.

mod common;

use common::sql_state;

use odbc_api::buffers::{BufferDesc, ColumnarDynBuffer, TextRowSet};
use odbc_api::{Connection, ConnectionOptions, Cursor, Environment, IntoParameter};
use pipedrive_sim::{OAuthClient, OAuthSettings, SimConfig, Simulator};
use std::collections::HashSet;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::Once;

const CLIENT_ID: &str = "odbc-test-app";
const CLIENT_SECRET: &str = "client-secret-7d3e9a";

static BROWSER: Once = Once::new();

/// Every test calls this first, before any connection reads the
/// environment.
fn use_curl_as_browser() {
    BROWSER.call_once(|| {
        std::env::set_var(
            "PIPEDRIVE_ODBC_BROWSER",
            "curl -sS -L -o /dev/null --max-time 60",
        );
    });
}

fn env() -> Environment {
    Environment::new().expect("ODBC environment")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A simulator with the test app registered, and the app's callback.
struct OAuthSim {
    sim: Simulator,
    callback: String,
    dir: PathBuf,
}

impl Drop for OAuthSim {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn start(deals: u64) -> OAuthSim {
    use_curl_as_browser();
    let callback = format!("http://127.0.0.1:{}/callback", free_port());
    let sim = Simulator::start(SimConfig {
        token: common::TOKEN.to_string(),
        deals,
        seed: 7,
        oauth: OAuthSettings {
            clients: vec![OAuthClient::new(CLIENT_ID, CLIENT_SECRET, &callback)],
            ..OAuthSettings::default()
        },
        ..SimConfig::default()
    })
    .expect("simulator starts");
    let dir = std::env::temp_dir().join(format!(
        "pd-oauth-test-{}-{}",
        std::process::id(),
        sim.port()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    OAuthSim { sim, callback, dir }
}

impl OAuthSim {
    fn settings(&self) -> PathBuf {
        self.dir.join("OAuthSettings.txt")
    }

    /// The OAuth connection string; `extra` is appended (the first
    /// occurrence of a keyword wins, so an OAuthSettingsLocation in `extra`
    /// replaces the test's default file).
    fn connection_string(&self, mode: &str, extra: &str) -> String {
        let location = if extra.contains("OAuthSettingsLocation=") {
            String::new()
        } else {
            format!("OAuthSettingsLocation={};", self.settings().display())
        };
        format!(
            "Driver={};AuthScheme=OAuth;InitiateOAuth={mode};OAuthClientId={CLIENT_ID};OAuthClientSecret={CLIENT_SECRET};\
             CallbackURL={};OAuthBaseURL={};APIBaseURL={};CompanyDomain=demo;{location}RetryCount=0;{extra}",
            common::driver_path().display(),
            self.callback,
            self.sim.base_url(),
            self.sim.base_url(),
        )
    }

    fn connect<'e>(
        &self,
        env: &'e Environment,
        mode: &str,
        extra: &str,
    ) -> Result<Connection<'e>, odbc_api::Error> {
        env.connect_with_connection_string(
            &self.connection_string(mode, extra),
            ConnectionOptions::default(),
        )
    }

    /// Consents without a browser: the code from the redirect.
    fn authorization_code(&self) -> String {
        // rustls needs a process-wide provider (the driver installs its own
        // copy's; this test binary links none of the driver's code).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::blocking::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let answer = http
            .get(format!(
                "{}/oauth/authorize?client_id={CLIENT_ID}&redirect_uri={}&state=t",
                self.sim.base_url(),
                self.callback.replace(':', "%3A").replace('/', "%2F")
            ))
            .send()
            .unwrap();
        assert_eq!(answer.status().as_u16(), 302);
        let location = answer.headers()["location"].to_str().unwrap().to_string();
        code_in_redirect(&location).expect("a code in the redirect")
    }

    fn requests(&self, endpoint: &str) -> u64 {
        self.sim.stats().endpoint(endpoint).requests
    }
}

/// The first column of every row, as text.
fn column(conn: &Connection<'_>, sql: &str) -> Result<Vec<String>, odbc_api::Error> {
    let mut cursor = conn.execute(sql, (), None)?.expect("a result set");
    let mut buffer = TextRowSet::for_cursor(500, &mut cursor, Some(4096))?;
    let mut rows = cursor.bind_buffer(&mut buffer)?;
    let mut out = Vec::new();
    while let Some(batch) = rows.fetch()? {
        for i in 0..batch.num_rows() {
            out.push(
                batch
                    .at_as_str(0, i)
                    .unwrap()
                    .unwrap_or_default()
                    .to_string(),
            );
        }
    }
    Ok(out)
}

/// One row of a procedure, every column as text (NULL as "").
fn procedure_row(conn: &Connection<'_>, sql: &str) -> Result<Vec<String>, odbc_api::Error> {
    let mut cursor = conn.execute(sql, (), None)?.expect("a result set");
    let mut buffer = TextRowSet::for_cursor(2, &mut cursor, Some(4096))?;
    let mut rows = cursor.bind_buffer(&mut buffer)?;
    let batch = rows.fetch()?.expect("one row");
    assert_eq!(batch.num_rows(), 1);
    Ok((0..batch.num_cols())
        .map(|c| {
            batch
                .at_as_str(c, 0)
                .unwrap()
                .unwrap_or_default()
                .to_string()
        })
        .collect())
}

fn bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_default()
}

#[test]
fn getandrefresh_authorizes_in_the_browser_once_then_reuses_the_tokens() {
    let s = start(20);
    let env = env();
    let conn = s
        .connect(&env, "GETANDREFRESH", "")
        .expect("authorizes and connects");
    assert_eq!(s.requests("GET /oauth/authorize"), 1);
    assert_eq!(s.requests("POST /oauth/token"), 1);
    let titles = column(&conn, "SELECT Title FROM Deals").unwrap();
    assert_eq!(titles.len(), common::listed_deal_ids(&s.sim).len());
    drop(conn);
    assert!(s.settings().exists());

    // Later connections reuse the saved tokens without a browser.
    let again = s.connect(&env, "GETANDREFRESH", "").unwrap();
    assert_eq!(s.requests("GET /oauth/authorize"), 1);
    assert_eq!(s.requests("POST /oauth/token"), 1);
    assert_eq!(
        column(&again, "SELECT COUNT(*) FROM Deals").unwrap(),
        [titles.len().to_string()]
    );
    // ... and refresh them when they expire, still without a browser.
    s.sim.expire_access_tokens();
    let refreshed = s.connect(&env, "GETANDREFRESH", "").unwrap();
    assert_eq!(
        column(&refreshed, "SELECT COUNT(*) FROM Deals")
            .unwrap()
            .len(),
        1
    );
    assert_eq!(s.requests("GET /oauth/authorize"), 1);
    assert_eq!(s.requests("POST /oauth/token"), 2);
}

#[test]
fn refresh_with_oauthverifier_then_the_settings_file() {
    let s = start(10);
    let env = env();
    let code = s.authorization_code();
    let verifier = format!("OAuthVerifier={code}");
    let conn = s
        .connect(&env, "REFRESH", &verifier)
        .expect("exchanges the code");
    assert_eq!(
        column(&conn, "SELECT COUNT(*) FROM Deals").unwrap().len(),
        1
    );
    drop(conn);
    let saved = bytes(&s.settings());
    assert!(!saved.is_empty());
    // The same connection string again: the spent code is not reused.
    let conn = s
        .connect(&env, "REFRESH", &verifier)
        .expect("reuses the saved tokens");
    drop(conn);
    assert_eq!(s.requests("POST /oauth/token"), 1);
    assert_eq!(bytes(&s.settings()), saved);

    // Without the verifier the file alone works, and an expired token is
    // refreshed and the rotated pair saved.
    s.sim.expire_access_tokens();
    let conn = s.connect(&env, "REFRESH", "").expect("refreshes");
    assert_eq!(s.requests("POST /oauth/token"), 2);
    assert_ne!(bytes(&s.settings()), saved, "the new tokens are saved");
    assert_eq!(
        column(&conn, "SELECT COUNT(*) FROM Deals").unwrap().len(),
        1
    );
}

#[test]
fn a_settings_file_copied_to_another_machine_works_unchanged() {
    let s = start(10);
    let env = env();
    let code = s.authorization_code();
    drop(
        s.connect(&env, "REFRESH", &format!("OAuthVerifier={code}"))
            .unwrap(),
    );
    // "Another machine": another directory, no connection-string tokens.
    let elsewhere = s.dir.join("other-machine");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let copy = elsewhere.join("copied.txt");
    std::fs::copy(s.settings(), &copy).unwrap();
    let conn = s
        .connect(
            &env,
            "REFRESH",
            &format!("OAuthSettingsLocation={}", copy.display()),
        )
        .expect("the copied file opens with the same app credentials");
    assert_eq!(
        column(&conn, "SELECT COUNT(*) FROM Deals").unwrap().len(),
        1
    );
}

#[test]
fn off_uses_the_token_as_given_and_reports_expiry_as_28000() {
    let s = start(10);
    let env = env();
    let tokens = s.sim.issue_oauth_tokens(CLIENT_ID).unwrap();
    let conn_str = format!(
        "Driver={};AuthScheme=OAuth;InitiateOAuth=OFF;OAuthAccessToken={};APIBaseURL={};RetryCount=0",
        common::driver_path().display(),
        tokens.access_token,
        s.sim.base_url()
    );
    let conn = env
        .connect_with_connection_string(&conn_str, ConnectionOptions::default())
        .unwrap();
    assert_eq!(
        column(&conn, "SELECT COUNT(*) FROM Deals").unwrap().len(),
        1
    );
    s.sim.expire_access_tokens();
    let err = column(&conn, "SELECT COUNT(*) FROM Deals").unwrap_err();
    assert_eq!(sql_state(&err), "28000", "{err}");
    assert!(err.to_string().contains("has expired"), "{err}");
    assert!(!err.to_string().contains(&tokens.access_token));
    assert_eq!(s.requests("POST /oauth/token"), 0, "OFF never refreshes");

    // With the app's credentials too, OFF still never refreshes, and says how to.
    let with_app = format!(
        "{};OAuthClientId={CLIENT_ID};OAuthClientSecret={CLIENT_SECRET};OAuthBaseURL={}",
        conn_str,
        s.sim.base_url()
    );
    let err = env
        .connect_with_connection_string(&with_app, ConnectionOptions::default())
        .err()
        .unwrap();
    assert_eq!(sql_state(&err), "28000", "{err}");
    assert!(
        err.to_string()
            .contains("InitiateOAuth=OFF never refreshes"),
        "{err}"
    );
    assert_eq!(s.requests("POST /oauth/token"), 0);
}

#[test]
fn a_401_in_the_middle_of_a_scan_refreshes_and_loses_no_row() {
    let s = start(3_000);
    let env = env();
    let code = s.authorization_code();
    let conn = s
        .connect(&env, "REFRESH", &format!("OAuthVerifier={code}"))
        .unwrap();
    let expected: HashSet<i64> = common::listed_deal_ids(&s.sim).into_iter().collect();
    let cursor = conn
        .execute("SELECT Id FROM Deals", (), None)
        .unwrap()
        .unwrap();
    let buffer = ColumnarDynBuffer::from_descs(100, [BufferDesc::I64 { nullable: false }]);
    let mut block = cursor.bind_buffer(buffer).unwrap();
    let mut seen = Vec::new();
    let mut expired = false;
    while let Some(batch) = block.fetch().unwrap() {
        seen.extend_from_slice(batch.column(0).as_slice::<i64>().unwrap());
        if !expired {
            // The first page is in; every later page needs a new token.
            s.sim.expire_access_tokens();
            expired = true;
        }
    }
    let unique: HashSet<i64> = seen.iter().copied().collect();
    assert_eq!(unique.len(), seen.len(), "no row repeated");
    assert_eq!(unique, expected, "no row lost");
    let refused = s
        .sim
        .requests()
        .iter()
        .filter(|r| r.path.starts_with("/api/") && r.status == Some(401))
        .count();
    assert_eq!(refused, 1, "one page was refused, then retried");
    assert_eq!(
        s.requests("POST /oauth/token"),
        2,
        "the exchange, then one refresh"
    );
}

#[test]
fn concurrent_connections_share_one_rotation() {
    let s = start(10);
    let env = env();
    let code = s.authorization_code();
    drop(
        s.connect(&env, "REFRESH", &format!("OAuthVerifier={code}"))
            .unwrap(),
    );
    for round in 0..2 {
        s.sim.expire_access_tokens();
        let before = s.requests("POST /oauth/token");
        let results: Vec<Result<Vec<String>, String>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..6)
                .map(|_| {
                    scope.spawn(|| {
                        let env = Environment::new().unwrap();
                        let conn = s.connect(&env, "REFRESH", "").map_err(|e| e.to_string())?;
                        column(&conn, "SELECT COUNT(*) FROM Deals").map_err(|e| e.to_string())
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for result in &results {
            assert!(result.is_ok(), "round {round}: {result:?}");
        }
        // One connection refreshed; the others adopted its tokens instead
        // of spending the refresh token it had just used up.
        assert_eq!(s.requests("POST /oauth/token"), before + 1, "round {round}");
    }
}

#[test]
fn the_procedures_work_on_an_unauthorized_connection() {
    let s = start(10);
    let env = env();
    // Only the app's settings: OFF, no token.
    let conn = s.connect(&env, "OFF", "").expect("opens unauthorized");
    let err = column(&conn, "SELECT Id FROM Deals").unwrap_err();
    assert_eq!(sql_state(&err), "28000", "{err}");
    assert!(err.to_string().contains("not authorized yet"), "{err}");

    let url = procedure_row(
        &conn,
        "EXEC GetOAuthAuthorizationURL State='st 1', Scope='deals:read'",
    )
    .unwrap();
    assert!(
        url[0].starts_with(&format!("{}/oauth/authorize?", s.sim.base_url())),
        "{url:?}"
    );
    assert!(
        url[0].contains(&format!("client_id={CLIENT_ID}")),
        "{url:?}"
    );
    assert!(url[0].contains("state=st%201"), "{url:?}");
    assert!(url[0].contains("scope=deals%3Aread"), "{url:?}");

    // WEB mode with a bound parameter, then the connection is authorized.
    let code = s.authorization_code();
    let mut cursor = conn
        .execute(
            "{call GetOAuthAccessToken('WEB', ?)}",
            &code.as_str().into_parameter(),
            None,
        )
        .unwrap()
        .unwrap();
    let mut buffer = TextRowSet::for_cursor(1, &mut cursor, Some(512)).unwrap();
    let mut rows = cursor.bind_buffer(&mut buffer).unwrap();
    let batch = rows.fetch().unwrap().unwrap();
    let access = batch.at_as_str(0, 0).unwrap().unwrap().to_string();
    let refresh = batch.at_as_str(1, 0).unwrap().unwrap().to_string();
    assert!(access.starts_with("v1u:"), "{access}");
    assert_eq!(batch.at_as_str(2, 0).unwrap(), Some("3600"));
    assert_eq!(
        batch.at_as_str(3, 0).unwrap(),
        Some(s.sim.base_url().as_str())
    );
    drop(rows);
    assert_eq!(
        column(&conn, "SELECT COUNT(*) FROM Deals").unwrap().len(),
        1
    );

    // RefreshOAuthAccessToken rotates the pair.
    let renewed =
        procedure_row(&conn, &format!("CALL RefreshOAuthAccessToken('{refresh}')")).unwrap();
    assert!(
        renewed[0].starts_with("v1u:") && renewed[0] != access,
        "{renewed:?}"
    );
    assert!(
        renewed[1].starts_with("1:1:") && renewed[1] != refresh,
        "{renewed:?}"
    );
    let err = procedure_row(
        &conn,
        &format!("EXECUTE RefreshOAuthAccessToken OAuthRefreshToken='{refresh}'"),
    )
    .unwrap_err();
    assert_eq!(sql_state(&err), "28000", "{err}");
    assert!(!err.to_string().contains(&refresh));

    // OFF keeps nothing on disk.
    assert!(!s.settings().exists());
    // They are listed in sys_procedures, from the same definitions.
    let mut names = column(&conn, "SELECT ProcedureName FROM sys_procedures").unwrap();
    names.sort();
    assert_eq!(
        names,
        [
            "GetOAuthAccessToken",
            "GetOAuthAuthorizationURL",
            "RefreshOAuthAccessToken"
        ]
    );
    let parameters = column(
        &conn,
        "SELECT ColumnName FROM sys_procedureparameters WHERE ProcedureName = 'GetOAuthAccessToken' AND Direction = 1",
    )
    .unwrap();
    assert_eq!(parameters, ["AuthMode", "Verifier", "CallbackURL", "State"]);
}

#[test]
fn getoauthaccesstoken_app_mode_runs_the_browser_flow_and_saves_with_refresh() {
    let s = start(10);
    let env = env();
    let conn = s.connect(&env, "REFRESH", "").expect("opens unauthorized");
    let row = procedure_row(&conn, "EXEC GetOAuthAccessToken AuthMode='APP'").unwrap();
    assert!(row[0].starts_with("v1u:"), "{row:?}");
    assert_eq!(s.requests("GET /oauth/authorize"), 1);
    assert!(
        s.settings().exists(),
        "REFRESH saves what the procedure obtained"
    );
    assert_eq!(
        column(&conn, "SELECT COUNT(*) FROM Deals").unwrap().len(),
        1
    );
    drop(conn);
    let conn = s.connect(&env, "REFRESH", "").unwrap();
    assert_eq!(
        column(&conn, "SELECT COUNT(*) FROM Deals").unwrap().len(),
        1
    );
}

#[test]
fn bad_input_gives_a_clear_sqlstate_and_keeps_the_saved_tokens() {
    let s = start(10);
    let env = env();
    // A working settings file, obtained with GetOAuthAccessToken so the
    // test knows the refresh token in it.
    let conn = s.connect(&env, "REFRESH", "").unwrap();
    let row = procedure_row(
        &conn,
        &format!(
            "EXEC GetOAuthAccessToken AuthMode='WEB', Verifier='{}'",
            s.authorization_code()
        ),
    )
    .unwrap();
    drop(conn);
    let refresh = row[1].clone();
    let saved = bytes(&s.settings());
    let unchanged = |case: &str| {
        assert_eq!(
            bytes(&s.settings()),
            saved,
            "{case}: the saved tokens were touched"
        )
    };

    let expect = |extra: &str, state: &str, text: &str| {
        let err = s
            .connect(&env, "REFRESH", extra)
            .err()
            .unwrap_or_else(|| panic!("{extra} should fail"));
        assert_eq!(sql_state(&err), state, "{extra}: {err}");
        assert!(err.to_string().contains(text), "{extra}: {err}");
        for secret in [CLIENT_SECRET, &refresh] {
            assert!(!err.to_string().contains(secret), "{extra}: {err}");
        }
        err
    };

    // A reused code.
    let used = s.authorization_code();
    let conn = s.connect(&env, "OFF", "").unwrap();
    procedure_row(
        &conn,
        &format!("EXEC GetOAuthAccessToken Verifier='{used}'"),
    )
    .unwrap();
    let err = procedure_row(
        &conn,
        &format!("EXEC GetOAuthAccessToken Verifier='{used}'"),
    )
    .unwrap_err();
    assert_eq!(sql_state(&err), "28000", "{err}");
    assert!(err.to_string().contains("already used"), "{err}");
    assert!(!err.to_string().contains(&used));
    expect(
        &format!("OAuthVerifier={used}"),
        "28000",
        "authorization_code is invalid",
    );
    unchanged("reused code");

    // An expired code.
    let late = s.authorization_code();
    s.sim.advance_clock(std::time::Duration::from_secs(301));
    expect(
        &format!("OAuthVerifier={late}"),
        "28000",
        "authorization_code has expired",
    );
    unchanged("expired code");

    // A wrong client secret (with a fresh file location: the real file
    // would not even decrypt with it).
    let other = s.dir.join("other.txt");
    let err = env
        .connect_with_connection_string(
            &s.connection_string(
                "REFRESH",
                &format!(
                    "OAuthVerifier={};OAuthSettingsLocation={}",
                    s.authorization_code(),
                    other.display()
                ),
            )
            .replace(CLIENT_SECRET, "not-the-secret"),
            ConnectionOptions::default(),
        )
        .err()
        .unwrap();
    assert_eq!(sql_state(&err), "28000", "{err}");
    assert!(
        err.to_string()
            .contains("Invalid client: client is invalid"),
        "{err}"
    );
    assert!(
        err.to_string()
            .contains("check OAuthClientId and OAuthClientSecret"),
        "{err}"
    );
    assert!(!other.exists());
    let err = env
        .connect_with_connection_string(
            &s.connection_string("REFRESH", "")
                .replace(CLIENT_SECRET, "not-the-secret"),
            ConnectionOptions::default(),
        )
        .err()
        .unwrap();
    assert_eq!(sql_state(&err), "28000", "{err}");
    assert!(
        err.to_string()
            .contains("another OAuthClientId/OAuthClientSecret"),
        "{err}"
    );
    unchanged("wrong secret");

    // An unreachable OAuth server.
    let dead = format!("http://127.0.0.1:{}", free_port());
    let err = env
        .connect_with_connection_string(
            &s.connection_string(
                "REFRESH",
                &format!(
                    "OAuthVerifier=abc;OAuthSettingsLocation={}",
                    other.display()
                ),
            )
            .replace(
                &format!("OAuthBaseURL={}", s.sim.base_url()),
                &format!("OAuthBaseURL={dead}"),
            ),
            ConnectionOptions::default(),
        )
        .err()
        .unwrap();
    assert_eq!(sql_state(&err), "08001", "{err}");
    assert!(
        err.to_string().contains("Could not reach the OAuth server"),
        "{err}"
    );

    // A CallbackURL port already in use (GETANDREFRESH with nothing saved).
    let taken = TcpListener::bind(
        s.callback
            .trim_start_matches("http://")
            .trim_end_matches("/callback"),
    )
    .unwrap();
    let err = s
        .connect(
            &env,
            "GETANDREFRESH",
            &format!("OAuthSettingsLocation={}", other.display()),
        )
        .err()
        .unwrap();
    assert_eq!(sql_state(&err), "08001", "{err}");
    assert!(err.to_string().contains("already in use"), "{err}");
    drop(taken);
    assert_eq!(
        s.requests("GET /oauth/authorize"),
        4,
        "the browser was never sent"
    );

    // A revoked refresh token.
    assert!(s.sim.revoke_refresh_token(&refresh));
    s.sim.expire_access_tokens();
    expect("", "28000", "refresh token was revoked");
    unchanged("revoked refresh token");

    // A tampered settings file.
    let mut tampered = saved.clone();
    let at = tampered.len() - 5;
    tampered[at] = if tampered[at] == b'0' { b'1' } else { b'0' };
    std::fs::write(s.settings(), &tampered).unwrap();
    expect("", "28000", "has been modified");
    assert_eq!(
        bytes(&s.settings()),
        tampered,
        "a tampered file is left for the user"
    );
}

#[test]
fn no_token_code_or_secret_reaches_the_log_diagnostics_or_the_file() {
    let s = start(600);
    let env = env();
    let log = s.dir.join("driver.log");
    let logging = format!("Logfile={};Verbosity=5", log.display());
    let mut texts = Vec::new();
    let code = s.authorization_code();
    let conn = s
        .connect(&env, "REFRESH", &format!("{logging};OAuthVerifier={code}"))
        .unwrap();
    s.sim.expire_access_tokens();
    column(&conn, "SELECT Id, Title FROM Deals").unwrap();
    let url = procedure_row(&conn, "EXEC GetOAuthAuthorizationURL").unwrap();
    texts.push(url[0].clone());
    let second = s.authorization_code();
    let tokens = procedure_row(
        &conn,
        &format!("EXEC GetOAuthAccessToken AuthMode='WEB', Verifier='{second}'"),
    )
    .unwrap();
    let renewed = procedure_row(
        &conn,
        &format!("{{call RefreshOAuthAccessToken('{}')}}", tokens[1]),
    )
    .unwrap();
    // Failures, with their diagnostics.
    for sql in [
        format!("EXEC GetOAuthAccessToken Verifier='{second}'"),
        format!("CALL RefreshOAuthAccessToken('{}')", tokens[1]),
        format!("EXEC RefreshOAuthAccessToken Token='{}'", renewed[1]),
    ] {
        texts.push(conn.execute(&sql, (), None).err().unwrap().to_string());
    }
    drop(conn);
    texts.push(
        env.connect_with_connection_string(
            &s.connection_string(
                "REFRESH",
                &format!(
                    "{logging};OAuthVerifier={code};OAuthSettingsLocation={}",
                    s.dir.join("x.txt").display()
                ),
            ),
            ConnectionOptions::default(),
        )
        .err()
        .unwrap()
        .to_string(),
    );

    let log_text = std::fs::read_to_string(&log).unwrap();
    assert!(
        log_text.contains("prepare: EXEC GetOAuthAccessToken"),
        "the log has the statements"
    );
    assert!(log_text.contains("refreshed"), "the log has the refresh");
    let settings = String::from_utf8_lossy(&bytes(&s.settings())).into_owned();
    // Every secret the simulator issues has one of these shapes (v1u:<hex>,
    // 1:1:<hex>, 40-hex codes); none may appear anywhere.
    let leaks = |text: &str| -> Vec<String> {
        let mut found = Vec::new();
        for marker in ["v1u:", "1:1:", CLIENT_SECRET, &code, &second] {
            if text.contains(marker) {
                found.push(marker.to_string());
            }
        }
        let hex_run = text
            .split(|c: char| !c.is_ascii_hexdigit())
            .any(|run| run.len() >= 40 && run.len() < 100);
        if hex_run {
            found.push("a 40-hex run".into());
        }
        found
    };
    assert_eq!(leaks(&log_text), Vec::<String>::new(), "log:\n{log_text}");
    for text in &texts {
        assert_eq!(leaks(text), Vec::<String>::new(), "{text}");
    }
    for secret in [&tokens[0], &tokens[1], &renewed[0], &renewed[1]] {
        assert!(!log_text.contains(secret.as_str()));
        assert!(!settings.contains(secret.as_str()));
    }
    assert!(
        !settings.contains(CLIENT_SECRET)
            && !settings.contains("v1u:")
            && !settings.contains("1:1:")
    );
}

#[test]
fn the_headless_helper_writes_a_settings_file_the_driver_reads() {
    let s = start(10);
    let env = env();
    let code = s.authorization_code();
    let run = |pasted: &str| {
        use std::io::Write;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_pipedrive-odbc-auth"))
            .args(["--client-id", CLIENT_ID, "--callback-url", &s.callback])
            .args(["--oauth-base-url", &s.sim.base_url()])
            .arg("--settings")
            .arg(s.settings())
            .env("PIPEDRIVE_OAUTH_CLIENT_SECRET", CLIENT_SECRET)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("the helper runs");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(format!("{pasted}\n").as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    // The pasted redirect URL (no state: as if copied without it).
    let output = run(&format!("{}?code={code}", s.callback));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("/oauth/authorize?client_id="), "{stdout}");
    assert!(
        !stdout.contains(&code) && !stdout.contains("v1u:"),
        "{stdout}"
    );
    let conn = s
        .connect(&env, "REFRESH", "")
        .expect("the helper's file works");
    assert_eq!(
        column(&conn, "SELECT COUNT(*) FROM Deals").unwrap().len(),
        1
    );
    drop(conn);
    // A spent code fails clearly and leaves the file alone.
    let saved = bytes(&s.settings());
    let output = run(&code);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("authorization_code is invalid"), "{stderr}");
    assert!(!stderr.contains(&code));
    assert_eq!(bytes(&s.settings()), saved);
}

#[test]
fn getandrefresh_authorizes_again_when_the_saved_tokens_are_revoked() {
    let s = start(10);
    let env = env();
    let conn = s.connect(&env, "GETANDREFRESH", "").unwrap();
    let row = procedure_row(&conn, "EXEC GetOAuthAccessToken AuthMode='APP'").unwrap();
    drop(conn);
    assert_eq!(s.requests("GET /oauth/authorize"), 2);
    assert!(s.sim.revoke_refresh_token(&row[1]));
    s.sim.expire_access_tokens();
    let before = bytes(&s.settings());
    let conn = s
        .connect(&env, "GETANDREFRESH", "")
        .expect("a revoked pair is no usable token: the browser flow runs again");
    assert_eq!(s.requests("GET /oauth/authorize"), 3);
    assert_ne!(bytes(&s.settings()), before, "the new tokens are saved");
    assert_eq!(
        column(&conn, "SELECT COUNT(*) FROM Deals").unwrap().len(),
        1
    );
}

/// The `code` parameter of a redirect URL, percent-decoded.
fn code_in_redirect(location: &str) -> Option<String> {
    let query = location.split_once('?')?.1;
    let raw = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("code="))?;
    let mut bytes = Vec::new();
    let mut rest = raw.as_bytes();
    while let Some((&b, tail)) = rest.split_first() {
        match (b, tail) {
            (b'%', [h, l, tail @ ..]) => {
                let hex = std::str::from_utf8(&[*h, *l]).ok()?.to_string();
                bytes.push(u8::from_str_radix(&hex, 16).ok()?);
                rest = tail;
            }
            (b'+', _) => {
                bytes.push(b' ');
                rest = tail;
            }
            _ => {
                bytes.push(b);
                rest = tail;
            }
        }
    }
    String::from_utf8(bytes)
        .ok()
        .filter(|code| !code.is_empty())
}
