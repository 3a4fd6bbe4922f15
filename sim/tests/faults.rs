//! Injected faults as a raw TCP client sees them: dropped connections,
//! truncated and malformed bodies, a seeded share of 5xx answers, latency
//! and slow bodies; set per run, through the library and over HTTP.

mod raw_http;

use pipedrive_sim::{FaultKind, FaultRule, Faults, SimConfig, Simulator};
use raw_http::{req, Outcome};
use std::io::Write;
use std::net::TcpStream;
use std::time::{Duration, Instant};

fn start(faults: Faults) -> Simulator {
    Simulator::start(SimConfig {
        deals: 40,
        faults,
        ..SimConfig::default()
    })
    .expect("simulator starts")
}

fn one_rule(rule: FaultRule) -> Faults {
    Faults {
        seed: 1,
        rules: vec![rule],
    }
}

fn get(sim: &Simulator, path: &str) -> Outcome {
    req("GET", path).api_token().send(sim.port())
}

#[test]
fn a_dropped_connection_gets_no_answer_at_all() {
    // The 2nd request under /api/v2/deals: other paths do not count.
    let sim = start(one_rule(
        FaultRule::new(FaultKind::DropConnection)
            .path_prefix("/api/v2/deals")
            .nth(2),
    ));
    assert_eq!(get(&sim, "/api/v2/deals").answer().status, 200);
    assert_eq!(get(&sim, "/api/v2/persons").answer().status, 200);
    assert!(matches!(
        get(&sim, "/api/v2/deals?limit=3"),
        Outcome::Closed
    ));
    assert_eq!(get(&sim, "/api/v2/deals").answer().status, 200);

    let logged = sim.requests();
    let dropped = &logged[2];
    assert_eq!(dropped.path, "/api/v2/deals");
    assert_eq!(dropped.status, None);
    assert_eq!(dropped.fault, Some("drop_connection"));
    assert_eq!(sim.stats().endpoint("GET /api/v2/deals").errors, 1);
}

#[test]
fn a_truncated_body_ends_before_its_content_length() {
    let sim = start(one_rule(FaultRule::new(FaultKind::TruncatedBody)));
    // A keep-alive connection, as real clients use: only the early close
    // tells the client the body is short.
    match get(&sim, "/api/v2/deals?limit=20") {
        Outcome::Truncated { answer, promised } => {
            assert_eq!(answer.status, 200);
            assert!(promised > 0);
            assert_eq!(answer.body.len(), promised / 2);
        }
        other => panic!("expected a truncated body, got {other:?}"),
    }
}

#[test]
fn a_malformed_body_is_complete_but_not_json() {
    let sim = start(one_rule(FaultRule::new(FaultKind::MalformedJson)));
    let answer = get(&sim, "/api/v2/deals?limit=5").answer();
    assert_eq!(answer.status, 200);
    assert_eq!(
        answer.header("content-length"),
        Some(answer.body.len().to_string().as_str())
    );
    assert!(serde_json::from_slice::<serde_json::Value>(&answer.body).is_err());
    // Truncation and malformation do not stop the request from being served.
    assert_eq!(sim.stats().endpoint("GET /api/v2/deals").rows, 5);
}

/// Statuses of `n` sequential requests under a 5xx rule with `seed`.
fn statuses(seed: u64, share: f64, n: usize) -> Vec<u16> {
    let sim = start(Faults {
        seed,
        rules: vec![FaultRule::new(FaultKind::Error {
            statuses: vec![500, 502, 503],
        })
        .share(share)],
    });
    (0..n)
        .map(|_| get(&sim, "/api/v2/pipelines").answer().status)
        .collect()
}

#[test]
fn a_share_of_5xx_answers_reproducible_from_the_seed() {
    let (share, n) = (0.3, 200);
    let first = statuses(11, share, n);
    assert_eq!(first, statuses(11, share, n), "same seed, same failures");
    assert_ne!(
        first,
        statuses(12, share, n),
        "another seed, other failures"
    );
    let failed = first.iter().filter(|&&s| s != 200).count();
    // Binomial(200, 0.3): mean 60, sd 6.5; this is mean +- 4.6 sd.
    assert!((30..=90).contains(&failed), "{failed} of {n} failed");
    assert!(first.iter().all(|s| [200, 500, 502, 503].contains(s)));
    for status in [500, 502, 503] {
        assert!(first.contains(&status), "{status} never drawn");
    }
}

#[test]
fn injected_errors_look_like_the_real_thing() {
    let sim = start(one_rule(FaultRule::new(FaultKind::Error {
        statuses: vec![503],
    })));
    let answer = get(&sim, "/api/v2/deals").answer();
    assert_eq!(answer.status, 503);
    assert_eq!(answer.json()["success"], false);
    sim.set_faults(one_rule(FaultRule::new(FaultKind::Error {
        statuses: vec![502],
    })))
    .unwrap();
    let gateway = get(&sim, "/api/v2/deals").answer();
    assert_eq!(gateway.status, 502);
    assert_eq!(gateway.header("content-type"), Some("text/html"));
    assert!(gateway.text().contains("502 Bad Gateway"));
}

