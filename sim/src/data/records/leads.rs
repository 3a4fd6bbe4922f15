//! Leads (v1 `/leads`): UUID ids, linked to a person and/or organization,
//! with lead labels, a source, and the deal custom fields flat on the
//! record in the v1 layout (unset ones left out).

use super::links::{org_exists, person_exists, user_exists};
use super::write::{invalid_field, missing_field, missing_link};
use super::{
    field, filter, ids, key, keys_from, strict, FieldSpec, FieldType, FilterDef, FilterKind,
    IdStyle, KeyCol, KeyType, Keys, Paging, Record, RecordKind, TimeFormat,
};
use crate::data::custom_fields::{
    generate_values, CustomFieldDef, CustomType, FieldValue, ValueContext,
};
use crate::data::persons::person_keys;
use crate::data::rng::{Draw, Stream};
use crate::data::users::COMPANY_DOMAIN;
use crate::data::{spread_add_time, spread_update_time, text, Dataset};
use crate::errors::ApiError;
use crate::time::{self, SECONDS_PER_DAY};
use serde_json::{json, Value};

pub(crate) struct Leads;

/// What other entities need to know about a generated lead.
pub(crate) struct LeadLinks {
    pub person: Option<u64>,
    pub org: Option<u64>,
    pub owner: u64,
}

const A_LINK: u64 = 1;
const A_OWNER: u64 = 4;
const A_ADD: u64 = 5;
const A_UPDATE: u64 = 6;
const A_ARCHIVED: u64 = 7;
const A_SEEN: u64 = 8;
const A_TITLE: u64 = 9;
const A_VALUE: u64 = 10;
const A_LABELS: u64 = 13;
const A_SOURCE: u64 = 17;
const A_EXPECTED: u64 = 18;
const A_CREATOR: u64 = 20;
const A_CHANNEL: u64 = 21;

pub(crate) fn lead_links(ds: &Dataset, n: u64) -> LeadLinks {
    let d = Draw::new(ds.seed, Stream::Lead, n);
    let c = &ds.counts;
    let roll = d.below(A_LINK, 100);
    let (person, org) = if roll < 70 && c.persons > 0 {
        let p = 1 + d.below(A_LINK + 1, c.persons);
        (Some(p), person_keys(ds, p).org_id)
    } else if c.organizations > 0 {
        (None, Some(1 + d.below(A_LINK + 2, c.organizations)))
    } else {
        (None, None)
    };
    LeadLinks {
        person,
        org,
        owner: 1 + d.below(A_OWNER, c.users),
    }
}

struct Facts {
    links: LeadLinks,
    add_time: i64,
    update_time: i64,
    archived: bool,
    seen: bool,
    expected_day: Option<i64>,
    creator: u64,
}

fn facts(ds: &Dataset, n: u64) -> Facts {
    let d = Draw::new(ds.seed, Stream::Lead, n);
    let links = lead_links(ds, n);
    let add_time = spread_add_time(&d, A_ADD, n, ds.counts.leads);
    let creator = if d.percent(A_CREATOR, 80) {
        links.owner
    } else {
        1 + d.below(A_CREATOR + 1, ds.counts.users)
    };
    Facts {
        add_time,
        update_time: spread_update_time(&d, A_UPDATE, add_time),
        archived: d.percent(A_ARCHIVED, 8),
        seen: d.percent(A_SEEN, 60),
        expected_day: d
            .percent(A_EXPECTED, 40)
            .then(|| add_time.div_euclid(SECONDS_PER_DAY) + d.range(A_EXPECTED + 1, 14, 180)),
        creator,
        links,
    }
}

/// Writes a deal custom field value flat, v1 style: monetary as the amount
/// plus `<key>_currency`, sets as comma-separated option ids.
pub(crate) fn put_v1_custom(record: &mut Record, def: &CustomFieldDef, value: &FieldValue) {
    let v = match value {
        FieldValue::Null => return,
        FieldValue::Text(s) => json!(s),
        FieldValue::Number(x) => json!(x),
        FieldValue::Money { amount, currency } => {
            record.insert(format!("{}_currency", def.key), json!(currency));
            json!(amount)
        }
        FieldValue::Date(day) => json!(time::date_string(*day)),
        FieldValue::Option(id) => json!(id),
        FieldValue::Options(ids) => {
            json!(ids.iter().map(u64::to_string).collect::<Vec<_>>().join(","))
        }
        FieldValue::User(id) => json!(id),
    };
    record.insert(def.key.clone(), v);
}

