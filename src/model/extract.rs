//! API JSON -> SQL values, by the column's declared type.

use super::{ColumnDef, CustomRoot, RowShape, Source, TableDef};
use crate::types::DataType;
use crate::value::{Date, Time, Timestamp, Value};
use serde_json::Value as Json;

fn at_path<'a>(record: &'a Json, path: &[String]) -> Option<&'a Json> {
    path.iter().try_fold(record, |node, key| node.get(key))
}

/// Converts one JSON scalar to the column type. Values of the wrong JSON type
/// are converted where SQL would (numbers in strings), NULL otherwise.
pub fn json_to_value(json: &Json, data_type: DataType) -> Value {
    match (json, data_type) {
        (Json::Null, _) => Value::Null,
        (Json::Bool(b), DataType::Bit) => Value::Bool(*b),
        (Json::Bool(b), DataType::SmallInt | DataType::Integer | DataType::BigInt) => {
            Value::Int(i64::from(*b))
        }
        (Json::Number(n), DataType::SmallInt | DataType::Integer | DataType::BigInt) => {
            match n.as_i64() {
                Some(i) => Value::Int(i),
                None => n
                    .as_f64()
                    .map(|f| Value::Int(f as i64))
                    .unwrap_or(Value::Null),
            }
        }
        (Json::Number(n), DataType::Double) => n.as_f64().map(Value::Double).unwrap_or(Value::Null),
        (Json::Number(n), DataType::Bit) => Value::Bool(n.as_f64().is_some_and(|f| f != 0.0)),
        (Json::String(s), _) => text_to_value(s, data_type),
        (Json::Number(n), DataType::WVarchar(_) | DataType::WLongVarchar) => {
            Value::Text(n.to_string())
        }
        (Json::Bool(b), DataType::WVarchar(_) | DataType::WLongVarchar) => {
            Value::Text(b.to_string())
        }
        (
            other @ (Json::Array(_) | Json::Object(_)),
            DataType::WVarchar(_) | DataType::WLongVarchar,
        ) => Value::Text(other.to_string()),
        _ => Value::Null,
    }
}

/// Converts a JSON string to the column type (the string arm of
/// [`json_to_value`], shared with the page decoder, which sees strings
/// without a `Json` around them).
pub(super) fn text_to_value(s: &str, data_type: DataType) -> Value {
    match data_type {
        DataType::SmallInt | DataType::Integer | DataType::BigInt => {
            s.trim().parse().map(Value::Int).unwrap_or(Value::Null)
        }
        DataType::Double => s.trim().parse().map(Value::Double).unwrap_or(Value::Null),
        DataType::Bit => match s {
            "1" | "true" => Value::Bool(true),
            "0" | "false" => Value::Bool(false),
            _ => Value::Null,
        },
        DataType::Timestamp => Timestamp::parse(s)
            .map(Value::Timestamp)
            .unwrap_or(Value::Null),
        DataType::Date => Date::parse(s.get(0..10).unwrap_or(s))
            .map(Value::Date)
            .unwrap_or(Value::Null),
        DataType::Time => Time::parse(s).map(Value::Time).unwrap_or(Value::Null),
        DataType::WVarchar(_) | DataType::WLongVarchar => Value::Text(s.to_string()),
    }
}

/// The part of a record one row is built from: the record itself, or one
/// element (or map entry) inside it.
struct RowContext<'a> {
    record: &'a Json,
    element: Option<&'a Json>,
    entry_key: Option<&'a str>,
    /// The parameters of the request the record came from.
    inputs: &'a [(String, String)],
}

/// The value at a row shape's field: a key, or a dotted path of keys
/// (`totals.values`). (`Source::JoinedArray` keys are dotted the same way.)
fn shape_field<'a>(record: &'a Json, field: &str) -> Option<&'a Json> {
    field.split('.').try_fold(record, |node, key| node.get(key))
}

fn extract(record: &Json, column: &ColumnDef) -> Value {
    extract_in(
        &RowContext {
            record,
            element: None,
            entry_key: None,
            inputs: &[],
        },
        column,
    )
}

