//! Products (v2 `/products`): the catalogue deals' line items come from,
//! with prices per currency and custom fields.

use super::links::user_exists;
use super::write::{invalid_field, missing_link};
use super::{
    field, filter, key, strict, DeleteStyle, FieldSpec, FieldType, FilterDef, FilterKind, KeyCol,
    KeyType, Keys, Paging, Record, RecordKind, TimeFormat,
};
use crate::data::custom_fields::{generate_values, ValueContext};
use crate::data::custom_values;
use crate::data::rng::{Draw, Stream};
use crate::data::{spread_add_time, spread_update_time, text, Dataset};
use crate::errors::ApiError;
use crate::pagination::SortField;
use crate::time;
use serde_json::{json, Value};

pub(crate) struct Products;

pub(crate) const BILLING_FREQUENCIES: &[&str] = &[
    "one-time",
    "annually",
    "semi-annually",
    "quarterly",
    "monthly",
    "weekly",
];

const A_NAME: u64 = 1;
const A_OWNER: u64 = 3;
const A_ADD: u64 = 4;
const A_UPDATE: u64 = 5;
const A_PRICE: u64 = 6;
const A_TAX: u64 = 20;
const A_BILLING: u64 = 21;
const A_MISC: u64 = 23;

/// The product's name (deal products repeat it).
pub(crate) fn product_name(seed: u64, id: u64) -> String {
    let d = Draw::new(seed, Stream::Product, id);
    format!(
        "{} {}",
        d.pick(A_NAME, super::words::PRODUCT_STEMS),
        d.pick(A_NAME + 1, super::words::PRODUCT_TIERS)
    )
}

/// The price of generated product `id` in its first currency: (price,
/// currency), for deal products.
pub(crate) fn list_price(seed: u64, id: u64) -> (f64, &'static str) {
    let d = Draw::new(seed, Stream::Product, id);
    let (currency, minor) = d.pick(A_PRICE, text::CURRENCIES);
    (price_in(&d, 0, minor), currency)
}

fn price_in(d: &Draw, i: u64, minor: bool) -> f64 {
    let base = d.range(A_PRICE + 2 + i, 5, 5_000) as f64;
    if minor {
        base + d.below(A_PRICE + 8 + i, 100) as f64 / 100.0
    } else {
        base * 100.0
    }
}

fn times(ds: &Dataset, id: u64) -> (i64, i64) {
    let d = Draw::new(ds.seed, Stream::Product, id);
    let add = spread_add_time(&d, A_ADD, id, ds.counts.products);
    (add, spread_update_time(&d, A_UPDATE, add))
}

fn base_record(ds: &Dataset, id: u64) -> Record {
    let d = Draw::new(ds.seed, Stream::Product, id);
    let (add_time, update_time) = times(ds, id);
    let first = d.below(A_PRICE, text::CURRENCIES.len() as u64) as usize;
    let price_count = 1 + d.below(A_PRICE + 1, 3) as usize;
    let prices: Vec<Value> = (0..price_count)
        .map(|i| {
            let (currency, minor) = text::CURRENCIES[(first + i) % text::CURRENCIES.len()];
            let price = price_in(&d, i as u64, minor);
            json!({
                "product_id": id, "price": price, "currency": currency,
                "cost": (price * 0.6 * 100.0).round() / 100.0,
                "direct_cost": d.percent(A_PRICE + 12 + i as u64, 30).then(|| (price * 0.1 * 100.0).round() / 100.0),
                "notes": if i == 0 { "List price" } else { "" },
            })
        })
        .collect();
    let billing = if d.percent(A_BILLING, 60) {
        "one-time"
    } else {
        d.pick(
            A_BILLING + 1,
            &[
                "annually",
                "monthly",
                "quarterly",
                "semi-annually",
                "weekly",
            ],
        )
    };
    let values = generate_values(
        &ds.product_fields,
        &d,
        &ValueContext {
            users: ds.counts.users,
            add_time,
        },
    );
    let record = json!({
        "id": id,
        "name": product_name(ds.seed, id),
        "code": format!("SKU-{:05}", id),
        "unit": d.pick(A_MISC, super::words::UNITS),
        "tax": d.pick(A_TAX, &[0.0, 9.0, 20.0, 22.0, 7.5]),
        "is_deleted": false,
        "is_linkable": d.percent(A_MISC + 1, 90),
        "visible_to": d.pick(A_MISC + 2, &[3, 3, 1, 7]),
        "owner_id": 1 + d.below(A_OWNER, ds.counts.users),
        "add_time": time::rfc3339_string(add_time),
        "update_time": time::rfc3339_string(update_time),
        "description": d.percent(A_MISC + 3, 70).then(|| text::SENTENCES[d.below(A_MISC + 4, text::SENTENCES.len() as u64) as usize]),
        "category": d.percent(A_MISC + 5, 80).then(|| (1 + d.below(A_MISC + 6, 5)).to_string()),
        "custom_fields": custom_values::object(&ds.product_fields, &values),
        "billing_frequency": billing,
        "billing_frequency_cycles": (billing != "one-time" && d.percent(A_BILLING + 2, 40)).then(|| d.range(A_BILLING + 3, 2, 24)),
        "prices": prices,
    });
    match record {
        Value::Object(map) => map,
        _ => Record::new(),
    }
}

