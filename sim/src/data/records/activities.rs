//! Activities (v2 `/activities`): calls, meetings, tasks... on deals,
//! persons, organizations, leads and projects. About two per deal.

use super::links::{self, Links, Mix};
use super::words::{ACTIVITY_SUBJECTS, ACTIVITY_TYPES};
use super::write::{invalid_field, missing_link};
use super::{
    field, filter, ids, key, keys_from, strict, DeleteStyle, FieldSpec, FieldType, FilterDef,
    FilterKind, KeyCol, KeyType, Keys, Paging, Record, RecordKind, TimeFormat,
};
use crate::data::address::generate_address;
use crate::data::rng::{Draw, Stream};
use crate::data::{spread_add_time, spread_update_time, text, Dataset, DATA_NOW};
use crate::errors::ApiError;
use crate::pagination::SortField;
use crate::time::{self, SECONDS_PER_DAY};
use serde_json::{json, Value};

pub(crate) struct Activities;

const A_LINK: u64 = 1;
const A_ADD: u64 = 5;
const A_UPDATE: u64 = 6;
const A_OWNER: u64 = 8;
const A_TYPE: u64 = 9;
const A_DUE: u64 = 10;
const A_DONE: u64 = 12;
const A_PROJECT: u64 = 13;
const A_SUBJECT: u64 = 14;
const A_TIME: u64 = 15;
const A_BUSY: u64 = 17;
const A_LOCATION: u64 = 18;
const A_CONF: u64 = 30;
const A_TEXT: u64 = 32;
const A_PRIORITY: u64 = 34;
const A_ATTENDEES: u64 = 36;
const A_CREATOR: u64 = 38;

/// What filters and sorting read, computed without building the record.
struct Facts {
    links: Links,
    project: Option<u64>,
    owner: u64,
    add_time: i64,
    update_time: i64,
    due_day: i64,
    done: bool,
}

fn facts(ds: &Dataset, id: u64) -> Facts {
    let d = Draw::new(ds.seed, Stream::Activity, id);
    let c = &ds.counts;
    let links = links::pick(
        ds,
        &d,
        A_LINK,
        &Mix {
            deal: 60,
            person: 15,
            org: 10,
            lead: 8,
        },
    );
    // The rest (about 7%) belongs to a project.
    let project =
        (links == Links::default() && c.projects > 0).then(|| 1 + d.below(A_PROJECT, c.projects));
    let add_time = spread_add_time(&d, A_ADD, id, c.activities);
    let update_time = spread_update_time(&d, A_UPDATE, add_time);
    let owner = match links.parent_owner {
        Some(o) if d.percent(A_OWNER, 75) => o,
        _ => 1 + d.below(A_OWNER + 1, c.users),
    };
    let due_day = add_time.div_euclid(SECONDS_PER_DAY) + d.range(A_DUE, -2, 40);
    let past = due_day * SECONDS_PER_DAY < DATA_NOW;
    let done = d.percent(A_DONE, if past { 80 } else { 5 });
    Facts {
        links,
        project,
        owner,
        add_time,
        update_time,
        due_day,
        done,
    }
}

