//! Activities (v2): paging at boundaries, every filter against a brute-force
//! evaluation of the dataset, sorting, get, and create/update/delete round
//! trips.

mod write_support;

use serde_json::{json, Value};
use write_support::*;

fn listed(r: &Value) -> bool {
    r["is_deleted"] == false
}

#[test]
fn paging_covers_every_activity_once_at_every_boundary() {
    let sim = start_sim(60);
    let want = expected(&sim, "activities", listed);
    let total = want.len();
    assert!(total > 20, "{total}");
    for limit in [1, 7, total - 1, total, total + 1, 500] {
        let (records, pages) = all_v2(&sim, &format!("/api/v2/activities?limit={limit}"));
        assert_eq!(id_texts(&records), want, "limit {limit}");
        assert_eq!(pages, total.div_ceil(limit).max(1), "limit {limit}");
    }
    // The default page is 100 records; more than 500 is refused.
    assert_eq!(
        get_data(&sim, "/api/v2/activities")
            .as_array()
            .unwrap()
            .len(),
        100.min(total)
    );
    refused(&sim, "GET", "/api/v2/activities?limit=501", None, 400);
}

#[test]
fn filters_match_brute_force() {
    let sim = start_sim(150);
    let with_deal = find(&sim, "activities", |r| {
        r["deal_id"].is_u64() && r["person_id"].is_u64()
    });
    let with_lead = find(&sim, "activities", |r| r["lead_id"].is_string());
    let with_org = find(&sim, "activities", |r| r["org_id"].is_u64());
    let middle = find(&sim, "activities", |r| r["id"] == 120)["update_time"].clone();
    let middle = middle.as_str().unwrap();
    let cases: Vec<Case> = vec![
        (
            "owner_id=2".into(),
            Box::new(|r: &Value| r["owner_id"] == 2),
        ),
        (format!("deal_id={}", with_deal["deal_id"]), {
            let d = with_deal["deal_id"].clone();
            Box::new(move |r: &Value| r["deal_id"] == d)
        }),
        (format!("person_id={}", with_deal["person_id"]), {
            let p = with_deal["person_id"].clone();
            Box::new(move |r: &Value| r["person_id"] == p)
        }),
        (
            format!("org_id={}", with_org["org_id"]),
            Box::new(move |r: &Value| r["org_id"] == with_org["org_id"]),
        ),
        (
            format!("lead_id={}", with_lead["lead_id"].as_str().unwrap()),
            {
                let l = with_lead["lead_id"].clone();
                Box::new(move |r: &Value| r["lead_id"] == l)
            },
        ),
        ("done=true".into(), Box::new(|r: &Value| r["done"] == true)),
        (
            "done=false".into(),
            Box::new(|r: &Value| r["done"] == false),
        ),
        (format!("updated_since={middle}"), {
            let m = middle.to_string();
            Box::new(move |r: &Value| r["update_time"].as_str().unwrap() >= m.as_str())
        }),
        (format!("updated_until={middle}"), {
            let m = middle.to_string();
            Box::new(move |r: &Value| r["update_time"].as_str().unwrap() < m.as_str())
        }),
        (
            "owner_id=1&done=true".into(),
            Box::new(|r: &Value| r["owner_id"] == 1 && r["done"] == true),
        ),
    ];
    for (query, pred) in cases {
        let want = expected(&sim, "activities", |r| listed(r) && pred(r));
        let (got, _) = all_v2(&sim, &format!("/api/v2/activities?limit=37&{query}"));
        assert_eq!(id_texts(&got), want, "{query}");
        assert!(
            !want.is_empty() || query.contains("until"),
            "{query} matches nothing"
        );
    }
    refused(&sim, "GET", "/api/v2/activities?done=yes", None, 400);
    refused(&sim, "GET", "/api/v2/activities?lead_id=nope", None, 400);
    refused(&sim, "GET", "/api/v2/activities?sort_by=subject", None, 400);
}

#[test]
fn sorting_by_due_date_and_update_time() {
    let sim = start_sim(80);
    let records: Vec<Value> = sim
        .dataset()
        .records("activities")
        .unwrap()
        .into_iter()
        .filter(listed)
        .collect();
    for (field, direction) in [
        ("due_date", "asc"),
        ("due_date", "desc"),
        ("update_time", "desc"),
        ("add_time", "asc"),
    ] {
        let mut want: Vec<(String, u64)> = records
            .iter()
            .map(|r| {
                (
                    r[field].as_str().unwrap().to_string(),
                    r["id"].as_u64().unwrap(),
                )
            })
            .collect();
        want.sort();
        if direction == "desc" {
            want.reverse();
        }
        let want: Vec<String> = want.into_iter().map(|(_, id)| id.to_string()).collect();
        let (got, _) = all_v2(
            &sim,
            &format!("/api/v2/activities?limit=13&sort_by={field}&sort_direction={direction}"),
        );
        assert_eq!(id_texts(&got), want, "{field} {direction}");
    }
}