fn label_uuid(ds: &Dataset, n: u64) -> String {
    ids::uuid(ds.seed, ids::LEAD_LABEL_SALT, n)
}

fn base_record(ds: &Dataset, n: u64, f: &Facts) -> Record {
    let d = Draw::new(ds.seed, Stream::Lead, n);
    let mut title = String::new();
    match (f.links.person, f.links.org) {
        (Some(p), _) => crate::data::persons::push_person_name(&mut title, ds.seed, p),
        (None, Some(o)) => {
            crate::data::organizations::push_organization_name(&mut title, ds.seed, o)
        }
        (None, None) => title.push_str("Unknown"),
    }
    title.push_str(" – ");
    title.push_str(d.pick(A_TITLE, super::words::LEAD_TITLES));
    let value = d.percent(A_VALUE, 70).then(|| {
        let (currency, minor) = d.pick(A_VALUE + 1, text::CURRENCIES);
        let amount = if minor {
            d.below(A_VALUE + 2, 5_000_000) as f64 / 100.0
        } else {
            (d.below(A_VALUE + 2, 50_000) * 100) as f64
        };
        json!({"amount": amount, "currency": currency})
    });
    let labels = super::config_kinds::LEAD_LABEL_COUNT;
    let label_ids: Vec<String> = (1..=labels)
        .filter(|l| d.percent(A_LABELS + l, 20))
        .map(|l| label_uuid(ds, l))
        .collect();
    let (source, origin) = d.pick(
        A_SOURCE,
        &[
            ("Manually created", "ManuallyCreated"),
            ("Web forms", "WebForms"),
            ("Leadbooster", "Leadbooster"),
            ("Prospector", "Prospector"),
            ("API", "API"),
            ("Import", "Import"),
        ],
    );
    let channel = d
        .percent(A_CHANNEL, 15)
        .then(|| d.range(A_CHANNEL + 1, 1, 6));
    let mut record = json!({
        "id": ids::uuid(ds.seed, ids::LEAD_SALT, n),
        "title": title,
        "owner_id": f.links.owner,
        "creator_id": f.creator,
        "label_ids": label_ids,
        "person_id": f.links.person,
        "organization_id": f.links.org,
        "source_name": source,
        "origin": origin,
        "origin_id": (origin == "API").then_some("integration-1"),
        "channel": channel,
        "channel_id": channel.and_then(|_| d.percent(A_CHANNEL + 2, 50).then_some("Jun23 Billboards")),
        "source_deal_id": null,
        "is_archived": f.archived,
        "was_seen": f.seen,
        "value": value,
        "expected_close_date": f.expected_day.map(time::date_string),
        "next_activity_id": null,
        "add_time": time::rfc3339_string(f.add_time),
        "update_time": time::rfc3339_string(f.update_time),
        "visible_to": d.pick(A_SOURCE + 1, &["3", "3", "1", "7"]),
        "cc_email": format!("{COMPANY_DOMAIN}+lead{n}@pipedrivemail.com"),
    });
    let Some(map) = record.as_object_mut() else {
        return Record::new();
    };
    let values = generate_values(
        &ds.deal_fields,
        &d,
        &ValueContext {
            users: ds.counts.users,
            add_time: f.add_time,
        },
    );
    for (def, value) in ds.deal_fields.iter().zip(&values) {
        put_v1_custom(map, def, value);
    }
    std::mem::take(map)
}

