//! Joins: results against brute force, NULL handling of LEFT JOIN, where
//! conditions go, and the requests the id lookup makes.

use super::*;
use crate::sql::plan::{BuildSide, IdFetch, JoinKind, JoinStrategy, Node, StatementBody};

/// The joins of a plan, outermost last: (kind, strategy name).
fn joins(prepared: &Prepared) -> Vec<(JoinKind, String)> {
    fn walk(node: &Node, out: &mut Vec<(JoinKind, String)>) {
        match node {
            Node::Join(j) => {
                walk(&j.left, out);
                walk(&j.right, out);
                let name = match &j.strategy {
                    JoinStrategy::NestedLoop => "nested loop".to_string(),
                    JoinStrategy::Hash { build, .. } => format!(
                        "hash, build {}",
                        if *build == BuildSide::Left {
                            "left"
                        } else {
                            "right"
                        }
                    ),
                    JoinStrategy::IdLookup(l) => match l.fetch {
                        IdFetch::List { .. } => "ids".to_string(),
                        IdFetch::GetById => "get by id".to_string(),
                        IdFetch::Children { .. } => "per parent".to_string(),
                    },
                };
                out.push((j.kind, name));
            }
            Node::Filter { input, .. }
            | Node::Project { input, .. }
            | Node::Distinct { input }
            | Node::Sort { input, .. }
            | Node::Limit { input, .. } => walk(input, out),
            Node::Aggregate(a) => walk(&a.input, out),
            Node::Union { inputs, .. } => inputs.iter().for_each(|i| walk(i, out)),
            Node::SingleRow | Node::Scan(_) | Node::System(_) => {}
        }
    }
    let mut out = Vec::new();
    if let Some(StatementBody::Query(q)) = prepared.query_plan().map(|p| &p.body) {
        walk(&q.root, &mut out);
    }
    out
}

/// deals ⋈ persons by brute force: (deal id, deal title, person name).
fn deals_with_persons(api: &FakeApi, left: bool) -> Vec<Row> {
    let mut out = Vec::new();
    for d in api.rows("Deals") {
        let person = api.value("Deals", &d, "PersonId").clone();
        let matches: Vec<Row> = api
            .rows("Persons")
            .into_iter()
            .filter(|p| !person.is_null() && *api.value("Persons", p, "Id") == person)
            .collect();
        let id = api.value("Deals", &d, "Id").clone();
        let title = api.value("Deals", &d, "Title").clone();
        for p in &matches {
            out.push(vec![
                id.clone(),
                title.clone(),
                api.value("Persons", p, "Name").clone(),
            ]);
        }
        if matches.is_empty() && left {
            out.push(vec![id, title, Value::Null]);
        }
    }
    sorted(out)
}

#[test]
fn inner_join_on_the_inner_tables_id_fetches_by_ids() {
    let api = crm(250, 120);
    let sql = "SELECT d.Id, d.Title, p.Name FROM Deals d JOIN Persons p ON d.PersonId = p.Id";
    assert_eq!(
        joins(&prepare(&api, sql).unwrap()),
        [(JoinKind::Inner, "ids".to_string())]
    );
    let rows = run(&api, sql);
    assert_eq!(sorted(rows), deals_with_persons(&api, false));
    // 250 deals in one page; persons asked for by id, 100 a request.
    assert_eq!(api.requests_to("Deals").len(), 1);
    let person_requests = api.requests_to("Persons");
    let distinct_ids: std::collections::HashSet<i64> = api
        .rows("Deals")
        .iter()
        .filter_map(|d| match api.value("Deals", d, "PersonId") {
            Value::Int(n) => Some(*n),
            _ => None,
        })
        .collect();
    let asked: usize = person_requests
        .iter()
        .map(|r| r.param("ids").expect("an ids list").split(',').count())
        .sum();
    assert_eq!(asked, distinct_ids.len(), "each id asked for once");
    assert!(person_requests
        .iter()
        .all(|r| r.param("ids").unwrap().split(',').count() <= 100));
    assert_eq!(
        person_requests.len(),
        distinct_ids.len().div_ceil(100),
        "{person_requests:?}"
    );
}

