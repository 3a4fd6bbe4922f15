//! Records that live under a parent: the products attached to deals (v2
//! `/deals/{id}/products`), deal participants (v1
//! `/deals/{id}/participants`) and note comments (v1
//! `/notes/{id}/comments`).
//!
//! Generated ones occupy fixed slots per parent (`SLOTS` per deal or
//! note, some empty), so the children of one parent are found without a
//! scan; written ones are found in the overlay.

use super::links::{self, person_exists};
use super::products::{current_name, list_price, product_exists, BILLING_FREQUENCIES};
use super::store::RecordReader;
use super::write::{invalid_field, missing_link};
use super::{
    field, ids, key, strict, DeleteReply, FieldSpec, FieldType, IdStyle, KeyCol, KeyType, Keys,
    Paging, Record, RecordKind, TimeFormat,
};
use crate::data::deals::{deal_currency, deal_keys};
use crate::data::listing::{Deals, EntityReader, Persons};
use crate::data::rng::{Draw, Stream};
use crate::data::users::{COMPANY_DOMAIN, COMPANY_ID};
use crate::data::{Dataset, DATA_NOW};
use crate::errors::ApiError;
use crate::pagination::SortField;
use crate::time::{self, SECONDS_PER_DAY};
use serde_json::{json, Value};

fn object(v: Value) -> Record {
    match v {
        Value::Object(map) => map,
        _ => Record::new(),
    }
}

/// A child record kind: which parent a record belongs to.
pub(crate) trait Nested: RecordKind {
    /// Slots per parent among the generated records.
    const SLOTS: u64;
    /// The property naming the parent's id.
    const PARENT_FIELD: &'static str;

    /// The parent of a record.
    fn parent_of(record: &Record) -> Option<u64> {
        record
            .get(Self::PARENT_FIELD)
            .and_then(|v| v.as_u64().or_else(|| v.as_str()?.parse().ok()))
    }

