//! Search (v2) and the v1 deal reports, against brute force over the
//! dataset.

mod write_support;

use serde_json::{json, Value};
use write_support::*;

fn item_ids(sim: &pipedrive_sim::Simulator, path: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            Some(c) => format!("{path}&cursor={c}"),
            None => path.to_string(),
        };
        let a = send(sim, "GET", &url, None);
        assert_eq!(a.status, 200, "{url}: {}", a.body);
        for hit in a.body["data"]["items"].as_array().unwrap() {
            assert!(hit["result_score"].as_f64().unwrap() > 0.0);
            out.push(json!([hit["item"]["type"], hit["item"]["id"]]));
        }
        match &a.body["additional_data"]["next_cursor"] {
            Value::String(c) => cursor = Some(c.clone()),
            _ => return out,
        }
    }
}

#[test]
fn deal_search_matches_titles_and_filters() {
    let sim = start_sim(300);
    let deals: Vec<Value> = sim
        .dataset()
        .deals()
        .filter(|d| d["status"] != "deleted")
        .collect();
    let term = "café";
    let want: Vec<Value> = deals
        .iter()
        .filter(|d| d["title"].as_str().unwrap().to_lowercase().contains(term))
        .map(|d| json!(["deal", d["id"]]))
        .collect();
    assert!(!want.is_empty());
    assert_eq!(
        item_ids(
            &sim,
            "/api/v2/deals/search?term=caf%C3%A9&fields=title&limit=3"
        ),
        want
    );
    let open: Vec<Value> = deals
        .iter()
        .filter(|d| {
            d["status"] == "open" && d["title"].as_str().unwrap().to_lowercase().contains(term)
        })
        .map(|d| json!(["deal", d["id"]]))
        .collect();
    assert_eq!(
        item_ids(
            &sim,
            "/api/v2/deals/search?term=CAF%C3%89&fields=title&status=open"
        ),
        open
    );
    // Exact match compares whole titles, case-insensitively.
    let title = deals[3]["title"].as_str().unwrap().to_uppercase();
    let exact = item_ids(
        &sim,
        &format!(
            "/api/v2/deals/search?exact_match=true&fields=title&term={}",
            urlencode(&title)
        ),
    );
    assert!(exact.contains(&json!(["deal", deals[3]["id"]])));
    assert!(exact.len() < deals.len());
}

#[test]
fn term_length_rules() {
    let sim = start_sim(20);
    for path in [
        "/api/v2/deals/search",
        "/api/v2/persons/search",
        "/api/v2/organizations/search",
        "/api/v2/itemSearch",
    ] {
        refused(&sim, "GET", path, None, 400);
        refused(&sim, "GET", &format!("{path}?term=a"), None, 400);
        assert_eq!(
            send(
                &sim,
                "GET",
                &format!("{path}?term=a&exact_match=true"),
                None
            )
            .status,
            200,
            "{path}"
        );
        assert_eq!(
            send(&sim, "GET", &format!("{path}?term=ab"), None).status,
            200,
            "{path}"
        );
    }
    refused(
        &sim,
        "GET",
        "/api/v2/itemSearch?term=ab&limit=101",
        None,
        400,
    );
    refused(
        &sim,
        "GET",
        "/api/v2/itemSearch?term=ab&item_types=spaceship",
        None,
        400,
    );
    refused(
        &sim,
        "GET",
        "/api/v2/deals/search?term=ab&fields=colour",
        None,
        400,
    );
}

#[test]
fn person_and_organization_search() {
    let sim = start_sim(50);
    let persons: Vec<Value> = sim.dataset().persons().collect();
    let email = persons
        .iter()
        .find_map(|p| p["emails"][0]["value"].as_str())
        .unwrap()
        .to_string();
    let want: Vec<Value> = persons
        .iter()
        .filter(|p| {
            p["emails"].as_array().unwrap().iter().any(|e| {
                e["value"]
                    .as_str()
                    .unwrap()
                    .to_lowercase()
                    .contains(&email.to_lowercase())
            })
        })
        .map(|p| json!(["person", p["id"]]))
        .collect();
    assert_eq!(
        item_ids(
            &sim,
            &format!(
                "/api/v2/persons/search?fields=email&term={}",
                urlencode(&email)
            )
        ),
        want
    );
    let orgs: Vec<Value> = sim.dataset().organizations().collect();
    let want: Vec<Value> = orgs
        .iter()
        .filter(|o| o["name"].as_str().unwrap().to_lowercase().contains("gmbh"))
        .map(|o| json!(["organization", o["id"]]))
        .collect();
    assert_eq!(
        item_ids(
            &sim,
            "/api/v2/organizations/search?term=GmbH&fields=name&limit=2"
        ),
        want
    );
}

