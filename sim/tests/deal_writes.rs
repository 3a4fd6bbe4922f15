//! Writes to deals, persons, organizations, pipelines, stages and users:
//! each change is visible to every later read (get, lists, filters,
//! search, summary), deletes behave as Pipedrive's, and bad bodies are 400.

mod write_support;

use serde_json::{json, Value};
use write_support::*;

fn contains(list: &Value, id: u64) -> bool {
    list.as_array().unwrap().iter().any(|r| r["id"] == id)
}

#[test]
fn deal_round_trip_is_visible_everywhere() {
    let sim = start_sim(100);
    let fields = sim.dataset().deal_custom_fields();
    let (text_key, _, _) = fields.iter().find(|f| f.2 == "text").unwrap().clone();
    let (money_key, _, _) = fields.iter().find(|f| f.2 == "monetary").unwrap().clone();
    let long = "Ünïcødé ".repeat(700);
    let created = ok(
        &sim,
        "POST",
        "/api/v2/deals",
        Some(&json!({
            "title": "Großauftrag Nordwind", "value": 12345.67, "currency": "EUR", "person_id": 3,
            "org_id": 2, "stage_id": 4, "owner_id": 2, "label_ids": [1, 3], "expected_close_date": "2026-06-30",
            "custom_fields": {text_key.clone(): long.clone(), money_key.clone(): {"value": 99.5, "currency": "USD"}},
        })),
        200,
    );
    let id = created["id"].as_u64().unwrap();
    assert_eq!(id, 101);
    assert_eq!(created["pipeline_id"], 1, "the stage decides the pipeline");
    assert_eq!(created["custom_fields"][&text_key], long.as_str());
    assert_eq!(
        created["custom_fields"][&money_key],
        json!({"value": 99.5, "currency": "USD"})
    );
    assert_eq!(get_data(&sim, &format!("/api/v2/deals/{id}")), created);
    assert_eq!(sim.dataset().deal(id).unwrap(), created);
    assert!(contains(
        &get_data(&sim, "/api/v2/deals?owner_id=2&stage_id=4&limit=500"),
        id
    ));
    assert!(contains(
        &get_data(&sim, "/api/v2/deals?person_id=3&org_id=2&limit=500"),
        id
    ));
    assert!(contains(
        &get_data(
            &sim,
            "/api/v2/deals?sort_by=update_time&sort_direction=desc&limit=1"
        ),
        id
    ));
    let found = get_data(&sim, "/api/v2/deals/search?term=Gro%C3%9Fauftrag");
    assert_eq!(found["items"][0]["item"]["id"], id);
    let summary = get_data(&sim, "/v1/deals/summary?user_id=2&status=open");
    let want = sim
        .dataset()
        .deals()
        .filter(|d| d["owner_id"] == 2 && d["status"] == "open" && d["is_archived"] == false)
        .count();
    assert_eq!(summary["total_count"], want as u64);

    // Winning stamps the times; moving the pipeline picks its first stage.
    let won = ok(
        &sim,
        "PATCH",
        &format!("/api/v2/deals/{id}"),
        Some(&json!({"status": "won", "pipeline_id": 2})),
        200,
    );
    assert_eq!(won["status"], "won");
    assert!(won["won_time"].is_string() && won["close_time"].is_string());
    assert_eq!(won["pipeline_id"], 2);
    assert_eq!(
        won["stage_id"],
        get_data(&sim, "/api/v2/stages?pipeline_id=2&sort_by=order_nr")[0]["id"]
    );
    assert_eq!(won["title"], "Großauftrag Nordwind");
    assert!(contains(
        &get_data(&sim, "/api/v2/deals?status=won&pipeline_id=2&limit=500"),
        id
    ));

    // Soft delete: listed only with status=deleted.
    assert_eq!(
        ok(&sim, "DELETE", &format!("/api/v2/deals/{id}"), None, 200),
        json!({"id": id})
    );
    let gone = get_data(&sim, &format!("/api/v2/deals/{id}"));
    assert_eq!(
        (gone["status"].as_str(), gone["is_deleted"].as_bool()),
        (Some("deleted"), Some(true))
    );
    assert!(!contains(
        &get_data(&sim, "/api/v2/deals?limit=500&owner_id=2"),
        id
    ));
    assert!(contains(
        &get_data(&sim, "/api/v2/deals?status=deleted&limit=500"),
        id
    ));
    assert_eq!(
        get_data(&sim, "/api/v2/deals/search?term=Gro%C3%9Fauftrag")["items"],
        json!([])
    );
}

