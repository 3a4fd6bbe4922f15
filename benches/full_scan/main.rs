//! Full-scan benchmark clients, one scan per process so `/usr/bin/time -v`
//! measures exactly one client (driven by `benches/full_scan/run.sh`,
//! which also runs the pyodbc client and writes docs/benchmarks.md).
//!
//! The bench target uses the default libtest harness (the manifest is not
//! this benchmark's to change), so each client is an ignored test, run by
//! name: `full_scan-<hash> --ignored --exact <client> --nocapture`.
//! Configuration comes from the environment:
//!
//! - `FULL_SCAN_BASE_URL`: the simulator (`http://127.0.0.1:PORT`)
//! - `FULL_SCAN_TOKEN`: its API token
//! - `FULL_SCAN_DRIVER`: the driver library (for the ODBC clients)
//!
//! Each client prints one line `RESULT {json}` with rows, seconds and
//! first-row figures.
//!
//! Clients:
//! - `odbc_block_scan`: `SELECT * FROM Deals` through unixODBC with
//!   odbc-api, a block cursor of 1000 rows bound to typed column buffers.
//! - `odbc_first_row`: the same query, one row fetched: the time to the
//!   first row and how many list pages the simulator had served by then.
//! - `http_json_baseline`: what the driver cannot avoid: the same pages
//!   (cursor pagination, limit 500) with the same HTTP client (reqwest,
//!   blocking) and serde_json, every field of every record touched.

use odbc_api::buffers::{BufferDesc, ColumnarDynBuffer};
use odbc_api::{ConnectionOptions, Cursor, DataType, Environment, ResultSetMetadata};
use serde_json::Value as Json;
use std::time::Instant;

const QUERY: &str = "SELECT * FROM Deals";
const BLOCK_ROWS: usize = 1000;
const PAGE_LIMIT: usize = 500;
/// Longest text bound per cell (UTF-16 units); longer values are truncated
/// in the buffer, as a BI tool binding fixed-size buffers would.
const TEXT_CAP: usize = 512;

fn env_var(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set (see run.sh)"))
}

fn connection_string() -> String {
    format!(
        "Driver={};APIToken={};CompanyDomain=bench;APIBaseURL={}",
        env_var("FULL_SCAN_DRIVER"),
        env_var("FULL_SCAN_TOKEN"),
        env_var("FULL_SCAN_BASE_URL")
    )
}

fn report(fields: Json) {
    println!("RESULT {fields}");
}

/// The buffer a typed client binds for a column of `data_type`.
fn buffer_for(data_type: DataType) -> BufferDesc {
    match data_type {
        DataType::Integer | DataType::SmallInt | DataType::TinyInt | DataType::BigInt => {
            BufferDesc::I64 { nullable: true }
        }
        DataType::Bit => BufferDesc::Bit { nullable: true },
        DataType::Double | DataType::Float { .. } | DataType::Real => {
            BufferDesc::F64 { nullable: true }
        }
        DataType::Date => BufferDesc::Date { nullable: true },
        DataType::Timestamp { .. } => BufferDesc::Timestamp { nullable: true },
        other => BufferDesc::WText {
            max_str_len: other
                .column_size()
                .map_or(TEXT_CAP, |n| n.get().min(TEXT_CAP)),
        },
    }
}

#[test]
#[ignore = "benchmark client; run by benches/full_scan/run.sh"]
fn odbc_block_scan() {
    let env = Environment::new().unwrap();
    let started = Instant::now();
    let conn = env
        .connect_with_connection_string(&connection_string(), ConnectionOptions::default())
        .unwrap();
    let connected = started.elapsed();
    let scan_started = Instant::now();
    let mut cursor = conn.execute(QUERY, (), None).unwrap().unwrap();
    let columns = cursor.num_result_cols().unwrap() as u16;
    let mut descs = Vec::new();
    for c in 1..=columns {
        descs.push(buffer_for(cursor.col_data_type(c).unwrap()));
    }
    let buffer_bytes: usize = descs.iter().map(|d| d.bytes_per_row()).sum::<usize>() * BLOCK_ROWS;
    assert_eq!(cursor.col_name(1).unwrap(), "Id");
    let buffer = ColumnarDynBuffer::from_descs(BLOCK_ROWS, descs);
    let mut block = cursor.bind_buffer(buffer).unwrap();
    let mut rows = 0u64;
    let mut id_sum = 0i64;
    let mut first_batch = None;
    while let Some(batch) = block.fetch().unwrap() {
        if first_batch.is_none() {
            first_batch = Some(scan_started.elapsed());
        }
        rows += batch.num_rows() as u64;
        let (ids, _) = batch
            .column(0)
            .as_nullable_slice::<i64>()
            .unwrap()
            .raw_values();
        id_sum = ids.iter().fold(id_sum, |s, id| s.wrapping_add(*id));
    }
    let scan = scan_started.elapsed();
    report(serde_json::json!({
        "client": "odbc_block_scan",
        "rows": rows,
        "columns": columns,
        "connect_seconds": connected.as_secs_f64(),
        "scan_seconds": scan.as_secs_f64(),
        "first_batch_ms": first_batch.map(|d| d.as_secs_f64() * 1e3),
        "buffer_bytes": buffer_bytes,
        "id_sum": id_sum,
    }));
}

