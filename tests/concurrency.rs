//! Many connections and statements on many threads at once, as SSIS data
//! flows and Power BI refreshes use the driver: every thread must see
//! complete, correct results, and per-connection caches (field metadata)
//! must be filled once per connection, not raced or shared wrongly. The
//! soak test runs 32 threads of connect, query, fetch, disconnect for
//! `SOAK_SECONDS` (default 120).

mod common;

use odbc_api::{Cursor, Environment};
use pipedrive_odbc::ffi::connect::*;
use pipedrive_odbc::ffi::diagnostics::SQLGetDiagRec;
use pipedrive_odbc::ffi::environment::*;
use pipedrive_odbc::ffi::fetch::*;
use pipedrive_odbc::ffi::statement::*;
use pipedrive_odbc::ffi::{
    Handle, SQL_HANDLE_DBC, SQL_HANDLE_ENV, SQL_HANDLE_STMT, SQL_NO_DATA, SQL_SUCCESS,
};
use std::collections::BTreeMap;
use std::ptr::null_mut;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

const THREADS: usize = 8;
const ROUNDS: usize = 3;

/// What a thread computes: the deal ids of a full scan (sorted), the count
/// per owner, and the number of deals whose stage exists.
#[derive(Debug, PartialEq)]
struct Answers {
    ids: Vec<i64>,
    per_owner: BTreeMap<i64, i64>,
    with_stage: i64,
}

fn single_i64(conn: &odbc_api::Connection<'_>, sql: &str) -> i64 {
    let mut cursor = conn
        .execute(sql, (), None)
        .expect("executes")
        .expect("a result set");
    let mut row = cursor.next_row().expect("fetches").expect("one row");
    let mut value: i64 = 0;
    row.get_data(1, &mut value).expect("reads an integer");
    value
}

fn answers_over_one_connection(env: &Environment, sim: &pipedrive_sim::Simulator) -> Answers {
    let conn = common::connect(env, sim);
    let mut ids = Vec::new();
    let mut cursor = conn
        .execute("SELECT Id FROM Deals", (), None)
        .unwrap()
        .unwrap();
    while let Some(mut row) = cursor.next_row().unwrap() {
        let mut id: i64 = 0;
        row.get_data(1, &mut id).unwrap();
        ids.push(id);
    }
    drop(cursor);
    ids.sort_unstable();

    let mut per_owner = BTreeMap::new();
    let mut cursor = conn
        .execute(
            "SELECT OwnerId, COUNT(*) FROM Deals WHERE OwnerId IS NOT NULL GROUP BY OwnerId",
            (),
            None,
        )
        .unwrap()
        .unwrap();
    while let Some(mut row) = cursor.next_row().unwrap() {
        let (mut owner, mut count): (i64, i64) = (0, 0);
        row.get_data(1, &mut owner).unwrap();
        row.get_data(2, &mut count).unwrap();
        per_owner.insert(owner, count);
    }
    drop(cursor);
    // Pushed down per owner as well, on the same connection.
    for (owner, count) in &per_owner {
        let pushed = single_i64(
            &conn,
            &format!("SELECT COUNT(*) FROM Deals WHERE OwnerId = {owner}"),
        );
        assert_eq!(
            pushed, *count,
            "owner {owner}: pushed filter disagrees with GROUP BY"
        );
    }
    let with_stage = single_i64(
        &conn,
        "SELECT COUNT(*) FROM Deals d JOIN Stages s ON s.Id = d.StageId",
    );
    // SELECT * reads the custom-field definitions (once per connection).
    let mut cursor = conn
        .execute("SELECT * FROM Deals LIMIT 3", (), None)
        .unwrap()
        .unwrap();
    while cursor.next_row().unwrap().is_some() {}
    Answers {
        ids,
        per_owner,
        with_stage,
    }
}

fn expected_answers(sim: &pipedrive_sim::Simulator) -> Answers {
    let listed: Vec<_> = sim
        .dataset()
        .deals()
        .filter(|d| d.get("status").and_then(|s| s.as_str()) != Some("deleted"))
        .collect();
    let mut ids: Vec<i64> = listed
        .iter()
        .filter_map(|d| d.get("id")?.as_i64())
        .collect();
    ids.sort_unstable();
    let mut per_owner = BTreeMap::new();
    for owner in listed.iter().filter_map(|d| d.get("owner_id")?.as_i64()) {
        *per_owner.entry(owner).or_insert(0) += 1;
    }
    // The Stages table lists the stages that are not deleted.
    let stages: std::collections::HashSet<i64> = sim
        .dataset()
        .stages()
        .iter()
        .filter(|s| s.get("is_deleted").and_then(|d| d.as_bool()) != Some(true))
        .filter_map(|s| s.get("id")?.as_i64())
        .collect();
    let with_stage = listed
        .iter()
        .filter_map(|d| d.get("stage_id")?.as_i64())
        .filter(|s| stages.contains(s))
        .count() as i64;
    Answers {
        ids,
        per_owner,
        with_stage,
    }
}

#[test]
fn thirty_two_threads_connect_query_fetch_and_disconnect_in_a_loop() {
    const SOAK_THREADS: usize = 32;
    let seconds = std::env::var("SOAK_SECONDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(120);
    let sim = common::start_sim(900);
    let expected = expected_answers(&sim);
    let env = Environment::new().expect("ODBC environment");
    let loops = AtomicU64::new(0);
    let started = Instant::now();
    let until = started + Duration::from_secs(seconds);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..SOAK_THREADS)
            .map(|_| {
                scope.spawn(|| {
                    // At least one loop each, then until the time is up.
                    loop {
                        let answers = answers_over_one_connection(&env, &sim);
                        assert_eq!(answers, expected);
                        loops.fetch_add(1, Ordering::Relaxed);
                        if Instant::now() >= until {
                            break;
                        }
                    }
                })
            })
            .collect();
        for worker in workers {
            worker.join().expect("a soak thread failed");
        }
    });
    let loops = loops.into_inner();
    println!(
        "soak: {SOAK_THREADS} threads, {loops} connect-query-fetch-disconnect loops in {:.0} s, all correct",
        started.elapsed().as_secs_f64()
    );
    assert!(loops >= SOAK_THREADS as u64);
}