#[test]
fn archived_deals_leave_the_list() {
    let sim = start_sim(30);
    let d = ok(
        &sim,
        "PATCH",
        "/api/v2/deals/5",
        Some(&json!({"is_archived": true})),
        200,
    );
    assert_eq!(d["is_archived"], true);
    assert!(d["archive_time"].is_string());
    let (all, _) = all_v2(&sim, "/api/v2/deals?status=open,won,lost,deleted&limit=500");
    assert!(!all.iter().any(|r| r["id"] == 5));
}

#[test]
fn invalid_deal_writes() {
    let sim = start_sim(20);
    let before: Vec<Value> = sim.dataset().deals().collect();
    for body in [
        json!({}),
        json!({"title": ""}),
        json!({"title": 3}),
        json!({"title": "x", "value": "100"}),
        json!({"title": "x", "status": "maybe"}),
        json!({"title": "x", "person_id": 9999}),
        json!({"title": "x", "stage_id": 9999}),
        json!({"title": "x", "stage_id": 1, "pipeline_id": 2}),
        json!({"title": "x", "owner_id": 77}),
        json!({"title": "x", "label_ids": [42]}),
        json!({"title": "x", "visible_to": 2}),
        json!({"title": "x", "custom_fields": {"nope": 1}}),
        json!({"title": "x", "expected_close_date": "2026-13-01"}),
    ] {
        refused(&sim, "POST", "/api/v2/deals", Some(&body), 400);
    }
    refused(
        &sim,
        "PATCH",
        "/api/v2/deals/1",
        Some(&json!({"title": null})),
        400,
    );
    refused(
        &sim,
        "PATCH",
        "/api/v2/deals/999",
        Some(&json!({"title": "x"})),
        404,
    );
    refused(&sim, "DELETE", "/api/v2/deals/999", None, 404);
    assert_eq!(sim.dataset().deals().collect::<Vec<_>>(), before);
}

