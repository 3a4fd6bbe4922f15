//! v2 cursor pagination and v1 offset pagination, checked against the
//! dataset by brute force.

mod common;

use common::*;
use serde_json::Value;

/// Non-deleted deals (what `GET /deals` lists by default), ascending id.
fn listed_deal_ids(sim: &pipedrive_sim::Simulator) -> Vec<u64> {
    sim.dataset()
        .deals()
        .filter(|d| d["status"] != "deleted")
        .map(|d| d["id"].as_u64().unwrap())
        .collect()
}

#[test]
fn page_boundaries_cover_every_deal_exactly_once() {
    let sim = start(1000);
    let expected = listed_deal_ids(&sim);
    assert!(
        expected.len() > 900 && expected.len() < 1000,
        "some deals are deleted"
    );
    // Include a limit that divides the total, so the last page is full and
    // must still end with a null cursor rather than an empty extra page.
    let divisor = (2..=500)
        .rev()
        .find(|d| expected.len().is_multiple_of(*d))
        .unwrap_or(1);
    for limit in [
        500usize,
        499,
        1,
        100,
        divisor,
        expected.len() / 2,
        expected.len() / 2 + 1,
    ] {
        sim.reset_stats();
        let (records, pages) = fetch_all_v2(&sim, &format!("/api/v2/deals?limit={limit}"));
        assert_eq!(ids(&records), expected, "limit {limit}");
        assert_eq!(
            pages,
            expected.len().div_ceil(limit).max(1),
            "pages with limit {limit}"
        );
        let stats = sim.stats().endpoint("GET /api/v2/deals");
        assert_eq!(
            (stats.requests, stats.rows),
            (pages as u64, expected.len() as u64),
            "limit {limit}"
        );
    }
}

#[test]
fn pages_have_exactly_limit_records_until_the_last() {
    let sim = start(1000);
    let total = listed_deal_ids(&sim).len();
    let first = get_ok(&sim, "/api/v2/deals?limit=500");
    assert_eq!(first["data"].as_array().unwrap().len(), 500);
    let cursor = first["additional_data"]["next_cursor"]
        .as_str()
        .unwrap()
        .to_string();
    let second = get_ok(&sim, &format!("/api/v2/deals?limit=500&cursor={cursor}"));
    assert_eq!(second["data"].as_array().unwrap().len(), total - 500);
    assert_eq!(second["additional_data"]["next_cursor"], Value::Null);
    // The default page size is 100.
    assert_eq!(
        get_ok(&sim, "/api/v2/deals")["data"]
            .as_array()
            .unwrap()
            .len(),
        100
    );
}

#[test]
fn cursor_is_base64url_json_naming_the_next_record() {
    let sim = start(50);
    let body = get_ok(&sim, "/api/v2/deals?limit=10");
    let cursor = body["additional_data"]["next_cursor"].as_str().unwrap();
    assert!(
        cursor
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
        "{cursor}"
    );
    let next = get_ok(&sim, &format!("/api/v2/deals?limit=10&cursor={cursor}"));
    let first_next_id = next["data"][0]["id"].as_u64().unwrap();
    assert!(first_next_id > body["data"][9]["id"].as_u64().unwrap());
}

/// `(key, id)` brute-force order for a sort field of a record list.
fn sorted_ids(records: &[Value], field: &str, descending: bool) -> Vec<u64> {
    let mut keyed: Vec<(String, u64)> = records
        .iter()
        .map(|r| {
            let id = r["id"].as_u64().unwrap();
            // RFC 3339 UTC timestamps of fixed width sort correctly as text;
            // ids are zero-padded to sort as text too.
            let key = match field {
                "id" => format!("{id:020}"),
                "order_nr" => format!("{:020}", r["order_nr"].as_u64().unwrap()),
                f => r[f].as_str().unwrap().to_string(),
            };
            (key, id)
        })
        .collect();
    keyed.sort();
    if descending {
        keyed.reverse();
    }
    keyed.into_iter().map(|(_, id)| id).collect()
}

#[test]
fn every_sort_order_pages_consistently() {
    let sim = start(700);
    let all: Vec<Value> = sim
        .dataset()
        .deals()
        .filter(|d| d["status"] != "deleted")
        .collect();
    for field in ["id", "update_time", "add_time"] {
        for (direction, descending) in [("asc", false), ("desc", true)] {
            let (records, _) = fetch_all_v2(
                &sim,
                &format!("/api/v2/deals?limit=97&sort_by={field}&sort_direction={direction}"),
            );
            assert_eq!(
                ids(&records),
                sorted_ids(&all, field, descending),
                "{field} {direction}"
            );
        }
    }
}

