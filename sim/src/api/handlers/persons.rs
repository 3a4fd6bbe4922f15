//! `/persons` (v2): list, get, create, update, delete (soft).

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
    v2::list_persons(c.ds(), c.query)
}

pub(crate) fn get(c: &Call) -> Result<Reply, ApiError> {
    v2::get_person(c.ds(), c.param("id"), c.query)
}

pub(crate) fn create(c: &Call) -> Result<Reply, ApiError> {
    let body = c.json_body()?;
    let p = entity_writes::create_person(c.ds(), &body)?;
    Ok(single(|out| {
        render::person::write_person(out, c.ds(), &p, &View::default())
    }))
}

pub(crate) fn update(c: &Call) -> Result<Reply, ApiError> {
    let id = path_id(c.param("id"))?;
    let body = c.json_body()?;
    let p = entity_writes::update_person(c.ds(), id, &body)?.ok_or_else(not_found)?;
    Ok(single(|out| {
        render::person::write_person(out, c.ds(), &p, &View::default())
    }))
}

pub(crate) fn delete(c: &Call) -> Result<Reply, ApiError> {
    let id = path_id(c.param("id"))?;
    entity_writes::delete_person(c.ds(), id).ok_or_else(not_found)?;
    Ok(single(|out| {
        let _ = serde_json::to_writer(&mut *out, &json!({ "id": id }));
    }))
}
