//! Every list filter, compared with a brute-force evaluation over the
//! dataset the simulator exposes.

mod common;

use common::*;
use pipedrive_sim::Simulator;
use serde_json::Value;

fn matching_ids(records: impl Iterator<Item = Value>, pred: impl Fn(&Value) -> bool) -> Vec<u64> {
    records
        .filter(|r| pred(r))
        .map(|r| r["id"].as_u64().unwrap())
        .collect()
}

fn not_deleted(d: &Value) -> bool {
    d["status"] != "deleted"
}

/// Fetches all pages of `query` (limit 200) and checks the ids.
fn check_deals(sim: &Simulator, query: &str, pred: impl Fn(&Value) -> bool) -> usize {
    let expected = matching_ids(sim.dataset().deals(), pred);
    let (records, _) = fetch_all_v2(sim, &format!("/api/v2/deals?limit=200&{query}"));
    assert_eq!(ids(&records), expected, "deals?{query}");
    expected.len()
}

#[test]
fn deal_filters_match_brute_force() {
    let sim = start(1500);
    let ds = sim.dataset();
    let sample = ds.deal(17).unwrap();
    let person = sample["person_id"]
        .as_u64()
        .or_else(|| ds.deal(18).unwrap()["person_id"].as_u64())
        .unwrap();
    let org = ds.deals().find_map(|d| d["org_id"].as_u64()).unwrap();

    for owner in 1..=ds.user_count() {
        check_deals(&sim, &format!("owner_id={owner}"), |d| {
            not_deleted(d) && d["owner_id"] == owner
        });
    }
    let n = check_deals(&sim, &format!("person_id={person}"), |d| {
        not_deleted(d) && d["person_id"] == person
    });
    assert!(n > 0);
    let n = check_deals(&sim, &format!("org_id={org}"), |d| {
        not_deleted(d) && d["org_id"] == org
    });
    assert!(n > 0);
    for pipeline in 1..=ds.pipeline_count() {
        check_deals(&sim, &format!("pipeline_id={pipeline}"), |d| {
            not_deleted(d) && d["pipeline_id"] == pipeline
        });
    }
    for stage in [1, 5, 7, ds.stage_count()] {
        let n = check_deals(&sim, &format!("stage_id={stage}"), |d| {
            not_deleted(d) && d["stage_id"] == stage
        });
        assert!(n > 0, "stage {stage}");
    }
    // Filters combine with AND.
    check_deals(&sim, "owner_id=2&pipeline_id=1&status=open", |d| {
        d["owner_id"] == 2 && d["pipeline_id"] == 1 && d["status"] == "open"
    });
    // No such ids: empty, not an error.
    assert_eq!(check_deals(&sim, "owner_id=9999", |_| false), 0);
    assert_eq!(check_deals(&sim, "person_id=0", |_| false), 0);
}

#[test]
fn status_filter_defaults_to_not_deleted_and_takes_lists() {
    let sim = start(1500);
    let total = check_deals(&sim, "", not_deleted);
    let mut sum = 0;
    for status in ["open", "won", "lost", "deleted"] {
        let n = check_deals(&sim, &format!("status={status}"), |d| d["status"] == status);
        assert!(n > 0, "some deals are {status}");
        sum += n;
        if status != "deleted" {
            assert!(n < total);
        }
    }
    assert_eq!(sum, sim.dataset().deal_count() as usize);
    check_deals(&sim, "status=won,lost", |d| {
        d["status"] == "won" || d["status"] == "lost"
    });
    check_deals(&sim, "status=open%2Cdeleted", |d| {
        d["status"] == "open" || d["status"] == "deleted"
    });
    // Deleted deals carry is_deleted.
    for d in sim.dataset().deals().filter(|d| d["status"] == "deleted") {
        assert_eq!(d["is_deleted"], true);
    }
}

