use super::*;
use crate::model::Endpoint;

/// A connection whose entities have no custom fields.
struct NoCustomFields;

impl FieldSource for NoCustomFields {
    fn field_definitions(&self, _: &Endpoint) -> Result<Vec<serde_json::Value>> {
        Ok(Vec::new())
    }
}

fn names(rows: &[Vec<Value>], col: usize) -> Vec<String> {
    rows.iter()
        .map(|r| r[col].to_text().unwrap_or_default())
        .collect()
}

#[test]
fn tables_sorted_by_type_then_name_and_filtered_by_pattern() {
    let schema = Schema::builtin();
    let (cols, rows) = tables(&schema, None, None, None, Some("TABLE,VIEW"), false).unwrap();
    assert_eq!(cols.len(), 5);
    let got: Vec<(String, String)> = rows
        .iter()
        .map(|r| {
            (
                r[3].to_text().unwrap_or_default(),
                r[2].to_text().unwrap_or_default(),
            )
        })
        .collect();
    let mut sorted = got.clone();
    sorted.sort();
    assert_eq!(got, sorted, "ordered by TABLE_TYPE, then TABLE_NAME");
    assert!(got.contains(&("TABLE".to_string(), "Deals".to_string())));
    let (_, rows) = tables(&schema, None, None, Some("de%"), None, false).unwrap();
    assert_eq!(
        names(&rows, 2),
        vec![
            "DealFields",
            "DealFollowers",
            "DealParticipants",
            "DealProducts",
            "Deals",
            "DealFieldOptions",
            "DealLabels",
            "DealsSummary",
            "DealsTimeline",
            "DealsTimelineDeals",
            "DealsTimelineTotals"
        ]
    );
    let (_, rows) = tables(&schema, Some("other"), None, None, None, false).unwrap();
    assert!(rows.is_empty());
}

#[test]
fn table_types_enumeration() {
    let (_, rows) = tables(
        &Schema::builtin(),
        Some(""),
        Some(""),
        Some(""),
        Some("%"),
        false,
    )
    .unwrap();
    assert_eq!(names(&rows, 3), vec!["TABLE", "VIEW"]);
}

#[test]
fn columns_in_ordinal_order_with_types() {
    let schema = Schema::builtin();
    let (_, rows) = columns(
        &schema,
        &NoCustomFields,
        None,
        None,
        Some("Deals"),
        None,
        false,
    )
    .unwrap();
    let deals = schema.table("Deals").unwrap();
    assert_eq!(rows.len(), deals.columns.len());
    assert_eq!(rows[0][3], Value::Text("Id".into()));
    assert_eq!(rows[0][4], Value::Int(4));
    assert_eq!(rows[0][10], Value::Int(0), "Id is not nullable");
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(r[16], Value::Int(i as i64 + 1));
    }
}

#[test]
fn foreign_keys_link_deals_to_persons() {
    let (_, rows) = foreign_keys(&Schema::builtin(), Some("Persons"), None, true).unwrap();
    assert!(rows
        .iter()
        .any(|r| r[6] == Value::Text("Deals".into()) && r[7] == Value::Text("PersonId".into())));
    let (_, rows) = foreign_keys(&Schema::builtin(), None, Some("Deals"), true).unwrap();
    assert_eq!(rows.len(), schema_fk_count("Deals"));
}

fn schema_fk_count(table: &str) -> usize {
    Schema::builtin()
        .table(table)
        .map(|t| t.foreign_keys.len())
        .unwrap_or(0)
}

#[test]
fn type_info_rejects_unknown_types() {
    assert!(type_info(12345).is_err());
    let (_, rows) = type_info(0).unwrap();
    assert_eq!(rows.len(), DataType::ALL.len());
    let (_, rows) = type_info(crate::types::sql::WVARCHAR).unwrap();
    assert_eq!(rows.len(), 1);
    let (_, rows) = type_info(crate::types::sql::VARCHAR).unwrap();
    assert!(
        rows.is_empty(),
        "a valid type the driver does not have gives no rows"
    );
}
