//! Pipedrive's rate limits (REFERENCE.md section 7), off unless configured:
//!
//! * a burst limit: requests per rolling 2-second window, per token (each
//!   API token and each OAuth access token has its own window; OAuth tokens
//!   get four times the API token's limit, as on every Pipedrive plan);
//! * a daily token budget shared by the whole company: every request spends
//!   its operation's `x-token-cost`, and once the budget is spent every
//!   request gets 429 until the next UTC midnight.
//!
//! Answers carry `x-ratelimit-limit`, `x-ratelimit-remaining` and
//! `x-ratelimit-reset` (burst) and `x-daily-ratelimit-token-limit` and
//! `x-daily-ratelimit-token-remaining` (budget); a 429 adds `Retry-After`.
//! Time comes from the simulator's clock, so tests move it instead of
//! sleeping.

mod cost;
mod token_costs;

pub(crate) use cost::token_cost;

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

const DAY_MS: i64 = 86_400_000;

/// Rate-limit settings. The default limits nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateLimits {
    /// Requests per window per API token; `None`: no burst limit.
    pub burst: Option<u32>,
    /// Requests per window per OAuth access token; `None`: four times
    /// `burst`.
    pub oauth_burst: Option<u32>,
    /// Tokens the company may spend per UTC day; `None`: unlimited.
    pub daily_budget: Option<u64>,
    /// Length of the rolling burst window, in milliseconds.
    pub window_ms: u64,
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits {
            burst: None,
            oauth_burst: None,
            daily_budget: None,
            window_ms: 2_000,
        }
    }
}

impl RateLimits {
    pub(crate) fn validate(&self) -> Result<(), String> {
        if self.burst == Some(0) || self.oauth_burst == Some(0) {
            return Err("rate-limit burst: at least 1 request per window".to_string());
        }
        if self.window_ms == 0 {
            return Err("rate-limit window: must be at least 1 ms".to_string());
        }
        Ok(())
    }

    fn burst_for(&self, caller: Caller) -> Option<u32> {
        match caller {
            Caller::ApiToken => self.burst,
            Caller::OAuth(_) => self.oauth_burst.or(self.burst.map(|b| b.saturating_mul(4))),
        }
    }
}

/// Whose burst window a request counts in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Caller {
    /// The company's API token.
    ApiToken,
    /// One OAuth access token, by its id in the OAuth store.
    OAuth(u64),
}

/// Which limit refused a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Exceeded {
    Burst,
    DailyBudget,
}

/// The limiter's verdict on one request.
pub(crate) struct Admission {
    /// `None` when admitted; otherwise the limit it ran into.
    pub refused: Option<Exceeded>,
    /// Tokens charged to the budget (0 when refused).
    pub tokens: u32,
    /// Rate-limit headers for the answer (with `Retry-After` when refused).
    pub headers: Vec<(&'static str, String)>,
}

struct Usage {
    /// Admission times (ms) of recent requests, per caller, oldest first.
    windows: HashMap<Caller, VecDeque<i64>>,
    /// The UTC day (days since 1970) `spent` belongs to.
    day: i64,
    spent: u64,
}

pub(crate) struct RateLimiter {
    limits: Mutex<RateLimits>,
    usage: Mutex<Usage>,
}

/// Whole seconds until `ms` milliseconds have passed, at least 1.
fn seconds_until(ms: i64) -> u64 {
    (ms.max(1) as u64).div_ceil(1000)
}

impl RateLimiter {
    pub(crate) fn new(limits: RateLimits) -> RateLimiter {
        RateLimiter {
            limits: Mutex::new(limits),
            usage: Mutex::new(Usage {
                windows: HashMap::new(),
                day: 0,
                spent: 0,
            }),
        }
    }