fn base_record(ds: &Dataset, id: u64, f: &Facts) -> Record {
    let d = Draw::new(ds.seed, Stream::Activity, id);
    let (type_key, _, _) = d.pick(A_TYPE, ACTIVITY_TYPES);
    let mut subject = d.pick(A_SUBJECT, ACTIVITY_SUBJECTS).to_string();
    if let Some(person) = f.links.person {
        subject.push_str(" – ");
        crate::data::persons::push_person_name(&mut subject, ds.seed, person);
    }
    let due_time = d.percent(A_TIME, 65).then(|| {
        format!(
            "{:02}:{:02}:00",
            d.range(A_TIME + 1, 7, 18),
            15 * d.below(A_TIME + 2, 4)
        )
    });
    let duration = due_time.as_ref().map(|_| {
        format!(
            "{:02}:{:02}:00",
            d.below(A_TIME + 3, 3),
            15 * d.below(A_TIME + 4, 4)
        )
    });
    let location = d.percent(A_LOCATION, 20).then(|| {
        let a = generate_address(&d, A_LOCATION + 1);
        json!({
            "value": a.value, "country": a.country, "admin_area_level_1": a.admin_area_level_1,
            "admin_area_level_2": a.admin_area_level_2, "locality": a.locality,
            "sublocality": a.sublocality, "route": a.route, "street_number": a.street_number,
            "subpremise": a.subpremise, "postal_code": a.postal_code,
        })
    });
    let participants: Vec<Value> = f
        .links
        .person
        .map(|p| json!({"person_id": p, "primary": true}))
        .into_iter()
        .collect();
    let attendees: Vec<Value> = (0..d.below(A_ATTENDEES, 3))
        .map(|i| {
            let user = 1 + d.below(A_ATTENDEES + 1 + i, ds.counts.users);
            json!({
                "email": format!("attendee{user}@{}", text::DOMAINS[(user as usize) % text::DOMAINS.len()]),
                "name": null, "status": d.pick(A_ATTENDEES + 5 + i, &["accepted", "tentative", "declined", "noreply"]),
                "is_organizer": i == 0, "person_id": null, "user_id": user,
            })
        })
        .collect();
    let conference = d.percent(A_CONF, 12);
    let marked_done = f.done.then(|| {
        let t = (f.due_day * SECONDS_PER_DAY + 12 * 3600).clamp(f.add_time, f.update_time);
        time::rfc3339_string(t)
    });
    let creator = if d.percent(A_CREATOR, 85) {
        f.owner
    } else {
        1 + d.below(A_CREATOR + 1, ds.counts.users)
    };
    let note = d.percent(A_TEXT, 30).then(|| {
        format!(
            "<p>{}</p>",
            text::SENTENCES[d.below(A_TEXT + 1, text::SENTENCES.len() as u64) as usize]
        )
    });
    let record = json!({
        "id": id,
        "subject": subject,
        "type": type_key,
        "owner_id": f.owner,
        "creator_user_id": creator,
        "is_deleted": false,
        "add_time": time::rfc3339_string(f.add_time),
        "update_time": time::rfc3339_string(f.update_time),
        "deal_id": f.links.deal,
        "lead_id": f.links.lead.map(|l| ids::uuid(ds.seed, ids::LEAD_SALT, l)),
        "person_id": f.links.person,
        "org_id": f.links.org,
        "project_id": f.project,
        "due_date": time::date_string(f.due_day),
        "due_time": due_time,
        "duration": duration,
        "busy": d.percent(A_BUSY, 60),
        "done": f.done,
        "marked_as_done_time": marked_done,
        "location": location,
        "participants": participants,
        "attendees": attendees,
        "conference_meeting_client": conference.then_some("zoom"),
        "conference_meeting_url": conference.then(|| format!("https://zoom.example/j/{}", 90_000_000 + id)),
        "conference_meeting_id": conference.then(|| (90_000_000 + id).to_string()),
        "public_description": d.percent(A_TEXT + 2, 15).then_some("Agenda will be shared beforehand."),
        "priority": d.percent(A_PRIORITY, 40).then(|| d.range(A_PRIORITY + 1, 1, 3)),
        "note": note,
    });
    match record {
        Value::Object(map) => map,
        _ => Record::new(),
    }
}

const BOOL: KeyType = KeyType::Bool;
const INT: KeyType = KeyType::Int;

