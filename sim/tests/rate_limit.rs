//! Token-based rate limits over HTTP: the burst window per token, the
//! company's daily token budget, their headers and 429s. The simulator's
//! clock is frozen and moved by the tests, so nothing sleeps.

mod raw_http;

use pipedrive_sim::{OAuthClient, OAuthSettings, RateLimits, SimConfig, Simulator};
use raw_http::{req, Answer};
use std::time::Duration;

/// 2026-01-01T12:00:00Z: twelve hours before the budget resets.
const NOON_MS: i64 = 1_767_268_800_000;
/// `x-token-cost` of `GET /deals` in v2.yaml.
const DEALS_LIST_COST: u64 = 10;
/// `x-token-cost` of `GET /users/me` in v1.yaml.
const USERS_ME_COST: u64 = 2;

fn start(limits: RateLimits) -> Simulator {
    Simulator::start(SimConfig {
        deals: 20,
        rate_limits: limits,
        clock_start_ms: Some(NOON_MS),
        oauth: OAuthSettings {
            clients: vec![OAuthClient::new("app", "secret", "http://127.0.0.1:9/cb")],
            ..OAuthSettings::default()
        },
        ..SimConfig::default()
    })
    .expect("simulator starts")
}

fn deals(sim: &Simulator) -> Answer {
    req("GET", "/api/v2/deals?limit=1")
        .api_token()
        .send(sim.port())
        .answer()
}

fn header_u64(answer: &Answer, name: &str) -> u64 {
    answer
        .header(name)
        .unwrap_or_else(|| panic!("no {name} header"))
        .parse()
        .unwrap_or_else(|_| panic!("{name} is not a number"))
}

fn assert_refused(answer: &Answer) {
    assert_eq!(answer.status, 429, "{}", answer.text());
    let body = answer.json();
    assert_eq!(body["success"], false);
    assert!(body["error"]
        .as_str()
        .is_some_and(|e| e.starts_with("Request over limit")));
    assert!(answer.header("retry-after").is_some());
}

#[test]
fn off_by_default() {
    let sim = start(RateLimits::default());
    for _ in 0..50 {
        let answer = deals(&sim);
        assert_eq!(answer.status, 200);
        assert!(answer
            .headers
            .iter()
            .all(|(n, _)| !n.starts_with("x-ratelimit") && !n.starts_with("x-daily")));
    }
    // Tokens are still counted, at the spec's cost.
    assert_eq!(sim.tokens_spent_today(), 50 * DEALS_LIST_COST);
}

#[test]
fn the_burst_window_refuses_then_rolls_on() {
    let burst = 5;
    let sim = start(RateLimits {
        burst: Some(burst),
        ..RateLimits::default()
    });
    for i in 0..burst as u64 {
        let answer = deals(&sim);
        assert_eq!(answer.status, 200);
        assert_eq!(header_u64(&answer, "x-ratelimit-limit"), burst as u64);
        assert_eq!(
            header_u64(&answer, "x-ratelimit-remaining"),
            burst as u64 - 1 - i
        );
        assert_eq!(header_u64(&answer, "x-ratelimit-reset"), 2);
    }
    let refused = deals(&sim);
    assert_refused(&refused);
    assert_eq!(header_u64(&refused, "x-ratelimit-remaining"), 0);
    // All five went in at the same instant: the window frees in 2 s.
    assert_eq!(header_u64(&refused, "retry-after"), 2);

    // One second on, still full; once Retry-After has passed, room again.
    sim.advance_clock(Duration::from_secs(1));
    let still = deals(&sim);
    assert_refused(&still);
    let wait = header_u64(&still, "retry-after");
    assert_eq!(wait, 1);
    sim.advance_clock(Duration::from_secs(wait));
    let again = deals(&sim);
    assert_eq!(again.status, 200);
    assert_eq!(
        header_u64(&again, "x-ratelimit-remaining"),
        burst as u64 - 1
    );
    // Refused requests were not charged.
    assert_eq!(
        sim.tokens_spent_today(),
        (burst as u64 + 1) * DEALS_LIST_COST
    );
    assert_eq!(sim.stats().endpoint("GET /api/v2/deals").errors, 2);
}

