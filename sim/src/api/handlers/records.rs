//! Generic list, get, create, update and delete for record-shaped entities
//! ([`RecordKind`]); the route table instantiates them per entity, e.g.
//! `records::list::<Activities>`.

use super::super::envelope::{cursor_list, offset_list, plain_list, single};
use super::super::params::{cursor_params, offset_params};
use super::super::{Call, Reply};
use crate::data::records::store::{stored, RecordReader};
use crate::data::records::write::{self, not_found};
use crate::data::records::{
    column, ids, parse_id, DeleteReply, DeleteStyle, FilterKind, KeyFilter, Keys, Paging, Record,
    RecordFilter, RecordKind,
};
use crate::data::{write_clock, Dataset};
use crate::errors::ApiError;
use crate::pagination::{
    take_cursor_page, take_offset_page, CursorPage, Direction, SortField, SortSpec, Start,
};
use crate::query::Query;
use serde_json::{json, Value};
use std::cmp::Ordering;

/// Typical encoded size of a record, to size response buffers.
const RECORD_BYTES: usize = 900;

/// The key-column filters of `K::FILTERS` present in the query, and the
/// default visibility.
fn key_filter<K: RecordKind>(ds: &Dataset, q: &Query) -> Result<KeyFilter, ApiError> {
    let mut tests: Vec<KeyFilter> = vec![K::visibility(q)?];
    for def in K::FILTERS {
        let Some(col) = column::<K>(def.column) else {
            continue;
        };
        let test: Option<KeyFilter> = match def.kind {
            FilterKind::Eq => q.u64(def.param)?.map(|want| -> KeyFilter {
                Box::new(move |k: &Keys| k.get(col) == Some(want as i64))
            }),
            FilterKind::LeadEq => match q.get(def.param) {
                None => None,
                Some(text) => {
                    let want = ids::parse_uuid(ds.seed, ids::LEAD_SALT, text).ok_or_else(|| {
                        ApiError::invalid_param(def.param, "Expected a lead id (UUID)")
                    })?;
                    Some(Box::new(move |k: &Keys| k.get(col) == Some(want as i64)))
                }
            },
            FilterKind::Bool => q.bool(def.param)?.map(|want| -> KeyFilter {
                Box::new(move |k: &Keys| k.get(col) == Some(want as i64))
            }),
            FilterKind::Flag01 => match q.get(def.param) {
                None => None,
                Some("0") => Some(Box::new(move |k: &Keys| k.get(col) != Some(1))),
                Some("1") => Some(Box::new(move |k: &Keys| k.get(col) == Some(1))),
                Some(_) => return Err(ApiError::invalid_param(def.param, "Expected 0 or 1")),
            },
            FilterKind::Since => q.timestamp(def.param)?.map(|t| -> KeyFilter {
                Box::new(move |k: &Keys| k.get(col).is_some_and(|v| v >= t))
            }),
            FilterKind::Until => q.timestamp(def.param)?.map(|t| -> KeyFilter {
                Box::new(move |k: &Keys| k.get(col).is_some_and(|v| v < t))
            }),
            FilterKind::FromDate | FilterKind::ToDate => match q.get(def.param) {
                None => None,
                Some(text) => {
                    let day = crate::time::parse_date(text).ok_or_else(|| {
                        ApiError::invalid_param(def.param, "Expected a date in format YYYY-MM-DD")
                    })?;
                    let from = matches!(def.kind, FilterKind::FromDate);
                    Some(Box::new(move |k: &Keys| {
                        k.get(col).is_some_and(|v| {
                            let d = v.div_euclid(crate::time::SECONDS_PER_DAY);
                            if from {
                                d >= day
                            } else {
                                d <= day
                            }
                        })
                    }))
                }
            },
        };
        tests.extend(test);
    }
    Ok(Box::new(move |k: &Keys| tests.iter().all(|t| t(k))))
}

/// `include_fields`: which optional properties to keep.
fn included<K: RecordKind>(q: &Query) -> Result<Vec<&'static str>, ApiError> {
    let mut out = Vec::new();
    for name in q.list("include_fields").unwrap_or_default() {
        match K::OPTIONAL.iter().find(|o| **o == name) {
            Some(o) => out.push(*o),
            None => {
                return Err(ApiError::invalid_param(
                    "include_fields",
                    &format!("Unknown field '{name}'"),
                ))
            }
        }
    }
    Ok(out)
}

