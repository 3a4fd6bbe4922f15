//! The HTTP server itself, seen from raw TCP clients: keep-alive, the
//! ways a connection ends, chunked and `Expect: 100-continue` bodies,
//! malformed requests, and that no client's connection can hold up
//! another's request (many at once, idle keep-alive connections, clients
//! that never read their answer).

mod raw_http;

use pipedrive_sim::{SimConfig, Simulator};
use raw_http::{read_answer, Outcome, TOKEN};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Barrier;
use std::time::Duration;

/// Long enough never to fire on a working server; it turns a hang into a
/// failure.
const HANG: Duration = Duration::from_secs(60);

fn start(deals: u64) -> Simulator {
    Simulator::start(SimConfig {
        deals,
        ..SimConfig::default()
    })
    .expect("simulator starts")
}

fn connect(sim: &Simulator) -> TcpStream {
    let stream = TcpStream::connect(("127.0.0.1", sim.port())).expect("connect");
    stream.set_read_timeout(Some(HANG)).expect("read timeout");
    stream
}

fn send(stream: &mut TcpStream, raw: &str) {
    stream.write_all(raw.as_bytes()).expect("send");
}

fn get_head(target: &str, extra: &str) -> String {
    format!("GET {target} HTTP/1.1\r\nHost: x\r\nx-api-token: {TOKEN}\r\n{extra}\r\n")
}

fn answer(stream: &mut TcpStream) -> raw_http::Answer {
    read_answer(stream, false).answer()
}

/// True when the server has closed the connection (EOF, or a reset).
fn closed_by_server(stream: &mut TcpStream) -> bool {
    let mut byte = [0u8; 1];
    match stream.read(&mut byte) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => matches!(
            e.kind(),
            std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::ConnectionAborted
        ),
    }
}

#[test]
fn one_connection_carries_many_requests() {
    let sim = start(20);
    let mut stream = connect(&sim);
    for id in 1..=5 {
        send(&mut stream, &get_head(&format!("/api/v2/deals/{id}"), ""));
        let a = answer(&mut stream);
        assert_eq!(a.status, 200);
        assert_eq!(a.json()["data"]["id"], id);
        assert_eq!(a.header("connection"), None, "HTTP/1.1 stays open silently");
    }
    assert_eq!(sim.stats().endpoint("GET /api/v2/deals/{id}").requests, 5);
}

#[test]
fn connection_close_and_http_1_0_end_the_connection_after_the_answer() {
    let sim = start(20);
    let mut stream = connect(&sim);
    send(
        &mut stream,
        &get_head("/api/v2/deals/1", "Connection: close\r\n"),
    );
    let a = answer(&mut stream);
    assert_eq!((a.status, a.header("connection")), (200, Some("close")));
    assert!(closed_by_server(&mut stream));

    let mut stream = connect(&sim);
    send(
        &mut stream,
        &format!("GET /api/v2/deals/2 HTTP/1.0\r\nx-api-token: {TOKEN}\r\n\r\n"),
    );
    let a = answer(&mut stream);
    assert_eq!((a.status, a.header("connection")), (200, Some("close")));
    assert!(closed_by_server(&mut stream));

    // HTTP/1.0 with keep-alive stays open, and says so.
    let mut stream = connect(&sim);
    for id in [3, 4] {
        send(
            &mut stream,
            &format!("GET /api/v2/deals/{id} HTTP/1.0\r\nConnection: keep-alive\r\nx-api-token: {TOKEN}\r\n\r\n"),
        );
        let a = answer(&mut stream);
        assert_eq!(
            (a.status, a.header("connection")),
            (200, Some("keep-alive"))
        );
        assert_eq!(a.json()["data"]["id"], id);
    }
}

#[test]
fn chunked_and_expect_continue_bodies_are_read_whole() {
    let sim = start(20);
    let mut stream = connect(&sim);
    let body = r#"{"title":"Chunked Ünïcødé deal"}"#;
    let (first, second) = body.split_at(10);
    send(
        &mut stream,
        &format!(
            "POST /api/v2/deals HTTP/1.1\r\nHost: x\r\nx-api-token: {TOKEN}\r\nContent-Type: application/json\r\n\
             Transfer-Encoding: chunked\r\n\r\n{:x};ext=1\r\n{first}\r\n{:x}\r\n{second}\r\n0\r\nTrailer: t\r\n\r\n",
            first.len(),
            second.len()
        ),
    );
    let a = answer(&mut stream);
    assert_eq!(a.status, 200, "{}", a.text());
    assert_eq!(a.json()["data"]["title"], "Chunked Ünïcødé deal");

    // The client sends the body only once told to continue.
    let body = r#"{"title":"Expected deal"}"#;
    send(
        &mut stream,
        &format!(
            "POST /api/v2/deals HTTP/1.1\r\nHost: x\r\nx-api-token: {TOKEN}\r\nContent-Type: application/json\r\n\
             Expect: 100-continue\r\nContent-Length: {}\r\n\r\n",
            body.len()
        ),
    );
    let mut interim = [0u8; 25];
    stream.read_exact(&mut interim).expect("100 Continue");
    assert_eq!(&interim, b"HTTP/1.1 100 Continue\r\n\r\n");
    send(&mut stream, body);
    let a = answer(&mut stream);
    assert_eq!(a.status, 200, "{}", a.text());
    assert_eq!(a.json()["data"]["title"], "Expected deal");
}

