//! Derived tables (`FROM (SELECT ...) AS t`), as query generators such as
//! Power Query write them, with quoted identifiers.

use super::*;

#[test]
fn derived_tables_filter_sort_and_aggregate() {
    let api = crm(50, 10);
    let rows = run(
        &api,
        r#"select "_"."Id", "_"."Title" from (select "Id", "Title", "OwnerId" from "Deals" where "Status" = 'won') "_" where "_"."OwnerId" = 2 order by "_"."Id" desc limit 3"#,
    );
    let mut expected: Vec<Row> = api
        .rows("Deals")
        .into_iter()
        .filter(|d| {
            api.value("Deals", d, "Status") == &text("won")
                && api.value("Deals", d, "OwnerId") == &int(2)
        })
        .map(|d| {
            vec![
                api.value("Deals", &d, "Id").clone(),
                api.value("Deals", &d, "Title").clone(),
            ]
        })
        .collect();
    expected.reverse();
    expected.truncate(3);
    assert_eq!(rows, expected);
    // The inner WHERE still reaches the API.
    assert!(api
        .requests_to("Deals")
        .iter()
        .all(|r| r.param("status") == Some("won")));

    let counts = run(
        &api,
        "SELECT t.s, COUNT(*) FROM (SELECT Status AS s FROM Deals) AS t GROUP BY t.s ORDER BY 2 DESC, 1",
    );
    assert_eq!(counts.len(), 3);
    let total: i64 = counts
        .iter()
        .map(|r| match r[1] {
            Value::Int(n) => n,
            _ => 0,
        })
        .sum();
    assert_eq!(total, 50);
    // Columns of a derived table describe like the inner query's.
    let prepared = prepare(
        &api,
        "SELECT * FROM (SELECT Id, Title AS t FROM Deals) AS x",
    )
    .unwrap();
    assert_eq!(prepared.columns[1].name, "t");
    assert_eq!(prepared.columns[1].base_column, "Title");
    assert_eq!(prepared.columns[0].table, "Deals");
}
