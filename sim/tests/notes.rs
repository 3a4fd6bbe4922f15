//! Notes (v1) and their comments: offset paging at boundaries, every
//! filter against brute force, `sort`, get, and writes.

mod write_support;

use serde_json::{json, Value};
use write_support::*;

#[test]
fn offset_paging_at_boundaries() {
    let sim = start_sim(45);
    let want = expected(&sim, "notes", |_| true);
    let total = want.len();
    for limit in [1, 10, total - 1, total, total + 1] {
        let (records, pages) = all_v1(&sim, "/v1/notes", limit);
        assert_eq!(id_texts(&records), want, "limit {limit}");
        assert_eq!(pages, total.div_ceil(limit).max(1), "limit {limit}");
    }
    // A start past the end is an empty last page.
    let a = send(
        &sim,
        "GET",
        &format!("/api/v1/notes?start={}", total + 5),
        None,
    );
    assert_eq!(a.body["data"], json!([]));
    assert_eq!(
        a.body["additional_data"]["pagination"]["more_items_in_collection"],
        false
    );
}

#[test]
fn filters_match_brute_force() {
    let sim = start_sim(200);
    let pick = |field: &str| find(&sim, "notes", |r| !r[field].is_null())[field].clone();
    let mut cases: Vec<Case> = Vec::new();
    for field in [
        "user_id",
        "deal_id",
        "person_id",
        "org_id",
        "project_id",
        "task_id",
    ] {
        let v = pick(field);
        cases.push((
            format!("{field}={v}"),
            Box::new(move |r: &Value| r[field] == v),
        ));
    }
    let lead = pick("lead_id");
    cases.push((
        format!("lead_id={}", lead.as_str().unwrap()),
        Box::new(move |r: &Value| r["lead_id"] == lead),
    ));
    for flag in [
        "pinned_to_deal_flag",
        "pinned_to_person_flag",
        "pinned_to_organization_flag",
    ] {
        cases.push((
            format!("{flag}=1"),
            Box::new(move |r: &Value| r[flag] == true),
        ));
        cases.push((
            format!("{flag}=0"),
            Box::new(move |r: &Value| r[flag] == false),
        ));
    }
    let day = |r: &Value| r["add_time"].as_str().unwrap()[..10].to_string();
    cases.push((
        "start_date=2022-01-01".into(),
        Box::new(move |r: &Value| day(r).as_str() >= "2022-01-01"),
    ));
    cases.push((
        "end_date=2021-06-30".into(),
        Box::new(move |r: &Value| day(r).as_str() <= "2021-06-30"),
    ));
    cases.push((
        "updated_since=2023-03-01T00:00:00Z".into(),
        Box::new(|r: &Value| time_key(&r["update_time"]).as_str() >= "2023-03-01T00:00:00"),
    ));
    for (query, pred) in cases {
        let want = expected(&sim, "notes", |r| pred(r));
        let (got, _) = all_v1(&sim, &format!("/v1/notes?{query}"), 50);
        assert_eq!(id_texts(&got), want, "{query}");
        assert!(!want.is_empty(), "{query} matches nothing");
    }
    refused(&sim, "GET", "/v1/notes?pinned_to_deal_flag=2", None, 400);
    refused(&sim, "GET", "/v1/notes?start_date=yesterday", None, 400);
}

#[test]
fn sort_orders() {
    let sim = start_sim(60);
    let records = sim.dataset().records("notes").unwrap();
    let mut by_user: Vec<(u64, String, u64)> = records
        .iter()
        .map(|r| {
            (
                r["user_id"].as_u64().unwrap(),
                r["update_time"].as_str().unwrap().to_string(),
                r["id"].as_u64().unwrap(),
            )
        })
        .collect();
    by_user.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let (got, _) = all_v1(
        &sim,
        "/v1/notes?sort=user_id%20DESC,%20update_time%20ASC",
        17,
    );
    let got_ids: Vec<u64> = got.iter().map(|r| r["id"].as_u64().unwrap()).collect();
    assert_eq!(got_ids, by_user.iter().map(|t| t.2).collect::<Vec<_>>());
    let (got, _) = all_v1(&sim, "/v1/notes?sort=id%20DESC", 100);
    let mut want = id_texts(&records);
    want.reverse();
    assert_eq!(id_texts(&got), want);
    refused(&sim, "GET", "/v1/notes?sort=id%20SIDEWAYS", None, 400);
}

#[test]
fn some_notes_are_long_and_embed_their_parents() {
    let sim = start_sim(400);
    let records = sim.dataset().records("notes").unwrap();
    assert!(records
        .iter()
        .any(|r| r["content"].as_str().unwrap().chars().count() > 4000));
    let on_deal = records.iter().find(|r| r["deal_id"].is_u64()).unwrap();
    let deal = sim
        .dataset()
        .deal(on_deal["deal_id"].as_u64().unwrap())
        .unwrap();
    assert_eq!(on_deal["deal"]["title"], deal["title"]);
    let id = on_deal["id"].as_u64().unwrap();
    assert_eq!(&get_data(&sim, &format!("/v1/notes/{id}")), on_deal);
}

