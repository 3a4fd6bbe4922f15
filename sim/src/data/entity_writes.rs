//! Writes to deals, persons and organizations (v2 POST, PATCH, DELETE):
//! the body is validated against the spec's request schema, applied to
//! the typed record, checked for broken links, and stored in the overlay.
//!
//! Link rules (documented in the README): a deal's stage decides its
//! pipeline (a `pipeline_id` alone moves the deal to that pipeline's first
//! stage); linked persons, organizations and users must exist; deleting
//! marks the record deleted and keeps every link to and from it, as
//! Pipedrive keeps them for the 30 days a deleted record can be restored.

use super::address::Address;
use super::custom_values;
use super::deals::{Deal, DealKeys, DealStatus};
use super::listing::{Deals, EntityReader, GeneratedEntity, Organizations, Persons};
use super::organizations::{Organization, OrganizationKeys};
use super::persons::{ContactPoint, Person, PersonKeys};
use super::records::links::{org_exists, person_exists, user_exists};
use super::records::write::{invalid_field, missing_link, validate};
use super::records::{field, strict, FieldSpec, FieldType, Record};
use super::{write_clock, Dataset};
use crate::errors::ApiError;
use crate::time;
use serde_json::Value;
use std::borrow::Cow;

const VISIBILITY: &[i64] = &[1, 3, 5, 7];

fn opt_u64(body: &Record, name: &str) -> Option<Option<u64>> {
    body.get(name).map(Value::as_u64)
}

fn opt_str(body: &Record, name: &str) -> Option<Option<String>> {
    body.get(name).map(|v| v.as_str().map(str::to_string))
}

fn opt_f64(body: &Record, name: &str) -> Option<Option<f64>> {
    body.get(name).map(Value::as_f64)
}

fn check_visible_to(body: &Record) -> Result<Option<u64>, ApiError> {
    match body.get("visible_to").and_then(Value::as_i64) {
        None => Ok(None),
        Some(v) if VISIBILITY.contains(&v) => Ok(Some(v as u64)),
        Some(_) => Err(invalid_field("visible_to", "Expected 1, 3, 5 or 7")),
    }
}

