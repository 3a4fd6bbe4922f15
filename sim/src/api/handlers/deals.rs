//! `/deals` (v2): list, get, create, update, delete (soft: `status`
//! becomes `deleted`).

use super::super::envelope::single;
use super::super::params::path_id;
use super::super::v2;
use super::super::{Call, Reply};
use crate::data::entity_writes;
use crate::data::records::write::not_found;
use crate::errors::ApiError;
use crate::render::{self, View};
use serde_json::json;

pub(crate) fn list(c: &Call) -> Result<Reply, ApiError> {
    v2::list_deals(c.ds(), c.query)
}

pub(crate) fn get(c: &Call) -> Result<Reply, ApiError> {
    v2::get_deal(c.ds(), c.param("id"), c.query)
}

pub(crate) fn create(c: &Call) -> Result<Reply, ApiError> {
    let body = c.json_body()?;
    let deal = entity_writes::create_deal(c.ds(), &body)?;
    Ok(single(|out| {
        render::deal::write_deal(out, c.ds(), &deal, &View::default())
    }))
}

pub(crate) fn update(c: &Call) -> Result<Reply, ApiError> {
    let id = path_id(c.param("id"))?;
    let body = c.json_body()?;
    let deal = entity_writes::update_deal(c.ds(), id, &body)?.ok_or_else(not_found)?;
    Ok(single(|out| {
        render::deal::write_deal(out, c.ds(), &deal, &View::default())
    }))
}

pub(crate) fn delete(c: &Call) -> Result<Reply, ApiError> {
    let id = path_id(c.param("id"))?;
    entity_writes::delete_deal(c.ds(), id).ok_or_else(not_found)?;
    Ok(single(|out| {
        let _ = serde_json::to_writer(&mut *out, &json!({ "id": id }));
    }))
}
