//! Search (v2): `/deals/search`, `/persons/search`,
//! `/organizations/search`, `/products/search`, `/leads/search`,
//! `/projects/search` and `/itemSearch`.
//!
//! Matching is case-insensitive: a field matches when it contains the term,
//! or with `exact_match=true` when it equals it. `result_score` is 1 for a
//! field equal to the term, 0.8 when it starts with it, 0.5 otherwise.
//! Results come in id order (per item type for `/itemSearch`), so cursors
//! stay valid while records change. Deleted records are never found. Notes
//! are not searched (`notes` is always an empty array).

use super::super::params::cursor_params;
use super::super::{Call, Reply};
use crate::data::custom_fields::{CustomFieldDef, CustomType, FieldValue};
use crate::data::deals::{Deal, DealStatus};
use crate::data::listing::{Deals, EntityReader, Organizations, Persons};
use crate::data::organizations::Organization;
use crate::data::persons::Person;
use crate::data::records::files::Files;
use crate::data::records::leads::Leads;
use crate::data::records::products::Products;
use crate::data::records::projects::{Phases, Projects};
use crate::data::records::store::RecordReader;
use crate::data::records::{Record, RecordKind};
use crate::data::{ids_in_order, Dataset};
use crate::errors::ApiError;
use crate::json::write_str;
use crate::pagination::{sort_candidates, take_cursor_page, SortField};
use crate::query::Query;
use serde_json::{json, Value};

/// The search term and how to match it.
struct Term {
    lower: String,
    exact: bool,
}

impl Term {
    /// `term` is required: at least 2 characters, or 1 with `exact_match`.
    fn from_query(q: &Query) -> Result<Term, ApiError> {
        let exact = q.bool("exact_match")?.unwrap_or(false);
        let term = q.get("term").map(str::trim).unwrap_or("");
        let min = if exact { 1 } else { 2 };
        if term.chars().count() < min {
            return Err(ApiError::invalid_param(
                "term",
                &format!(
                    "Must be at least {min} character{} long",
                    if min == 1 { "" } else { "s" }
                ),
            ));
        }
        Ok(Term {
            lower: term.to_lowercase(),
            exact,
        })
    }

    fn score(&self, text: &str) -> Option<f64> {
        let text = text.to_lowercase();
        if text == self.lower {
            Some(1.0)
        } else if self.exact {
            None
        } else if text.starts_with(&self.lower) {
            Some(0.8)
        } else if text.contains(&self.lower) {
            Some(0.5)
        } else {
            None
        }
    }
}

/// Which fields to search (`fields=`), among those an item type has.
struct Fields(Option<Vec<String>>);

impl Fields {
    fn from_query(q: &Query, allowed: &[&str]) -> Result<Fields, ApiError> {
        let Some(list) = q.list("fields") else {
            return Ok(Fields(None));
        };
        for f in &list {
            if !allowed.contains(f) {
                return Err(ApiError::invalid_param(
                    "fields",
                    &format!("Unknown field '{f}'"),
                ));
            }
        }
        Ok(Fields(Some(list.iter().map(|s| s.to_string()).collect())))
    }

    fn has(&self, name: &str) -> bool {
        self.0.as_ref().is_none_or(|l| l.iter().any(|f| f == name))
    }
}

