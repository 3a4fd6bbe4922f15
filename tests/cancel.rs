//! SQLCancel from another thread and SQL_ATTR_QUERY_TIMEOUT, through
//! unixODBC: a statement waiting for a slow page stops with HY008 or HYT00
//! while the page is still arriving (the simulator trickles it for many
//! minutes and `Timeout` is longer still), the statement is usable
//! afterwards, and SQLCancel with nothing running changes nothing.

mod common;

use common::sql_state;

use odbc_api::handles::{AsStatementRef, Statement};
use odbc_api::{Connection, ConnectionOptions, Cursor, Environment};
use pipedrive_sim::{FaultKind, FaultRule, Faults, Simulator};
use std::time::{Duration, Instant};

/// A page of deals then takes minutes to arrive.
const TRICKLE: FaultKind = FaultKind::SlowBody { bytes_per_sec: 200 };

fn trickle_page(sim: &Simulator, nth: u64) {
    sim.set_faults(Faults {
        seed: 1,
        rules: vec![FaultRule::new(TRICKLE)
            .path_prefix("/api/v2/deals")
            .nth(nth)],
    })
    .expect("valid faults");
}

/// A connection whose whole-request Timeout is far longer than any test:
/// only a cancel or the query timeout can end a trickling request early.
fn connect<'e>(env: &'e Environment, sim: &Simulator) -> Connection<'e> {
    env.connect_with_connection_string(
        &format!(
            "{};Timeout=900;RetryCount=0",
            common::connection_string(sim)
        ),
        ConnectionOptions::default(),
    )
    .expect("connects")
}

/// Deal list requests the simulator has started answering.
fn deal_lists_started(sim: &Simulator) -> usize {
    sim.requests()
        .iter()
        .filter(|r| r.path == "/api/v2/deals")
        .count()
}