impl RecordKind for Products {
    const NAME: &'static str = "products";
    const TIME_FORMAT: TimeFormat = TimeFormat::Rfc3339;
    const KEYS: &'static [KeyCol] = &[
        key("owner_id", KeyType::Int),
        key("is_deleted", KeyType::Bool),
        key("add_time", KeyType::Time),
        key("update_time", KeyType::Time),
    ];
    const PAGING: Paging = Paging::Cursor {
        sorts: &[
            SortField::Id,
            SortField::Name,
            SortField::AddTime,
            SortField::UpdateTime,
        ],
    };
    const IDS_PARAM: bool = true;
    const FILTERS: &'static [FilterDef] = &[
        filter("owner_id", "owner_id", FilterKind::Eq),
        filter("updated_since", "update_time", FilterKind::Since),
    ];
    const FIELDS: &'static [FieldSpec] = &[
        strict("name", FieldType::Str),
        field("code", FieldType::Str),
        field("description", FieldType::Str),
        field("unit", FieldType::Str),
        strict("tax", FieldType::Number),
        field("category", FieldType::IntOrText),
        strict("owner_id", FieldType::Int),
        strict("is_linkable", FieldType::Bool),
        strict("visible_to", FieldType::Int),
        strict("prices", FieldType::ObjectArray),
        // `custom_fields` is merged key by key in `prepare`.
        strict("billing_frequency", FieldType::Enum(BILLING_FREQUENCIES)),
        field("billing_frequency_cycles", FieldType::Int),
    ];
    const REQUIRED: &'static [&'static str] = &["name"];
    const CREATE_STATUS: u16 = 201;
    const DELETE: DeleteStyle = DeleteStyle::Soft {
        field: "is_deleted",
        value: true,
    };

    fn base_slots(ds: &Dataset) -> u64 {
        ds.counts.products
    }

    fn generate(ds: &Dataset, id: u64) -> Option<Record> {
        Some(base_record(ds, id))
    }

    fn fast_keys(ds: &Dataset, id: u64) -> Option<Keys> {
        let d = Draw::new(ds.seed, Stream::Product, id);
        let (add, update) = times(ds, id);
        Some(super::keys_from::<Self>(&[
            (
                "owner_id",
                Some(1 + d.below(A_OWNER, ds.counts.users) as i64),
            ),
            ("is_deleted", Some(0)),
            ("add_time", Some(add)),
            ("update_time", Some(update)),
        ]))
    }

    fn is_listed(k: &Keys) -> bool {
        k.get(1) != Some(1)
    }

    fn blank(ds: &Dataset) -> Record {
        let record = json!({
            "name": null, "code": null, "unit": null, "tax": 0, "is_deleted": false,
            "is_linkable": true, "visible_to": 3, "owner_id": 1, "description": null,
            "category": null,
            "custom_fields": custom_values::object(&ds.product_fields, &[]),
            "billing_frequency": "one-time", "billing_frequency_cycles": null, "prices": [],
        });
        match record {
            Value::Object(map) => map,
            _ => Record::new(),
        }
    }

    fn set_id(_ds: &Dataset, record: &mut Record, id: u64) {
        record.insert("id".to_string(), json!(id));
        if let Some(Value::Array(prices)) = record.get_mut("prices") {
            for p in prices.iter_mut().filter_map(Value::as_object_mut) {
                p.insert("product_id".to_string(), json!(id));
            }
        }
    }

    fn prepare(
        ds: &Dataset,
        record: &mut Record,
        body: &Record,
        _created: bool,
    ) -> Result<(), ApiError> {
        if let Some(u) = record.get("owner_id").and_then(Value::as_u64) {
            if !user_exists(ds, u) {
                return Err(missing_link("owner_id", "User", u));
            }
        }
        if let Some(c) = body.get("category").filter(|c| !c.is_null()) {
            record.insert(
                "category".to_string(),
                json!(c.to_string().trim_matches('"')),
            );
        }
        if let Some(prices) = body.get("prices").and_then(Value::as_array) {
            let product_id = record.get("id").cloned().unwrap_or(Value::Null);
            let mut out = Vec::with_capacity(prices.len());
            for p in prices {
                let price = p.get("price").filter(|v| v.is_number());
                let currency = p.get("currency").and_then(Value::as_str);
                let (Some(price), Some(currency)) = (price, currency) else {
                    return Err(invalid_field(
                        "prices",
                        "Each price needs a numeric price and a currency",
                    ));
                };
                out.push(json!({
                    "product_id": product_id, "price": price, "currency": currency,
                    "cost": p.get("cost").filter(|v| v.is_number()).cloned().unwrap_or(json!(0)),
                    "direct_cost": p.get("direct_cost").filter(|v| v.is_number()).cloned(),
                    "notes": p.get("notes").and_then(Value::as_str).unwrap_or(""),
                }));
            }
            record.insert("prices".to_string(), Value::Array(out));
        }
        if let Some(custom) = body.get("custom_fields") {
            let mut values =
                custom_values::from_object(&ds.product_fields, record.get("custom_fields"));
            custom_values::apply(ds, &ds.product_fields, custom, &mut values)
                .map_err(|(f, p)| invalid_field(&f, &p))?;
            record.insert(
                "custom_fields".to_string(),
                custom_values::object(&ds.product_fields, &values),
            );
        }
        Ok(())
    }
}

/// Whether product `id` exists (and is not deleted).
pub(crate) fn product_exists(ds: &Dataset, id: u64) -> bool {
    super::store::RecordReader::<Products>::new(ds)
        .keys(id)
        .is_some_and(|k| Products::is_listed(&k))
}

/// The current name of product `id`.
pub(crate) fn current_name(ds: &Dataset, id: u64) -> Option<String> {
    super::store::RecordReader::<Products>::new(ds)
        .record(id)
        .and_then(|r| r.get("name").and_then(Value::as_str).map(str::to_string))
}
