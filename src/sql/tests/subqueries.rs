//! IN / NOT IN / EXISTS / scalar subqueries, with SQL's NULL semantics.

use super::*;
use crate::diag::SqlState;

fn ids(rows: &[Row]) -> Vec<i64> {
    let mut ids: Vec<i64> = rows
        .iter()
        .filter_map(|r| match r[0] {
            Value::Int(n) => Some(n),
            _ => None,
        })
        .collect();
    ids.sort();
    ids
}

#[test]
fn in_subquery_matches_brute_force() {
    let api = crm(100, 30);
    let rows = run(
        &api,
        "SELECT Id FROM Deals WHERE PersonId IN (SELECT Id FROM Persons WHERE Name LIKE 'Bob%')",
    );
    let bobs: Vec<Value> = api
        .rows("Persons")
        .into_iter()
        .filter(
            |p| matches!(api.value("Persons", p, "Name"), Value::Text(n) if n.starts_with("Bob")),
        )
        .map(|p| api.value("Persons", &p, "Id").clone())
        .collect();
    let expected: Vec<i64> = api
        .rows("Deals")
        .iter()
        .filter(|d| bobs.contains(api.value("Deals", d, "PersonId")))
        .filter_map(|d| match api.value("Deals", d, "Id") {
            Value::Int(n) => Some(*n),
            _ => None,
        })
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(ids(&rows), expected);
}

#[test]
fn not_in_is_unknown_when_the_subquery_has_a_null() {
    let api = crm(50, 20);
    // Persons' OrgId has NULLs: NOT IN is never true.
    assert!(run(
        &api,
        "SELECT Id FROM Deals WHERE OrgId NOT IN (SELECT OrgId FROM Persons)"
    )
    .is_empty());
    // Without the NULLs it is the complement (minus NULL needles).
    let rows = run(
        &api,
        "SELECT Id FROM Deals WHERE OrgId NOT IN (SELECT OrgId FROM Persons WHERE OrgId IS NOT NULL AND OrgId <> 2)",
    );
    let expected: Vec<i64> = api
        .rows("Deals")
        .iter()
        .filter(|d| api.value("Deals", d, "OrgId") == &int(2))
        .filter_map(|d| match api.value("Deals", d, "Id") {
            Value::Int(n) => Some(*n),
            _ => None,
        })
        .collect();
    assert_eq!(ids(&rows), expected);
    // Over an empty subquery NOT IN is true, even for a NULL needle.
    let all = run(
        &api,
        "SELECT Id FROM Deals WHERE OrgId NOT IN (SELECT OrgId FROM Persons WHERE Id < 0)",
    );
    assert_eq!(all.len(), 50);
    // IN over an empty subquery is false for every row.
    assert!(run(
        &api,
        "SELECT Id FROM Deals WHERE (OrgId IN (SELECT OrgId FROM Persons WHERE Id < 0)) IS NULL"
    )
    .is_empty());
    // A NULL needle against a non-empty subquery is unknown.
    let unknown = run(
        &api,
        "SELECT Id FROM Deals WHERE (OrgId IN (SELECT Id FROM Organizations)) IS NULL",
    );
    let null_orgs = api
        .rows("Deals")
        .iter()
        .filter(|d| api.value("Deals", d, "OrgId").is_null())
        .count();
    assert_eq!(unknown.len(), null_orgs);
}

#[test]
fn exists_and_scalar_subqueries() {
    let api = crm(30, 10);
    assert_eq!(
        run(
            &api,
            "SELECT COUNT(*) FROM Deals WHERE EXISTS (SELECT 1 FROM Users WHERE Id = 2)"
        ),
        vec![vec![int(30)]]
    );
    assert_eq!(
        run(
            &api,
            "SELECT COUNT(*) FROM Deals WHERE NOT EXISTS (SELECT 1 FROM Users WHERE Id = 2)"
        ),
        vec![vec![int(0)]]
    );
    assert_eq!(
        run(
            &api,
            "SELECT Id FROM Deals WHERE Id = (SELECT MAX(Id) FROM Deals)"
        ),
        vec![vec![int(30)]]
    );
    assert_eq!(
        run(
            &api,
            "SELECT (SELECT Name FROM Users WHERE Id = 99) IS NULL"
        ),
        vec![vec![Value::Bool(true)]]
    );
    let e = run_err(
        &api,
        "SELECT Id FROM Deals WHERE Id = (SELECT Id FROM Users)",
    );
    assert!(e.message.contains("more than one row"), "{}", e.message);
    let e = run_err(
        &api,
        "SELECT Id FROM Deals WHERE Id IN (SELECT Id, Name FROM Users)",
    );
    assert_eq!(e.state, SqlState::SyntaxError);
    // EXISTS reads one row only.
    api.clear_requests();
    run(&api, "SELECT 1 WHERE EXISTS (SELECT Id FROM Deals)");
    assert_eq!(api.requests_to("Deals").len(), 1);
}

