//! EXPLAIN: the requests a query will make and the local steps, without
//! making any.

use super::*;

fn explain(api: &Arc<FakeApi>, sql: &str) -> Vec<Row> {
    let rows = run(api, &format!("EXPLAIN {sql}"));
    assert!(api.requests().is_empty(), "EXPLAIN makes no request");
    rows
}

fn column(rows: &[Row], i: usize) -> Vec<String> {
    rows.iter()
        .map(|r| r[i].to_text().unwrap_or_default())
        .collect()
}

#[test]
fn explain_lists_requests_with_pushed_parameters() {
    let api = crm(10, 5);
    let prepared = prepare(&api, "EXPLAIN SELECT Id FROM Deals").unwrap();
    let names: Vec<&str> = prepared.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Step",
            "Operation",
            "Endpoint",
            "Parameters",
            "EstimatedRequests",
            "Detail"
        ]
    );
    let rows = explain(
        &api,
        "SELECT Id, Title FROM Deals WHERE OwnerId = 5 AND Title LIKE 'A%' LIMIT 10",
    );
    let operations = column(&rows, 1);
    assert_eq!(operations[0], "List request");
    assert_eq!(rows[0][2], text("GET /api/v2/deals"));
    assert!(column(&rows, 3)[0].contains("owner_id=5"), "{rows:?}");
    assert_eq!(
        rows[0][4],
        text("unknown"),
        "the LIKE is local: no pushed limit"
    );
    assert!(operations.contains(&"Filter".to_string()));
    assert!(operations.contains(&"Limit".to_string()));
    assert_eq!(operations.last().map(String::as_str), Some("Total"));
    // Steps are numbered from 1.
    assert_eq!(rows[0][0], int(1));

    let rows = explain(&api, "SELECT Id FROM Deals WHERE Id = 7");
    assert_eq!(rows[0][1], text("Get by id"));
    assert_eq!(rows[0][4], text("1"));
    let rows = explain(&api, "SELECT Id FROM Deals WHERE OwnerId = ? LIMIT 1200");
    assert_eq!(rows[0][4], text("3"), "1,200 rows at 500 a page");
    assert!(column(&rows, 3)[0].contains("owner_id=?1"));
    assert_eq!(rows.last().unwrap()[4], text("3"));
}

#[test]
fn explain_shows_joins_aggregates_and_subqueries() {
    let api = crm(10, 5);
    let rows = explain(
        &api,
        "SELECT p.Name, COUNT(*) FROM Deals d JOIN Persons p ON d.PersonId = p.Id \
         WHERE d.OrgId IN (SELECT Id FROM Organizations) GROUP BY p.Name ORDER BY 2 DESC LIMIT 3",
    );
    let operations = column(&rows, 1);
    let position = |op: &str| {
        operations
            .iter()
            .position(|o| o.starts_with(op))
            .unwrap_or_else(|| panic!("no {op} in {operations:?}"))
    };
    assert!(position("Subquery") < position("Fetch by ids"));
    assert!(position("Fetch by ids") < position("Id lookup join (INNER)"));
    assert!(position("Aggregate") < position("Top-N sort"));
    assert!(column(&rows, 3)[position("Fetch by ids")].contains("ids=<"));
    assert_eq!(rows.last().unwrap()[4], text("unknown"));
    let rows = explain(&api, "SELECT TableName FROM sys_tables");
    assert_eq!(rows[0][1], text("System table"));
    assert_eq!(rows.last().unwrap()[4], text("0"));
}
