//! The generated data is realistic in the ways a client must cope with:
//! valid links, NULLs, non-ASCII and astral-plane text, long texts,
//! decimals, several currencies and every deal status.

mod common;

use common::*;
use pipedrive_sim::{SimConfig, Simulator};
use serde_json::Value;
use std::collections::BTreeSet;

#[test]
fn links_point_to_existing_records_and_stages_belong_to_pipelines() {
    let sim = start(2000);
    let ds = sim.dataset();
    let stages = ds.stages();
    assert_eq!(ds.pipeline_count(), 3);
    assert_eq!(stages.len(), 15);
    for d in ds.deals() {
        let stage = stages
            .iter()
            .find(|s| s["id"] == d["stage_id"])
            .expect("stage exists");
        assert_eq!(stage["pipeline_id"], d["pipeline_id"], "deal {}", d["id"]);
        assert!(ds.user(d["owner_id"].as_u64().unwrap()).is_some());
        assert!(ds.user(d["creator_user_id"].as_u64().unwrap()).is_some());
        if let Some(p) = d["person_id"].as_u64() {
            assert!(ds.person(p).is_some());
        }
        if let Some(o) = d["org_id"].as_u64() {
            assert!(ds.organization(o).is_some());
        }
        assert!(d["update_time"].as_str() >= d["add_time"].as_str());
    }
    for p in ds.persons() {
        if let Some(o) = p["org_id"].as_u64() {
            assert!(ds.organization(o).is_some());
        }
    }
}

#[test]
fn statuses_times_and_nulls_are_consistent() {
    let sim = start(2000);
    let deals: Vec<Value> = sim.dataset().deals().collect();
    let count = |pred: &dyn Fn(&Value) -> bool| deals.iter().filter(|d| pred(d)).count();
    for status in ["open", "won", "lost", "deleted"] {
        assert!(count(&|d| d["status"] == status) > 0, "{status}");
    }
    let deleted = count(&|d| d["status"] == "deleted");
    assert!(
        deleted < deals.len() / 20,
        "only a few deals are deleted ({deleted})"
    );
    for d in &deals {
        match d["status"].as_str().unwrap() {
            "open" => {
                assert!(
                    d["close_time"].is_null()
                        && d["won_time"].is_null()
                        && d["lost_time"].is_null()
                );
            }
            "won" => {
                assert!(d["won_time"].is_string() && d["lost_time"].is_null());
                assert_eq!(d["close_time"], d["won_time"]);
            }
            "lost" => {
                assert!(d["lost_time"].is_string() && d["won_time"].is_null());
                assert_eq!(d["close_time"], d["lost_time"]);
            }
            _ => assert_eq!(d["is_deleted"], true),
        }
    }
    for key in [
        "person_id",
        "org_id",
        "expected_close_date",
        "probability",
        "stage_change_time",
    ] {
        let nulls = count(&|d| d[key].is_null());
        assert!(
            nulls > 0 && nulls < deals.len(),
            "{key}: some but not all NULL ({nulls})"
        );
    }
}

fn has_astral(s: &str) -> bool {
    s.chars().any(|c| c as u32 > 0xFFFF)
}

#[test]
fn text_is_international_and_sometimes_long() {
    let sim = start(2000);
    let ds = sim.dataset();
    let titles: Vec<String> = ds
        .deals()
        .map(|d| d["title"].as_str().unwrap().to_string())
        .collect();
    assert!(titles.iter().any(|t| !t.is_ascii()), "accented titles");
    assert!(
        titles
            .iter()
            .any(|t| t.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)
                || ('\u{3040}'..='\u{30ff}').contains(&c))),
        "CJK titles"
    );
    assert!(
        titles.iter().any(|t| has_astral(t)),
        "titles needing UTF-16 surrogate pairs"
    );
    assert!(
        ds.persons()
            .any(|p| has_astral(p["name"].as_str().unwrap())),
        "names needing surrogate pairs"
    );

    let (notes_key, _, _) = ds
        .deal_custom_fields()
        .into_iter()
        .find(|(_, _, t)| *t == "text")
        .unwrap();
    let long = ds
        .deals()
        .filter(|d| {
            d["custom_fields"][&notes_key]
                .as_str()
                .is_some_and(|s| s.chars().count() > 1000)
        })
        .count();
    assert!(long > 20, "long texts: {long}");
    // The raw bytes on the wire are UTF-8, not \u escapes.
    let raw = get(&sim, "/api/v2/deals?limit=500").body;
    assert!(std::str::from_utf8(&raw)
        .unwrap()
        .chars()
        .any(|c| c as u32 > 0xFFFF));
}

#[test]
fn money_has_decimals_and_several_currencies() {
    let sim = start(1000);
    let deals: Vec<Value> = sim.dataset().deals().collect();
    let currencies: BTreeSet<&str> = deals
        .iter()
        .map(|d| d["currency"].as_str().unwrap())
        .collect();
    assert!(currencies.len() >= 5, "{currencies:?}");
    assert!(deals
        .iter()
        .any(|d| d["value"].as_f64().is_some_and(|v| v.fract() != 0.0)));
    assert!(deals.iter().any(|d| d["value"] == 0));
    let (money_key, _, _) = sim
        .dataset()
        .deal_custom_fields()
        .into_iter()
        .find(|(_, _, t)| *t == "monetary")
        .unwrap();
    assert!(deals.iter().any(|d| d["custom_fields"][&money_key]["value"]
        .as_f64()
        .is_some_and(|v| v.fract() != 0.0)));
}

#[test]
fn counts_follow_the_configuration() {
    let sim = Simulator::start(SimConfig {
        deals: 33,
        persons: 44,
        organizations: 5,
        users: 20,
        pipelines: 2,
        stages_per_pipeline: 5,
        ..Default::default()
    })
    .unwrap();
    let ds = sim.dataset();
    assert_eq!(
        (
            ds.deal_count(),
            ds.person_count(),
            ds.organization_count(),
            ds.user_count()
        ),
        (33, 44, 5, 20)
    );
    assert_eq!((ds.pipeline_count(), ds.stage_count()), (2, 10));
    assert_eq!(ds.deals().count(), 33);
    assert!(ds.deal(34).is_none() && ds.deal(0).is_none());
    let defaults = SimConfig::default();
    assert_eq!(
        (defaults.token.as_str(), defaults.deals),
        ("demo-token", 250)
    );
    assert!((5..=20).contains(&defaults.users));
}
