//! v2 endpoints: deals, persons, organizations, pipelines, stages, and the
//! `*Fields` lists.

use super::envelope::{cursor_list, single};
use super::params::{cursor_params, field_extras, path_id, record_view, reject_filter_id};
use super::Reply;
use crate::data::custom_fields::FieldEntity;
use crate::data::listing::{Deals, EntityReader, Organizations, Persons};
use crate::data::Dataset;
use crate::errors::ApiError;
use crate::filters::{DealFilter, OrganizationFilter, PersonFilter};
use crate::pagination::{sort_candidates, take_cursor_page, SortField};
use crate::query::Query;
use crate::render;

const ENTITY_SORTS: &[SortField] = &[SortField::Id, SortField::UpdateTime, SortField::AddTime];
const STAGE_SORTS: &[SortField] = &[
    SortField::Id,
    SortField::UpdateTime,
    SortField::AddTime,
    SortField::OrderNr,
];

/// Typical encoded sizes, to size response buffers in one allocation.
const DEAL_BYTES: usize = 1_600;
const PERSON_BYTES: usize = 1_200;
const ORGANIZATION_BYTES: usize = 1_000;

pub(crate) fn list_deals(ds: &Dataset, q: &Query) -> Result<Reply, ApiError> {
    let params = cursor_params(q, ENTITY_SORTS)?;
    reject_filter_id(q)?;
    let filter = DealFilter::from_query(q)?;
    let ids = q.id_list("ids", 100)?;
    let view = record_view(q, ds, FieldEntity::Deal)?;
    let reader = EntityReader::<Deals>::new(ds);
    let page = reader.page(
        params.start,
        ids.as_deref(),
        |k| filter.matches(k),
        params.limit,
    );
    Ok(cursor_list(&page, DEAL_BYTES, |out, deal| {
        render::deal::write_deal(out, ds, deal, &view)
    }))
}

pub(crate) fn get_deal(ds: &Dataset, id: &str, q: &Query) -> Result<Reply, ApiError> {
    let id = path_id(id)?;
    let view = record_view(q, ds, FieldEntity::Deal)?;
    let deal = EntityReader::<Deals>::new(ds)
        .record(id)
        .ok_or_else(ApiError::entity_not_found)?;
    Ok(single(|out| {
        render::deal::write_deal(out, ds, &deal, &view)
    }))
}

pub(crate) fn list_persons(ds: &Dataset, q: &Query) -> Result<Reply, ApiError> {
    let params = cursor_params(q, ENTITY_SORTS)?;
    reject_filter_id(q)?;
    let filter = PersonFilter::from_query(q)?;
    let mut ids = q.id_list("ids", 100)?;
    // `deal_id`: the persons linked to that deal, i.e. its contact person.
    if let Some(deal_id) = q.u64("deal_id")? {
        let person = EntityReader::<Deals>::new(ds)
            .keys(deal_id)
            .and_then(|k| k.person_id);
        let linked: Vec<u64> = person
            .into_iter()
            .filter(|p| ids.as_ref().is_none_or(|ids| ids.contains(p)))
            .collect();
        ids = Some(linked);
    }
    let view = record_view(q, ds, FieldEntity::Person)?;
    let reader = EntityReader::<Persons>::new(ds);
    let page = reader.page(
        params.start,
        ids.as_deref(),
        |k| filter.matches(k),
        params.limit,
    );
    Ok(cursor_list(&page, PERSON_BYTES, |out, p| {
        render::person::write_person(out, ds, p, &view)
    }))
}

pub(crate) fn get_person(ds: &Dataset, id: &str, q: &Query) -> Result<Reply, ApiError> {
    let id = path_id(id)?;
    let view = record_view(q, ds, FieldEntity::Person)?;
    let person = EntityReader::<Persons>::new(ds)
        .record(id)
        .ok_or_else(ApiError::entity_not_found)?;
    Ok(single(|out| {
        render::person::write_person(out, ds, &person, &view)
    }))
}

