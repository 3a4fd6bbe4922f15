//! Differential test of the SQL engine: a corpus of queries runs through
//! the driver (unixODBC + odbc-api) and through SQLite over the same data,
//! and the answers must be equal (in order under ORDER BY, else as
//! multisets).
//!
//! Where the data comes from: the simulator's records are read back through
//! the driver with `SELECT * FROM <table>` (a plain paged scan, nothing
//! pushed down) and loaded into SQLite under the driver's table and column
//! names and types. Rebuilding the rows from `sim.dataset()`'s JSON instead
//! would mean re-implementing the data model (custom fields named from
//! display names, option ids mapped to labels, addresses flattened) in the
//! test and comparing the driver with a copy of itself. Reading back
//! isolates what this test is about, the SQL engine: each corpus query
//! reaches the data by other paths than the plain scan (pushed filters,
//! get-by-id, `ids`, local filters, joins, aggregates, sorts, LIMIT
//! pushdown), so a disagreement is an engine or pushdown bug. To anchor the
//! reference to the source data, the loaded Deals and Persons are first
//! checked column by column against the dataset's JSON.
//!
//! SQLite differs from standard SQL in places; the SQLite side of a query
//! is then written to compute the standard answer, with a comment.

mod common;

#[path = "differential/harness.rs"]
mod harness;

#[path = "differential/corpus.rs"]
mod corpus;

use harness::{compare, driver_query, sqlite_query, Cell, Kind};
use odbc_api::{Connection, Environment};
use pipedrive_sim::{SimConfig, Simulator};
use serde_json::Value as Json;

/// Deals in the simulated company: three pages, the last one partial.
const DEALS: u64 = 1_234;

/// The tables loaded into SQLite.
const TABLES: &[&str] = &[
    "Deals",
    "Persons",
    "Organizations",
    "Activities",
    "Products",
    "Stages",
    "Pipelines",
    "Users",
    "Notes",
    "Leads",
    "ActivityTypes",
    "DealFields",
    "DealFieldOptions",
];

fn start() -> Simulator {
    Simulator::start(SimConfig {
        token: common::TOKEN.to_string(),
        deals: DEALS,
        seed: 7,
        ..SimConfig::default()
    })
    .expect("simulator starts")
}

/// Copies `table` from the driver into SQLite with the driver's column
/// names and types; returns the column names and kinds.
fn load_table(conn: &Connection, db: &rusqlite::Connection, table: &str) -> Vec<(String, Kind)> {
    let result = driver_query(conn, &format!("SELECT * FROM {table}"), &[])
        .unwrap_or_else(|e| panic!("SELECT * FROM {table}: {e}"));
    let columns: Vec<String> = result
        .columns
        .iter()
        .map(|(name, kind)| format!("\"{name}\" {}", kind.sqlite_type()))
        .collect();
    db.execute_batch(&format!(
        "CREATE TABLE \"{table}\" ({});",
        columns.join(", ")
    ))
    .unwrap_or_else(|e| panic!("create {table}: {e}"));
    let placeholders = vec!["?"; result.columns.len()].join(", ");
    let mut insert = db
        .prepare(&format!("INSERT INTO \"{table}\" VALUES ({placeholders})"))
        .unwrap();
    for row in &result.rows {
        let values = row.iter().map(|c| match c {
            Cell::Null => rusqlite::types::Value::Null,
            Cell::Int(i) => rusqlite::types::Value::Integer(*i),
            Cell::Real(r) => rusqlite::types::Value::Real(*r),
            Cell::Text(s) => rusqlite::types::Value::Text(s.clone()),
        });
        insert.execute(rusqlite::params_from_iter(values)).unwrap();
    }
    result.columns
}

/// `2019-01-02T14:56:02Z` as the driver's canonical TIMESTAMP text.
fn odbc_timestamp(json: &Json) -> Cell {
    match json.as_str() {
        Some(s) => Cell::Text(s.trim_end_matches('Z').replacen('T', " ", 1)),
        None => Cell::Null,
    }
}

fn json_cell(json: &Json) -> Cell {
    match json {
        Json::Null => Cell::Null,
        Json::Number(n) if n.is_i64() => Cell::Int(n.as_i64().unwrap_or_default()),
        Json::Number(n) => Cell::Real(n.as_f64().unwrap_or_default()),
        Json::String(s) => Cell::Text(s.clone()),
        Json::Bool(b) => Cell::Int(i64::from(*b)),
        other => Cell::Text(other.to_string()),
    }
}

