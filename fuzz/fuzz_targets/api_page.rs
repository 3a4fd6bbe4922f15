//! JSON decoding of API answers: list pages (seeded with the simulator's
//! answers, mutated by the fuzzer) turned into rows for every built-in
//! table, field definitions turned into custom-field columns, and error
//! bodies turned into diagnostics.
//!
//! Properties checked, for any bytes:
//! - decoding never panics;
//! - every row has one value per column of its table;
//! - the page decoder (answer bytes straight to rows) gives the rows the
//!   parsed-tree path gives, for every table it decodes;
//! - `json_to_value` of every JSON value in the page, for every data type,
//!   never panics and gives NULL or a value of that type.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pipedrive_odbc::api::error_from_response;
use pipedrive_odbc::model::{
    json_to_value, row_from_json, rows_from_records, rows_from_records_with, with_custom_columns,
    PageDecoder, PageRows, RecordsAt, Schema, TableDef,
};
use pipedrive_odbc::types::DataType;
use pipedrive_odbc::value::Value;
use serde_json::Value as Json;
use std::sync::OnceLock;

/// JSON values visited per input for `json_to_value`.
const MAX_VISITED: usize = 2_000;

fn schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(Schema::builtin)
}

fuzz_target!(|data: &[u8]| {
    let _ = error_from_response(400, data, "GET /api/v2/deals");
    let Ok(page) = serde_json::from_slice::<Json>(data) else {
        return;
    };
    for table in schema().tables() {
        let records = records_of(&page, table);
        check_rows(&rows_from_records(&records, table), table);
        let inputs = [
            ("id".to_string(), "1".to_string()),
            ("start_date".to_string(), "2025-01-01".to_string()),
        ];
        let tree_rows = rows_from_records_with(&records, table, &inputs);
        check_rows(&tree_rows, table);
        check_decoder(data, &page, table, &inputs, &tree_rows);
        if let Some(record) = records.first() {
            assert_eq!(
                row_from_json(record, &table.columns).len(),
                table.columns.len()
            );
        }
        // The same records as field definitions of the table's custom
        // fields (pages of the *Fields endpoints), then read through them.
        if let Some((_, root)) = &table.custom_fields {
            let extended = with_custom_columns(table, &records, *root);
            check_rows(&rows_from_records(&records, &extended), &extended);
        }
    }
    let mut visited = 0;
    visit_scalars(&page, &mut visited);
});

/// Where a table's answer keeps its records, as `PageStream` reads them.
fn records_of(page: &Json, table: &TableDef) -> Vec<Json> {
    let data = page.get("data");
    let records = match table.endpoint.records {
        RecordsAt::DataArray => data,
        RecordsAt::DataField(field) => data.and_then(|d| d.get(field)),
        RecordsAt::DataObject => match data {
            Some(Json::Array(items)) => return items.clone(),
            Some(d) if d.is_object() => return vec![d.clone()],
            _ => return Vec::new(),
        },
    };
    match records {
        Some(Json::Array(items)) => items.clone(),
        _ => Vec::new(),
    }
}

/// The page decoder on the same bytes: the tree path's rows (compared as
/// debug text, so that a NaN parsed from a string equals itself).
fn check_decoder(
    data: &[u8],
    page: &Json,
    table: &std::sync::Arc<TableDef>,
    inputs: &[(String, String)],
    tree_rows: &[Vec<Value>],
) {
    let Some(mut decoder) = PageDecoder::for_table(table, inputs) else {
        return;
    };
    let decoded = decoder
        .decode_page(data)
        .expect("a body that parses as JSON decodes");
    match decoded.rows {
        PageRows::Rows(rows) => assert_eq!(
            format!("{rows:?}"),
            format!("{tree_rows:?}"),
            "{}",
            table.name
        ),
        PageRows::Missing => assert!(matches!(page.get("data"), None | Some(Json::Null))),
        PageRows::NotAList => assert!(!matches!(
            page.get("data"),
            None | Some(Json::Null) | Some(Json::Array(_))
        )),
    }
    assert_eq!(decoded.additional_data.as_ref(), page.get("additional_data"));
}

fn check_rows(rows: &[Vec<Value>], table: &TableDef) {
    for row in rows {
        assert_eq!(row.len(), table.columns.len(), "{}", table.name);
    }
}

fn visit_scalars(json: &Json, visited: &mut usize) {
    if *visited >= MAX_VISITED {
        return;
    }
    *visited += 1;
    for data_type in DataType::ALL {
        let value = json_to_value(json, data_type);
        assert!(
            has_type(&value, data_type),
            "{json} as {data_type:?}: {value:?}"
        );
    }
    match json {
        Json::Array(items) => items.iter().for_each(|i| visit_scalars(i, visited)),
        Json::Object(map) => map.values().for_each(|v| visit_scalars(v, visited)),
        _ => {}
    }
}

fn has_type(value: &Value, data_type: DataType) -> bool {
    matches!(
        (value, data_type),
        (Value::Null, _)
            | (Value::Bool(_), DataType::Bit)
            | (
                Value::Int(_),
                DataType::SmallInt | DataType::Integer | DataType::BigInt
            )
            | (Value::Double(_), DataType::Double)
            | (
                Value::Text(_),
                DataType::WVarchar(_) | DataType::WLongVarchar
            )
            | (Value::Date(_), DataType::Date)
            | (Value::Time(_), DataType::Time)
            | (Value::Timestamp(_), DataType::Timestamp)
    )
}