#[test]
fn persons_and_organizations_round_trip() {
    let sim = start_sim(40);
    let org = ok(
        &sim,
        "POST",
        "/api/v2/organizations",
        Some(
            &json!({"name": "Ōsaka Trading 株式会社", "owner_id": 3, "address": {"value": "Umeda 1, Osaka", "country": "Japan"}}),
        ),
        200,
    );
    let org_id = org["id"].as_u64().unwrap();
    assert_eq!(org["address"]["country"], "Japan");
    assert_eq!(sim.dataset().organization(org_id).unwrap(), org);
    let person = ok(
        &sim,
        "POST",
        "/api/v2/persons",
        Some(
            &json!({"name": "Hana Sato", "org_id": org_id, "emails": [{"value": "hana@example.jp", "primary": true, "label": "work"}]}),
        ),
        200,
    );
    let person_id = person["id"].as_u64().unwrap();
    assert_eq!(
        (person["first_name"].as_str(), person["last_name"].as_str()),
        (Some("Hana"), Some("Sato"))
    );
    assert!(contains(
        &get_data(&sim, &format!("/api/v2/persons?org_id={org_id}")),
        person_id
    ));
    assert_eq!(
        get_data(&sim, "/api/v2/persons/search?term=hana@example")["items"][0]["item"]["id"],
        person_id
    );
    assert_eq!(
        get_data(
            &sim,
            "/api/v2/organizations/search?term=osaka&fields=address"
        )["items"][0]["item"]["id"],
        org_id
    );

    let renamed = ok(
        &sim,
        "PATCH",
        &format!("/api/v2/persons/{person_id}"),
        Some(&json!({"name": "Hana Satō", "phones": [{"value": "+81 3 1234"}]})),
        200,
    );
    assert_eq!(renamed["phones"][0]["value"], "+81 3 1234");
    assert_eq!(renamed["emails"][0]["value"], "hana@example.jp");
    assert_eq!(
        get_data(&sim, &format!("/api/v2/persons/{person_id}")),
        renamed
    );

    // Soft deletes: gone from lists, readable by id as deleted; links stay.
    ok(
        &sim,
        "DELETE",
        &format!("/api/v2/persons/{person_id}"),
        None,
        200,
    );
    assert_eq!(
        get_data(&sim, &format!("/api/v2/persons/{person_id}"))["is_deleted"],
        true
    );
    assert!(!contains(
        &get_data(&sim, "/api/v2/persons?limit=500"),
        person_id
    ));
    ok(
        &sim,
        "DELETE",
        &format!("/api/v2/organizations/{org_id}"),
        None,
        200,
    );
    assert!(!contains(
        &get_data(&sim, "/api/v2/organizations?limit=500"),
        org_id
    ));
    assert_eq!(
        get_data(&sim, &format!("/api/v2/persons/{person_id}"))["org_id"],
        org_id
    );

    refused(
        &sim,
        "POST",
        "/api/v2/persons",
        Some(&json!({"emails": []})),
        400,
    );
    refused(
        &sim,
        "POST",
        "/api/v2/persons",
        Some(&json!({"name": "x", "org_id": 12345})),
        400,
    );
    refused(
        &sim,
        "POST",
        "/api/v2/persons",
        Some(&json!({"name": "x", "emails": [{"primary": true}]})),
        400,
    );
    refused(
        &sim,
        "POST",
        "/api/v2/organizations",
        Some(&json!({"name": ["x"]})),
        400,
    );
    refused(
        &sim,
        "POST",
        "/api/v2/organizations",
        Some(&json!({"owner_id": 1})),
        400,
    );
}

