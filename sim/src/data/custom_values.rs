//! Custom field values as JSON, both ways: the v2 `custom_fields` object
//! records carry, and the values write bodies send (validated against the
//! field's definition).

use super::custom_fields::{CustomFieldDef, CustomType, FieldValue};
use super::Dataset;
use crate::time;
use serde_json::{json, Map, Value};
use std::borrow::Cow;

/// One value in the v2 shape (option ids, `{value, currency}` money).
pub(crate) fn to_json(value: &FieldValue) -> Value {
    match value {
        FieldValue::Null => Value::Null,
        FieldValue::Text(s) => json!(s),
        FieldValue::Number(x) => json!(x),
        FieldValue::Money { amount, currency } => json!({"value": amount, "currency": currency}),
        FieldValue::Date(day) => json!(time::date_string(*day)),
        FieldValue::Option(id) => json!(id),
        FieldValue::Options(ids) => json!(ids),
        FieldValue::User(id) => json!(id),
    }
}

/// The v2 `custom_fields` object: every field's key, `null` when unset.
pub(crate) fn object(defs: &[CustomFieldDef], values: &[FieldValue]) -> Value {
    let map: Map<String, Value> = defs
        .iter()
        .enumerate()
        .map(|(i, def)| {
            (
                def.key.clone(),
                values.get(i).map(to_json).unwrap_or(Value::Null),
            )
        })
        .collect();
    Value::Object(map)
}

/// Parses a v2 body value for `def`; the problem text on failure.
pub(crate) fn parse(ds: &Dataset, def: &CustomFieldDef, v: &Value) -> Result<FieldValue, String> {
    if v.is_null() {
        return Ok(FieldValue::Null);
    }
    let bad = || format!("Invalid value for a {} field", def.field_type.name());
    let option_ok = |id: u64| def.options.iter().any(|o| o.id == id);
    Ok(match def.field_type {
        CustomType::Varchar | CustomType::Text | CustomType::VarcharAuto | CustomType::Phone => {
            let s = v.as_str().ok_or_else(bad)?;
            if def.field_type == CustomType::Varchar && s.chars().count() > 255 {
                return Err("At most 255 characters are allowed".to_string());
            }
            FieldValue::Text(Cow::Owned(s.to_string()))
        }
        CustomType::Double => {
            FieldValue::Number(v.as_f64().filter(|_| v.is_number()).ok_or_else(bad)?)
        }
        CustomType::Monetary => {
            let amount = v.get("value").and_then(Value::as_f64).ok_or_else(bad)?;
            let currency = v.get("currency").and_then(Value::as_str).ok_or_else(bad)?;
            FieldValue::Money {
                amount,
                currency: Cow::Owned(currency.to_string()),
            }
        }
        CustomType::Date => {
            FieldValue::Date(v.as_str().and_then(time::parse_date).ok_or_else(bad)?)
        }
        CustomType::Enum => {
            let id = v.as_u64().filter(|&id| option_ok(id)).ok_or_else(bad)?;
            FieldValue::Option(id)
        }
        CustomType::Set => {
            let items = v.as_array().ok_or_else(bad)?;
            if items.is_empty() {
                // The spec: send null, not [], to clear a set.
                return Err("Use null to clear a set field".to_string());
            }
            let mut ids = items
                .iter()
                .map(|x| x.as_u64().filter(|&id| option_ok(id)))
                .collect::<Option<Vec<u64>>>()
                .ok_or_else(bad)?;
            ids.sort_unstable();
            ids.dedup();
            FieldValue::Options(ids)
        }
        CustomType::User => {
            let id = v
                .as_u64()
                .filter(|&u| ds.user_ids().contains(&u))
                .ok_or_else(bad)?;
            FieldValue::User(id)
        }
    })
}

/// Applies a body's `custom_fields` object to `values` (one per
/// definition); keys that name no field are refused.
pub(crate) fn apply(
    ds: &Dataset,
    defs: &[CustomFieldDef],
    body: &Value,
    values: &mut Vec<FieldValue>,
) -> Result<(), (String, String)> {
    let Some(map) = body.as_object() else {
        return Err(("custom_fields".to_string(), "Expected object".to_string()));
    };
    values.resize(defs.len(), FieldValue::Null);
    for (key, v) in map {
        let Some(index) = defs.iter().position(|d| &d.key == key) else {
            return Err((
                format!("custom_fields.{key}"),
                "Unknown custom field".to_string(),
            ));
        };
        values[index] =
            parse(ds, &defs[index], v).map_err(|p| (format!("custom_fields.{key}"), p))?;
    }
    Ok(())
}

/// The values of a v2 `custom_fields` object stored in a record, one per
/// definition (for record-shaped entities, which keep the JSON).
pub(crate) fn from_object(defs: &[CustomFieldDef], object: Option<&Value>) -> Vec<FieldValue> {
    defs.iter()
        .map(|def| {
            let v = object.and_then(|o| o.get(&def.key)).unwrap_or(&Value::Null);
            match (def.field_type, v) {
                (_, Value::Null) => FieldValue::Null,
                (CustomType::Monetary, v) => FieldValue::Money {
                    amount: v.get("value").and_then(Value::as_f64).unwrap_or(0.0),
                    currency: Cow::Owned(
                        v.get("currency")
                            .and_then(Value::as_str)
                            .unwrap_or("EUR")
                            .to_string(),
                    ),
                },
                (CustomType::Date, v) => v
                    .as_str()
                    .and_then(time::parse_date)
                    .map_or(FieldValue::Null, FieldValue::Date),
                (CustomType::Enum, v) => v.as_u64().map_or(FieldValue::Null, FieldValue::Option),
                (CustomType::Set, Value::Array(items)) => {
                    FieldValue::Options(items.iter().filter_map(Value::as_u64).collect())
                }
                (CustomType::User, v) => v.as_u64().map_or(FieldValue::Null, FieldValue::User),
                (CustomType::Double, v) => v.as_f64().map_or(FieldValue::Null, FieldValue::Number),
                (_, Value::String(s)) => FieldValue::Text(Cow::Owned(s.clone())),
                _ => FieldValue::Null,
            }
        })
        .collect()
}
