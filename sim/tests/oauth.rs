//! OAuth 2.0 over HTTP: the authorization-code flow end to end, refresh
//! token rotation, code and token lifetimes on the simulator's clock, and
//! the error answers Pipedrive documents.

mod raw_http;

use pipedrive_sim::{OAuthClient, OAuthConsent, OAuthSettings, SimConfig, Simulator};
use raw_http::{basic, encode, query_param, req, Answer, TOKEN};
use std::time::Duration;

const CLIENT_ID: &str = "odbc-app";
const SECRET: &str = "s3cret";
const REDIRECT: &str = "http://127.0.0.1:9/callback";
/// 2026-01-01T12:00:00Z: the frozen clock's start.
const START_MS: i64 = 1_767_268_800_000;

fn settings() -> OAuthSettings {
    OAuthSettings {
        clients: vec![OAuthClient::new(CLIENT_ID, SECRET, REDIRECT)],
        ..OAuthSettings::default()
    }
}

fn start() -> Simulator {
    Simulator::start(SimConfig {
        deals: 30,
        oauth: settings(),
        clock_start_ms: Some(START_MS),
        ..SimConfig::default()
    })
    .expect("simulator starts")
}

fn authorize_target(redirect_uri: &str, state: &str) -> String {
    format!(
        "/oauth/authorize?client_id={}&redirect_uri={}&state={}",
        encode(CLIENT_ID),
        encode(redirect_uri),
        encode(state)
    )
}

/// Runs the consent step; the code from the redirect.
fn authorize(sim: &Simulator, state: &str) -> String {
    let answer = req("GET", &authorize_target(REDIRECT, state))
        .send(sim.port())
        .answer();
    assert_eq!(answer.status, 302, "{}", answer.text());
    let location = answer.header("location").expect("Location");
    assert!(location.starts_with(&format!("{REDIRECT}?")), "{location}");
    assert_eq!(query_param(location, "state").as_deref(), Some(state));
    query_param(location, "code").expect("code in the redirect")
}

fn token_request(sim: &Simulator, secret: &str, form: &[(&str, &str)]) -> Answer {
    req("POST", "/oauth/token")
        .header("Authorization", &basic(CLIENT_ID, secret))
        .form(form)
        .send(sim.port())
        .answer()
}

fn exchange(sim: &Simulator, code: &str) -> Answer {
    token_request(
        sim,
        SECRET,
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", REDIRECT),
        ],
    )
}

fn refresh(sim: &Simulator, refresh_token: &str) -> Answer {
    token_request(
        sim,
        SECRET,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
        ],
    )
}

/// Asserts an RFC 6749 error answer.
fn assert_oauth_error(answer: &Answer, status: u16, error: &str, description: &str) {
    assert_eq!(answer.status, status, "{}", answer.text());
    let body = answer.json();
    assert_eq!(body["error"], error);
    assert_eq!(body["error_description"], description);
}

/// Access and refresh token of a successful token answer, after checking
/// its shape against the spec's GetTokensResponse.
fn tokens(sim: &Simulator, answer: &Answer) -> (String, String) {
    assert_eq!(answer.status, 200, "{}", answer.text());
    let body = answer.json();
    let keys: Vec<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        [
            "access_token",
            "api_domain",
            "expires_in",
            "refresh_token",
            "scope",
            "token_type"
        ]
    );
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["api_domain"], sim.base_url());
    assert_eq!(
        body["expires_in"].as_u64(),
        Some(settings().access_token_lifetime_secs)
    );
    assert!(body["scope"]
        .as_str()
        .unwrap()
        .split(',')
        .any(|s| s == "base"));
    (
        body["access_token"].as_str().unwrap().to_string(),
        body["refresh_token"].as_str().unwrap().to_string(),
    )
}

