//! Small, fixed company settings served by v1: activity types,
//! currencies, saved filters, goals, roles, webhooks and lead labels.
//! A handful of records each, the same for every seed apart from times.

use super::links::user_exists;
use super::store::RecordReader;
use super::write::{invalid_field, missing_link};
use super::{
    field, ids, key, strict, DeleteReply, DeleteStyle, FieldSpec, FieldType, IdStyle, KeyCol,
    KeyType, Keys, Paging, Record, RecordFilter, RecordKind, TimeFormat,
};
use crate::data::users::COMPANY_ID;
use crate::data::Dataset;
use crate::errors::ApiError;
use crate::query::Query;
use crate::time;
use serde_json::{json, Value};

fn object(v: Value) -> Record {
    match v {
        Value::Object(map) => map,
        _ => Record::new(),
    }
}

/// Set-up times: company creation (2018-11-13) plus a few hours per record.
fn setup_time(kind: i64, id: u64, format: TimeFormat) -> String {
    format.format(time::timestamp(2018, 11, 13, 10, 0, 0) + kind * 86_400 + id as i64 * 3_600)
}

/// Active records are listed; deactivated (deleted) ones only by id.
fn active_listed<K: RecordKind>(k: &Keys) -> bool {
    super::column::<K>("active_flag").is_none_or(|c| k.get(c) != Some(0))
}

// ----- activity types -----

pub(crate) struct ActivityTypes;

const ICON_KEYS: &[&str] = &[
    "task",
    "email",
    "meeting",
    "deadline",
    "call",
    "lunch",
    "calendar",
    "downarrow",
    "document",
    "smartphone",
    "camera",
    "scissors",
    "cogs",
    "bubble",
    "uparrow",
    "checkbox",
    "signpost",
    "shuffle",
    "addressbook",
    "linegraph",
    "picture",
    "car",
    "world",
    "search",
    "clip",
    "sound",
    "brush",
    "key",
    "padlock",
    "pricetag",
    "suitcase",
    "finish",
    "plane",
    "loop",
    "wifi",
    "truck",
    "cart",
    "bulb",
    "bell",
    "presentation",
];

impl RecordKind for ActivityTypes {
    const NAME: &'static str = "activityTypes";
    const TIME_FORMAT: TimeFormat = TimeFormat::V1;
    const KEYS: &'static [KeyCol] = &[
        key("active_flag", KeyType::Bool),
        key("order_nr", KeyType::Int),
        key("add_time", KeyType::Time),
        key("update_time", KeyType::Time),
    ];
    const PAGING: Paging = Paging::Unpaged;
    const FIELDS: &'static [FieldSpec] = &[
        strict("name", FieldType::Str),
        strict("icon_key", FieldType::Enum(ICON_KEYS)),
        field("color", FieldType::Str),
        strict("order_nr", FieldType::Int),
    ];
    const REQUIRED: &'static [&'static str] = &["name", "icon_key"];
    const DELETE: DeleteStyle = DeleteStyle::Soft {
        field: "active_flag",
        value: false,
    };

    fn base_slots(_ds: &Dataset) -> u64 {
        super::words::ACTIVITY_TYPES.len() as u64 + 1
    }

    fn generate(_ds: &Dataset, id: u64) -> Option<Record> {
        let builtin = super::words::ACTIVITY_TYPES.get(id as usize - 1);
        let (key_string, name, icon) =
            builtin
                .copied()
                .unwrap_or(("site_visit", "Site visit 🏗️", "car"));
        Some(object(json!({
            "id": id, "name": name, "icon_key": icon,
            "color": builtin.map_or(Some("f29513"), |_| None),
            "order_nr": id, "key_string": key_string, "active_flag": true,
            "is_custom_flag": builtin.is_none(),
            "add_time": setup_time(0, id, TimeFormat::V1), "update_time": setup_time(0, id, TimeFormat::V1),
        })))
    }

    fn is_listed(_k: &Keys) -> bool {
        // Pipedrive lists deactivated types too (with `active_flag: false`).
        true
    }

    fn blank(_ds: &Dataset) -> Record {
        object(json!({"color": null, "order_nr": 0, "active_flag": true, "is_custom_flag": true}))
    }

    fn prepare(
        ds: &Dataset,
        record: &mut Record,
        _body: &Record,
        created: bool,
    ) -> Result<(), ApiError> {
        if let Some(color) = record.get("color").and_then(Value::as_str) {
            if color.len() != 6 || !color.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(invalid_field("color", "Expected six hexadecimal digits"));
            }
        }
        if created {
            let name = record.get("name").and_then(Value::as_str).unwrap_or("");
            let key_string: String = name
                .to_lowercase()
                .chars()
                .map(|c| if c.is_alphanumeric() { c } else { '_' })
                .collect();
            // Unique among all types: activities refer to types by it.
            let base = key_string.trim_matches('_').to_string();
            let taken: Vec<String> = RecordReader::<ActivityTypes>::new(ds)
                .all()
                .iter()
                .filter_map(|(_, t)| {
                    t.get("key_string")
                        .and_then(Value::as_str)
                        .map(str::to_string)
                })
                .collect();
            let unique = (1..)
                .map(|n| {
                    if n == 1 {
                        base.clone()
                    } else {
                        format!("{base}_{n}")
                    }
                })
                .find(|k| !taken.contains(k))
                .unwrap_or(base);
            record.insert("key_string".into(), json!(unique));
        }
        Ok(())
    }
}

