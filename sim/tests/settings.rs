//! The small v1 collections: activity types, currencies, saved filters,
//! goals, roles, webhooks, call logs, files and organization
//! relationships.

mod write_support;

use serde_json::{json, Value};
use write_support::*;

#[test]
fn activity_types_feed_activities() {
    let sim = start_sim(20);
    let types = get_data(&sim, "/v1/activityTypes");
    assert_eq!(
        types,
        Value::Array(sim.dataset().records("activityTypes").unwrap())
    );
    let created = ok(
        &sim,
        "POST",
        "/v1/activityTypes",
        Some(&json!({"name": "Demo Day", "icon_key": "car", "color": "ffcc00"})),
        200,
    );
    let key = created["key_string"].as_str().unwrap().to_string();
    assert_eq!(key, "demo_day");
    let again = ok(
        &sim,
        "POST",
        "/v1/activityTypes",
        Some(&json!({"name": "Demo day", "icon_key": "car"})),
        200,
    );
    assert_eq!(again["key_string"], "demo_day_2", "key strings stay unique");
    ok(
        &sim,
        "POST",
        "/api/v2/activities",
        Some(&json!({"subject": "Visit", "type": key})),
        200,
    );
    let id = created["id"].as_u64().unwrap();
    let edited = ok(
        &sim,
        "PUT",
        &format!("/v1/activityTypes/{id}"),
        Some(&json!({"order_nr": 9})),
        200,
    );
    assert_eq!(edited["order_nr"], 9);
    ok(
        &sim,
        "DELETE",
        &format!("/v1/activityTypes/{id}"),
        None,
        200,
    );
    // Deactivated: still listed, no longer usable.
    let listed = get_data(&sim, "/v1/activityTypes");
    assert!(listed
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["id"] == id && t["active_flag"] == false));
    refused(
        &sim,
        "POST",
        "/api/v2/activities",
        Some(&json!({"subject": "Visit", "type": key})),
        400,
    );
    refused(
        &sim,
        "POST",
        "/v1/activityTypes",
        Some(&json!({"name": "x", "icon_key": "rocket"})),
        400,
    );
    refused(
        &sim,
        "POST",
        "/v1/activityTypes",
        Some(&json!({"name": "x", "icon_key": "car", "color": "red"})),
        400,
    );
}

#[test]
fn currencies_search_by_term() {
    let sim = start_sim(5);
    let all = sim.dataset().records("currencies").unwrap();
    assert_eq!(get_data(&sim, "/v1/currencies"), Value::Array(all.clone()));
    for term in ["eu", "KR", "dollar", "zz"] {
        let t = term.to_lowercase();
        let want: Vec<Value> = all
            .iter()
            .filter(|c| {
                c["name"].as_str().unwrap().to_lowercase().contains(&t)
                    || c["code"].as_str().unwrap().to_lowercase().contains(&t)
            })
            .cloned()
            .collect();
        assert_eq!(
            get_data(&sim, &format!("/v1/currencies?term={term}")),
            Value::Array(want),
            "{term}"
        );
    }
}

#[test]
fn saved_filters() {
    let sim = start_sim(5);
    let all = sim.dataset().records("filters").unwrap();
    let listed = get_data(&sim, "/v1/filters?type=deals");
    let want = all.iter().filter(|f| f["type"] == "deals").count();
    assert_eq!(listed.as_array().unwrap().len(), want);
    assert!(
        listed[0].get("conditions").is_none(),
        "lists leave the conditions out"
    );
    assert!(get_data(&sim, "/v1/filters/1")["conditions"].is_object());
    let conditions = json!({"glue": "and", "conditions": [{"glue": "and", "conditions": []}]});
    let f = ok(
        &sim,
        "POST",
        "/v1/filters",
        Some(&json!({"name": "Mine", "type": "people", "conditions": conditions})),
        200,
    );
    let id = f["id"].as_u64().unwrap();
    ok(
        &sim,
        "PUT",
        &format!("/v1/filters/{id}"),
        Some(&json!({"name": "Meine", "conditions": conditions})),
        200,
    );
    assert!(get_data(&sim, "/v1/filters?type=people")
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["name"] == "Meine"));
    ok(&sim, "DELETE", &format!("/v1/filters/{id}"), None, 200);
    assert!(!get_data(&sim, "/v1/filters")
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["id"] == id));
    refused(
        &sim,
        "POST",
        "/v1/filters",
        Some(&json!({"name": "x", "type": "people"})),
        400,
    );
    refused(
        &sim,
        "POST",
        "/v1/filters",
        Some(&json!({"name": "x", "type": "cats", "conditions": conditions})),
        400,
    );
    refused(&sim, "GET", "/v1/filters?type=cats", None, 400);
}