#[test]
fn left_join_keeps_unmatched_rows_with_nulls() {
    let api = crm(120, 40);
    let rows = run(
        &api,
        "SELECT d.Id, d.Title, p.Name FROM Deals d LEFT OUTER JOIN Persons p ON d.PersonId = p.Id",
    );
    assert_eq!(rows.len(), 120, "one row per deal");
    assert_eq!(sorted(rows), deals_with_persons(&api, true));
    let prepared = prepare(
        &api,
        "SELECT d.Id, p.Name FROM Deals d LEFT JOIN Persons p ON d.PersonId = p.Id",
    )
    .unwrap();
    assert!(
        prepared.columns[1].nullable,
        "the LEFT JOIN side is nullable"
    );
}

#[test]
fn odbc_outer_join_escape_is_a_left_join() {
    let api = crm(60, 20);
    let rows = run(
        &api,
        "SELECT d.Id, d.Title, p.Name FROM {oj Deals d LEFT OUTER JOIN Persons p ON d.PersonId = p.Id}",
    );
    assert_eq!(sorted(rows), deals_with_persons(&api, true));
}

#[test]
fn conditions_on_the_right_of_a_left_join_differ_in_on_and_where() {
    let api = crm(90, 30);
    // In ON: filters the persons joined; every deal stays.
    let on = run(
        &api,
        "SELECT d.Id, p.Name FROM Deals d LEFT JOIN Persons p ON d.PersonId = p.Id AND p.Name LIKE 'Ann%'",
    );
    assert_eq!(on.len(), 90);
    let expected_on: Vec<Row> = sorted(
        deals_with_persons(&api, true)
            .into_iter()
            .map(|r| {
                let name = match &r[2] {
                    Value::Text(n) if n.starts_with("Ann") => r[2].clone(),
                    _ => Value::Null,
                };
                vec![r[0].clone(), name]
            })
            .collect(),
    );
    assert_eq!(sorted(on), expected_on);
    // In WHERE: IS NULL after the join finds the deals without a person.
    let unmatched = run(
        &api,
        "SELECT d.Id FROM Deals d LEFT JOIN Persons p ON d.PersonId = p.Id WHERE p.Id IS NULL",
    );
    let expected: Vec<Row> = deals_with_persons(&api, true)
        .into_iter()
        .filter(|r| r[2].is_null())
        .map(|r| vec![r[0].clone()])
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(sorted(unmatched), expected);
}

#[test]
fn comma_joins_with_where_are_inner_joins() {
    let api = crm(80, 30);
    let sql = "SELECT d.Id, d.Title, p.Name FROM Deals d, Persons p WHERE p.Id = d.PersonId AND d.Status = 'won'";
    let won: Vec<Row> = deals_with_persons(&api, false)
        .into_iter()
        .filter(|r| {
            let deal = api
                .rows("Deals")
                .into_iter()
                .find(|d| api.value("Deals", d, "Id") == &r[0])
                .unwrap();
            api.value("Deals", &deal, "Status") == &text("won")
        })
        .collect();
    assert_eq!(sorted(run(&api, sql)), won);
    // The deal conjunct went to the deals request.
    assert!(api
        .requests_to("Deals")
        .iter()
        .all(|r| r.param("status") == Some("won")));
}

#[test]
fn non_equi_joins_use_a_nested_loop() {
    let api = crm(30, 12);
    let sql = "SELECT d.Id, p.Id FROM Deals d JOIN Persons p ON p.Id < d.Id / 3 AND d.OwnerId = p.OwnerId";
    let prepared = prepare(&api, sql).unwrap();
    assert_eq!(joins(&prepared)[0].1, "hash, build right");
    let sql_loop = "SELECT d.Id, p.Id FROM Deals d JOIN Persons p ON p.Id < d.Id / 3";
    assert_eq!(joins(&prepare(&api, sql_loop).unwrap())[0].1, "nested loop");
    let mut expected = Vec::new();
    for d in api.rows("Deals") {
        for p in api.rows("Persons") {
            let (Value::Int(di), Value::Int(pi)) =
                (api.value("Deals", &d, "Id"), api.value("Persons", &p, "Id"))
            else {
                continue;
            };
            let same_owner = api.value("Deals", &d, "OwnerId")
                == api.value("Persons", &p, "OwnerId")
                && !api.value("Deals", &d, "OwnerId").is_null();
            if *pi < di / 3 {
                expected.push((vec![int(*di), int(*pi)], same_owner));
            }
        }
    }
    assert_eq!(
        sorted(run(&api, sql_loop)),
        sorted(expected.iter().map(|(r, _)| r.clone()).collect())
    );
    assert_eq!(
        sorted(run(&api, sql)),
        sorted(
            expected
                .into_iter()
                .filter(|(_, s)| *s)
                .map(|(r, _)| r)
                .collect()
        )
    );
}