/// Whether `key` is the `key_string` of an active activity type.
pub(crate) fn activity_type_exists(ds: &Dataset, key: &str) -> bool {
    RecordReader::<ActivityTypes>::new(ds)
        .all()
        .iter()
        .any(|(_, t)| {
            t.get("key_string").and_then(Value::as_str) == Some(key)
                && t.get("active_flag") == Some(&Value::Bool(true))
        })
}

// ----- currencies -----

pub(crate) struct Currencies;

/// (code, name, decimal points, symbol)
const CURRENCY_LIST: &[(&str, &str, u64, &str)] = &[
    ("EUR", "Euro", 2, "€"),
    ("USD", "US Dollar", 2, "$"),
    ("GBP", "British Pound", 2, "£"),
    ("JPY", "Japanese Yen", 0, "¥"),
    ("SEK", "Swedish Krona", 2, "kr"),
    ("BRL", "Brazilian Real", 2, "R$"),
    ("CHF", "Swiss Franc", 2, "CHF"),
    ("KRW", "South Korean Won", 0, "₩"),
    ("PLN", "Polish Złoty", 2, "zł"),
    ("CNY", "Chinese Yuan", 2, "¥"),
    ("NOK", "Norwegian Krone", 2, "kr"),
    ("BTC", "Bitcoin (custom)", 8, "₿"),
];

impl RecordKind for Currencies {
    const NAME: &'static str = "currencies";
    const TIME_FORMAT: TimeFormat = TimeFormat::V1;
    const KEYS: &'static [KeyCol] = &[];
    const PAGING: Paging = Paging::Unpaged;

    fn base_slots(_ds: &Dataset) -> u64 {
        CURRENCY_LIST.len() as u64
    }

    fn generate(_ds: &Dataset, id: u64) -> Option<Record> {
        let (code, name, decimals, symbol) = CURRENCY_LIST.get(id as usize - 1)?;
        Some(object(json!({
            "id": id, "code": code, "name": name, "decimal_points": decimals, "symbol": symbol,
            "active_flag": true, "is_custom_flag": *code == "BTC",
        })))
    }

    /// `term`: part of the name or code, case-insensitively.
    fn record_filter(_ds: &Dataset, q: &Query) -> Result<Option<RecordFilter>, ApiError> {
        let Some(term) = q.get("term").map(str::to_lowercase) else {
            return Ok(None);
        };
        Ok(Some(Box::new(move |r: &Record| {
            ["name", "code"].iter().any(|k| {
                r.get(*k)
                    .and_then(Value::as_str)
                    .is_some_and(|s| s.to_lowercase().contains(&term))
            })
        })))
    }
}

// ----- saved filters -----

pub(crate) struct Filters;

const FILTER_TYPES: &[&str] = &[
    "deals", "leads", "org", "people", "products", "activity", "projects",
];

/// (name, type, field the condition tests, operator, value)
const FILTER_LIST: &[(&str, &str, &str, &str, &str)] = &[
    ("All open deals", "deals", "status", "=", "open"),
    ("Big deals 💰", "deals", "value", ">", "10000"),
    ("Won this year", "deals", "status", "=", "won"),
    ("Hot leads", "leads", "label_ids", "=", "1"),
    ("Customers", "org", "label_ids", "=", "1"),
    (
        "Kontakte München",
        "people",
        "postal_address",
        "LIKE",
        "München",
    ),
    (
        "Subscriptions",
        "products",
        "billing_frequency",
        "<>",
        "one-time",
    ),
    ("Overdue activities", "activity", "due_date", "<", "today"),
    ("Open projects", "projects", "status", "=", "open"),
];

