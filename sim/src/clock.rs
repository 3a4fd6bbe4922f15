//! The simulator's clock: what OAuth lifetimes, rate-limit windows, the
//! daily token budget and request-log timestamps are measured against.
//!
//! It is injectable so tests never sleep: with a start time configured
//! ([`crate::SimConfig::clock_start_ms`]) it stands still and moves only when
//! told to ([`crate::Simulator::advance_clock`] or `POST /__sim/clock`);
//! otherwise it follows the system clock, and advancing it adds an offset.

use std::sync::atomic::{AtomicI64, Ordering};

pub(crate) struct SimClock {
    /// `None`: the system clock plus `offset_ms`. `Some`: a clock that only
    /// moves by `offset_ms`.
    frozen_at_ms: Option<i64>,
    offset_ms: AtomicI64,
}

fn system_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

impl SimClock {
    pub(crate) fn new(start_ms: Option<i64>) -> SimClock {
        SimClock {
            frozen_at_ms: start_ms,
            offset_ms: AtomicI64::new(0),
        }
    }

    /// Unix time in milliseconds.
    pub(crate) fn now_ms(&self) -> i64 {
        let base = self.frozen_at_ms.unwrap_or_else(system_ms);
        base.saturating_add(self.offset_ms.load(Ordering::SeqCst))
    }

    /// Moves the clock forward (a negative amount is ignored: time does not
    /// run backwards for the windows and lifetimes that depend on it).
    pub(crate) fn advance_ms(&self, ms: i64) {
        if ms > 0 {
            self.offset_ms.fetch_add(ms, Ordering::SeqCst);
        }
    }

    /// True when the clock moves only when advanced.
    pub(crate) fn is_manual(&self) -> bool {
        self.frozen_at_ms.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_moves_only_when_advanced() {
        let clock = SimClock::new(Some(1_000));
        assert_eq!(clock.now_ms(), 1_000);
        clock.advance_ms(2_500);
        clock.advance_ms(-10_000);
        assert_eq!(clock.now_ms(), 3_500);
        assert!(clock.is_manual());
    }

    #[test]
    fn the_system_clock_can_be_pushed_ahead() {
        let clock = SimClock::new(None);
        let before = system_ms();
        clock.advance_ms(86_400_000);
        assert!(clock.now_ms() >= before + 86_400_000);
    }
}