#[test]
fn parallel_connections_each_see_complete_results() {
    let sim = common::start_sim(2600);
    let expected = expected_answers(&sim);
    assert!(expected.ids.len() > 2000 && expected.per_owner.len() > 1);
    let env = Environment::new().expect("ODBC environment");
    sim.reset_requests();
    let results: Vec<Answers> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..THREADS)
            .map(|_| {
                scope.spawn(|| {
                    (0..ROUNDS)
                        .map(|_| answers_over_one_connection(&env, &sim))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("worker thread"))
            .collect()
    });
    assert_eq!(results.len(), THREADS * ROUNDS);
    for answers in &results {
        assert_eq!(answers, &expected);
    }
    // Each connection read the deal fields once, however many statements
    // used them.
    let field_reads = sim
        .requests()
        .iter()
        .filter(|r| r.method == "GET" && r.path.ends_with("/dealFields"))
        .count();
    assert_eq!(
        field_reads,
        THREADS * ROUNDS,
        "one dealFields read per connection"
    );
}

/// A handle moved between threads; ODBC handles are thread-safe by the
/// specification's rules, which is what is being tested.
#[derive(Clone, Copy)]
struct Shared(usize);

impl Shared {
    fn handle(self) -> Handle {
        self.0 as Handle
    }
}

/// The first diagnostic of a statement, for failure messages.
fn statement_diagnostic(stmt: Handle) -> String {
    let mut state = [0u8; 6];
    let mut message = [0u8; 512];
    let (mut native, mut length) = (0i32, 0i16);
    unsafe {
        SQLGetDiagRec(
            SQL_HANDLE_STMT,
            stmt,
            1,
            state.as_mut_ptr(),
            &mut native,
            message.as_mut_ptr(),
            message.len() as i16,
            &mut length,
        );
    }
    let length = (length.max(0) as usize).min(message.len());
    format!(
        "[{}] {}",
        String::from_utf8_lossy(&state[..5]),
        String::from_utf8_lossy(&message[..length])
    )
}

fn exec_and_count(stmt: Handle, sql: &str) -> (i64, u64) {
    unsafe {
        let rc = SQLExecDirect(stmt, sql.as_ptr(), sql.len() as i32);
        assert_eq!(rc, SQL_SUCCESS, "{sql}: {}", statement_diagnostic(stmt));
        let (mut rows, mut sum) = (0u64, 0i64);
        loop {
            match SQLFetch(stmt) {
                SQL_NO_DATA => break,
                SQL_SUCCESS => {}
                other => panic!("SQLFetch returned {other}"),
            }
            let mut value: i64 = 0;
            let mut indicator: isize = 0;
            let rc = SQLGetData(
                stmt,
                1,
                -25,
                (&mut value as *mut i64).cast(),
                8,
                &mut indicator,
            );
            assert_eq!(rc, SQL_SUCCESS);
            sum += value;
            rows += 1;
        }
        assert_eq!(SQLFreeStmt(stmt, 0), SQL_SUCCESS); // SQL_CLOSE
        (sum, rows)
    }
}

#[test]
fn statements_of_one_connection_run_on_many_threads_at_once() {
    let sim = common::start_sim(1200);
    let ids = common::listed_deal_ids(&sim);
    let expected = (ids.iter().sum::<i64>(), ids.len() as u64);
    unsafe {
        let mut env: Handle = null_mut();
        assert_eq!(
            SQLAllocHandle(SQL_HANDLE_ENV, null_mut(), &mut env),
            SQL_SUCCESS
        );
        assert_eq!(SQLSetEnvAttr(env, 200, 3 as Handle, 0), SQL_SUCCESS);
        let mut dbc: Handle = null_mut();
        assert_eq!(SQLAllocHandle(SQL_HANDLE_DBC, env, &mut dbc), SQL_SUCCESS);
        let connection = format!(
            "APIToken={};APIBaseURL={};Timeout=20",
            common::TOKEN,
            sim.base_url()
        );
        let rc = SQLDriverConnect(
            dbc,
            null_mut(),
            connection.as_ptr(),
            connection.len() as i16,
            null_mut(),
            0,
            null_mut(),
            0,
        );
        assert_eq!(rc, SQL_SUCCESS);
        let shared_dbc = Shared(dbc as usize);
        std::thread::scope(|scope| {
            for _ in 0..THREADS {
                scope.spawn(move || {
                    for _ in 0..ROUNDS {
                        // Allocating and freeing statements races with the
                        // other threads' use of the same connection.
                        let mut stmt: Handle = null_mut();
                        assert_eq!(
                            SQLAllocHandle(SQL_HANDLE_STMT, shared_dbc.handle(), &mut stmt),
                            SQL_SUCCESS
                        );
                        assert_eq!(exec_and_count(stmt, "SELECT Id FROM Deals"), expected);
                        assert_eq!(SQLFreeHandle(SQL_HANDLE_STMT, stmt), SQL_SUCCESS);
                    }
                });
            }
        });
        assert_eq!(SQLDisconnect(dbc), SQL_SUCCESS);
        assert_eq!(SQLFreeHandle(SQL_HANDLE_DBC, dbc), SQL_SUCCESS);
        assert_eq!(SQLFreeHandle(SQL_HANDLE_ENV, env), SQL_SUCCESS);
    }
}
