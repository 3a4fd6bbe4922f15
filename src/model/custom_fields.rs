//! Custom fields as columns: discovered per connection from the `*Fields`
//! endpoints, named from their display names, typed by field type.

use super::{ColumnDef, Source, TableDef};
use crate::types::DataType;
use serde_json::Value as Json;
use std::collections::HashMap;
use std::sync::Arc;

/// How a custom field's stored value becomes a column value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CustomShape {
    /// The value itself, converted to the column type.
    Scalar,
    /// `value` of a monetary `{value, currency}` object.
    MonetaryAmount,
    /// `currency` of a monetary object.
    MonetaryCurrency,
    /// An option id, shown as its label.
    Enum(Arc<HashMap<String, String>>),
    /// Option ids (an array or a comma list), shown as labels joined by ",".
    Set(Arc<HashMap<String, String>>),
    /// An id, possibly wrapped in an object (`{"id": 5}` / `{"value": 5}`).
    Reference,
    /// Anything else: the `value` of an object, or the JSON text.
    Text,
}

/// Where the entity's records keep custom values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomRoot {
    /// API v2: `record.custom_fields[key]`.
    CustomFieldsObject,
    /// API v1: `record[key]`.
    TopLevel,
}

/// `Deal Tier` -> `DealTier`: words of letters and digits, each capitalized.
pub fn column_name_from_display_name(display: &str) -> String {
    display
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().collect::<String>() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

fn option_labels(field: &Json) -> Arc<HashMap<String, String>> {
    let mut labels = HashMap::new();
    if let Some(Json::Array(options)) = field.get("options") {
        for o in options {
            let id = match o.get("id") {
                Some(Json::Number(n)) => n.to_string(),
                Some(Json::String(s)) => s.clone(),
                _ => continue,
            };
            if let Some(label) = o.get("label").and_then(Json::as_str) {
                labels.insert(id, label.to_string());
            }
        }
    }
    Arc::new(labels)
}

/// The columns a field definition adds: (name suffix, type, shape).
fn columns_for(field_type: &str, field: &Json) -> Vec<(&'static str, DataType, CustomShape)> {
    match field_type {
        "varchar" | "varchar_auto" | "phone" => {
            vec![("", DataType::WVarchar(255), CustomShape::Scalar)]
        }
        "text" => vec![("", DataType::WLongVarchar, CustomShape::Scalar)],
        "double" => vec![("", DataType::Double, CustomShape::Scalar)],
        "int" => vec![("", DataType::BigInt, CustomShape::Scalar)],
        "monetary" => vec![
            ("", DataType::Double, CustomShape::MonetaryAmount),
            (
                "Currency",
                DataType::WVarchar(3),
                CustomShape::MonetaryCurrency,
            ),
        ],
        "date" => vec![("", DataType::Date, CustomShape::Scalar)],
        "time" => vec![("", DataType::Time, CustomShape::Scalar)],
        "enum" => vec![(
            "",
            DataType::WVarchar(255),
            CustomShape::Enum(option_labels(field)),
        )],
        "set" => vec![(
            "",
            DataType::WVarchar(4000),
            CustomShape::Set(option_labels(field)),
        )],
        "user" | "org" | "people" | "visible_to" => {
            vec![("", DataType::Integer, CustomShape::Reference)]
        }
        _ => vec![("", DataType::WVarchar(4000), CustomShape::Text)],
    }
}

/// The table with a column per custom field (v2 field definitions).
/// Names that collide, or that strip to nothing, get `_` and the first six
/// characters of the field key.
pub fn with_custom_columns(base: &TableDef, fields: &[Json], root: CustomRoot) -> TableDef {
    let mut table = base.clone();
    for field in fields {
        let custom = field
            .get("is_custom_field")
            .and_then(Json::as_bool)
            .unwrap_or(false);
        let Some(key) = field
            .get("field_code")
            .or_else(|| field.get("key"))
            .and_then(Json::as_str)
        else {
            continue;
        };
        if !custom {
            continue;
        }
        let display = field
            .get("field_name")
            .or_else(|| field.get("name"))
            .and_then(Json::as_str)
            .unwrap_or(key);
        let field_type = field
            .get("field_type")
            .and_then(Json::as_str)
            .unwrap_or("varchar");
        let key_prefix: String = key.chars().take(6).collect();
        let base_name = column_name_from_display_name(display);
        for (suffix, data_type, shape) in columns_for(field_type, field) {
            let mut name = format!("{base_name}{suffix}");
            if base_name.is_empty() || table.column_index(&name).is_some() {
                name = format!("{base_name}{suffix}_{key_prefix}");
            }
            let description = format!("Custom field '{display}' ({field_type}, key {key})");
            table.columns.push(ColumnDef {
                name,
                source: Source::Custom {
                    key: key.to_string(),
                    root,
                    shape,
                },
                data_type,
                nullable: true,
                description,
            });
        }
    }
    table
}

/// A custom field's column value from the field's stored value (`None` when
/// the record has none).
pub(super) fn custom_value(
    raw: Option<&Json>,
    shape: &CustomShape,
    data_type: DataType,
) -> crate::value::Value {
    use crate::value::Value;
    let Some(raw) = raw.filter(|r| !r.is_null()) else {
        return Value::Null;
    };
    let id_text = |j: &Json| match j {
        Json::Number(n) => Some(n.to_string()),
        Json::String(s) => Some(s.clone()),
        Json::Object(o) => o.get("id").and_then(|i| i.as_i64()).map(|i| i.to_string()),
        _ => None,
    };
    match shape {
        CustomShape::Scalar => super::json_to_value(raw, data_type),
        CustomShape::MonetaryAmount => {
            super::json_to_value(raw.get("value").unwrap_or(raw), data_type)
        }
        CustomShape::MonetaryCurrency => raw
            .get("currency")
            .map(|c| super::json_to_value(c, data_type))
            .unwrap_or(Value::Null),
        CustomShape::Enum(labels) => match id_text(raw) {
            Some(id) => Value::Text(labels.get(&id).cloned().unwrap_or(id)),
            None => Value::Null,
        },
        CustomShape::Set(labels) => {
            let ids: Vec<String> = match raw {
                Json::Array(items) => items.iter().filter_map(id_text).collect(),
                Json::String(s) => s
                    .split(',')
                    .map(|p| p.trim().to_string())
                    .filter(|p| !p.is_empty())
                    .collect(),
                other => id_text(other).into_iter().collect(),
            };
            if ids.is_empty() {
                return Value::Null;
            }
            Value::Text(
                ids.iter()
                    .map(|id| labels.get(id).cloned().unwrap_or_else(|| id.clone()))
                    .collect::<Vec<_>>()
                    .join(","),
            )
        }
        CustomShape::Reference => {
            let inner = match raw {
                Json::Object(o) => o
                    .get("id")
                    .or_else(|| o.get("value"))
                    .unwrap_or(&Json::Null),
                other => other,
            };
            super::json_to_value(inner, data_type)
        }
        CustomShape::Text => match raw {
            Json::Object(o) => o
                .get("value")
                .map(|v| super::json_to_value(v, data_type))
                .unwrap_or_else(|| Value::Text(raw.to_string())),
            other => super::json_to_value(other, data_type),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Schema;
    use crate::value::Value;
    use serde_json::json;

    #[test]
    fn display_names_become_pascal_case() {
        assert_eq!(column_name_from_display_name("Deal Tier"), "DealTier");
        assert_eq!(column_name_from_display_name("Discount %"), "Discount");
        assert_eq!(
            column_name_from_display_name("größe des kontos"),
            "GrößeDesKontos"
        );
        assert_eq!(column_name_from_display_name("🔥"), "");
    }

    fn fields() -> Vec<Json> {
        vec![
            json!({"field_code": "title", "field_name": "Title", "field_type": "varchar", "is_custom_field": false}),
            json!({"field_code": "aaaaaa1111", "field_name": "Deal Tier", "field_type": "enum", "is_custom_field": true, "options": [{"id": 1, "label": "Gold"}, {"id": 2, "label": "Silver"}]}),
            json!({"field_code": "bbbbbb2222", "field_name": "Contract value", "field_type": "monetary", "is_custom_field": true}),
            json!({"field_code": "cccccc3333", "field_name": "Title", "field_type": "varchar", "is_custom_field": true}),
            json!({"field_code": "dddddd4444", "field_name": "Products", "field_type": "set", "is_custom_field": true, "options": [{"id": 7, "label": "CRM"}, {"id": 8, "label": "BI"}]}),
            json!({"field_code": "eeeeee5555", "field_name": "!!", "field_type": "double", "is_custom_field": true}),
        ]
    }

    #[test]
    fn custom_columns_are_named_typed_and_deduplicated() {
        let schema = Schema::builtin();
        let deals = schema.table("Deals").unwrap();
        let t = with_custom_columns(deals, &fields(), CustomRoot::CustomFieldsObject);
        let added: Vec<(&str, DataType)> = t.columns[deals.columns.len()..]
            .iter()
            .map(|c| (c.name.as_str(), c.data_type))
            .collect();
        assert_eq!(
            added,
            vec![
                ("DealTier", DataType::WVarchar(255)),
                ("ContractValue", DataType::Double),
                ("ContractValueCurrency", DataType::WVarchar(3)),
                ("Title_cccccc", DataType::WVarchar(255)),
                ("Products", DataType::WVarchar(4000)),
                ("_eeeeee", DataType::Double),
            ]
        );
    }

    #[test]
    fn values_are_mapped_to_labels_and_parts() {
        let schema = Schema::builtin();
        let deals = schema.table("Deals").unwrap();
        let t = with_custom_columns(deals, &fields(), CustomRoot::CustomFieldsObject);
        let record = json!({"id": 1, "custom_fields": {"aaaaaa1111": 2, "bbbbbb2222": {"value": 12.5, "currency": "EUR"}, "dddddd4444": [8, 7, 9]}});
        let row = crate::model::row_from_json(&record, &t.columns);
        let at = |name: &str| row[t.column_index(name).unwrap()].clone();
        assert_eq!(at("DealTier"), Value::Text("Silver".into()));
        assert_eq!(at("ContractValue"), Value::Double(12.5));
        assert_eq!(at("ContractValueCurrency"), Value::Text("EUR".into()));
        assert_eq!(at("Products"), Value::Text("BI,CRM,9".into()));
        assert_eq!(at("Title_cccccc"), Value::Null);
    }
}