/// The larger of two optional scores.
fn higher(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

/// Best score over candidate texts.
fn best(term: &Term, texts: impl IntoIterator<Item = String>) -> Option<f64> {
    texts
        .into_iter()
        .filter_map(|t| term.score(&t))
        .reduce(f64::max)
}

/// The searchable custom values (varchar, text, varchar_auto, double,
/// monetary, phone) of a record as text.
fn searchable_custom(defs: &[CustomFieldDef], values: &[FieldValue]) -> Vec<String> {
    defs.iter()
        .zip(values)
        .filter_map(|(def, v)| match (def.field_type, v) {
            (
                CustomType::Varchar
                | CustomType::Text
                | CustomType::VarcharAuto
                | CustomType::Phone,
                FieldValue::Text(s),
            ) => Some(s.to_string()),
            (CustomType::Double, FieldValue::Number(x)) => Some(x.to_string()),
            (CustomType::Monetary, FieldValue::Money { amount, .. }) => Some(amount.to_string()),
            _ => None,
        })
        .collect()
}

fn matching_custom(term: &Term, defs: &[CustomFieldDef], values: &[FieldValue]) -> Vec<String> {
    searchable_custom(defs, values)
        .into_iter()
        .filter(|t| term.score(t).is_some())
        .collect()
}

fn named(ds: &Dataset, kind: &str, id: Option<u64>) -> Value {
    let Some(id) = id else { return Value::Null };
    let name = match kind {
        "person" => EntityReader::<Persons>::new(ds).record(id).map(|p| p.name),
        _ => EntityReader::<Organizations>::new(ds)
            .record(id)
            .map(|o| o.name),
    };
    match name {
        Some(n) => json!({"id": id, "name": n}),
        None => Value::Null,
    }
}

fn stage_name(ds: &Dataset, id: u64) -> Option<String> {
    ds.stages_snapshot()
        .into_iter()
        .find(|s| s.id == id)
        .map(|s| s.name)
}

// ----- per type: match and describe -----

fn deal_hit(ds: &Dataset, term: &Term, fields: &Fields, d: &Deal) -> Option<(f64, Value)> {
    let mut score = None;
    if fields.has("title") {
        score = term.score(&d.title);
    }
    let custom = if fields.has("custom_fields") {
        matching_custom(term, &ds.deal_fields, &d.custom)
    } else {
        Vec::new()
    };
    if !custom.is_empty() {
        score = Some(score.unwrap_or(0.0).max(0.4));
    }
    let score = score?;
    let k = &d.keys;
    Some((
        score,
        json!({
            // The spec types a hit's value as an integer.
            "id": k.id, "type": "deal", "title": d.title, "value": d.value.round() as i64, "currency": d.currency,
            "status": k.status.name(), "visible_to": d.visible_to, "owner": {"id": k.owner_id},
            "stage": {"id": k.stage_id, "name": stage_name(ds, k.stage_id)},
            "person": named(ds, "person", k.person_id), "organization": named(ds, "organization", k.org_id),
            "custom_fields": custom, "notes": [], "is_archived": k.is_archived,
        }),
    ))
}

fn person_hit(ds: &Dataset, term: &Term, fields: &Fields, p: &Person) -> Option<(f64, Value)> {
    let emails: Vec<String> = p.emails.iter().map(|e| e.value.clone()).collect();
    let phones: Vec<String> = p.phones.iter().map(|e| e.value.clone()).collect();
    let mut score = None;
    let mut take = |s: Option<f64>| score = higher(score, s);
    if fields.has("name") {
        take(term.score(&p.name));
    }
    if fields.has("email") {
        take(best(term, emails.clone()));
    }
    if fields.has("phone") {
        take(best(term, phones.clone()));
    }
    let custom = if fields.has("custom_fields") {
        matching_custom(term, &ds.person_fields, &p.custom)
    } else {
        Vec::new()
    };
    if !custom.is_empty() {
        take(Some(0.4));
    }
    let score = score?;
    Some((
        score,
        json!({
            "id": p.keys.id, "type": "person", "name": p.name, "phones": phones, "emails": emails,
            "visible_to": p.visible_to, "owner": {"id": p.keys.owner_id},
            "organization": named(ds, "organization", p.keys.org_id),
            "custom_fields": custom, "notes": [],
        }),
    ))
}

fn org_hit(ds: &Dataset, term: &Term, fields: &Fields, o: &Organization) -> Option<(f64, Value)> {
    let address = o.address.as_ref().map(|a| a.value.clone());
    let mut score = None;
    if fields.has("name") {
        score = term.score(&o.name);
    }
    if fields.has("address") {
        score = higher(score, address.as_deref().and_then(|a| term.score(a)));
    }
    let custom = if fields.has("custom_fields") {
        matching_custom(term, &ds.organization_fields, &o.custom)
    } else {
        Vec::new()
    };
    if !custom.is_empty() {
        score = higher(score, Some(0.4));
    }
    let score = score?;
    Some((
        score,
        json!({
            "id": o.keys.id, "type": "organization", "name": o.name, "address": address,
            "visible_to": o.visible_to, "owner": {"id": o.keys.owner_id},
            "custom_fields": custom, "notes": [],
        }),
    ))
}

fn text_of(r: &Record, name: &str) -> Option<String> {
    r.get(name).and_then(Value::as_str).map(str::to_string)
}

fn product_hit(term: &Term, fields: &Fields, r: &Record) -> Option<(f64, Value)> {
    if r.get("is_deleted") == Some(&Value::Bool(true)) {
        return None;
    }
    let mut score = None;
    if fields.has("name") {
        score = text_of(r, "name").and_then(|n| term.score(&n));
    }
    if fields.has("code") {
        score = higher(score, text_of(r, "code").and_then(|c| term.score(&c)));
    }
    let custom: Vec<String> = r
        .get("custom_fields")
        .and_then(Value::as_object)
        .map(|o| {
            o.values()
                .filter_map(Value::as_str)
                .filter(|s| term.score(s).is_some())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    if fields.has("custom_fields") && !custom.is_empty() {
        score = higher(score, Some(0.4));
    }
    Some((
        score?,
        json!({
            "id": r.get("id"), "type": "product", "name": r.get("name"), "code": r.get("code"),
            "visible_to": r.get("visible_to"), "owner": {"id": r.get("owner_id")}, "custom_fields": custom,
        }),
    ))
}

fn lead_hit(ds: &Dataset, term: &Term, fields: &Fields, r: &Record) -> Option<(f64, Value)> {
    let score = if fields.has("title") {
        text_of(r, "title").and_then(|t| term.score(&t))
    } else {
        None
    }?;
    let value = r.get("value");
    Some((
        score,
        json!({
            "id": r.get("id"), "type": "lead", "title": r.get("title"), "owner": {"id": r.get("owner_id")},
            "person": named(ds, "person", r.get("person_id").and_then(Value::as_u64)),
            "organization": named(ds, "organization", r.get("organization_id").and_then(Value::as_u64)),
            "phones": [], "emails": [], "custom_fields": [], "notes": [],
            "value": value.and_then(|v| v.get("amount")), "currency": value.and_then(|v| v.get("currency")),
            "visible_to": r.get("visible_to"), "is_archived": r.get("is_archived"),
        }),
    ))
}

fn file_hit(term: &Term, fields: &Fields, r: &Record) -> Option<(f64, Value)> {
    if r.get("active_flag") == Some(&Value::Bool(false)) || !fields.has("name") {
        return None;
    }
    let score = text_of(r, "name").and_then(|n| term.score(&n))?;
    let link = |id: &str, name: &str, label: &str| match r.get(id).and_then(Value::as_u64) {
        Some(i) => json!({"id": i, label: r.get(name)}),
        None => Value::Null,
    };
    Some((
        score,
        json!({
            "id": r.get("id"), "type": "file", "name": r.get("name"),
            "url": format!("/files/{}/download", r.get("id").and_then(Value::as_u64).unwrap_or(0)),
            "deal": link("deal_id", "deal_name", "title"), "person": link("person_id", "person_name", "name"),
            "organization": link("org_id", "org_name", "name"),
        }),
    ))
}

fn project_hit(term: &Term, fields: &Fields, r: &Record) -> Option<(f64, Value)> {
    if text_of(r, "status").as_deref() == Some("deleted") {
        return None;
    }
    let mut score = None;
    if fields.has("title") {
        score = text_of(r, "title").and_then(|t| term.score(&t));
    }
    if fields.has("description") {
        score = higher(
            score,
            text_of(r, "description").and_then(|t| term.score(&t)),
        );
    }
    Some((
        score?,
        json!({
            "id": r.get("id"), "type": "project", "title": r.get("title"), "status": r.get("status"),
            "description": r.get("description"), "owner": {"id": r.get("owner_id")},
        }),
    ))
}

// ----- scans -----

fn live_deals(ds: &Dataset) -> impl Iterator<Item = Deal> + '_ {
    let reader = EntityReader::<Deals>::new(ds);
    ids_in_order::<Deals>(ds)
        .filter_map(move |id| reader.record(id))
        .filter(|d| d.keys.status != DealStatus::Deleted)
}

fn live_persons(ds: &Dataset) -> impl Iterator<Item = Person> + '_ {
    let reader = EntityReader::<Persons>::new(ds);
    ids_in_order::<Persons>(ds)
        .filter_map(move |id| reader.record(id))
        .filter(|p| !p.keys.is_deleted)
}

fn live_orgs(ds: &Dataset) -> impl Iterator<Item = Organization> + '_ {
    let reader = EntityReader::<Organizations>::new(ds);
    ids_in_order::<Organizations>(ds)
        .filter_map(move |id| reader.record(id))
        .filter(|o| !o.keys.is_deleted)
}

