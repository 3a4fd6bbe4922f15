//! Request counters, per endpoint, so tests can assert how a client used
//! the API (how many pages, how many rows) without instrumenting it.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// Counters of one endpoint, keyed like `GET /api/v2/deals` or
/// `GET /api/v2/deals/{id}` (v1 endpoints are counted under `/api/v1`
/// whichever prefix was used).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EndpointStats {
    /// Requests answered, whatever their status.
    pub requests: u64,
    /// Records returned in `data` (1 for a single-record GET).
    pub rows: u64,
    /// Requests answered with a status of 400 or above, or not answered
    /// at all (a dropped connection).
    pub errors: u64,
    /// Tokens charged to the daily budget (the operation's `x-token-cost`
    /// per admitted request).
    pub tokens: u64,
}

/// A snapshot of all counters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// All API requests, including unauthorised and unknown paths (but not
    /// the `/__sim/` introspection endpoints).
    pub total_requests: u64,
    pub endpoints: BTreeMap<String, EndpointStats>,
    /// Tokens charged, all endpoints together (paths that are no endpoint
    /// included).
    pub total_tokens: u64,
}

impl Stats {
    /// Counters of one endpoint; zeros if it was never called.
    pub fn endpoint(&self, key: &str) -> EndpointStats {
        self.endpoints.get(key).copied().unwrap_or_default()
    }

    /// The snapshot as the `GET /__sim/stats` JSON document.
    pub fn to_json(&self) -> serde_json::Value {
        let endpoints: serde_json::Map<String, serde_json::Value> = self
            .endpoints
            .iter()
            .map(|(k, e)| {
                (
                    k.clone(),
                    serde_json::json!({
                        "requests": e.requests,
                        "rows": e.rows,
                        "errors": e.errors,
                        "tokens": e.tokens,
                    }),
                )
            })
            .collect();
        serde_json::json!({
            "total_requests": self.total_requests,
            "total_tokens": self.total_tokens,
            "endpoints": endpoints,
        })
    }
}

#[derive(Default)]
pub(crate) struct StatsRecorder {
    total: AtomicU64,
    tokens: AtomicU64,
    endpoints: Mutex<BTreeMap<String, EndpointStats>>,
}

impl StatsRecorder {
    /// Records one answered request; `endpoint` is `None` for paths that
    /// matched no endpoint.
    pub(crate) fn record(&self, endpoint: Option<&str>, status: u16, rows: u64) {
        self.total.fetch_add(1, Ordering::Relaxed);
        let Some(key) = endpoint else { return };
        let mut map = self.endpoints.lock().unwrap_or_else(|e| e.into_inner());
        let entry = map.entry(key.to_string()).or_default();
        entry.requests += 1;
        entry.rows += rows;
        // Status 0: no answer at all.
        if status >= 400 || status == 0 {
            entry.errors += 1;
        }
    }

    /// Adds tokens charged for a request to `endpoint` (`None`: a path that
    /// matched no endpoint).
    pub(crate) fn record_tokens(&self, endpoint: Option<&str>, tokens: u64) {
        if tokens == 0 {
            return;
        }
        self.tokens.fetch_add(tokens, Ordering::Relaxed);
        let Some(key) = endpoint else { return };
        let mut map = self.endpoints.lock().unwrap_or_else(|e| e.into_inner());
        map.entry(key.to_string()).or_default().tokens += tokens;
    }

    pub(crate) fn snapshot(&self) -> Stats {
        let map = self.endpoints.lock().unwrap_or_else(|e| e.into_inner());
        Stats {
            total_requests: self.total.load(Ordering::Relaxed),
            endpoints: map.clone(),
            total_tokens: self.tokens.load(Ordering::Relaxed),
        }
    }

    pub(crate) fn reset(&self) {
        let mut map = self.endpoints.lock().unwrap_or_else(|e| e.into_inner());
        map.clear();
        self.total.store(0, Ordering::Relaxed);
        self.tokens.store(0, Ordering::Relaxed);
    }
}
