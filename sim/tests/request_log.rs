//! The request log (`GET /__sim/requests`, `Simulator::requests`): what it
//! records, that credentials never appear in it, and resetting it; and the
//! per-endpoint token counters of `/__sim/stats`.

mod raw_http;

use pipedrive_sim::{AuthKind, OAuthClient, OAuthSettings, SimConfig, Simulator};
use raw_http::{basic, encode, query_param, req, TOKEN};
use serde_json::Value;

/// 2026-03-01T08:30:00.250Z.
const START_MS: i64 = 1_772_353_800_250;
const SECRET: &str = "client-secret-value";
const REDIRECT: &str = "http://127.0.0.1:9/cb";

fn start() -> Simulator {
    Simulator::start(SimConfig {
        deals: 25,
        clock_start_ms: Some(START_MS),
        oauth: OAuthSettings {
            clients: vec![OAuthClient::new("app", SECRET, REDIRECT)],
            ..OAuthSettings::default()
        },
        ..SimConfig::default()
    })
    .expect("simulator starts")
}

fn log_over_http(sim: &Simulator, query: &str) -> Value {
    let answer = req("GET", &format!("/__sim/requests{query}"))
        .send(sim.port())
        .answer();
    assert_eq!(answer.status, 200);
    answer.json()
}

#[test]
fn records_each_request_without_its_credentials() {
    let sim = start();
    // An API token in the header, one in the v1 query, an OAuth code flow
    // and a bearer call.
    req("GET", "/api/v2/deals?limit=3&sort_by=id")
        .api_token()
        .send(sim.port())
        .answer();
    req("GET", &format!("/v1/users/me?api_token={TOKEN}"))
        .send(sim.port())
        .answer();
    req("GET", "/api/v2/deals").send(sim.port()).answer();
    let redirect = req(
        "GET",
        &format!(
            "/oauth/authorize?client_id=app&redirect_uri={}&state=s1",
            encode(REDIRECT)
        ),
    )
    .send(sim.port())
    .answer();
    let code = query_param(redirect.header("location").unwrap(), "code").unwrap();
    let tokens = req("POST", "/oauth/token")
        .header("Authorization", &basic("app", SECRET))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
        ])
        .send(sim.port())
        .answer()
        .json();
    let access = tokens["access_token"].as_str().unwrap().to_string();
    let refresh = tokens["refresh_token"].as_str().unwrap().to_string();
    req("GET", "/api/v2/deals/4")
        .bearer(&access)
        .send(sim.port())
        .answer();

    let logged = sim.requests();
    let summary: Vec<(u64, &str, &str, Option<u16>, AuthKind)> = logged
        .iter()
        .map(|e| (e.seq, e.method.as_str(), e.path.as_str(), e.status, e.auth))
        .collect();
    assert_eq!(
        summary,
        [
            (1, "GET", "/api/v2/deals", Some(200), AuthKind::ApiToken),
            (2, "GET", "/v1/users/me", Some(200), AuthKind::ApiToken),
            (3, "GET", "/api/v2/deals", Some(401), AuthKind::None),
            (4, "GET", "/oauth/authorize", Some(302), AuthKind::None),
            (
                5,
                "POST",
                "/oauth/token",
                Some(200),
                AuthKind::ClientCredentials
            ),
            (6, "GET", "/api/v2/deals/4", Some(200), AuthKind::OAuth),
        ]
    );
    assert_eq!(logged[0].query, "limit=3&sort_by=id");
    assert_eq!(logged[1].query, "api_token=***");
    assert_eq!(logged[0].endpoint.as_deref(), Some("GET /api/v2/deals"));
    assert_eq!(logged[1].endpoint.as_deref(), Some("GET /api/v1/users/me"));
    assert_eq!(
        logged[5].endpoint.as_deref(),
        Some("GET /api/v2/deals/{id}")
    );
    // Token costs: x-token-cost of GET /deals (v2) 10, GET /users/me (v1)
    // 2, GET /deals/{id} (v2) 1; refused and OAuth requests cost nothing.
    let charged: Vec<u32> = logged.iter().map(|e| e.tokens).collect();
    assert_eq!(charged, [10, 2, 0, 0, 0, 1]);
    assert!(logged.iter().all(|e| e.time_ms == START_MS));

    // Over HTTP: the same entries, and no secret anywhere in them.
    let over_http = log_over_http(&sim, "");
    let entries = over_http["requests"].as_array().unwrap();
    assert_eq!(entries.len(), logged.len());
    assert_eq!(entries[0]["time"], "2026-03-01T08:30:00.250Z");
    assert_eq!(entries[0]["tokens"], 10);
    assert_eq!(entries[5]["auth"], "oauth");
    assert_eq!(entries[2]["status"], 401);
    let text = over_http.to_string();
    for secret in [TOKEN, SECRET, &code, &access, &refresh] {
        assert!(!text.contains(secret), "{secret} leaked into the log");
    }
    assert_eq!(
        entries,
        &logged.iter().map(|e| e.to_json()).collect::<Vec<_>>()
    );
}

#[test]
fn since_reset_and_capacity() {
    let sim = start();
    for _ in 0..3 {
        req("GET", "/api/v2/pipelines")
            .api_token()
            .send(sim.port())
            .answer();
    }
    let later = log_over_http(&sim, "?since=2");
    assert_eq!(later["requests"].as_array().unwrap().len(), 1);
    assert_eq!(later["requests"][0]["seq"], 3);
    assert_eq!(sim.requests_since(1).len(), 2);
    // Introspection is not logged.
    assert_eq!(sim.requests().len(), 3);

    let reset = req("POST", "/__sim/reset").send(sim.port()).answer();
    assert_eq!(reset.status, 200);
    assert!(sim.requests().is_empty());
    assert_eq!(sim.stats().total_requests, 0);
    req("GET", "/api/v2/stages")
        .api_token()
        .send(sim.port())
        .answer();
    assert_eq!(sim.requests()[0].seq, 1, "numbering restarts");

    let small = Simulator::start(SimConfig {
        request_log_capacity: 2,
        ..SimConfig::default()
    })
    .unwrap();
    for path in ["/api/v2/deals", "/api/v2/persons", "/api/v2/stages"] {
        req("GET", path).api_token().send(small.port()).answer();
    }
    let kept = log_over_http(&small, "");
    assert_eq!(kept["dropped"], 1);
    let paths: Vec<&str> = kept["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["/api/v2/persons", "/api/v2/stages"]);
}

#[test]
fn stats_count_tokens_per_endpoint() {
    let sim = start();
    for limit in [1, 2, 3] {
        req("GET", &format!("/api/v2/deals?limit={limit}"))
            .api_token()
            .send(sim.port())
            .answer();
    }
    req("GET", "/api/v2/stages")
        .api_token()
        .send(sim.port())
        .answer();
    req("GET", "/api/v2/nowhere")
        .api_token()
        .send(sim.port())
        .answer();
    let stats = sim.stats();
    // x-token-cost: GET /deals 10, GET /stages 5 (v2.yaml); an unknown v2
    // path is priced as a v2 list (10).
    assert_eq!(stats.endpoint("GET /api/v2/deals").tokens, 30);
    assert_eq!(stats.endpoint("GET /api/v2/stages").tokens, 5);
    assert_eq!(stats.total_tokens, 45);
    let over_http = req("GET", "/__sim/stats").send(sim.port()).answer().json();
    assert_eq!(over_http["endpoints"]["GET /api/v2/deals"]["tokens"], 30);
    assert_eq!(over_http["total_tokens"], 45);
    assert_eq!(sim.tokens_spent_today(), 45);
}