fn check_labels(body: &Record, max: u64) -> Result<Option<Vec<u64>>, ApiError> {
    let Some(list) = body.get("label_ids").and_then(Value::as_array) else {
        return Ok(None);
    };
    let mut ids: Vec<u64> = list.iter().filter_map(Value::as_u64).collect();
    if ids.iter().any(|&l| l == 0 || l > max) {
        return Err(invalid_field("label_ids", "Unknown label"));
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(Some(ids))
}

fn check_user(body: &Record, name: &str, ds: &Dataset) -> Result<Option<u64>, ApiError> {
    match body.get(name).and_then(Value::as_u64) {
        None => Ok(None),
        Some(u) if user_exists(ds, u) => Ok(Some(u)),
        Some(u) => Err(missing_link(name, "User", u)),
    }
}

/// A timestamp given as RFC 3339 or `YYYY-MM-DD HH:MM:SS`.
fn timestamp(body: &Record, name: &str) -> Result<Option<Option<i64>>, ApiError> {
    match body.get(name) {
        None => Ok(None),
        Some(Value::Null) => Ok(Some(None)),
        Some(v) => v
            .as_str()
            .and_then(time::parse_any_time)
            .map(|t| Some(Some(t)))
            .ok_or_else(|| invalid_field(name, "Expected a date-time such as 2025-01-01 10:20:00")),
    }
}

fn apply_custom(
    ds: &Dataset,
    defs: &[super::custom_fields::CustomFieldDef],
    body: &Record,
    values: &mut Vec<super::custom_fields::FieldValue>,
) -> Result<(), ApiError> {
    match body.get("custom_fields") {
        None => Ok(()),
        Some(v) => {
            custom_values::apply(ds, defs, v, values).map_err(|(f, p)| invalid_field(&f, &p))
        }
    }
}

fn store<E: GeneratedEntity>(ds: &Dataset, id: u64, record: E::Record) {
    E::overlay(ds)
        .write()
        .unwrap_or_else(|e| e.into_inner())
        .put(id, record);
}

// ----- deals -----

const DEAL_FIELDS: &[FieldSpec] = &[
    strict("title", FieldType::Str),
    strict("owner_id", FieldType::Int),
    field("person_id", FieldType::Int),
    field("org_id", FieldType::Int),
    strict("pipeline_id", FieldType::Int),
    strict("stage_id", FieldType::Int),
    strict("value", FieldType::Number),
    strict("currency", FieldType::Str),
    strict("is_deleted", FieldType::Bool),
    strict("is_archived", FieldType::Bool),
    field("archive_time", FieldType::Timestamp),
    strict("status", FieldType::Enum(&["open", "won", "lost"])),
    field("probability", FieldType::Number),
    field("lost_reason", FieldType::Str),
    strict("visible_to", FieldType::Int),
    field("close_time", FieldType::Timestamp),
    field("won_time", FieldType::Timestamp),
    field("lost_time", FieldType::Timestamp),
    field("expected_close_date", FieldType::Date),
    strict("label_ids", FieldType::IntArray),
    strict("custom_fields", FieldType::Object),
];

/// A deal with no values yet, owned by the token's user.
fn blank_deal(ds: &Dataset, id: u64, now: i64) -> Deal {
    let first_stage = ds
        .stages_snapshot()
        .iter()
        .filter(|s| s.pipeline_id == 1 && !s.is_deleted)
        .min_by_key(|s| s.order_nr)
        .map_or(1, |s| s.id);
    Deal {
        keys: DealKeys {
            id,
            owner_id: 1,
            person_id: None,
            org_id: None,
            pipeline_id: 1,
            stage_id: first_stage,
            status: DealStatus::Open,
            add_time: now,
            update_time: now,
            is_archived: false,
        },
        title: String::new(),
        creator_user_id: 1,
        value: 0.0,
        currency: Cow::Owned(
            ds.user_record(1)
                .map_or("EUR".to_string(), |u| u.default_currency.to_string()),
        ),
        stage_change_time: None,
        close_time: None,
        won_time: None,
        lost_time: None,
        expected_close_date: None,
        probability: None,
        lost_reason: None,
        visible_to: 3,
        label_ids: Vec::new(),
        origin: Cow::Borrowed("API"),
        origin_id: None,
        channel: None,
        channel_id: None,
        arr: None,
        mrr: None,
        acv: None,
        archive_time: None,
        custom: vec![super::custom_fields::FieldValue::Null; ds.deal_fields.len()],
    }
}

fn apply_deal(ds: &Dataset, deal: &mut Deal, body: &Record, now: i64) -> Result<(), ApiError> {
    let k = &mut deal.keys;
    if let Some(Some(title)) = opt_str(body, "title") {
        if title.trim().is_empty() {
            return Err(invalid_field("title", "Must not be empty"));
        }
        deal.title = title;
    }
    if let Some(owner) = check_user(body, "owner_id", ds)? {
        k.owner_id = owner;
    }
    if let Some(person) = opt_u64(body, "person_id") {
        if let Some(p) = person {
            if !person_exists(ds, p) {
                return Err(missing_link("person_id", "Person", p));
            }
        }
        k.person_id = person;
    }
    if let Some(org) = opt_u64(body, "org_id") {
        if let Some(o) = org {
            if !org_exists(ds, o) {
                return Err(missing_link("org_id", "Organization", o));
            }
        }
        k.org_id = org;
    }
    // The stage decides the pipeline; a pipeline alone means its first stage.
    let stage = body.get("stage_id").and_then(Value::as_u64);
    let pipeline = body.get("pipeline_id").and_then(Value::as_u64);
    let stages = ds.stages_snapshot();
    if let Some(p) = pipeline {
        if !ds
            .pipelines_snapshot()
            .iter()
            .any(|x| x.id == p && !x.is_deleted)
        {
            return Err(missing_link("pipeline_id", "Pipeline", p));
        }
    }
    let new_stage = match (stage, pipeline) {
        (Some(s), p) => {
            let st = stages
                .iter()
                .find(|x| x.id == s && !x.is_deleted)
                .ok_or_else(|| missing_link("stage_id", "Stage", s))?;
            if p.is_some_and(|p| p != st.pipeline_id) {
                return Err(invalid_field(
                    "stage_id",
                    "The stage does not belong to the given pipeline",
                ));
            }
            Some((st.id, st.pipeline_id))
        }
        (None, Some(p)) if p != k.pipeline_id => {
            let first = stages
                .iter()
                .filter(|x| x.pipeline_id == p && !x.is_deleted)
                .min_by_key(|x| x.order_nr)
                .ok_or_else(|| invalid_field("pipeline_id", "The pipeline has no stages"))?;
            Some((first.id, p))
        }
        _ => None,
    };
    if let Some((s, p)) = new_stage {
        if s != k.stage_id {
            deal.stage_change_time = Some(now);
        }
        k.stage_id = s;
        k.pipeline_id = p;
    }
    if let Some(Some(v)) = opt_f64(body, "value") {
        if v < 0.0 {
            return Err(invalid_field("value", "Must not be negative"));
        }
        deal.value = v;
    }
    if let Some(Some(c)) = opt_str(body, "currency") {
        if c.len() != 3 || !c.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(invalid_field(
                "currency",
                "Expected a 3-letter currency code",
            ));
        }
        deal.currency = Cow::Owned(c);
    }
    if let Some(status) = body.get("status").and_then(Value::as_str) {
        let new = DealStatus::parse(status).unwrap_or(DealStatus::Open);
        if new != k.status {
            deal.won_time = None;
            deal.lost_time = None;
            deal.close_time = None;
            match new {
                DealStatus::Won => {
                    deal.won_time = Some(now);
                    deal.close_time = Some(now);
                }
                DealStatus::Lost => {
                    deal.lost_time = Some(now);
                    deal.close_time = Some(now);
                }
                _ => deal.lost_reason = None,
            }
            k.status = new;
        }
    }
    if let Some(deleted) = body.get("is_deleted").and_then(Value::as_bool) {
        if deleted {
            k.status = DealStatus::Deleted;
        } else if k.status == DealStatus::Deleted {
            k.status = DealStatus::Open;
        }
    }
    for (name, slot) in [
        ("close_time", &mut deal.close_time),
        ("won_time", &mut deal.won_time),
        ("lost_time", &mut deal.lost_time),
    ] {
        if let Some(t) = timestamp(body, name)? {
            *slot = t;
        }
    }
    if let Some(archived) = body.get("is_archived").and_then(Value::as_bool) {
        k.is_archived = archived;
        deal.archive_time = archived.then_some(now);
    }
    if let Some(t) = timestamp(body, "archive_time")? {
        deal.archive_time = t;
    }
    if let Some(p) = opt_f64(body, "probability") {
        if p.is_some_and(|p| !(0.0..=100.0).contains(&p)) {
            return Err(invalid_field("probability", "Expected 0 to 100"));
        }
        deal.probability = p;
    }
    if let Some(reason) = opt_str(body, "lost_reason") {
        deal.lost_reason = reason.map(Cow::Owned);
    }
    if let Some(v) = check_visible_to(body)? {
        deal.visible_to = v;
    }
    if let Some(date) = body.get("expected_close_date") {
        deal.expected_close_date = date.as_str().and_then(time::parse_date);
    }
    if let Some(labels) = check_labels(body, 5)? {
        deal.label_ids = labels;
    }
    apply_custom(ds, &ds.deal_fields, body, &mut deal.custom)?;
    deal.keys.update_time = now;
    Ok(())
}