#[test]
fn malformed_requests_are_refused_and_the_connection_closed() {
    let sim = start(20);
    for (raw, status) in [
        ("GET /api/v2/deals HTTP/2.0\r\n\r\n", 505),
        ("NOT-HTTP\r\n\r\n", 400),
        ("GET /api/v2/deals HTTP/1.1\r\nno colon here\r\n\r\n", 400),
        (
            "POST /api/v2/deals HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nab",
            400,
        ),
        (
            "POST /api/v2/deals HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
            501,
        ),
        (
            "POST /api/v2/deals HTTP/1.1\r\nExpect: magic\r\nContent-Length: 1\r\n\r\nx",
            417,
        ),
    ] {
        let mut stream = connect(&sim);
        send(&mut stream, raw);
        let a = answer(&mut stream);
        assert_eq!(
            (a.status, a.header("connection")),
            (status, Some("close")),
            "{raw:?}"
        );
        assert!(closed_by_server(&mut stream), "{raw:?}");
    }
    // None of them reached the API.
    assert_eq!(sim.stats().endpoint("POST /api/v2/deals").requests, 0);
    assert_eq!(sim.stats().endpoint("GET /api/v2/deals").requests, 0);
}

#[test]
fn a_body_over_the_limit_gets_the_apis_413_and_the_connection_closes() {
    let sim = start(20);
    let mut stream = connect(&sim);
    send(
        &mut stream,
        &format!(
            "POST /api/v2/deals HTTP/1.1\r\nx-api-token: {TOKEN}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            64u64 << 20
        ),
    );
    let a = answer(&mut stream);
    assert_eq!((a.status, a.header("connection")), (413, Some("close")));
    assert_eq!(a.json()["success"], false);
    assert!(closed_by_server(&mut stream));
}

#[test]
fn every_one_of_many_simultaneous_connections_is_answered() {
    const CLIENTS: usize = 64;
    let sim = start(100);
    let barrier = Barrier::new(CLIENTS);
    let ids: Vec<u64> = std::thread::scope(|scope| {
        let clients: Vec<_> = (1..=CLIENTS as u64)
            .map(|id| {
                let (sim, barrier) = (&sim, &barrier);
                scope.spawn(move || {
                    barrier.wait();
                    let mut stream = connect(sim);
                    send(&mut stream, &get_head(&format!("/api/v2/deals/{id}"), ""));
                    let a = answer(&mut stream);
                    // Every connection stays open until all are answered.
                    barrier.wait();
                    a.json()["data"]["id"].as_u64().expect("an id")
                })
            })
            .collect();
        clients
            .into_iter()
            .map(|c| c.join().expect("client"))
            .collect()
    });
    assert_eq!(ids, (1..=CLIENTS as u64).collect::<Vec<_>>());
}

#[test]
fn clients_that_hold_connections_or_never_read_hold_up_nobody() {
    let sim = start(5000);
    // Idle keep-alive connections, each after one answered request.
    let idle: Vec<TcpStream> = (1..=16)
        .map(|id| {
            let mut stream = connect(&sim);
            send(&mut stream, &get_head(&format!("/api/v2/deals/{id}"), ""));
            assert_eq!(answer(&mut stream).status, 200);
            stream
        })
        .collect();
    // Clients that ask for big pages (about 700 KB each) and never read.
    let stalled: Vec<TcpStream> = (0..16)
        .map(|_| {
            let mut stream = connect(&sim);
            send(&mut stream, &get_head("/api/v2/deals?limit=500", ""));
            stream
        })
        .collect();
    // A newcomer, and an idle connection, are both answered.
    let mut newcomer = connect(&sim);
    send(&mut newcomer, &get_head("/api/v2/deals/42", ""));
    assert_eq!(answer(&mut newcomer).json()["data"]["id"], 42);
    let mut reused = idle.into_iter().next().expect("an idle connection");
    send(&mut reused, &get_head("/api/v2/deals/43", ""));
    assert_eq!(answer(&mut reused).json()["data"]["id"], 43);
    drop(stalled);
}

#[test]
fn stopping_closes_open_connections_and_returns() {
    let sim = start(20);
    let mut idle = connect(&sim);
    send(&mut idle, &get_head("/api/v2/deals/1", ""));
    assert_eq!(answer(&mut idle).status, 200);
    let mut stalled = connect(&sim);
    send(&mut stalled, &get_head("/api/v2/deals?limit=20", ""));
    let port = sim.port();
    drop(sim);
    assert!(closed_by_server(&mut idle));
    assert!(
        TcpStream::connect(("127.0.0.1", port)).is_err(),
        "no longer listening"
    );
    let mut rest = Vec::new();
    let _ = stalled.read_to_end(&mut rest);
}

#[test]
fn a_client_that_closes_mid_request_leaves_the_server_serving() {
    let sim = start(20);
    for partial in [
        "GET /api/v2/deals/1 HTT",
        "POST /api/v2/deals HTTP/1.1\r\nContent-Length: 100\r\n\r\n{\"ti",
    ] {
        let mut stream = connect(&sim);
        send(&mut stream, partial);
        drop(stream);
    }
    let mut stream = connect(&sim);
    send(&mut stream, &get_head("/api/v2/deals/7", ""));
    assert!(matches!(read_answer(&mut stream, false), Outcome::Answered(a) if a.status == 200));
}