fn extract_in(ctx: &RowContext, column: &ColumnDef) -> Value {
    let record = ctx.record;
    match &column.source {
        Source::Element(path) => ctx
            .element
            .and_then(|e| at_path(e, path))
            .map(|j| json_to_value(j, column.data_type))
            .unwrap_or(Value::Null),
        Source::EntryKey => ctx
            .entry_key
            .map(|k| Value::Text(k.to_string()))
            .unwrap_or(Value::Null),
        Source::SiblingEntry(path) => ctx
            .entry_key
            .and_then(|k| at_path(record, path).and_then(|map| map.get(k)))
            .map(|j| json_to_value(j, column.data_type))
            .unwrap_or(Value::Null),
        Source::Input(name) => input_value(ctx.inputs, name, column.data_type),
        source => match record_field(source) {
            Some(key) => value_from_field(column, record.get(key)),
            // An empty path: the record itself.
            None => json_to_value(record, column.data_type),
        },
    }
}

/// A `Source::Input` column's value: the request parameter `name`.
pub(super) fn input_value(inputs: &[(String, String)], name: &str, data_type: DataType) -> Value {
    inputs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| text_to_value(v, data_type))
        .unwrap_or(Value::Null)
}

/// The top-level field of the record a column reads, for the sources that
/// read one field of the record (`None` for the others, and for an empty
/// path, which reads the whole record).
pub(super) fn record_field(source: &Source) -> Option<&str> {
    match source {
        Source::Path(path) => path.first().map(String::as_str),
        Source::JoinedArray(key) => key.split('.').next(),
        Source::PrimaryValue(key) | Source::ArrayLength(key) => Some(key),
        Source::Custom {
            key,
            root: CustomRoot::TopLevel,
            ..
        } => Some(key),
        Source::Custom {
            root: CustomRoot::CustomFieldsObject,
            ..
        } => Some("custom_fields"),
        Source::Element(_) | Source::EntryKey | Source::SiblingEntry(_) | Source::Input(_) => None,
    }
}