pub(crate) fn create_deal(ds: &Dataset, body: &Record) -> Result<Deal, ApiError> {
    validate(ds, DEAL_FIELDS, &["title"], body, true)?;
    let now = write_clock();
    let mut deal = blank_deal(ds, 0, now);
    apply_deal(ds, &mut deal, body, now)?;
    deal.creator_user_id = deal.keys.owner_id;
    deal.stage_change_time = None;
    let id = {
        // Allocate and store under one lock so concurrent creates differ.
        let mut overlay = ds.overlay.deals.write().unwrap_or_else(|e| e.into_inner());
        let id = Deals::base_count(ds).max(overlay.max_id()) + 1;
        deal.keys.id = id;
        overlay.put(id, deal.clone());
        id
    };
    let owner = deal.keys.owner_id;
    ds.followers.add(
        ds,
        super::followers::Followed::Deal,
        id,
        super::followers::Follower {
            user_id: owner,
            add_time: now,
        },
    );
    Ok(deal)
}

pub(crate) fn update_deal(ds: &Dataset, id: u64, body: &Record) -> Result<Option<Deal>, ApiError> {
    let Some(mut deal) = EntityReader::<Deals>::new(ds).record(id) else {
        return Ok(None);
    };
    validate(ds, DEAL_FIELDS, &["title"], body, false)?;
    apply_deal(ds, &mut deal, body, write_clock())?;
    store::<Deals>(ds, id, deal.clone());
    Ok(Some(deal))
}