#[test]
fn code_flow_end_to_end() {
    let sim = start();
    let code = authorize(&sim, "xyz 1/2");
    let (access, refresh_token) = tokens(&sim, &exchange(&sim, &code));
    assert_ne!(access, refresh_token);

    // The bearer token reads exactly what the API token reads.
    let path = "/api/v2/deals?limit=7";
    let with_bearer = req("GET", path).bearer(&access).send(sim.port()).answer();
    let with_token = req("GET", path).api_token().send(sim.port()).answer();
    assert_eq!(with_bearer.status, 200, "{}", with_bearer.text());
    assert_eq!(with_bearer.body, with_token.body);
    // On v1 too, under both prefixes.
    for me in ["/api/v1/users/me", "/v1/users/me"] {
        let answer = req("GET", me).bearer(&access).send(sim.port()).answer();
        assert_eq!(answer.status, 200, "{me}: {}", answer.text());
        assert_eq!(answer.json()["data"]["id"], 1);
    }
    // The token endpoint is not an API call: no token cost, counted apart.
    let stats = sim.stats();
    assert_eq!(stats.endpoint("POST /oauth/token").requests, 1);
    assert_eq!(stats.endpoint("GET /oauth/authorize").requests, 1);
}

#[test]
fn a_code_works_once() {
    let sim = start();
    let code = authorize(&sim, "s");
    tokens(&sim, &exchange(&sim, &code));
    assert_oauth_error(
        &exchange(&sim, &code),
        400,
        "invalid_grant",
        "Invalid grant: authorization_code is invalid",
    );
    assert_oauth_error(
        &exchange(&sim, "made-up"),
        400,
        "invalid_grant",
        "Invalid grant: authorization_code is invalid",
    );
}

#[test]
fn codes_expire_after_their_lifetime() {
    let sim = start();
    let lifetime = Duration::from_secs(settings().code_lifetime_secs);
    let on_time = authorize(&sim, "a");
    sim.advance_clock(lifetime - Duration::from_secs(1));
    tokens(&sim, &exchange(&sim, &on_time));

    let late = authorize(&sim, "b");
    sim.advance_clock(lifetime);
    assert_oauth_error(
        &exchange(&sim, &late),
        400,
        "invalid_grant",
        "Invalid grant: authorization_code has expired",
    );
}

#[test]
fn the_redirect_uri_must_match_the_registration() {
    let sim = start();
    let elsewhere = req("GET", &authorize_target("http://127.0.0.1:9/other", "s"))
        .send(sim.port())
        .answer();
    assert!(elsewhere.header("location").is_none(), "never redirected");
    assert_oauth_error(
        &elsewhere,
        400,
        "invalid_request",
        "Invalid request: redirect_uri is invalid",
    );
    let code = authorize(&sim, "s");
    let wrong = token_request(
        &sim,
        SECRET,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", "http://127.0.0.1:9/other"),
        ],
    );
    assert_oauth_error(
        &wrong,
        400,
        "invalid_request",
        "Invalid request: redirect_uri is invalid",
    );
    let missing = token_request(
        &sim,
        SECRET,
        &[("grant_type", "authorization_code"), ("code", &code)],
    );
    assert_oauth_error(
        &missing,
        400,
        "invalid_request",
        "Invalid request: redirect_uri is not a valid URI",
    );
    // The code survived the failed attempts.
    tokens(&sim, &exchange(&sim, &code));
}

#[test]
fn a_declined_consent_redirects_with_an_error() {
    let sim = start();
    sim.set_oauth_consent(OAuthConsent::Deny);
    let answer = req("GET", &authorize_target(REDIRECT, "st"))
        .send(sim.port())
        .answer();
    assert_eq!(answer.status, 302);
    let location = answer.header("location").unwrap();
    assert_eq!(
        query_param(location, "error").as_deref(),
        Some("access_denied")
    );
    assert_eq!(query_param(location, "state").as_deref(), Some("st"));
    assert_eq!(query_param(location, "code"), None);
}