/// The loaded base tables agree with the simulator's records, so the
/// reference data is the source data and not merely what the driver says.
fn check_loaded_rows_against_dataset(sim: &Simulator, db: &rusqlite::Connection) {
    let deals: Vec<Json> = sim
        .dataset()
        .deals()
        .filter(|d| d["status"].as_str() != Some("deleted"))
        .collect();
    let sql = "SELECT Id, Title, OwnerId, PersonId, OrgId, PipelineId, StageId, Value, \
               Currency, Status, AddTime, UpdateTime, CloseTime, ExpectedCloseDate, \
               LostReason, Probability FROM Deals ORDER BY Id";
    let loaded = sqlite_query(db, sql, &[]).unwrap();
    assert_eq!(loaded.len(), deals.len(), "every listed deal was loaded");
    for (row, deal) in loaded.iter().zip(&deals) {
        let expected = vec![
            json_cell(&deal["id"]),
            json_cell(&deal["title"]),
            json_cell(&deal["owner_id"]),
            json_cell(&deal["person_id"]),
            json_cell(&deal["org_id"]),
            json_cell(&deal["pipeline_id"]),
            json_cell(&deal["stage_id"]),
            json_cell(&deal["value"]),
            json_cell(&deal["currency"]),
            json_cell(&deal["status"]),
            odbc_timestamp(&deal["add_time"]),
            odbc_timestamp(&deal["update_time"]),
            odbc_timestamp(&deal["close_time"]),
            json_cell(&deal["expected_close_date"]),
            json_cell(&deal["lost_reason"]),
            json_cell(&deal["probability"]),
        ];
        assert_eq!(row.len(), expected.len());
        for (i, (got, want)) in row.iter().zip(&expected).enumerate() {
            assert!(
                got.same_as(want),
                "deal {:?} column {i}: loaded {got:?}, dataset {want:?}",
                row[0]
            );
        }
    }
    let persons: Vec<Json> = sim.dataset().persons().collect();
    let loaded = sqlite_query(
        db,
        "SELECT Id, Name, OwnerId, OrgId FROM Persons ORDER BY Id",
        &[],
    )
    .unwrap();
    assert_eq!(loaded.len(), persons.len(), "every person was loaded");
    for (row, person) in loaded.iter().zip(&persons) {
        let expected = [
            json_cell(&person["id"]),
            json_cell(&person["name"]),
            json_cell(&person["owner_id"]),
            json_cell(&person["org_id"]),
        ];
        for (got, want) in row.iter().zip(&expected) {
            assert!(
                got.same_as(want),
                "person {:?}: loaded {got:?}, dataset {want:?}",
                row[0]
            );
        }
    }
}

#[test]
fn driver_and_sqlite_agree_on_the_corpus() {
    let sim = start();
    let env = Environment::new().expect("ODBC environment");
    let conn = common::connect(&env, &sim);
    let db = rusqlite::Connection::open_in_memory().unwrap();
    // Standard LIKE is case-sensitive; SQLite's is not for ASCII unless told.
    db.execute_batch("PRAGMA case_sensitive_like = ON;")
        .unwrap();
    let mut schema = Vec::new();
    for table in TABLES {
        schema.push((table.to_string(), load_table(&conn, &db, table)));
    }
    check_loaded_rows_against_dataset(&sim, &db);

    let cases = corpus::build(&db, &schema);
    assert!(cases.len() >= 300, "the corpus has {} queries", cases.len());
    let mut failures = Vec::new();
    let mut nonempty = 0usize;
    for case in &cases {
        let driver = driver_query(&conn, &case.driver, &case.params);
        let sqlite = sqlite_query(&db, &case.sqlite, &case.params);
        let outcome = match (driver, sqlite) {
            (Ok(d), Ok(s)) => {
                if !s.is_empty() {
                    nonempty += 1;
                }
                compare(&d.rows, &s, case.ordered)
            }
            (Err(e), _) => Err(e),
            (_, Err(e)) => Err(format!("reference query failed: {e}")),
        };
        if let Err(why) = outcome {
            failures.push(format!(
                "{}\n    sqlite: {}\n    params: {:?}\n    {why}",
                case.driver, case.sqlite, case.params
            ));
        }
    }
    // Most queries must select something, or equality proves little.
    assert!(
        nonempty * 10 >= cases.len() * 7,
        "only {nonempty} of {} queries returned rows",
        cases.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} queries disagree:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    eprintln!("{} queries agree ({nonempty} with rows)", cases.len());
}
