//! Proxy settings through unixODBC: requests go to the configured proxy
//! (with its credentials), exceptions go direct.

mod common;

use odbc_api::{ConnectionOptions, Environment};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::mpsc;

/// A one-shot "proxy" that records the request head it receives and
/// answers 502, so the connection attempt fails after reaching it.
fn recording_proxy() -> (u16, mpsc::Receiver<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        if let Ok((stream, _)) = listener.accept() {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut head = Vec::new();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                head.push(line.trim_end().to_string());
            }
            let mut stream = stream;
            let _ = stream.write_all(
                b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
            );
            let _ = tx.send(head);
        }
    });
    (port, rx)
}

#[test]
fn requests_use_the_configured_proxy_with_its_credentials() {
    let sim = common::start_sim(5);
    let (proxy_port, seen) = recording_proxy();
    let env = Environment::new().unwrap();
    let conn_str = format!("{};ProxyServer=127.0.0.1;ProxyPort={proxy_port};ProxyUser=alice;ProxyPassword=s3cret-proxy-pw;Timeout=10", common::connection_string(&sim));
    let err = env
        .connect_with_connection_string(&conn_str, ConnectionOptions::default())
        .err()
        .expect("the proxy answers 502");
    assert!(!err.to_string().contains("s3cret-proxy-pw"), "{err}");
    let head = seen
        .recv_timeout(std::time::Duration::from_secs(10))
        .expect("the proxy was used");
    let request_line = &head[0];
    assert!(
        request_line.starts_with(&format!("GET {}/api/v1/users/me", sim.base_url())),
        "{request_line}"
    );
    // base64("alice:s3cret-proxy-pw")
    assert!(
        head.iter()
            .any(|h| h
                .eq_ignore_ascii_case("proxy-authorization: Basic YWxpY2U6czNjcmV0LXByb3h5LXB3")),
        "{head:?}"
    );
}

#[test]
fn proxy_exceptions_go_direct() {
    let sim = common::start_sim(5);
    let (proxy_port, seen) = recording_proxy();
    let env = Environment::new().unwrap();
    let conn_str = format!(
        "{};ProxyServer=127.0.0.1;ProxyPort={proxy_port};ProxyExceptions=127.0.0.1",
        common::connection_string(&sim)
    );
    env.connect_with_connection_string(&conn_str, ConnectionOptions::default())
        .expect("direct connection");
    assert!(
        seen.try_recv().is_err(),
        "the excepted host did not go through the proxy"
    );
}
