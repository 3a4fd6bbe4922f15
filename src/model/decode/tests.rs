//! The decoder must give exactly the rows of the parsed-tree path
//! (`rows_from_records_with`): on hand-made answers with every odd shape,
//! and on the simulator's answers for every table it decodes.

use super::*;
use crate::api::{ApiClient, ClientSettings, Credentials, Decoded, NetworkSettings, RetryPolicy};
use crate::model::{rows_from_records_with, with_custom_columns, Schema};
use serde_json::json;
use std::time::Duration;

/// Decodes `body` with `decoder` and checks it against the tree path:
/// rows, `additional_data` and `success`. Returns the number of rows.
fn assert_decodes_like_tree(
    decoder: &mut PageDecoder,
    table: &TableDef,
    inputs: &[(String, String)],
    body: &[u8],
) -> usize {
    let page = decoder.decode_page(body).expect("the body decodes");
    let envelope: Json = serde_json::from_slice(body).expect("the body parses");
    let expected = match envelope.get("data") {
        Some(Json::Array(records)) => {
            PageRows::Rows(rows_from_records_with(records, table, inputs))
        }
        Some(Json::Null) | None => PageRows::Missing,
        Some(_) => PageRows::NotAList,
    };
    assert_eq!(page.rows, expected, "rows of {}", table.name);
    assert_eq!(
        page.additional_data.as_ref(),
        envelope.get("additional_data")
    );
    assert_eq!(
        page.refused,
        envelope.get("success").and_then(Json::as_bool) == Some(false)
    );
    match page.rows {
        PageRows::Rows(rows) => rows.len(),
        _ => 0,
    }
}

fn column(name: &str, source: Source, data_type: DataType) -> ColumnDef {
    ColumnDef {
        name: name.into(),
        source,
        data_type,
        nullable: true,
        description: String::new(),
    }
}

/// Custom field definitions of every type the driver knows (and one it
/// does not).
fn custom_field_definitions() -> Vec<Json> {
    let options = json!([{"id": 1, "label": "Gold"}, {"id": 2, "label": "Silber ü"},
                          {"id": "x", "label": "Text id"}]);
    [
        ("k_varchar", "varchar"),
        ("k_text", "text"),
        ("k_double", "double"),
        ("k_int", "int"),
        ("k_money", "monetary"),
        ("k_date", "date"),
        ("k_time", "time"),
        ("k_enum", "enum"),
        ("k_set", "set"),
        ("k_user", "user"),
        ("k_phone", "phone"),
        ("k_other", "address"),
    ]
    .iter()
    .map(|(key, field_type)| {
        json!({"field_code": key, "field_name": format!("Custom {key}"), "field_type": field_type,
               "is_custom_field": true, "options": options})
    })
    .collect()
}

/// Deals with custom columns, plus columns of every other source.
fn test_table() -> Arc<TableDef> {
    let base = Schema::builtin().table("Deals").expect("Deals").clone();
    let mut table = with_custom_columns(
        &base,
        &custom_field_definitions(),
        CustomRoot::CustomFieldsObject,
    );
    let text = DataType::WVarchar(255);
    table.columns.extend([
        column(
            "Country",
            Source::Path(vec!["address".into(), "country".into()]),
            text,
        ),
        column("AddressText", Source::field("address"), text),
        column("Deep", Source::JoinedArray("nested.ids".into()), text),
        column("Email", Source::PrimaryValue("emails".into()), text),
        column(
            "EmailCount",
            Source::ArrayLength("emails".into()),
            DataType::Integer,
        ),
        column(
            "TopLevelEnum",
            Source::Custom {
                key: "abc_enum".into(),
                root: CustomRoot::TopLevel,
                shape: CustomShape::Enum(Arc::new(HashMap::from([(
                    "7".to_string(),
                    "Seven".to_string(),
                )]))),
            },
            text,
        ),
        column(
            "TopLevelScalar",
            Source::Custom {
                key: "abc_int".into(),
                root: CustomRoot::TopLevel,
                shape: CustomShape::Scalar,
            },
            DataType::BigInt,
        ),
        column("Parent", Source::Input("deal_id".into()), DataType::Integer),
        column("Missing", Source::Input("nothing".into()), text),
        column("Element", Source::Element(vec!["x".into()]), text),
        column("EntryKey", Source::EntryKey, text),
        column("AsBit", Source::field("flag"), DataType::Bit),
        column("AsInt", Source::field("num"), DataType::BigInt),
        column("AsDouble", Source::field("dbl"), DataType::Double),
        column("AsDate", Source::field("when"), DataType::Date),
        column("AsTime", Source::field("at"), DataType::Time),
        column("AsText", Source::field("any"), DataType::WLongVarchar),
    ]);
    Arc::new(table)
}

