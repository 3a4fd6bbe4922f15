//! `pipedrive_sim::served_operations()` lists exactly what answers: every
//! listed operation is routed (a read of a sample record succeeds), v1
//! ones under both prefixes, and nothing unlisted is served.

mod write_support;

use write_support::*;

/// Fills a template's parameters with ids that exist in a default dataset.
fn concrete(sim: &pipedrive_sim::Simulator, template: &str) -> String {
    let lead = sim.dataset().records("leads").unwrap()[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let comment = sim
        .dataset()
        .records("noteComments")
        .unwrap()
        .into_iter()
        .next()
        .unwrap();
    let note = comment["object_id"].as_str().unwrap().to_string();
    let line = sim.dataset().records("dealProducts").unwrap()[0].clone();
    let participant = sim.dataset().records("dealParticipants").unwrap()[0].clone();
    let (base, id) = if template.starts_with("/leads/{id}") {
        (template.to_string(), lead)
    } else if template.starts_with("/notes/{id}/comments") {
        (
            template.replace("{commentId}", comment["uuid"].as_str().unwrap()),
            note,
        )
    } else if template.contains("{product_attachment_id}") {
        (
            template.replace("{product_attachment_id}", &line["id"].to_string()),
            line["deal_id"].to_string(),
        )
    } else if template.contains("{deal_participant_id}") {
        (
            template.replace("{deal_participant_id}", &participant["id"].to_string()),
            participant["related_item_id"].to_string(),
        )
    } else {
        (template.replace("{follower_id}", "1"), "1".to_string())
    };
    base.replace("{id}", &id)
}

/// Query parameters some reads require.
fn required_query(template: &str) -> &'static str {
    match template {
        "/deals/products" => "?deal_ids=1,2",
        "/deals/search"
        | "/persons/search"
        | "/organizations/search"
        | "/itemSearch"
        | "/products/search"
        | "/leads/search"
        | "/projects/search" => "?term=ab",
        "/deals/timeline" => "?start_date=2024-01-01&interval=month&amount=1&field_key=add_time",
        "/organizationRelationships" => "?org_id=1",
        "/phases" => "?board_id=1",
        _ => "",
    }
}

/// The status of a GET whose answer need not be JSON.
fn status_of(sim: &pipedrive_sim::Simulator, path: &str) -> u16 {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", sim.port())).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nx-api-token: {TOKEN}\r\n\r\n"
    )
    .unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    let head = String::from_utf8_lossy(&answer[..answer.len().min(64)]).into_owned();
    head.split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

#[test]
fn every_listed_read_answers_under_every_prefix() {
    let sim = start_sim(50);
    let ops = pipedrive_sim::served_operations();
    assert!(ops.len() > 100, "{}", ops.len());
    for (method, op) in &ops {
        assert!(
            matches!(method.as_str(), "GET" | "POST" | "PUT" | "PATCH" | "DELETE"),
            "{method}"
        );
        let (version, template) = op.split_once(':').unwrap();
        if method != "GET" {
            continue;
        }
        let path = format!("{}{}", concrete(&sim, template), required_query(template));
        let prefixes: &[&str] = match version {
            "v2" => &["/api/v2"],
            "v1" => &["/api/v1", "/v1"],
            other => panic!("unknown version {other}"),
        };
        for prefix in prefixes {
            if template.ends_with("/download") {
                // A file's bytes, not JSON.
                let status = status_of(&sim, &format!("{prefix}{path}"));
                assert_eq!(status, 200, "GET {prefix}{path}");
                continue;
            }
            let a = send(&sim, "GET", &format!("{prefix}{path}"), None);
            assert_eq!(a.status, 200, "GET {prefix}{path}: {}", a.body);
        }
    }
}

#[test]
fn writes_are_listed_and_unlisted_paths_are_not_served() {
    let sim = start_sim(10);
    let ops = pipedrive_sim::served_operations();
    let has = |m: &str, o: &str| ops.iter().any(|(a, b)| a == m && b == o);
    for (m, o) in [
        ("POST", "v2:/deals"),
        ("PATCH", "v2:/deals/{id}"),
        ("DELETE", "v2:/deals/{id}"),
        ("PATCH", "v1:/leads/{id}"),
        ("PUT", "v1:/notes/{id}"),
        ("GET", "v1:/goals/find"),
        ("GET", "v1:/users/me"),
    ] {
        assert!(has(m, o), "{m} {o}");
    }
    // v1 CRUD of entities that moved to v2 is not served.
    for path in [
        "/v1/deals",
        "/v1/persons/1",
        "/api/v1/activities",
        "/api/v1/products",
        "/v1/pipelines",
    ] {
        assert_eq!(send(&sim, "GET", path, None).status, 404, "{path}");
        assert!(
            !ops.iter()
                .any(|(_, o)| path.ends_with(o.trim_start_matches("v1:"))),
            "{path}"
        );
    }
}
