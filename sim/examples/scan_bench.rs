//! Full-scan throughput benchmark: starts the simulator with 1,000,000
//! deals and pages through `GET /api/v2/deals?limit=500` over HTTP with a
//! minimal keep-alive client, then prints rows/s, the simulator's CPU time
//! and peak RSS, and last a one-line report to compare runs by:
//! `scan_bench: rows=.. seconds=.. rows_per_s=.. peak_rss=..MiB sim_cpu_s=..`.
//!
//!     cargo run -p pipedrive-sim --release --example scan_bench [-- --deals N --verify]
//!
//! `--verify` also parses every page with serde_json (slower; the client
//! then costs more than the server).

use pipedrive_sim::{SimConfig, Simulator};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::Instant;

/// One keep-alive HTTP/1.1 connection.
struct Client {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
    token: String,
}

impl Client {
    fn connect(port: u16, token: &str) -> std::io::Result<Client> {
        let stream = TcpStream::connect(("127.0.0.1", port))?;
        stream.set_nodelay(true)?;
        Ok(Client {
            writer: stream.try_clone()?,
            reader: BufReader::with_capacity(64 * 1024, stream),
            token: token.to_string(),
        })
    }

    /// GETs `path`; returns (status, body).
    fn get(&mut self, path: &str, body: &mut Vec<u8>) -> std::io::Result<u16> {
        write!(
            self.writer,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-token: {}\r\n\r\n",
            self.token
        )?;
        let mut line = String::new();
        self.reader.read_line(&mut line)?;
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let mut length = 0usize;
        loop {
            line.clear();
            self.reader.read_line(&mut line)?;
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
        }
        body.clear();
        body.resize(length, 0);
        self.reader.read_exact(body)?;
        Ok(status)
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Counts records (each deal object starts with `{"id":`) and extracts the
/// next cursor without a full JSON parse, so the client stays cheap next to
/// the server it measures.
fn scan_page(body: &[u8]) -> (usize, Option<String>) {
    let rows = count_records(body);
    let marker = b"\"next_cursor\":";
    let tail_start = body.len().saturating_sub(300);
    let cursor = find(&body[tail_start..], marker).and_then(|i| {
        let rest = &body[tail_start + i + marker.len()..];
        if rest.starts_with(b"null") {
            return None;
        }
        let end = rest[1..].iter().position(|&b| b == b'"')?;
        Some(String::from_utf8_lossy(&rest[1..1 + end]).into_owned())
    });
    (rows, cursor)
}

/// Occurrences of `{"id":`, looking for `{` eight bytes at a time.
fn count_records(body: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let brace = ONES * b'{' as u64;
    let mut count = 0;
    let mut i = 0;
    while i + 8 <= body.len() {
        let mut word = [0u8; 8];
        word.copy_from_slice(&body[i..i + 8]);
        let v = u64::from_le_bytes(word) ^ brace;
        if v.wrapping_sub(ONES) & !v & HIGHS != 0 {
            for j in i..i + 8 {
                if body[j] == b'{' && body[j + 1..].starts_with(b"\"id\":") {
                    count += 1;
                }
            }
        }
        i += 8;
    }
    count
        + (i..body.len())
            .filter(|&j| body[j] == b'{' && body[j + 1..].starts_with(b"\"id\":"))
            .count()
}

/// CPU seconds (user + system) used so far by this process's threads.
/// From /proc, so Linux only (zeros elsewhere).
#[derive(Clone, Copy, Default)]
struct ThreadCpu {
    /// The thread serving the benchmark's connection
    /// (`pipedrive-sim-conn-N`, which Linux shortens to `pipedrive-sim-c`).
    connection: f64,
    /// Every thread but the main one: the whole simulator.
    simulator: f64,
    /// The main thread: the benchmark's HTTP client.
    client: f64,
}

fn thread_cpu_seconds() -> ThreadCpu {
    let ticks_per_second = 100.0; // USER_HZ on Linux
    let mut cpu = ThreadCpu::default();
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return cpu;
    };
    let main_tid = std::process::id().to_string();
    for task in tasks.flatten() {
        let Ok(stat) = std::fs::read_to_string(task.path().join("stat")) else {
            continue;
        };
        // "tid (comm) state ppid ..." with utime and stime as fields 14 and 15.
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
            continue;
        };
        let comm = &stat[open + 1..close];
        let fields: Vec<&str> = stat[close + 2..].split_whitespace().collect();
        let seconds = fields.get(11..13).map_or(0.0, |f| {
            f.iter().filter_map(|t| t.parse::<f64>().ok()).sum()
        }) / ticks_per_second;
        if task.file_name().to_string_lossy() == main_tid {
            cpu.client += seconds;
        } else {
            cpu.simulator += seconds;
            if comm.starts_with("pipedrive-sim-c") {
                cpu.connection += seconds;
            }
        }
    }
    cpu
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let deals: u64 = args
        .iter()
        .position(|a| a == "--deals")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    let verify = args.iter().any(|a| a == "--verify");