    /// Ids of the existing children of `parents`, ascending per parent.
    fn children(reader: &RecordReader<Self>, parents: &[u64]) -> Vec<u64> {
        let mut ids: Vec<u64> = parents
            .iter()
            .flat_map(|&p| (1..=Self::SLOTS).map(move |k| (p.saturating_sub(1)) * Self::SLOTS + k))
            .filter(|&id| reader.keys(id).is_some_and(|_| true))
            .filter(|&id| {
                reader
                    .record(id)
                    .is_some_and(|r| Self::parent_of(&r).is_some_and(|p| parents.contains(&p)))
            })
            .collect();
        ids.extend(
            reader.written_where(|r| Self::parent_of(r).is_some_and(|p| parents.contains(&p))),
        );
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

// ----- deal products -----

pub(crate) struct DealProducts;

const P_COUNT: u64 = 1;
const P_PRODUCT: u64 = 2;
const P_QUANTITY: u64 = 6;
const P_DISCOUNT: u64 = 10;
const P_TAX: u64 = 14;
const P_TIME: u64 = 18;

/// Products attached to generated deal `deal`: 0 to 3.
fn product_count(ds: &Dataset, deal: u64) -> u64 {
    if ds.counts.products == 0 {
        return 0;
    }
    let d = Draw::new(ds.seed, Stream::DealProduct, deal);
    match d.below(P_COUNT, 10) {
        0..=3 => 0,
        4..=6 => 1,
        7..=8 => 2,
        _ => 3,
    }
}

struct LineFacts {
    deal: u64,
    order: u64,
    product: u64,
    add_time: i64,
    update_time: i64,
}

fn line_facts(ds: &Dataset, slot: u64) -> Option<LineFacts> {
    let deal = (slot - 1) / DealProducts::SLOTS + 1;
    let k = (slot - 1) % DealProducts::SLOTS;
    if k >= product_count(ds, deal) {
        return None;
    }
    let d = Draw::new(ds.seed, Stream::DealProduct, deal);
    let dk = deal_keys(ds, deal);
    let add_time = (dk.add_time + d.range(P_TIME + k, 60, 3 * SECONDS_PER_DAY))
        .min(dk.update_time.max(dk.add_time));
    Some(LineFacts {
        deal,
        order: k + 1,
        product: 1 + d.below(P_PRODUCT + k, ds.counts.products),
        add_time,
        update_time: (add_time + d.range(P_TIME + 4 + k, 0, 30 * SECONDS_PER_DAY))
            .min(DATA_NOW)
            .max(add_time),
    })
}

fn line_record(ds: &Dataset, slot: u64) -> Option<Record> {
    let f = line_facts(ds, slot)?;
    let d = Draw::new(ds.seed, Stream::DealProduct, f.deal);
    let k = f.order - 1;
    let (price, _) = list_price(ds.seed, f.product);
    let quantity = d.range(P_QUANTITY + k, 1, 10) as f64;
    let discount = d.pick(P_DISCOUNT + k, &[0.0, 0.0, 5.0, 10.0]);
    let tax = d.pick(P_TAX + k, &[0.0, 20.0, 9.0]);
    let mut record = object(json!({
        "id": slot,
        "deal_id": f.deal,
        "product_id": f.product,
        "product_variation_id": null,
        "name": super::products::product_name(ds.seed, f.product),
        "order_nr": f.order,
        "add_time": time::rfc3339_string(f.add_time),
        "update_time": time::rfc3339_string(f.update_time),
        "comments": if k == 0 { "" } else { "Volume pricing agreed" },
        "currency": deal_currency(ds, f.deal),
        "discount": discount,
        "discount_type": "percentage",
        "quantity": quantity,
        "item_price": price,
        "tax": tax,
        "tax_method": if tax == 0.0 { "none" } else { "exclusive" },
        "is_enabled": true,
        "billing_frequency": "one-time",
        "billing_frequency_cycles": null,
        "billing_start_date": null,
    }));
    fill_sum(&mut record);
    Some(record)
}

/// `sum`: quantity × price less the discount, plus exclusive tax.
fn fill_sum(record: &mut Record) {
    let num = |k: &str| record.get(k).and_then(Value::as_f64).unwrap_or(0.0);
    let gross = num("quantity") * num("item_price");
    let discounted = match record.get("discount_type").and_then(Value::as_str) {
        Some("amount") => gross - num("discount"),
        _ => gross * (1.0 - num("discount") / 100.0),
    };
    let with_tax = match record.get("tax_method").and_then(Value::as_str) {
        Some("exclusive") => discounted * (1.0 + num("tax") / 100.0),
        _ => discounted,
    };
    record.insert("sum".into(), json!(round2(with_tax)));
}

impl Nested for DealProducts {
    const SLOTS: u64 = 4;
    const PARENT_FIELD: &'static str = "deal_id";
}

impl RecordKind for DealProducts {
    const NAME: &'static str = "dealProducts";
    const TIME_FORMAT: TimeFormat = TimeFormat::Rfc3339;
    const KEYS: &'static [KeyCol] = &[
        key("deal_id", KeyType::Int),
        key("product_id", KeyType::Int),
        key("order_nr", KeyType::Int),
        key("add_time", KeyType::Time),
        key("update_time", KeyType::Time),
    ];
    const PAGING: Paging = Paging::Cursor {
        sorts: &[
            SortField::Id,
            SortField::AddTime,
            SortField::UpdateTime,
            SortField::OrderNr,
        ],
    };
    const FIELDS: &'static [FieldSpec] = &[
        strict("product_id", FieldType::Int),
        strict("item_price", FieldType::Number),
        strict("quantity", FieldType::Number),
        strict("tax", FieldType::Number),
        field("comments", FieldType::Str),
        strict("discount", FieldType::Number),
        strict("is_enabled", FieldType::Bool),
        strict(
            "tax_method",
            FieldType::Enum(&["exclusive", "inclusive", "none"]),
        ),
        strict("discount_type", FieldType::Enum(&["percentage", "amount"])),
        field("product_variation_id", FieldType::Int),
        strict("billing_frequency", FieldType::Enum(BILLING_FREQUENCIES)),
        field("billing_frequency_cycles", FieldType::Int),
        field("billing_start_date", FieldType::Date),
    ];
    const REQUIRED: &'static [&'static str] = &["product_id", "item_price", "quantity"];
    const CREATE_STATUS: u16 = 201;

    fn base_slots(ds: &Dataset) -> u64 {
        ds.counts.deals.saturating_mul(Self::SLOTS)
    }

    fn generate(ds: &Dataset, slot: u64) -> Option<Record> {
        line_record(ds, slot)
    }

    fn fast_keys(ds: &Dataset, slot: u64) -> Option<Keys> {
        let f = line_facts(ds, slot)?;
        Some(super::keys_from::<Self>(&[
            ("deal_id", Some(f.deal as i64)),
            ("product_id", Some(f.product as i64)),
            ("order_nr", Some(f.order as i64)),
            ("add_time", Some(f.add_time)),
            ("update_time", Some(f.update_time)),
        ]))
    }

    fn blank(_ds: &Dataset) -> Record {
        object(json!({
            "product_variation_id": null, "comments": "", "discount": 0, "discount_type": "percentage",
            "tax": 0, "tax_method": "none", "is_enabled": true, "billing_frequency": "one-time",
            "billing_frequency_cycles": null, "billing_start_date": null,
        }))
    }

    /// The body carries `deal_id` (added by the handler from the path).
    fn prepare(
        ds: &Dataset,
        record: &mut Record,
        body: &Record,
        created: bool,
    ) -> Result<(), ApiError> {
        if let Some(deal) = body.get("deal_id") {
            record.insert("deal_id".into(), deal.clone());
        }
        let deal = record.get("deal_id").and_then(Value::as_u64).unwrap_or(0);
        let product = record
            .get("product_id")
            .and_then(Value::as_u64)
            .unwrap_or(0);
        if body.contains_key("product_id") && !product_exists(ds, product) {
            return Err(missing_link("product_id", "Product", product));
        }
        if created {
            let currency = EntityReader::<Deals>::new(ds)
                .record(deal)
                .map(|d| d.currency.to_string());
            record.insert(
                "currency".into(),
                json!(currency.unwrap_or_else(|| "EUR".to_string())),
            );
            let siblings = DealProducts::children(&RecordReader::new(ds), &[deal]).len() as u64;
            record.insert("order_nr".into(), json!(siblings + 1));
        }
        if body.contains_key("product_id") {
            record.insert("name".into(), json!(current_name(ds, product)));
        }
        let amount_ok = ["quantity", "item_price"].iter().all(|k| {
            record
                .get(*k)
                .and_then(Value::as_f64)
                .is_some_and(|x| x >= 0.0)
        });
        if !amount_ok {
            return Err(invalid_field(
                "quantity",
                "Quantity and item_price must not be negative",
            ));
        }
        fill_sum(record);
        Ok(())
    }
}

