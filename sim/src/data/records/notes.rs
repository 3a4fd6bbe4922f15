//! Notes (v1 `/notes`): HTML content on deals, persons, organizations,
//! leads, projects and tasks, with the linked records' names embedded.
//! About one per deal; a few are very long.

use super::links::{self, Links, Mix};
use super::write::{missing_field, missing_link};
use super::{
    field, filter, ids, key, keys_from, strict, DeleteReply, FieldSpec, FieldType, FilterDef,
    FilterKind, KeyCol, KeyType, Keys, Paging, Record, RecordKind, TimeFormat,
};
use crate::data::rng::{Draw, Stream};
use crate::data::{spread_add_time, spread_update_time, text, Dataset};
use crate::errors::ApiError;
use crate::time;
use serde_json::{json, Value};

/// (body field, what it names, whether such a record exists)
type LinkCheck = (&'static str, &'static str, fn(&Dataset, u64) -> bool);

pub(crate) struct Notes;

const A_LINK: u64 = 1;
const A_PROJECT: u64 = 4;
const A_ADD: u64 = 6;
const A_UPDATE: u64 = 7;
const A_USER: u64 = 8;
const A_PIN: u64 = 9;
const A_LONG: u64 = 10;
const A_TEXT: u64 = 11;
const A_EDITOR: u64 = 40;

struct Facts {
    links: Links,
    project: Option<u64>,
    task: Option<u64>,
    user: u64,
    add_time: i64,
    update_time: i64,
    pinned: bool,
}

fn facts(ds: &Dataset, id: u64) -> Facts {
    let d = Draw::new(ds.seed, Stream::Note, id);
    let c = &ds.counts;
    let links = links::pick(
        ds,
        &d,
        A_LINK,
        &Mix {
            deal: 55,
            person: 20,
            org: 12,
            lead: 8,
        },
    );
    // The rest are project notes, some on one of the project's tasks.
    let project =
        (links == Links::default() && c.projects > 0).then(|| 1 + d.below(A_PROJECT, c.projects));
    let task = project.filter(|_| d.percent(A_PROJECT + 1, 50)).map(|p| {
        (p - 1) * super::projects::TASKS_PER_PROJECT
            + 1
            + d.below(A_PROJECT + 2, super::projects::TASKS_PER_PROJECT)
    });
    let add_time = spread_add_time(&d, A_ADD, id, c.notes);
    Facts {
        user: match links.parent_owner {
            Some(o) if d.percent(A_USER, 70) => o,
            _ => 1 + d.below(A_USER + 1, c.users),
        },
        update_time: spread_update_time(&d, A_UPDATE, add_time),
        add_time,
        pinned: d.percent(A_PIN, 10),
        links,
        project,
        task,
    }
}

/// HTML content: one to four sentences, or (about 3%) a long report of
/// well over 4000 characters that clients must read in pieces.
fn content(d: &Draw) -> String {
    let long = d.percent(A_LONG, 3);
    let opener = d.pick(A_TEXT, super::words::NOTE_OPENERS);
    let mut out = String::from(opener);
    let sentences = if long { 80 } else { 1 + d.below(A_TEXT + 1, 4) };
    for i in 0..sentences {
        out.push_str("<p>");
        out.push_str(
            text::SENTENCES[d.below(A_TEXT + 2 + i, text::SENTENCES.len() as u64) as usize],
        );
        out.push_str("</p>");
    }
    out
}

fn user_object(ds: &Dataset, user: u64) -> Value {
    match ds.user_record(user) {
        Some(u) => {
            json!({"email": u.email, "icon_url": u.icon_url, "is_you": u.id == 1, "name": u.name})
        }
        None => Value::Null,
    }
}

/// The embedded `deal{title}`, `person{name}`, ... objects, from the
/// current state of the linked records.
fn embed(ds: &Dataset, record: &mut Record) {
    let id_of = |record: &Record, name: &str| record.get(name).and_then(Value::as_u64);
    let deal = id_of(record, "deal_id").and_then(|d| links::deal_title(ds, d));
    let person = id_of(record, "person_id").and_then(|p| links::person_name(ds, p));
    let org = id_of(record, "org_id").and_then(|o| links::org_name(ds, o));
    let project = id_of(record, "project_id").and_then(|p| super::projects::project_title(ds, p));
    let task = id_of(record, "task_id").and_then(|t| super::projects::task_title(ds, t));
    let user = id_of(record, "user_id")
        .map(|u| user_object(ds, u))
        .unwrap_or(Value::Null);
    record.insert(
        "deal".into(),
        deal.map(|t| json!({"title": t})).unwrap_or(Value::Null),
    );
    record.insert(
        "person".into(),
        person.map(|n| json!({"name": n})).unwrap_or(Value::Null),
    );
    record.insert(
        "organization".into(),
        org.map(|n| json!({"name": n})).unwrap_or(Value::Null),
    );
    record.insert(
        "project".into(),
        project.map(|t| json!({"title": t})).unwrap_or(Value::Null),
    );
    record.insert(
        "task".into(),
        task.map(|t| json!({"title": t})).unwrap_or(Value::Null),
    );
    record.insert("user".into(), user);
}

