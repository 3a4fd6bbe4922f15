//! The SQL engine through unixODBC (odbc-api): joins, aggregates,
//! subqueries, UNION, sort and LIMIT pushdown, EXPLAIN and the sys_ tables,
//! each checked against the simulator's data computed by brute force, and
//! the API requests each query makes (`sim.stats()`, `sim.requests()`).

mod common;

use common::sql_state;

use odbc_api::Environment;
use pipedrive_sim::{SimConfig, Simulator};
use serde_json::Value as Json;
use std::collections::{BTreeMap, HashMap, HashSet};

use common::TextRow;

fn start(deals: u64, persons: u64) -> Simulator {
    Simulator::start(SimConfig {
        token: common::TOKEN.to_string(),
        deals,
        persons,
        seed: 11,
        ..SimConfig::default()
    })
    .expect("simulator starts")
}

fn some(s: impl ToString) -> Option<String> {
    Some(s.to_string())
}

fn listed_deals(sim: &Simulator) -> Vec<Json> {
    sim.dataset()
        .deals()
        .filter(|d| d["status"].as_str() != Some("deleted"))
        .collect()
}

fn id_of(j: &Json) -> i64 {
    j["id"].as_i64().expect("an id")
}

fn requests(sim: &Simulator, endpoint: &str) -> u64 {
    sim.stats().endpoint(endpoint).requests
}

fn sorted(mut rows: Vec<TextRow>) -> Vec<TextRow> {
    rows.sort();
    rows
}

#[test]
fn deals_join_persons_fetches_only_the_referenced_persons() {
    let sim = start(1000, 600);
    let env = Environment::new().unwrap();
    let conn = common::connect(&env, &sim);
    let names: HashMap<i64, String> = sim
        .dataset()
        .persons()
        .map(|p| (id_of(&p), p["name"].as_str().unwrap().to_string()))
        .collect();
    let deals = listed_deals(&sim);
    let expected: Vec<TextRow> = deals
        .iter()
        .filter_map(|d| {
            let name = names.get(&d["person_id"].as_i64()?)?;
            Some(vec![some(id_of(d)), some(name)])
        })
        .collect();
    sim.reset_stats();
    let rows = common::query_text(
        &conn,
        "SELECT d.Id, p.Name FROM Deals d INNER JOIN Persons p ON d.PersonId = p.Id",
    );
    assert_eq!(sorted(rows), sorted(expected));
    let distinct: HashSet<i64> = deals
        .iter()
        .filter_map(|d| d["person_id"].as_i64())
        .collect();
    assert_eq!(
        requests(&sim, "GET /api/v2/persons"),
        (distinct.len() as u64).div_ceil(100),
        "persons fetched 100 ids a request"
    );
    assert_eq!(
        requests(&sim, "GET /api/v2/deals"),
        (deals.len() as u64).div_ceil(500)
    );
}

#[test]
fn left_join_with_limit_asks_for_few_rows() {
    let sim = start(2000, 300);
    let env = Environment::new().unwrap();
    let conn = common::connect(&env, &sim);
    let names: HashMap<i64, String> = sim
        .dataset()
        .persons()
        .map(|p| (id_of(&p), p["name"].as_str().unwrap().to_string()))
        .collect();
    sim.reset_stats();
    let rows = common::query_text(
        &conn,
        "SELECT d.Id, p.Name FROM Deals d LEFT JOIN Persons p ON d.PersonId = p.Id LIMIT 5",
    );
    let expected: Vec<TextRow> = listed_deals(&sim)
        .iter()
        .take(5)
        .map(|d| {
            let name = d["person_id"].as_i64().and_then(|p| names.get(&p)).cloned();
            vec![some(id_of(d)), name]
        })
        .collect();
    assert_eq!(rows, expected);
    let stats = sim.stats();
    assert_eq!(stats.endpoint("GET /api/v2/deals").requests, 1);
    assert_eq!(stats.endpoint("GET /api/v2/deals").rows, 5);
    assert!(stats.endpoint("GET /api/v2/persons").requests <= 1);
    assert!(stats.endpoint("GET /api/v2/persons").rows <= 5);
}

