//! Same seed, same bytes; a different seed, different data.

mod common;

use common::*;
use pipedrive_sim::{SimConfig, Simulator};

const PATHS: &[&str] = &[
    "/api/v2/deals?limit=500",
    "/api/v2/deals?limit=37&sort_by=update_time&sort_direction=desc&include_fields=activities_count,smart_bcc_email",
    "/api/v2/deals/123?include_option_labels=true",
    "/api/v2/persons?limit=200",
    "/api/v2/organizations",
    "/api/v2/pipelines",
    "/api/v2/stages",
    "/api/v2/dealFields?include_fields=ui_visibility",
    "/api/v2/personFields",
    "/v1/organizationFields",
    "/v1/users",
    "/v1/users/me",
];

fn bodies(seed: u64) -> Vec<Vec<u8>> {
    let sim = Simulator::start(SimConfig {
        seed,
        deals: 600,
        ..Default::default()
    })
    .unwrap();
    PATHS
        .iter()
        .map(|p| get(&sim, p))
        .inspect(|r| assert_eq!(r.status, 200))
        .map(|r| r.body)
        .collect()
}

#[test]
fn same_seed_gives_identical_bytes() {
    let a = bodies(7);
    let b = bodies(7);
    for ((x, y), path) in a.iter().zip(&b).zip(PATHS) {
        assert!(x == y, "{path} differs between runs");
    }
}

#[test]
fn another_seed_gives_other_data() {
    let a = bodies(7);
    let c = bodies(8);
    assert_ne!(a[0], c[0]);
    assert_ne!(a[8], c[8], "custom field keys depend on the seed");
}

#[test]
fn dataset_values_equal_api_responses() {
    let sim = start(300);
    let ds = sim.dataset();
    for id in [1, 2, 150, 300] {
        assert_eq!(
            get_ok(&sim, &format!("/api/v2/deals/{id}"))["data"],
            ds.deal(id).unwrap()
        );
    }
    assert_eq!(
        get_ok(&sim, "/api/v2/persons/7")["data"],
        ds.person(7).unwrap()
    );
    assert_eq!(
        get_ok(&sim, "/api/v2/organizations/3")["data"],
        ds.organization(3).unwrap()
    );
    assert_eq!(
        get_ok(&sim, "/api/v2/pipelines/2")["data"],
        ds.pipeline(2).unwrap()
    );
    assert_eq!(
        get_ok(&sim, "/api/v2/stages/4")["data"],
        ds.stage(4).unwrap()
    );
    // The deleted deals are served by id too (soft delete).
    let deleted = ds.deals().find(|d| d["status"] == "deleted").unwrap();
    assert_eq!(
        get_ok(&sim, &format!("/api/v2/deals/{}", deleted["id"]))["data"],
        deleted
    );
}