#[test]
fn latency_delays_the_answer() {
    let delay = Duration::from_millis(300);
    let sim = start(one_rule(FaultRule::new(FaultKind::Latency {
        min_ms: delay.as_millis() as u64,
        max_ms: delay.as_millis() as u64,
    })));
    let started = Instant::now();
    assert_eq!(get(&sim, "/api/v2/stages").answer().status, 200);
    assert!(started.elapsed() >= delay, "{:?}", started.elapsed());
    let logged = &sim.requests()[0];
    assert_eq!(logged.fault, Some("latency"));
    assert!(logged.duration_ms >= 300);
}

#[test]
fn a_slow_body_trickles_in_whole() {
    let bytes_per_sec = 20_000;
    let sim = start(one_rule(FaultRule::new(FaultKind::SlowBody {
        bytes_per_sec,
    })));
    // Read the head first, then time the body.
    let mut stream = TcpStream::connect(("127.0.0.1", sim.port())).unwrap();
    stream
        .write_all(
            b"GET /api/v2/deals?limit=10 HTTP/1.1\r\nHost: x\r\nx-api-token: demo-token\r\n\r\n",
        )
        .unwrap();
    let started = Instant::now();
    let answer = match raw_http::read_answer(&mut stream, false) {
        Outcome::Answered(answer) => answer,
        other => panic!("{other:?}"),
    };
    let elapsed = started.elapsed();
    assert_eq!(answer.status, 200);
    assert_eq!(answer.json()["data"].as_array().unwrap().len(), 10);
    // Pieces of a tenth of a second's worth, with a pause between each.
    let pieces = answer.body.len().div_ceil((bytes_per_sec / 10) as usize);
    let least = Duration::from_millis(100 * (pieces as u64 - 1));
    assert!(
        pieces >= 3 && elapsed >= least,
        "{elapsed:?} for {pieces} pieces"
    );
}

#[test]
fn faults_are_set_and_cleared_over_http_and_spare_introspection() {
    let sim = start(Faults::default());
    let rules = serde_json::json!({
        "seed": 3,
        "rules": [{"kind": "drop_connection", "path_prefix": "/api/v2/persons"}]
    });
    let put = req("PUT", "/__sim/faults")
        .body(rules.to_string().as_bytes())
        .send(sim.port())
        .answer();
    assert_eq!(put.status, 200, "{}", put.text());
    assert_eq!(put.json()["rules"][0]["kind"], "drop_connection");
    assert_eq!(
        sim.faults(),
        Faults {
            seed: 3,
            rules: vec![FaultRule::new(FaultKind::DropConnection).path_prefix("/api/v2/persons")],
        }
    );
    assert!(matches!(get(&sim, "/api/v2/persons"), Outcome::Closed));
    assert_eq!(get(&sim, "/api/v2/deals").answer().status, 200);

    // A rule for every path never touches /__sim/.
    sim.set_faults(one_rule(FaultRule::new(FaultKind::DropConnection)))
        .unwrap();
    let stats = req("GET", "/__sim/stats").send(sim.port()).answer();
    assert_eq!(stats.status, 200);

    let bad = req("PUT", "/__sim/faults")
        .body(br#"{"rules":[{"kind":"error","statuses":[200]}]}"#)
        .send(sim.port())
        .answer();
    assert_eq!(bad.status, 400);
    assert_eq!(sim.faults().rules.len(), 1, "a bad update changes nothing");

    let cleared = req("DELETE", "/__sim/faults").send(sim.port()).answer();
    assert_eq!(cleared.json()["rules"], serde_json::json!([]));
    assert_eq!(get(&sim, "/api/v2/persons").answer().status, 200);
}

#[test]
fn cli_fault_flags_reach_the_wire() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    struct Child(std::process::Child);
    impl Drop for Child {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut child = Child(
        Command::new(env!("CARGO_BIN_EXE_pipedrive-sim"))
            .args([
                "--port",
                "0",
                "--fault-drop",
                "1",
                "--fault-path",
                "/api/v2/deals",
                "--fault-nth",
                "2",
            ])
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn pipedrive-sim"),
    );
    let mut line = String::new();
    BufReader::new(child.0.stderr.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port: u16 = line
        .split("http://127.0.0.1:")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no base URL in {line:?}"));
    let deals = || req("GET", "/api/v2/deals").api_token().send(port);
    assert_eq!(deals().answer().status, 200);
    assert!(matches!(deals(), Outcome::Closed));
    assert_eq!(deals().answer().status, 200);
}