#[test]
fn a_single_deal_gets_its_owner_and_stage_by_id() {
    let sim = start(300, 50);
    let env = Environment::new().unwrap();
    let conn = common::connect(&env, &sim);
    let deal = sim.dataset().deal(42).unwrap();
    let user = sim
        .dataset()
        .user(deal["owner_id"].as_u64().unwrap())
        .unwrap();
    let stage = sim
        .dataset()
        .stage(deal["stage_id"].as_u64().unwrap())
        .unwrap();
    sim.reset_stats();
    let rows = common::query_text(
        &conn,
        "SELECT d.Title, u.Name, s.Name FROM Deals d \
         JOIN Users u ON u.Id = d.OwnerId JOIN Stages s ON s.Id = d.StageId WHERE d.Id = 42",
    );
    assert_eq!(
        rows,
        vec![vec![
            some(deal["title"].as_str().unwrap()),
            some(user["name"].as_str().unwrap()),
            some(stage["name"].as_str().unwrap())
        ]]
    );
    let stats = sim.stats();
    assert_eq!(stats.endpoint("GET /api/v2/deals/{id}").requests, 1);
    assert_eq!(stats.endpoint("GET /api/v1/users/{id}").requests, 1);
    assert_eq!(stats.endpoint("GET /api/v2/stages/{id}").requests, 1);
    assert_eq!(stats.endpoint("GET /api/v1/users").requests, 0);
    assert_eq!(stats.endpoint("GET /api/v2/stages").requests, 0);
}

#[test]
fn group_by_and_aggregates_match_brute_force() {
    let sim = start(1500, 100);
    let env = Environment::new().unwrap();
    let conn = common::connect(&env, &sim);
    let mut groups: BTreeMap<i64, (u64, f64, f64, f64)> = BTreeMap::new();
    for d in listed_deals(&sim) {
        let value = d["value"].as_f64().unwrap_or(0.0);
        let g =
            groups
                .entry(d["owner_id"].as_i64().unwrap())
                .or_insert((0, 0.0, f64::MAX, f64::MIN));
        g.0 += 1;
        g.1 += value;
        g.2 = g.2.min(value);
        g.3 = g.3.max(value);
    }
    let rows = common::query_text(
        &conn,
        "SELECT OwnerId, COUNT(*), SUM(Value), MIN(Value), MAX(Value) FROM Deals GROUP BY OwnerId ORDER BY OwnerId",
    );
    assert_eq!(rows.len(), groups.len());
    for (row, (owner, (n, sum, min, max))) in rows.iter().zip(&groups) {
        let number = |i: usize| row[i].as_deref().unwrap().parse::<f64>().unwrap();
        assert_eq!(row[0], some(owner));
        assert_eq!(row[1], some(n));
        assert!(
            (number(2) - sum).abs() < 1e-6 * sum.abs().max(1.0),
            "{row:?}"
        );
        assert_eq!(number(3), *min);
        assert_eq!(number(4), *max);
    }
    // Over no rows: one row, COUNT 0 and SUM NULL.
    assert_eq!(
        common::query_text(
            &conn,
            "SELECT COUNT(*), SUM(Value) FROM Deals WHERE OwnerId = 99999"
        ),
        vec![vec![some(0), None]]
    );
    // An ungrouped column is named.
    let Err(err) = conn.execute(
        "SELECT OwnerId, Title FROM Deals GROUP BY OwnerId",
        (),
        None,
    ) else {
        panic!("an ungrouped column must fail");
    };
    assert_eq!(sql_state(&err), "42000");
    assert!(err.to_string().contains("Title"), "{err}");
}

