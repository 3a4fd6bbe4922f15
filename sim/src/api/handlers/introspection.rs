//! `/__sim/` endpoints: the simulator's own counters, without auth.

use super::super::{Call, Reply};
use crate::errors::ApiError;

pub(crate) fn stats(c: &Call) -> Result<Reply, ApiError> {
    let body = c.state.stats.snapshot().to_json().to_string().into_bytes();
    Ok(Reply::ok(body, 0))
}

pub(crate) fn reset(c: &Call) -> Result<Reply, ApiError> {
    c.state.stats.reset();
    Ok(Reply::ok(br#"{"success":true}"#.to_vec(), 0))
}
