//! Helpers for the entity and write tests: requests with JSON bodies,
//! v1 offset paging, and brute-force filters over `Dataset::records`.
#![allow(dead_code)]

use pipedrive_sim::Simulator;
use serde_json::Value;
use std::io::{Read, Write};
use std::net::TcpStream;

pub const TOKEN: &str = "demo-token";

/// A query and the brute-force predicate its answer must match.
pub type Case = (String, Box<dyn Fn(&Value) -> bool>);

pub struct Answer {
    pub status: u16,
    pub body: Value,
}

/// Sends `method path` with an optional JSON body on a fresh connection.
pub fn send(sim: &Simulator, method: &str, path: &str, body: Option<&Value>) -> Answer {
    send_raw(
        sim,
        method,
        path,
        body.map(|b| b.to_string()),
        "application/json",
    )
}

pub fn send_raw(
    sim: &Simulator,
    method: &str,
    path: &str,
    body: Option<String>,
    content_type: &str,
) -> Answer {
    let mut stream = TcpStream::connect(("127.0.0.1", sim.port())).expect("connect");
    let payload = body.unwrap_or_default();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\
         x-api-token: {TOKEN}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        payload.len()
    );
    stream.write_all(head.as_bytes()).expect("send head");
    stream.write_all(payload.as_bytes()).expect("send body");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("end of headers");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status");
    let body = serde_json::from_slice(&raw[split + 4..]).unwrap_or_else(|e| {
        panic!(
            "{method} {path}: invalid JSON ({e}): {}",
            String::from_utf8_lossy(&raw[split + 4..])
        )
    });
    Answer { status, body }
}

/// `method path` must answer `status` with `success: true`; returns `data`.
pub fn ok(sim: &Simulator, method: &str, path: &str, body: Option<&Value>, status: u16) -> Value {
    let a = send(sim, method, path, body);
    assert_eq!(a.status, status, "{method} {path}: {}", a.body);
    assert_eq!(a.body["success"], true, "{method} {path}");
    a.body["data"].clone()
}

pub fn get_data(sim: &Simulator, path: &str) -> Value {
    ok(sim, "GET", path, None, 200)
}

/// `method path` must fail with `status` and Pipedrive's error envelope.
pub fn refused(
    sim: &Simulator,
    method: &str,
    path: &str,
    body: Option<&Value>,
    status: u16,
) -> String {
    let a = send(sim, method, path, body);
    assert_eq!(a.status, status, "{method} {path}: {}", a.body);
    assert_eq!(a.body["success"], false, "{method} {path}");
    assert!(a.body["error"].is_string(), "{method} {path}: {}", a.body);
    assert!(
        a.body.get("error_info").is_some(),
        "{method} {path}: {}",
        a.body
    );
    assert_eq!(a.body["data"], Value::Null);
    a.body["error"].as_str().unwrap_or_default().to_string()
}

/// Follows v2 cursors from `path`; every record and the page count.
pub fn all_v2(sim: &Simulator, path: &str) -> (Vec<Value>, usize) {
    let sep = if path.contains('?') { '&' } else { '?' };
    let mut out = Vec::new();
    let mut pages = 0;
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            Some(c) => format!("{path}{sep}cursor={c}"),
            None => path.to_string(),
        };
        let a = send(sim, "GET", &url, None);
        assert_eq!(a.status, 200, "GET {url}: {}", a.body);
        pages += 1;
        out.extend(
            a.body["data"]
                .as_array()
                .expect("data array")
                .iter()
                .cloned(),
        );
        match &a.body["additional_data"]["next_cursor"] {
            Value::String(c) => cursor = Some(c.clone()),
            Value::Null => return (out, pages),
            other => panic!("next_cursor: {other}"),
        }
        assert!(pages < 10_000, "runaway paging");
    }
}

/// Follows v1 `start`/`limit` from `path`; every record and the page count.
/// Checks the pagination object of every page.
pub fn all_v1(sim: &Simulator, path: &str, limit: usize) -> (Vec<Value>, usize) {
    let sep = if path.contains('?') { '&' } else { '?' };
    let mut out = Vec::new();
    let mut start = 0;
    let mut pages = 0;
    loop {
        let url = format!("{path}{sep}start={start}&limit={limit}");
        let a = send(sim, "GET", &url, None);
        assert_eq!(a.status, 200, "GET {url}: {}", a.body);
        pages += 1;
        let data = a.body["data"].as_array().expect("data array").clone();
        let p = &a.body["additional_data"]["pagination"];
        assert_eq!(p["start"], start as u64, "{url}");
        assert!(data.len() <= limit, "{url}");
        out.extend(data.iter().cloned());
        if p["more_items_in_collection"] == true {
            assert_eq!(data.len(), limit, "{url}: only full pages announce more");
            assert_eq!(p["next_start"], (start + limit) as u64, "{url}");
            start += limit;
        } else {
            assert!(p.get("next_start").is_none(), "{url}");
            return (out, pages);
        }
        assert!(pages < 10_000, "runaway paging");
    }
}

/// The `id` members of records (numbers or strings) as text.
pub fn id_texts(records: &[Value]) -> Vec<String> {
    records
        .iter()
        .map(|r| match &r["id"] {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect()
}

/// Brute force: the ids of `collection` records satisfying `pred`, in id
/// order.
pub fn expected(sim: &Simulator, collection: &str, pred: impl Fn(&Value) -> bool) -> Vec<String> {
    let records = sim
        .dataset()
        .records(collection)
        .unwrap_or_else(|| panic!("unknown collection {collection}"));
    id_texts(&records.into_iter().filter(|r| pred(r)).collect::<Vec<_>>())
}

/// A record of `collection` that satisfies `pred`.
pub fn find(sim: &Simulator, collection: &str, pred: impl Fn(&Value) -> bool) -> Value {
    sim.dataset()
        .records(collection)
        .unwrap_or_default()
        .into_iter()
        .find(|r| pred(r))
        .unwrap_or_else(|| panic!("no {collection} record matches"))
}

pub fn start_sim(deals: u64) -> Simulator {
    Simulator::start(pipedrive_sim::SimConfig {
        deals,
        ..pipedrive_sim::SimConfig::default()
    })
    .expect("simulator starts")
}

/// Parses RFC 3339 or `YYYY-MM-DD HH:MM:SS` into comparable text
/// (`YYYY-MM-DDTHH:MM:SS`).
pub fn time_key(v: &Value) -> String {
    v.as_str()
        .unwrap_or("")
        .replace(' ', "T")
        .trim_end_matches('Z')
        .to_string()
}
