//! How many API requests queries cost, read from the simulator's counters
//! (`sim.stats()`) and request log (`sim.requests()`): LIMIT stops paging,
//! a full scan reads ceil(N/500) pages, `Id = k` is one get-by-id, pushed
//! filters and sorts travel as query parameters, and field metadata is
//! fetched once per connection.

mod common;

use odbc_api::{Connection, Cursor, Environment};
use pipedrive_sim::{LoggedRequest, SimConfig, Simulator};
use serde_json::Value as Json;
use std::collections::HashMap;

const LIST: &str = "GET /api/v2/deals";
const GET_ONE: &str = "GET /api/v2/deals/{id}";
const PAGE_SIZE: u64 = 500;

fn start(deals: u64) -> Simulator {
    Simulator::start(SimConfig {
        token: common::TOKEN.to_string(),
        deals,
        seed: 7,
        ..SimConfig::default()
    })
    .expect("simulator starts")
}

/// Runs `sql` and reads every row; returns the row count.
fn run(conn: &Connection, sql: &str) -> usize {
    let mut cursor = conn
        .execute(sql, (), None)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .expect("a result set");
    let mut n = 0;
    while cursor.next_row().unwrap().is_some() {
        n += 1;
    }
    n
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A logged request's query parameters, decoded.
fn params(request: &LoggedRequest) -> HashMap<String, String> {
    request
        .query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => (percent_decode(k), percent_decode(v)),
            None => (percent_decode(pair), String::new()),
        })
        .collect()
}

/// The logged requests to one endpoint.
fn requests_to(sim: &Simulator, endpoint: &str) -> Vec<LoggedRequest> {
    sim.requests()
        .into_iter()
        .filter(|r| r.endpoint.as_deref() == Some(endpoint))
        .collect()
}

fn listed_deals(sim: &Simulator) -> Vec<Json> {
    sim.dataset()
        .deals()
        .filter(|d| d["status"].as_str() != Some("deleted"))
        .collect()
}

#[test]
fn limit_5_is_one_list_request_for_five_rows() {
    let sim = start(3_000);
    let env = Environment::new().unwrap();
    let conn = common::connect(&env, &sim);
    // Field metadata is read on first use; read it before counting.
    run(&conn, "SELECT Id FROM Deals WHERE Id = 1");
    sim.reset_stats();
    sim.reset_requests();
    assert_eq!(run(&conn, "SELECT Id, Title FROM Deals LIMIT 5"), 5);
    let stats = sim.stats();
    assert_eq!(stats.endpoint(LIST).requests, 1);
    assert_eq!(
        stats.endpoint(LIST).rows,
        5,
        "the page asks for 5 rows only"
    );
    assert_eq!(
        stats.total_requests, 1,
        "no other request: {:?}",
        stats.endpoints
    );
    let logged = requests_to(&sim, LIST);
    assert_eq!(
        params(&logged[0]).get("limit").map(String::as_str),
        Some("5")
    );
}

/// The smallest simulator size whose list endpoint returns exactly
/// `listed` deals (deleted deals are not listed).
fn size_listing(listed: usize) -> u64 {
    let probe = start(listed as u64 * 2);
    let ids: Vec<i64> = common::listed_deal_ids(&probe);
    assert!(ids.len() >= listed, "the probe has enough listed deals");
    ids[listed - 1] as u64
}

