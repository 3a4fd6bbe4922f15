//! Writes to pipelines and stages (v2). Deleting marks the record deleted
//! (it leaves the lists, `GET /{id}` still finds it) and is refused while
//! deals that are not deleted sit in it: Pipedrive asks to move or delete
//! them first, and a deal must always have a live stage.

use super::deals::DealStatus;
use super::listing::{Deals, EntityReader};
use super::pipelines::{Pipeline, Stage};
use super::records::write::{bad_request, invalid_field, missing_link, validate};
use super::records::{field, strict, FieldSpec, FieldType, Record};
use super::{write_clock, Dataset};
use crate::errors::ApiError;
use crate::pagination::{Direction, SortField, SortSpec, Start};
use serde_json::Value;

const PIPELINE_FIELDS: &[FieldSpec] = &[
    strict("name", FieldType::Str),
    strict("is_deal_probability_enabled", FieldType::Bool),
];

const STAGE_FIELDS: &[FieldSpec] = &[
    strict("name", FieldType::Str),
    strict("pipeline_id", FieldType::Int),
    strict("deal_probability", FieldType::Int),
    strict("is_deal_rot_enabled", FieldType::Bool),
    field("days_to_rotten", FieldType::Int),
];

/// Whether any deal that is not deleted matches `pred` (a scan of the
/// deals' keys; stops at the first match).
fn any_live_deal(ds: &Dataset, pred: impl Fn(u64, u64) -> bool) -> bool {
    let start = Start {
        sort: SortSpec {
            field: SortField::Id,
            direction: Direction::Asc,
        },
        at: None,
    };
    let page = EntityReader::<Deals>::new(ds).page(
        start,
        None,
        |k| k.status != DealStatus::Deleted && pred(k.pipeline_id, k.stage_id),
        1,
    );
    !page.items.is_empty()
}

fn apply_pipeline(p: &mut Pipeline, body: &Record) -> Result<(), ApiError> {
    if let Some(name) = body.get("name").and_then(Value::as_str) {
        if name.trim().is_empty() {
            return Err(invalid_field("name", "Must not be empty"));
        }
        p.name = name.to_string();
    }
    if let Some(b) = body
        .get("is_deal_probability_enabled")
        .and_then(Value::as_bool)
    {
        p.is_deal_probability_enabled = b;
    }
    p.update_time = write_clock();
    Ok(())
}

pub(crate) fn create_pipeline(ds: &Dataset, body: &Record) -> Result<Pipeline, ApiError> {
    validate(ds, PIPELINE_FIELDS, &["name"], body, true)?;
    let now = write_clock();
    let mut pipelines = ds.pipelines.write().unwrap_or_else(|e| e.into_inner());
    let id = pipelines.iter().map(|p| p.id).max().unwrap_or(0) + 1;
    let mut p = Pipeline {
        id,
        name: String::new(),
        order_nr: pipelines.iter().map(|p| p.order_nr).max().unwrap_or(0) + 1,
        is_deleted: false,
        is_deal_probability_enabled: false,
        add_time: now,
        update_time: now,
    };
    apply_pipeline(&mut p, body)?;
    pipelines.push(p.clone());
    Ok(p)
}

pub(crate) fn update_pipeline(
    ds: &Dataset,
    id: u64,
    body: &Record,
) -> Result<Option<Pipeline>, ApiError> {
    validate(ds, PIPELINE_FIELDS, &["name"], body, false)?;
    let mut pipelines = ds.pipelines.write().unwrap_or_else(|e| e.into_inner());
    let Some(p) = pipelines.iter_mut().find(|p| p.id == id) else {
        return Ok(None);
    };
    apply_pipeline(p, body)?;
    Ok(Some(p.clone()))
}

pub(crate) fn delete_pipeline(ds: &Dataset, id: u64) -> Result<Option<()>, ApiError> {
    if !ds.pipelines_snapshot().iter().any(|p| p.id == id) {
        return Ok(None);
    }
    if any_live_deal(ds, |pipeline, _| pipeline == id) {
        return Err(bad_request(
            "The pipeline still has deals; move or delete them first",
        ));
    }
    let now = write_clock();
    {
        let mut pipelines = ds.pipelines.write().unwrap_or_else(|e| e.into_inner());
        if let Some(p) = pipelines.iter_mut().find(|p| p.id == id) {
            p.is_deleted = true;
            p.update_time = now;
        }
    }
    let mut stages = ds.stages.write().unwrap_or_else(|e| e.into_inner());
    for s in stages.iter_mut().filter(|s| s.pipeline_id == id) {
        s.is_deleted = true;
        s.update_time = now;
    }
    Ok(Some(()))
}

