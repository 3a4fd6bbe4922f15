//! Column values -> the JSON of a request body: each column's value goes
//! where the write metadata says (a field, a nested field, an id array,
//! the primary email, a custom field), enum and set options by label or id.

use crate::diag::{OdbcError, Result, SqlState};
use crate::model::writable::WriteTarget;
use crate::model::{CustomRoot, CustomShape};
use crate::value::Value;
use serde_json::{Map, Value as Json};
use std::collections::HashMap;

/// A value already converted to its column's type, as JSON.
fn scalar(value: &Value, column: &str) -> Result<Json> {
    Ok(match value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => Json::from(*i),
        Value::Double(d) => serde_json::Number::from_f64(*d)
            .map(Json::Number)
            .ok_or_else(|| {
                OdbcError::new(
                    SqlState::NumericOutOfRange,
                    format!("Column '{column}': {d} is not a number Pipedrive can store"),
                )
            })?,
        Value::Text(s) => Json::String(s.clone()),
        Value::Date(d) => Json::String(d.to_string()),
        Value::Time(t) => Json::String(t.to_string()),
        // Pipedrive's time fields take `YYYY-MM-DD HH:MM:SS` (UTC); it keeps
        // no fractions of a second.
        Value::Timestamp(t) => Json::String(format!("{} {}", t.date, t.time)),
    })
}

/// `1,2, 3` -> `[1,2,3]`; ids that are not integers (lead label UUIDs)
/// stay strings. NULL and the empty string clear the list.
fn id_list(value: &Value, column: &str) -> Result<Json> {
    let text = match value {
        Value::Null => return Ok(Json::Array(Vec::new())),
        Value::Int(i) => return Ok(Json::Array(vec![Json::from(*i)])),
        other => other.to_text().unwrap_or_default(),
    };
    let mut ids = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match part.parse::<i64>() {
            Ok(n) => ids.push(Json::from(n)),
            Err(_) if part.chars().all(|c| c.is_ascii_hexdigit() || c == '-') => {
                ids.push(Json::String(part.to_string()))
            }
            Err(_) => {
                return Err(OdbcError::new(
                    SqlState::InvalidCharacterValueForCast,
                    format!(
                        "Column '{column}' takes ids separated by commas; '{part}' is not an id"
                    ),
                ))
            }
        }
    }
    Ok(Json::Array(ids))
}

/// An option id from a label or an id, for enum and set columns.
fn option_id(labels: &HashMap<String, String>, given: &str, column: &str) -> Result<Json> {
    let given = given.trim();
    let id = if labels.contains_key(given) {
        Some(given.to_string())
    } else {
        labels
            .iter()
            .find(|(_, label)| label.as_str() == given)
            .or_else(|| {
                labels
                    .iter()
                    .find(|(_, label)| label.eq_ignore_ascii_case(given))
            })
            .map(|(id, _)| id.clone())
    };
    match id {
        Some(id) => Ok(id
            .parse::<i64>()
            .map(Json::from)
            .unwrap_or(Json::String(id))),
        None => {
            let mut known: Vec<&str> = labels.values().map(String::as_str).collect();
            known.sort_unstable();
            Err(OdbcError::new(
                SqlState::InvalidCharacterValueForCast,
                format!(
                    "'{given}' is not an option of column '{column}' (options: {})",
                    known.join(", ")
                ),
            ))
        }
    }
}

/// A body being built: fields set by the statement's columns.
#[derive(Debug, Default)]
pub struct BodyBuilder {
    body: Map<String, Json>,
}

/// The object under `key`, created (or replacing a scalar set by another
/// column of the same statement) when missing.
fn object_at<'m>(map: &'m mut Map<String, Json>, key: &str) -> Result<&'m mut Map<String, Json>> {
    let slot = map
        .entry(key.to_string())
        .or_insert_with(|| Json::Object(Map::new()));
    if !slot.is_object() {
        *slot = Json::Object(Map::new());
    }
    slot.as_object_mut().ok_or_else(|| {
        OdbcError::general(format!(
            "internal error: body field '{key}' is not an object"
        ))
    })
}

impl BodyBuilder {
    pub fn into_json(self) -> Json {
        Json::Object(self.body)
    }

    /// Puts `value` (already of the column's type) where `target` says.
    pub fn set(&mut self, target: &WriteTarget, column: &str, value: &Value) -> Result<()> {
        match target {
            WriteTarget::Field(path) => {
                let Some((last, parents)) = path.split_last() else {
                    return Ok(());
                };
                let mut map = &mut self.body;
                for p in parents {
                    map = object_at(map, p)?;
                }
                map.insert(last.clone(), scalar(value, column)?);
            }
            WriteTarget::IdList(field) => {
                self.body.insert(field.clone(), id_list(value, column)?);
            }
            WriteTarget::Primary(field) => {
                let entries = match value {
                    Value::Null => Vec::new(),
                    v => vec![serde_json::json!({
                        "value": v.to_text().unwrap_or_default(),
                        "primary": true,
                        "label": "work",
                    })],
                };
                self.body.insert(field.clone(), Json::Array(entries));
            }
            WriteTarget::Custom { key, root, shape } => {
                self.set_custom(key, *root, shape, column, value)?;
            }
        }
        Ok(())
    }