const PINS: [(&str, &str); 6] = [
    ("pinned_to_lead_flag", "lead_id"),
    ("pinned_to_deal_flag", "deal_id"),
    ("pinned_to_organization_flag", "org_id"),
    ("pinned_to_person_flag", "person_id"),
    ("pinned_to_project_flag", "project_id"),
    ("pinned_to_task_flag", "task_id"),
];

fn base_record(ds: &Dataset, id: u64, f: &Facts) -> Record {
    let d = Draw::new(ds.seed, Stream::Note, id);
    let editor = if d.percent(A_EDITOR, 80) {
        f.user
    } else {
        1 + d.below(A_EDITOR + 1, ds.counts.users)
    };
    let mut record = json!({
        "id": id,
        "active_flag": true,
        "add_time": time::v1_time_string(f.add_time),
        "update_time": time::v1_time_string(f.update_time),
        "content": content(&d),
        "lead_id": f.links.lead.map(|l| ids::uuid(ds.seed, ids::LEAD_SALT, l)),
        "deal_id": f.links.deal,
        "person_id": f.links.person,
        "org_id": f.links.org,
        "project_id": f.project,
        "task_id": f.task,
        "user_id": f.user,
        "last_update_user_id": editor,
    });
    let Some(map) = record.as_object_mut() else {
        return Record::new();
    };
    // A pinned note is pinned to its most specific parent.
    let pinned_parent = [
        "task_id",
        "project_id",
        "deal_id",
        "lead_id",
        "person_id",
        "org_id",
    ]
    .into_iter()
    .find(|k| !map.get(*k).is_none_or(Value::is_null));
    for (flag, parent) in PINS {
        map.insert(
            flag.into(),
            json!(f.pinned && pinned_parent == Some(parent)),
        );
    }
    embed(ds, map);
    std::mem::take(map)
}

const INT: KeyType = KeyType::Int;
const FLAG: KeyType = KeyType::Bool;