#[test]
fn goals_find_and_write() {
    let sim = start_sim(10);
    let goals = sim.dataset().records("goals").unwrap();
    assert_eq!(
        get_data(&sim, "/v1/goals/find")["goals"],
        Value::Array(goals.clone())
    );
    let won = get_data(&sim, "/v1/goals/find?type.name=deals_won");
    assert!(won["goals"]
        .as_array()
        .unwrap()
        .iter()
        .all(|g| g["type"]["name"] == "deals_won"));
    let company = get_data(&sim, "/v1/goals/find?assignee.type=company")["goals"].clone();
    assert_eq!(
        company.as_array().unwrap().len(),
        goals
            .iter()
            .filter(|g| g["assignee"]["type"] == "company")
            .count()
    );
    let body = json!({
        "title": "Calls", "assignee": {"id": 2, "type": "person"}, "type": {"name": "activities_added", "params": {"activity_type_id": [1]}},
        "expected_outcome": {"target": 50, "tracking_metric": "quantity"}, "duration": {"start": "2026-01-01", "end": "2026-03-31"},
        "interval": "monthly",
    });
    let created = ok(&sim, "POST", "/v1/goals", Some(&body), 200)["goal"].clone();
    let id = created["id"].as_str().unwrap().to_string();
    let period = get_data(
        &sim,
        "/v1/goals/find?period.start=2026-02-01&period.end=2026-02-28&assignee.id=2",
    )["goals"]
        .clone();
    assert!(period
        .as_array()
        .unwrap()
        .iter()
        .any(|g| g["id"] == id.as_str()));
    let updated = ok(
        &sim,
        "PUT",
        &format!("/v1/goals/{id}"),
        Some(&json!({"title": "More calls"})),
        200,
    )["goal"]
        .clone();
    assert_eq!(updated["title"], "More calls");
    assert_eq!(
        ok(&sim, "DELETE", &format!("/v1/goals/{id}"), None, 200),
        Value::Null
    );
    let inactive = get_data(&sim, "/v1/goals/find?is_active=false")["goals"].clone();
    assert!(inactive
        .as_array()
        .unwrap()
        .iter()
        .any(|g| g["id"] == id.as_str()));
    refused(&sim, "POST", "/v1/goals", Some(&json!({"title": "x"})), 400);
    refused(
        &sim,
        "GET",
        "/v1/goals/find?period.start=2026-01-01",
        None,
        400,
    );
}

#[test]
fn roles_and_webhooks() {
    let sim = start_sim(10);
    let (roles, _) = all_v1(&sim, "/v1/roles", 2);
    assert_eq!(roles, sim.dataset().records("roles").unwrap());
    let child = ok(
        &sim,
        "POST",
        "/v1/roles",
        Some(&json!({"name": "Inside sales", "parent_role_id": 2})),
        200,
    );
    assert_eq!(child["level"], 3);
    let id = child["id"].as_u64().unwrap();
    ok(&sim, "DELETE", &format!("/v1/roles/{id}"), None, 200);
    let (roles, _) = all_v1(&sim, "/v1/roles", 100);
    assert!(!roles.iter().any(|r| r["id"] == id));
    refused(
        &sim,
        "POST",
        "/v1/roles",
        Some(&json!({"name": "x", "parent_role_id": 77})),
        400,
    );

    let hooks = send(&sim, "GET", "/v1/webhooks", None);
    assert_eq!(hooks.body["status"], "ok");
    let hook = ok(
        &sim,
        "POST",
        "/v1/webhooks",
        Some(
            &json!({"subscription_url": "https://example.com/hook", "event_action": "*", "event_object": "deal", "name": "All deals"}),
        ),
        201,
    );
    let id = hook["id"].as_u64().unwrap();
    assert!(get_data(&sim, "/v1/webhooks")
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["id"] == id));
    assert_eq!(
        ok(&sim, "DELETE", &format!("/v1/webhooks/{id}"), None, 200),
        Value::Null
    );
    refused(&sim, "DELETE", &format!("/v1/webhooks/{id}"), None, 404);
    refused(
        &sim,
        "POST",
        "/v1/webhooks",
        Some(
            &json!({"subscription_url": "ftp://x", "event_action": "*", "event_object": "deal", "name": "x"}),
        ),
        400,
    );
    refused(
        &sim,
        "POST",
        "/v1/webhooks",
        Some(
            &json!({"subscription_url": "https://x", "event_action": "update", "event_object": "deal", "name": "x"}),
        ),
        400,
    );
}