fn full_record() -> Json {
    serde_json::from_str(
        r#"{
        "id": 1, "title": "Müller & Söhne \u2013 \"quoted\"\n\\ \ud83d\ude00 \u0000", "owner_id": 8,
        "person_id": null, "org_id": 10, "pipeline_id": 3, "stage_id": 14, "value": 4539.81,
        "currency": "SEK", "add_time": "2019-01-01T07:53:45Z", "update_time": "2019-01-01 08:50:12",
        "stage_change_time": null, "is_deleted": false, "is_archived": true, "status": "lost",
        "probability": 45, "lost_reason": "Kein Budget", "visible_to": "3",
        "close_time": "2019-01-01T08:22:32.123Z", "won_time": "not a time",
        "expected_close_date": "2019-02-12T00:00:00Z", "label_ids": [1, "two", {"x": 3}],
        "origin": "ManuallyCreated", "channel": 2.0, "channel_id": "Google Ads",
        "unread_field": {"deep": [1, 2, {"x": null}]}, "another": "skipped",
        "custom_fields": {
            "k_varchar": "ÉTÉ-76519", "k_text": "Они хотят", "k_double": 39.01, "k_int": "17",
            "k_money": {"value": 241602.89, "currency": "EUR"}, "k_date": "2024-02-29",
            "k_time": "13:45:00", "k_enum": 2, "k_set": [1, 2, 99], "k_user": {"id": 5, "name": "x"},
            "k_phone": "+49 83 7778 130", "k_other": {"value": "Tartu mnt 1", "lat": 1.5},
            "unknown_key": [1, 2]
        },
        "address": {"country": "Eesti", "city": "Tallinn"},
        "nested": {"ids": [4, 5]},
        "emails": [{"value": "a@x", "primary": false}, {"value": "b@x", "primary": true}],
        "abc_enum": "7", "abc_int": 12,
        "flag": "true", "num": 18446744073709551615, "dbl": "2.5", "when": "2020-01-02",
        "at": "25:00:00", "any": [true, null, 1.5e300, 123456789012345678901234567890]
        }"#,
    )
    .expect("valid JSON")
}

#[test]
fn hand_made_records_decode_like_the_tree() {
    let table = test_table();
    let inputs = vec![
        ("deal_id".to_string(), "42".to_string()),
        ("limit".to_string(), "500".to_string()),
    ];
    let mut decoder = PageDecoder::for_table(&table, &inputs).expect("decodable");
    let full = full_record();
    let mut reordered = serde_json::Map::new();
    if let Json::Object(fields) = &full {
        for (key, value) in fields.iter().rev() {
            reordered.insert(key.clone(), value.clone());
        }
    }
    let records = json!([
        full,
        {"id": 2, "title": null, "custom_fields": null, "value": "12.5e1", "probability": true,
         "status": 7, "lost_reason": false, "owner_id": 3.9, "is_deleted": 1, "is_archived": "0",
         "currency": {"a": 1}, "add_time": 5, "any": {"b": [1, {"c": "d"}]}, "flag": 0.0,
         "num": -9223372036854775808i64, "dbl": 1e-7, "nested": {"ids": []}, "emails": [],
         "abc_enum": {"id": 7}, "address": "not an object"},
        {"custom_fields": {"k_enum": "1", "k_set": "2, 1,,x", "k_user": {"value": 9},
                           "k_money": 12, "k_int": 3.5, "k_double": "x"}},
        {"custom_fields": "not an object", "label_ids": [], "emails": "x"},
        {"custom_fields": [1, 2], "label_ids": null, "nested": {"ids": "x"}},
        {},
        null, 5, "record", [1, 2, {"id": 3}], true,
    ]);
    let mut rows = 0;
    for _ in 0..2 {
        // Twice with one decoder: the second pass reads from the field
        // order it learned; the reordered record goes against it.
        for data in [
            records.clone(),
            json!([reordered.clone(), full_record(), reordered.clone()]),
        ] {
            let body = json!({"success": true, "data": data,
                              "additional_data": {"next_cursor": "abc"}});
            rows += assert_decodes_like_tree(
                &mut decoder,
                &table,
                &inputs,
                body.to_string().as_bytes(),
            );
        }
    }
    assert_eq!(rows, 2 * (11 + 3));
}