fn apply_stage(ds: &Dataset, s: &mut Stage, body: &Record) -> Result<(), ApiError> {
    if let Some(name) = body.get("name").and_then(Value::as_str) {
        if name.trim().is_empty() {
            return Err(invalid_field("name", "Must not be empty"));
        }
        s.name = name.to_string();
    }
    if let Some(p) = body.get("pipeline_id").and_then(Value::as_u64) {
        let live = ds
            .pipelines_snapshot()
            .iter()
            .any(|x| x.id == p && !x.is_deleted);
        if !live {
            return Err(missing_link("pipeline_id", "Pipeline", p));
        }
        s.pipeline_id = p;
    }
    if let Some(prob) = body.get("deal_probability").and_then(Value::as_u64) {
        if prob > 100 {
            return Err(invalid_field("deal_probability", "Expected 0 to 100"));
        }
        s.deal_probability = prob;
    }
    if let Some(rot) = body.get("is_deal_rot_enabled").and_then(Value::as_bool) {
        s.is_deal_rot_enabled = rot;
    }
    if let Some(days) = body.get("days_to_rotten") {
        s.days_to_rotten = days.as_u64();
    }
    s.update_time = write_clock();
    Ok(())
}

pub(crate) fn create_stage(ds: &Dataset, body: &Record) -> Result<Stage, ApiError> {
    validate(ds, STAGE_FIELDS, &["name", "pipeline_id"], body, true)?;
    let now = write_clock();
    let mut s = Stage {
        id: 0,
        order_nr: 0,
        name: String::new(),
        is_deleted: false,
        deal_probability: 100,
        pipeline_id: 0,
        is_deal_rot_enabled: false,
        days_to_rotten: None,
        add_time: now,
        update_time: now,
    };
    apply_stage(ds, &mut s, body)?;
    let mut stages = ds.stages.write().unwrap_or_else(|e| e.into_inner());
    s.id = stages.iter().map(|x| x.id).max().unwrap_or(0) + 1;
    s.order_nr = stages
        .iter()
        .filter(|x| x.pipeline_id == s.pipeline_id)
        .map(|x| x.order_nr)
        .max()
        .unwrap_or(0)
        + 1;
    stages.push(s.clone());
    Ok(s)
}

pub(crate) fn update_stage(
    ds: &Dataset,
    id: u64,
    body: &Record,
) -> Result<Option<Stage>, ApiError> {
    validate(ds, STAGE_FIELDS, &["name", "pipeline_id"], body, false)?;
    let Some(mut s) = ds.stages_snapshot().into_iter().find(|s| s.id == id) else {
        return Ok(None);
    };
    let moved = body
        .get("pipeline_id")
        .and_then(Value::as_u64)
        .is_some_and(|p| p != s.pipeline_id);
    if moved && any_live_deal(ds, |_, stage| stage == id) {
        return Err(bad_request(
            "The stage has deals; it cannot move to another pipeline",
        ));
    }
    apply_stage(ds, &mut s, body)?;
    let mut stages = ds.stages.write().unwrap_or_else(|e| e.into_inner());
    if let Some(slot) = stages.iter_mut().find(|x| x.id == id) {
        *slot = s.clone();
    }
    Ok(Some(s))
}

pub(crate) fn delete_stage(ds: &Dataset, id: u64) -> Result<Option<()>, ApiError> {
    if !ds.stages_snapshot().iter().any(|s| s.id == id) {
        return Ok(None);
    }
    if any_live_deal(ds, |_, stage| stage == id) {
        return Err(bad_request(
            "The stage still has deals; move or delete them first",
        ));
    }
    let mut stages = ds.stages.write().unwrap_or_else(|e| e.into_inner());
    if let Some(s) = stages.iter_mut().find(|s| s.id == id) {
        s.is_deleted = true;
        s.update_time = write_clock();
    }
    Ok(Some(()))
}