/// Waits until the simulator is sending the `n`th deal list (so a request
/// is in flight), then cancels `stmt` from this thread.
fn cancel_once_page_is_in_flight(sim: &Simulator, n: usize, stmt: usize) {
    let give_up = Instant::now() + Duration::from_secs(60);
    while deal_lists_started(sim) < n {
        assert!(
            Instant::now() < give_up,
            "the request never reached the simulator"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    // SAFETY: the handle stays allocated until the scope ends; SQLCancel
    // is the one call ODBC lets another thread make on a busy statement.
    let rc =
        unsafe { odbc_api::sys::SQLCancel(odbc_api::sys::HStmt(stmt as *mut std::ffi::c_void)) };
    assert_eq!(rc, odbc_api::sys::SqlReturn::SUCCESS);
}

fn count_rows(mut cursor: impl Cursor) -> usize {
    let mut rows = 0;
    while cursor.next_row().expect("fetches").is_some() {
        rows += 1;
    }
    rows
}

fn all_ids(conn: &Connection<'_>) -> Vec<i64> {
    let mut cursor = conn
        .execute("SELECT Id FROM Deals", (), None)
        .expect("executes")
        .expect("a result set");
    let mut ids = Vec::new();
    while let Some(mut row) = cursor.next_row().expect("fetches") {
        let mut id = 0i64;
        row.get_data(1, &mut id).expect("an id");
        ids.push(id);
    }
    ids
}

#[test]
fn sqlcancel_stops_an_execute_waiting_for_its_first_page() {
    let sim = common::start_sim(120);
    let env = Environment::new().unwrap();
    let conn = connect(&env, &sim);
    sim.reset_requests();
    trickle_page(&sim, 1);
    let mut stmt = conn.preallocate().unwrap();
    let raw = stmt.as_stmt_ref().as_sys().0 as usize;
    let result = std::thread::scope(|scope| {
        scope.spawn(|| cancel_once_page_is_in_flight(&sim, 1, raw));
        stmt.execute("SELECT * FROM Deals", ()).map(|c| c.is_some())
    });
    let err = result.expect_err("canceled");
    assert_eq!(sql_state(&err), "HY008", "{err}");

    // The same statement runs the query again, complete.
    sim.clear_faults();
    let cursor = stmt
        .execute("SELECT Id FROM Deals", ())
        .unwrap()
        .expect("a result set");
    assert_eq!(count_rows(cursor), common::listed_deal_ids(&sim).len());
}

#[test]
fn sqlcancel_stops_a_fetch_waiting_for_a_later_page() {
    let sim = common::start_sim(1200);
    let env = Environment::new().unwrap();
    let conn = connect(&env, &sim);
    sim.reset_requests();
    trickle_page(&sim, 2);
    let mut prepared = conn.prepare("SELECT Id FROM Deals").unwrap();
    let raw = prepared.as_stmt_ref().as_sys().0 as usize;
    let mut cursor = prepared.execute(()).unwrap().expect("a result set");
    let (fetched, outcome) = std::thread::scope(|scope| {
        scope.spawn(|| cancel_once_page_is_in_flight(&sim, 2, raw));
        let mut fetched = 0;
        loop {
            match cursor.next_row() {
                Ok(Some(_)) => fetched += 1,
                Ok(None) => return (fetched, Ok(())),
                Err(e) => return (fetched, Err(e)),
            }
        }
    });
    let err = outcome.expect_err("canceled");
    assert_eq!(sql_state(&err), "HY008", "{err}");
    assert_eq!(fetched, 500, "the first page, then the cancel");
    // unixODBC counts the cursor closed after a successful SQLCancel (and
    // would refuse SQLCloseCursor), so the cursor is let go without it.
    let _ = cursor.into_stmt();

    // The prepared statement executes again (SQLExecute), complete.
    sim.clear_faults();
    let cursor = prepared.execute(()).unwrap().expect("a result set");
    assert_eq!(count_rows(cursor), common::listed_deal_ids(&sim).len());
}

#[test]
fn the_query_timeout_stops_a_statement_waiting_for_a_page() {
    let sim = common::start_sim(120);
    let env = Environment::new().unwrap();
    let conn = connect(&env, &sim);
    trickle_page(&sim, 1);
    let err = conn
        .execute("SELECT * FROM Deals", (), Some(1))
        .map(|c| c.is_some())
        .expect_err("timed out");
    assert_eq!(sql_state(&err), "HYT00", "{err}");
    assert!(err.to_string().contains("SQL_ATTR_QUERY_TIMEOUT"), "{err}");
    // Without a query timeout the connection is fine.
    sim.clear_faults();
    assert_eq!(all_ids(&conn).len(), common::listed_deal_ids(&sim).len());
}

#[test]
fn sqlcancel_with_nothing_running_changes_nothing() {
    let sim = common::start_sim(700);
    let env = Environment::new().unwrap();
    let conn = connect(&env, &sim);
    let mut stmt = conn.preallocate().unwrap();
    let raw = stmt.as_stmt_ref().as_sys();
    let cancel = || unsafe { odbc_api::sys::SQLCancel(raw) };
    assert_eq!(cancel(), odbc_api::sys::SqlReturn::SUCCESS);
    let mut cursor = stmt
        .execute("SELECT Id FROM Deals", ())
        .unwrap()
        .expect("a result set");
    let mut ids = Vec::new();
    while let Some(mut row) = cursor.next_row().unwrap() {
        let mut id = 0i64;
        row.get_data(1, &mut id).unwrap();
        ids.push(id);
    }
    let mut expected = common::listed_deal_ids(&sim);
    expected.sort_unstable();
    ids.sort_unstable();
    assert_eq!(ids, expected, "a cancel between calls is no cancel");
}

#[test]
fn after_sqlcancel_between_fetches_the_statement_executes_again() {
    let sim = common::start_sim(700);
    let env = Environment::new().unwrap();
    let conn = connect(&env, &sim);
    let mut prepared = conn.prepare("SELECT Id FROM Deals").unwrap();
    let raw = prepared.as_stmt_ref().as_sys();
    let mut cursor = prepared.execute(()).unwrap().expect("a result set");
    assert!(cursor.next_row().unwrap().is_some());
    // Nothing runs: ODBC 3 says no effect, but unixODBC closes the cursor
    // in its state machine and lets the next SQLExecute through.
    let rc = unsafe { odbc_api::sys::SQLCancel(raw) };
    assert_eq!(rc, odbc_api::sys::SqlReturn::SUCCESS);
    let _ = cursor.into_stmt();
    let cursor = prepared.execute(()).unwrap().expect("a result set");
    assert_eq!(count_rows(cursor), common::listed_deal_ids(&sim).len());
}

#[test]
fn sqlcancel_stops_getoauthaccesstoken_waiting_for_the_browser() {
    // A "browser" that opens nothing: the consent never arrives.
    std::env::set_var("PIPEDRIVE_ODBC_BROWSER", "true");
    let callback = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!(
            "http://127.0.0.1:{}/callback",
            probe.local_addr().unwrap().port()
        )
    };
    let sim = Simulator::start(pipedrive_sim::SimConfig {
        token: common::TOKEN.to_string(),
        deals: 10,
        oauth: pipedrive_sim::OAuthSettings {
            clients: vec![pipedrive_sim::OAuthClient::new(
                "app", "secret-1", &callback,
            )],
            ..pipedrive_sim::OAuthSettings::default()
        },
        ..pipedrive_sim::SimConfig::default()
    })
    .expect("simulator starts");
    let env = Environment::new().unwrap();
    // Only the app's settings: a connection that is not authorized yet.
    let conn = env
        .connect_with_connection_string(
            &format!(
                "Driver={};AuthScheme=OAuth;InitiateOAuth=OFF;OAuthClientId=app;OAuthClientSecret=secret-1;\
                 CallbackURL={callback};OAuthBaseURL={base};APIBaseURL={base}",
                common::driver_path().display(),
                base = sim.base_url()
            ),
            ConnectionOptions::default(),
        )
        .expect("opens unauthorized");
    let mut stmt = conn.preallocate().unwrap();
    let raw = stmt.as_stmt_ref().as_sys().0 as usize;
    let done = std::sync::atomic::AtomicBool::new(false);
    let result = std::thread::scope(|scope| {
        scope.spawn(|| {
            // Nothing to watch for (the browser does nothing), so cancel
            // until the call has ended; a cancel between calls does nothing.
            let give_up = Instant::now() + Duration::from_secs(60);
            while !done.load(std::sync::atomic::Ordering::SeqCst) && Instant::now() < give_up {
                let handle = odbc_api::sys::HStmt(raw as *mut std::ffi::c_void);
                let _ = unsafe { odbc_api::sys::SQLCancel(handle) };
                std::thread::sleep(Duration::from_millis(10));
            }
        });
        let result = stmt
            .execute("EXEC GetOAuthAccessToken AuthMode='APP'", ())
            .map(|c| c.is_some());
        done.store(true, std::sync::atomic::Ordering::SeqCst);
        result
    });
    let err = result.expect_err("canceled");
    assert_eq!(sql_state(&err), "HY008", "{err}");
    assert_eq!(sim.stats().endpoint("POST /oauth/token").requests, 0);
}