/// The HTTP client the driver uses (reqwest, blocking, rustls with ring).
fn sim_client() -> reqwest::blocking::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::blocking::Client::builder().build().unwrap()
}

fn get_json(client: &reqwest::blocking::Client, url: &str, token: Option<&str>) -> Json {
    let mut request = client.get(url);
    if let Some(token) = token {
        request = request.header("x-api-token", token);
    }
    let body = request
        .send()
        .unwrap()
        .error_for_status()
        .unwrap()
        .bytes()
        .unwrap();
    serde_json::from_slice(&body).unwrap()
}

/// List pages served so far by the simulator's deals endpoint.
fn list_pages_served(client: &reqwest::blocking::Client) -> u64 {
    let stats = get_json(
        client,
        &format!("{}/__sim/stats", env_var("FULL_SCAN_BASE_URL")),
        None,
    );
    stats["endpoints"]["GET /api/v2/deals"]["requests"]
        .as_u64()
        .unwrap_or(0)
}

fn reset_sim_stats(client: &reqwest::blocking::Client) {
    client
        .post(format!("{}/__sim/reset", env_var("FULL_SCAN_BASE_URL")))
        .send()
        .unwrap()
        .error_for_status()
        .unwrap();
}

#[test]
#[ignore = "benchmark client; run by benches/full_scan/run.sh"]
fn odbc_first_row() {
    let sim = sim_client();
    let env = Environment::new().unwrap();
    let conn = env
        .connect_with_connection_string(&connection_string(), ConnectionOptions::default())
        .unwrap();
    reset_sim_stats(&sim);
    let started = Instant::now();
    let mut cursor = conn.execute(QUERY, (), None).unwrap().unwrap();
    let mut row = cursor.next_row().unwrap().expect("a first row");
    let mut id = 0i64;
    row.get_data(1, &mut id).unwrap();
    let first_row = started.elapsed();
    let pages = list_pages_served(&sim);
    report(serde_json::json!({
        "client": "odbc_first_row",
        "first_row_ms": first_row.as_secs_f64() * 1e3,
        "pages_before_first_row": pages,
        "first_id": id,
    }));
}

/// Adds up every field of a record so no value goes unread.
fn touch(value: &Json, sink: &mut f64) {
    match value {
        Json::Null => {}
        Json::Bool(b) => *sink += f64::from(u8::from(*b)),
        Json::Number(n) => *sink += n.as_f64().unwrap_or(0.0),
        Json::String(s) => *sink += s.len() as f64,
        Json::Array(items) => items.iter().for_each(|v| touch(v, sink)),
        Json::Object(map) => map.iter().for_each(|(k, v)| {
            *sink += k.len() as f64;
            touch(v, sink)
        }),
    }
}

#[test]
#[ignore = "benchmark client; run by benches/full_scan/run.sh"]
fn http_json_baseline() {
    let base = env_var("FULL_SCAN_BASE_URL");
    let token = env_var("FULL_SCAN_TOKEN");
    let client = sim_client();
    let started = Instant::now();
    let mut cursor: Option<String> = None;
    let mut rows = 0u64;
    let mut pages = 0u64;
    let mut sink = 0.0f64;
    let mut first_row = None;
    loop {
        // Cursors are base64url: safe in a query string as they are.
        let url = match &cursor {
            Some(c) => format!("{base}/api/v2/deals?limit={PAGE_LIMIT}&cursor={c}"),
            None => format!("{base}/api/v2/deals?limit={PAGE_LIMIT}"),
        };
        let page = get_json(&client, &url, Some(&token));
        pages += 1;
        if let Some(records) = page["data"].as_array() {
            for record in records {
                touch(record, &mut sink);
                rows += 1;
                if first_row.is_none() {
                    first_row = Some(started.elapsed());
                }
            }
        }
        match page["additional_data"]["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => break,
        }
    }
    let scan = started.elapsed();
    report(serde_json::json!({
        "client": "http_json_baseline",
        "rows": rows,
        "pages": pages,
        "scan_seconds": scan.as_secs_f64(),
        "first_row_ms": first_row.map(|d| d.as_secs_f64() * 1e3),
        "checksum": sink,
    }));
}