// ----- deal participants -----

pub(crate) struct DealParticipants;

const Q_EXTRA: u64 = 1;

/// The person of participant slot `slot`, if the slot is used: the deal's
/// own contact first, then sometimes one or two more persons.
fn participant_person(ds: &Dataset, slot: u64) -> Option<(u64, u64)> {
    let deal = (slot - 1) / DealParticipants::SLOTS + 1;
    let k = (slot - 1) % DealParticipants::SLOTS;
    let keys = deal_keys(ds, deal);
    let d = Draw::new(ds.seed, Stream::Participant, deal);
    let person = match k {
        0 => keys.person_id?,
        _ if keys.person_id.is_some() && ds.counts.persons > 1 && d.percent(Q_EXTRA + k, 20) => {
            let other = 1 + d.below(Q_EXTRA + 10 + k, ds.counts.persons);
            if Some(other) == keys.person_id {
                return None;
            }
            other
        }
        _ => return None,
    };
    Some((deal, person))
}

/// v1's embedded person object (the most used members).
fn person_object(ds: &Dataset, id: u64) -> Value {
    let Some(p) = EntityReader::<Persons>::new(ds).record(id) else {
        return Value::Null;
    };
    let points = |list: &[crate::data::persons::ContactPoint]| -> Value {
        if list.is_empty() {
            return json!([{"value": "", "primary": true, "label": ""}]);
        }
        Value::Array(
            list.iter()
                .map(|c| json!({"value": c.value, "primary": c.primary, "label": c.label}))
                .collect(),
        )
    };
    let owner = ds.user_record(p.keys.owner_id);
    json!({
        "id": id,
        "company_id": COMPANY_ID,
        "active_flag": !p.keys.is_deleted,
        "phone": points(&p.phones),
        "email": points(&p.emails),
        "first_char": p.name.chars().next().map(|c| c.to_lowercase().to_string()),
        "add_time": time::v1_time_string(p.keys.add_time),
        "update_time": time::v1_time_string(p.keys.update_time),
        "visible_to": p.visible_to.to_string(),
        "picture_id": null,
        "label": p.label_ids.first(),
        "label_ids": p.label_ids,
        "org_name": p.keys.org_id.and_then(|o| links::org_name(ds, o)),
        "owner_name": owner.as_ref().map(|u| u.name.clone()),
        "cc_email": format!("{COMPANY_DOMAIN}+person{id}@pipedrivemail.com"),
        "owner_id": owner.as_ref().map(|u| json!({
            "id": u.id, "name": u.name, "email": u.email, "has_pic": u.icon_url.is_some() as u8,
            "pic_hash": null, "active_flag": u.active_flag, "value": u.id,
        })),
        "org_id": p.keys.org_id.map(|o| json!({
            "name": links::org_name(ds, o), "people_count": 1, "owner_id": p.keys.owner_id,
            "address": null, "cc_email": format!("{COMPANY_DOMAIN}+org{o}@pipedrivemail.com"),
            "label_ids": [], "value": o, "active_flag": true,
        })),
        "name": p.name,
        "first_name": p.first_name,
        "last_name": p.last_name,
    })
}

