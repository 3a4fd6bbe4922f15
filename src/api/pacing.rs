//! Pacing requests under Pipedrive's rate limits, before the API has to
//! refuse them.
//!
//! Pipedrive limits each token to a burst of requests per rolling 2-second
//! window (`x-ratelimit-limit`, `-remaining`, `-reset` on every answer) and
//! each company to a daily token budget (`x-daily-ratelimit-token-remaining`).
//! Limits count per token, so every connection of this process using the
//! same token shares one governor. It delays a request when the window is
//! used up (or nearly), keeps an optional `MaxRequestsPerSecond` spacing,
//! and refuses at once when the daily budget is gone: retrying then only
//! burns time until midnight.

use crate::diag::{OdbcError, SqlState};
use once_cell::sync::Lazy;
use parking_lot::Mutex;
use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The rate-limit headers of one answer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RateHeaders {
    pub limit: Option<u64>,
    pub remaining: Option<u64>,
    /// Time until the window frees up (`x-ratelimit-reset`, seconds).
    pub reset: Option<Duration>,
    pub daily_remaining: Option<u64>,
}

impl RateHeaders {
    pub fn from_headers(headers: &reqwest::header::HeaderMap) -> RateHeaders {
        let number = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<f64>().ok())
                .filter(|v| v.is_finite() && *v >= 0.0)
        };
        RateHeaders {
            limit: number("x-ratelimit-limit").map(|v| v as u64),
            remaining: number("x-ratelimit-remaining").map(|v| v as u64),
            reset: number("x-ratelimit-reset").map(|v| Duration::from_secs_f64(v.min(3600.0))),
            daily_remaining: number("x-daily-ratelimit-token-remaining").map(|v| v as u64),
        }
    }

    /// Whether this answer says the company's daily budget is used up.
    pub fn daily_budget_exhausted(&self) -> bool {
        self.daily_remaining == Some(0)
    }
}

/// What the governor decides for a request about to be sent.
#[derive(Debug, Clone, PartialEq)]
pub enum Admission {
    Go,
    /// Send after this long.
    Wait(Duration),
    Refuse(OdbcError),
}

/// How long a spent daily budget is trusted before a request is let
/// through to ask again (the budget resets at Pipedrive's midnight, which
/// the driver cannot know).
const DAILY_BUDGET_RECHECK: Duration = Duration::from_secs(60);

/// When fewer than this share of the window's requests remain, the rest are
/// spread over the time left instead of sent at once.
const SPREAD_BELOW_FRACTION: u64 = 4;

#[derive(Debug, Default)]
struct PacingState {
    /// The earliest time the next request may go (spacing and spreading).
    next_slot: Option<Instant>,
    /// The window is used up until then.
    window_closed_until: Option<Instant>,
    /// When an answer last said the daily budget was gone.
    daily_budget_spent_at: Option<Instant>,
}

#[derive(Debug)]
pub struct RateGovernor {
    /// From `MaxRequestsPerSecond`: the least time between two requests.
    min_interval: Option<Duration>,
    state: Mutex<PacingState>,
}

pub fn daily_budget_error() -> OdbcError {
    OdbcError::new(
        SqlState::GeneralError,
        "Pipedrive's daily API budget for this company is used up \
         (x-daily-ratelimit-token-remaining: 0); requests are refused until it resets at \
         midnight, Pipedrive's server time",
    )
    .with_native(429)
}

fn pacing_timeout(wait: Duration) -> OdbcError {
    OdbcError::new(
        SqlState::TimeoutExpired,
        format!(
            "Pipedrive's rate limit leaves no request before Timeout expires (the next one may go in {} ms)",
            wait.as_millis()
        ),
    )
}

impl RateGovernor {
    /// `max_per_second`: `MaxRequestsPerSecond`, `None` or 0 for no cap.
    pub fn new(max_per_second: Option<f64>) -> RateGovernor {
        RateGovernor {
            min_interval: max_per_second
                .filter(|r| r.is_finite() && *r > 0.0)
                .map(|r| Duration::from_secs_f64(1.0 / r)),
            state: Mutex::new(PacingState::default()),
        }
    }