#[test]
fn updated_window_is_since_inclusive_until_exclusive() {
    let sim = start(800);
    let mut times: Vec<String> = sim
        .dataset()
        .deals()
        .map(|d| d["update_time"].as_str().unwrap().to_string())
        .collect();
    times.sort();
    let since = times[200].clone();
    let until = times[500].clone();
    let n = check_deals(&sim, &format!("updated_since={since}"), |d| {
        not_deleted(d) && d["update_time"].as_str().unwrap() >= since.as_str()
    });
    assert!(n > 0);
    check_deals(&sim, &format!("updated_until={until}"), |d| {
        not_deleted(d) && d["update_time"].as_str().unwrap() < until.as_str()
    });
    let n = check_deals(
        &sim,
        &format!("updated_since={since}&updated_until={until}"),
        |d| {
            let t = d["update_time"].as_str().unwrap();
            not_deleted(d) && t >= since.as_str() && t < until.as_str()
        },
    );
    // Filtered and sorted by update_time: the same records in time order.
    let (sorted, _) = fetch_all_v2(&sim, &format!("/api/v2/deals?limit=50&updated_since={since}&updated_until={until}&sort_by=update_time"));
    assert_eq!(sorted.len(), n);
    assert!(sorted
        .windows(2)
        .all(|w| (w[0]["update_time"].as_str(), w[0]["id"].as_u64())
            < (w[1]["update_time"].as_str(), w[1]["id"].as_u64())));
    // The record whose time equals the bound: in for since, out for until.
    let exact = get_ok(
        &sim,
        &format!(
            "/api/v2/deals?updated_since={}&updated_until={}&status=open,won,lost,deleted",
            times[300], times[300]
        ),
    );
    assert_eq!(exact["data"].as_array().unwrap().len(), 0);
    // Offsets are honoured: the same instant written in +02:00.
    let plus2 = {
        let (date, time) = times[400].trim_end_matches('Z').split_once('T').unwrap();
        let hour: u32 = time[..2].parse().unwrap();
        if hour < 22 {
            Some(format!("{date}T{:02}{}+02:00", hour + 2, &time[2..]))
        } else {
            None
        }
    };
    if let Some(p) = plus2 {
        let a = get_ok(
            &sim,
            &format!("/api/v2/deals?limit=500&updated_since={}", times[400]),
        );
        let b = get_ok(
            &sim,
            &format!(
                "/api/v2/deals?limit=500&updated_since={}",
                p.replace('+', "%2B")
            ),
        );
        assert_eq!(a, b);
    }
}

#[test]
fn ids_filter_and_sorting_combine() {
    let sim = start(600);
    let wanted = [590u64, 3, 77, 78, 250, 4000];
    let list = wanted
        .iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(",");
    let mut expected: Vec<u64> = wanted
        .iter()
        .copied()
        .filter(|&id| sim.dataset().deal(id).is_some_and(|d| not_deleted(&d)))
        .collect();
    expected.sort();
    let (records, _) = fetch_all_v2(&sim, &format!("/api/v2/deals?ids={list}&limit=2"));
    assert_eq!(ids(&records), expected);
    expected.reverse();
    let (records, _) = fetch_all_v2(
        &sim,
        &format!("/api/v2/deals?ids={list}&limit=2&sort_direction=desc"),
    );
    assert_eq!(ids(&records), expected);
    let (records, _) = fetch_all_v2(&sim, &format!("/api/v2/deals?ids={list}&owner_id=1"));
    assert!(records.iter().all(|d| d["owner_id"] == 1));
    let too_many = (1..=101)
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(",");
    assert_eq!(
        get(&sim, &format!("/api/v2/deals?ids={too_many}")).status,
        400
    );
    assert_eq!(get(&sim, "/api/v2/deals?ids=1,x").status, 400);
}