fn conditions(field: &str, operator: &str, value: &str) -> Value {
    json!({
        "glue": "and",
        "conditions": [
            {"glue": "and", "conditions": [{
                "object": "deal", "field_id": field, "operator": operator, "value": value,
                "extra_value": null, "json_value_flag": false, "field_code": field,
            }]},
            {"glue": "or", "conditions": []},
        ],
    })
}

impl RecordKind for Filters {
    const NAME: &'static str = "filters";
    const TIME_FORMAT: TimeFormat = TimeFormat::V1;
    const KEYS: &'static [KeyCol] = &[
        key("active_flag", KeyType::Bool),
        key("user_id", KeyType::Int),
        key("add_time", KeyType::Time),
        key("update_time", KeyType::Time),
    ];
    const PAGING: Paging = Paging::Unpaged;
    /// The list leaves the conditions out; `GET /filters/{id}` has them.
    const LIST_OMITS: &'static [&'static str] = &["conditions"];
    const FIELDS: &'static [FieldSpec] = &[
        strict("name", FieldType::Str),
        strict("conditions", FieldType::Object),
        strict("type", FieldType::Enum(FILTER_TYPES)),
    ];
    const REQUIRED: &'static [&'static str] = &["name", "conditions", "type"];
    const DELETE: DeleteStyle = DeleteStyle::Soft {
        field: "active_flag",
        value: false,
    };

    fn base_slots(_ds: &Dataset) -> u64 {
        FILTER_LIST.len() as u64
    }

    fn generate(ds: &Dataset, id: u64) -> Option<Record> {
        let (name, kind, field, op, value) = FILTER_LIST.get(id as usize - 1)?;
        Some(object(json!({
            "id": id, "name": name, "filter_code": null, "is_editable": true, "active_flag": true,
            "type": kind, "temporary_flag": null, "user_id": 1 + (id - 1) % ds.counts.users,
            "add_time": setup_time(2, id, TimeFormat::V1), "update_time": setup_time(3, id, TimeFormat::V1),
            "visible_to": "7", "last_used_time": null, "custom_view_id": null,
            "conditions": conditions(field, op, value),
        })))
    }

    fn is_listed(k: &Keys) -> bool {
        active_listed::<Self>(k)
    }

    /// `type`: only filters of that type.
    fn record_filter(_ds: &Dataset, q: &Query) -> Result<Option<RecordFilter>, ApiError> {
        let Some(kind) = q.one_of("type", |s| Some(s.to_string()), FILTER_TYPES)? else {
            return Ok(None);
        };
        Ok(Some(Box::new(move |r: &Record| {
            r.get("type").and_then(Value::as_str) == Some(kind.as_str())
        })))
    }

    fn blank(_ds: &Dataset) -> Record {
        object(json!({
            "filter_code": null, "is_editable": true, "active_flag": true, "temporary_flag": null,
            "user_id": 1, "visible_to": "7", "last_used_time": null, "custom_view_id": null,
        }))
    }

    fn prepare(
        _ds: &Dataset,
        record: &mut Record,
        _body: &Record,
        _created: bool,
    ) -> Result<(), ApiError> {
        let glue_ok = record.get("conditions").is_some_and(|c| {
            c.get("glue").is_some() && c.get("conditions").is_some_and(Value::is_array)
        });
        if !glue_ok {
            return Err(invalid_field(
                "conditions",
                "Expected {glue, conditions: [...]}",
            ));
        }
        Ok(())
    }
}

// ----- goals -----

pub(crate) struct Goals;

const GOAL_TYPES: &[&str] = &[
    "deals_won",
    "deals_progressed",
    "activities_completed",
    "activities_added",
    "deals_started",
];