#[test]
fn get_by_id_and_optional_attendees() {
    let sim = start_sim(30);
    let record = find(&sim, "activities", |r| {
        r["attendees"].as_array().is_some_and(|a| !a.is_empty())
    });
    let id = record["id"].as_u64().unwrap();
    let plain = get_data(&sim, &format!("/api/v2/activities/{id}"));
    assert!(
        plain.get("attendees").is_none(),
        "attendees only on request"
    );
    let with = get_data(
        &sim,
        &format!("/api/v2/activities/{id}?include_fields=attendees"),
    );
    assert_eq!(with, record);
    refused(&sim, "GET", "/api/v2/activities/999999", None, 404);
    refused(&sim, "GET", "/api/v2/activities/abc", None, 400);
}

#[test]
fn create_update_delete_round_trip() {
    let sim = start_sim(40);
    let deal = sim.dataset().deal(5).unwrap();
    let created = ok(
        &sim,
        "POST",
        "/api/v2/activities",
        Some(&json!({
            "subject": "Vertragsgespräch ☕", "type": "meeting", "deal_id": 5, "person_id": deal["person_id"],
            "due_date": "2026-02-03", "due_time": "10:30:00", "duration": "01:00:00", "owner_id": 3,
        })),
        200,
    );
    let id = created["id"].as_u64().unwrap();
    assert!(id > 80, "new ids follow the generated ones: {id}");
    assert_eq!(created["subject"], "Vertragsgespräch ☕");
    assert_eq!(created["creator_user_id"], 3);
    assert_eq!(
        get_data(
            &sim,
            &format!("/api/v2/activities/{id}?include_fields=attendees")
        ),
        created
    );
    // Visible in the list, in filters and as the newest by update_time.
    let by_deal = get_data(&sim, "/api/v2/activities?deal_id=5&limit=500");
    assert!(by_deal.as_array().unwrap().iter().any(|r| r["id"] == id));
    let newest = get_data(
        &sim,
        "/api/v2/activities?sort_by=update_time&sort_direction=desc&limit=1",
    );
    assert_eq!(newest[0]["id"], id);

    let updated = ok(
        &sim,
        "PATCH",
        &format!("/api/v2/activities/{id}"),
        Some(&json!({"done": true, "subject": "Done"})),
        200,
    );
    assert_eq!(updated["done"], true);
    assert!(updated["marked_as_done_time"].is_string());
    assert_eq!(updated["due_date"], "2026-02-03", "untouched fields stay");
    let done = get_data(&sim, "/api/v2/activities?done=true&owner_id=3&limit=500");
    assert!(done
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["id"] == id && r["subject"] == "Done"));
    assert_eq!(
        sim.dataset()
            .records("activities")
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap()["subject"],
        "Done"
    );

    let deleted = ok(
        &sim,
        "DELETE",
        &format!("/api/v2/activities/{id}"),
        None,
        200,
    );
    assert_eq!(deleted, json!({ "id": id }));
    // Soft delete: gone from lists, still readable as deleted.
    let after = get_data(&sim, &format!("/api/v2/activities/{id}"));
    assert_eq!(after["is_deleted"], true);
    let all = expected(&sim, "activities", listed);
    assert!(!all.contains(&id.to_string()));
    let (listed_now, _) = all_v2(&sim, "/api/v2/activities?limit=500");
    assert_eq!(id_texts(&listed_now), all);
}

#[test]
fn invalid_writes_are_400_with_the_envelope() {
    let sim = start_sim(20);
    let before = sim.dataset().records("activities").unwrap();
    let path = "/api/v2/activities";
    refused(&sim, "POST", path, Some(&json!({"type": "call"})), 400);
    refused(&sim, "POST", path, Some(&json!({"subject": 5})), 400);
    refused(
        &sim,
        "POST",
        path,
        Some(&json!({"subject": "x", "done": "yes"})),
        400,
    );
    refused(
        &sim,
        "POST",
        path,
        Some(&json!({"subject": "x", "due_date": "03.02.2026"})),
        400,
    );
    refused(
        &sim,
        "POST",
        path,
        Some(&json!({"subject": "x", "deal_id": 999_999})),
        400,
    );
    refused(
        &sim,
        "POST",
        path,
        Some(&json!({"subject": "x", "type": "no_such_type"})),
        400,
    );
    let a = send_raw(
        &sim,
        "POST",
        path,
        Some("{not json".into()),
        "application/json",
    );
    assert_eq!(a.status, 400);
    refused(
        &sim,
        "PATCH",
        "/api/v2/activities/1",
        Some(&json!({"subject": null})),
        400,
    );
    refused(
        &sim,
        "PATCH",
        "/api/v2/activities/999999",
        Some(&json!({"subject": "x"})),
        404,
    );
    // Nothing was written by the refused requests.
    assert_eq!(sim.dataset().records("activities").unwrap(), before);
}
