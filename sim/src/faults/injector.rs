//! Decides, request by request, which fault rules hit.

use super::{FaultKind, Faults};
use crate::data::rng::mix;
use std::sync::Mutex;

/// What to do to one request besides waiting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum FaultAction {
    /// Answer with this status instead of serving the request.
    Error(u16),
    DropConnection,
    TruncatedBody,
    MalformedJson,
    SlowBody {
        bytes_per_sec: u64,
    },
}

impl FaultAction {
    pub(crate) fn name(&self) -> &'static str {
        match self {
            FaultAction::Error(_) => "error",
            FaultAction::DropConnection => "drop_connection",
            FaultAction::TruncatedBody => "truncated_body",
            FaultAction::MalformedJson => "malformed_json",
            FaultAction::SlowBody { .. } => "slow_body",
        }
    }
}

/// The verdict for one request.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct FaultDecision {
    pub latency_ms: u64,
    /// The first non-latency rule that hit, if any.
    pub action: Option<FaultAction>,
}

struct State {
    faults: Faults,
    /// Requests each rule's path prefix matched so far.
    matched: Vec<u64>,
}

pub(crate) struct FaultInjector {
    state: Mutex<State>,
}

/// Independent uniform draws for (seed, rule, nth matching request, what).
fn draw(seed: u64, rule: usize, count: u64, what: u64) -> u64 {
    mix(mix(mix(seed ^ 0x6661_756c_7473) ^ rule as u64) ^ mix(count ^ (what << 56)))
}

/// Uniform in `0..n`.
fn below(value: u64, n: u64) -> u64 {
    ((value as u128 * n as u128) >> 64) as u64
}

impl FaultInjector {
    pub(crate) fn new(faults: Faults) -> FaultInjector {
        let matched = vec![0; faults.rules.len()];
        FaultInjector {
            state: Mutex::new(State { faults, matched }),
        }
    }

    pub(crate) fn faults(&self) -> Faults {
        self.state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .faults
            .clone()
    }

    /// Replaces the rules and restarts their request counts.
    pub(crate) fn set(&self, faults: Faults) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.matched = vec![0; faults.rules.len()];
        state.faults = faults;
    }

    /// Counts the request against every rule it matches and returns what
    /// the rules that hit ask for.
    pub(crate) fn decide(&self, path: &str) -> FaultDecision {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let State { faults, matched } = &mut *state;
        let mut decision = FaultDecision::default();
        for (i, rule) in faults.rules.iter().enumerate() {
            if rule
                .path_prefix
                .as_deref()
                .is_some_and(|prefix| !path.starts_with(prefix))
            {
                continue;
            }
            matched[i] += 1;
            let count = matched[i];
            if rule.nth.is_some_and(|n| n != count) {
                continue;
            }
            let hit = below(draw(faults.seed, i, count, 0), 1_000_000)
                < rule.share.parts_per_million() as u64;
            if !hit {
                continue;
            }
            let action = match &rule.kind {
                FaultKind::Latency { min_ms, max_ms } => {
                    let spread = max_ms.saturating_sub(*min_ms).saturating_add(1);
                    let ms = min_ms + below(draw(faults.seed, i, count, 1), spread);
                    decision.latency_ms = decision.latency_ms.saturating_add(ms);
                    continue;
                }
                FaultKind::Error { statuses } => {
                    let pick = below(draw(faults.seed, i, count, 2), statuses.len() as u64);
                    FaultAction::Error(statuses.get(pick as usize).copied().unwrap_or(500))
                }
                FaultKind::DropConnection => FaultAction::DropConnection,
                FaultKind::TruncatedBody => FaultAction::TruncatedBody,
                FaultKind::MalformedJson => FaultAction::MalformedJson,
                FaultKind::SlowBody { bytes_per_sec } => FaultAction::SlowBody {
                    bytes_per_sec: *bytes_per_sec,
                },
            };
            decision.action.get_or_insert(action);
        }
        decision
    }
}

#[cfg(test)]
mod tests {
    use super::super::FaultRule;
    use super::*;

    fn injector(seed: u64, rules: Vec<FaultRule>) -> FaultInjector {
        FaultInjector::new(Faults { seed, rules })
    }

    #[test]
    fn nth_request_under_a_prefix() {
        let f = injector(
            1,
            vec![FaultRule::new(FaultKind::DropConnection)
                .path_prefix("/api/v2/deals")
                .nth(3)],
        );
        let hits: Vec<bool> = [
            "/api/v2/deals",
            "/api/v2/persons",
            "/api/v2/deals",
            "/api/v2/deals",
            "/api/v2/deals",
        ]
        .iter()
        .map(|p| f.decide(p).action.is_some())
        .collect();
        assert_eq!(hits, [false, false, false, true, false]);
    }

    #[test]
    fn shares_are_seeded_and_about_right() {
        let rules = vec![FaultRule::new(FaultKind::Error {
            statuses: vec![500, 502, 503],
        })
        .share(0.25)];
        let run = |seed| {
            let f = injector(seed, rules.clone());
            (0..4000)
                .map(|_| match f.decide("/x").action {
                    Some(FaultAction::Error(s)) => s,
                    _ => 200,
                })
                .collect::<Vec<u16>>()
        };
        let a = run(5);
        assert_eq!(a, run(5));
        assert_ne!(a, run(6));
        let failed = a.iter().filter(|&&s| s != 200).count();
        assert!((900..1100).contains(&failed), "{failed}");
        for status in [500, 502, 503] {
            let n = a.iter().filter(|&&s| s == status).count();
            assert!((250..420).contains(&n), "{status}: {n}");
        }
    }

    #[test]
    fn latency_adds_up_and_stays_in_range() {
        let f = injector(
            3,
            vec![
                FaultRule::new(FaultKind::Latency {
                    min_ms: 10,
                    max_ms: 10,
                }),
                FaultRule::new(FaultKind::Latency {
                    min_ms: 0,
                    max_ms: 5,
                }),
                FaultRule::new(FaultKind::MalformedJson).share(0.0),
            ],
        );
        for _ in 0..100 {
            let d = f.decide("/api/v2/deals");
            assert!((10..=15).contains(&d.latency_ms), "{}", d.latency_ms);
            assert_eq!(d.action, None);
        }
    }
}