#[test]
fn a_full_scan_reads_ceil_n_over_500_pages() {
    let exact = size_listing(1_500);
    for size in [1_234, exact] {
        let sim = start(size);
        let n = common::listed_deal_ids(&sim).len() as u64;
        if size == exact {
            assert_eq!(
                n % PAGE_SIZE,
                0,
                "{n} listed deals: a multiple of the page size"
            );
        } else {
            assert_ne!(
                n % PAGE_SIZE,
                0,
                "{n} listed deals: not a multiple of the page size"
            );
        }
        let env = Environment::new().unwrap();
        let conn = common::connect(&env, &sim);
        run(&conn, "SELECT Id FROM Deals WHERE Id = 1");
        sim.reset_stats();
        sim.reset_requests();
        assert_eq!(run(&conn, "SELECT Id, Title, Value FROM Deals") as u64, n);
        let stats = sim.stats();
        assert_eq!(
            stats.endpoint(LIST).requests,
            n.div_ceil(PAGE_SIZE),
            "{n} deals"
        );
        assert_eq!(stats.endpoint(LIST).rows, n);
        assert_eq!(
            stats.total_requests,
            n.div_ceil(PAGE_SIZE),
            "{:?}",
            stats.endpoints
        );
        for request in requests_to(&sim, LIST) {
            assert_eq!(
                params(&request).get("limit").map(String::as_str),
                Some("500"),
                "pages are the endpoint maximum: {}",
                request.query
            );
        }
    }
}

#[test]
fn id_equals_k_is_one_get_by_id() {
    let sim = start(2_000);
    let env = Environment::new().unwrap();
    let conn = common::connect(&env, &sim);
    run(&conn, "SELECT Id FROM Deals LIMIT 1");
    let k = common::listed_deal_ids(&sim)[777];
    sim.reset_stats();
    sim.reset_requests();
    assert_eq!(
        run(
            &conn,
            &format!("SELECT Id, Title, Value FROM Deals WHERE Id = {k}")
        ),
        1
    );
    let stats = sim.stats();
    assert_eq!(stats.endpoint(GET_ONE).requests, 1);
    assert_eq!(stats.endpoint(LIST).requests, 0);
    assert_eq!(stats.total_requests, 1, "{:?}", stats.endpoints);
    assert_eq!(
        requests_to(&sim, GET_ONE)[0].path,
        format!("/api/v2/deals/{k}")
    );
}