#[test]
fn refresh_tokens_rotate() {
    let sim = start();
    let (first_access, first_refresh) = tokens(&sim, &exchange(&sim, &authorize(&sim, "s")));
    let (second_access, second_refresh) = tokens(&sim, &refresh(&sim, &first_refresh));
    assert_ne!(second_refresh, first_refresh);
    assert_ne!(second_access, first_access);
    // The used refresh token is dead; the new one works (once).
    assert_oauth_error(
        &refresh(&sim, &first_refresh),
        400,
        "invalid_grant",
        "Invalid grant: refresh_token is invalid",
    );
    let (third_access, _) = tokens(&sim, &refresh(&sim, &second_refresh));
    assert_oauth_error(
        &refresh(&sim, &second_refresh),
        400,
        "invalid_grant",
        "Invalid grant: refresh_token is invalid",
    );
    let answer = req("GET", "/api/v2/pipelines")
        .bearer(&third_access)
        .send(sim.port())
        .answer();
    assert_eq!(answer.status, 200);
}

#[test]
fn revoked_refresh_tokens_are_refused() {
    let sim = start();
    let issued = sim
        .issue_oauth_tokens(CLIENT_ID)
        .expect("registered client");
    assert!(sim.revoke_refresh_token(&issued.refresh_token));
    assert_oauth_error(
        &refresh(&sim, &issued.refresh_token),
        400,
        "invalid_grant",
        "Invalid grant: refresh_token is invalid",
    );
    assert!(sim.issue_oauth_tokens("unknown-app").is_none());
}

#[test]
fn client_authentication_and_request_errors() {
    let sim = start();
    let code = authorize(&sim, "s");
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT),
    ];
    let wrong_secret = token_request(&sim, "not-the-secret", &form);
    assert_oauth_error(
        &wrong_secret,
        401,
        "invalid_client",
        "Invalid client: client is invalid",
    );
    assert!(wrong_secret
        .header("www-authenticate")
        .is_some_and(|v| v.starts_with("Basic")));

    let anonymous = req("POST", "/oauth/token")
        .form(&form)
        .send(sim.port())
        .answer();
    assert_oauth_error(
        &anonymous,
        400,
        "invalid_client",
        "Invalid client: cannot retrieve client credentials",
    );

    let json_body = req("POST", "/oauth/token")
        .header("Authorization", &basic(CLIENT_ID, SECRET))
        .header("Content-Type", "application/json")
        .body(br#"{"grant_type":"authorization_code"}"#)
        .send(sim.port())
        .answer();
    assert_oauth_error(
        &json_body,
        400,
        "invalid_request",
        "Invalid request: content must be application/x-www-form-urlencoded",
    );
    assert_oauth_error(
        &token_request(&sim, SECRET, &[("code", &code)]),
        400,
        "invalid_request",
        "Missing parameter: grant_type",
    );
    assert_oauth_error(
        &token_request(&sim, SECRET, &[("grant_type", "password")]),
        400,
        "unsupported_grant_type",
        "Unsupported grant type: grant_type is invalid",
    );
    // None of it used the code up.
    tokens(&sim, &exchange(&sim, &code));
}

#[test]
fn the_api_token_can_be_exchanged() {
    let sim = start();
    let answer = token_request(
        &sim,
        SECRET,
        &[("grant_type", "exchange_api_token"), ("api_token", TOKEN)],
    );
    let (access, _) = tokens(&sim, &answer);
    let deals = req("GET", "/api/v2/deals").bearer(&access).send(sim.port());
    assert_eq!(deals.answer().status, 200);
    assert_oauth_error(
        &token_request(
            &sim,
            SECRET,
            &[("grant_type", "exchange_api_token"), ("api_token", "wrong")],
        ),
        400,
        "invalid_grant",
        "Invalid grant: api_token is invalid",
    );
}