pub(crate) fn list_organizations(ds: &Dataset, q: &Query) -> Result<Reply, ApiError> {
    let params = cursor_params(q, ENTITY_SORTS)?;
    reject_filter_id(q)?;
    let filter = OrganizationFilter::from_query(q)?;
    let ids = q.id_list("ids", 100)?;
    let view = record_view(q, ds, FieldEntity::Organization)?;
    let reader = EntityReader::<Organizations>::new(ds);
    let page = reader.page(
        params.start,
        ids.as_deref(),
        |k| filter.matches(k),
        params.limit,
    );
    Ok(cursor_list(&page, ORGANIZATION_BYTES, |out, o| {
        render::organization::write_organization(out, ds, o, &view)
    }))
}

pub(crate) fn get_organization(ds: &Dataset, id: &str, q: &Query) -> Result<Reply, ApiError> {
    let id = path_id(id)?;
    let view = record_view(q, ds, FieldEntity::Organization)?;
    let org = EntityReader::<Organizations>::new(ds)
        .record(id)
        .ok_or_else(ApiError::entity_not_found)?;
    Ok(single(|out| {
        render::organization::write_organization(out, ds, &org, &view)
    }))
}

pub(crate) fn list_pipelines(ds: &Dataset, q: &Query) -> Result<Reply, ApiError> {
    let params = cursor_params(q, ENTITY_SORTS)?;
    let field = params.start.sort.field;
    let pipelines = ds.pipelines_snapshot();
    let candidates = pipelines
        .iter()
        .filter(|p| !p.is_deleted)
        .map(|p| {
            let key = match field {
                SortField::AddTime => p.add_time,
                SortField::UpdateTime => p.update_time,
                // Pipelines are listed by id, add or update time only.
                _ => p.id as i64,
            };
            (key, p.id, p)
        })
        .collect();
    let page = take_cursor_page(
        sort_candidates(candidates, params.start),
        params.start.sort,
        params.limit,
    );
    Ok(cursor_list(&page, 200, |out, p| {
        render::pipeline::write_pipeline(out, p)
    }))
}

pub(crate) fn get_pipeline(ds: &Dataset, id: &str) -> Result<Reply, ApiError> {
    let id = path_id(id)?;
    let p = ds
        .pipelines_snapshot()
        .into_iter()
        .find(|p| p.id == id)
        .ok_or_else(ApiError::entity_not_found)?;
    Ok(single(|out| render::pipeline::write_pipeline(out, &p)))
}

pub(crate) fn list_stages(ds: &Dataset, q: &Query) -> Result<Reply, ApiError> {
    let params = cursor_params(q, STAGE_SORTS)?;
    let pipeline_id = q.u64("pipeline_id")?;
    let field = params.start.sort.field;
    let stages = ds.stages_snapshot();
    let candidates = stages
        .iter()
        .filter(|s| !s.is_deleted && pipeline_id.is_none_or(|p| s.pipeline_id == p))
        .map(|s| {
            let key = match field {
                SortField::AddTime => s.add_time,
                SortField::UpdateTime => s.update_time,
                SortField::OrderNr => s.order_nr as i64,
                _ => s.id as i64,
            };
            (key, s.id, s)
        })
        .collect();
    let page = take_cursor_page(
        sort_candidates(candidates, params.start),
        params.start.sort,
        params.limit,
    );
    Ok(cursor_list(&page, 300, |out, s| {
        render::pipeline::write_stage(out, s)
    }))
}

pub(crate) fn get_stage(ds: &Dataset, id: &str) -> Result<Reply, ApiError> {
    let id = path_id(id)?;
    let s = ds
        .stages_snapshot()
        .into_iter()
        .find(|s| s.id == id)
        .ok_or_else(ApiError::entity_not_found)?;
    Ok(single(|out| render::pipeline::write_stage(out, &s)))
}

/// Field lists page by cursor over list positions (fields have no ids).
pub(crate) fn list_fields(ds: &Dataset, entity: FieldEntity, q: &Query) -> Result<Reply, ApiError> {
    let params = cursor_params(q, &[SortField::Id])?;
    let extras = field_extras(q)?;
    let candidates = render::field::all_fields(ds, entity)
        .into_iter()
        .enumerate()
        .map(|(i, f)| (i as i64 + 1, i as u64 + 1, f))
        .collect();
    let page = take_cursor_page(
        sort_candidates(candidates, params.start),
        params.start.sort,
        params.limit,
    );
    Ok(cursor_list(&page, 400, |out, f| {
        render::field::write_field_v2(out, f, extras)
    }))
}