/// Soft delete: `status` becomes `deleted`.
pub(crate) fn delete_deal(ds: &Dataset, id: u64) -> Option<()> {
    let mut deal = EntityReader::<Deals>::new(ds).record(id)?;
    deal.keys.status = DealStatus::Deleted;
    deal.keys.update_time = write_clock();
    store::<Deals>(ds, id, deal);
    Some(())
}

// ----- persons -----

const PERSON_FIELDS: &[FieldSpec] = &[
    strict("name", FieldType::Str),
    strict("owner_id", FieldType::Int),
    field("org_id", FieldType::Int),
    strict("add_time", FieldType::Timestamp),
    strict("emails", FieldType::ObjectArray),
    strict("phones", FieldType::ObjectArray),
    strict("visible_to", FieldType::Int),
    strict("label_ids", FieldType::IntArray),
    field("postal_address", FieldType::Object),
    field("notes", FieldType::Str),
    field("im", FieldType::ObjectArray),
    field("birthday", FieldType::Date),
    field("job_title", FieldType::Str),
    strict(
        "marketing_status",
        FieldType::Enum(&["no_consent", "unsubscribed", "subscribed", "archived"]),
    ),
    strict("custom_fields", FieldType::Object),
];

fn contact_points(body: &Record, name: &str) -> Result<Option<Vec<ContactPoint>>, ApiError> {
    let Some(list) = body.get(name) else {
        return Ok(None);
    };
    let Some(items) = list.as_array() else {
        return Ok(Some(Vec::new()));
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let value = item
            .get("value")
            .and_then(Value::as_str)
            .ok_or_else(|| invalid_field(&format!("{name}[{i}].value"), "Expected string"))?;
        out.push(ContactPoint {
            value: value.to_string(),
            primary: item
                .get("primary")
                .and_then(Value::as_bool)
                .unwrap_or(i == 0),
            label: Cow::Owned(
                item.get("label")
                    .and_then(Value::as_str)
                    .unwrap_or("work")
                    .to_string(),
            ),
        });
    }
    Ok(Some(out))
}

fn address(body: &Record, name: &str) -> Option<Option<Address>> {
    let v = body.get(name)?;
    let part = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    Some(v.as_object().map(|_| Address {
        value: part("value").unwrap_or_default(),
        country: part("country"),
        admin_area_level_1: part("admin_area_level_1"),
        admin_area_level_2: part("admin_area_level_2"),
        locality: part("locality"),
        sublocality: part("sublocality"),
        route: part("route"),
        street_number: part("street_number"),
        subpremise: part("subpremise"),
        postal_code: part("postal_code"),
    }))
}