#[test]
fn in_and_not_in_subqueries_follow_sql_null_rules() {
    let sim = start(800, 200);
    let env = Environment::new().unwrap();
    let conn = common::connect(&env, &sim);
    let owned_by_2: HashSet<i64> = sim
        .dataset()
        .persons()
        .filter(|p| p["owner_id"].as_i64() == Some(2))
        .map(|p| id_of(&p))
        .collect();
    let expected: Vec<TextRow> = listed_deals(&sim)
        .iter()
        .filter(|d| {
            d["person_id"]
                .as_i64()
                .is_some_and(|p| owned_by_2.contains(&p))
        })
        .map(|d| vec![some(id_of(d))])
        .collect();
    let rows = common::query_text(
        &conn,
        "SELECT Id FROM Deals WHERE PersonId IN (SELECT Id FROM Persons WHERE OwnerId = 2)",
    );
    assert_eq!(sorted(rows), sorted(expected));

    let person_orgs: Vec<Option<i64>> = sim
        .dataset()
        .persons()
        .map(|p| p["org_id"].as_i64())
        .collect();
    let has_null = person_orgs.iter().any(Option::is_none);
    let known: HashSet<i64> = person_orgs.iter().flatten().copied().collect();
    let not_in = listed_deals(&sim)
        .iter()
        .filter(|d| !has_null && d["org_id"].as_i64().is_some_and(|o| !known.contains(&o)))
        .count();
    assert_eq!(
        common::query_text(
            &conn,
            "SELECT COUNT(*) FROM Deals WHERE OrgId NOT IN (SELECT OrgId FROM Persons)"
        ),
        vec![vec![some(not_in)]]
    );
    let not_in_known = listed_deals(&sim)
        .iter()
        .filter(|d| d["org_id"].as_i64().is_some_and(|o| !known.contains(&o)))
        .count();
    assert_eq!(
        common::query_text(
            &conn,
            "SELECT COUNT(*) FROM Deals WHERE OrgId NOT IN (SELECT OrgId FROM Persons WHERE OrgId IS NOT NULL)"
        ),
        vec![vec![some(not_in_known)]]
    );
}

#[test]
fn union_removes_duplicates_and_checks_columns() {
    let sim = start(50, 20);
    let env = Environment::new().unwrap();
    let conn = common::connect(&env, &sim);
    let owners: HashSet<i64> = listed_deals(&sim)
        .iter()
        .filter_map(|d| d["owner_id"].as_i64())
        .chain(
            sim.dataset()
                .persons()
                .filter_map(|p| p["owner_id"].as_i64()),
        )
        .collect();
    let rows = common::query_text(
        &conn,
        "SELECT OwnerId FROM Deals UNION SELECT OwnerId FROM Persons ORDER BY 1",
    );
    let mut expected: Vec<i64> = owners.into_iter().collect();
    expected.sort();
    assert_eq!(
        rows,
        expected.iter().map(|o| vec![some(o)]).collect::<Vec<_>>()
    );
    let all = common::query_text(
        &conn,
        "SELECT Id FROM Deals UNION ALL SELECT Id FROM Persons",
    );
    assert_eq!(all.len(), listed_deals(&sim).len() + 20);
    let Err(err) = conn.execute(
        "SELECT Id, Title FROM Deals UNION SELECT Id FROM Persons",
        (),
        None,
    ) else {
        panic!("a UNION of different widths must fail");
    };
    assert_eq!(sql_state(&err), "42000");
}