    fn set_custom(
        &mut self,
        key: &str,
        root: CustomRoot,
        shape: &CustomShape,
        column: &str,
        value: &Value,
    ) -> Result<()> {
        let json = match (shape, value) {
            (_, Value::Null) => Json::Null,
            (CustomShape::Enum(labels), v) => {
                option_id(labels, &v.to_text().unwrap_or_default(), column)?
            }
            (CustomShape::Set(labels), v) => {
                let text = v.to_text().unwrap_or_default();
                let ids = text
                    .split(',')
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(|p| option_id(labels, p, column))
                    .collect::<Result<Vec<_>>>()?;
                Json::Array(ids)
            }
            (CustomShape::MonetaryAmount | CustomShape::MonetaryCurrency, v) => {
                let part = if matches!(shape, CustomShape::MonetaryAmount) {
                    "value"
                } else {
                    "currency"
                };
                return self.set_monetary(key, root, part, scalar(v, column)?);
            }
            (_, v) => scalar(v, column)?,
        };
        let map = match root {
            CustomRoot::CustomFieldsObject => object_at(&mut self.body, "custom_fields")?,
            CustomRoot::TopLevel => &mut self.body,
        };
        map.insert(key.to_string(), json);
        Ok(())
    }

    /// v2 keeps a monetary field as `{value, currency}`; v1 as the amount
    /// under the key and the currency under `<key>_currency`.
    fn set_monetary(&mut self, key: &str, root: CustomRoot, part: &str, json: Json) -> Result<()> {
        match root {
            CustomRoot::CustomFieldsObject => {
                let fields = object_at(&mut self.body, "custom_fields")?;
                if json.is_null() && part == "value" {
                    fields.insert(key.to_string(), Json::Null);
                } else {
                    object_at(fields, key)?.insert(part.to_string(), json);
                }
            }
            CustomRoot::TopLevel => {
                let name = if part == "value" {
                    key.to_string()
                } else {
                    format!("{key}_currency")
                };
                self.body.insert(name, json);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn labels() -> Arc<HashMap<String, String>> {
        Arc::new(HashMap::from([
            ("11".to_string(), "Gold".to_string()),
            ("12".to_string(), "Silver".to_string()),
        ]))
    }

    #[test]
    fn nested_fields_and_id_lists() {
        let mut b = BodyBuilder::default();
        b.set(
            &WriteTarget::Field(vec!["value".into(), "amount".into()]),
            "ValueAmount",
            &Value::Double(12.5),
        )
        .unwrap();
        b.set(
            &WriteTarget::Field(vec!["value".into(), "currency".into()]),
            "ValueCurrency",
            &Value::Text("EUR".into()),
        )
        .unwrap();
        b.set(
            &WriteTarget::IdList("label_ids".into()),
            "LabelIds",
            &Value::Text("1, 3".into()),
        )
        .unwrap();
        assert_eq!(
            b.into_json(),
            serde_json::json!({"value": {"amount": 12.5, "currency": "EUR"}, "label_ids": [1, 3]})
        );
        let err = id_list(&Value::Text("1,x y".into()), "LabelIds").unwrap_err();
        assert_eq!(err.state, SqlState::InvalidCharacterValueForCast);
    }

    #[test]
    fn enum_and_set_options_by_label_or_id() {
        let mut b = BodyBuilder::default();
        let tier = WriteTarget::Custom {
            key: "abc".into(),
            root: CustomRoot::CustomFieldsObject,
            shape: CustomShape::Enum(labels()),
        };
        b.set(&tier, "Tier", &Value::Text("gold".into())).unwrap();
        let set = WriteTarget::Custom {
            key: "def".into(),
            root: CustomRoot::CustomFieldsObject,
            shape: CustomShape::Set(labels()),
        };
        b.set(&set, "Tags", &Value::Text("Silver,11".into()))
            .unwrap();
        assert_eq!(
            b.into_json(),
            serde_json::json!({"custom_fields": {"abc": 11, "def": [12, 11]}})
        );
        let err = BodyBuilder::default()
            .set(&tier, "Tier", &Value::Text("Bronze".into()))
            .unwrap_err();
        assert_eq!(err.state, SqlState::InvalidCharacterValueForCast);
        assert!(err.message.contains("Gold, Silver"), "{}", err.message);
    }

    #[test]
    fn monetary_parts_merge_and_primary_email_is_an_array() {
        let mut b = BodyBuilder::default();
        let amount = WriteTarget::Custom {
            key: "m".into(),
            root: CustomRoot::CustomFieldsObject,
            shape: CustomShape::MonetaryAmount,
        };
        let currency = WriteTarget::Custom {
            key: "m".into(),
            root: CustomRoot::CustomFieldsObject,
            shape: CustomShape::MonetaryCurrency,
        };
        b.set(&amount, "M", &Value::Double(5.0)).unwrap();
        b.set(&currency, "MCurrency", &Value::Text("USD".into()))
            .unwrap();
        b.set(
            &WriteTarget::Primary("emails".into()),
            "PrimaryEmail",
            &Value::Text("a@b.c".into()),
        )
        .unwrap();
        assert_eq!(
            b.into_json(),
            serde_json::json!({
                "custom_fields": {"m": {"value": 5.0, "currency": "USD"}},
                "emails": [{"value": "a@b.c", "primary": true, "label": "work"}],
            })
        );
    }
}