/// Removes optional properties that were not asked for.
fn shape<K: RecordKind>(mut record: Record, include: &[&str]) -> Record {
    for name in K::OPTIONAL {
        if !include.contains(name) {
            record.remove(*name);
        }
    }
    record
}

pub(crate) fn write_record(out: &mut Vec<u8>, record: &Record) {
    // Serialising a map of JSON values into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, record);
}

/// The key column a sort field reads (`None`: the id itself).
fn sort_column<K: RecordKind>(field: SortField) -> Option<usize> {
    match field {
        SortField::Id => None,
        other => column::<K>(other.name()),
    }
}

/// Matching records, as `(key, id, record)`, from a candidate stream.
fn matching<'r, K: RecordKind>(
    reader: &'r RecordReader<'r, K>,
    candidates: &'r mut dyn Iterator<Item = (i64, u64)>,
    keys_ok: &'r KeyFilter,
    record_ok: &'r Option<RecordFilter>,
) -> impl Iterator<Item = (i64, u64, Record)> + 'r {
    candidates.filter_map(move |(key, id)| {
        let keys = reader.keys(id)?;
        if !keys_ok(&keys) {
            return None;
        }
        let record = reader.record(id)?;
        if let Some(test) = record_ok {
            if !test(&record) {
                return None;
            }
        }
        Some((key, id, record))
    })
}

pub(crate) fn list<K: RecordKind>(c: &Call) -> Result<Reply, ApiError> {
    list_scoped::<K>(c.ds(), c.query, None)
}

/// A list restricted to the records in `scope` when given (the children
/// of one parent, for nested collections).
pub(crate) fn list_scoped<K: RecordKind>(
    ds: &Dataset,
    q: &Query,
    scope: Option<Vec<u64>>,
) -> Result<Reply, ApiError> {
    match K::PAGING {
        Paging::Cursor { sorts } => list_cursor::<K>(ds, q, sorts, scope),
        Paging::Offset { max_limit } => list_offset::<K>(ds, q, max_limit, scope),
        Paging::Unpaged => {
            let keys_ok = key_filter::<K>(ds, q)?;
            let record_ok = K::record_filter(ds, q)?;
            let reader = RecordReader::<K>::new(ds);
            let records: Vec<Record> = reader
                .all()
                .into_iter()
                .filter(|(id, r)| {
                    scope.as_ref().is_none_or(|s| s.contains(id))
                        && keys_ok(&crate::data::records::keys_of::<K>(ds, r))
                        && record_ok.as_ref().is_none_or(|t| t(r))
                })
                .map(|(_, r)| omit_listed::<K>(r))
                .collect();
            let mut reply = plain_list(&records, write_record);
            if K::STATUS_MEMBER {
                reply.body = with_status_member(reply.body);
            }
            Ok(reply)
        }
    }
}

/// Adds `"status":"ok"` after `"success":true` (v1 webhooks).
fn with_status_member(body: Vec<u8>) -> Vec<u8> {
    const HEAD: &[u8] = b"{\"success\":true,";
    match body.strip_prefix(HEAD) {
        Some(rest) => [HEAD, b"\"status\":\"ok\",", rest].concat(),
        None => body,
    }
}

/// A cursor list with its own `sort_by` values (`GET /deals/products`
/// sorts by `deal_id` too).
pub(crate) fn list_with_sorts<K: RecordKind>(
    ds: &Dataset,
    q: &Query,
    sorts: &[SortField],
    scope: Option<Vec<u64>>,
) -> Result<Reply, ApiError> {
    list_cursor::<K>(ds, q, sorts, scope)
}

/// Removes what lists leave out ([`RecordKind::LIST_OMITS`]).
fn omit_listed<K: RecordKind>(mut record: Record) -> Record {
    for name in K::LIST_OMITS {
        record.remove(*name);
    }
    record
}

/// Intersects the `ids` parameter with a nested collection's scope.
fn candidate_ids(requested: Option<Vec<u64>>, scope: Option<Vec<u64>>) -> Option<Vec<u64>> {
    match (requested, scope) {
        (Some(r), Some(s)) => Some(r.into_iter().filter(|id| s.contains(id)).collect()),
        (r, None) => r,
        (None, s) => s,
    }
}

