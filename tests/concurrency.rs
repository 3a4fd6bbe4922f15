//! Many connections and statements on many threads at once, as SSIS data
//! flows and Power BI refreshes use the driver: every thread must see
//! complete, correct results, and per-connection caches (field metadata)
//! must be filled once per connection, not raced or shared wrongly. The
//! soak test runs 32 threads of connect, query, fetch, disconnect for
//! `SOAK_SECONDS` (default 120).
//!
//! Everything here goes through unixODBC: this file must not use the
//! driver crate, whose exported SQL* functions would otherwise be linked
//! into the test and take odbc-api's calls ahead of the driver manager
//! (statements sharing one connection: tests/concurrency_ffi.rs).

mod common;

use odbc_api::{Cursor, Environment};
use std::collections::BTreeMap;
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
