//! GROUP BY and aggregates: semantics against brute force, NULL groups,
//! empty inputs, result types and the errors of ungrouped columns.

use super::*;
use crate::diag::SqlState;
use std::collections::BTreeMap;

/// Per owner (NULL included): count, count of values, distinct titles,
/// sum, min and max of Value.
#[test]
fn grouped_aggregates_match_brute_force_including_the_null_group() {
    let api = crm(200, 50);
    let rows = run(
        &api,
        "SELECT OwnerId, COUNT(*), COUNT(Value), COUNT(DISTINCT Title), SUM(Value), MIN(Value), MAX(Value), AVG(Value) \
         FROM Deals GROUP BY OwnerId",
    );
    // owner -> (rows, values...)
    let mut groups: BTreeMap<Option<i64>, (i64, Vec<f64>, Vec<String>)> = BTreeMap::new();
    for d in api.rows("Deals") {
        let owner = match api.value("Deals", &d, "OwnerId") {
            Value::Int(n) => Some(*n),
            _ => None,
        };
        let g = groups.entry(owner).or_default();
        g.0 += 1;
        if let Value::Double(v) = api.value("Deals", &d, "Value") {
            g.1.push(*v);
        }
        if let Value::Text(t) = api.value("Deals", &d, "Title") {
            if !g.2.contains(t) {
                g.2.push(t.clone());
            }
        }
    }
    assert!(groups.contains_key(&None), "the data has a NULL owner");
    let expected: Vec<Row> = groups
        .into_iter()
        .map(|(owner, (n, values, titles))| {
            let sum: f64 = values.iter().sum();
            let opt = |v: Option<f64>| v.map_or(Value::Null, Value::Double);
            vec![
                owner.map_or(Value::Null, Value::Int),
                int(n),
                int(values.len() as i64),
                int(titles.len() as i64),
                opt((!values.is_empty()).then_some(sum)),
                opt(values.iter().cloned().reduce(f64::min)),
                opt(values.iter().cloned().reduce(f64::max)),
                opt((!values.is_empty()).then(|| sum / values.len() as f64)),
            ]
        })
        .collect();
    assert_eq!(sorted(rows), sorted(expected));
}

#[test]
fn without_group_by_there_is_one_row_even_over_nothing() {
    let api = crm(20, 5);
    let rows = run(
        &api,
        "SELECT COUNT(*), COUNT(Value), SUM(Value), AVG(Id), MIN(Title), MAX(AddTime) FROM Deals WHERE OwnerId = 77",
    );
    assert_eq!(
        rows,
        vec![vec![
            int(0),
            int(0),
            Value::Null,
            Value::Null,
            Value::Null,
            Value::Null
        ]]
    );
    // With GROUP BY, no input means no groups.
    assert!(run(
        &api,
        "SELECT OwnerId, COUNT(*) FROM Deals WHERE OwnerId = 77 GROUP BY OwnerId"
    )
    .is_empty());
    // HAVING without GROUP BY filters the one group.
    assert!(run(&api, "SELECT COUNT(*) FROM Deals HAVING COUNT(*) > 1000").is_empty());
    assert_eq!(
        run(&api, "SELECT COUNT(*) FROM Deals HAVING COUNT(*) > 10"),
        vec![vec![int(20)]]
    );
}

#[test]
fn result_types_follow_the_argument() {
    let api = crm(10, 5);
    let prepared = prepare(
        &api,
        "SELECT COUNT(*), SUM(Id), SUM(Value), AVG(Id), AVG(Value), MIN(Title), MAX(AddTime), COUNT(DISTINCT OwnerId) FROM Deals",
    )
    .unwrap();
    let types: Vec<DataType> = prepared.columns.iter().map(|c| c.data_type).collect();
    let title =
        api.table("Deals").columns[api.table("Deals").column_index("Title").unwrap()].data_type;
    assert_eq!(
        types,
        [
            DataType::BigInt,
            DataType::BigInt,
            DataType::Double,
            DataType::Double,
            DataType::Double,
            title,
            DataType::Timestamp,
            DataType::BigInt
        ]
    );
    assert!(!prepared.columns[0].nullable);
    assert!(prepared.columns[1].nullable);
    let row = &run(
        &api,
        "SELECT SUM(Id), AVG(Id), SUM(Id) / COUNT(*) FROM Deals",
    )[0];
    assert_eq!(row, &vec![int(55), Value::Double(5.5), int(5)]);
}