impl RecordKind for Goals {
    const NAME: &'static str = "goals";
    const ID: IdStyle = IdStyle::Text;
    const TIME_FORMAT: TimeFormat = TimeFormat::V1;
    const KEYS: &'static [KeyCol] = &[key("is_active", KeyType::Bool)];
    const PAGING: Paging = Paging::Unpaged;
    const FIELDS: &'static [FieldSpec] = &[
        strict("title", FieldType::Str),
        strict("assignee", FieldType::Object),
        strict("type", FieldType::Object),
        strict("expected_outcome", FieldType::Object),
        strict("duration", FieldType::Object),
        strict(
            "interval",
            FieldType::Enum(&["weekly", "monthly", "quarterly", "yearly"]),
        ),
    ];
    const REQUIRED: &'static [&'static str] = &[
        "assignee",
        "type",
        "expected_outcome",
        "duration",
        "interval",
    ];
    const DELETE: DeleteStyle = DeleteStyle::Soft {
        field: "is_active",
        value: false,
    };
    const DELETE_REPLY: DeleteReply = DeleteReply::Null;

    fn base_slots(ds: &Dataset) -> u64 {
        ds.counts.users.min(5)
    }

    fn generate(ds: &Dataset, id: u64) -> Option<Record> {
        let kind = GOAL_TYPES[(id as usize - 1) % GOAL_TYPES.len()];
        let deals = kind.starts_with("deals");
        let params = if deals {
            json!({"pipeline_id": [1 + (id - 1) % ds.counts.pipelines]})
        } else {
            json!({"activity_type_id": [1 + (id - 1) % 6]})
        };
        let (assignee_type, assignee_id) = if id == 1 {
            ("company", COMPANY_ID)
        } else {
            ("person", id)
        };
        let interval = ["monthly", "quarterly", "yearly"][(id as usize - 1) % 3];
        Some(object(json!({
            "id": id.to_string(),
            "owner_id": 1,
            "title": format!("{} target Q{}", kind.replace('_', " "), 1 + (id - 1) % 4),
            "type": {"name": kind, "params": params},
            "assignee": {"id": assignee_id, "type": assignee_type},
            "interval": interval,
            "duration": {"start": "2025-01-01", "end": if id.is_multiple_of(2) { Value::Null } else { json!("2025-12-31") }},
            "expected_outcome": {"target": 10 * id, "tracking_metric": if deals && id % 2 == 1 { "sum" } else { "quantity" }},
            "is_active": true,
            "report_ids": [format!("{:032x}", id * 7_919)],
        })))
    }

    fn blank(_ds: &Dataset) -> Record {
        object(json!({"owner_id": 1, "title": "", "is_active": true, "report_ids": []}))
    }

    fn prepare(
        _ds: &Dataset,
        record: &mut Record,
        _body: &Record,
        _created: bool,
    ) -> Result<(), ApiError> {
        // Goals have no times of their own.
        record.remove("add_time");
        record.remove("update_time");
        // The spec's example sends `assignee.id` and `expected_outcome.target`
        // as strings; they are stored as the numbers the answers carry.
        for (object, member) in [("assignee", "id"), ("expected_outcome", "target")] {
            if let Some(Value::Object(o)) = record.get_mut(object) {
                let parsed = o
                    .get(member)
                    .and_then(Value::as_str)
                    .and_then(|s| s.trim().parse::<f64>().ok());
                if let Some(n) = parsed {
                    let number = if n.fract() == 0.0 {
                        json!(n as i64)
                    } else {
                        json!(n)
                    };
                    o.insert(member.into(), number);
                }
            }
        }
        let type_name = record
            .get("type")
            .and_then(|t| t.get("name"))
            .and_then(Value::as_str);
        if !type_name.is_some_and(|n| GOAL_TYPES.contains(&n)) {
            return Err(invalid_field("type.name", "Expected one of deals_won, deals_progressed, activities_completed, activities_added, deals_started"));
        }
        if record.get("type").is_none_or(|t| t.get("params").is_none()) {
            if let Some(Value::Object(t)) = record.get_mut("type") {
                t.insert("params".into(), json!({}));
            }
        }
        let assignee_ok = record.get("assignee").is_some_and(|a| {
            a.get("id").is_some_and(Value::is_number)
                && a.get("type")
                    .and_then(Value::as_str)
                    .is_some_and(|t| ["person", "company", "team"].contains(&t))
        });
        if !assignee_ok {
            return Err(invalid_field(
                "assignee",
                "Expected {id, type: person|company|team}",
            ));
        }
        let outcome_ok = record.get("expected_outcome").is_some_and(|o| {
            o.get("target").is_some_and(Value::is_number)
                && o.get("tracking_metric")
                    .and_then(Value::as_str)
                    .is_some_and(|m| m == "quantity" || m == "sum")
        });
        if !outcome_ok {
            return Err(invalid_field(
                "expected_outcome",
                "Expected {target, tracking_metric: quantity|sum}",
            ));
        }
        let start_ok = record
            .get("duration")
            .and_then(|d| d.get("start"))
            .and_then(Value::as_str)
            .and_then(time::parse_date)
            .is_some();
        if !start_ok {
            return Err(invalid_field(
                "duration.start",
                "Expected a date in format YYYY-MM-DD",
            ));
        }
        Ok(())
    }
}

