//! `/__sim/` endpoints: the simulator's own counters, without auth.

use super::Reply;
use crate::stats::StatsRecorder;

pub(crate) fn stats(stats: &StatsRecorder) -> Reply {
    let body = stats.snapshot().to_json().to_string().into_bytes();
    Reply::ok(body, 0)
}

pub(crate) fn reset(stats: &StatsRecorder) -> Reply {
    stats.reset();
    Reply::ok(br#"{"success":true}"#.to_vec(), 0)
}
