//! File metadata (v1 `/files`): attachments of deals, persons,
//! organizations, leads and activities. Only the metadata is simulated;
//! there is nothing to download.

use super::links::{self, Links, Mix};
use super::{
    field, ids, key, keys_from, strict, DeleteStyle, FieldSpec, FieldType, KeyCol, KeyType, Keys,
    Paging, Record, RecordKind, TimeFormat,
};
use crate::data::rng::{Draw, Stream};
use crate::data::{spread_add_time, spread_update_time, Dataset};
use crate::errors::ApiError;
use crate::time;
use serde_json::{json, Value};

pub(crate) struct Files;

const A_LINK: u64 = 1;
const A_ADD: u64 = 4;
const A_UPDATE: u64 = 5;
const A_USER: u64 = 6;
const A_NAME: u64 = 7;
const A_SIZE: u64 = 9;

struct Facts {
    links: Links,
    user: u64,
    add_time: i64,
    update_time: i64,
}

fn facts(ds: &Dataset, id: u64) -> Facts {
    let d = Draw::new(ds.seed, Stream::File, id);
    let links = links::pick(
        ds,
        &d,
        A_LINK,
        &Mix {
            deal: 60,
            person: 15,
            org: 15,
            lead: 10,
        },
    );
    let add_time = spread_add_time(&d, A_ADD, id, ds.counts.files);
    Facts {
        user: links
            .parent_owner
            .unwrap_or_else(|| 1 + d.below(A_USER, ds.counts.users)),
        update_time: spread_update_time(&d, A_UPDATE, add_time),
        add_time,
        links,
    }
}

fn base_record(ds: &Dataset, id: u64) -> Record {
    let d = Draw::new(ds.seed, Stream::File, id);
    let f = facts(ds, id);
    let (ext, _mime) = d.pick(A_NAME + 1, super::words::FILE_TYPES);
    let name = format!("{}_{id}.{ext}", d.pick(A_NAME, super::words::FILE_STEMS));
    let key = format!("{:016x}", crate::data::rng::mix(ds.seed ^ id));
    let deal_name = f.links.deal.and_then(|x| links::deal_title(ds, x));
    let person_name = f.links.person.and_then(|x| links::person_name(ds, x));
    let org_name = f.links.org.and_then(|x| links::org_name(ds, x));
    let record = json!({
        "id": id,
        "user_id": f.user,
        "deal_id": f.links.deal,
        "person_id": f.links.person,
        "org_id": f.links.org,
        "product_id": null,
        "activity_id": null,
        "lead_id": f.links.lead.map(|l| ids::uuid(ds.seed, ids::LEAD_SALT, l)),
        "project_id": null,
        "add_time": time::v1_time_string(f.add_time),
        "update_time": time::v1_time_string(f.update_time),
        "file_name": format!("{key}_{name}"),
        "file_size": d.range(A_SIZE, 2_000, 8_000_000),
        "active_flag": true,
        "inline_flag": false,
        "remote_location": "s3",
        "remote_id": null,
        "cid": null,
        "s3_bucket": null,
        "mail_message_id": null,
        "mail_template_id": null,
        "deal_name": deal_name,
        "person_name": person_name,
        "org_name": org_name,
        "product_name": null,
        "lead_name": null,
        "project_name": null,
        "url": format!("https://files.simulated-trading.example/{key}/{name}"),
        "name": name,
        "description": d.percent(A_NAME + 2, 30).then_some("Signed copy"),
    });
    match record {
        Value::Object(map) => map,
        _ => Record::new(),
    }
}

impl RecordKind for Files {
    const NAME: &'static str = "files";
    const TIME_FORMAT: TimeFormat = TimeFormat::V1;
    const KEYS: &'static [KeyCol] = &[
        key("active_flag", KeyType::Bool),
        key("deal_id", KeyType::Int),
        key("person_id", KeyType::Int),
        key("org_id", KeyType::Int),
        key("add_time", KeyType::Time),
        key("update_time", KeyType::Time),
    ];
    // "Please note that a maximum value of 100 is allowed."
    const PAGING: Paging = Paging::Offset { max_limit: 100 };
    const FIELDS: &'static [FieldSpec] = &[
        strict("name", FieldType::Str),
        field("description", FieldType::Str),
    ];
    const DELETE: DeleteStyle = DeleteStyle::Soft {
        field: "active_flag",
        value: false,
    };

    fn base_slots(ds: &Dataset) -> u64 {
        ds.counts.files
    }

    fn generate(ds: &Dataset, id: u64) -> Option<Record> {
        Some(base_record(ds, id))
    }

    fn fast_keys(ds: &Dataset, id: u64) -> Option<Keys> {
        let f = facts(ds, id);
        let opt = |v: Option<u64>| v.map(|x| x as i64);
        Some(keys_from::<Self>(&[
            ("active_flag", Some(1)),
            ("deal_id", opt(f.links.deal)),
            ("person_id", opt(f.links.person)),
            ("org_id", opt(f.links.org)),
            ("add_time", Some(f.add_time)),
            ("update_time", Some(f.update_time)),
        ]))
    }

    fn is_listed(k: &Keys) -> bool {
        k.get(0) != Some(0)
    }

    fn prepare(
        _ds: &Dataset,
        _record: &mut Record,
        _body: &Record,
        _created: bool,
    ) -> Result<(), ApiError> {
        Ok(())
    }
}