#[test]
fn persons_organizations_pipelines_and_stages_paginate() {
    let sim = start(10);
    let persons: Vec<Value> = sim.dataset().persons().collect();
    let (records, _) = fetch_all_v2(
        &sim,
        "/api/v2/persons?limit=7&sort_by=update_time&sort_direction=desc",
    );
    assert_eq!(ids(&records), sorted_ids(&persons, "update_time", true));
    assert_eq!(
        records,
        sorted_ids(&persons, "update_time", true)
            .iter()
            .map(|&id| sim.dataset().person(id).unwrap())
            .collect::<Vec<_>>()
    );

    let orgs: Vec<Value> = sim.dataset().organizations().collect();
    let (records, pages) = fetch_all_v2(&sim, "/api/v2/organizations?limit=8");
    assert_eq!(ids(&records), sorted_ids(&orgs, "id", false));
    assert_eq!(pages, orgs.len().div_ceil(8));

    let (records, pages) = fetch_all_v2(&sim, "/api/v2/pipelines?limit=2");
    assert_eq!(records, sim.dataset().pipelines());
    assert_eq!(pages, 2);

    let stages = sim.dataset().stages();
    let (records, _) = fetch_all_v2(&sim, "/api/v2/stages?limit=4&sort_by=order_nr");
    assert_eq!(ids(&records), sorted_ids(&stages, "order_nr", false));
    let (records, _) = fetch_all_v2(
        &sim,
        "/api/v2/stages?limit=3&sort_by=add_time&sort_direction=desc",
    );
    assert_eq!(ids(&records), sorted_ids(&stages, "add_time", true));
}

#[test]
fn field_lists_paginate_in_both_versions() {
    let sim = start(10);
    let all = sim.dataset().deal_fields();
    let (records, pages) = fetch_all_v2(&sim, "/api/v2/dealFields?limit=10");
    assert_eq!(records, all);
    assert_eq!(pages, all.len().div_ceil(10));

    // v1: start/limit with additional_data.pagination.
    let mut start = 0;
    let mut keys = Vec::new();
    loop {
        let body = get_ok(&sim, &format!("/v1/dealFields?start={start}&limit=20"));
        let page = &body["additional_data"]["pagination"];
        assert_eq!(page["start"], start);
        assert_eq!(page["limit"], 20);
        keys.extend(
            body["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["key"].as_str().unwrap().to_string()),
        );
        if page["more_items_in_collection"] == true {
            assert_eq!(page["next_start"], start + 20);
            start += 20;
        } else {
            assert!(
                page.get("next_start").is_none(),
                "no next_start on the last page"
            );
            break;
        }
    }
    assert_eq!(keys.len(), all.len());
    let custom: Vec<String> = sim
        .dataset()
        .deal_custom_fields()
        .into_iter()
        .map(|(k, _, _)| k)
        .collect();
    assert_eq!(&keys[keys.len() - custom.len()..], &custom[..]);
    let page = get_ok(&sim, &format!("/api/v1/dealFields?start={}", all.len()));
    assert_eq!(page["data"].as_array().unwrap().len(), 0);
    assert_eq!(
        page["additional_data"]["pagination"]["more_items_in_collection"],
        false
    );
}

#[test]
fn cursors_that_contradict_the_sort_are_refused() {
    let sim = start(30);
    let body = get_ok(&sim, "/api/v2/deals?limit=5&sort_by=update_time");
    let cursor = body["additional_data"]["next_cursor"].as_str().unwrap();
    // Repeating the sort, or leaving it out, continues the same order.
    let same = get_ok(
        &sim,
        &format!("/api/v2/deals?limit=5&sort_by=update_time&cursor={cursor}"),
    );
    let implicit = get_ok(&sim, &format!("/api/v2/deals?limit=5&cursor={cursor}"));
    assert_eq!(same, implicit);
    for bad in [
        format!("sort_by=id&cursor={cursor}"),
        format!("sort_direction=desc&cursor={cursor}"),
        "cursor=bm9wZQ".to_string(),
    ] {
        let resp = get(&sim, &format!("/api/v2/deals?{bad}"));
        assert_eq!(resp.status, 400, "{bad}");
        assert_eq!(resp.json()["success"], false);
    }
}

#[test]
fn large_dataset_starts_instantly_and_serves_any_page() {
    let started = std::time::Instant::now();
    let sim = pipedrive_sim::Simulator::start(pipedrive_sim::SimConfig {
        deals: 1_000_000,
        ..Default::default()
    })
    .unwrap();
    assert!(
        started.elapsed() < std::time::Duration::from_secs(1),
        "start took {:?}",
        started.elapsed()
    );
    assert_eq!(sim.dataset().deal_count(), 1_000_000);
    let last = get_ok(&sim, "/api/v2/deals/1000000");
    assert_eq!(last["data"]["id"], 1_000_000);
    let newest = get_ok(
        &sim,
        "/api/v2/deals?sort_by=add_time&sort_direction=desc&limit=3",
    );
    assert!(ids(newest["data"].as_array().unwrap())[0] >= 999_990);
    let recent = get_ok(
        &sim,
        "/api/v2/deals?sort_by=update_time&sort_direction=desc&limit=500",
    );
    let times: Vec<&str> = recent["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["update_time"].as_str().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]));
}