#[test]
fn integer_sums_report_overflow() {
    let mut api = FakeApi::new();
    api.insert(
        "Organizations",
        vec![
            vec![("Id", int(1)), ("AnnualRevenue", int(i64::MAX))],
            vec![("Id", int(2)), ("AnnualRevenue", int(1))],
        ],
    );
    let api = Arc::new(api);
    let e = run_err(&api, "SELECT SUM(AnnualRevenue) FROM Organizations");
    assert_eq!(e.state, SqlState::NumericOutOfRange);
    // AVG does not overflow in the middle.
    assert_eq!(
        run(&api, "SELECT AVG(AnnualRevenue) FROM Organizations"),
        vec![vec![Value::Double((i64::MAX as f64 + 1.0) / 2.0)]]
    );
}

#[test]
fn select_items_must_be_grouped_or_aggregated() {
    let api = crm(10, 5);
    for (sql, culprit) in [
        (
            "SELECT OwnerId, Title, COUNT(*) FROM Deals GROUP BY OwnerId",
            "Title",
        ),
        ("SELECT Title FROM Deals GROUP BY OwnerId", "Title"),
        (
            "SELECT COUNT(*) FROM Deals d GROUP BY d.OwnerId HAVING d.Value > 1",
            "Value",
        ),
        ("SELECT Id, COUNT(*) FROM Deals", "Id"),
        (
            "SELECT OwnerId FROM Deals GROUP BY OwnerId ORDER BY Title",
            "Title",
        ),
    ] {
        let e = run_err(&api, sql);
        assert_eq!(e.state, SqlState::SyntaxError, "{sql}");
        assert!(e.message.contains(culprit), "{sql}: {}", e.message);
    }
    for sql in [
        "SELECT SUM(COUNT(*)) FROM Deals",
        "SELECT SUM(Title) FROM Deals",
        "SELECT COUNT(Id) FROM Deals GROUP BY COUNT(*)",
        "SELECT Id FROM Deals WHERE COUNT(*) > 1",
    ] {
        assert_eq!(run_err(&api, sql).state, SqlState::SyntaxError, "{sql}");
    }
}

#[test]
fn group_by_expressions_positions_and_aliases() {
    let api = crm(60, 10);
    let by_status = sorted(run(
        &api,
        "SELECT Status, COUNT(*) AS n FROM Deals GROUP BY Status",
    ));
    assert_eq!(
        by_status,
        sorted(run(&api, "SELECT Status, COUNT(*) FROM Deals GROUP BY 1"))
    );
    assert_eq!(
        by_status,
        sorted(run(
            &api,
            "SELECT Status AS s, COUNT(*) FROM Deals GROUP BY s"
        ))
    );
    assert_eq!(
        by_status
            .iter()
            .map(|r| match r[1] {
                Value::Int(n) => n,
                _ => 0,
            })
            .sum::<i64>(),
        60
    );
    // An expression grouped and selected the same way.
    let rows = run(
        &api,
        "SELECT Id % 3 AS r, COUNT(*), MAX(Id) FROM Deals GROUP BY Id % 3 ORDER BY r",
    );
    assert_eq!(
        rows,
        vec![
            vec![int(0), int(20), int(60)],
            vec![int(1), int(20), int(58)],
            vec![int(2), int(20), int(59)]
        ]
    );
    // ORDER BY an aggregate not in the select list, and HAVING.
    let rows = run(
        &api,
        "SELECT Status FROM Deals GROUP BY Status HAVING COUNT(*) >= 20 ORDER BY COUNT(*) DESC, Status",
    );
    assert_eq!(rows.len(), 3);
    // DISTINCT over aggregated rows.
    assert_eq!(
        run(&api, "SELECT DISTINCT COUNT(*) FROM Deals GROUP BY Status"),
        vec![vec![int(20)]]
    );
}

#[test]
fn aggregates_over_joins() {
    let api = crm(100, 30);
    let rows = run(
        &api,
        "SELECT p.OwnerId, COUNT(d.Id) FROM Persons p LEFT JOIN Deals d ON d.PersonId = p.Id GROUP BY p.OwnerId",
    );
    let mut expected: BTreeMap<i64, i64> = BTreeMap::new();
    for p in api.rows("Persons") {
        let Value::Int(owner) = api.value("Persons", &p, "OwnerId") else {
            continue;
        };
        let deals = api
            .rows("Deals")
            .iter()
            .filter(|d| api.value("Deals", d, "PersonId") == api.value("Persons", &p, "Id"))
            .count() as i64;
        *expected.entry(*owner).or_default() += deals;
    }
    let expected: Vec<Row> = expected
        .into_iter()
        .map(|(o, n)| vec![int(o), int(n)])
        .collect();
    assert_eq!(sorted(rows), expected);
}
