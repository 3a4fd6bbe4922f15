//! v1 users: the whole list without paging, single users, and /users/me.

mod common;

use common::*;
use pipedrive_sim::{SimConfig, Simulator};

#[test]
fn users_list_returns_everyone_without_paging() {
    let sim = Simulator::start(SimConfig {
        users: 17,
        ..Default::default()
    })
    .unwrap();
    for path in ["/api/v1/users", "/v1/users", "/v1/users?limit=2&start=5"] {
        let body = get_ok(&sim, path);
        let users = body["data"].as_array().unwrap();
        assert_eq!(users.len(), 17, "{path}");
        assert_eq!(users, &sim.dataset().users());
        assert!(body.get("additional_data").is_none());
    }
    let me: Vec<_> = sim
        .dataset()
        .users()
        .into_iter()
        .filter(|u| u["is_you"] == true)
        .collect();
    assert_eq!(me.len(), 1);
}

#[test]
fn single_user_and_me() {
    let sim = start(10);
    for id in 1..=sim.dataset().user_count() {
        assert_eq!(
            get_ok(&sim, &format!("/v1/users/{id}"))["data"],
            sim.dataset().user(id).unwrap()
        );
    }
    let me = get_ok(&sim, "/api/v1/users/me")["data"].clone();
    assert_eq!(me, sim.dataset().me());
    assert_eq!(me["id"], 1);
    assert_eq!(me["is_you"], true);
    for key in [
        "company_id",
        "company_name",
        "company_domain",
        "company_country",
        "company_industry",
    ] {
        assert!(!me[key].is_null(), "{key}");
    }
    assert!(me["language"]["language_code"].is_string());
    // v1 timestamps: "YYYY-MM-DD HH:MM:SS".
    let created = me["created"].as_str().unwrap();
    assert_eq!(created.len(), 19);
    assert_eq!(&created[10..11], " ");
}
