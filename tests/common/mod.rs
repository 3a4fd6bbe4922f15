//! Shared set-up for the integration tests: a simulator on loopback and the
//! driver library's path, used through unixODBC's driver manager.

#![allow(dead_code)]

use pipedrive_sim::{SimConfig, Simulator};
use std::path::PathBuf;

pub const TOKEN: &str = "integration-test-token-8c1f";

/// The driver built next to this test binary (target/<profile>/), or the
/// library named by PIPEDRIVE_ODBC_DRIVER.
pub fn driver_path() -> PathBuf {
    if let Some(p) = std::env::var_os("PIPEDRIVE_ODBC_DRIVER") {
        return PathBuf::from(p);
    }
    let exe = std::env::current_exe().expect("test binary path");
    let profile_dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile>");
    let lib = profile_dir.join(if cfg!(windows) {
        "pipedrive_odbc.dll"
    } else {
        "libpipedrive_odbc.so"
    });
    assert!(
        lib.exists(),
        "{} is missing: build the driver first (cargo build --release)",
        lib.display()
    );
    lib
}

pub fn start_sim(deals: u64) -> Simulator {
    let cfg = SimConfig {
        token: TOKEN.to_string(),
        deals,
        seed: 7,
        ..SimConfig::default()
    };
    Simulator::start(cfg).expect("simulator starts")
}

pub fn connection_string(sim: &Simulator) -> String {
    format!(
        "Driver={};APIToken={};CompanyDomain=demo;APIBaseURL={}",
        driver_path().display(),
        TOKEN,
        sim.base_url()
    )
}

/// The ids of the deals the list endpoint returns (non-deleted ones).
pub fn listed_deal_ids(sim: &Simulator) -> Vec<i64> {
    sim.dataset()
        .deals()
        .filter(|d| d.get("status").and_then(|s| s.as_str()) != Some("deleted"))
        .filter_map(|d| d.get("id").and_then(|i| i.as_i64()))
        .collect()
}

/// A connection to `sim` through the driver manager, by connection string.
pub fn connect<'e>(env: &'e odbc_api::Environment, sim: &Simulator) -> odbc_api::Connection<'e> {
    env.connect_with_connection_string(
        &connection_string(sim),
        odbc_api::ConnectionOptions::default(),
    )
    .expect("connects to the simulator")
}

/// A result row as text (`None` for NULL).
pub type TextRow = Vec<Option<String>>;

/// Every row of a query, as text, read with a block cursor.
pub fn query_text(conn: &odbc_api::Connection<'_>, sql: &str) -> Vec<TextRow> {
    use odbc_api::Cursor;
    let mut cursor = conn
        .execute(sql, (), None)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .expect("a result set");
    let mut buffer =
        odbc_api::buffers::TextRowSet::for_cursor(1000, &mut cursor, Some(4096)).unwrap();
    let mut block = cursor.bind_buffer(&mut buffer).unwrap();
    let mut rows = Vec::new();
    while let Some(batch) = block.fetch().unwrap() {
        for r in 0..batch.num_rows() {
            rows.push(
                (0..batch.num_cols())
                    .map(|c| batch.at_as_str(c, r).unwrap().map(str::to_string))
                    .collect(),
            );
        }
    }
    rows
}

/// The SQLSTATE of an ODBC error (or the error itself when it carries no
/// diagnostic record).
pub fn sql_state(err: &odbc_api::Error) -> String {
    match err {
        odbc_api::Error::Diagnostics { record, .. } => {
            String::from_utf8_lossy(&record.state.0).into_owned()
        }
        other => format!("{other:?}"),
    }
}
