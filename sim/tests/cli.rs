//! The `pipedrive-sim` binary: flags, port file, log line, serving.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_pipedrive-sim");

#[test]
fn help_documents_every_flag() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for flag in [
        "--port",
        "--port-file",
        "--token",
        "--seed",
        "--deals",
        "--persons",
        "--organizations",
        "--users",
        "x-api-token",
        "/api/v2",
    ] {
        assert!(help.contains(flag), "{flag}");
    }
}

#[test]
fn bad_flags_exit_with_an_error() {
    let out = Command::new(BIN)
        .args(["--deals", "lots"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--deals"));
}

/// Kills the child when the test ends, pass or fail.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn serves_on_the_port_it_writes_to_the_port_file() {
    let dir = std::env::temp_dir().join(format!("pipedrive-sim-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let port_file = dir.join("port");
    let mut child = Child(
        Command::new(BIN)
            .args([
                "--port",
                "0",
                "--token",
                "T0K",
                "--seed",
                "5",
                "--deals",
                "1000000",
                "--persons",
                "50",
                "--organizations",
                "9",
                "--users",
                "6",
            ])
            .arg("--port-file")
            .arg(&port_file)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let started = Instant::now();
    let port: u16 = loop {
        if let Ok(text) = std::fs::read_to_string(&port_file) {
            break text.trim().parse().expect("port file holds a port number");
        }
        assert!(started.elapsed() < Duration::from_secs(10), "no port file");
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut line = String::new();
    BufReader::new(child.0.stderr.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(line.contains(&format!("http://127.0.0.1:{port}")), "{line}");

    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.write_all(b"GET /api/v2/deals/1000000 HTTP/1.1\r\nHost: x\r\nx-api-token: T0K\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("\"id\":1000000"));
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .write_all(b"GET /v1/users HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 401"), "{response}");
    drop(child);
    std::fs::remove_dir_all(&dir).unwrap();
}
