//! The request log: what clients asked and what they got, for tests that
//! assert on traffic (`GET /__sim/requests`, [`crate::Simulator::requests`]).
//!
//! Secrets never enter it: no headers are kept (only which kind of
//! credentials came), and query parameters that carry credentials are
//! masked before the entry is stored.

use crate::time;
use std::collections::VecDeque;
use std::sync::Mutex;

/// The mask written in place of a secret.
pub const MASK: &str = "***";

/// How a request identified itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthKind {
    None,
    /// `x-api-token` header or `api_token` query parameter.
    ApiToken,
    /// `Authorization: Bearer`.
    OAuth,
    /// HTTP Basic client credentials (`/oauth/token`).
    ClientCredentials,
}

impl AuthKind {
    pub fn name(self) -> &'static str {
        match self {
            AuthKind::None => "none",
            AuthKind::ApiToken => "api_token",
            AuthKind::OAuth => "oauth",
            AuthKind::ClientCredentials => "client_credentials",
        }
    }
}

/// One logged request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoggedRequest {
    /// 1 for the first request since the log was reset.
    pub seq: u64,
    /// Unix milliseconds, on the simulator's clock.
    pub time_ms: i64,
    pub method: String,
    pub path: String,
    /// The raw query string, credentials masked.
    pub query: String,
    /// The endpoint key (`GET /api/v2/deals/{id}`), when the path is one.
    pub endpoint: Option<String>,
    /// `None` when the connection was dropped without an answer.
    pub status: Option<u16>,
    /// Tokens charged to the daily budget.
    pub tokens: u32,
    pub auth: AuthKind,
    /// The injected fault, if any (`drop_connection`, `error`, ...).
    pub fault: Option<&'static str>,
    /// Wall-clock time until the answer started going out, injected
    /// latency included (a slow body's trickling is not).
    pub duration_ms: u64,
}

impl LoggedRequest {
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "seq": self.seq,
            "time": rfc3339_millis(self.time_ms),
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "endpoint": self.endpoint,
            "status": self.status,
            "tokens": self.tokens,
            "auth": self.auth.name(),
            "fault": self.fault,
            "duration_ms": self.duration_ms,
        })
    }
}

/// `2025-03-04T10:20:30.123Z`.
fn rfc3339_millis(ms: i64) -> String {
    let seconds = time::rfc3339_string(ms.div_euclid(1000));
    let whole = seconds.trim_end_matches('Z');
    format!("{whole}.{:03}Z", ms.rem_euclid(1000))
}

/// Query parameters whose values are credentials.
fn is_secret_param(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.contains("token") || name.contains("secret") || name.contains("password") || name == "code"
}

/// The raw query with every credential value replaced by [`MASK`].
pub(crate) fn mask_query(raw: &str) -> String {
    raw.split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) if is_secret_param(&crate::query::percent_decode(name)) => {
                format!("{name}={MASK}")
            }
            _ => pair.to_string(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

struct Entries {
    list: VecDeque<LoggedRequest>,
    /// Entries pushed out by the capacity since the last reset.
    dropped: u64,
    next_seq: u64,
}

pub(crate) struct RequestLog {
    capacity: usize,
    entries: Mutex<Entries>,
}

impl RequestLog {
    pub(crate) fn new(capacity: usize) -> RequestLog {
        RequestLog {
            capacity,
            entries: Mutex::new(Entries {
                list: VecDeque::new(),
                dropped: 0,
                next_seq: 1,
            }),
        }
    }

    /// Stores `entry` under the next sequence number (its `seq` is set
    /// here), dropping the oldest beyond the capacity.
    pub(crate) fn push(&self, mut entry: LoggedRequest) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entry.seq = entries.next_seq;
        entries.next_seq += 1;
        if self.capacity == 0 {
            entries.dropped += 1;
            return;
        }
        if entries.list.len() == self.capacity {
            entries.list.pop_front();
            entries.dropped += 1;
        }
        entries.list.push_back(entry);
    }

    /// Entries with `seq > after`, oldest first.
    pub(crate) fn since(&self, after: u64) -> Vec<LoggedRequest> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .list
            .iter()
            .filter(|e| e.seq > after)
            .cloned()
            .collect()
    }

    pub(crate) fn dropped(&self) -> u64 {
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .dropped
    }

    pub(crate) fn reset(&self) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.list.clear();
        entries.dropped = 0;
        entries.next_seq = 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str) -> LoggedRequest {
        LoggedRequest {
            seq: 0,
            time_ms: 1_700_000_000_123,
            method: "GET".into(),
            path: path.into(),
            query: String::new(),
            endpoint: None,
            status: Some(200),
            tokens: 0,
            auth: AuthKind::None,
            fault: None,
            duration_ms: 0,
        }
    }

    #[test]
    fn masks_credentials_in_queries() {
        assert_eq!(
            mask_query("limit=5&api_token=s3cret&cursor=abc&code=xyz&client%5Fsecret=p"),
            "limit=5&api_token=***&cursor=abc&code=***&client%5Fsecret=***"
        );
        assert_eq!(mask_query(""), "");
        assert_eq!(mask_query("flag"), "flag");
    }

    #[test]
    fn bounded_and_resettable() {
        let log = RequestLog::new(2);
        for p in ["/a", "/b", "/c"] {
            log.push(entry(p));
        }
        let kept: Vec<(u64, String)> = log.since(0).into_iter().map(|e| (e.seq, e.path)).collect();
        assert_eq!(kept, [(2, "/b".to_string()), (3, "/c".to_string())]);
        assert_eq!(log.dropped(), 1);
        assert_eq!(log.since(2).len(), 1);
        log.reset();
        log.push(entry("/d"));
        assert_eq!(log.since(0)[0].seq, 1);
        assert_eq!(
            log.since(0)[0].to_json()["time"],
            serde_json::json!("2023-11-14T22:13:20.123Z")
        );
    }
}