fn participant_record(
    ds: &Dataset,
    id: u64,
    deal: u64,
    person: u64,
    add_time: i64,
    added_by: u64,
) -> Record {
    let person_obj = person_object(ds, person);
    let summary = json!({
        "active_flag": person_obj.get("active_flag").cloned().unwrap_or(json!(true)),
        "name": person_obj.get("name").cloned().unwrap_or(Value::Null),
        "email": person_obj.get("email").cloned().unwrap_or(json!([])),
        "phone": person_obj.get("phone").cloned().unwrap_or(json!([])),
        "owner_id": person_obj.get("owner_id").and_then(|o| o.get("id")).cloned().unwrap_or(Value::Null),
        "company_id": COMPANY_ID,
        "value": person,
    });
    let user = ds.user_record(added_by).map(|u| {
        let mut out = Vec::new();
        crate::render::user::write_user(&mut out, &u, false);
        serde_json::from_slice::<Value>(&out).unwrap_or(Value::Null)
    });
    object(json!({
        "id": id,
        "person_id": summary,
        "add_time": time::v1_time_string(add_time),
        "active_flag": true,
        "related_item_data": {"deal_id": deal, "title": links::deal_title(ds, deal)},
        "person": person_obj,
        "added_by_user_id": {"success": true, "data": user},
        "related_item_type": "deal",
        "related_item_id": deal,
    }))
}

impl Nested for DealParticipants {
    const SLOTS: u64 = 3;
    const PARENT_FIELD: &'static str = "related_item_id";
}

impl RecordKind for DealParticipants {
    const NAME: &'static str = "dealParticipants";
    const TIME_FORMAT: TimeFormat = TimeFormat::V1;
    const KEYS: &'static [KeyCol] = &[
        key("related_item_id", KeyType::Int),
        key("add_time", KeyType::Time),
    ];
    const PAGING: Paging = Paging::Offset { max_limit: 500 };
    const FIELDS: &'static [FieldSpec] = &[strict("person_id", FieldType::Int)];
    const REQUIRED: &'static [&'static str] = &["person_id"];

    fn base_slots(ds: &Dataset) -> u64 {
        ds.counts.deals.saturating_mul(Self::SLOTS)
    }

    fn generate(ds: &Dataset, slot: u64) -> Option<Record> {
        let (deal, person) = participant_person(ds, slot)?;
        let keys = deal_keys(ds, deal);
        Some(participant_record(
            ds,
            slot,
            deal,
            person,
            keys.add_time,
            keys.owner_id,
        ))
    }

    fn fast_keys(ds: &Dataset, slot: u64) -> Option<Keys> {
        let (deal, _) = participant_person(ds, slot)?;
        Some(super::keys_from::<Self>(&[
            ("related_item_id", Some(deal as i64)),
            ("add_time", Some(deal_keys(ds, deal).add_time)),
        ]))
    }

    /// The body has `person_id` and (from the path) `related_item_id`.
    fn prepare(
        ds: &Dataset,
        record: &mut Record,
        body: &Record,
        _created: bool,
    ) -> Result<(), ApiError> {
        let deal = body
            .get("related_item_id")
            .and_then(Value::as_u64)
            .unwrap_or(0);
        let person = record.get("person_id").and_then(Value::as_u64).unwrap_or(0);
        if !person_exists(ds, person) {
            return Err(missing_link("person_id", "Person", person));
        }
        let reader = RecordReader::<DealParticipants>::new(ds);
        let taken = DealParticipants::children(&reader, &[deal])
            .into_iter()
            .any(|id| {
                reader.record(id).and_then(|r| {
                    r.get("person")
                        .and_then(|p| p.get("id"))
                        .and_then(Value::as_u64)
                }) == Some(person)
            });
        if taken {
            return Err(invalid_field(
                "person_id",
                "The person is already a participant of the deal",
            ));
        }
        let add_time = record
            .get("add_time")
            .and_then(Value::as_str)
            .and_then(time::parse_any_time)
            .unwrap_or(DATA_NOW);
        *record = participant_record(ds, 0, deal, person, add_time, 1);
        Ok(())
    }
}