/// `custom_fields=` keeps only the named keys of a record's
/// `custom_fields` object.
fn select_custom_fields(record: &mut Record, q: &Query) {
    let Some(keys) = q.list("custom_fields") else {
        return;
    };
    if let Some(Value::Object(custom)) = record.get_mut("custom_fields") {
        custom.retain(|k, _| keys.contains(&k.as_str()));
    }
}

fn list_cursor<K: RecordKind>(
    ds: &Dataset,
    q: &Query,
    sorts: &[SortField],
    scope: Option<Vec<u64>>,
) -> Result<Reply, ApiError> {
    let params = cursor_params(q, sorts)?;
    let requested = if K::IDS_PARAM {
        q.id_list("ids", 100)?
    } else {
        None
    };
    if q.list("custom_fields").is_some_and(|k| k.len() > 15) {
        return Err(ApiError::invalid_param(
            "custom_fields",
            "A maximum of 15 keys is allowed",
        ));
    }
    let only_ids = candidate_ids(requested, scope);
    let keys_ok = key_filter::<K>(ds, q)?;
    let record_ok = K::record_filter(ds, q)?;
    let include = included::<K>(q)?;
    let reader = RecordReader::<K>::new(ds);
    let sort = params.start.sort;
    let page: CursorPage<Record> = if sort.field == SortField::Name {
        name_page(&reader, &params, only_ids.as_deref(), &keys_ok, &record_ok)
    } else {
        let col = sort_column::<K>(sort.field);
        reader.with_candidates(params.start, col, only_ids.as_deref(), |candidates| {
            let it = matching(&reader, candidates, &keys_ok, &record_ok);
            take_cursor_page(it, sort, params.limit)
        })
    };
    Ok(cursor_list(&page, RECORD_BYTES, |out, r| {
        let mut record = omit_listed::<K>(shape::<K>(r.clone(), &include));
        select_custom_fields(&mut record, q);
        write_record(out, &record)
    }))
}

/// `sort_by=name`: the listed records sorted by (name, id), from the
/// cursor's (name, id) on.
fn name_page<K: RecordKind>(
    reader: &RecordReader<K>,
    params: &super::super::params::CursorParams,
    only_ids: Option<&[u64]>,
    keys_ok: &KeyFilter,
    record_ok: &Option<RecordFilter>,
) -> CursorPage<Record> {
    let sort = params.start.sort;
    let mut rows: Vec<(String, u64, Record)> = reader
        .all()
        .into_iter()
        .filter(|(id, _)| only_ids.is_none_or(|ids| ids.contains(id)))
        .filter(|(id, r)| {
            reader.keys(*id).is_some_and(|k| keys_ok(&k)) && record_ok.as_ref().is_none_or(|t| t(r))
        })
        .map(|(id, r)| {
            let name = r
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            (name, id, r)
        })
        .collect();
    let order = |a: (&str, u64), b: (&str, u64)| match sort.direction {
        Direction::Asc => a.cmp(&b),
        Direction::Desc => b.cmp(&a),
    };
    rows.sort_by(|a, b| order((&a.0, a.1), (&b.0, b.1)));
    let from = params
        .start
        .at
        .map(|(_, id)| (params.text.clone().unwrap_or_default(), id));
    let mut items = Vec::new();
    let mut next = None;
    for (name, id, record) in rows {
        if let Some((ref n, i)) = from {
            if order((&name, id), (n, i)) == Ordering::Less {
                continue;
            }
        }
        if items.len() == params.limit {
            next = Some(crate::cursor::Cursor {
                field: SortField::Name,
                direction: sort.direction,
                key: 0,
                id,
                text: Some(name),
            });
            break;
        }
        items.push(record);
    }
    CursorPage { items, next }
}

/// v1 `sort`: `field ASC, field2 DESC`.
fn parse_v1_sort(q: &Query) -> Result<Vec<(String, Direction)>, ApiError> {
    let Some(text) = q.get("sort") else {
        return Ok(Vec::new());
    };
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|part| {
            let mut words = part.split_whitespace();
            let field = words.next().unwrap_or_default().to_string();
            let direction = match words.next().map(str::to_ascii_uppercase).as_deref() {
                None | Some("ASC") => Direction::Asc,
                Some("DESC") => Direction::Desc,
                Some(_) => {
                    return Err(ApiError::invalid_param(
                        "sort",
                        "Expected 'field ASC' or 'field DESC'",
                    ))
                }
            };
            if words.next().is_some() || field.is_empty() {
                return Err(ApiError::invalid_param(
                    "sort",
                    "Expected 'field ASC' or 'field DESC'",
                ));
            }
            Ok((field, direction))
        })
        .collect()
}