    let started = Instant::now();
    let cfg = SimConfig {
        deals,
        persons: 200_000,
        organizations: 50_000,
        users: 12,
        ..SimConfig::default()
    };
    let sim = Simulator::start(cfg).expect("simulator starts");
    println!(
        "started {} with {deals} deals in {:.1} ms",
        sim.base_url(),
        started.elapsed().as_secs_f64() * 1e3
    );

    let mut client = Client::connect(sim.port(), sim.token()).expect("connect");
    let mut body = Vec::new();
    let mut rows = 0usize;
    let mut pages = 0usize;
    let mut bytes = 0usize;
    let mut cursor: Option<String> = None;
    let cpu_before = thread_cpu_seconds();
    let scan = Instant::now();
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v2/deals?limit=500&cursor={c}"),
            None => "/api/v2/deals?limit=500".to_string(),
        };
        let status = client.get(&path, &mut body).expect("request");
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
        if verify {
            let doc: serde_json::Value = serde_json::from_slice(&body).expect("valid JSON");
            assert!(doc["data"].is_array());
        }
        let (n, next) = scan_page(&body);
        rows += n;
        pages += 1;
        bytes += body.len();
        match next {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    let secs = scan.elapsed().as_secs_f64();
    let cpu_after = thread_cpu_seconds();
    let connection_cpu = cpu_after.connection - cpu_before.connection;
    let simulator_cpu = cpu_after.simulator - cpu_before.simulator;
    let client_cpu = cpu_after.client - cpu_before.client;
    let expected = sim.stats().endpoint("GET /api/v2/deals").rows as usize;
    assert_eq!(rows, expected, "client and server row counts agree");
    println!(
        "scanned {rows} rows in {pages} pages, {:.1} MB, in {secs:.2} s: {:.0} rows/s, {:.0} MB/s",
        bytes as f64 / 1e6,
        rows as f64 / secs,
        bytes as f64 / 1e6 / secs
    );
    println!(
        "simulator CPU: {simulator_cpu:.2} s (connection thread {connection_cpu:.2} s) = {:.0} rows per CPU-second; client CPU: {client_cpu:.2} s",
        rows as f64 / simulator_cpu.max(1e-9)
    );
    let peak_rss = match peak_rss_kib() {
        Some(kib) => format!("{:.1} MiB", kib as f64 / 1024.0),
        None => "unavailable".to_string(),
    };
    println!("peak RSS (VmHWM, server and client): {peak_rss}");
    // One line to compare runs by.
    println!(
        "scan_bench: rows={rows} seconds={secs:.2} rows_per_s={:.0} peak_rss={} sim_cpu_s={simulator_cpu:.2}",
        rows as f64 / secs,
        peak_rss.replace(' ', "")
    );
}
