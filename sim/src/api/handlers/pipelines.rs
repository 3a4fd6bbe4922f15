//! `/pipelines` and `/stages` (v2): list, get, create, update, delete
//! (soft; refused while deals remain, see `data::pipeline_writes`).

use super::super::envelope::single;
use super::super::params::path_id;
use super::super::v2;
use super::super::{Call, Reply};
use crate::data::pipeline_writes as writes;
use crate::data::records::write::not_found;
use crate::errors::ApiError;
use crate::render;
use serde_json::json;

fn deleted(id: u64) -> Reply {
    single(|out| {
        let _ = serde_json::to_writer(&mut *out, &json!({ "id": id }));
    })
}

pub(crate) fn list_pipelines(c: &Call) -> Result<Reply, ApiError> {
    v2::list_pipelines(c.ds(), c.query)
}

pub(crate) fn get_pipeline(c: &Call) -> Result<Reply, ApiError> {
    v2::get_pipeline(c.ds(), c.param("id"))
}

pub(crate) fn create_pipeline(c: &Call) -> Result<Reply, ApiError> {
    let p = writes::create_pipeline(c.ds(), &c.json_body()?)?;
    Ok(single(|out| render::pipeline::write_pipeline(out, &p)))
}

pub(crate) fn update_pipeline(c: &Call) -> Result<Reply, ApiError> {
    let id = path_id(c.param("id"))?;
    let p = writes::update_pipeline(c.ds(), id, &c.json_body()?)?.ok_or_else(not_found)?;
    Ok(single(|out| render::pipeline::write_pipeline(out, &p)))
}

pub(crate) fn delete_pipeline(c: &Call) -> Result<Reply, ApiError> {
    let id = path_id(c.param("id"))?;
    writes::delete_pipeline(c.ds(), id)?.ok_or_else(not_found)?;
    Ok(deleted(id))
}

pub(crate) fn list_stages(c: &Call) -> Result<Reply, ApiError> {
    v2::list_stages(c.ds(), c.query)
}

pub(crate) fn get_stage(c: &Call) -> Result<Reply, ApiError> {
    v2::get_stage(c.ds(), c.param("id"))
}

pub(crate) fn create_stage(c: &Call) -> Result<Reply, ApiError> {
    let s = writes::create_stage(c.ds(), &c.json_body()?)?;
    Ok(single(|out| render::pipeline::write_stage(out, &s)))
}

pub(crate) fn update_stage(c: &Call) -> Result<Reply, ApiError> {
    let id = path_id(c.param("id"))?;
    let s = writes::update_stage(c.ds(), id, &c.json_body()?)?.ok_or_else(not_found)?;
    Ok(single(|out| render::pipeline::write_stage(out, &s)))
}

pub(crate) fn delete_stage(c: &Call) -> Result<Reply, ApiError> {
    let id = path_id(c.param("id"))?;
    writes::delete_stage(c.ds(), id)?.ok_or_else(not_found)?;
    Ok(deleted(id))
}