fn records<K: RecordKind>(ds: &Dataset) -> Vec<(u64, Record)> {
    RecordReader::<K>::new(ds).all()
}

/// One hit: (type rank, record number, score, item).
type Hit = (i64, u64, f64, Value);

/// Pages hits in (type rank, id) order and writes the search envelope.
fn reply(q: &Query, hits: Vec<Hit>, max_limit: usize) -> Result<Reply, ApiError> {
    let params = cursor_params(q, &[SortField::Id])?;
    if params.limit > max_limit {
        return Err(ApiError::invalid_param(
            "limit",
            &format!("Number must be less than or equal to {max_limit}"),
        ));
    }
    let candidates = hits
        .into_iter()
        .map(|(rank, id, score, item)| (rank, id, (score, item)))
        .collect();
    let page = take_cursor_page(
        sort_candidates(candidates, params.start),
        params.start.sort,
        params.limit,
    );
    let mut out = Vec::with_capacity(256 + page.items.len() * 400);
    out.extend_from_slice(b"{\"success\":true,\"data\":{\"items\":[");
    for (i, (score, item)) in page.items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let _ = serde_json::to_writer(&mut out, &json!({"result_score": score, "item": item}));
    }
    out.extend_from_slice(b"]},\"additional_data\":{\"next_cursor\":");
    match &page.next {
        Some(c) => write_str(&mut out, &c.encode()),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b"}}");
    Ok(Reply::ok(out, page.items.len() as u64))
}