#[test]
fn each_token_has_its_own_window_and_oauth_gets_four_times_more() {
    let sim = start(RateLimits {
        burst: Some(2),
        ..RateLimits::default()
    });
    assert_eq!(deals(&sim).status, 200);
    assert_eq!(deals(&sim).status, 200);
    assert_refused(&deals(&sim));
    let access = sim.issue_oauth_tokens("app").unwrap().access_token;
    for i in 0..8 {
        let answer = req("GET", "/api/v2/deals")
            .bearer(&access)
            .send(sim.port())
            .answer();
        assert_eq!(answer.status, 200, "request {i}");
        assert_eq!(header_u64(&answer, "x-ratelimit-limit"), 8);
    }
    assert_refused(
        &req("GET", "/api/v2/deals")
            .bearer(&access)
            .send(sim.port())
            .answer(),
    );
    // Unauthenticated requests are neither limited nor given headers.
    let anonymous = req("GET", "/api/v2/deals").send(sim.port()).answer();
    assert_eq!(anonymous.status, 401);
    assert!(anonymous.header("x-ratelimit-limit").is_none());
}

#[test]
fn the_daily_budget_runs_out_and_comes_back_at_midnight() {
    let budget = 25;
    let sim = start(RateLimits {
        daily_budget: Some(budget),
        ..RateLimits::default()
    });
    let mut spent = 0;
    // 10 + 10 + 10: the third request may still overdraw the last 5.
    while spent < budget {
        let answer = deals(&sim);
        assert_eq!(answer.status, 200);
        spent += DEALS_LIST_COST;
        assert_eq!(header_u64(&answer, "x-daily-ratelimit-token-limit"), budget);
        assert_eq!(
            header_u64(&answer, "x-daily-ratelimit-token-remaining"),
            budget.saturating_sub(spent)
        );
    }
    let refused = deals(&sim);
    assert_refused(&refused);
    assert_eq!(header_u64(&refused, "x-daily-ratelimit-token-remaining"), 0);
    // Everything is refused, cheap requests too, until UTC midnight.
    let me = req("GET", "/v1/users/me")
        .api_token()
        .send(sim.port())
        .answer();
    assert_refused(&me);
    let until_midnight = header_u64(&refused, "retry-after");
    assert_eq!(until_midnight, 12 * 3600);

    sim.advance_clock(Duration::from_secs(until_midnight - 1));
    assert_refused(&deals(&sim));
    sim.advance_clock(Duration::from_secs(1));
    let next_day = req("GET", "/v1/users/me")
        .api_token()
        .send(sim.port())
        .answer();
    assert_eq!(next_day.status, 200);
    assert_eq!(
        header_u64(&next_day, "x-daily-ratelimit-token-remaining"),
        budget - USERS_ME_COST
    );
}

#[test]
fn the_budget_is_shared_by_every_token() {
    let sim = start(RateLimits {
        daily_budget: Some(3 * DEALS_LIST_COST),
        ..RateLimits::default()
    });
    let access = sim.issue_oauth_tokens("app").unwrap().access_token;
    assert_eq!(deals(&sim).status, 200);
    let oauth = |sim: &Simulator| {
        req("GET", "/api/v2/deals")
            .bearer(&access)
            .send(sim.port())
            .answer()
    };
    assert_eq!(oauth(&sim).status, 200);
    assert_eq!(deals(&sim).status, 200);
    assert_refused(&oauth(&sim));
    assert_eq!(
        sim.stats().endpoint("GET /api/v2/deals").tokens,
        3 * DEALS_LIST_COST
    );
}

#[test]
fn limits_change_at_runtime() {
    let sim = start(RateLimits::default());
    assert!(sim
        .set_rate_limits(RateLimits {
            burst: Some(0),
            ..RateLimits::default()
        })
        .is_err());
    sim.set_rate_limits(RateLimits {
        burst: Some(1),
        ..RateLimits::default()
    })
    .unwrap();
    assert_eq!(deals(&sim).status, 200);
    assert_refused(&deals(&sim));
    sim.reset_rate_limits();
    assert_eq!(deals(&sim).status, 200);
}
