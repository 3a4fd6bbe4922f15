//! Helpers shared by the integration tests: a minimal HTTP/1.1 client over
//! std's TcpStream (no HTTP crate needed) and small JSON conveniences.
#![allow(dead_code)]

use pipedrive_sim::{SimConfig, Simulator};
use serde_json::Value;
use std::io::{Read, Write};
use std::net::TcpStream;

pub const TOKEN: &str = "demo-token";

pub struct HttpResponse {
    pub status: u16,
    /// Header names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "invalid JSON ({e}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }
}

/// Sends one request on a fresh connection and reads the whole response.
pub fn request(sim: &Simulator, method: &str, path: &str, token: Option<&str>) -> HttpResponse {
    let mut stream = TcpStream::connect(("127.0.0.1", sim.port())).expect("connect");
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    if let Some(t) = token {
        head.push_str(&format!("x-api-token: {t}\r\n"));
    }
    head.push_str("Content-Length: 0\r\n\r\n");
    stream.write_all(head.as_bytes()).expect("send");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("end of headers");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    HttpResponse {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}

pub fn get(sim: &Simulator, path: &str) -> HttpResponse {
    request(sim, "GET", path, Some(TOKEN))
}

/// GET with the token, asserting 200, returning the parsed body.
pub fn get_ok(sim: &Simulator, path: &str) -> Value {
    let resp = get(sim, path);
    assert_eq!(
        resp.status,
        200,
        "GET {path}: {}",
        String::from_utf8_lossy(&resp.body)
    );
    let body = resp.json();
    assert_eq!(body["success"], true, "GET {path}");
    body
}

/// Follows `next_cursor` from `path` (which may already have a query) to
/// the end; returns every record and the number of pages.
pub fn fetch_all_v2(sim: &Simulator, path: &str) -> (Vec<Value>, usize) {
    let sep = if path.contains('?') { '&' } else { '?' };
    let mut records = Vec::new();
    let mut pages = 0;
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            Some(c) => format!("{path}{sep}cursor={c}"),
            None => path.to_string(),
        };
        let body = get_ok(sim, &url);
        pages += 1;
        records.extend(body["data"].as_array().expect("data array").iter().cloned());
        match &body["additional_data"]["next_cursor"] {
            Value::String(c) => cursor = Some(c.clone()),
            Value::Null => return (records, pages),
            other => panic!("next_cursor must be a string or null, got {other}"),
        }
        assert!(pages < 100_000, "runaway pagination");
    }
}

pub fn ids(records: &[Value]) -> Vec<u64> {
    records
        .iter()
        .map(|r| r["id"].as_u64().expect("id"))
        .collect()
}

pub fn start(deals: u64) -> Simulator {
    Simulator::start(SimConfig {
        deals,
        ..SimConfig::default()
    })
    .expect("simulator starts")
}
