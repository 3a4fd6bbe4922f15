//! Pipedrive's rate limits through the driver: a scan paces itself by the
//! `x-ratelimit-*` headers instead of running into 429s, and a spent daily
//! budget is reported at once instead of retried.

mod common;

use odbc_api::{Cursor, Environment};
use pipedrive_sim::RateLimits;

fn count_rows(conn: &odbc_api::Connection<'_>, sql: &str) -> Result<usize, odbc_api::Error> {
    let mut cursor = conn.execute(sql, (), None)?.expect("a result set");
    let mut rows = 0;
    while cursor.next_row()?.is_some() {
        rows += 1;
    }
    Ok(rows)
}

#[test]
fn a_scan_paces_itself_under_the_burst_limit_without_429s() {
    let sim = common::start_sim(3600);
    let env = Environment::new().expect("ODBC environment");
    let conn = common::connect(&env, &sim);
    // 3 requests per 500 ms window: the scan's 8 pages need several windows.
    sim.set_rate_limits(RateLimits {
        burst: Some(3),
        window_ms: 500,
        ..RateLimits::default()
    })
    .expect("valid limits");
    sim.reset_requests();
    let rows = count_rows(&conn, "SELECT Id FROM Deals").expect("the scan completes");
    assert_eq!(rows, common::listed_deal_ids(&sim).len());
    let requests = sim.requests();
    let refused: Vec<_> = requests.iter().filter(|r| r.status == Some(429)).collect();
    assert!(
        refused.is_empty(),
        "the driver ran into the limit {} times out of {} requests",
        refused.len(),
        requests.len()
    );
    assert!(requests.len() >= 8, "{} requests", requests.len());
}

#[test]
fn a_spent_daily_budget_fails_at_once_without_retries() {
    let sim = common::start_sim(600);
    let env = Environment::new().expect("ODBC environment");
    let conn = common::connect(&env, &sim);
    let spent = sim.tokens_spent_today();
    sim.set_rate_limits(RateLimits {
        daily_budget: Some(spent),
        ..RateLimits::default()
    })
    .expect("valid limits");
    sim.reset_requests();
    let error = count_rows(&conn, "SELECT Id FROM Deals").expect_err("the budget is spent");
    let odbc_api::Error::Diagnostics { record, .. } = &error else {
        panic!("expected diagnostics, got {error:?}");
    };
    assert_eq!(String::from_utf8_lossy(&record.state.0), "HY000");
    assert_eq!(record.native_error, 429);
    let message = record.to_string();
    assert!(message.contains("daily API budget"), "{message}");
    // Refused once (the first request the statement makes), not retried
    // RetryCount times.
    let requests = sim.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    assert_eq!(requests[0].status, Some(429));
    // The next statement is refused without asking the API again.
    sim.reset_requests();
    assert!(count_rows(&conn, "SELECT Id FROM Deals").is_err());
    assert!(sim.requests().is_empty(), "{:?}", sim.requests().len());
}

#[test]
fn max_requests_per_second_caps_the_request_rate() {
    let sim = common::start_sim(2600);
    let env = Environment::new().expect("ODBC environment");
    let conn = env
        .connect_with_connection_string(
            &format!("{};MaxRequestsPerSecond=4", common::connection_string(&sim)),
            odbc_api::ConnectionOptions::default(),
        )
        .expect("connects");
    sim.reset_requests();
    count_rows(&conn, "SELECT Id FROM Deals").expect("the scan completes");
    let times: Vec<i64> = sim.requests().iter().map(|r| r.time_ms).collect();
    assert!(times.len() >= 6, "{} requests", times.len());
    // At most 4 per second: any 5 consecutive requests span at least 1 s
    // (less a little for the clocks' granularity).
    for window in times.windows(5) {
        assert!(
            window[4] - window[0] >= 990,
            "5 requests within {} ms",
            window[4] - window[0]
        );
    }
}