#[test]
fn envelopes_of_every_shape_decode_like_the_tree() {
    let table = test_table();
    let mut decoder = PageDecoder::for_table(&table, &[]).expect("decodable");
    for body in [
        r#"{"success": true, "data": [], "additional_data": {"next_cursor": null}}"#,
        r#"{"additional_data": {"pagination": {"more_items_in_collection": true}}, "data": [{"id": 1}], "success": true}"#,
        r#"{"success": true, "data": null}"#,
        r#"{"success": true}"#,
        r#"{"success": false, "error": "nope", "data": [{"id": 1}]}"#,
        r#"{"success": "false", "data": {"id": 1}}"#,
        r#"{"success": true, "data": 5, "additional_data": null}"#,
        r#"{"success": true, "data": "x"}"#,
        r#"{"success": true, "data": [{"id": 1}], "data": [{"id": 2}, {"id": 3}]}"#,
        r#"{"data": [{"id": 1}], "data": null, "extra": {"data": [1]}}"#,
        r#"[{"success": true, "data": [{"id": 1}]}]"#,
        r#"null"#,
        r#"17"#,
        r#"  {"success": true, "data": [{"id": 1, "title": "\ud83d\ude00\u00e9\t"}]}  "#,
        // A repeated name: the last one counts, as in a parsed tree.
        r#"{"data": [{"id": 3, "id": 4, "custom_fields": {"k_varchar": "first", "k_enum": 1},
            "custom_fields": {"k_text": "second"}, "title": "a", "title": null}]}"#,
        r#"{"data": [{"id": 5, "custom_fields": {"k_money": {"value": 1, "currency": "USD"}},
            "custom_fields": null}]}"#,
        r#"{"data": [{"id": 6, "custom_fields": {"k_set": [1], "k_set": [2], "k_int": 1,
            "k_int": null, "k_money": {"value": 1}, "k_money": {"currency": "EUR"}},
            "label_ids": [1], "label_ids": "x", "value": 1, "value": "2"}]}"#,
    ] {
        assert_decodes_like_tree(&mut decoder, &table, &[], body.as_bytes());
    }
}

#[test]
fn bodies_that_are_not_json_fail_to_decode() {
    let table = test_table();
    let mut decoder = PageDecoder::for_table(&table, &[]).expect("decodable");
    for body in [
        "",
        r#"{"success": true, "data": [{"id": 1}"#,
        r#"{"success": true, "data": []} trailing"#,
        r#"{"data": [{"title": "\ud800"}]}"#,
    ] {
        assert!(
            decoder.decode_page(body.as_bytes()).is_err(),
            "{body} decoded"
        );
        assert!(serde_json::from_str::<Json>(body).is_err(), "{body} parsed");
    }
}

#[test]
fn tables_without_a_row_per_record_are_not_decoded() {
    let schema = Schema::builtin();
    let mut table = schema.table("Deals").expect("Deals").as_ref().clone();
    table.row_shape = RowShape::PerArrayElement("options");
    assert!(PageDecoder::for_table(&Arc::new(table.clone()), &[]).is_none());
    table.row_shape = RowShape::PerRecord;
    table.endpoint.records = RecordsAt::DataObject;
    assert!(PageDecoder::for_table(&Arc::new(table.clone()), &[]).is_none());
    table.endpoint.records = RecordsAt::DataArray;
    table.columns.push(column(
        "Whole",
        Source::Path(Vec::new()),
        DataType::WLongVarchar,
    ));
    assert!(PageDecoder::for_table(&Arc::new(table), &[]).is_none());
}

