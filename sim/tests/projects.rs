//! Projects, their tasks, boards and phases (v2).

mod write_support;

use serde_json::{json, Value};
use write_support::*;

fn member(r: &Value, array: &str, id: &Value) -> bool {
    r[array].as_array().unwrap().contains(id)
}

#[test]
fn project_paging_and_filters() {
    let sim = start_sim(400);
    let live = |r: &Value| r["status"] != "deleted";
    let want = expected(&sim, "projects", live);
    let total = want.len();
    for limit in [1, total - 1, total, total + 1] {
        let (got, _) = all_v2(&sim, &format!("/api/v2/projects?limit={limit}"));
        assert_eq!(id_texts(&got), want, "limit {limit}");
    }
    let with_deal = find(&sim, "projects", |r| {
        live(r) && !r["deal_ids"].as_array().unwrap().is_empty()
    });
    let deal = with_deal["deal_ids"][0].clone();
    let person = find(&sim, "projects", |r| {
        live(r) && !r["person_ids"].as_array().unwrap().is_empty()
    })["person_ids"][0]
        .clone();
    let org = find(&sim, "projects", |r| {
        live(r) && !r["org_ids"].as_array().unwrap().is_empty()
    })["org_ids"][0]
        .clone();
    let cases: Vec<Case> = vec![
        (
            "status=deleted".into(),
            Box::new(|r: &Value| r["status"] == "deleted"),
        ),
        (
            "status=open,completed".into(),
            Box::new(|r: &Value| r["status"] == "open" || r["status"] == "completed"),
        ),
        (
            "phase_id=3".into(),
            Box::new(move |r: &Value| live(r) && r["phase_id"] == 3),
        ),
        (
            format!("deal_id={deal}"),
            Box::new(move |r: &Value| live(r) && member(r, "deal_ids", &deal)),
        ),
        (
            format!("person_id={person}"),
            Box::new(move |r: &Value| live(r) && member(r, "person_ids", &person)),
        ),
        (
            format!("org_id={org}"),
            Box::new(move |r: &Value| live(r) && member(r, "org_ids", &org)),
        ),
    ];
    for (query, pred) in cases {
        let want = expected(&sim, "projects", |r| pred(r));
        let (got, _) = all_v2(&sim, &format!("/api/v2/projects?limit=4&{query}"));
        assert_eq!(id_texts(&got), want, "{query}");
        assert!(!want.is_empty(), "{query}");
    }
    refused(&sim, "GET", "/api/v2/projects?status=paused", None, 400);
}

#[test]
fn task_filters() {
    let sim = start_sim(300);
    let sub = find(&sim, "tasks", |r| r["parent_task_id"].is_u64());
    let parent = sub["parent_task_id"].clone();
    let cases: Vec<Case> = vec![
        (
            "is_done=true".into(),
            Box::new(|r: &Value| r["is_done"] == true),
        ),
        (
            "is_milestone=true".into(),
            Box::new(|r: &Value| r["is_milestone"] == true),
        ),
        (
            "project_id=2".into(),
            Box::new(|r: &Value| r["project_id"] == 2),
        ),
        (
            "assignee_id=3".into(),
            Box::new(|r: &Value| r["assignee_ids"].as_array().unwrap().contains(&json!(3))),
        ),
        (
            "parent_task_id=null".into(),
            Box::new(|r: &Value| r["parent_task_id"].is_null()),
        ),
        (
            format!("parent_task_id={parent}"),
            Box::new(move |r: &Value| r["parent_task_id"] == parent),
        ),
    ];
    for (query, pred) in cases {
        let want = expected(&sim, "tasks", |r| pred(r));
        let (got, _) = all_v2(&sim, &format!("/api/v2/tasks?limit=11&{query}"));
        assert_eq!(id_texts(&got), want, "{query}");
        assert!(!want.is_empty(), "{query}");
    }
}