#[test]
fn access_tokens_expire() {
    let sim = start();
    let (access, refresh_token) = tokens(&sim, &exchange(&sim, &authorize(&sim, "s")));
    let lifetime = Duration::from_secs(settings().access_token_lifetime_secs);
    sim.advance_clock(lifetime - Duration::from_secs(1));
    let fresh = req("GET", "/api/v2/deals").bearer(&access).send(sim.port());
    assert_eq!(fresh.answer().status, 200);

    sim.advance_clock(Duration::from_secs(1));
    let v2 = req("GET", "/api/v2/deals")
        .bearer(&access)
        .send(sim.port())
        .answer();
    assert_eq!(v2.status, 401);
    let body = v2.json();
    assert_eq!(body["success"], false);
    assert_eq!(body["error"], "Invalid token: access token has expired");
    assert_eq!(body["data"], serde_json::Value::Null);
    // v1 keeps its own 401 shape.
    let v1 = req("GET", "/api/v1/users/me")
        .bearer(&access)
        .send(sim.port())
        .answer();
    assert_eq!(v1.status, 401);
    assert_eq!(
        v1.json(),
        serde_json::json!({"success": false, "error": "Invalid token: access token has expired", "errorCode": 401})
    );

    // The refresh token outlives it.
    let (renewed, _) = tokens(&sim, &refresh(&sim, &refresh_token));
    let again = req("GET", "/api/v2/deals")
        .bearer(&renewed)
        .send(sim.port());
    assert_eq!(again.answer().status, 200);
    // And expiring on demand works like the clock.
    sim.expire_access_tokens();
    let expired = req("GET", "/api/v2/deals")
        .bearer(&renewed)
        .send(sim.port())
        .answer();
    assert_eq!(
        expired.json()["error"],
        "Invalid token: access token has expired"
    );
}

#[test]
fn unknown_and_malformed_bearer_tokens() {
    let sim = start();
    let forged = req("GET", "/api/v2/deals")
        .bearer("v1u:forged")
        .send(sim.port())
        .answer();
    assert_eq!(forged.status, 401);
    assert_eq!(
        forged.json()["error"],
        "Invalid token: access token is invalid"
    );
    // A bad bearer token is not rescued by a good API token.
    let both = req("GET", "/api/v2/deals")
        .bearer("v1u:forged")
        .api_token()
        .send(sim.port())
        .answer();
    assert_eq!(both.status, 401);
    let empty = req("GET", "/api/v2/deals")
        .header("Authorization", "Bearer ")
        .send(sim.port())
        .answer();
    assert_eq!(empty.status, 400);
    assert_eq!(
        empty.json()["error"],
        "Invalid request: malformed authorization header"
    );
}

#[test]
fn the_binary_serves_the_flow_from_its_flags() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    struct Child(std::process::Child);
    impl Drop for Child {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut child = Child(
        Command::new(env!("CARGO_BIN_EXE_pipedrive-sim"))
            .args([
                "--port",
                "0",
                "--oauth-client-id",
                CLIENT_ID,
                "--oauth-client-secret",
                SECRET,
                "--oauth-redirect-uri",
                REDIRECT,
                "--access-token-lifetime",
                "120",
            ])
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn pipedrive-sim"),
    );
    let mut line = String::new();
    BufReader::new(child.0.stderr.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port: u16 = line
        .split("http://127.0.0.1:")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no base URL in {line:?}"));
    let redirect = req("GET", &authorize_target(REDIRECT, "cli"))
        .send(port)
        .answer();
    let code = query_param(redirect.header("location").unwrap(), "code").unwrap();
    let answer = req("POST", "/oauth/token")
        .header("Authorization", &basic(CLIENT_ID, SECRET))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
        ])
        .send(port)
        .answer();
    assert_eq!(answer.status, 200, "{}", answer.text());
    let body = answer.json();
    assert_eq!(body["expires_in"], 120);
    assert_eq!(body["api_domain"], format!("http://127.0.0.1:{port}"));
    let access = body["access_token"].as_str().unwrap();
    let me = req("GET", "/v1/users/me")
        .bearer(access)
        .send(port)
        .answer();
    assert_eq!(me.status, 200);
}