/// Orders JSON values: null first, then numbers, booleans, strings.
pub(crate) fn compare_values(a: &Value, b: &Value) -> Ordering {
    fn rank(v: &Value) -> u8 {
        match v {
            Value::Null => 0,
            Value::Bool(_) => 1,
            Value::Number(_) => 2,
            Value::String(_) => 3,
            _ => 4,
        }
    }
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x
            .as_f64()
            .unwrap_or(0.0)
            .partial_cmp(&y.as_f64().unwrap_or(0.0))
            .unwrap_or(Ordering::Equal),
        (Value::String(x), Value::String(y)) => x.cmp(y),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        _ => rank(a).cmp(&rank(b)),
    }
}

fn list_offset<K: RecordKind>(
    ds: &Dataset,
    q: &Query,
    max_limit: usize,
    scope: Option<Vec<u64>>,
) -> Result<Reply, ApiError> {
    let (start, limit) = offset_params(q)?;
    let limit = limit.min(max_limit);
    let sort = parse_v1_sort(q)?;
    let keys_ok = key_filter::<K>(ds, q)?;
    let record_ok = K::record_filter(ds, q)?;
    let reader = RecordReader::<K>::new(ds);
    // One sort key that is the id or a key column: stream in that order.
    let simple = match sort.as_slice() {
        [] => Some((None, Direction::Asc)),
        [(field, dir)] if field == "id" => Some((None, *dir)),
        [(field, dir)] => column::<K>(field).map(|c| (Some(c), *dir)),
        _ => None,
    };
    let page = match simple {
        Some((col, direction)) => {
            let start_at = Start {
                sort: SortSpec {
                    field: SortField::Id,
                    direction,
                },
                at: None,
            };
            reader.with_candidates(start_at, col, scope.as_deref(), |candidates| {
                let it = matching(&reader, candidates, &keys_ok, &record_ok).map(|(_, _, r)| r);
                take_offset_page(it, start, limit)
            })
        }
        None => {
            let mut rows: Vec<Record> = reader
                .all()
                .into_iter()
                .filter(|(id, r)| {
                    scope.as_ref().is_none_or(|s| s.contains(id))
                        && reader.keys(*id).is_some_and(|k| keys_ok(&k))
                        && record_ok.as_ref().is_none_or(|t| t(r))
                })
                .map(|(_, r)| r)
                .collect();
            rows.sort_by(|a, b| {
                for (field, dir) in &sort {
                    let (x, y) = (
                        a.get(field).unwrap_or(&Value::Null),
                        b.get(field).unwrap_or(&Value::Null),
                    );
                    let o = compare_values(x, y);
                    let o = if *dir == Direction::Desc {
                        o.reverse()
                    } else {
                        o
                    };
                    if o != Ordering::Equal {
                        return o;
                    }
                }
                Ordering::Equal
            });
            take_offset_page(rows.into_iter(), start, limit)
        }
    };
    Ok(offset_list(&page, |out, r| {
        write_record(out, &omit_listed::<K>(r.clone()))
    }))
}

/// The record number named by the `{id}` path parameter; 400 when it is
/// malformed, 404 when no such record exists.
pub(crate) fn existing<K: RecordKind>(c: &Call, name: &str) -> Result<(u64, Record), ApiError> {
    let ds = c.ds();
    let id = parse_id(ds, K::ID, c.param(name))
        .ok_or_else(|| ApiError::invalid_param(name, "Expected a valid id"))?;
    let record = RecordReader::<K>::new(ds)
        .record(id)
        .ok_or_else(not_found)?;
    Ok((id, record))
}

pub(crate) fn get<K: RecordKind>(c: &Call) -> Result<Reply, ApiError> {
    let (_, record) = existing::<K>(c, "id")?;
    let include = included::<K>(c.query)?;
    let record = shape::<K>(record, &include);
    Ok(single(|out| write_record(out, &record)))
}

pub(crate) fn with_status(mut reply: Reply, status: u16) -> Reply {
    reply.status = status;
    reply
}