/// A column's value from the record's field named by [`record_field`]
/// (`None` when the record has no such field: NULL, for every source).
pub(super) fn value_from_field(column: &ColumnDef, field: Option<&Json>) -> Value {
    let Some(field) = field else {
        return Value::Null;
    };
    match &column.source {
        Source::Path(path) => at_path(field, path.get(1..).unwrap_or_default())
            .map(|j| json_to_value(j, column.data_type))
            .unwrap_or(Value::Null),
        Source::JoinedArray(key) => match key.split('.').skip(1).try_fold(field, |n, k| n.get(k)) {
            Some(Json::Array(items)) if !items.is_empty() => Value::Text(
                items
                    .iter()
                    .map(|i| match i {
                        Json::String(s) => s.clone(),
                        other => other.to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join(","),
            ),
            _ => Value::Null,
        },
        Source::PrimaryValue(_) => match field {
            Json::Array(items) => items
                .iter()
                .find(|i| i.get("primary").and_then(Json::as_bool) == Some(true))
                .or_else(|| items.first())
                .and_then(|i| i.get("value"))
                .map(|v| json_to_value(v, column.data_type))
                .unwrap_or(Value::Null),
            _ => Value::Null,
        },
        Source::ArrayLength(_) => match field {
            Json::Array(items) => Value::Int(items.len() as i64),
            _ => Value::Null,
        },
        Source::Custom { key, root, shape } => {
            let raw = match root {
                CustomRoot::TopLevel => Some(field),
                CustomRoot::CustomFieldsObject => field.get(key),
            };
            super::custom_fields::custom_value(raw, shape, column.data_type)
        }
        // These do not read the record.
        Source::Element(_) | Source::EntryKey | Source::SiblingEntry(_) | Source::Input(_) => {
            Value::Null
        }
    }
}

/// The rows a page of records gives, by the table's row shape.
pub fn rows_from_records(records: &[Json], table: &TableDef) -> Vec<Vec<Value>> {
    rows_from_records_with(records, table, &[])
}

/// The rows a page of records gives, `Source::Input` columns reading the
/// parameters of the request that fetched them.
pub fn rows_from_records_with(
    records: &[Json],
    table: &TableDef,
    inputs: &[(String, String)],
) -> Vec<Vec<Value>> {
    let row = |ctx: &RowContext| {
        table
            .columns
            .iter()
            .map(|c| extract_in(ctx, c))
            .collect::<Vec<_>>()
    };
    let mut rows = Vec::new();
    for record in records {
        match table.row_shape {
            RowShape::PerRecord => rows.push(row(&RowContext {
                record,
                element: None,
                entry_key: None,
                inputs,
            })),
            RowShape::PerArrayElement(field) => {
                if let Some(Json::Array(items)) = shape_field(record, field) {
                    rows.extend(items.iter().map(|e| {
                        row(&RowContext {
                            record,
                            element: Some(e),
                            entry_key: None,
                            inputs,
                        })
                    }));
                }
            }
            RowShape::PerMapEntry(field) => {
                if let Some(Json::Object(entries)) = shape_field(record, field) {
                    rows.extend(entries.iter().map(|(k, v)| {
                        row(&RowContext {
                            record,
                            element: Some(v),
                            entry_key: Some(k),
                            inputs,
                        })
                    }));
                }
            }
        }
    }
    rows
}

/// One API record as a row of the table's columns.
pub fn row_from_json(record: &Json, columns: &[ColumnDef]) -> Vec<Value> {
    columns.iter().map(|c| extract(record, c)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn col(source: Source, data_type: DataType) -> ColumnDef {
        ColumnDef {
            name: "X".into(),
            source,
            data_type,
            nullable: true,
            description: String::new(),
        }
    }

    #[test]
    fn scalars_convert_by_declared_type() {
        assert_eq!(json_to_value(&json!(5), DataType::Integer), Value::Int(5));
        assert_eq!(json_to_value(&json!("7"), DataType::Integer), Value::Int(7));
        assert_eq!(
            json_to_value(&json!(1.5), DataType::Double),
            Value::Double(1.5)
        );
        assert_eq!(
            json_to_value(&json!(true), DataType::Bit),
            Value::Bool(true)
        );
        assert_eq!(json_to_value(&json!(null), DataType::Bit), Value::Null);
        let ts = json_to_value(&json!("2025-01-02T03:04:05Z"), DataType::Timestamp);
        assert_eq!(
            ts,
            Value::Timestamp(Timestamp::parse("2025-01-02 03:04:05").unwrap())
        );
        assert_eq!(
            json_to_value(&json!("2025-01-02"), DataType::Date),
            Value::Date(Date::new(2025, 1, 2).unwrap())
        );
    }

    #[test]
    fn array_elements_and_map_entries_become_rows() {
        let mut table = crate::model::Schema::builtin()
            .table("DealFields")
            .unwrap()
            .as_ref()
            .clone();
        table.row_shape = RowShape::PerArrayElement("options");
        table.columns = vec![
            col(Source::field("field_code"), DataType::WVarchar(64)),
            col(
                Source::Element(vec!["label".into()]),
                DataType::WVarchar(64),
            ),
        ];
        let records = vec![
            json!({"field_code": "a", "options": [{"label": "x"}, {"label": "y"}]}),
            json!({"field_code": "b", "options": []}),
        ];
        let rows = rows_from_records(&records, &table);
        assert_eq!(
            rows,
            vec![
                vec![Value::Text("a".into()), Value::Text("x".into())],
                vec![Value::Text("a".into()), Value::Text("y".into())]
            ]
        );

        table.row_shape = RowShape::PerMapEntry("totals");
        table.columns = vec![
            col(Source::EntryKey, DataType::WVarchar(3)),
            col(Source::Element(vec!["count".into()]), DataType::Integer),
        ];
        let rows = rows_from_records(
            &[json!({"totals": {"EUR": {"count": 2}, "USD": {"count": 5}}})],
            &table,
        );
        assert_eq!(
            rows,
            vec![
                vec![Value::Text("EUR".into()), Value::Int(2)],
                vec![Value::Text("USD".into()), Value::Int(5)]
            ]
        );
    }

    #[test]
    fn nested_arrays_and_primaries() {
        let rec = json!({"address": {"country": "Eesti"}, "label_ids": [3, 5], "emails": [
            {"value": "a@x", "primary": false}, {"value": "b@x", "primary": true}], "options": [1, 2, 3]});
        let cols = [
            col(
                Source::Path(vec!["address".into(), "country".into()]),
                DataType::WVarchar(255),
            ),
            col(
                Source::JoinedArray("label_ids".into()),
                DataType::WVarchar(255),
            ),
            col(
                Source::PrimaryValue("emails".into()),
                DataType::WVarchar(255),
            ),
            col(Source::ArrayLength("options".into()), DataType::Integer),
            col(Source::field("missing"), DataType::Integer),
        ];
        let row = row_from_json(&rec, &cols);
        assert_eq!(
            row,
            vec![
                Value::Text("Eesti".into()),
                Value::Text("3,5".into()),
                Value::Text("b@x".into()),
                Value::Int(3),
                Value::Null
            ]
        );
    }
}