#[test]
fn call_logs_cap_pages_at_50() {
    let sim = start_sim(400);
    let want = expected(&sim, "callLogs", |_| true);
    assert!(want.len() > 50);
    let a = send(&sim, "GET", "/v1/callLogs?limit=80", None);
    assert_eq!(a.body["data"].as_array().unwrap().len(), 50);
    assert_eq!(a.body["additional_data"]["pagination"]["limit"], 50);
    let (all, _) = all_v1(&sim, "/v1/callLogs", 50);
    assert_eq!(id_texts(&all), want);
    let log = ok(
        &sim,
        "POST",
        "/v1/callLogs",
        Some(
            &json!({"outcome": "connected", "to_phone_number": "+372 555 0101", "start_time": "2026-01-05 10:00:00", "end_time": "2026-01-05 10:07:30", "person_id": 2}),
        ),
        200,
    );
    let id = log["id"].as_str().unwrap().to_string();
    assert_eq!(get_data(&sim, &format!("/v1/callLogs/{id}")), log);
    assert_eq!(
        ok(&sim, "DELETE", &format!("/v1/callLogs/{id}"), None, 200),
        Value::Null
    );
    refused(&sim, "GET", &format!("/v1/callLogs/{id}"), None, 404);
    refused(
        &sim,
        "POST",
        "/v1/callLogs",
        Some(&json!({"outcome": "connected", "to_phone_number": "1"})),
        400,
    );
    refused(
        &sim,
        "POST",
        "/v1/callLogs",
        Some(
            &json!({"outcome": "ghosted", "to_phone_number": "1", "start_time": "2026-01-05 10:00:00", "end_time": "2026-01-05 10:00:01"}),
        ),
        400,
    );
    refused(
        &sim,
        "POST",
        "/v1/callLogs",
        Some(
            &json!({"outcome": "busy", "to_phone_number": "1", "start_time": "2026-01-05 10:00:00", "end_time": "2026-01-05 09:00:00"}),
        ),
        400,
    );
}

#[test]
fn files_metadata() {
    let sim = start_sim(500);
    let want = expected(&sim, "files", |f| f["active_flag"] == true);
    assert!(want.len() > 100);
    let a = send(&sim, "GET", "/v1/files?limit=500", None);
    assert_eq!(
        a.body["data"].as_array().unwrap().len(),
        100,
        "at most 100 per page"
    );
    let (all, _) = all_v1(&sim, "/v1/files", 100);
    assert_eq!(id_texts(&all), want);
    let (by_update, _) = all_v1(&sim, "/v1/files?sort=update_time%20DESC", 100);
    let times: Vec<String> = by_update
        .iter()
        .map(|f| time_key(&f["update_time"]))
        .collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]));
    // PUT takes a form body, as the spec documents.
    let a = send_raw(
        &sim,
        "PUT",
        "/v1/files/3",
        Some("name=Vertrag%20final.pdf&description=signed".into()),
        "application/x-www-form-urlencoded",
    );
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.body["data"]["name"], "Vertrag final.pdf");
    let json_edit = ok(
        &sim,
        "PUT",
        "/v1/files/3",
        Some(&json!({"description": "countersigned"})),
        200,
    );
    assert_eq!(json_edit["name"], "Vertrag final.pdf");
    ok(&sim, "DELETE", "/v1/files/3", None, 200);
    assert_eq!(get_data(&sim, "/v1/files/3")["active_flag"], false);
    let (all, _) = all_v1(&sim, "/v1/files", 100);
    assert!(!all.iter().any(|f| f["id"] == 3));
}

#[test]
fn organization_relationships() {
    let sim = start_sim(20);
    let all = sim.dataset().records("organizationRelationships").unwrap();
    let org = all[0]["rel_owner_org_id"]["value"].as_u64().unwrap();
    let want: Vec<Value> = all
        .iter()
        .filter(|r| r["rel_owner_org_id"]["value"] == org || r["rel_linked_org_id"]["value"] == org)
        .cloned()
        .collect();
    assert_eq!(
        get_data(&sim, &format!("/v1/organizationRelationships?org_id={org}")),
        Value::Array(want)
    );
    refused(&sim, "GET", "/v1/organizationRelationships", None, 400);
    let rel = ok(
        &sim,
        "POST",
        "/v1/organizationRelationships",
        Some(&json!({"type": "related", "rel_owner_org_id": 5, "rel_linked_org_id": 6})),
        200,
    );
    let id = rel["id"].as_u64().unwrap();
    assert_eq!(
        rel["rel_linked_org_id"]["name"],
        sim.dataset().organization(6).unwrap()["name"]
    );
    let moved = ok(
        &sim,
        "PUT",
        &format!("/v1/organizationRelationships/{id}"),
        Some(&json!({"rel_linked_org_id": 7})),
        200,
    );
    assert_eq!(moved["rel_linked_org_id"]["value"], 7);
    assert!(get_data(&sim, "/v1/organizationRelationships?org_id=7")
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["id"] == id));
    ok(
        &sim,
        "DELETE",
        &format!("/v1/organizationRelationships/{id}"),
        None,
        200,
    );
    refused(
        &sim,
        "GET",
        &format!("/v1/organizationRelationships/{id}"),
        None,
        404,
    );
    refused(
        &sim,
        "POST",
        "/v1/organizationRelationships",
        Some(&json!({"type": "related", "rel_owner_org_id": 5, "rel_linked_org_id": 5})),
        400,
    );
    refused(
        &sim,
        "POST",
        "/v1/organizationRelationships",
        Some(&json!({"type": "sibling", "rel_owner_org_id": 5, "rel_linked_org_id": 6})),
        400,
    );
}