pub(crate) fn deals(c: &Call) -> Result<Reply, ApiError> {
    let (ds, q) = (c.ds(), c.query);
    let term = Term::from_query(q)?;
    let fields = Fields::from_query(q, &["custom_fields", "notes", "title"])?;
    let person = q.u64("person_id")?;
    let org = q.u64("organization_id")?;
    let status = q.one_of("status", DealStatus::parse, &["open", "won", "lost"])?;
    q.list("include_fields");
    let hits = live_deals(ds)
        .filter(|d| person.is_none_or(|p| d.keys.person_id == Some(p)))
        .filter(|d| org.is_none_or(|o| d.keys.org_id == Some(o)))
        .filter(|d| status.is_none_or(|s| d.keys.status == s))
        .filter_map(|d| deal_hit(ds, &term, &fields, &d).map(|(s, item)| (0, d.keys.id, s, item)))
        .collect();
    reply(q, hits, 500)
}

pub(crate) fn persons(c: &Call) -> Result<Reply, ApiError> {
    let (ds, q) = (c.ds(), c.query);
    let term = Term::from_query(q)?;
    let fields = Fields::from_query(q, &["custom_fields", "email", "notes", "phone", "name"])?;
    let org = q.u64("organization_id")?;
    let hits = live_persons(ds)
        .filter(|p| org.is_none_or(|o| p.keys.org_id == Some(o)))
        .filter_map(|p| person_hit(ds, &term, &fields, &p).map(|(s, item)| (0, p.keys.id, s, item)))
        .collect();
    reply(q, hits, 500)
}

