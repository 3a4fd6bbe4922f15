//! UNION and UNION ALL: duplicates, column counts and types, ordering.

use super::*;
use crate::diag::SqlState;

#[test]
fn union_all_keeps_and_union_removes_duplicates() {
    let api = crm(20, 8);
    let all = run(
        &api,
        "SELECT OwnerId FROM Deals UNION ALL SELECT OwnerId FROM Persons",
    );
    assert_eq!(all.len(), 28);
    let distinct = run(
        &api,
        "SELECT OwnerId FROM Deals UNION SELECT OwnerId FROM Persons ORDER BY OwnerId",
    );
    // Owners 1..4 and the NULL of some deals, once each, NULL first.
    assert_eq!(
        distinct,
        vec![
            vec![Value::Null],
            vec![int(1)],
            vec![int(2)],
            vec![int(3)],
            vec![int(4)]
        ]
    );
}

#[test]
fn union_columns_must_agree() {
    let api = crm(5, 5);
    let e = run_err(
        &api,
        "SELECT Id, Title FROM Deals UNION SELECT Id FROM Persons",
    );
    assert_eq!(e.state, SqlState::SyntaxError);
    assert!(
        e.message.contains("same number of columns"),
        "{}",
        e.message
    );
    let e = run_err(
        &api,
        "SELECT AddTime FROM Deals UNION ALL SELECT Id FROM Persons",
    );
    assert_eq!(e.state, SqlState::SyntaxError);
    // Integers and doubles meet as doubles; the names are the first query's.
    let prepared = prepare(&api, "SELECT Id AS n FROM Deals UNION ALL SELECT 2.5").unwrap();
    assert_eq!(prepared.columns[0].name, "n");
    assert_eq!(prepared.columns[0].data_type, DataType::Double);
    let rows = run(
        &api,
        "SELECT Id AS n FROM Deals WHERE Id = 1 UNION ALL SELECT 2.5 ORDER BY n DESC",
    );
    assert_eq!(
        rows,
        vec![vec![Value::Double(2.5)], vec![Value::Double(1.0)]]
    );
}

#[test]
fn union_order_and_limit_apply_to_the_whole() {
    let api = crm(10, 10);
    let rows = run(
        &api,
        "SELECT Id, 'deal' FROM Deals UNION ALL SELECT Id, 'person' FROM Persons ORDER BY 1 DESC, 2 LIMIT 3",
    );
    assert_eq!(
        rows,
        vec![
            vec![int(10), text("deal")],
            vec![int(10), text("person")],
            vec![int(9), text("deal")]
        ]
    );
    let e = run_err(
        &api,
        "SELECT Id FROM Deals UNION SELECT Id FROM Persons ORDER BY Title",
    );
    assert_eq!(e.state, SqlState::SyntaxError);
    // Parenthesised branches keep their own LIMIT.
    let rows = run(
        &api,
        "(SELECT Id FROM Deals ORDER BY Id DESC LIMIT 2) UNION ALL (SELECT Id FROM Persons ORDER BY Id LIMIT 1)",
    );
    assert_eq!(rows, vec![vec![int(10)], vec![int(9)], vec![int(1)]]);
}