impl RecordKind for Activities {
    const NAME: &'static str = "activities";
    const TIME_FORMAT: TimeFormat = TimeFormat::Rfc3339;
    const KEYS: &'static [KeyCol] = &[
        key("owner_id", INT),
        key("deal_id", INT),
        key("lead_id", KeyType::LeadId),
        key("person_id", INT),
        key("org_id", INT),
        key("done", BOOL),
        key("is_deleted", BOOL),
        key("add_time", KeyType::Time),
        key("update_time", KeyType::Time),
        key("due_date", KeyType::Date),
        key("project_id", INT),
    ];
    const PAGING: Paging = Paging::Cursor {
        sorts: &[
            SortField::Id,
            SortField::UpdateTime,
            SortField::AddTime,
            SortField::DueDate,
        ],
    };
    const IDS_PARAM: bool = true;
    const FILTERS: &'static [FilterDef] = &[
        filter("owner_id", "owner_id", FilterKind::Eq),
        filter("deal_id", "deal_id", FilterKind::Eq),
        filter("lead_id", "lead_id", FilterKind::LeadEq),
        // The spec: "whose primary participant is the given person",
        // which is the activity's person_id.
        filter("person_id", "person_id", FilterKind::Eq),
        filter("org_id", "org_id", FilterKind::Eq),
        filter("done", "done", FilterKind::Bool),
        filter("updated_since", "update_time", FilterKind::Since),
        filter("updated_until", "update_time", FilterKind::Until),
    ];
    const OPTIONAL: &'static [&'static str] = &["attendees"];
    const FIELDS: &'static [FieldSpec] = &[
        strict("subject", FieldType::Str),
        strict("type", FieldType::Str),
        strict("owner_id", FieldType::Int),
        field("deal_id", FieldType::Int),
        field("lead_id", FieldType::LeadId),
        field("person_id", FieldType::Int),
        field("org_id", FieldType::Int),
        field("project_id", FieldType::Int),
        field("due_date", FieldType::Date),
        field("due_time", FieldType::Clock),
        field("duration", FieldType::Clock),
        strict("busy", FieldType::Bool),
        strict("done", FieldType::Bool),
        field("location", FieldType::Object),
        strict("participants", FieldType::ObjectArray),
        strict("attendees", FieldType::ObjectArray),
        field("public_description", FieldType::Str),
        field("priority", FieldType::Int),
        field("note", FieldType::Str),
    ];
    // The spec's request schema marks nothing required; Pipedrive needs a
    // subject (it defaults the type).
    const REQUIRED: &'static [&'static str] = &["subject"];
    const DELETE: DeleteStyle = DeleteStyle::Soft {
        field: "is_deleted",
        value: true,
    };

    fn base_slots(ds: &Dataset) -> u64 {
        ds.counts.activities
    }

    fn generate(ds: &Dataset, id: u64) -> Option<Record> {
        Some(base_record(ds, id, &facts(ds, id)))
    }

    fn fast_keys(ds: &Dataset, id: u64) -> Option<Keys> {
        let f = facts(ds, id);
        let opt = |v: Option<u64>| v.map(|x| x as i64);
        Some(keys_from::<Self>(&[
            ("owner_id", Some(f.owner as i64)),
            ("deal_id", opt(f.links.deal)),
            ("lead_id", opt(f.links.lead)),
            ("person_id", opt(f.links.person)),
            ("org_id", opt(f.links.org)),
            ("done", Some(f.done as i64)),
            ("is_deleted", Some(0)),
            ("add_time", Some(f.add_time)),
            ("update_time", Some(f.update_time)),
            ("due_date", Some(f.due_day)),
            ("project_id", opt(f.project)),
        ]))
    }

    fn is_listed(k: &Keys) -> bool {
        k.get(6) != Some(1)
    }

    fn blank(_ds: &Dataset) -> Record {
        let record = json!({
            "subject": null, "type": "task", "owner_id": 1, "creator_user_id": 1,
            "is_deleted": false, "deal_id": null, "lead_id": null, "person_id": null,
            "org_id": null, "project_id": null, "due_date": null, "due_time": null,
            "duration": null, "busy": false, "done": false, "marked_as_done_time": null,
            "location": null, "participants": [], "attendees": [],
            "conference_meeting_client": null, "conference_meeting_url": null,
            "conference_meeting_id": null, "public_description": null, "priority": null,
            "note": null,
        });
        match record {
            Value::Object(map) => map,
            _ => Record::new(),
        }
    }

    fn prepare(
        ds: &Dataset,
        record: &mut Record,
        body: &Record,
        created: bool,
    ) -> Result<(), ApiError> {
        let type_key = record.get("type").and_then(Value::as_str).unwrap_or("");
        if !super::config_kinds::activity_type_exists(ds, type_key) {
            return Err(invalid_field("type", "Unknown activity type"));
        }
        let id_of = |record: &Record, name: &str| record.get(name).and_then(Value::as_u64);
        if let Some(d) = id_of(record, "deal_id") {
            if !links::deal_exists(ds, d) {
                return Err(missing_link("deal_id", "Deal", d));
            }
        }
        if let Some(p) = id_of(record, "person_id") {
            if !links::person_exists(ds, p) {
                return Err(missing_link("person_id", "Person", p));
            }
        }
        if let Some(o) = id_of(record, "org_id") {
            if !links::org_exists(ds, o) {
                return Err(missing_link("org_id", "Organization", o));
            }
        }
        if let Some(u) = id_of(record, "owner_id") {
            if !links::user_exists(ds, u) {
                return Err(missing_link("owner_id", "User", u));
            }
        }
        if created {
            if let Some(owner) = id_of(record, "owner_id") {
                record.insert("creator_user_id".to_string(), Value::from(owner));
            }
        }
        // The primary participant follows person_id unless participants
        // were given explicitly.
        if body.contains_key("person_id") && !body.contains_key("participants") {
            let participants: Vec<Value> = id_of(record, "person_id")
                .map(|p| json!({"person_id": p, "primary": true}))
                .into_iter()
                .collect();
            record.insert("participants".to_string(), Value::Array(participants));
        }
        // Marking done stamps the time; undoing clears it.
        if body.contains_key("done") {
            let done = record.get("done").and_then(Value::as_bool).unwrap_or(false);
            let stamp =
                done.then(|| Value::String(time::rfc3339_string(crate::data::write_clock())));
            record.insert(
                "marked_as_done_time".to_string(),
                stamp.unwrap_or(Value::Null),
            );
        }
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
        for id in 1..=ds.counts.activities {
            let record = Activities::generate(&ds, id).unwrap();
            assert_eq!(
                Activities::fast_keys(&ds, id),
                Some(keys_of::<Activities>(&ds, &record)),
                "{id}"
            );
        }
    }
}