pub(crate) fn organizations(c: &Call) -> Result<Reply, ApiError> {
    let (ds, q) = (c.ds(), c.query);
    let term = Term::from_query(q)?;
    let fields = Fields::from_query(q, &["address", "custom_fields", "notes", "name"])?;
    let hits = live_orgs(ds)
        .filter_map(|o| org_hit(ds, &term, &fields, &o).map(|(s, item)| (0, o.keys.id, s, item)))
        .collect();
    reply(q, hits, 500)
}

const ITEM_TYPES: &[&str] = &[
    "deal",
    "person",
    "organization",
    "product",
    "lead",
    "file",
    "mail_attachment",
    "project",
];

/// `GET /itemSearch`: several item types at once (at most 100 per page).
/// Mail attachments are not simulated and never match.
pub(crate) fn items(c: &Call) -> Result<Reply, ApiError> {
    let (ds, q) = (c.ds(), c.query);
    let term = Term::from_query(q)?;
    let fields = Fields::from_query(
        q,
        &[
            "address",
            "code",
            "custom_fields",
            "email",
            "name",
            "notes",
            "phone",
            "title",
            "description",
        ],
    )?;
    let types = match q.list("item_types") {
        None => ITEM_TYPES.to_vec(),
        Some(list) => {
            for t in &list {
                if !ITEM_TYPES.contains(t) {
                    return Err(ApiError::invalid_param(
                        "item_types",
                        &format!("Unknown item type '{t}'"),
                    ));
                }
            }
            list
        }
    };
    q.bool("search_for_related_items")?;
    let mut hits: Vec<Hit> = Vec::new();
    for (rank, t) in ITEM_TYPES.iter().enumerate() {
        if !types.contains(t) {
            continue;
        }
        let rank = rank as i64;
        match *t {
            "deal" => hits.extend(live_deals(ds).filter_map(|d| {
                deal_hit(ds, &term, &fields, &d).map(|(s, i)| (rank, d.keys.id, s, i))
            })),
            "person" => hits.extend(live_persons(ds).filter_map(|p| {
                person_hit(ds, &term, &fields, &p).map(|(s, i)| (rank, p.keys.id, s, i))
            })),
            "organization" => hits.extend(live_orgs(ds).filter_map(|o| {
                org_hit(ds, &term, &fields, &o).map(|(s, i)| (rank, o.keys.id, s, i))
            })),
            "product" => hits.extend(records::<Products>(ds).iter().filter_map(|(id, r)| {
                product_hit(&term, &fields, r).map(|(s, i)| (rank, *id, s, i))
            })),
            "lead" => hits.extend(records::<Leads>(ds).iter().filter_map(|(id, r)| {
                lead_hit(ds, &term, &fields, r).map(|(s, i)| (rank, *id, s, i))
            })),
            "file" => {
                hits.extend(records::<Files>(ds).iter().filter_map(|(id, r)| {
                    file_hit(&term, &fields, r).map(|(s, i)| (rank, *id, s, i))
                }))
            }
            "project" => hits.extend(records::<Projects>(ds).iter().filter_map(|(id, r)| {
                project_hit(&term, &fields, r).map(|(s, i)| (rank, *id, s, i))
            })),
            _ => {}
        }
    }
    reply(q, hits, 100)
}

/// `include_fields=`: each name must be one the operation offers.
fn include_fields<'q>(q: &'q Query, allowed: &[&str]) -> Result<Vec<&'q str>, ApiError> {
    let list = q.list("include_fields").unwrap_or_default();
    match list.iter().find(|f| !allowed.contains(f)) {
        Some(f) => Err(ApiError::invalid_param(
            "include_fields",
            &format!("Unknown field '{f}'"),
        )),
        None => Ok(list),
    }
}

