//! Leads (v1, UUID ids), lead labels and lead sources: paging, filters,
//! archived leads, deal custom fields flat on the record, and writes.

mod write_support;

use serde_json::{json, Value};
use write_support::*;

fn not_archived(r: &Value) -> bool {
    r["is_archived"] == false
}

#[test]
fn paging_and_archived_leads() {
    let sim = start_sim(80);
    let want = expected(&sim, "leads", not_archived);
    let total = want.len();
    for limit in [1, 9, total - 1, total, total + 1] {
        let (records, _) = all_v1(&sim, "/v1/leads", limit);
        assert_eq!(id_texts(&records), want, "limit {limit}");
    }
    let archived = expected(&sim, "leads", |r| r["is_archived"] == true);
    assert!(!archived.is_empty());
    let (records, _) = all_v1(&sim, "/v1/leads/archived", 3);
    assert_eq!(id_texts(&records), archived);
    // Oldest first.
    let (records, _) = all_v1(&sim, "/v1/leads", 100);
    let times: Vec<&str> = records
        .iter()
        .map(|r| r["add_time"].as_str().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn filters_and_sort_match_brute_force() {
    let sim = start_sim(200);
    let person = find(&sim, "leads", |r| {
        r["person_id"].is_u64() && not_archived(r)
    })["person_id"]
        .clone();
    let org = find(&sim, "leads", |r| {
        r["organization_id"].is_u64() && not_archived(r)
    })["organization_id"]
        .clone();
    let cases: Vec<Case> = vec![
        (
            "owner_id=3".into(),
            Box::new(|r: &Value| r["owner_id"] == 3),
        ),
        (
            format!("person_id={person}"),
            Box::new(move |r: &Value| r["person_id"] == person),
        ),
        (
            format!("organization_id={org}"),
            Box::new(move |r: &Value| r["organization_id"] == org),
        ),
        (
            "updated_since=2022-06-01T00:00:00Z".into(),
            Box::new(|r: &Value| r["update_time"].as_str().unwrap() >= "2022-06-01T00:00:00Z"),
        ),
    ];
    for (query, pred) in cases {
        let want = expected(&sim, "leads", |r| not_archived(r) && pred(r));
        let (got, _) = all_v1(&sim, &format!("/v1/leads?{query}"), 20);
        assert_eq!(id_texts(&got), want, "{query}");
        assert!(!want.is_empty(), "{query}");
    }
    // `sort=title ASC`: by title (ties by id).
    let mut rows: Vec<(String, String)> = sim
        .dataset()
        .records("leads")
        .unwrap()
        .into_iter()
        .filter(not_archived)
        .map(|r| {
            (
                r["title"].as_str().unwrap().to_string(),
                r["id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    let (got, _) = all_v1(&sim, "/v1/leads?sort=title%20ASC", 500);
    assert_eq!(
        got.iter()
            .map(|r| r["title"].as_str().unwrap().to_string())
            .collect::<Vec<_>>(),
        rows.iter().map(|r| r.0.clone()).collect::<Vec<_>>()
    );
}

#[test]
fn deal_custom_fields_are_flat_and_unset_ones_omitted() {
    let sim = start_sim(100);
    let fields = sim.dataset().deal_custom_fields();
    let leads = sim.dataset().records("leads").unwrap();
    for (key, _, ty) in &fields {
        let with = leads.iter().filter(|l| l.get(key).is_some()).count();
        assert!(
            with > 0 && with < leads.len(),
            "{key}: some leads set it, some leave it out"
        );
        for l in leads.iter().filter(|l| l.get(key).is_some()) {
            let v = &l[key];
            assert!(!v.is_null(), "unset values are left out, not null");
            match *ty {
                "monetary" => {
                    assert!(v.is_number());
                    assert!(l[format!("{key}_currency")].is_string());
                }
                "set" => assert!(v
                    .as_str()
                    .unwrap()
                    .split(',')
                    .all(|p| p.parse::<u64>().is_ok())),
                "enum" | "user" => assert!(v.is_u64()),
                "double" => assert!(v.is_number()),
                _ => assert!(v.is_string()),
            }
        }
    }
    assert!(leads.iter().all(|l| l.get("custom_fields").is_none()));
}

#[test]
fn lead_writes_round_trip() {
    let sim = start_sim(40);
    let labels = get_data(&sim, "/v1/leadLabels");
    let label = labels[0]["id"].as_str().unwrap().to_string();
    let text_field = sim
        .dataset()
        .deal_custom_fields()
        .into_iter()
        .find(|(_, _, t)| *t == "varchar")
        .unwrap()
        .0;
    let created = ok(
        &sim,
        "POST",
        "/v1/leads",
        Some(&json!({
            "title": "Anfrage Messe", "person_id": 7, "label_ids": [label],
            "value": {"amount": 1500, "currency": "EUR"}, "expected_close_date": "2026-05-01",
            text_field.clone(): "REF-1",
        })),
        201,
    );
    let id = created["id"].as_str().unwrap().to_string();
    assert_eq!(id.len(), 36);
    assert_eq!(created[&text_field], "REF-1");
    assert_eq!(get_data(&sim, &format!("/v1/leads/{id}")), created);
    let by_person = get_data(&sim, "/v1/leads?person_id=7&limit=500");
    assert!(by_person
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["id"] == id.as_str()));

    let updated = ok(
        &sim,
        "PATCH",
        &format!("/v1/leads/{id}"),
        Some(&json!({"is_archived": true, text_field.clone(): null})),
        200,
    );
    assert_eq!(updated["is_archived"], true);
    assert!(
        updated.get(&text_field).is_none(),
        "cleared custom values leave the record"
    );
    assert!(!expected(&sim, "leads", not_archived).contains(&id));
    let (archived, _) = all_v1(&sim, "/v1/leads/archived", 500);
    assert!(id_texts(&archived).contains(&id));

    assert_eq!(
        ok(&sim, "DELETE", &format!("/v1/leads/{id}"), None, 200),
        json!({ "id": id })
    );
    refused(&sim, "GET", &format!("/v1/leads/{id}"), None, 404);

    refused(
        &sim,
        "POST",
        "/v1/leads",
        Some(&json!({"person_id": 7})),
        400,
    );
    refused(
        &sim,
        "POST",
        "/v1/leads",
        Some(&json!({"title": "no links"})),
        400,
    );
    refused(
        &sim,
        "POST",
        "/v1/leads",
        Some(&json!({"title": "x", "person_id": "7"})),
        400,
    );
    refused(
        &sim,
        "POST",
        "/v1/leads",
        Some(&json!({"title": "x", "person_id": 7, "value": {"amount": "1"}})),
        400,
    );
    refused(
        &sim,
        "POST",
        "/v1/leads",
        Some(&json!({"title": "x", "person_id": 7, "label_ids": ["nope"]})),
        400,
    );
    refused(&sim, "GET", "/v1/leads/not-a-uuid", None, 400);
    refused(
        &sim,
        "GET",
        "/v1/leads/00000000-0000-4000-8000-000000000001",
        None,
        404,
    );
}

#[test]
fn labels_and_sources() {
    let sim = start_sim(20);
    let labels = get_data(&sim, "/v1/leadLabels");
    assert_eq!(
        labels,
        Value::Array(sim.dataset().records("leadLabels").unwrap())
    );
    let created = ok(
        &sim,
        "POST",
        "/v1/leadLabels",
        Some(&json!({"name": "VIP ⭐", "color": "green"})),
        200,
    );
    let id = created["id"].as_str().unwrap().to_string();
    let renamed = ok(
        &sim,
        "PATCH",
        &format!("/v1/leadLabels/{id}"),
        Some(&json!({"name": "VIP"})),
        200,
    );
    assert_eq!(renamed["color"], "green");
    assert!(get_data(&sim, "/v1/leadLabels")
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["name"] == "VIP"));
    ok(&sim, "DELETE", &format!("/v1/leadLabels/{id}"), None, 200);
    assert_eq!(
        get_data(&sim, "/v1/leadLabels").as_array().unwrap().len(),
        labels.as_array().unwrap().len()
    );
    refused(
        &sim,
        "POST",
        "/v1/leadLabels",
        Some(&json!({"name": "x", "color": "teal"})),
        400,
    );
    let sources = get_data(&sim, "/v1/leadSources");
    assert!(sources
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["name"].is_string()));
}