// ----- note comments -----

pub(crate) struct NoteComments;

pub(crate) const COMMENT_SALT: u64 = 0x636f_6d6d;

fn comment_facts(ds: &Dataset, slot: u64) -> Option<(u64, u64)> {
    let note = (slot - 1) / NoteComments::SLOTS + 1;
    let k = (slot - 1) % NoteComments::SLOTS;
    let d = Draw::new(ds.seed, Stream::Comment, note);
    let count = match d.below(1, 10) {
        0..=5 => 0,
        6..=8 => 1,
        _ => 2,
    };
    (k < count).then_some((note, k))
}

impl Nested for NoteComments {
    const SLOTS: u64 = 2;
    const PARENT_FIELD: &'static str = "object_id";
}

impl RecordKind for NoteComments {
    const NAME: &'static str = "noteComments";
    const ID: IdStyle = IdStyle::Uuid(COMMENT_SALT);
    const ID_MEMBER: &'static str = "uuid";
    const TIME_FORMAT: TimeFormat = TimeFormat::V1;
    const KEYS: &'static [KeyCol] = &[
        key("object_id", KeyType::Int),
        key("add_time", KeyType::Time),
        key("update_time", KeyType::Time),
    ];
    const PAGING: Paging = Paging::Offset { max_limit: 500 };
    const FIELDS: &'static [FieldSpec] = &[strict("content", FieldType::Str)];
    const REQUIRED: &'static [&'static str] = &["content"];
    const DELETE_REPLY: DeleteReply = DeleteReply::True;

    fn base_slots(ds: &Dataset) -> u64 {
        ds.counts.notes.saturating_mul(Self::SLOTS)
    }

    fn generate(ds: &Dataset, slot: u64) -> Option<Record> {
        let (note, k) = comment_facts(ds, slot)?;
        let d = Draw::new(ds.seed, Stream::Comment, note);
        let note_record = RecordReader::<super::notes::Notes>::new(ds).record(note);
        let note_time = note_record
            .as_ref()
            .and_then(|r| {
                r.get("add_time")
                    .and_then(Value::as_str)
                    .and_then(time::parse_any_time)
            })
            .unwrap_or(DATA_NOW);
        let at = (note_time + d.range(10 + k, 600, 5 * SECONDS_PER_DAY)).min(DATA_NOW);
        let user = 1 + d.below(20 + k, ds.counts.users);
        Some(object(json!({
            "uuid": ids::uuid(ds.seed, COMMENT_SALT, slot),
            "active_flag": true,
            "add_time": time::v1_time_string(at),
            "update_time": time::v1_time_string(at),
            "content": d.pick(30 + k, super::words::COMMENTS),
            "object_id": note.to_string(),
            "object_type": "note",
            "user_id": user,
            "updater_id": user,
            "company_id": COMPANY_ID,
        })))
    }

    fn blank(_ds: &Dataset) -> Record {
        object(
            json!({"active_flag": true, "object_type": "note", "user_id": 1, "updater_id": 1, "company_id": COMPANY_ID}),
        )
    }

    fn set_id(ds: &Dataset, record: &mut Record, id: u64) {
        record.insert("uuid".into(), json!(ids::uuid(ds.seed, COMMENT_SALT, id)));
    }

    /// The body carries `object_id` (the note, added by the handler).
    fn prepare(
        _ds: &Dataset,
        record: &mut Record,
        body: &Record,
        _created: bool,
    ) -> Result<(), ApiError> {
        if let Some(note) = body.get("object_id") {
            record.insert("object_id".into(), note.clone());
        }
        Ok(())
    }
}

/// Whether the record `id` of `K` is a child of `parent` (nested routes
/// answer 404 for a child of another parent).
pub(crate) fn belongs_to<K: Nested>(record: &Record, parent: u64) -> bool {
    K::parent_of(record) == Some(parent)
}

/// The parent deal exists (`GET /deals/{id}/products` of a missing deal
/// is a 404).
pub(crate) fn deal_exists(ds: &Dataset, id: u64) -> bool {
    links::deal_exists(ds, id)
}

/// Whether note `id` exists.
pub(crate) fn note_exists(ds: &Dataset, id: u64) -> bool {
    RecordReader::<super::notes::Notes>::new(ds)
        .keys(id)
        .is_some()
}
