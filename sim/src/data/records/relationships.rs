//! Organization relationships (v1 `/organizationRelationships`): parent
//! and related links between organizations, listed per organization.

use super::links::org_exists;
use super::write::{invalid_field, missing_link};
use super::{
    key, strict, FieldSpec, FieldType, KeyCol, KeyType, Paging, Record, RecordFilter, RecordKind,
    TimeFormat,
};
use crate::data::listing::{EntityReader, Organizations};
use crate::data::rng::{Draw, Stream};
use crate::data::users::COMPANY_DOMAIN;
use crate::data::{spread_add_time, Dataset};
use crate::errors::ApiError;
use crate::query::Query;
use crate::time;
use serde_json::{json, Value};

pub(crate) struct OrganizationRelationships;

/// The organization summary relationships embed.
fn org_summary(ds: &Dataset, id: u64) -> Value {
    match EntityReader::<Organizations>::new(ds).record(id) {
        Some(o) => json!({
            "name": o.name, "people_count": 0, "owner_id": o.keys.owner_id,
            "address": o.address.map(|a| a.value),
            "cc_email": format!("{COMPANY_DOMAIN}+org{id}@pipedrivemail.com"), "value": id,
        }),
        None => {
            json!({"name": null, "people_count": 0, "owner_id": null, "address": null, "cc_email": null, "value": id})
        }
    }
}

/// Fills the embedded objects and the viewpoint-relative members from the
/// owner organization's side.
fn embed(ds: &Dataset, record: &mut Record) {
    let owner = record.get("rel_owner_org_id").and_then(id_in).unwrap_or(0);
    let linked = record.get("rel_linked_org_id").and_then(id_in).unwrap_or(0);
    let kind = record
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("related")
        .to_string();
    record.insert("rel_owner_org_id".into(), org_summary(ds, owner));
    record.insert("rel_linked_org_id".into(), org_summary(ds, linked));
    record.insert(
        "calculated_type".into(),
        json!(if kind == "parent" {
            "daughter"
        } else {
            "related"
        }),
    );
    record.insert("calculated_related_org_id".into(), json!(linked));
    let name = EntityReader::<Organizations>::new(ds)
        .record(linked)
        .map(|o| o.name);
    record.insert("related_organization_name".into(), json!(name));
}

/// An organization id, whether given as a number or embedded as `{value}`.
fn id_in(v: &Value) -> Option<u64> {
    v.as_u64()
        .or_else(|| v.get("value").and_then(Value::as_u64))
}

const A_PAIR: u64 = 1;
const A_TYPE: u64 = 3;
const A_ADD: u64 = 4;

impl RecordKind for OrganizationRelationships {
    const NAME: &'static str = "organizationRelationships";
    const TIME_FORMAT: TimeFormat = TimeFormat::V1;
    const KEYS: &'static [KeyCol] = &[
        key("add_time", KeyType::Time),
        key("update_time", KeyType::Time),
    ];
    const PAGING: Paging = Paging::Unpaged;
    const FIELDS: &'static [FieldSpec] = &[
        strict("type", FieldType::Enum(&["parent", "related"])),
        strict("rel_owner_org_id", FieldType::Int),
        strict("rel_linked_org_id", FieldType::Int),
    ];
    const REQUIRED: &'static [&'static str] = &["type", "rel_owner_org_id", "rel_linked_org_id"];

    fn base_slots(ds: &Dataset) -> u64 {
        if ds.counts.organizations < 2 {
            0
        } else {
            ds.counts.organizations / 4
        }
    }

    fn generate(ds: &Dataset, id: u64) -> Option<Record> {
        let d = Draw::new(ds.seed, Stream::Relationship, id);
        let orgs = ds.counts.organizations;
        let owner = 1 + d.below(A_PAIR, orgs);
        let linked = 1 + (owner + d.below(A_PAIR + 1, orgs - 1)) % orgs;
        let add = spread_add_time(&d, A_ADD, id, Self::base_slots(ds));
        let mut record = json!({
            "id": id,
            "type": if d.percent(A_TYPE, 60) { "parent" } else { "related" },
            "rel_owner_org_id": owner,
            "rel_linked_org_id": linked,
            "add_time": time::v1_time_string(add),
            "update_time": time::v1_time_string(add),
            "active_flag": "true",
        });
        let map = record.as_object_mut()?;
        embed(ds, map);
        Some(std::mem::take(map))
    }

    /// `org_id` is required: the relationships the organization is on
    /// either side of.
    fn record_filter(_ds: &Dataset, q: &Query) -> Result<Option<RecordFilter>, ApiError> {
        let org = q
            .u64("org_id")?
            .ok_or_else(|| ApiError::invalid_param("org_id", "Required"))?;
        Ok(Some(Box::new(move |r: &Record| {
            ["rel_owner_org_id", "rel_linked_org_id"]
                .iter()
                .any(|k| r.get(*k).and_then(id_in) == Some(org))
        })))
    }

    fn blank(_ds: &Dataset) -> Record {
        let mut r = Record::new();
        r.insert("active_flag".into(), json!("true"));
        r
    }

    fn prepare(
        ds: &Dataset,
        record: &mut Record,
        _body: &Record,
        _created: bool,
    ) -> Result<(), ApiError> {
        let owner = record.get("rel_owner_org_id").and_then(id_in).unwrap_or(0);
        let linked = record.get("rel_linked_org_id").and_then(id_in).unwrap_or(0);
        for (name, id) in [("rel_owner_org_id", owner), ("rel_linked_org_id", linked)] {
            if !org_exists(ds, id) {
                return Err(missing_link(name, "Organization", id));
            }
        }
        if owner == linked {
            return Err(invalid_field(
                "rel_linked_org_id",
                "An organization cannot be related to itself",
            ));
        }
        embed(ds, record);
        Ok(())
    }
}
