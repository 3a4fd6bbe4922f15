//! The `*Fields` lists: v2 (cursor paged) and v1 (offset paged).

use super::super::{v1, v2};
use super::super::{Call, Reply};
use crate::data::custom_fields::FieldEntity;
use crate::errors::ApiError;

/// The entity a `/xxxFields` route describes.
fn entity(c: &Call) -> Result<FieldEntity, ApiError> {
    match c.collection() {
        "dealFields" => Ok(FieldEntity::Deal),
        "personFields" => Ok(FieldEntity::Person),
        "organizationFields" => Ok(FieldEntity::Organization),
        "productFields" => Ok(FieldEntity::Product),
        "projectFields" => Ok(FieldEntity::Project),
        "activityFields" => Ok(FieldEntity::Activity),
        "noteFields" => Ok(FieldEntity::Note),
        "leadFields" => Ok(FieldEntity::Lead),
        _ => Err(ApiError::unknown_route()),
    }
}

pub(crate) fn list_v2(c: &Call) -> Result<Reply, ApiError> {
    v2::list_fields(c.ds(), entity(c)?, c.query)
}

pub(crate) fn list_v1(c: &Call) -> Result<Reply, ApiError> {
    v1::list_fields(c.ds(), entity(c)?, c.query)
}
