//! Faults and latency, for testing how a client copes with a bad network
//! or a struggling server: delays, 5xx answers, dropped connections,
//! truncated or malformed bodies, bodies trickled slowly.
//!
//! Each [`FaultRule`] picks requests by path prefix, by position (the Nth
//! matching request) and by share (a fraction of them); which requests it
//! hits is a pure function of the seed, the rule's position in the list and
//! how many matching requests came before, so a run with the same seed and
//! the same request sequence fails the same way. Rules are set per run
//! ([`crate::SimConfig::faults`], CLI flags) and at runtime
//! ([`crate::Simulator::set_faults`], `PUT /__sim/faults`). The simulator's
//! own `/__sim/` endpoints are never faulted.

mod injector;
mod json;
pub(crate) mod wire;

pub(crate) use injector::{FaultAction, FaultInjector};
pub(crate) use json::{faults_from_json, faults_to_json};

/// A fraction of requests, kept in parts per million so configurations
/// compare exactly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Share(u32);

impl Share {
    pub const ALWAYS: Share = Share(1_000_000);

    /// `None` unless `0.0 <= fraction <= 1.0`.
    pub fn from_fraction(fraction: f64) -> Option<Share> {
        (0.0..=1.0)
            .contains(&fraction)
            .then(|| Share((fraction * 1_000_000.0).round() as u32))
    }

    pub fn fraction(self) -> f64 {
        self.0 as f64 / 1_000_000.0
    }

    fn parts_per_million(self) -> u32 {
        self.0
    }
}

/// What happens to a request a rule hits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FaultKind {
    /// Wait before answering: `min_ms` when equal to `max_ms`, otherwise a
    /// seeded draw in between. Latency rules add up, and combine with the
    /// other kinds.
    Latency { min_ms: u64, max_ms: u64 },
    /// Answer with one of these statuses (500, 502, 503, ...) instead of
    /// serving the request; a seeded draw picks among several.
    Error { statuses: Vec<u16> },
    /// Close the connection without answering.
    DropConnection,
    /// Promise the whole body in `Content-Length`, send half of it, close.
    TruncatedBody,
    /// A complete HTTP answer whose body is cut in half: not valid JSON.
    MalformedJson,
    /// Send the body at this many bytes per second.
    SlowBody { bytes_per_sec: u64 },
}

impl FaultKind {
    /// The name used in JSON and in the request log.
    pub fn name(&self) -> &'static str {
        match self {
            FaultKind::Latency { .. } => "latency",
            FaultKind::Error { .. } => "error",
            FaultKind::DropConnection => "drop_connection",
            FaultKind::TruncatedBody => "truncated_body",
            FaultKind::MalformedJson => "malformed_json",
            FaultKind::SlowBody { .. } => "slow_body",
        }
    }
}

/// One fault and the requests it applies to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FaultRule {
    pub kind: FaultKind,
    /// Only requests whose path starts with this (e.g. `/api/v2/deals`).
    pub path_prefix: Option<String>,
    /// Only the Nth request (1-based) matching `path_prefix`, counted since
    /// the rules were set: "the 3rd page of a scan".
    pub nth: Option<u64>,
    /// The fraction of the (remaining) matching requests hit.
    pub share: Share,
}

impl FaultRule {
    /// A rule hitting every request.
    pub fn new(kind: FaultKind) -> FaultRule {
        FaultRule {
            kind,
            path_prefix: None,
            nth: None,
            share: Share::ALWAYS,
        }
    }

    pub fn path_prefix(mut self, prefix: &str) -> FaultRule {
        self.path_prefix = Some(prefix.to_string());
        self
    }

    pub fn nth(mut self, n: u64) -> FaultRule {
        self.nth = Some(n);
        self
    }

    /// Panics unless `0.0 <= fraction <= 1.0` (a programming error in a
    /// test; HTTP and CLI input are validated instead).
    pub fn share(mut self, fraction: f64) -> FaultRule {
        self.share = Share::from_fraction(fraction)
            .unwrap_or_else(|| panic!("fault share {fraction} is not in 0..=1"));
        self
    }
}

/// The fault rules of a run, and the seed of their random draws.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Faults {
    pub seed: u64,
    pub rules: Vec<FaultRule>,
}

impl Faults {
    pub(crate) fn validate(&self) -> Result<(), String> {
        for rule in &self.rules {
            match &rule.kind {
                FaultKind::Latency { min_ms, max_ms } if min_ms > max_ms => {
                    return Err(format!("latency: {min_ms} ms is more than {max_ms} ms"));
                }
                FaultKind::Error { statuses } => {
                    if statuses.is_empty() {
                        return Err("error fault: no status to answer with".to_string());
                    }
                    if let Some(s) = statuses.iter().find(|s| !(400..=599).contains(*s)) {
                        return Err(format!("error fault: {s} is not an error status"));
                    }
                }
                FaultKind::SlowBody { bytes_per_sec: 0 } => {
                    return Err("slow body: at least 1 byte per second".to_string());
                }
                _ => {}
            }
            if rule.nth == Some(0) {
                return Err("fault nth: requests are counted from 1".to_string());
            }
        }
        Ok(())
    }
}
