//! Authentication and the error responses (bodies, statuses, headers).

mod common;

use common::*;
use serde_json::json;

const V2_UNAUTHORIZED: &str = r#"{"success":false,"error":"unauthorized access","error_info":"Please check developers.pipedrive.com","data":null,"additional_data":null}"#;
const V1_UNAUTHORIZED: &str = r#"{"success":false,"error":"unauthorized access","errorCode":401}"#;

#[test]
fn v2_requires_the_token_header() {
    let sim = start(20);
    for path in [
        "/api/v2/deals",
        "/api/v2/deals/1",
        "/api/v2/persons",
        "/api/v2/stages",
        "/api/v2/dealFields",
        "/api/v2/nothing-here",
    ] {
        for token in [None, Some("wrong-token"), Some("")] {
            let resp = request(&sim, "GET", path, token);
            assert_eq!(resp.status, 401, "{path} {token:?}");
            assert_eq!(resp.header("content-type"), Some("application/json"));
            assert_eq!(
                String::from_utf8(resp.body).unwrap(),
                V2_UNAUTHORIZED,
                "{path}"
            );
        }
    }
    // The v1 query parameter is not accepted on v2.
    assert_eq!(
        request(&sim, "GET", "/api/v2/deals?api_token=demo-token", None).status,
        401
    );
    assert_eq!(get(&sim, "/api/v2/deals").status, 200);
}

#[test]
fn v1_accepts_the_header_or_the_query_parameter() {
    let sim = start(20);
    for path in [
        "/api/v1/users",
        "/v1/users",
        "/v1/users/me",
        "/api/v1/dealFields",
    ] {
        let resp = request(&sim, "GET", path, None);
        assert_eq!(resp.status, 401, "{path}");
        assert_eq!(resp.header("content-type"), Some("application/json"));
        assert_eq!(String::from_utf8(resp.body).unwrap(), V1_UNAUTHORIZED);
        assert_eq!(
            request(&sim, "GET", &format!("{path}?api_token=nope"), None).status,
            401
        );
        assert_eq!(
            request(&sim, "GET", &format!("{path}?api_token={TOKEN}"), None).status,
            200,
            "{path}"
        );
        assert_eq!(
            request(&sim, "GET", path, Some(TOKEN)).status,
            200,
            "{path}"
        );
    }
}

#[test]
fn a_custom_token_replaces_the_default() {
    let sim = pipedrive_sim::Simulator::start(pipedrive_sim::SimConfig {
        token: "s3cret".into(),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(sim.token(), "s3cret");
    assert_eq!(
        request(&sim, "GET", "/api/v2/deals", Some(TOKEN)).status,
        401
    );
    assert_eq!(
        request(&sim, "GET", "/api/v2/deals", Some("s3cret")).status,
        200
    );
}

#[test]
fn not_found_bodies() {
    let sim = start(20);
    for path in [
        "/api/v2/deals/21",
        "/api/v2/deals/0",
        "/api/v2/persons/99999",
        "/api/v2/organizations/99999",
        "/api/v2/pipelines/9",
        "/api/v2/stages/999",
    ] {
        let resp = get(&sim, path);
        assert_eq!(resp.status, 404, "{path}");
        assert_eq!(resp.header("content-type"), Some("application/json"));
        assert_eq!(
            resp.json(),
            json!({"success": false, "error": "Entity was not found", "error_info": "Object was not found.", "data": null, "additional_data": null}),
            "{path}"
        );
    }
    for path in [
        "/api/v2/users",
        "/api/v2/deals/1/nothing",
        "/api/v1/deals",
        "/v1/persons/1",
        "/api/v3/deals",
        "/",
    ] {
        let resp = get(&sim, path);
        assert_eq!(resp.status, 404, "{path}");
        let body = resp.json();
        assert_eq!(body["success"], false);
        assert_eq!(body["error"], "Unknown method .");
        assert_eq!(body["data"], serde_json::Value::Null);
    }
    let resp = get(&sim, "/v1/users/4242");
    assert_eq!(resp.status, 404);
    assert_eq!(
        resp.json(),
        json!({"success": false, "error": "User not found or not accessible."})
    );
}

#[test]
fn bad_path_ids_are_400() {
    let sim = start(20);
    for path in [
        "/api/v2/deals/abc",
        "/api/v2/deals/-1",
        "/api/v2/persons/1.5",
        "/v1/users/me2",
    ] {
        let resp = get(&sim, path);
        assert_eq!(resp.status, 400, "{path}");
        assert_eq!(resp.json()["success"], false);
    }
}

#[test]
fn wrong_methods_are_405_with_allow() {
    let sim = start(20);
    for (method, path) in [
        // Methods the specs do not define for these paths.
        ("PUT", "/api/v2/deals"),
        ("PUT", "/api/v2/deals/1"),
        ("DELETE", "/v1/users/1"),
        ("PUT", "/api/v2/stages/1"),
        ("GET", "/__sim/reset"),
    ] {
        let resp = request(&sim, method, path, Some(TOKEN));
        assert_eq!(resp.status, 405, "{method} {path}");
        assert!(resp.header("allow").is_some());
        assert_eq!(resp.json()["success"], false);
    }
    // Authentication is checked first.
    assert_eq!(request(&sim, "POST", "/api/v2/deals", None).status, 401);
}

#[test]
fn responses_are_json_with_content_length() {
    let sim = start(20);
    let resp = get(&sim, "/api/v2/deals?limit=3");
    assert_eq!(resp.header("content-type"), Some("application/json"));
    assert_eq!(
        resp.header("content-length")
            .and_then(|l| l.parse::<usize>().ok()),
        Some(resp.body.len())
    );
    assert!(resp.header("date").is_some_and(|d| d.ends_with(" GMT")));
}
