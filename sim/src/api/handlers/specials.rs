//! Endpoints of record-shaped entities whose answers do not follow the
//! plain list/record shapes: archived leads, lead sources, and goals
//! (`/goals/find` answers `{"goals": [...]}`, writes `{"goal": {...}}`).

use super::super::envelope::{plain_list, single};
use super::super::{Call, Reply};
use super::records::{create_record, delete_record, existing, list_scoped, update_record};
use crate::data::records::config_kinds::Goals;
use crate::data::records::leads::{is_archived, Leads};
use crate::data::records::store::RecordReader;
use crate::data::records::{
    FilterDef, IdStyle, KeyCol, Keys, Paging, Record, RecordKind, TimeFormat,
};
use crate::data::Dataset;
use crate::errors::ApiError;
use crate::time;
use serde_json::{json, Value};

/// The archived leads: the same records (and overlay) as [`Leads`], with
/// the opposite default visibility.
pub(crate) struct ArchivedLeads;

impl RecordKind for ArchivedLeads {
    const NAME: &'static str = Leads::NAME;
    const ID: IdStyle = Leads::ID;
    const TIME_FORMAT: TimeFormat = TimeFormat::Rfc3339;
    const KEYS: &'static [KeyCol] = Leads::KEYS;
    const PAGING: Paging = Leads::PAGING;
    const FILTERS: &'static [FilterDef] = Leads::FILTERS;

    fn base_slots(ds: &Dataset) -> u64 {
        Leads::base_slots(ds)
    }

    fn generate(ds: &Dataset, id: u64) -> Option<Record> {
        Leads::generate(ds, id)
    }

    fn fast_keys(ds: &Dataset, id: u64) -> Option<Keys> {
        Leads::fast_keys(ds, id)
    }

    fn is_listed(k: &Keys) -> bool {
        is_archived(k)
    }
}

pub(crate) fn archived_leads(c: &Call) -> Result<Reply, ApiError> {
    list_scoped::<ArchivedLeads>(c.ds(), c.query, None)
}

/// `GET /leadSources`: the names of the sources leads can have.
pub(crate) fn lead_sources(_c: &Call) -> Result<Reply, ApiError> {
    let sources: Vec<&str> = crate::data::records::words::LEAD_SOURCES.to_vec();
    Ok(plain_list(&sources, |out, name| {
        let _ = serde_json::to_writer(&mut *out, &json!({ "name": name }));
    }))
}

fn reply_json(data: Value) -> Reply {
    single(|out| {
        let _ = serde_json::to_writer(&mut *out, &data);
    })
}

/// Reads `a.b.c` in a record.
fn at<'a>(record: &'a Record, path: &str) -> Option<&'a Value> {
    let mut parts = path.split('.');
    let mut v = record.get(parts.next()?)?;
    for part in parts {
        v = v.get(part)?;
    }
    Some(v)
}

