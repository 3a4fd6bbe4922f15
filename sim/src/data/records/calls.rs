//! Call logs (v1 `/callLogs`): string ids, times in v1 format, linked to
//! a person and possibly a deal, organization or lead.

use super::links::{self, Links, Mix};
use super::write::{invalid_field, missing_link};
use super::{
    field, ids, key, strict, DeleteReply, FieldSpec, FieldType, IdStyle, KeyCol, KeyType, Paging,
    Record, RecordKind, TimeFormat,
};
use crate::data::rng::{Draw, Stream};
use crate::data::users::COMPANY_ID;
use crate::data::{spread_add_time, Dataset};
use crate::errors::ApiError;
use crate::time;
use serde_json::{json, Value};

/// (body field, what it names, whether such a record exists)
type LinkCheck = (&'static str, &'static str, fn(&Dataset, u64) -> bool);

pub(crate) struct CallLogs;

pub(crate) const OUTCOMES: &[&str] = &[
    "connected",
    "no_answer",
    "left_message",
    "left_voicemail",
    "wrong_number",
    "busy",
];

const A_LINK: u64 = 1;
const A_START: u64 = 4;
const A_DURATION: u64 = 5;
const A_OUTCOME: u64 = 6;
const A_USER: u64 = 7;
const A_PHONE: u64 = 8;
const A_NOTE: u64 = 12;

fn base_record(ds: &Dataset, id: u64) -> Record {
    let d = Draw::new(ds.seed, Stream::CallLog, id);
    let l: Links = links::pick(
        ds,
        &d,
        A_LINK,
        &Mix {
            deal: 50,
            person: 40,
            org: 0,
            lead: 10,
        },
    );
    let start = spread_add_time(&d, A_START, id, ds.counts.call_logs);
    let outcome = d.pick(A_OUTCOME, OUTCOMES);
    let seconds = if outcome == "connected" {
        d.range(A_DURATION, 30, 3_600)
    } else {
        d.range(A_DURATION, 0, 40)
    };
    let record = json!({
        "id": id.to_string(),
        "user_id": l.parent_owner.unwrap_or_else(|| 1 + d.below(A_USER, ds.counts.users)),
        "activity_id": null,
        "subject": format!("Call – {}", outcome.replace('_', " ")),
        "duration": seconds.to_string(),
        "outcome": outcome,
        "from_phone_number": format!("+372 5{:03} {:04}", d.below(A_PHONE, 1000), d.below(A_PHONE + 1, 10_000)),
        "to_phone_number": format!("+49 {} {:07}", d.range(A_PHONE + 2, 30, 89), d.below(A_PHONE + 3, 10_000_000)),
        "start_time": time::v1_time_string(start),
        "end_time": time::v1_time_string(start + seconds),
        "person_id": l.person,
        "org_id": l.org,
        "deal_id": l.deal,
        "lead_id": l.lead.map(|n| ids::uuid(ds.seed, ids::LEAD_SALT, n)),
        "note": d.percent(A_NOTE, 40).then(|| format!("<p>{}</p>", crate::data::text::SENTENCES[d.below(A_NOTE + 1, 12) as usize])),
        "has_recording": d.percent(A_NOTE + 2, 15),
        "company_id": COMPANY_ID,
    });
    match record {
        Value::Object(map) => map,
        _ => Record::new(),
    }
}

impl RecordKind for CallLogs {
    const NAME: &'static str = "callLogs";
    const ID: IdStyle = IdStyle::Text;
    const TIME_FORMAT: TimeFormat = TimeFormat::V1;
    const KEYS: &'static [KeyCol] = &[
        key("start_time", KeyType::Time),
        key("person_id", KeyType::Int),
    ];
    // "The upper limit is 50."
    const PAGING: Paging = Paging::Offset { max_limit: 50 };
    const FIELDS: &'static [FieldSpec] = &[
        strict("user_id", FieldType::Int),
        field("activity_id", FieldType::Int),
        field("subject", FieldType::Str),
        field("duration", FieldType::Str),
        strict("outcome", FieldType::Enum(OUTCOMES)),
        field("from_phone_number", FieldType::Str),
        strict("to_phone_number", FieldType::Str),
        strict("start_time", FieldType::Timestamp),
        strict("end_time", FieldType::Timestamp),
        field("person_id", FieldType::Int),
        field("org_id", FieldType::Int),
        field("deal_id", FieldType::Int),
        field("lead_id", FieldType::LeadId),
        field("note", FieldType::Str),
    ];
    const REQUIRED: &'static [&'static str] =
        &["outcome", "to_phone_number", "start_time", "end_time"];
    const DELETE_REPLY: DeleteReply = DeleteReply::Null;

    fn base_slots(ds: &Dataset) -> u64 {
        ds.counts.call_logs
    }

    fn generate(ds: &Dataset, id: u64) -> Option<Record> {
        Some(base_record(ds, id))
    }

    fn blank(_ds: &Dataset) -> Record {
        let record = json!({
            "user_id": 1, "activity_id": null, "subject": null, "duration": null,
            "from_phone_number": null, "person_id": null, "org_id": null, "deal_id": null,
            "lead_id": null, "note": null, "has_recording": false, "company_id": COMPANY_ID,
        });
        match record {
            Value::Object(map) => map,
            _ => Record::new(),
        }
    }

    fn prepare(
        ds: &Dataset,
        record: &mut Record,
        _body: &Record,
        _created: bool,
    ) -> Result<(), ApiError> {
        // Call logs carry no add/update time of their own.
        record.remove("add_time");
        record.remove("update_time");
        let mut times = [0i64; 2];
        for (slot, name) in ["start_time", "end_time"].iter().enumerate() {
            let ts = record
                .get(*name)
                .and_then(Value::as_str)
                .and_then(time::parse_any_time)
                .unwrap_or(0);
            times[slot] = ts;
            record.insert(name.to_string(), json!(time::v1_time_string(ts)));
        }
        if times[1] < times[0] {
            return Err(invalid_field("end_time", "Must not be before start_time"));
        }
        let checks: [LinkCheck; 4] = [
            ("deal_id", "Deal", links::deal_exists),
            ("person_id", "Person", links::person_exists),
            ("org_id", "Organization", links::org_exists),
            ("user_id", "User", links::user_exists),
        ];
        for (name, what, exists) in checks {
            if let Some(id) = record.get(name).and_then(Value::as_u64) {
                if !exists(ds, id) {
                    return Err(missing_link(name, what, id));
                }
            }
        }
        Ok(())
    }
}