/// Creates a record of `K` from a body (also used by handlers of nested
/// collections, which add the parent's id to the body first).
pub(crate) fn create_record<K: RecordKind>(
    ds: &Dataset,
    body: &Record,
) -> Result<Record, ApiError> {
    write::validate_kind::<K>(ds, body, true)?;
    let now = K::TIME_FORMAT.format(write_clock());
    let mut record = K::blank(ds);
    record.insert("add_time".to_string(), Value::String(now.clone()));
    record.insert("update_time".to_string(), Value::String(now));
    write::apply(K::FIELDS, body, &mut record);
    K::prepare(ds, &mut record, body, true)?;
    // Links were checked without holding this entity's lock (prepare reads
    // other entities); only the id is handed out under it.
    let mut overlay = ds.records.write::<K>();
    let id = K::base_slots(ds).max(overlay.last_created) + 1;
    K::set_id(ds, &mut record, id);
    overlay.last_created = id;
    let (record, keys) = stored::<K>(ds, record);
    overlay.slots.put(id, (record.clone(), keys));
    Ok(record)
}

pub(crate) fn create<K: RecordKind>(c: &Call) -> Result<Reply, ApiError> {
    let body = c.json_body()?;
    let record = create_record::<K>(c.ds(), &body)?;
    Ok(with_status(
        single(|out| write_record(out, &record)),
        K::CREATE_STATUS,
    ))
}

/// Applies a body to record `id` of `K` and stores it.
pub(crate) fn update_record<K: RecordKind>(
    ds: &Dataset,
    id: u64,
    mut record: Record,
    body: &Record,
) -> Result<Record, ApiError> {
    write::validate_kind::<K>(ds, body, false)?;
    write::apply(K::FIELDS, body, &mut record);
    K::prepare(ds, &mut record, body, false)?;
    if record.contains_key("update_time") {
        let now = K::TIME_FORMAT.format(write_clock());
        record.insert("update_time".to_string(), Value::String(now));
    }
    let (record, keys) = stored::<K>(ds, record);
    ds.records
        .write::<K>()
        .slots
        .put(id, (record.clone(), keys));
    Ok(record)
}

pub(crate) fn update<K: RecordKind>(c: &Call) -> Result<Reply, ApiError> {
    let body = c.json_body()?;
    let (id, record) = existing::<K>(c, "id")?;
    let record = update_record::<K>(c.ds(), id, record, &body)?;
    Ok(single(|out| write_record(out, &record)))
}

/// Deletes record `id` of `K` as the entity does (soft or hard).
pub(crate) fn delete_record<K: RecordKind>(
    ds: &Dataset,
    id: u64,
    mut record: Record,
) -> Result<(), ApiError> {
    K::before_delete(ds, id)?;
    match K::DELETE {
        DeleteStyle::Hard => ds.records.write::<K>().slots.remove(id),
        DeleteStyle::Soft { field, value } => {
            record.insert(field.to_string(), Value::Bool(value));
            if record.contains_key("update_time") {
                let now = K::TIME_FORMAT.format(write_clock());
                record.insert("update_time".to_string(), Value::String(now));
            }
            ds.records
                .write::<K>()
                .slots
                .put(id, stored::<K>(ds, record));
        }
        DeleteStyle::SoftText { field, value } => {
            record.insert(field.to_string(), Value::String(value.to_string()));
            if record.contains_key("update_time") {
                let now = K::TIME_FORMAT.format(write_clock());
                record.insert("update_time".to_string(), Value::String(now));
            }
            ds.records
                .write::<K>()
                .slots
                .put(id, stored::<K>(ds, record));
        }
    }
    K::after_delete(ds, id);
    Ok(())
}

pub(crate) fn delete<K: RecordKind>(c: &Call) -> Result<Reply, ApiError> {
    let (id, record) = existing::<K>(c, "id")?;
    let id_json = record.get("id").cloned().unwrap_or(Value::Null);
    delete_record::<K>(c.ds(), id, record)?;
    let data = match K::DELETE_REPLY {
        DeleteReply::IdObject => json!({ "id": id_json }),
        DeleteReply::True => Value::Bool(true),
        DeleteReply::Null => Value::Null,
    };
    Ok(single(|out| {
        let _ = serde_json::to_writer(&mut *out, &data);
    }))
}