/// `GET /goals/find`: every filter the spec lists, all optional;
/// `is_active` defaults to true.
pub(crate) fn find_goals(c: &Call) -> Result<Reply, ApiError> {
    let q = c.query;
    let is_active = q.bool("is_active")?.unwrap_or(true);
    let type_name = q.one_of(
        "type.name",
        |s| Some(s.to_string()),
        &[
            "deals_won",
            "deals_progressed",
            "activities_completed",
            "activities_added",
            "deals_started",
        ],
    )?;
    let assignee_type = q.one_of(
        "assignee.type",
        |s| Some(s.to_string()),
        &["person", "company", "team"],
    )?;
    let metric = q.one_of(
        "expected_outcome.tracking_metric",
        |s| Some(s.to_string()),
        &["quantity", "sum"],
    )?;
    let assignee_id = q.u64("assignee.id")?;
    let target =
        match q.get("expected_outcome.target") {
            None => None,
            Some(t) => Some(t.parse::<f64>().map_err(|_| {
                ApiError::invalid_param("expected_outcome.target", "Expected number")
            })?),
        };
    let stage = q.u64("type.params.stage_id")?;
    let pipelines: Vec<u64> = q
        .all("type.params.pipeline_id")
        .iter()
        .filter_map(|s| s.parse().ok())
        .collect();
    let activity_types: Vec<u64> = q
        .all("type.params.activity_type_id")
        .iter()
        .filter_map(|s| s.parse().ok())
        .collect();
    let date = |name: &str| -> Result<Option<i64>, ApiError> {
        q.get(name)
            .map(|s| {
                time::parse_date(s)
                    .ok_or_else(|| ApiError::invalid_param(name, "Expected YYYY-MM-DD"))
            })
            .transpose()
    };
    let (period_start, period_end) = (date("period.start")?, date("period.end")?);
    if period_start.is_some() != period_end.is_some() {
        return Err(ApiError::invalid_param(
            "period.end",
            "period.start and period.end go together",
        ));
    }
    let title = q.get("title");
    let contains_all = |record: &Record, path: &str, wanted: &[u64]| {
        wanted.is_empty()
            || at(record, path)
                .and_then(Value::as_array)
                .is_some_and(|have| {
                    wanted
                        .iter()
                        .all(|w| have.iter().any(|h| h.as_u64() == Some(*w)))
                })
    };
    let goals: Vec<Value> = RecordReader::<Goals>::new(c.ds())
        .all()
        .into_iter()
        .map(|(_, r)| r)
        .filter(|r| r.get("is_active").and_then(Value::as_bool) == Some(is_active))
        .filter(|r| {
            type_name
                .as_deref()
                .is_none_or(|t| at(r, "type.name").and_then(Value::as_str) == Some(t))
        })
        .filter(|r| title.is_none_or(|t| r.get("title").and_then(Value::as_str) == Some(t)))
        .filter(|r| {
            assignee_id.is_none_or(|a| at(r, "assignee.id").and_then(Value::as_u64) == Some(a))
        })
        .filter(|r| {
            assignee_type
                .as_deref()
                .is_none_or(|t| at(r, "assignee.type").and_then(Value::as_str) == Some(t))
        })
        .filter(|r| {
            metric.as_deref().is_none_or(|m| {
                at(r, "expected_outcome.tracking_metric").and_then(Value::as_str) == Some(m)
            })
        })
        .filter(|r| {
            target
                .is_none_or(|t| at(r, "expected_outcome.target").and_then(Value::as_f64) == Some(t))
        })
        .filter(|r| {
            stage.is_none_or(|s| at(r, "type.params.stage_id").and_then(Value::as_u64) == Some(s))
        })
        .filter(|r| contains_all(r, "type.params.pipeline_id", &pipelines))
        .filter(|r| contains_all(r, "type.params.activity_type_id", &activity_types))
        .filter(|r| {
            // The goal's duration overlaps the period.
            let (Some(ps), Some(pe)) = (period_start, period_end) else {
                return true;
            };
            let start = at(r, "duration.start")
                .and_then(Value::as_str)
                .and_then(time::parse_date);
            let end = at(r, "duration.end")
                .and_then(Value::as_str)
                .and_then(time::parse_date);
            start.is_some_and(|s| s <= pe) && end.is_none_or(|e| e >= ps)
        })
        .map(Value::Object)
        .collect();
    Ok(reply_json(json!({ "goals": goals })))
}

pub(crate) fn create_goal(c: &Call) -> Result<Reply, ApiError> {
    let body = c.json_body()?;
    let record = create_record::<Goals>(c.ds(), &body)?;
    Ok(reply_json(json!({ "goal": record })))
}

pub(crate) fn update_goal(c: &Call) -> Result<Reply, ApiError> {
    let body = c.json_body()?;
    let (id, record) = existing::<Goals>(c, "id")?;
    let record = update_record::<Goals>(c.ds(), id, record, &body)?;
    Ok(reply_json(json!({ "goal": record })))
}

pub(crate) fn delete_goal(c: &Call) -> Result<Reply, ApiError> {
    let (id, record) = existing::<Goals>(c, "id")?;
    delete_record::<Goals>(c.ds(), id, record)?;
    Ok(reply_json(Value::Null))
}