#[test]
fn three_tables_and_qualified_stars() {
    let api = crm(40, 15);
    let sql = "SELECT d.Id, p.*, o.Name FROM Deals AS d \
               INNER JOIN Persons AS p ON d.PersonId = p.Id \
               LEFT JOIN Organizations o ON o.Id = p.OrgId";
    let prepared = prepare(&api, sql).unwrap();
    let persons = api.table("Persons");
    assert_eq!(prepared.columns.len(), 2 + persons.columns.len());
    assert_eq!(prepared.columns[1].name, "Id");
    assert_eq!(prepared.columns[1].table, "Persons");
    let rows = run(&api, sql);
    let mut expected = Vec::new();
    for d in api.rows("Deals") {
        for p in api.rows("Persons") {
            if api.value("Deals", &d, "PersonId").is_null()
                || api.value("Deals", &d, "PersonId") != api.value("Persons", &p, "Id")
            {
                continue;
            }
            let org = api
                .rows("Organizations")
                .into_iter()
                .find(|o| {
                    !api.value("Persons", &p, "OrgId").is_null()
                        && api.value("Organizations", o, "Id") == api.value("Persons", &p, "OrgId")
                })
                .map(|o| api.value("Organizations", &o, "Name").clone())
                .unwrap_or(Value::Null);
            let mut row = vec![api.value("Deals", &d, "Id").clone()];
            row.extend(p.iter().cloned());
            row.push(org);
            expected.push(row);
        }
    }
    assert_eq!(sorted(rows), sorted(expected));
}

#[test]
fn names_must_be_unambiguous() {
    let api = crm(5, 5);
    let e = run_err(
        &api,
        "SELECT Id FROM Deals d JOIN Persons p ON d.PersonId = p.Id",
    );
    assert_eq!(e.state, crate::diag::SqlState::SyntaxError);
    assert!(e.message.contains("ambiguous"), "{}", e.message);
    let e = run_err(
        &api,
        "SELECT x.Id FROM Deals d JOIN Persons p ON d.PersonId = p.Id",
    );
    assert_eq!(e.state, crate::diag::SqlState::ColumnNotFound);
    let e = run_err(&api, "SELECT q.* FROM Deals d");
    assert_eq!(e.state, crate::diag::SqlState::TableNotFound);
    // A self join with aliases is fine.
    let rows = run(
        &api,
        "SELECT a.Id, b.Id FROM Deals a JOIN Deals b ON a.Id = b.Id - 1 ORDER BY a.Id",
    );
    assert_eq!(
        rows,
        (1..5).map(|i| vec![int(i), int(i + 1)]).collect::<Vec<_>>()
    );
}

#[test]
fn a_limited_outer_side_asks_for_few_ids() {
    let api = crm(300, 120);
    let rows = run(
        &api,
        "SELECT d.Id, p.Name FROM Deals d LEFT JOIN Persons p ON d.PersonId = p.Id LIMIT 5",
    );
    assert_eq!(rows.len(), 5);
    let deals = api.requests_to("Deals");
    assert_eq!(deals.len(), 1);
    assert_eq!(
        deals[0].param("limit"),
        Some("5"),
        "the LIMIT went to the API"
    );
    let persons = api.requests_to("Persons");
    assert_eq!(persons.len(), 1);
    assert!(persons[0].param("ids").unwrap().split(',').count() <= 5);
}