#[test]
fn custom_fields_include_fields_and_option_labels_shape_records() {
    let sim = start(200);
    let ds = sim.dataset();
    let custom = ds.deal_custom_fields();
    let (priority, _, _) = custom
        .iter()
        .find(|(_, _, t)| *t == "enum")
        .unwrap()
        .clone();
    let (products, _, _) = custom.iter().find(|(_, _, t)| *t == "set").unwrap().clone();

    // custom_fields: only the named keys (unknown keys are ignored).
    let body = get_ok(
        &sim,
        &format!("/api/v2/deals?limit=50&custom_fields={priority},{products},nonexistent"),
    );
    for d in body["data"].as_array().unwrap() {
        let keys: Vec<&String> = d["custom_fields"].as_object().unwrap().keys().collect();
        assert_eq!(keys.len(), 2);
        let full = ds.deal(d["id"].as_u64().unwrap()).unwrap();
        assert_eq!(
            d["custom_fields"][&priority],
            full["custom_fields"][&priority]
        );
        // Everything else is unchanged.
        let mut without = d.clone();
        without["custom_fields"] = full["custom_fields"].clone();
        assert_eq!(without, full);
    }
    let sixteen = (0..16)
        .map(|i| format!("{i:040x}"))
        .collect::<Vec<_>>()
        .join(",");
    assert_eq!(
        get(&sim, &format!("/api/v2/deals?custom_fields={sixteen}")).status,
        400
    );

    // include_fields: listed optional fields are added.
    let body = get_ok(&sim, "/api/v2/deals?limit=20&include_fields=activities_count,smart_bcc_email,source_lead_id,first_won_time");
    for d in body["data"].as_array().unwrap() {
        assert!(d["activities_count"].is_u64());
        assert!(d["smart_bcc_email"].as_str().unwrap().contains('@'));
        assert!(d["source_lead_id"].is_null() || d["source_lead_id"].is_string());
        assert_eq!(
            d["first_won_time"],
            if d["status"] == "won" {
                d["won_time"].clone()
            } else {
                Value::Null
            }
        );
    }
    assert!(get_ok(&sim, "/api/v2/deals?limit=1")["data"][0]
        .get("activities_count")
        .is_none());
    assert_eq!(
        get(&sim, "/api/v2/deals?include_fields=bogus_count").status,
        400
    );
    assert!(
        get_ok(&sim, "/api/v2/deals/5?include_fields=notes_count")["data"]["notes_count"].is_u64()
    );

    // include_option_labels: enum and set values become {id, label}.
    let fields = ds.deal_fields();
    let labels_of = |key: &str| -> Vec<(u64, String)> {
        let f = fields.iter().find(|f| f["field_code"] == key).unwrap();
        f["options"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| {
                (
                    o["id"].as_u64().unwrap(),
                    o["label"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let body = get_ok(&sim, "/api/v2/deals?limit=100&include_option_labels=true");
    let mut seen = 0;
    for d in body["data"].as_array().unwrap() {
        let plain = ds.deal(d["id"].as_u64().unwrap()).unwrap();
        if let Some(id) = plain["custom_fields"][&priority].as_u64() {
            let label = labels_of(&priority)
                .into_iter()
                .find(|(i, _)| *i == id)
                .unwrap()
                .1;
            assert_eq!(
                d["custom_fields"][&priority],
                serde_json::json!({"id": id, "label": label})
            );
            seen += 1;
        }
        if let Some(ids) = plain["custom_fields"][&products].as_array() {
            let objects = d["custom_fields"][&products].as_array().unwrap();
            assert_eq!(objects.len(), ids.len());
            assert!(objects
                .iter()
                .zip(ids)
                .all(|(o, id)| &o["id"] == id && o["label"].is_string()));
        }
    }
    assert!(seen > 10);
    assert_eq!(
        get(&sim, "/api/v2/deals?include_option_labels=yes").status,
        400
    );
}

#[test]
fn person_organization_and_stage_filters_match_brute_force() {
    let sim = start(300);
    let ds = sim.dataset();
    for owner in [1, 2, 3] {
        let expected = matching_ids(ds.persons(), |p| p["owner_id"] == owner);
        let (records, _) =
            fetch_all_v2(&sim, &format!("/api/v2/persons?owner_id={owner}&limit=13"));
        assert_eq!(ids(&records), expected);
        let expected = matching_ids(ds.organizations(), |o| o["owner_id"] == owner);
        let (records, _) = fetch_all_v2(
            &sim,
            &format!("/api/v2/organizations?owner_id={owner}&limit=5"),
        );
        assert_eq!(ids(&records), expected);
    }
    let org = ds.persons().find_map(|p| p["org_id"].as_u64()).unwrap();
    let expected = matching_ids(ds.persons(), |p| p["org_id"] == org);
    assert!(!expected.is_empty());
    let (records, _) = fetch_all_v2(&sim, &format!("/api/v2/persons?org_id={org}"));
    assert_eq!(ids(&records), expected);

    let mut times: Vec<String> = ds
        .persons()
        .map(|p| p["update_time"].as_str().unwrap().to_string())
        .collect();
    times.sort();
    let (since, until) = (&times[20], &times[90]);
    let expected = matching_ids(ds.persons(), |p| {
        let t = p["update_time"].as_str().unwrap();
        t >= since.as_str() && t < until.as_str()
    });
    let (records, _) = fetch_all_v2(
        &sim,
        &format!("/api/v2/persons?updated_since={since}&updated_until={until}"),
    );
    assert_eq!(ids(&records), expected);
    let expected = matching_ids(ds.organizations(), |o| {
        o["update_time"].as_str().unwrap() >= since.as_str()
    });
    let (records, _) = fetch_all_v2(
        &sim,
        &format!("/api/v2/organizations?updated_since={since}"),
    );
    assert_eq!(ids(&records), expected);

    let (records, _) = fetch_all_v2(&sim, "/api/v2/persons?ids=5,1,9");
    assert_eq!(ids(&records), vec![1, 5, 9]);
    let (records, _) = fetch_all_v2(&sim, "/api/v2/organizations?ids=7,2&sort_direction=desc");
    assert_eq!(ids(&records), vec![7, 2]);

    // deal_id: the deal's contact person.
    let deal = ds.deals().find(|d| d["person_id"].is_u64()).unwrap();
    let body = get_ok(&sim, &format!("/api/v2/persons?deal_id={}", deal["id"]));
    assert_eq!(
        ids(body["data"].as_array().unwrap()),
        vec![deal["person_id"].as_u64().unwrap()]
    );

    for pipeline in 1..=ds.pipeline_count() {
        let expected = matching_ids(ds.stages().into_iter(), |s| s["pipeline_id"] == pipeline);
        assert_eq!(expected.len(), 5);
        let body = get_ok(&sim, &format!("/api/v2/stages?pipeline_id={pipeline}"));
        assert_eq!(ids(body["data"].as_array().unwrap()), expected);
    }
}

#[test]
fn unknown_enumerated_values_are_400_with_the_error_envelope() {
    let sim = start(20);
    for query in [
        "/api/v2/deals?status=closed",
        "/api/v2/deals?status=open,nope",
        "/api/v2/deals?sort_by=title",
        "/api/v2/deals?sort_direction=up",
        "/api/v2/persons?sort_by=name",
        "/api/v2/stages?sort_by=name",
        "/api/v2/pipelines?sort_by=order_nr",
        "/api/v2/deals?owner_id=abc",
        "/api/v2/deals?updated_since=yesterday",
        "/api/v2/deals?updated_until=2025-01-01",
        "/api/v2/dealFields?include_fields=everything",
        "/api/v2/deals?limit=0",
        "/api/v2/deals?limit=501",
        "/api/v2/deals?limit=ten",
    ] {
        let resp = get(&sim, query);
        assert_eq!(resp.status, 400, "{query}");
        assert_eq!(resp.header("content-type"), Some("application/json"));
        let body = resp.json();
        assert_eq!(body["success"], false, "{query}");
        assert!(
            body["error"].as_str().is_some_and(|e| !e.is_empty()),
            "{query}"
        );
        assert_eq!(body["error_info"], "Please check developers.pipedrive.com");
        assert_eq!(body["data"], Value::Null);
        assert_eq!(body["additional_data"], Value::Null);
    }
    assert_eq!(
        get(&sim, "/api/v2/deals?limit=501").json()["error"],
        "Validation failed: limit: Number must be less than or equal to 500"
    );
    assert_eq!(get(&sim, "/api/v2/deals?limit=500").status, 200);
}