    /// Decides for a request at `now`, reserving its slot when it may go
    /// (now or after the returned wait).
    pub fn admit_at(&self, now: Instant, deadline: Option<Instant>) -> Admission {
        let mut state = self.state.lock();
        if let Some(spent_at) = state.daily_budget_spent_at {
            if now.saturating_duration_since(spent_at) < DAILY_BUDGET_RECHECK {
                return Admission::Refuse(daily_budget_error());
            }
            state.daily_budget_spent_at = None;
        }
        let mut slot = now;
        for limit in [state.next_slot, state.window_closed_until]
            .into_iter()
            .flatten()
        {
            slot = slot.max(limit);
        }
        let wait = slot.saturating_duration_since(now);
        if deadline.is_some_and(|d| slot > d) {
            return Admission::Refuse(pacing_timeout(wait));
        }
        state.next_slot = self.min_interval.map(|interval| slot + interval);
        if wait.is_zero() {
            Admission::Go
        } else {
            Admission::Wait(wait)
        }
    }

    /// Waits until a request may be sent, or says why it may not.
    pub fn admit(&self, deadline: Option<Instant>) -> Result<(), OdbcError> {
        match self.admit_at(Instant::now(), deadline) {
            Admission::Go => Ok(()),
            // The slot is reserved: sleeping outside the lock lets other
            // connections reserve the slots after it meanwhile.
            Admission::Wait(wait) => super::interrupt::sleep(wait),
            Admission::Refuse(error) => Err(error),
        }
    }

    /// Learns from an answer's headers, received at `now`.
    pub fn observe_at(&self, headers: &RateHeaders, now: Instant) {
        let mut state = self.state.lock();
        if headers.daily_budget_exhausted() {
            state.daily_budget_spent_at = Some(now);
        }
        let (Some(remaining), Some(reset)) = (headers.remaining, headers.reset) else {
            return;
        };
        if remaining == 0 {
            state.window_closed_until = Some(now + reset);
            return;
        }
        state.window_closed_until = None;
        // Nearly used up: spread what is left over the rest of the window,
        // so that a scan slows down instead of running into 429s.
        let limit = headers.limit.unwrap_or(0);
        if remaining * SPREAD_BELOW_FRACTION < limit {
            let spacing = reset / (remaining as u32).max(1);
            let next = now + spacing;
            state.next_slot = Some(state.next_slot.map_or(next, |slot| slot.max(next)));
        }
    }

    pub fn observe(&self, headers: &RateHeaders) {
        self.observe_at(headers, Instant::now());
    }
}

/// Governors by (token, cap): connections with the same credentials share
/// the API's per-token window. The key is a hash, so no token is kept.
static GOVERNORS: Lazy<Mutex<HashMap<(u64, u64), Arc<RateGovernor>>>> = Lazy::new(Default::default);