#[test]
fn item_search_spans_types() {
    let sim = start_sim(100);
    // An organization name that deal titles repeat.
    let deal = sim
        .dataset()
        .deals()
        .find(|d| d["org_id"].is_u64() && d["status"] != "deleted")
        .unwrap();
    let org = sim
        .dataset()
        .organization(deal["org_id"].as_u64().unwrap())
        .unwrap();
    let word = org["name"]
        .as_str()
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .to_string();
    let hits = item_ids(
        &sim,
        &format!("/api/v2/itemSearch?term={}&limit=5", urlencode(&word)),
    );
    assert!(
        hits.contains(&json!(["deal", deal["id"]]))
            && hits.contains(&json!(["organization", org["id"]]))
    );
    let types: Vec<&str> = hits.iter().map(|h| h[0].as_str().unwrap()).collect();
    assert!(
        types.contains(&"deal") && types.contains(&"organization"),
        "{types:?}"
    );
    let only_products = item_ids(&sim, "/api/v2/itemSearch?term=licence&item_types=product");
    let want: Vec<Value> = sim
        .dataset()
        .records("products")
        .unwrap()
        .iter()
        .filter(|p| {
            p["name"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .contains("licence")
        })
        .map(|p| json!(["product", p["id"]]))
        .collect();
    assert_eq!(only_products, want);
}

#[test]
fn summary_and_timeline_match_brute_force() {
    let sim = start_sim(200);
    let deals: Vec<Value> = sim
        .dataset()
        .deals()
        .filter(|d| d["status"] != "deleted")
        .collect();
    let summary = get_data(&sim, "/v1/deals/summary?pipeline_id=1");
    let in_pipeline: Vec<&Value> = deals.iter().filter(|d| d["pipeline_id"] == 1).collect();
    assert_eq!(summary["total_count"], in_pipeline.len() as u64);
    let eur: f64 = in_pipeline
        .iter()
        .filter(|d| d["currency"] == "EUR")
        .map(|d| d["value"].as_f64().unwrap())
        .sum();
    let got = summary["values_total"]["EUR"]["value"]
        .as_f64()
        .unwrap_or(0.0);
    assert!((got - eur).abs() < 0.01, "{got} vs {eur}");
    refused(&sim, "GET", "/v1/deals/summary?status=deleted", None, 400);

    let timeline = get_data(
        &sim,
        "/v1/deals/timeline?start_date=2022-01-01&interval=quarter&amount=4&field_key=add_time",
    );
    let want: Vec<u64> = deals
        .iter()
        .filter(|d| {
            let t = d["add_time"].as_str().unwrap();
            ("2022-01-01".."2023-01-01").contains(&&t[..10])
        })
        .map(|d| d["id"].as_u64().unwrap())
        .collect();
    let got: Vec<u64> = timeline["deals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_u64().unwrap())
        .collect();
    assert_eq!(got, want);
    assert_eq!(timeline["totals"]["count"], want.len() as u64);
    assert_eq!(timeline["period_start"], "2022-01-01 00:00:00");
    assert_eq!(timeline["period_end"], "2022-12-31 23:59:59");
    refused(
        &sim,
        "GET",
        "/v1/deals/timeline?start_date=2022-01-01&interval=year&amount=1&field_key=add_time",
        None,
        400,
    );
    refused(
        &sim,
        "GET",
        "/v1/deals/timeline?start_date=2022-01-01&interval=month&amount=1&field_key=title",
        None,
        400,
    );
    // A write shows in the next report.
    ok(
        &sim,
        "PATCH",
        &format!("/api/v2/deals/{}", in_pipeline[0]["id"]),
        Some(&json!({"pipeline_id": 2})),
        200,
    );
    assert_eq!(
        get_data(&sim, "/v1/deals/summary?pipeline_id=1")["total_count"],
        in_pipeline.len() as u64 - 1
    );
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
