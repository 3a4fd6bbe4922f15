//! When a failed GET is tried again (RetryCount, RetryWaitTime): transport
//! failures, 5xx, malformed bodies and 429, with jittered exponential
//! backoff, never past the request deadline (Timeout).

use crate::diag::{OdbcError, SqlState};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub count: u32,
    /// The first wait; each later one doubles.
    pub base_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            count: 3,
            base_wait: Duration::from_millis(1000),
        }
    }
}

/// A failure that another attempt may fix.
#[derive(Debug)]
pub struct Retryable {
    pub error: OdbcError,
    /// The server's `Retry-After`, for 429 and 503.
    pub retry_after: Option<Duration>,
    /// Whether the server asked us to slow down (429).
    pub rate_limited: bool,
}

/// A factor in [0.75, 1.25) that spreads the retries of many clients.
fn jitter(attempt: u32) -> f64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let mixed = (u64::from(nanos) ^ (u64::from(attempt) << 32)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    0.75 + (mixed >> 11) as f64 / (1u64 << 53) as f64 * 0.5
}

impl RetryPolicy {
    /// How long to wait before attempt `attempt + 1`, or the error to give
    /// up with: retries used up, or the wait would pass the deadline.
    pub fn next_wait(
        &self,
        attempt: u32,
        failure: Retryable,
        deadline: Option<Instant>,
    ) -> Result<Duration, OdbcError> {
        if attempt >= self.count {
            return Err(exhausted(failure));
        }
        let backoff = self
            .base_wait
            .mul_f64(2f64.powi(attempt.min(16) as i32) * jitter(attempt));
        let wait = failure
            .retry_after
            .map_or(backoff, |server| server.max(backoff.min(server)));
        if let Some(deadline) = deadline {
            if Instant::now() + wait > deadline {
                return Err(exhausted(failure));
            }
        }
        Ok(wait)
    }
}

/// The error reported when no retry is left: a rate limit becomes HYT00
/// with the reason; anything else keeps its own state.
fn exhausted(failure: Retryable) -> OdbcError {
    if failure.rate_limited {
        let after = failure
            .retry_after
            .map(|d| format!(" (the API asked to retry after {} s)", d.as_secs()))
            .unwrap_or_default();
        return OdbcError::new(SqlState::TimeoutExpired, format!("Pipedrive's rate limit was reached and the wait does not fit in Timeout{after}: {}", failure.error.message))
            .with_native(failure.error.native);
    }
    failure.error
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(retry_after: Option<u64>, rate_limited: bool) -> Retryable {
        Retryable {
            error: OdbcError::general("HTTP 503"),
            retry_after: retry_after.map(Duration::from_secs),
            rate_limited,
        }
    }

    #[test]
    fn backoff_doubles_with_jitter_and_stops_after_count() {
        let policy = RetryPolicy {
            count: 2,
            base_wait: Duration::from_millis(100),
        };
        let first = policy.next_wait(0, failure(None, false), None).unwrap();
        let second = policy.next_wait(1, failure(None, false), None).unwrap();
        assert!((75..125).contains(&first.as_millis()), "{first:?}");
        assert!((150..250).contains(&second.as_millis()), "{second:?}");
        assert_eq!(
            policy
                .next_wait(2, failure(None, false), None)
                .unwrap_err()
                .message,
            "HTTP 503"
        );
    }

    #[test]
    fn retry_after_is_honoured_and_bounded_by_the_deadline() {
        let policy = RetryPolicy {
            count: 5,
            base_wait: Duration::from_millis(10),
        };
        assert_eq!(
            policy.next_wait(0, failure(Some(2), true), None).unwrap(),
            Duration::from_secs(2)
        );
        let soon = Instant::now() + Duration::from_secs(1);
        let err = policy
            .next_wait(0, failure(Some(30), true), Some(soon))
            .unwrap_err();
        assert_eq!(err.state, SqlState::TimeoutExpired);
        assert!(err.message.contains("retry after 30 s"), "{}", err.message);
    }
}