/// The searchable custom values of a record-shaped entity (varchar,
/// text, varchar_auto, phone as text; double and monetary amounts) that
/// match the term. Values sit under `custom_fields` (v2) or at the top
/// level keyed by the field key (v1 leads).
fn matching_record_custom(term: &Term, defs: &[CustomFieldDef], r: &Record) -> Vec<String> {
    let nested = r.get("custom_fields").and_then(Value::as_object);
    defs.iter()
        .filter_map(|def| {
            let v = nested
                .and_then(|o| o.get(&def.key))
                .or_else(|| r.get(&def.key))?;
            match def.field_type {
                CustomType::Varchar
                | CustomType::Text
                | CustomType::VarcharAuto
                | CustomType::Phone => v.as_str().map(str::to_string),
                CustomType::Double => v.as_f64().map(|x| x.to_string()),
                CustomType::Monetary => v
                    .get("value")
                    .or_else(|| v.get("amount"))
                    .and_then(Value::as_f64)
                    .map(|x| x.to_string()),
                _ => None,
            }
        })
        .filter(|t| term.score(t).is_some())
        .collect()
}

/// A hit's score raised by matching custom fields (as for deals).
fn with_custom(score: Option<f64>, custom: &[String]) -> Option<f64> {
    if custom.is_empty() {
        score
    } else {
        higher(score, Some(0.4))
    }
}

/// `GET /products/search`: name, code and custom fields. The spec types a
/// hit's `code` as an integer, so a code that is not a whole number (such
/// as `SKU-00042`) is left out of the hit.
pub(crate) fn products(c: &Call) -> Result<Reply, ApiError> {
    let (ds, q) = (c.ds(), c.query);
    let term = Term::from_query(q)?;
    let fields = Fields::from_query(q, &["code", "custom_fields", "name"])?;
    let with_price = include_fields(q, &["product.price"])?.contains(&"product.price");
    let hits = records::<Products>(ds)
        .iter()
        .filter(|(_, r)| r.get("is_deleted") != Some(&Value::Bool(true)))
        .filter_map(|(id, r)| {
            let text = |name: &str| {
                if fields.has(name) {
                    text_of(r, name)
                } else {
                    None
                }
            };
            let mut score = text("name").and_then(|n| term.score(&n));
            score = higher(score, text("code").and_then(|c| term.score(&c)));
            let custom = if fields.has("custom_fields") {
                matching_record_custom(&term, &ds.product_fields, r)
            } else {
                Vec::new()
            };
            let score = with_custom(score, &custom)?;
            let mut item = json!({
                "id": id, "type": "product", "name": r.get("name"),
                "visible_to": r.get("visible_to"), "owner": {"id": r.get("owner_id")},
                "custom_fields": custom,
            });
            if let Some(code) = text_of(r, "code").and_then(|c| c.parse::<i64>().ok()) {
                item["code"] = json!(code);
            }
            if with_price {
                let first = r
                    .get("prices")
                    .and_then(Value::as_array)
                    .and_then(|p| p.first());
                item["price"] = first
                    .and_then(|p| p.get("price"))
                    .cloned()
                    .unwrap_or(Value::Null);
            }
            Some((0, *id, score, item))
        })
        .collect();
    reply(q, hits, 500)
}

/// `GET /leads/search`: title and custom fields (leads carry the deal
/// fields), archived leads included (hits say `is_archived`). The spec
/// declares no member of a hit nullable, so absent links are left out.
pub(crate) fn leads(c: &Call) -> Result<Reply, ApiError> {
    let (ds, q) = (c.ds(), c.query);
    let term = Term::from_query(q)?;
    let fields = Fields::from_query(q, &["custom_fields", "notes", "title"])?;
    let person = q.u64("person_id")?;
    let org = q.u64("organization_id")?;
    let was_seen = include_fields(q, &["lead.was_seen"])?.contains(&"lead.was_seen");
    let linked = |r: &Record, name: &str, want: Option<u64>| {
        want.is_none_or(|w| r.get(name).and_then(Value::as_u64) == Some(w))
    };
    let hits = records::<Leads>(ds)
        .iter()
        .filter(|(_, r)| linked(r, "person_id", person) && linked(r, "organization_id", org))
        .filter_map(|(id, r)| {
            let score = if fields.has("title") {
                text_of(r, "title").and_then(|t| term.score(&t))
            } else {
                None
            };
            let custom = if fields.has("custom_fields") {
                matching_record_custom(&term, &ds.deal_fields, r)
            } else {
                Vec::new()
            };
            let score = with_custom(score, &custom)?;
            let value = r.get("value");
            let mut item = json!({
                "id": r.get("id"), "type": "lead", "title": r.get("title"),
                "owner": {"id": r.get("owner_id")},
                "person": named(ds, "person", r.get("person_id").and_then(Value::as_u64)),
                "organization": named(ds, "organization", r.get("organization_id").and_then(Value::as_u64)),
                "phones": [], "emails": [], "custom_fields": custom, "notes": [],
                "value": value.and_then(|v| v.get("amount")).and_then(Value::as_f64).map(|a| a.round() as i64),
                "currency": value.and_then(|v| v.get("currency")),
                "visible_to": r.get("visible_to").and_then(|v| v.as_u64().or_else(|| v.as_str()?.parse().ok())),
                "is_archived": r.get("is_archived"),
            });
            if was_seen {
                item["was_seen"] = r.get("was_seen").cloned().unwrap_or(Value::Bool(false));
            }
            if let Some(members) = item.as_object_mut() {
                members.retain(|_, v| !v.is_null());
            }
            Some((0, *id, score, item))
        })
        .collect();
    reply(q, hits, 500)
}