#[test]
fn project_and_task_writes() {
    let sim = start_sim(60);
    let fields = get_data(&sim, "/api/v2/projectFields?limit=500");
    let budget = fields
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["field_type"] == "monetary")
        .unwrap()["field_code"]
        .as_str()
        .unwrap()
        .to_string();
    let project = ok(
        &sim,
        "POST",
        "/api/v2/projects",
        Some(
            &json!({"title": "Rollout München", "phase_id": 6, "deal_ids": [4], "custom_fields": {budget.clone(): {"value": 5000, "currency": "EUR"}}}),
        ),
        201,
    );
    let pid = project["id"].as_u64().unwrap();
    assert_eq!(project["board_id"], 2, "the phase decides the board");
    assert_eq!(project["custom_fields"][&budget]["value"], 5000);
    assert!(get_data(&sim, "/api/v2/projects?deal_id=4&limit=500")
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["id"] == pid));

    let task = ok(
        &sim,
        "POST",
        "/api/v2/tasks",
        Some(&json!({"title": "Kick-off", "project_id": pid, "assignee_id": 2, "milestone": 1})),
        201,
    );
    let tid = task["id"].as_u64().unwrap();
    assert_eq!(
        (task["is_milestone"].as_bool(), task["assignee_ids"].clone()),
        (Some(true), json!([2]))
    );
    let sub = ok(
        &sim,
        "POST",
        "/api/v2/tasks",
        Some(&json!({"title": "Agenda", "project_id": pid, "parent_task_id": tid})),
        201,
    );
    let done = ok(
        &sim,
        "PATCH",
        &format!("/api/v2/tasks/{tid}"),
        Some(&json!({"done": 1})),
        200,
    );
    assert_eq!(done["is_done"], true);
    assert!(done["marked_as_done_time"].is_string());
    let (of_project, _) = all_v2(&sim, &format!("/api/v2/tasks?project_id={pid}"));
    assert_eq!(of_project.len(), 2);
    // Deleting a task deletes its subtasks.
    ok(&sim, "DELETE", &format!("/api/v2/tasks/{tid}"), None, 200);
    refused(
        &sim,
        "GET",
        &format!("/api/v2/tasks/{}", sub["id"]),
        None,
        404,
    );

    ok(
        &sim,
        "DELETE",
        &format!("/api/v2/projects/{pid}"),
        None,
        200,
    );
    assert_eq!(
        get_data(&sim, &format!("/api/v2/projects/{pid}"))["status"],
        "deleted"
    );
    assert!(!get_data(&sim, "/api/v2/projects?limit=500")
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["id"] == pid));
    assert!(get_data(&sim, "/api/v2/projects?status=deleted&limit=500")
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["id"] == pid));

    refused(
        &sim,
        "POST",
        "/api/v2/projects",
        Some(&json!({"description": "no title"})),
        400,
    );
    refused(
        &sim,
        "POST",
        "/api/v2/projects",
        Some(&json!({"title": "x", "phase_id": 99})),
        400,
    );
    refused(
        &sim,
        "POST",
        "/api/v2/projects",
        Some(&json!({"title": "x", "deal_ids": [99999]})),
        400,
    );
    refused(
        &sim,
        "POST",
        "/api/v2/tasks",
        Some(&json!({"title": "x"})),
        400,
    );
    refused(
        &sim,
        "POST",
        "/api/v2/tasks",
        Some(&json!({"title": "x", "project_id": pid})),
        400,
    );
    refused(
        &sim,
        "POST",
        "/api/v2/tasks",
        Some(&json!({"title": "x", "project_id": 1, "done": 2})),
        400,
    );
}

#[test]
fn boards_and_phases() {
    let sim = start_sim(10);
    assert_eq!(
        get_data(&sim, "/api/v2/boards"),
        Value::Array(sim.dataset().records("boards").unwrap())
    );
    let phases = get_data(&sim, "/api/v2/phases?board_id=2");
    assert!(phases
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["board_id"] == 2));
    refused(&sim, "GET", "/api/v2/phases", None, 400);
}