// ----- roles -----

pub(crate) struct Roles;

const ROLE_LIST: &[(&str, Option<u64>)] = &[
    ("Management", None),
    ("Sales", Some(1)),
    ("Account executives", Some(2)),
    ("Support", Some(1)),
];

impl RecordKind for Roles {
    const NAME: &'static str = "roles";
    const TIME_FORMAT: TimeFormat = TimeFormat::V1;
    const KEYS: &'static [KeyCol] = &[
        key("active_flag", KeyType::Bool),
        key("parent_role_id", KeyType::Int),
    ];
    const PAGING: Paging = Paging::Offset { max_limit: 500 };
    const FIELDS: &'static [FieldSpec] = &[
        strict("name", FieldType::Str),
        field("parent_role_id", FieldType::Int),
    ];
    const REQUIRED: &'static [&'static str] = &["name"];
    const DELETE: DeleteStyle = DeleteStyle::Soft {
        field: "active_flag",
        value: false,
    };

    fn base_slots(_ds: &Dataset) -> u64 {
        ROLE_LIST.len() as u64
    }

    fn generate(ds: &Dataset, id: u64) -> Option<Record> {
        let (name, parent) = ROLE_LIST.get(id as usize - 1)?;
        let level = match parent {
            None => 1,
            Some(1) => 2,
            Some(_) => 3,
        };
        let subs = ROLE_LIST.iter().filter(|(_, p)| *p == Some(id)).count();
        let assigned = ds
            .users_snapshot()
            .iter()
            .filter(|u| u.role_id == id)
            .count();
        Some(object(json!({
            "parent_role_id": parent, "name": name, "id": id, "active_flag": true,
            "assignment_count": assigned.to_string(), "sub_role_count": subs.to_string(), "level": level,
        })))
    }

    fn is_listed(k: &Keys) -> bool {
        active_listed::<Self>(k)
    }

    fn blank(_ds: &Dataset) -> Record {
        object(
            json!({"parent_role_id": null, "active_flag": true, "assignment_count": "0", "sub_role_count": "0", "level": 1}),
        )
    }

    fn prepare(
        ds: &Dataset,
        record: &mut Record,
        _body: &Record,
        _created: bool,
    ) -> Result<(), ApiError> {
        // Roles have no times of their own.
        record.remove("add_time");
        record.remove("update_time");
        if let Some(parent) = record.get("parent_role_id").and_then(Value::as_u64) {
            let level = RecordReader::<Roles>::new(ds)
                .record(parent)
                .and_then(|p| p.get("level").and_then(Value::as_u64))
                .ok_or_else(|| missing_link("parent_role_id", "Role", parent))?;
            if record.get("id").and_then(Value::as_u64) == Some(parent) {
                return Err(invalid_field(
                    "parent_role_id",
                    "A role cannot be its own parent",
                ));
            }
            record.insert("level".into(), json!(level + 1));
        } else {
            record.insert("level".into(), json!(1));
        }
        Ok(())
    }
}

// ----- webhooks -----

pub(crate) struct Webhooks;

const EVENT_ACTIONS: &[&str] = &["create", "change", "delete", "*"];
const EVENT_OBJECTS: &[&str] = &[
    "activity",
    "deal",
    "lead",
    "note",
    "organization",
    "person",
    "pipeline",
    "product",
    "stage",
    "user",
    "*",
];

