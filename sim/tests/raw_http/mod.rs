//! A raw HTTP/1.1 client over std's TcpStream for the OAuth, rate-limit,
//! fault and request-log tests: any method, headers and body, and an
//! honest account of what came back, including answers that never came
//! (dropped connections) or came short (truncated bodies).
#![allow(dead_code)]

use serde_json::Value;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

pub const TOKEN: &str = "demo-token";

/// What a request got.
#[derive(Debug)]
pub enum Outcome {
    /// A complete answer.
    Answered(Answer),
    /// The connection closed before any byte of an answer.
    Closed,
    /// The head arrived, then the connection closed before `Content-Length`
    /// bytes of body.
    Truncated { answer: Answer, promised: usize },
}

#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    /// Names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
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

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

impl Outcome {
    /// The complete answer; panics on anything else.
    pub fn answer(self) -> Answer {
        match self {
            Outcome::Answered(a) => a,
            other => panic!("expected a complete answer, got {other:?}"),
        }
    }
}

/// A request being built.
pub struct Req {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

pub fn req(method: &str, target: &str) -> Req {
    Req {
        method: method.to_string(),
        target: target.to_string(),
        headers: Vec::new(),
        body: Vec::new(),
    }
}

impl Req {
    pub fn header(mut self, name: &str, value: &str) -> Req {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    pub fn api_token(self) -> Req {
        self.header("x-api-token", TOKEN)
    }

    pub fn bearer(self, access_token: &str) -> Req {
        self.header("Authorization", &format!("Bearer {access_token}"))
    }

    pub fn form(mut self, pairs: &[(&str, &str)]) -> Req {
        let body: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect();
        self.body = body.join("&").into_bytes();
        self.header("Content-Type", "application/x-www-form-urlencoded")
    }

    pub fn body(mut self, body: &[u8]) -> Req {
        self.body = body.to_vec();
        self
    }

    /// Sends on a fresh connection that stays open (keep-alive), reading
    /// the answer by its `Content-Length`.
    pub fn send(&self, port: u16) -> Outcome {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .expect("timeout");
        let mut head = format!(
            "{} {} HTTP/1.1\r\nHost: 127.0.0.1\r\n",
            self.method, self.target
        );
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!("Content-Length: {}\r\n\r\n", self.body.len()));
        stream.write_all(head.as_bytes()).expect("send head");
        stream.write_all(&self.body).expect("send body");
        read_answer(&mut stream, self.method == "HEAD")
    }
}

/// Reads one answer; the body by `Content-Length`, stopping early at EOF.
pub fn read_answer(stream: &mut TcpStream, head_only: bool) -> Outcome {
    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    let split = loop {
        if let Some(pos) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos;
        }
        let n = stream.read(&mut buf).expect("read head");
        if n == 0 {
            assert!(raw.is_empty(), "connection closed inside the head");
            return Outcome::Closed;
        }
        raw.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let promised: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .expect("Content-Length");
    let mut body = raw[split + 4..].to_vec();
    let wanted = if head_only { 0 } else { promised };
    while body.len() < wanted {
        let n = stream.read(&mut buf).expect("read body");
        if n == 0 {
            let answer = Answer {
                status,
                headers,
                body,
            };
            return Outcome::Truncated { answer, promised };
        }
        body.extend_from_slice(&buf[..n]);
    }
    Outcome::Answered(Answer {
        status,
        headers,
        body,
    })
}

/// Percent-encodes a query or form component.
pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Decodes `%XX` (for reading redirect URLs).
pub fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&text[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).expect("UTF-8")
}

/// The value of `name` in a URL's query.
pub fn query_param(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| decode(v))
}

/// `Basic base64(id:secret)`.
pub fn basic(id: &str, secret: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let input = format!("{id}:{secret}").into_bytes();
    let mut out = String::new();
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    format!("Basic {out}")
}