/// Each filter the Deals endpoint can evaluate is sent as its query
/// parameter, and the answer is still exactly the dataset's matching rows.
#[test]
fn pushed_filters_and_sorts_travel_as_query_parameters() {
    let sim = start(1_800);
    let deals = listed_deals(&sim);
    let env = Environment::new().unwrap();
    let conn = common::connect(&env, &sim);
    run(&conn, "SELECT Id FROM Deals LIMIT 1");

    let count = |pred: &dyn Fn(&Json) -> bool| deals.iter().filter(|d| pred(d)).count();
    let int_is = |key: &'static str, v: i64| move |d: &Json| d[key].as_i64() == Some(v);
    let first = &deals[100];
    let (owner, person, org) = (
        first["owner_id"].as_i64().unwrap(),
        first["person_id"].as_i64().unwrap(),
        first["org_id"].as_i64().unwrap(),
    );
    let (pipeline, stage) = (
        first["pipeline_id"].as_i64().unwrap(),
        first["stage_id"].as_i64().unwrap(),
    );
    let ids: Vec<i64> = deals
        .iter()
        .step_by(97)
        .map(|d| d["id"].as_i64().unwrap())
        .collect();
    let id_list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    // updated_since is inclusive, updated_until exclusive: `>=` and `<`.
    let since = "2023-01-01T00:00:00Z";
    let until = "2021-06-01T00:00:00Z";
    let updated = |d: &Json| d["update_time"].as_str().unwrap_or("").to_string();

    let cases: Vec<(String, Vec<(&str, String)>, usize)> = vec![
        (
            format!("SELECT Id FROM Deals WHERE OwnerId = {owner}"),
            vec![("owner_id", owner.to_string())],
            count(&int_is("owner_id", owner)),
        ),
        (
            format!("SELECT Id FROM Deals WHERE PersonId = {person}"),
            vec![("person_id", person.to_string())],
            count(&int_is("person_id", person)),
        ),
        (
            format!("SELECT Id FROM Deals WHERE OrgId = {org}"),
            vec![("org_id", org.to_string())],
            count(&int_is("org_id", org)),
        ),
        (
            format!("SELECT Id FROM Deals WHERE PipelineId = {pipeline}"),
            vec![("pipeline_id", pipeline.to_string())],
            count(&int_is("pipeline_id", pipeline)),
        ),
        (
            format!("SELECT Id FROM Deals WHERE StageId = {stage}"),
            vec![("stage_id", stage.to_string())],
            count(&int_is("stage_id", stage)),
        ),
        (
            "SELECT Id FROM Deals WHERE Status = 'won'".to_string(),
            vec![("status", "won".to_string())],
            count(&|d| d["status"] == "won"),
        ),
        (
            format!("SELECT Id FROM Deals WHERE Id IN ({id_list})"),
            vec![("ids", id_list.clone())],
            ids.len(),
        ),
        (
            "SELECT Id FROM Deals WHERE UpdateTime >= {ts '2023-01-01 00:00:00'}".to_string(),
            vec![("updated_since", since.to_string())],
            count(&|d| updated(d).as_str() >= since),
        ),
        (
            "SELECT Id FROM Deals WHERE UpdateTime < {ts '2021-06-01 00:00:00'}".to_string(),
            vec![("updated_until", until.to_string())],
            count(&|d| updated(d).as_str() < until),
        ),
        (
            format!("SELECT Id FROM Deals WHERE OwnerId = {owner} AND Status = 'open' AND PipelineId = {pipeline}"),
            vec![
                ("owner_id", owner.to_string()),
                ("status", "open".to_string()),
                ("pipeline_id", pipeline.to_string()),
            ],
            count(&|d| {
                int_is("owner_id", owner)(d) && d["status"] == "open" && int_is("pipeline_id", pipeline)(d)
            }),
        ),
        (
            "SELECT Id, UpdateTime FROM Deals ORDER BY UpdateTime DESC LIMIT 10".to_string(),
            vec![
                ("sort_by", "update_time".to_string()),
                ("sort_direction", "desc".to_string()),
                ("limit", "10".to_string()),
            ],
            10,
        ),
        (
            "SELECT Id FROM Deals ORDER BY Id LIMIT 3".to_string(),
            vec![("limit", "3".to_string())],
            3,
        ),
    ];
    for (sql, expected, rows) in cases {
        sim.reset_stats();
        sim.reset_requests();
        assert_eq!(run(&conn, &sql), rows, "{sql}");
        let logged = requests_to(&sim, LIST);
        assert!(!logged.is_empty(), "{sql}: no list request");
        for request in &logged {
            let sent = params(request);
            for (name, value) in &expected {
                assert_eq!(
                    sent.get(*name),
                    Some(value),
                    "{sql}: parameter {name} in {}",
                    request.query
                );
            }
        }
        // Pushed down, the filter leaves nothing to discard locally: exactly
        // the answer's rows come over the wire.
        let transferred = sim.stats().endpoint(LIST).rows as usize;
        assert_eq!(transferred, rows, "{sql}: rows transferred");
    }
}

#[test]
fn field_metadata_is_fetched_once_per_connection() {
    let sim = start(600);
    let env = Environment::new().unwrap();
    sim.reset_stats();
    let fields_requests = |sim: &Simulator| {
        let stats = sim.stats();
        stats.endpoint("GET /api/v2/dealFields").requests
            + stats.endpoint("GET /api/v1/dealFields").requests
    };
    {
        let conn = common::connect(&env, &sim);
        for sql in [
            "SELECT Id, Title FROM Deals LIMIT 5",
            "SELECT * FROM Deals WHERE Id = 3",
            "SELECT OwnerId, COUNT(*) FROM Deals GROUP BY OwnerId",
            "SELECT d.Id, p.Name FROM Deals d JOIN Persons p ON d.PersonId = p.Id WHERE d.Id < 20",
        ] {
            run(&conn, sql);
        }
        assert_eq!(
            fields_requests(&sim),
            1,
            "one dealFields request on the first connection"
        );
    }
    // The cache belongs to the connection: a new one reads the fields again.
    let conn = common::connect(&env, &sim);
    run(&conn, "SELECT Id FROM Deals LIMIT 1");
    run(&conn, "SELECT Title FROM Deals LIMIT 2");
    assert_eq!(
        fields_requests(&sim),
        2,
        "one more for the second connection"
    );
}