fn apply_person(ds: &Dataset, p: &mut Person, body: &Record, now: i64) -> Result<(), ApiError> {
    if let Some(Some(name)) = opt_str(body, "name") {
        if name.trim().is_empty() {
            return Err(invalid_field("name", "Must not be empty"));
        }
        let mut parts = name.splitn(2, ' ');
        p.first_name = parts.next().unwrap_or_default().to_string();
        p.last_name = parts.next().unwrap_or_default().to_string();
        p.name = name;
    }
    if let Some(owner) = check_user(body, "owner_id", ds)? {
        p.keys.owner_id = owner;
    }
    if let Some(org) = opt_u64(body, "org_id") {
        if let Some(o) = org {
            if !org_exists(ds, o) {
                return Err(missing_link("org_id", "Organization", o));
            }
        }
        p.keys.org_id = org;
    }
    if let Some(Some(t)) = timestamp(body, "add_time")? {
        p.keys.add_time = t;
    }
    if let Some(emails) = contact_points(body, "emails")? {
        p.emails = emails;
    }
    if let Some(phones) = contact_points(body, "phones")? {
        p.phones = phones;
    }
    if let Some(im) = contact_points(body, "im")? {
        p.im = Some(im);
    }
    if let Some(v) = check_visible_to(body)? {
        p.visible_to = v;
    }
    if let Some(labels) = check_labels(body, 3)? {
        p.label_ids = labels;
    }
    if let Some(a) = address(body, "postal_address") {
        p.postal_address = a;
    }
    if let Some(notes) = opt_str(body, "notes") {
        p.notes = notes;
    }
    if let Some(b) = body.get("birthday") {
        p.birthday = b.as_str().and_then(time::parse_date);
    }
    if let Some(job) = opt_str(body, "job_title") {
        p.job_title = job.map(Cow::Owned);
    }
    apply_custom(ds, &ds.person_fields, body, &mut p.custom)?;
    p.keys.update_time = now;
    Ok(())
}

pub(crate) fn create_person(ds: &Dataset, body: &Record) -> Result<Person, ApiError> {
    // The spec marks nothing required; Pipedrive refuses a person without
    // a name.
    validate(ds, PERSON_FIELDS, &["name"], body, true)?;
    let now = write_clock();
    let mut p = Person {
        keys: PersonKeys {
            id: 0,
            owner_id: 1,
            org_id: None,
            add_time: now,
            update_time: now,
            is_deleted: false,
        },
        name: String::new(),
        first_name: String::new(),
        last_name: String::new(),
        emails: Vec::new(),
        phones: Vec::new(),
        visible_to: 3,
        label_ids: Vec::new(),
        picture_id: None,
        postal_address: None,
        notes: None,
        im: None,
        birthday: None,
        job_title: None,
        custom: vec![super::custom_fields::FieldValue::Null; ds.person_fields.len()],
    };
    apply_person(ds, &mut p, body, now)?;
    let mut overlay = ds
        .overlay
        .persons
        .write()
        .unwrap_or_else(|e| e.into_inner());
    let id = Persons::base_count(ds).max(overlay.max_id()) + 1;
    p.keys.id = id;
    overlay.put(id, p.clone());
    Ok(p)
}

pub(crate) fn update_person(
    ds: &Dataset,
    id: u64,
    body: &Record,
) -> Result<Option<Person>, ApiError> {
    let Some(mut p) = EntityReader::<Persons>::new(ds).record(id) else {
        return Ok(None);
    };
    validate(ds, PERSON_FIELDS, &["name"], body, false)?;
    apply_person(ds, &mut p, body, write_clock())?;
    store::<Persons>(ds, id, p.clone());
    Ok(Some(p))
}

pub(crate) fn delete_person(ds: &Dataset, id: u64) -> Option<()> {
    let mut p = EntityReader::<Persons>::new(ds).record(id)?;
    p.keys.is_deleted = true;
    p.keys.update_time = write_clock();
    store::<Persons>(ds, id, p);
    Some(())
}