    pub(crate) fn limits(&self) -> RateLimits {
        self.limits
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub(crate) fn set_limits(&self, limits: RateLimits) {
        *self.limits.lock().unwrap_or_else(|e| e.into_inner()) = limits;
    }

    /// Forgets every window and the day's spending.
    pub(crate) fn reset(&self) {
        let mut usage = self.usage.lock().unwrap_or_else(|e| e.into_inner());
        usage.windows.clear();
        usage.spent = 0;
    }

    /// Tokens spent today (as of `now_ms`).
    pub(crate) fn spent_today(&self, now_ms: i64) -> u64 {
        let usage = self.usage.lock().unwrap_or_else(|e| e.into_inner());
        if usage.day == now_ms.div_euclid(DAY_MS) {
            usage.spent
        } else {
            0
        }
    }

    /// Admits or refuses a request of `caller` that costs `cost` tokens,
    /// counting it when admitted.
    pub(crate) fn admit(&self, caller: Caller, cost: u32, now_ms: i64) -> Admission {
        let limits = self.limits();
        let mut usage = self.usage.lock().unwrap_or_else(|e| e.into_inner());
        let today = now_ms.div_euclid(DAY_MS);
        if usage.day != today {
            usage.day = today;
            usage.spent = 0;
        }
        let mut headers = Vec::new();
        let mut refused = None;
        let mut retry_after_ms = 0;

        // The budget first: once it is spent, nothing gets through.
        if let Some(budget) = limits.daily_budget {
            if usage.spent >= budget {
                refused = Some(Exceeded::DailyBudget);
                retry_after_ms = (today + 1) * DAY_MS - now_ms;
            }
        }

        let burst = limits.burst_for(caller);
        if let Some(limit) = burst {
            let window = limits.window_ms as i64;
            let times = usage.windows.entry(caller).or_default();
            while times.front().is_some_and(|&t| t <= now_ms - window) {
                times.pop_front();
            }
            if refused.is_none() && times.len() >= limit as usize {
                refused = Some(Exceeded::Burst);
            }
            if refused.is_none() {
                times.push_back(now_ms);
            }
            let frees_at = times.front().map_or(now_ms + window, |&t| t + window);
            if refused == Some(Exceeded::Burst) {
                retry_after_ms = frees_at - now_ms;
            }
            let remaining = (limit as usize).saturating_sub(times.len());
            headers.push(("x-ratelimit-limit", limit.to_string()));
            headers.push(("x-ratelimit-remaining", remaining.to_string()));
            headers.push((
                "x-ratelimit-reset",
                seconds_until(frees_at - now_ms).to_string(),
            ));
        }
        // Windows of callers that went quiet would otherwise pile up (one
        // per OAuth access token ever used).
        if usage.windows.len() > 1024 {
            let window = limits.window_ms as i64;
            usage
                .windows
                .retain(|_, times| times.back().is_some_and(|&t| t > now_ms - window));
        }

        let tokens = if refused.is_none() { cost } else { 0 };
        usage.spent = usage.spent.saturating_add(tokens as u64);
        if let Some(budget) = limits.daily_budget {
            headers.push(("x-daily-ratelimit-token-limit", budget.to_string()));
            let left = budget.saturating_sub(usage.spent);
            headers.push(("x-daily-ratelimit-token-remaining", left.to_string()));
        }
        if refused.is_some() {
            headers.push(("Retry-After", seconds_until(retry_after_ms).to_string()));
        }
        Admission {
            refused,
            tokens,
            headers,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header<'a>(a: &'a Admission, name: &str) -> Option<&'a str> {
        a.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn off_by_default_but_still_counts_tokens() {
        let limiter = RateLimiter::new(RateLimits::default());
        for _ in 0..1000 {
            let a = limiter.admit(Caller::ApiToken, 10, 5_000);
            assert!(a.refused.is_none() && a.headers.is_empty());
            assert_eq!(a.tokens, 10);
        }
        assert_eq!(limiter.spent_today(5_000), 10_000);
    }

    #[test]
    fn rolling_window_per_caller() {
        let limiter = RateLimiter::new(RateLimits {
            burst: Some(3),
            ..RateLimits::default()
        });
        let t0 = 1_000_000;
        for (i, at) in [t0, t0 + 500, t0 + 900].into_iter().enumerate() {
            let a = limiter.admit(Caller::ApiToken, 1, at);
            assert!(a.refused.is_none());
            assert_eq!(
                header(&a, "x-ratelimit-remaining"),
                Some(&*(2 - i).to_string())
            );
        }
        let refused = limiter.admit(Caller::ApiToken, 1, t0 + 1_000);
        assert_eq!(refused.refused, Some(Exceeded::Burst));
        assert_eq!(refused.tokens, 0);
        // The first request leaves the window at t0 + 2000: 1 s from now.
        assert_eq!(header(&refused, "Retry-After"), Some("1"));
        assert_eq!(header(&refused, "x-ratelimit-remaining"), Some("0"));
        // OAuth tokens have their own, four times larger, windows.
        for _ in 0..12 {
            assert!(limiter
                .admit(Caller::OAuth(1), 1, t0 + 1_000)
                .refused
                .is_none());
        }
        assert!(limiter
            .admit(Caller::OAuth(1), 1, t0 + 1_000)
            .refused
            .is_some());
        // Rolling: at t0 + 2000 only the first request has left.
        assert!(limiter
            .admit(Caller::ApiToken, 1, t0 + 2_000)
            .refused
            .is_none());
        assert!(limiter
            .admit(Caller::ApiToken, 1, t0 + 2_000)
            .refused
            .is_some());
    }

    #[test]
    fn daily_budget_until_utc_midnight() {
        let limiter = RateLimiter::new(RateLimits {
            daily_budget: Some(25),
            ..RateLimits::default()
        });
        let noon = 20_000 * DAY_MS + DAY_MS / 2;
        let costs: Vec<u32> = (0..4)
            .map(|_| limiter.admit(Caller::ApiToken, 10, noon).tokens)
            .collect();
        // 10 + 10 + 10 overdraws to 0 left; the fourth is refused.
        assert_eq!(costs, [10, 10, 10, 0]);
        let refused = limiter.admit(Caller::ApiToken, 10, noon);
        assert_eq!(refused.refused, Some(Exceeded::DailyBudget));
        assert_eq!(
            header(&refused, "x-daily-ratelimit-token-remaining"),
            Some("0")
        );
        assert_eq!(header(&refused, "Retry-After"), Some("43200"));
        let next_day = limiter.admit(Caller::ApiToken, 10, noon + DAY_MS / 2);
        assert!(next_day.refused.is_none());
        assert_eq!(
            header(&next_day, "x-daily-ratelimit-token-remaining"),
            Some("15")
        );
    }
}
