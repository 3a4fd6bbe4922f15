//! `/__sim/` endpoints: the simulator's own counters, without auth.

use super::super::{Call, Reply};
use crate::data::snapshot::{self, SaveMode};
use crate::errors::ApiError;

pub(crate) fn stats(c: &Call) -> Result<Reply, ApiError> {
    let body = c.state.stats.snapshot().to_json().to_string().into_bytes();
    Ok(Reply::ok(body, 0))
}

pub(crate) fn reset(c: &Call) -> Result<Reply, ApiError> {
    c.state.stats.reset();
    Ok(Reply::ok(br#"{"success":true}"#.to_vec(), 0))
}

/// `GET /__sim/dataset[?mode=changes|full]`: the dataset file's text.
pub(crate) fn dataset(c: &Call) -> Result<Reply, ApiError> {
    let mode = save_mode(c)?;
    let mut body = Vec::new();
    snapshot::write_dataset(c.ds(), mode, &mut body).map_err(|_| ApiError::internal())?;
    Ok(Reply::ok(body, 0))
}

fn save_mode(c: &Call) -> Result<SaveMode, ApiError> {
    match c.query.get("mode") {
        None | Some("changes") => Ok(SaveMode::Changes),
        Some("full") => Ok(SaveMode::Full),
        Some(_) => Err(ApiError::invalid_param("mode", "Expected changes or full")),
    }
}

/// `POST /__sim/dataset/save`: saves to the `--save-to` file now.
pub(crate) fn save_dataset(c: &Call) -> Result<Reply, ApiError> {
    let Some(persist) = &c.state.persist else {
        return Err(ApiError::invalid_param(
            "save_to",
            "The simulator was started without --save-to",
        ));
    };
    persist.save(c.ds()).map_err(|e| ApiError {
        status: 500,
        ..ApiError::invalid_param("save_to", &format!("Cannot save the dataset: {e}"))
    })?;
    let body = serde_json::json!({"success": true, "path": persist.path().display().to_string()});
    Ok(Reply::ok(body.to_string().into_bytes(), 0))
}