impl RecordKind for Webhooks {
    const NAME: &'static str = "webhooks";
    const TIME_FORMAT: TimeFormat = TimeFormat::V1;
    const KEYS: &'static [KeyCol] = &[key("user_id", KeyType::Int)];
    const PAGING: Paging = Paging::Unpaged;
    const STATUS_MEMBER: bool = true;
    const FIELDS: &'static [FieldSpec] = &[
        strict("subscription_url", FieldType::Str),
        strict("event_action", FieldType::Enum(EVENT_ACTIONS)),
        strict("event_object", FieldType::Enum(EVENT_OBJECTS)),
        strict("name", FieldType::Str),
        strict("user_id", FieldType::Int),
        field("http_auth_user", FieldType::Str),
        field("http_auth_password", FieldType::Str),
        strict("version", FieldType::Enum(&["1.0", "2.0"])),
    ];
    const REQUIRED: &'static [&'static str] =
        &["subscription_url", "event_action", "event_object", "name"];
    const CREATE_STATUS: u16 = 201;
    const DELETE_REPLY: DeleteReply = DeleteReply::Null;

    fn base_slots(_ds: &Dataset) -> u64 {
        2
    }

    fn generate(_ds: &Dataset, id: u64) -> Option<Record> {
        let (action, object_name, name) = [
            ("*", "deal", "Deal sync"),
            ("create", "person", "New contacts → CRM bridge"),
        ]
        .get(id as usize - 1)
        .copied()?;
        Some(object(json!({
            "id": id, "company_id": COMPANY_ID, "owner_id": 1, "user_id": 1,
            "event_action": action, "event_object": object_name,
            "subscription_url": format!("https://hooks.example.com/pipedrive/{id}"),
            "version": "2.0", "is_active": 1,
            "add_time": setup_time(5, id, TimeFormat::Rfc3339), "remove_time": null, "type": "general",
            "http_auth_user": null, "http_auth_password": null, "remove_reason": null,
            "last_delivery_time": null, "last_http_status": null, "admin_id": 1, "name": name,
        })))
    }

    fn blank(_ds: &Dataset) -> Record {
        object(json!({
            "company_id": COMPANY_ID, "owner_id": 1, "user_id": 1, "version": "2.0", "is_active": 1,
            "remove_time": null, "type": "general", "http_auth_user": null, "http_auth_password": null,
            "remove_reason": null, "last_delivery_time": null, "last_http_status": null, "admin_id": 1,
        }))
    }

    fn prepare(
        ds: &Dataset,
        record: &mut Record,
        _body: &Record,
        _created: bool,
    ) -> Result<(), ApiError> {
        let url = record
            .get("subscription_url")
            .and_then(Value::as_str)
            .unwrap_or("");
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(invalid_field("subscription_url", "Expected an http(s) URL"));
        }
        if let Some(u) = record.get("user_id").and_then(Value::as_u64) {
            if !user_exists(ds, u) {
                return Err(missing_link("user_id", "User", u));
            }
        }
        // Webhook times are RFC 3339 while other v1 settings use v1 times.
        for k in ["add_time", "update_time"] {
            if let Some(ts) = record
                .get(k)
                .and_then(Value::as_str)
                .and_then(time::parse_any_time)
            {
                record.insert(k.into(), json!(time::rfc3339_string(ts)));
            }
        }
        record.remove("update_time");
        Ok(())
    }
}

// ----- lead labels -----

pub(crate) struct LeadLabels;

pub(crate) const LEAD_LABEL_COUNT: u64 = 4;
const LABEL_COLORS: &[&str] = &[
    "blue",
    "brown",
    "dark-gray",
    "gray",
    "green",
    "orange",
    "pink",
    "purple",
    "red",
    "yellow",
];

impl RecordKind for LeadLabels {
    const NAME: &'static str = "leadLabels";
    const ID: IdStyle = IdStyle::Uuid(ids::LEAD_LABEL_SALT);
    const TIME_FORMAT: TimeFormat = TimeFormat::Rfc3339;
    const KEYS: &'static [KeyCol] = &[
        key("add_time", KeyType::Time),
        key("update_time", KeyType::Time),
    ];
    const PAGING: Paging = Paging::Unpaged;
    const FIELDS: &'static [FieldSpec] = &[
        strict("name", FieldType::Str),
        strict("color", FieldType::Enum(LABEL_COLORS)),
    ];
    const REQUIRED: &'static [&'static str] = &["name", "color"];

    fn base_slots(_ds: &Dataset) -> u64 {
        LEAD_LABEL_COUNT
    }

    fn generate(ds: &Dataset, id: u64) -> Option<Record> {
        let (name, color) = [
            ("Hot", "red"),
            ("Warm", "orange"),
            ("Cold", "blue"),
            ("Rückruf", "purple"),
        ]
        .get(id as usize - 1)
        .copied()?;
        Some(object(json!({
            "id": ids::uuid(ds.seed, ids::LEAD_LABEL_SALT, id), "name": name, "color": color,
            "add_time": setup_time(6, id, TimeFormat::Rfc3339), "update_time": setup_time(6, id, TimeFormat::Rfc3339),
        })))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn icon_keys_are_the_specs() {
        assert_eq!(ICON_KEYS.len(), 40);
        assert!(super::super::words::ACTIVITY_TYPES
            .iter()
            .all(|(_, _, icon)| ICON_KEYS.contains(icon)));
    }
}