/// Checks and stores the deal custom field values a lead body carries
/// (flat, by key); `null` unsets a value, which leaves the record.
fn apply_custom(ds: &Dataset, body: &Record, record: &mut Record) -> Result<(), ApiError> {
    for def in &ds.deal_fields {
        let Some(v) = body.get(&def.key) else {
            continue;
        };
        let currency_key = format!("{}_currency", def.key);
        if v.is_null() {
            record.remove(&def.key);
            record.remove(&currency_key);
            continue;
        }
        let ok = match def.field_type {
            CustomType::Varchar
            | CustomType::Text
            | CustomType::VarcharAuto
            | CustomType::Phone => v.is_string(),
            CustomType::Double => v.is_number(),
            CustomType::Monetary => v.is_number(),
            CustomType::Date => v.as_str().and_then(time::parse_date).is_some(),
            CustomType::Enum => v
                .as_u64()
                .is_some_and(|id| def.options.iter().any(|o| o.id == id)),
            CustomType::Set => v.as_str().is_some_and(|s| {
                s.split(',').all(|p| {
                    p.trim()
                        .parse::<u64>()
                        .is_ok_and(|id| def.options.iter().any(|o| o.id == id))
                })
            }),
            CustomType::User => v.as_u64().is_some_and(|u| user_exists(ds, u)),
        };
        if !ok {
            return Err(invalid_field(
                &def.key,
                &format!("Invalid value for a {} field", def.field_type.name()),
            ));
        }
        record.insert(def.key.clone(), v.clone());
        if def.field_type == CustomType::Monetary {
            let currency = body
                .get(&currency_key)
                .and_then(Value::as_str)
                .or_else(|| record.get(&currency_key).and_then(Value::as_str))
                .unwrap_or("EUR")
                .to_string();
            record.insert(currency_key, Value::String(currency));
        }
    }
    Ok(())
}