impl RecordKind for Notes {
    const NAME: &'static str = "notes";
    const TIME_FORMAT: TimeFormat = TimeFormat::V1;
    const KEYS: &'static [KeyCol] = &[
        key("user_id", INT),
        key("lead_id", KeyType::LeadId),
        key("deal_id", INT),
        key("person_id", INT),
        key("org_id", INT),
        key("project_id", INT),
        key("task_id", INT),
        key("add_time", KeyType::Time),
        key("update_time", KeyType::Time),
        key("pinned_to_lead_flag", FLAG),
        key("pinned_to_deal_flag", FLAG),
        key("pinned_to_organization_flag", FLAG),
        key("pinned_to_person_flag", FLAG),
        key("pinned_to_project_flag", FLAG),
        key("pinned_to_task_flag", FLAG),
    ];
    const PAGING: Paging = Paging::Offset { max_limit: 500 };
    const FILTERS: &'static [FilterDef] = &[
        filter("user_id", "user_id", FilterKind::Eq),
        filter("lead_id", "lead_id", FilterKind::LeadEq),
        filter("deal_id", "deal_id", FilterKind::Eq),
        filter("person_id", "person_id", FilterKind::Eq),
        filter("org_id", "org_id", FilterKind::Eq),
        filter("project_id", "project_id", FilterKind::Eq),
        filter("task_id", "task_id", FilterKind::Eq),
        filter("start_date", "add_time", FilterKind::FromDate),
        filter("end_date", "add_time", FilterKind::ToDate),
        filter("updated_since", "update_time", FilterKind::Since),
        filter(
            "pinned_to_lead_flag",
            "pinned_to_lead_flag",
            FilterKind::Flag01,
        ),
        filter(
            "pinned_to_deal_flag",
            "pinned_to_deal_flag",
            FilterKind::Flag01,
        ),
        filter(
            "pinned_to_organization_flag",
            "pinned_to_organization_flag",
            FilterKind::Flag01,
        ),
        filter(
            "pinned_to_person_flag",
            "pinned_to_person_flag",
            FilterKind::Flag01,
        ),
        filter(
            "pinned_to_project_flag",
            "pinned_to_project_flag",
            FilterKind::Flag01,
        ),
        filter(
            "pinned_to_task_flag",
            "pinned_to_task_flag",
            FilterKind::Flag01,
        ),
    ];
    const FIELDS: &'static [FieldSpec] = &[
        strict("content", FieldType::Str),
        field("lead_id", FieldType::LeadId),
        field("deal_id", FieldType::Int),
        field("person_id", FieldType::Int),
        field("org_id", FieldType::Int),
        field("project_id", FieldType::Int),
        field("task_id", FieldType::Int),
        strict("user_id", FieldType::Int),
        strict("add_time", FieldType::Timestamp),
        strict("pinned_to_lead_flag", FieldType::Flag),
        strict("pinned_to_deal_flag", FieldType::Flag),
        strict("pinned_to_organization_flag", FieldType::Flag),
        strict("pinned_to_person_flag", FieldType::Flag),
        strict("pinned_to_project_flag", FieldType::Flag),
        strict("pinned_to_task_flag", FieldType::Flag),
    ];
    const REQUIRED: &'static [&'static str] = &["content"];
    const DELETE_REPLY: DeleteReply = DeleteReply::True;

    fn base_slots(ds: &Dataset) -> u64 {
        ds.counts.notes
    }

    fn generate(ds: &Dataset, id: u64) -> Option<Record> {
        Some(base_record(ds, id, &facts(ds, id)))
    }

    fn fast_keys(ds: &Dataset, id: u64) -> Option<Keys> {
        let f = facts(ds, id);
        let opt = |v: Option<u64>| v.map(|x| x as i64);
        let record_parent = if f.task.is_some() {
            "task"
        } else if f.project.is_some() {
            "project"
        } else if f.links.deal.is_some() {
            "deal"
        } else if f.links.lead.is_some() {
            "lead"
        } else if f.links.person.is_some() {
            "person"
        } else if f.links.org.is_some() {
            "organization"
        } else {
            "none"
        };
        let pin = |which: &str| Some((f.pinned && record_parent == which) as i64);
        Some(keys_from::<Self>(&[
            ("user_id", Some(f.user as i64)),
            ("lead_id", opt(f.links.lead)),
            ("deal_id", opt(f.links.deal)),
            ("person_id", opt(f.links.person)),
            ("org_id", opt(f.links.org)),
            ("project_id", opt(f.project)),
            ("task_id", opt(f.task)),
            ("add_time", Some(f.add_time)),
            ("update_time", Some(f.update_time)),
            ("pinned_to_lead_flag", pin("lead")),
            ("pinned_to_deal_flag", pin("deal")),
            ("pinned_to_organization_flag", pin("organization")),
            ("pinned_to_person_flag", pin("person")),
            ("pinned_to_project_flag", pin("project")),
            ("pinned_to_task_flag", pin("task")),
        ]))
    }

    fn blank(_ds: &Dataset) -> Record {
        let mut record = Record::new();
        record.insert("active_flag".into(), json!(true));
        for name in [
            "lead_id",
            "deal_id",
            "person_id",
            "org_id",
            "project_id",
            "task_id",
        ] {
            record.insert(name.into(), Value::Null);
        }
        record.insert("user_id".into(), json!(1));
        for (flag, _) in PINS {
            record.insert(flag.into(), json!(false));
        }
        record
    }

    fn prepare(
        ds: &Dataset,
        record: &mut Record,
        body: &Record,
        _created: bool,
    ) -> Result<(), ApiError> {
        let id_of = |record: &Record, name: &str| record.get(name).and_then(Value::as_u64);
        let has_parent = [
            "lead_id",
            "deal_id",
            "person_id",
            "org_id",
            "project_id",
            "task_id",
        ]
        .iter()
        .any(|k| !record.get(*k).is_none_or(Value::is_null));
        if !has_parent {
            // Pipedrive: a note must belong to a deal, person, organization,
            // lead, project or task.
            return Err(missing_field("deal_id"));
        }
        let checks: [LinkCheck; 6] = [
            ("deal_id", "Deal", links::deal_exists),
            ("person_id", "Person", links::person_exists),
            ("org_id", "Organization", links::org_exists),
            ("project_id", "Project", super::projects::project_exists),
            ("task_id", "Task", super::projects::task_exists),
            ("user_id", "User", links::user_exists),
        ];
        for (name, what, exists) in checks {
            if let Some(id) = id_of(record, name) {
                if !exists(ds, id) {
                    return Err(missing_link(name, what, id));
                }
            }
        }
        if let Some(lead) = record.get("lead_id").and_then(Value::as_str) {
            let n = ids::parse_uuid(ds.seed, ids::LEAD_SALT, lead);
            let exists = n.is_some_and(|n| {
                super::store::RecordReader::<super::leads::Leads>::new(ds)
                    .keys(n)
                    .is_some()
            });
            if !exists {
                return Err(missing_link("lead_id", "Lead", lead));
            }
        }
        if body.contains_key("add_time") {
            // Stored in the v1 format whatever form was sent.
            if let Some(ts) = record
                .get("add_time")
                .and_then(Value::as_str)
                .and_then(time::parse_any_time)
            {
                record.insert("add_time".into(), json!(time::v1_time_string(ts)));
            }
        }
        if let Some(u) = id_of(record, "user_id") {
            record.insert("last_update_user_id".into(), json!(u));
        }
        embed(ds, record);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SimConfig;
    use crate::data::records::keys_of;

    #[test]
    fn fast_keys_match_the_records() {
        let ds = Dataset::new(&SimConfig::default());
        for id in 1..=ds.counts.notes {
            let record = Notes::generate(&ds, id).unwrap();
            assert_eq!(
                Notes::fast_keys(&ds, id),
                Some(keys_of::<Notes>(&ds, &record)),
                "{id}"
            );
        }
    }
}