#[test]
fn no_outer_rows_means_no_inner_request() {
    let api = crm(50, 20);
    for sql in [
        "SELECT d.Id FROM Deals d JOIN Persons p ON d.PersonId = p.Id WHERE d.OwnerId = 99",
        "SELECT d.Id FROM Deals d LEFT JOIN Users u ON d.OwnerId = u.Id WHERE d.OwnerId = 99",
        "SELECT d.Id FROM Deals d JOIN Persons p ON d.Title < p.Name WHERE d.OwnerId = 99",
    ] {
        api.clear_requests();
        assert!(run(&api, sql).is_empty(), "{sql}");
        assert!(api.requests_to("Persons").is_empty(), "{sql}");
        assert!(api.requests_to("Users").is_empty(), "{sql}");
    }
}

#[test]
fn a_single_outer_row_gets_its_user_by_id() {
    let api = crm(50, 20);
    let sql =
        "SELECT d.Title, u.Name FROM Deals d JOIN Users u ON u.Id = d.OwnerId WHERE d.Id = 10";
    assert_eq!(
        joins(&prepare(&api, sql).unwrap()),
        [(JoinKind::Inner, "get by id".to_string())]
    );
    let rows = run(&api, sql);
    assert_eq!(rows.len(), 1);
    let users = api.requests_to("Users");
    assert_eq!(users.len(), 1);
    assert_eq!(users[0].kind, "get");
    // Without a bound on the deals, the one-request user list is scanned.
    let scan = "SELECT d.Title, u.Name FROM Deals d JOIN Users u ON u.Id = d.OwnerId";
    assert_eq!(
        joins(&prepare(&api, scan).unwrap())[0].1,
        "hash, build right"
    );
}

#[test]
fn many_distinct_keys_switch_to_a_scan_after_the_budget() {
    // 3,000 persons referenced: 30 id requests would cost more than the
    // assumed 10-page scan, so after 10 the table is scanned.
    let persons = 3_000;
    let mut api = FakeApi::new();
    api.insert(
        "Persons",
        (1..=persons)
            .map(|i| vec![("Id", int(i)), ("Name", text(&format!("P{i}")))])
            .collect(),
    );
    api.insert(
        "Deals",
        (1..=persons)
            .map(|i| vec![("Id", int(i)), ("PersonId", int(persons + 1 - i))])
            .collect(),
    );
    let api = Arc::new(api);
    let rows = run(
        &api,
        "SELECT d.Id, p.Name FROM Deals d JOIN Persons p ON d.PersonId = p.Id",
    );
    assert_eq!(rows.len(), persons as usize);
    assert!(rows
        .iter()
        .all(|r| matches!((&r[0], &r[1]), (Value::Int(d), Value::Text(n)) if *n == format!("P{}", persons + 1 - d))));
    let requests = api.requests_to("Persons");
    let by_ids = requests.iter().filter(|r| r.param("ids").is_some()).count();
    let scans = requests.iter().filter(|r| r.param("ids").is_none()).count();
    assert_eq!(by_ids, 10, "the budget");
    assert_eq!(scans, (persons as usize).div_ceil(500));
}

#[test]
fn an_inner_join_holds_the_side_known_to_be_small() {
    let api = crm(50, 20);
    let sql = "SELECT p.Name, d.Id FROM Persons p JOIN Deals d ON d.PersonId = p.Id WHERE p.Id = 3";
    // One person (by id) against all deals: hold the person, stream deals.
    assert_eq!(joins(&prepare(&api, sql).unwrap())[0].1, "hash, build left");
    let expected: Vec<Row> = api
        .rows("Deals")
        .iter()
        .filter(|d| api.value("Deals", d, "PersonId") == &int(3))
        .map(|d| vec![text("Ann 3"), api.value("Deals", d, "Id").clone()])
        .collect();
    assert_eq!(sorted(run(&api, sql)), sorted(expected));
}

#[test]
fn joins_with_derived_and_system_tables() {
    let api = crm(30, 10);
    let rows = run(
        &api,
        "SELECT t.TableName, c.n FROM sys_tables t \
         JOIN (SELECT TableName, COUNT(*) AS n FROM sys_tablecolumns GROUP BY TableName) c \
         ON c.TableName = t.TableName WHERE t.TableName = 'Users'",
    );
    assert_eq!(
        rows,
        vec![vec![
            text("Users"),
            int(api.table("Users").columns.len() as i64)
        ]]
    );
}