#[test]
fn note_writes_round_trip() {
    let sim = start_sim(30);
    let created = ok(
        &sim,
        "POST",
        "/v1/notes",
        Some(
            &json!({"content": "<p>Neue Notiz 📝</p>", "person_id": 4, "pinned_to_person_flag": 1}),
        ),
        200,
    );
    let id = created["id"].as_u64().unwrap();
    assert_eq!(created["pinned_to_person_flag"], true);
    assert_eq!(
        created["person"]["name"],
        sim.dataset().person(4).unwrap()["name"]
    );
    let by_person = get_data(&sim, "/v1/notes?person_id=4&limit=500");
    assert!(by_person.as_array().unwrap().iter().any(|r| r["id"] == id));
    let pinned = get_data(&sim, "/v1/notes?pinned_to_person_flag=1&limit=500");
    assert!(pinned.as_array().unwrap().iter().any(|r| r["id"] == id));

    let updated = ok(
        &sim,
        "PUT",
        &format!("/v1/notes/{id}"),
        Some(&json!({"content": "edited", "deal_id": 2})),
        200,
    );
    assert_eq!(updated["content"], "edited");
    assert_eq!(
        updated["deal"]["title"],
        sim.dataset().deal(2).unwrap()["title"]
    );
    assert_eq!(get_data(&sim, &format!("/v1/notes/{id}")), updated);

    assert_eq!(
        ok(&sim, "DELETE", &format!("/v1/notes/{id}"), None, 200),
        json!(true)
    );
    refused(&sim, "GET", &format!("/v1/notes/{id}"), None, 404);
    assert!(!expected(&sim, "notes", |_| true).contains(&id.to_string()));

    refused(&sim, "POST", "/v1/notes", Some(&json!({"deal_id": 1})), 400);
    refused(
        &sim,
        "POST",
        "/v1/notes",
        Some(&json!({"content": "orphan"})),
        400,
    );
    refused(
        &sim,
        "POST",
        "/v1/notes",
        Some(&json!({"content": 7, "deal_id": 1})),
        400,
    );
    refused(
        &sim,
        "POST",
        "/v1/notes",
        Some(&json!({"content": "x", "deal_id": 99_999})),
        400,
    );
    refused(
        &sim,
        "PUT",
        "/v1/notes/99999",
        Some(&json!({"content": "x"})),
        404,
    );
}

#[test]
fn comments_belong_to_their_note() {
    let sim = start_sim(60);
    let comments = sim.dataset().records("noteComments").unwrap();
    let first = &comments[0];
    let note: u64 = first["object_id"].as_str().unwrap().parse().unwrap();
    let want: Vec<Value> = comments
        .iter()
        .filter(|c| c["object_id"] == first["object_id"])
        .cloned()
        .collect();
    assert_eq!(
        get_data(&sim, &format!("/v1/notes/{note}/comments")),
        Value::Array(want)
    );
    let uuid = first["uuid"].as_str().unwrap();
    assert_eq!(
        &get_data(&sim, &format!("/v1/notes/{note}/comments/{uuid}")),
        first
    );
    // Under another note the comment does not exist.
    let other = if note == 1 { 2 } else { 1 };
    refused(
        &sim,
        "GET",
        &format!("/v1/notes/{other}/comments/{uuid}"),
        None,
        404,
    );

    let created = ok(
        &sim,
        "POST",
        &format!("/v1/notes/{note}/comments"),
        Some(&json!({"content": "Einverstanden"})),
        200,
    );
    let new_uuid = created["uuid"].as_str().unwrap().to_string();
    assert_eq!(created["object_id"], note.to_string());
    let listed = get_data(&sim, &format!("/v1/notes/{note}/comments"));
    assert!(listed
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["uuid"] == new_uuid.as_str()));
    let edited = ok(
        &sim,
        "PUT",
        &format!("/v1/notes/{note}/comments/{new_uuid}"),
        Some(&json!({"content": "Geändert"})),
        200,
    );
    assert_eq!(edited["content"], "Geändert");
    assert_eq!(
        ok(
            &sim,
            "DELETE",
            &format!("/v1/notes/{note}/comments/{new_uuid}"),
            None,
            200
        ),
        json!(true)
    );
    refused(
        &sim,
        "GET",
        &format!("/v1/notes/{note}/comments/{new_uuid}"),
        None,
        404,
    );
    refused(
        &sim,
        "POST",
        &format!("/v1/notes/{note}/comments"),
        Some(&json!({})),
        400,
    );
    refused(&sim, "GET", "/v1/notes/99999/comments", None, 404);
}
