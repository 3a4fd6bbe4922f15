//! Every table of the data model against the simulator, through unixODBC:
//! `SELECT * ... LIMIT 1` answers for each; child tables take their parent
//! ids from the WHERE clause, a join or a walk of the parent table, with the
//! request counts that implies; the timeline and goals views send their
//! input parameters. Expected rows come from the simulator's own answers.

mod common;

use odbc_api::buffers::TextRowSet;
use odbc_api::{Connection, Cursor, Environment};
use pipedrive_sim::{SimConfig, Simulator};
use serde_json::Value as Json;
use std::collections::BTreeSet;

type TextRow = Vec<Option<String>>;

/// Every table and view of docs/tables.md.
const ALL_TABLES: &[&str] = &[
    "Deals",
    "Persons",
    "Organizations",
    "Activities",
    "Products",
    "Pipelines",
    "Stages",
    "Users",
    "Notes",
    "NoteComments",
    "Leads",
    "LeadLabels",
    "LeadSources",
    "Files",
    "Filters",
    "Goals",
    "ActivityTypes",
    "CallLogs",
    "Currencies",
    "Projects",
    "Tasks",
    "Roles",
    "Webhooks",
    "OrganizationRelationships",
    "DealProducts",
    "DealFollowers",
    "DealParticipants",
    "PersonFollowers",
    "OrganizationFollowers",
    "ProductFollowers",
    "DealFields",
    "PersonFields",
    "OrganizationFields",
    "ProductFields",
    "ActivityFields",
    "NoteFields",
    "LeadFields",
    "ProjectFields",
    "CurrentUser",
    "DealsSummary",
    "DealsTimeline",
    "DealsTimelineTotals",
    "DealsTimelineDeals",
    "DealFieldOptions",
    "PersonFieldOptions",
    "OrganizationFieldOptions",
    "ProductFieldOptions",
    "ActivityFieldOptions",
    "ProjectFieldOptions",
    "NoteFieldOptions",
    "LeadFieldOptions",
    "PersonEmails",
    "PersonPhones",
    "DealLabels",
    "PersonLabels",
    "OrganizationLabels",
    "ProductPrices",
];

fn start(deals: u64) -> Simulator {
    Simulator::start(SimConfig {
        token: common::TOKEN.to_string(),
        deals,
        seed: 5,
        ..SimConfig::default()
    })
    .expect("simulator starts")
}

fn query(conn: &Connection, sql: &str) -> Vec<TextRow> {
    let mut cursor = conn
        .execute(sql, (), None)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .expect("a result set");
    let mut buffer = TextRowSet::for_cursor(500, &mut cursor, Some(4096)).unwrap();
    let mut block = cursor.bind_buffer(&mut buffer).unwrap();
    let mut rows = Vec::new();
    while let Some(batch) = block.fetch().unwrap() {
        for r in 0..batch.num_rows() {
            rows.push(
                (0..batch.num_cols())
                    .map(|c| batch.at_as_str(c, r).unwrap().map(str::to_string))
                    .collect(),
            );
        }
    }
    rows
}