#[test]
fn concurrent_creates_get_distinct_ids() {
    let sim = start_sim(10);
    let ids: Vec<u64> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|i| {
                let sim = &sim;
                s.spawn(move || {
                    ok(
                        sim,
                        "POST",
                        "/api/v2/deals",
                        Some(&json!({"title": format!("Parallel {i}")})),
                        200,
                    )["id"]
                        .as_u64()
                        .unwrap()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, (11..=18).collect::<Vec<u64>>());
    assert_eq!(sim.dataset().deal_count(), 18);
}

#[test]
fn pipelines_and_stages() {
    let sim = start_sim(50);
    let p = ok(
        &sim,
        "POST",
        "/api/v2/pipelines",
        Some(&json!({"name": "Partner 🤝", "is_deal_probability_enabled": true})),
        200,
    );
    let pid = p["id"].as_u64().unwrap();
    let s1 = ok(
        &sim,
        "POST",
        "/api/v2/stages",
        Some(&json!({"name": "Erstkontakt", "pipeline_id": pid, "deal_probability": 10})),
        200,
    );
    let s2 = ok(
        &sim,
        "POST",
        "/api/v2/stages",
        Some(&json!({"name": "Vertrag", "pipeline_id": pid})),
        200,
    );
    assert_eq!(
        (s1["order_nr"].as_u64(), s2["order_nr"].as_u64()),
        (Some(1), Some(2))
    );
    let stages = get_data(&sim, &format!("/api/v2/stages?pipeline_id={pid}"));
    assert_eq!(stages.as_array().unwrap().len(), 2);
    let deal = ok(
        &sim,
        "POST",
        "/api/v2/deals",
        Some(&json!({"title": "In the new pipeline", "pipeline_id": pid})),
        200,
    );
    assert_eq!(deal["stage_id"], s1["id"]);
    // A pipeline or stage with live deals cannot be deleted.
    refused(
        &sim,
        "DELETE",
        &format!("/api/v2/stages/{}", s1["id"]),
        None,
        400,
    );
    refused(
        &sim,
        "DELETE",
        &format!("/api/v2/pipelines/{pid}"),
        None,
        400,
    );
    ok(
        &sim,
        "DELETE",
        &format!("/api/v2/deals/{}", deal["id"]),
        None,
        200,
    );
    ok(
        &sim,
        "DELETE",
        &format!("/api/v2/stages/{}", s2["id"]),
        None,
        200,
    );
    assert_eq!(
        get_data(&sim, &format!("/api/v2/stages/{}", s2["id"]))["is_deleted"],
        true
    );
    ok(
        &sim,
        "DELETE",
        &format!("/api/v2/pipelines/{pid}"),
        None,
        200,
    );
    assert!(!contains(&get_data(&sim, "/api/v2/pipelines"), pid));
    assert_eq!(
        get_data(&sim, &format!("/api/v2/stages?pipeline_id={pid}")),
        json!([])
    );
    let renamed = ok(
        &sim,
        "PATCH",
        "/api/v2/pipelines/1",
        Some(&json!({"name": "Vertrieb"})),
        200,
    );
    assert_eq!(sim.dataset().pipeline(1).unwrap(), renamed);
    refused(
        &sim,
        "POST",
        "/api/v2/stages",
        Some(&json!({"name": "x"})),
        400,
    );
    refused(
        &sim,
        "POST",
        "/api/v2/stages",
        Some(&json!({"name": "x", "pipeline_id": 99})),
        400,
    );
    refused(
        &sim,
        "POST",
        "/api/v2/pipelines",
        Some(&json!({"name": 1})),
        400,
    );
    refused(
        &sim,
        "PATCH",
        "/api/v2/stages/1",
        Some(&json!({"deal_probability": 101})),
        400,
    );
}

#[test]
fn users_can_be_added_and_deactivated() {
    let sim = start_sim(10);
    let before = sim.dataset().user_count();
    let added = ok(
        &sim,
        "POST",
        "/v1/users",
        Some(
            &json!({"email": "neu@simulated.example", "access": [{"app": "sales", "admin": false}]}),
        ),
        200,
    );
    let id = added["id"].as_u64().unwrap();
    assert_eq!(id, before + 1);
    assert_eq!(sim.dataset().user_count(), before + 1);
    assert_eq!(get_data(&sim, &format!("/v1/users/{id}")), added);
    let off = ok(
        &sim,
        "PUT",
        &format!("/v1/users/{id}"),
        Some(&json!({"active_flag": false})),
        200,
    );
    assert_eq!(off["active_flag"], false);
    assert!(get_data(&sim, "/v1/users")
        .as_array()
        .unwrap()
        .iter()
        .any(|u| u["id"] == id && u["active_flag"] == false));
    // The new user can own records.
    ok(
        &sim,
        "POST",
        "/api/v2/deals",
        Some(&json!({"title": "Owned by the new user", "owner_id": id})),
        200,
    );
    refused(&sim, "POST", "/v1/users", Some(&json!({"access": []})), 400);
    refused(
        &sim,
        "POST",
        "/v1/users",
        Some(&json!({"email": "neu@simulated.example"})),
        400,
    );
    refused(
        &sim,
        "PUT",
        &format!("/v1/users/{id}"),
        Some(&json!({})),
        400,
    );
    assert_eq!(
        send(
            &sim,
            "PUT",
            "/v1/users/999",
            Some(&json!({"active_flag": true}))
        )
        .status,
        404
    );
}