/// `GET /projects/search`: title, description and custom fields of
/// projects that are not deleted; `person_id` and `organization_id` keep
/// projects linked to them. A hit names the project's first linked deal,
/// person and organization.
pub(crate) fn projects(c: &Call) -> Result<Reply, ApiError> {
    let (ds, q) = (c.ds(), c.query);
    let term = Term::from_query(q)?;
    let fields = Fields::from_query(q, &["custom_fields", "notes", "title", "description"])?;
    let person = q.u64("person_id")?;
    let org = q.u64("organization_id")?;
    let ids = |r: &Record, name: &str| -> Vec<u64> {
        r.get(name)
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_u64).collect())
            .unwrap_or_default()
    };
    let phases: Vec<(u64, Record)> = records::<Phases>(ds);
    let hits = records::<Projects>(ds)
        .iter()
        .filter(|(_, r)| text_of(r, "status").as_deref() != Some("deleted"))
        .filter(|(_, r)| person.is_none_or(|p| ids(r, "person_ids").contains(&p)))
        .filter(|(_, r)| org.is_none_or(|o| ids(r, "org_ids").contains(&o)))
        .filter_map(|(id, r)| {
            let text = |name: &str| {
                if fields.has(name) {
                    text_of(r, name)
                } else {
                    None
                }
            };
            let mut score = text("title").and_then(|t| term.score(&t));
            score = higher(score, text("description").and_then(|t| term.score(&t)));
            let custom = if fields.has("custom_fields") {
                matching_record_custom(&term, &ds.project_fields, r)
            } else {
                Vec::new()
            };
            let score = with_custom(score, &custom)?;
            let phase = r.get("phase_id").and_then(Value::as_u64).and_then(|p| {
                phases
                    .iter()
                    .find(|(pid, _)| *pid == p)
                    .map(|(pid, ph)| json!({"id": pid, "name": ph.get("name")}))
            });
            let deal_ids = ids(r, "deal_ids");
            let deal = deal_ids.first().and_then(|&d| {
                let title = EntityReader::<Deals>::new(ds).record(d)?.title;
                Some(json!({"id": d, "title": title}))
            });
            let org = ids(r, "org_ids").first().and_then(|&o| {
                let org = EntityReader::<Organizations>::new(ds).record(o)?;
                Some(json!({"id": o, "name": org.name, "address": org.address.map(|a| a.value)}))
            });
            let item = json!({
                "id": id, "type": "project", "title": r.get("title"), "status": r.get("status"),
                "owner": {"id": r.get("owner_id")}, "board_id": r.get("board_id"), "phase": phase,
                "person": named(ds, "person", ids(r, "person_ids").first().copied()),
                "organization": org, "deal": deal, "deal_count": deal_ids.len(),
                "description": r.get("description"), "end_date": r.get("end_date"),
                "custom_fields": custom, "notes": [],
            });
            Some((0, *id, score, item))
        })
        .collect();
    reply(q, hits, 500)
}
