//! A few API records per table, generated from the table's column
//! definitions so that every built-in table (and every new one) has rows in
//! the shapes its extractor reads: nested paths, primary-value arrays,
//! joined arrays, per-element and per-map-entry rows.

use pipedrive_odbc::model::{RowShape, Source, TableDef};
use pipedrive_odbc::types::DataType;
use serde_json::{json, Map, Value as Json};

/// Records per table; ids 1..=RECORDS. The last one has NULL in every
/// other column, so NULL handling is always exercised.
pub const RECORDS: i64 = 3;

/// The records a list request of `table` returns (before any filter).
pub fn records_for(table: &TableDef) -> Vec<Json> {
    (1..=RECORDS).map(|i| record(table, i)).collect()
}

fn record(table: &TableDef, i: i64) -> Json {
    let mut record = Json::Object(Map::new());
    let mut element = Json::Object(Map::new());
    for (position, column) in table.columns.iter().enumerate() {
        let sparse = i == RECORDS && position % 2 == 1;
        let value = if sparse {
            Json::Null
        } else {
            sample(column.data_type, &column.name, i)
        };
        match &column.source {
            Source::Path(path) => insert_at(&mut record, path, value),
            Source::JoinedArray(key) => {
                insert_at(&mut record, &dotted(key), json!([i, i + 1]));
            }
            Source::PrimaryValue(key) => insert_at(
                &mut record,
                &[key.clone()],
                json!([
                    {"value": format!("other{i}@example.com"), "primary": false, "label": "home"},
                    {"value": value, "primary": true, "label": "work"}
                ]),
            ),
            Source::ArrayLength(key) => insert_at(&mut record, &[key.clone()], json!([1, 2])),
            Source::Element(path) => insert_at(&mut element, path, value),
            Source::SiblingEntry(path) => insert_at(
                &mut record,
                path,
                json!({"USD": i * 100, "EUR": Json::Null}),
            ),
            // Custom fields: none in the fuzzed schema. Entry keys and
            // request inputs do not come from the record.
            Source::Custom { .. } | Source::EntryKey | Source::Input(_) => {}
        }
    }
    match table.row_shape {
        RowShape::PerRecord => {}
        RowShape::PerArrayElement(field) => {
            let items = json!([element.clone(), element]);
            insert_at(&mut record, &dotted(field), items);
        }
        RowShape::PerMapEntry(field) => {
            let entries = json!({"USD": element.clone(), "EUR": element});
            insert_at(&mut record, &dotted(field), entries);
        }
    }
    record
}

fn dotted(field: &str) -> Vec<String> {
    field.split('.').map(str::to_string).collect()
}

/// A value of the column's type; ids and references are `i`, so joins on
/// foreign keys find their rows.
fn sample(data_type: DataType, name: &str, i: i64) -> Json {
    match data_type {
        DataType::Bit => json!(i % 2 == 1),
        DataType::SmallInt | DataType::Integer | DataType::BigInt => json!(i),
        DataType::Double => json!(i as f64 * 1.5),
        DataType::WVarchar(_) | DataType::WLongVarchar => json!(format!("{name} {i}")),
        DataType::Date => json!(format!("2025-0{i}-1{i}")),
        DataType::Time => json!(format!("1{i}:3{i}:00")),
        DataType::Timestamp => json!(format!("2025-0{i}-0{i}T10:0{i}:00Z")),
    }
}

/// Sets `value` at `path` below `root`, creating objects on the way (and
/// replacing a non-object that is in the way).
fn insert_at(root: &mut Json, path: &[String], value: Json) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut node = root;
    for key in parents {
        if !node.is_object() {
            *node = Json::Object(Map::new());
        }
        let Json::Object(map) = node else {
            return;
        };
        node = map
            .entry(key.clone())
            .or_insert_with(|| Json::Object(Map::new()));
    }
    if !node.is_object() {
        *node = Json::Object(Map::new());
    }
    if let Json::Object(map) = node {
        map.insert(last.clone(), value);
    }
}