/// The simulator's answer to a GET, as the ground truth (made before the
/// request log is reset).
fn api(sim: &Simulator, path_and_query: &str) -> Json {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", sim.port())).expect("connects");
    write!(
        stream,
        "GET {path_and_query} HTTP/1.0\r\nHost: 127.0.0.1\r\nx-api-token: {}\r\nConnection: close\r\n\r\n",
        common::TOKEN
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("an answer");
    let body = answer
        .split_once("\r\n\r\n")
        .map(|(_, body)| body)
        .unwrap_or_else(|| panic!("{path_and_query}: {answer}"));
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{path_and_query}: {e}: {body}"))
}

/// Requests to an endpoint key (`GET /api/v2/deals/{id}/followers`).
fn requests_to(sim: &Simulator, endpoint: &str) -> Vec<String> {
    sim.requests()
        .into_iter()
        .filter(|r| r.endpoint.as_deref() == Some(endpoint))
        .map(|r| format!("{}?{}", r.path, r.query))
        .collect()
}

fn listed_deal_ids(sim: &Simulator) -> Vec<i64> {
    let mut ids = common::listed_deal_ids(sim);
    ids.sort();
    ids
}

fn sorted(mut rows: Vec<TextRow>) -> Vec<TextRow> {
    rows.sort();
    rows
}

fn text(v: &Json) -> Option<String> {
    match v {
        Json::Null => None,
        Json::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

#[test]
fn every_table_answers_select_star_limit_1() {
    let sim = start(60);
    let env = Environment::new().unwrap();
    let conn = common::connect(&env, &sim);
    // The timeline's default window is the last 12 months, later than
    // the simulator's deals: these views are asked for its whole range.
    let all_years = "WHERE StartDate = '2018-01-01' AND IntervalType = 'quarter' AND Amount = 40";
    let mut empty = Vec::new();
    for table in ALL_TABLES {
        let rows = query(&conn, &format!("SELECT * FROM {table} LIMIT 1"));
        assert!(rows.len() <= 1, "{table}: {} rows", rows.len());
        let rows = if table.starts_with("DealsTimeline") {
            query(&conn, &format!("SELECT * FROM {table} {all_years} LIMIT 1"))
        } else {
            rows
        };
        if rows.is_empty() {
            empty.push(*table);
        }
    }
    // The simulator's note fields have no options (its enum field
    // `pinned_to_deal_flag` lists none), so NoteFieldOptions has no row.
    assert_eq!(
        empty,
        ["NoteFieldOptions"],
        "the simulator has rows for every other table"
    );
    // The model has no table the list above misses.
    let listed: BTreeSet<String> = query(&conn, "SELECT TableName FROM sys_tables")
        .into_iter()
        .filter_map(|r| r[0].clone())
        .filter(|n| !n.starts_with("sys_"))
        .collect();
    let expected: BTreeSet<String> = ALL_TABLES.iter().map(|t| t.to_string()).collect();
    assert_eq!(listed, expected);
}

#[test]
fn child_rows_of_the_parents_the_where_clause_names() {
    let sim = start(40);
    let env = Environment::new().unwrap();
    let conn = common::connect(&env, &sim);
    let mut expected = Vec::new();
    for id in [1, 2, 3] {
        for f in api(&sim, &format!("/api/v2/deals/{id}/followers"))["data"]
            .as_array()
            .unwrap()
        {
            expected.push(vec![Some(id.to_string()), text(&f["user_id"])]);
        }
    }
    assert!(!expected.is_empty(), "deals 1-3 have followers");
    sim.reset_requests();
    let rows = query(
        &conn,
        "SELECT DealId, UserId FROM DealFollowers WHERE DealId IN (1, 2, 3, 2)",
    );
    assert_eq!(sorted(rows), sorted(expected));
    let sent = requests_to(&sim, "GET /api/v2/deals/{id}/followers");
    assert_eq!(sent.len(), 3, "one request per distinct parent: {sent:?}");
    assert!(
        requests_to(&sim, "GET /api/v2/deals").is_empty(),
        "no walk of the deals"
    );

    // A parent named by `=` and a query-parameter parent.
    let relationships = api(&sim, "/api/v1/organizationRelationships?org_id=7")["data"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    sim.reset_requests();
    let rows = query(
        &conn,
        "SELECT OrgId, Id, CalculatedRelatedOrgId FROM OrganizationRelationships WHERE OrgId = 7",
    );
    let expected: Vec<TextRow> = relationships
        .iter()
        .map(|r| {
            vec![
                Some("7".into()),
                text(&r["id"]),
                text(&r["calculated_related_org_id"]),
            ]
        })
        .collect();
    assert_eq!(sorted(rows), sorted(expected));
    let sent = requests_to(&sim, "GET /api/v1/organizationRelationships");
    assert_eq!(sent.len(), 1);
    assert!(sent[0].contains("org_id=7"), "{sent:?}");
}

#[test]
fn child_table_without_parent_filter_walks_the_parents() {
    let sim = start(120);
    let env = Environment::new().unwrap();
    let conn = common::connect(&env, &sim);
    let deals = listed_deal_ids(&sim);
    let mut expected = Vec::new();
    for id in &deals {
        for f in api(&sim, &format!("/api/v2/deals/{id}/followers"))["data"]
            .as_array()
            .unwrap()
        {
            expected.push(vec![Some(id.to_string()), text(&f["user_id"])]);
        }
    }
    sim.reset_requests();
    let rows = query(&conn, "SELECT DealId, UserId FROM DealFollowers");
    assert_eq!(sorted(rows), sorted(expected));
    assert_eq!(
        requests_to(&sim, "GET /api/v2/deals").len() as u64,
        (deals.len() as u64).div_ceil(500),
        "the deal ids are listed once"
    );
    assert_eq!(
        requests_to(&sim, "GET /api/v2/deals/{id}/followers").len(),
        deals.len(),
        "one request per deal"
    );

    // LIMIT stops the walk as soon as it is met.
    let first_with_followers = deals
        .iter()
        .position(|id| {
            !api(&sim, &format!("/api/v2/deals/{id}/followers"))["data"]
                .as_array()
                .unwrap()
                .is_empty()
        })
        .expect("some deal has followers");
    sim.reset_requests();
    let rows = query(&conn, "SELECT * FROM DealFollowers LIMIT 1");
    assert_eq!(rows.len(), 1);
    assert_eq!(
        requests_to(&sim, "GET /api/v2/deals/{id}/followers").len(),
        first_with_followers + 1
    );
}

#[test]
fn child_rows_of_the_parents_a_subquery_yields() {
    let sim = start(150);
    let env = Environment::new().unwrap();
    let conn = common::connect(&env, &sim);
    let owner_deals: Vec<i64> = sim
        .dataset()
        .deals()
        .filter(|d| d["status"].as_str() != Some("deleted") && d["owner_id"].as_i64() == Some(3))
        .filter_map(|d| d["id"].as_i64())
        .collect();
    assert!(!owner_deals.is_empty());
    let mut expected = Vec::new();
    for id in &owner_deals {
        for f in api(&sim, &format!("/api/v2/deals/{id}/followers"))["data"]
            .as_array()
            .unwrap()
        {
            expected.push(vec![Some(id.to_string()), text(&f["user_id"])]);
        }
    }
    sim.reset_requests();
    let rows = query(
        &conn,
        "SELECT DealId, UserId FROM DealFollowers WHERE DealId IN (SELECT Id FROM Deals WHERE OwnerId = 3)",
    );
    assert_eq!(sorted(rows), sorted(expected));
    let deal_lists = requests_to(&sim, "GET /api/v2/deals");
    assert_eq!(deal_lists.len(), 1, "only the subquery lists deals");
    assert!(deal_lists[0].contains("owner_id=3"), "{deal_lists:?}");
    assert_eq!(
        requests_to(&sim, "GET /api/v2/deals/{id}/followers").len(),
        owner_deals.len()
    );
}

#[test]
fn deal_products_come_100_deals_a_request() {
    let sim = start(250);
    let env = Environment::new().unwrap();
    let conn = common::connect(&env, &sim);
    let deals = listed_deal_ids(&sim);
    let mut expected = Vec::new();
    let mut expected_requests = 0;
    for batch in deals.chunks(100) {
        let ids: Vec<String> = batch.iter().map(i64::to_string).collect();
        let mut cursor = String::new();
        loop {
            let page = api(
                &sim,
                &format!(
                    "/api/v2/deals/products?deal_ids={}&limit=500{cursor}",
                    ids.join(",")
                ),
            );
            expected_requests += 1;
            for p in page["data"].as_array().unwrap() {
                expected.push(vec![text(&p["id"]), text(&p["deal_id"])]);
            }
            match page["additional_data"]["next_cursor"].as_str() {
                Some(c) => cursor = format!("&cursor={c}"),
                None => break,
            }
        }
    }
    assert!(!expected.is_empty());
    sim.reset_requests();
    let rows = query(&conn, "SELECT Id, DealId FROM DealProducts");
    assert_eq!(sorted(rows), sorted(expected.clone()));
    assert_eq!(
        requests_to(&sim, "GET /api/v2/deals/products").len(),
        expected_requests
    );

    // The join on the parent id asks only for the joined deals' products.
    let owner_deals: Vec<i64> = sim
        .dataset()
        .deals()
        .filter(|d| d["status"].as_str() != Some("deleted") && d["owner_id"].as_i64() == Some(2))
        .filter_map(|d| d["id"].as_i64())
        .collect();
    let wanted: BTreeSet<String> = owner_deals.iter().map(i64::to_string).collect();
    let joined: Vec<TextRow> = expected
        .iter()
        .filter(|r| r[1].as_ref().is_some_and(|d| wanted.contains(d)))
        .cloned()
        .collect();
    sim.reset_requests();
    let rows = query(
        &conn,
        "SELECT p.Id, d.Id FROM Deals d JOIN DealProducts p ON p.DealId = d.Id WHERE d.OwnerId = 2",
    );
    assert_eq!(sorted(rows), sorted(joined));
    let sent = requests_to(&sim, "GET /api/v2/deals/products");
    assert_eq!(
        sent.len() as u64,
        (owner_deals.len() as u64).div_ceil(100).max(1),
        "{sent:?}"
    );
}

#[test]
fn joined_child_is_fetched_per_outer_parent() {
    let sim = start(80);
    let env = Environment::new().unwrap();
    let conn = common::connect(&env, &sim);
    let mut expected = Vec::new();
    for id in [4, 5] {
        for p in api(&sim, &format!("/api/v1/deals/{id}/participants"))["data"]
            .as_array()
            .unwrap()
        {
            expected.push(vec![Some(id.to_string()), text(&p["person_id"]["value"])]);
        }
    }
    sim.reset_requests();
    let rows = query(
        &conn,
        "SELECT d.Id, p.PersonId FROM Deals d JOIN DealParticipants p ON d.Id = p.DealId WHERE d.Id IN (4, 5)",
    );
    assert_eq!(sorted(rows), sorted(expected));
    assert_eq!(
        requests_to(&sim, "GET /api/v1/deals/{id}/participants").len(),
        2
    );
    assert_eq!(requests_to(&sim, "GET /api/v2/deals").len(), 1);
}

#[test]
fn explain_shows_the_parent_walk_and_the_requests_per_parent() {
    let sim = start(10);
    let env = Environment::new().unwrap();
    let conn = common::connect(&env, &sim);
    sim.reset_requests();
    let rows = query(&conn, "EXPLAIN SELECT * FROM NoteComments");
    assert!(sim.requests().is_empty(), "EXPLAIN makes no request");
    assert_eq!(rows[0][1].as_deref(), Some("List parent ids"));
    assert_eq!(rows[0][2].as_deref(), Some("GET /api/v1/notes"));
    assert_eq!(rows[1][1].as_deref(), Some("Fetch per parent"));
    assert_eq!(
        rows[1][2].as_deref(),
        Some("GET /api/v1/notes/{id}/comments")
    );
    assert_eq!(rows[1][3].as_deref(), Some("{id}=<each Notes id>"));

    let rows = query(
        &conn,
        "EXPLAIN SELECT * FROM DealProducts WHERE DealId IN (1, 2, 3)",
    );
    assert_eq!(rows[0][1].as_deref(), Some("Fetch per parent"));
    assert_eq!(rows[0][3].as_deref(), Some("deal_ids=1,2,3"));
    assert_eq!(rows[0][4].as_deref(), Some("at least 1"));

    let rows = query(
        &conn,
        "EXPLAIN SELECT d.Id FROM Deals d LEFT JOIN PersonFollowers f ON f.PersonId = d.PersonId",
    );
    let ops: Vec<String> = rows.iter().filter_map(|r| r[1].clone()).collect();
    assert!(ops.contains(&"Fetch by ids".to_string()), "{ops:?}");
    assert!(
        rows.iter()
            .any(|r| r[2].as_deref() == Some("GET /api/v2/persons/{id}/followers")),
        "{rows:?}"
    );
}

#[test]
fn timeline_views_send_their_inputs() {
    let sim = start(300);
    let env = Environment::new().unwrap();
    let conn = common::connect(&env, &sim);
    let inputs = "start_date=2024-01-01&interval=quarter&amount=8&field_key=add_time";
    let truth = api(&sim, &format!("/api/v1/deals/timeline?{inputs}"))["data"].clone();
    let totals = &truth["totals"];
    sim.reset_requests();
    let where_inputs = "WHERE StartDate = '2024-01-01' AND IntervalType = 'quarter' AND Amount = 8 AND FieldKey = 'add_time'";
    let rows = query(
        &conn,
        &format!("SELECT StartDate, Amount, DealCount, OpenCount, WonCount FROM DealsTimeline {where_inputs}"),
    );
    assert_eq!(
        rows,
        vec![vec![
            Some("2024-01-01".into()),
            Some("8".into()),
            text(&totals["count"]),
            text(&totals["open_count"]),
            text(&totals["won_count"]),
        ]]
    );
    let sent = requests_to(&sim, "GET /api/v1/deals/timeline");
    assert_eq!(sent.len(), 1);
    for part in inputs.split('&').chain(["exclude_deals=1"]) {
        assert!(sent[0].contains(part), "{part} in {sent:?}");
    }

    let deals = truth["deals"].as_array().unwrap();
    let rows = query(
        &conn,
        &format!("SELECT DealId, Status FROM DealsTimelineDeals {where_inputs} AND Status = 'won'"),
    );
    let won: Vec<TextRow> = deals
        .iter()
        .filter(|d| d["status"] == "won")
        .map(|d| vec![text(&d["id"]), text(&d["status"])])
        .collect();
    assert_eq!(sorted(rows), sorted(won));

    let rows = query(
        &conn,
        &format!("SELECT Currency, Value, WonValue FROM DealsTimelineTotals {where_inputs}"),
    );
    let values = totals["values"].as_object().unwrap();
    assert_eq!(rows.len(), values.len());
    for row in rows {
        let currency = row[0].clone().unwrap();
        let value: f64 = row[1].as_deref().unwrap().parse().unwrap();
        assert_eq!(Some(value), values[&currency].as_f64());
        let won: Option<f64> = row[2].as_deref().map(|v| v.parse().unwrap());
        assert_eq!(won, totals["won_values"][&currency].as_f64());
    }

    // Without inputs the documented defaults are sent.
    sim.reset_requests();
    query(&conn, "SELECT * FROM DealsTimeline");
    let sent = requests_to(&sim, "GET /api/v1/deals/timeline");
    assert!(
        sent[0].contains("interval=month") && sent[0].contains("amount=12"),
        "{sent:?}"
    );
    assert!(sent[0].contains("field_key=add_time") && sent[0].contains("start_date="));
}

#[test]
fn goals_are_active_unless_asked_otherwise() {
    let sim = start(10);
    let env = Environment::new().unwrap();
    let conn = common::connect(&env, &sim);
    let active = api(&sim, "/api/v1/goals/find")["data"]["goals"]
        .as_array()
        .unwrap()
        .len();
    let inactive = api(&sim, "/api/v1/goals/find?is_active=false")["data"]["goals"]
        .as_array()
        .unwrap()
        .len();
    sim.reset_requests();
    let rows = query(&conn, "SELECT COUNT(*) FROM Goals");
    assert_eq!(rows, vec![vec![Some(active.to_string())]]);
    let rows = query(&conn, "SELECT COUNT(*) FROM Goals WHERE IsActive = 0");
    assert_eq!(rows, vec![vec![Some(inactive.to_string())]]);
    let sent = requests_to(&sim, "GET /api/v1/goals/find");
    assert!(sent[0].contains("is_active=true"), "{sent:?}");
    assert!(sent[1].contains("is_active=false"), "{sent:?}");
}

#[test]
fn nested_arrays_are_rows_and_times_sort_in_the_api() {
    let sim = start(30);
    let env = Environment::new().unwrap();
    let conn = common::connect(&env, &sim);
    let person = api(&sim, "/api/v2/persons/3")["data"].clone();
    let expected: Vec<TextRow> = person["emails"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| vec![Some("3".into()), text(&e["value"])])
        .collect();
    sim.reset_requests();
    let rows = query(
        &conn,
        "SELECT PersonId, Value FROM PersonEmails WHERE PersonId = 3",
    );
    assert_eq!(sorted(rows), sorted(expected));
    let sent = requests_to(&sim, "GET /api/v2/persons");
    assert_eq!(sent.len(), 1);
    assert!(sent[0].contains("ids=3"), "{sent:?}");

    // AddTime is NOT NULL, so ORDER BY AddTime is the API's sort.
    sim.reset_requests();
    let rows = query(&conn, "SELECT Id FROM Deals ORDER BY AddTime DESC LIMIT 3");
    assert_eq!(rows.len(), 3);
    let sent = requests_to(&sim, "GET /api/v2/deals");
    assert_eq!(sent.len(), 1);
    assert!(
        sent[0].contains("sort_by=add_time") && sent[0].contains("sort_direction=desc"),
        "{sent:?}"
    );
}