/// The governor of the connections that use `credential` (a token; only its
/// hash is kept) with this `MaxRequestsPerSecond`.
pub fn governor_for(credential: &str, max_per_second: Option<f64>) -> Arc<RateGovernor> {
    let mut hasher = DefaultHasher::new();
    credential.hash(&mut hasher);
    let cap = max_per_second.map_or(0, f64::to_bits);
    GOVERNORS
        .lock()
        .entry((hasher.finish(), cap))
        .or_insert_with(|| Arc::new(RateGovernor::new(max_per_second)))
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(limit: u64, remaining: u64, reset_s: u64) -> RateHeaders {
        RateHeaders {
            limit: Some(limit),
            remaining: Some(remaining),
            reset: Some(Duration::from_secs(reset_s)),
            daily_remaining: None,
        }
    }

    #[test]
    fn requests_go_at_once_while_the_window_has_room() {
        let governor = RateGovernor::new(None);
        let now = Instant::now();
        governor.observe_at(&headers(40, 30, 2), now);
        assert_eq!(governor.admit_at(now, None), Admission::Go);
        assert_eq!(governor.admit_at(now, None), Admission::Go);
    }

    #[test]
    fn a_used_up_window_delays_the_next_request_until_it_frees() {
        let governor = RateGovernor::new(None);
        let now = Instant::now();
        governor.observe_at(&headers(40, 0, 2), now);
        assert_eq!(
            governor.admit_at(now, None),
            Admission::Wait(Duration::from_secs(2))
        );
        let later = now + Duration::from_millis(1500);
        assert_eq!(
            governor.admit_at(later, None),
            Admission::Wait(Duration::from_millis(500))
        );
        // An answer with room reopens it.
        governor.observe_at(&headers(40, 39, 2), later);
        assert_eq!(governor.admit_at(later, None), Admission::Go);
    }

    #[test]
    fn the_last_requests_of_a_window_are_spread_over_it() {
        let governor = RateGovernor::new(None);
        let now = Instant::now();
        // 4 of 40 left with 2 s to go: one every 500 ms.
        governor.observe_at(&headers(40, 4, 2), now);
        assert_eq!(
            governor.admit_at(now, None),
            Admission::Wait(Duration::from_millis(500))
        );
    }

    #[test]
    fn a_wait_past_the_deadline_is_hyt00() {
        let governor = RateGovernor::new(None);
        let now = Instant::now();
        governor.observe_at(&headers(40, 0, 2), now);
        let Admission::Refuse(error) = governor.admit_at(now, Some(now + Duration::from_secs(1)))
        else {
            panic!("expected a refusal");
        };
        assert_eq!(error.state, SqlState::TimeoutExpired);
        assert!(error.message.contains("rate limit"), "{}", error.message);
    }

    #[test]
    fn max_requests_per_second_spaces_requests() {
        let governor = RateGovernor::new(Some(4.0));
        let now = Instant::now();
        assert_eq!(governor.admit_at(now, None), Admission::Go);
        assert_eq!(
            governor.admit_at(now, None),
            Admission::Wait(Duration::from_millis(250))
        );
        assert_eq!(
            governor.admit_at(now, None),
            Admission::Wait(Duration::from_millis(500))
        );
        let later = now + Duration::from_secs(2);
        assert_eq!(governor.admit_at(later, None), Admission::Go);
    }

    #[test]
    fn a_spent_daily_budget_refuses_at_once_then_asks_again_later() {
        let governor = RateGovernor::new(None);
        let now = Instant::now();
        governor.observe_at(
            &RateHeaders {
                daily_remaining: Some(0),
                ..RateHeaders::default()
            },
            now,
        );
        let Admission::Refuse(error) = governor.admit_at(now + Duration::from_secs(5), None) else {
            panic!("expected a refusal");
        };
        assert_eq!(error.native, 429);
        assert!(error.message.contains("daily API budget"));
        assert_eq!(
            governor.admit_at(now + DAILY_BUDGET_RECHECK, None),
            Admission::Go
        );
    }

    #[test]
    fn headers_are_read_leniently() {
        let mut map = reqwest::header::HeaderMap::new();
        map.insert("x-ratelimit-limit", "40".parse().unwrap());
        map.insert("x-ratelimit-remaining", " 7 ".parse().unwrap());
        map.insert("x-ratelimit-reset", "1.5".parse().unwrap());
        map.insert("x-daily-ratelimit-token-remaining", "junk".parse().unwrap());
        assert_eq!(
            RateHeaders::from_headers(&map),
            RateHeaders {
                limit: Some(40),
                remaining: Some(7),
                reset: Some(Duration::from_millis(1500)),
                daily_remaining: None,
            }
        );
    }

    #[test]
    fn connections_with_the_same_token_share_a_governor() {
        let a = governor_for("token-a", None);
        let b = governor_for("token-a", None);
        let c = governor_for("token-b", None);
        assert!(Arc::ptr_eq(&a, &b));
        assert!(!Arc::ptr_eq(&a, &c));
    }
}