// ----- organizations -----

const ORGANIZATION_FIELDS: &[FieldSpec] = &[
    strict("name", FieldType::Str),
    strict("owner_id", FieldType::Int),
    strict("add_time", FieldType::Timestamp),
    strict("visible_to", FieldType::Int),
    strict("label_ids", FieldType::IntArray),
    field("address", FieldType::Object),
    field("website", FieldType::Str),
    field("linkedin", FieldType::Str),
    field("industry", FieldType::Int),
    field("annual_revenue", FieldType::Int),
    field("employee_count", FieldType::Int),
    strict("custom_fields", FieldType::Object),
];

fn apply_organization(
    ds: &Dataset,
    o: &mut Organization,
    body: &Record,
    now: i64,
) -> Result<(), ApiError> {
    if let Some(Some(name)) = opt_str(body, "name") {
        if name.trim().is_empty() {
            return Err(invalid_field("name", "Must not be empty"));
        }
        o.name = name;
    }
    if let Some(owner) = check_user(body, "owner_id", ds)? {
        o.keys.owner_id = owner;
    }
    if let Some(Some(t)) = timestamp(body, "add_time")? {
        o.keys.add_time = t;
    }
    if let Some(v) = check_visible_to(body)? {
        o.visible_to = v;
    }
    if let Some(labels) = check_labels(body, 3)? {
        o.label_ids = labels;
    }
    if let Some(a) = address(body, "address") {
        o.address = a;
    }
    if let Some(w) = opt_str(body, "website") {
        o.website = w;
    }
    if let Some(l) = opt_str(body, "linkedin") {
        o.linkedin = l;
    }
    for (name, slot) in [
        ("industry", &mut o.industry),
        ("annual_revenue", &mut o.annual_revenue),
        ("employee_count", &mut o.employee_count),
    ] {
        if let Some(v) = body.get(name) {
            *slot = v.as_i64();
        }
    }
    apply_custom(ds, &ds.organization_fields, body, &mut o.custom)?;
    o.keys.update_time = now;
    Ok(())
}

pub(crate) fn create_organization(ds: &Dataset, body: &Record) -> Result<Organization, ApiError> {
    validate(ds, ORGANIZATION_FIELDS, &["name"], body, true)?;
    let now = write_clock();
    let mut o = Organization {
        keys: OrganizationKeys {
            id: 0,
            owner_id: 1,
            add_time: now,
            update_time: now,
            is_deleted: false,
        },
        name: String::new(),
        visible_to: 3,
        address: None,
        label_ids: Vec::new(),
        website: None,
        linkedin: None,
        industry: None,
        annual_revenue: None,
        employee_count: None,
        custom: vec![super::custom_fields::FieldValue::Null; ds.organization_fields.len()],
    };
    apply_organization(ds, &mut o, body, now)?;
    let mut overlay = ds
        .overlay
        .organizations
        .write()
        .unwrap_or_else(|e| e.into_inner());
    let id = Organizations::base_count(ds).max(overlay.max_id()) + 1;
    o.keys.id = id;
    overlay.put(id, o.clone());
    Ok(o)
}

pub(crate) fn update_organization(
    ds: &Dataset,
    id: u64,
    body: &Record,
) -> Result<Option<Organization>, ApiError> {
    let Some(mut o) = EntityReader::<Organizations>::new(ds).record(id) else {
        return Ok(None);
    };
    validate(ds, ORGANIZATION_FIELDS, &["name"], body, false)?;
    apply_organization(ds, &mut o, body, write_clock())?;
    store::<Organizations>(ds, id, o.clone());
    Ok(Some(o))
}

pub(crate) fn delete_organization(ds: &Dataset, id: u64) -> Option<()> {
    let mut o = EntityReader::<Organizations>::new(ds).record(id)?;
    o.keys.is_deleted = true;
    o.keys.update_time = write_clock();
    store::<Organizations>(ds, id, o);
    Some(())
}