#[test]
fn subqueries_take_parameters_and_run_once() {
    let api = crm(40, 12);
    let rows = run_with(
        &api,
        "SELECT Id FROM Deals WHERE PersonId IN (SELECT Id FROM Persons WHERE OwnerId = ?) AND OwnerId = ?",
        vec![int(2), int(3)],
    )
    .unwrap();
    let persons: Vec<Value> = api
        .rows("Persons")
        .into_iter()
        .filter(|p| api.value("Persons", p, "OwnerId") == &int(2))
        .map(|p| api.value("Persons", &p, "Id").clone())
        .collect();
    let expected: Vec<i64> = api
        .rows("Deals")
        .iter()
        .filter(|d| {
            persons.contains(api.value("Deals", d, "PersonId"))
                && api.value("Deals", d, "OwnerId") == &int(3)
        })
        .filter_map(|d| match api.value("Deals", d, "Id") {
            Value::Int(n) => Some(*n),
            _ => None,
        })
        .collect();
    assert_eq!(ids(&rows), expected);
    let persons_requests = api.requests_to("Persons");
    assert_eq!(persons_requests.len(), 1, "the subquery runs once");
    assert_eq!(persons_requests[0].param("owner_id"), Some("2"));
    let prepared = prepare(
        &api,
        "SELECT Id FROM Deals WHERE Id IN (SELECT Id FROM Persons WHERE OwnerId = ?)",
    )
    .unwrap();
    assert_eq!(prepared.param_types, vec![Some(DataType::Integer)]);
}

#[test]
fn subquery_values_are_pushed_when_they_fit_a_request() {
    let api = crm(300, 40);
    // Few ids: sent as the `ids` list.
    let rows = run(
        &api,
        "SELECT Id FROM Deals WHERE Id IN (SELECT Id FROM Deals WHERE OwnerId = 2 AND Id < 40)",
    );
    let expected: Vec<i64> = (1..40).filter(|i| i % 9 != 0 && 1 + i % 4 == 2).collect();
    assert_eq!(ids(&rows), expected);
    let deals = api.requests_to("Deals");
    assert_eq!(deals.len(), 2);
    let sent: Vec<i64> = deals[1]
        .param("ids")
        .expect("ids pushed")
        .split(',')
        .map(|s| s.parse().unwrap())
        .collect();
    assert_eq!(sent, expected);
    // One value for a single-value filter.
    api.clear_requests();
    let rows = run(
        &api,
        "SELECT Id FROM Deals WHERE PersonId IN (SELECT Id FROM Persons WHERE Id = 3)",
    );
    assert!(!rows.is_empty());
    assert_eq!(api.requests_to("Deals")[0].param("person_id"), Some("3"));
    // No value at all: the deals are not even asked for.
    api.clear_requests();
    assert!(run(
        &api,
        "SELECT Id FROM Deals WHERE PersonId IN (SELECT Id FROM Persons WHERE Id < 0)"
    )
    .is_empty());
    assert!(api.requests_to("Deals").is_empty());
    // Too many values for one request: a scan, filtered locally.
    api.clear_requests();
    let rows = run(
        &api,
        "SELECT Id FROM Deals WHERE Id IN (SELECT Id FROM Deals WHERE Id <= 150)",
    );
    assert_eq!(ids(&rows), (1..=150).collect::<Vec<_>>());
    assert!(api
        .requests_to("Deals")
        .iter()
        .all(|r| r.param("ids").is_none()));
}