impl RecordKind for Leads {
    const NAME: &'static str = "leads";
    const ID: IdStyle = IdStyle::Uuid(ids::LEAD_SALT);
    const TIME_FORMAT: TimeFormat = TimeFormat::Rfc3339;
    const KEYS: &'static [KeyCol] = &[
        key("owner_id", KeyType::Int),
        key("person_id", KeyType::Int),
        key("organization_id", KeyType::Int),
        key("creator_id", KeyType::Int),
        key("is_archived", KeyType::Bool),
        key("was_seen", KeyType::Bool),
        key("expected_close_date", KeyType::Date),
        key("next_activity_id", KeyType::Int),
        key("add_time", KeyType::Time),
        key("update_time", KeyType::Time),
    ];
    const PAGING: Paging = Paging::Offset { max_limit: 500 };
    const FILTERS: &'static [FilterDef] = &[
        filter("owner_id", "owner_id", FilterKind::Eq),
        filter("person_id", "person_id", FilterKind::Eq),
        filter("organization_id", "organization_id", FilterKind::Eq),
        filter("updated_since", "update_time", FilterKind::Since),
    ];
    const FIELDS: &'static [FieldSpec] = &[
        strict("title", FieldType::Str),
        strict("owner_id", FieldType::Int),
        strict("label_ids", FieldType::StrArray),
        field("person_id", FieldType::Int),
        field("organization_id", FieldType::Int),
        strict("is_archived", FieldType::Bool),
        field("value", FieldType::Object),
        field("expected_close_date", FieldType::Date),
        strict("visible_to", FieldType::IntOrText),
        strict("was_seen", FieldType::Bool),
        field("origin_id", FieldType::Str),
        field("channel", FieldType::Int),
        field("channel_id", FieldType::Str),
    ];
    const REQUIRED: &'static [&'static str] = &["title"];
    const CREATE_STATUS: u16 = 201;

    fn base_slots(ds: &Dataset) -> u64 {
        ds.counts.leads
    }

    fn generate(ds: &Dataset, n: u64) -> Option<Record> {
        Some(base_record(ds, n, &facts(ds, n)))
    }

    fn fast_keys(ds: &Dataset, n: u64) -> Option<Keys> {
        let f = facts(ds, n);
        Some(keys_from::<Self>(&[
            ("owner_id", Some(f.links.owner as i64)),
            ("person_id", f.links.person.map(|p| p as i64)),
            ("organization_id", f.links.org.map(|o| o as i64)),
            ("creator_id", Some(f.creator as i64)),
            ("is_archived", Some(f.archived as i64)),
            ("was_seen", Some(f.seen as i64)),
            ("expected_close_date", f.expected_day),
            ("next_activity_id", None),
            ("add_time", Some(f.add_time)),
            ("update_time", Some(f.update_time)),
        ]))
    }

    /// `GET /leads` leaves archived leads out (`/leads/archived` lists them).
    fn is_listed(k: &Keys) -> bool {
        k.get(4) != Some(1)
    }

    fn blank(ds: &Dataset) -> Record {
        let record = json!({
            "title": null, "owner_id": 1, "creator_id": 1, "label_ids": [], "person_id": null,
            "organization_id": null, "source_name": "API", "origin": "API", "origin_id": null,
            "channel": null, "channel_id": null, "source_deal_id": null, "is_archived": false,
            "was_seen": false, "value": null, "expected_close_date": null, "next_activity_id": null,
            "visible_to": "3", "cc_email": format!("{COMPANY_DOMAIN}+lead@pipedrivemail.com"),
        });
        let _ = ds;
        match record {
            Value::Object(map) => map,
            _ => Record::new(),
        }
    }

    fn set_id(ds: &Dataset, record: &mut Record, n: u64) {
        record.insert(
            "id".to_string(),
            json!(ids::uuid(ds.seed, ids::LEAD_SALT, n)),
        );
        record.insert(
            "cc_email".to_string(),
            json!(format!("{COMPANY_DOMAIN}+lead{n}@pipedrivemail.com")),
        );
    }

    fn prepare(
        ds: &Dataset,
        record: &mut Record,
        body: &Record,
        created: bool,
    ) -> Result<(), ApiError> {
        let id_of = |name: &str| record.get(name).and_then(Value::as_u64);
        let (person, org) = (id_of("person_id"), id_of("organization_id"));
        if person.is_none() && org.is_none() {
            // "A lead always has to be linked to a person or an organization or both."
            return Err(missing_field("person_id"));
        }
        if let Some(p) = person {
            if !person_exists(ds, p) {
                return Err(missing_link("person_id", "Person", p));
            }
        }
        if let Some(o) = org {
            if !org_exists(ds, o) {
                return Err(missing_link("organization_id", "Organization", o));
            }
        }
        if let Some(u) = id_of("owner_id") {
            if !user_exists(ds, u) {
                return Err(missing_link("owner_id", "User", u));
            }
            if created {
                record.insert("creator_id".to_string(), json!(u));
            }
        }
        if let Some(value) = body.get("value").filter(|v| !v.is_null()) {
            let ok = value.get("amount").is_some_and(Value::is_number)
                && value.get("currency").is_some_and(Value::is_string);
            if !ok {
                return Err(invalid_field(
                    "value",
                    "Expected {amount: number, currency: string}",
                ));
            }
        }
        if let Some(labels) = body.get("label_ids").and_then(Value::as_array) {
            for label in labels {
                let known = label
                    .as_str()
                    .and_then(|s| ids::parse_uuid(ds.seed, ids::LEAD_LABEL_SALT, s))
                    .is_some_and(|n| {
                        super::store::RecordReader::<super::config_kinds::LeadLabels>::new(ds)
                            .keys(n)
                            .is_some()
                    });
                if !known {
                    return Err(invalid_field("label_ids", "Unknown lead label"));
                }
            }
        }
        if let Some(v) = record.get("visible_to").filter(|v| v.is_number()).cloned() {
            record.insert("visible_to".to_string(), json!(v.to_string()));
        }
        apply_custom(ds, body, record)
    }
}

/// Archived leads only (`GET /leads/archived`).
pub(crate) fn is_archived(k: &Keys) -> bool {
    k.get(4) == Some(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SimConfig;
    use crate::data::records::keys_of;

    #[test]
    fn fast_keys_match_the_records() {
        let ds = Dataset::new(&SimConfig::default());
        for n in 1..=ds.counts.leads {
            let record = Leads::generate(&ds, n).unwrap();
            assert_eq!(
                Leads::fast_keys(&ds, n),
                Some(keys_of::<Leads>(&ds, &record)),
                "{n}"
            );
        }
    }
}