#[test]
fn order_by_id_with_limit_is_one_small_request() {
    let sim = start(3000, 20);
    let env = Environment::new().unwrap();
    let conn = common::connect(&env, &sim);
    let ids: Vec<i64> = listed_deals(&sim).iter().map(id_of).collect();
    sim.reset_stats();
    let rows = common::query_text(&conn, "SELECT Id FROM Deals ORDER BY Id LIMIT 3");
    assert_eq!(
        rows,
        ids[..3].iter().map(|i| vec![some(i)]).collect::<Vec<_>>()
    );
    assert_eq!(requests(&sim, "GET /api/v2/deals"), 1);
    assert_eq!(sim.stats().endpoint("GET /api/v2/deals").rows, 3);

    sim.reset_stats();
    let rows = common::query_text(&conn, "SELECT Id FROM Deals ORDER BY Id DESC LIMIT 3");
    let mut descending = ids.clone();
    descending.reverse();
    assert_eq!(
        rows,
        descending[..3]
            .iter()
            .map(|i| vec![some(i)])
            .collect::<Vec<_>>()
    );
    // ORDER BY Id goes to the API as sort_by=id (docs/tables.md).
    assert_eq!(requests(&sim, "GET /api/v2/deals"), 1, "sort pushed");
    // A sort the API cannot do, bounded by LIMIT.
    let mut by_title: Vec<(String, i64)> = listed_deals(&sim)
        .iter()
        .map(|d| (d["title"].as_str().unwrap().to_string(), id_of(d)))
        .collect();
    by_title.sort();
    let rows = common::query_text(
        &conn,
        "SELECT Title, Id FROM Deals ORDER BY Title, Id LIMIT 4",
    );
    assert_eq!(
        rows,
        by_title[..4]
            .iter()
            .map(|(t, i)| vec![some(t), some(i)])
            .collect::<Vec<_>>()
    );
}

#[test]
fn explain_describes_requests_without_making_them() {
    let sim = start(100, 20);
    let env = Environment::new().unwrap();
    let conn = common::connect(&env, &sim);
    sim.reset_stats();
    let rows = common::query_text(
        &conn,
        "EXPLAIN SELECT d.Id, p.Name FROM Deals d JOIN Persons p ON d.PersonId = p.Id WHERE d.OwnerId = 3 LIMIT 10",
    );
    // Planning reads the custom-field definitions (once a connection); no
    // data is requested.
    assert_eq!(requests(&sim, "GET /api/v2/deals"), 0);
    assert_eq!(requests(&sim, "GET /api/v2/persons"), 0);
    let operations: Vec<&str> = rows.iter().map(|r| r[1].as_deref().unwrap()).collect();
    assert_eq!(operations[0], "List request");
    assert_eq!(rows[0][2].as_deref(), Some("GET /api/v2/deals"));
    assert!(
        rows[0][3].as_deref().unwrap().contains("owner_id=3"),
        "{rows:?}"
    );
    assert!(operations.contains(&"Fetch by ids"), "{operations:?}");
    assert!(operations.iter().any(|o| o.starts_with("Id lookup join")));
    assert_eq!(*operations.last().unwrap(), "Total");
}

#[test]
fn sys_tables_agree_with_the_catalog_functions() {
    let sim = start(10, 10);
    let env = Environment::new().unwrap();
    let conn = common::connect(&env, &sim);
    let mut catalog_tables: Vec<String> = Vec::new();
    for row in conn.tables("", "", "%", "").unwrap() {
        let row = row.unwrap();
        catalog_tables.push(row.table.as_str().unwrap().unwrap().to_string());
    }
    catalog_tables.sort();
    let rows = common::query_text(&conn, "SELECT TableName FROM sys_tables ORDER BY TableName");
    assert_eq!(
        rows,
        catalog_tables
            .iter()
            .map(|t| vec![some(t)])
            .collect::<Vec<_>>()
    );
    // Custom-field columns included, as SQLColumns lists them.
    let mut catalog_columns = 0;
    for row in conn.columns("", "", "Deals", "%").unwrap() {
        row.unwrap();
        catalog_columns += 1;
    }
    assert_eq!(
        common::query_text(
            &conn,
            "SELECT COUNT(*) FROM sys_tablecolumns WHERE TableName = 'Deals'"
        ),
        vec![vec![some(catalog_columns)]]
    );
    let keys = common::query_text(
        &conn,
        "SELECT k.ColumnName, k.ReferencedTableName FROM sys_foreignkeys k \
         JOIN sys_tables t ON t.TableName = k.ReferencedTableName \
         WHERE k.TableName = 'Deals' AND k.ColumnName = 'PersonId'",
    );
    assert_eq!(keys, vec![vec![some("PersonId"), some("Persons")]]);
}