#[test]
fn unknown_field_names_are_remembered_up_to_a_bound() {
    let table = test_table();
    let mut decoder = PageDecoder::for_table(&table, &[]).expect("decodable");
    let records: Vec<Json> = (0..3 * MAX_FIELDS)
        .map(|i| json!({ format!("field_{i}"): i, "id": i }))
        .collect();
    let body = json!({"data": records}).to_string();
    assert_decodes_like_tree(&mut decoder, &table, &[], body.as_bytes());
    assert_eq!(decoder.fields.names.len(), MAX_FIELDS);
}

/// Every table the decoder takes, read from the simulator page by page
/// both ways.
#[test]
fn simulator_answers_decode_like_the_tree() {
    let sim = pipedrive_sim::Simulator::start(pipedrive_sim::SimConfig {
        token: "decode-test-token".into(),
        deals: 2500,
        seed: 11,
        ..pipedrive_sim::SimConfig::default()
    })
    .expect("the simulator starts");
    let client = Arc::new(
        ApiClient::new(
            ClientSettings {
                base_url: sim.base_url(),
                credentials: Credentials::ApiToken("decode-test-token".into()),
                token_provider: None,
                timeout: Some(Duration::from_secs(60)),
                network: NetworkSettings::default(),
                retry: RetryPolicy::default(),
                max_requests_per_second: None,
            },
            Arc::new(crate::logging::Logger::disabled()),
        )
        .expect("client"),
    );
    let tables = Schema::builtin()
        .resolve_all(&client)
        .expect("custom fields are read");
    let mut rows_by_table = Vec::new();
    for table in &tables {
        let Some(mut decoder) = PageDecoder::for_table(table, &[]) else {
            continue;
        };
        if table.parent.is_some() || table.endpoint.path.contains('{') {
            continue;
        }
        let mut query: Vec<(String, String)> = table
            .endpoint
            .paging
            .max_limit()
            .map(|limit| vec![("limit".to_string(), limit.to_string())])
            .unwrap_or_default();
        let mut rows = 0;
        for _page in 0..8 {
            let body = client.get_decoded(
                table.endpoint.version,
                table.endpoint.path,
                &query,
                false,
                |body| {
                    Ok(Decoded {
                        value: body.to_vec(),
                        refused: false,
                    })
                },
            );
            // Lists that need parameters the test does not give.
            let Ok(Some(body)) = body else {
                break;
            };
            rows += assert_decodes_like_tree(&mut decoder, table, &[], &body);
            let envelope: Json = serde_json::from_slice(&body).expect("JSON");
            let additional = envelope.get("additional_data");
            let cursor = additional
                .and_then(|a| a.get("next_cursor"))
                .and_then(Json::as_str);
            let start = additional
                .map(|a| a.get("pagination").unwrap_or(a))
                .filter(|p| p.get("more_items_in_collection") == Some(&json!(true)))
                .and_then(|p| p.get("next_start"))
                .and_then(Json::as_u64);
            query.retain(|(k, _)| k == "limit");
            match (cursor, start) {
                (Some(cursor), _) => query.push(("cursor".into(), cursor.into())),
                (None, Some(start)) => query.push(("start".into(), start.to_string())),
                (None, None) => break,
            }
        }
        rows_by_table.push((table.name.clone(), rows));
    }
    let rows_of = |name: &str| {
        rows_by_table
            .iter()
            .find(|(n, _)| n == name)
            .map_or(0, |(_, rows)| *rows)
    };
    assert!(rows_of("Deals") >= 2000, "{rows_by_table:?}");
    assert!(rows_of("Persons") > 0, "{rows_by_table:?}");
    assert!(rows_of("Organizations") > 0, "{rows_by_table:?}");
    assert!(
        rows_by_table.iter().filter(|(_, rows)| *rows > 0).count() >= 10,
        "{rows_by_table:?}"
    );
}
