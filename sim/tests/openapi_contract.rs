//! OpenAPI contract test: every operation the simulator serves
//! (`pipedrive_sim::served_operations()`) is requested without parameters,
//! paged with a small `limit`, with each query parameter its operation
//! lists in the spec, with writes built from the spec's request schemas and
//! with error cases (401, 404, 400); every answer is validated against the
//! JSON schema of the same operation and status in
//! `shared/pipedrive-api/v2.yaml` / `v1.yaml`. No shape is written by
//! hand: the schemas come from the documents at test time (see
//! `contract/schema.rs` for how OpenAPI 3.0 is turned into JSON Schema).
//!
//! Run with `-- --nocapture` to see what was validated per operation.

#[path = "contract/mod.rs"]
mod contract;

use contract::harness::Harness;
use contract::schema::{convert, violations, Validators};
use contract::served_op::ServedOp;
use contract::spec::Specs;
use pipedrive_sim::{SimConfig, Simulator};
use serde_json::json;
use std::collections::BTreeSet;

/// Disagreements between the simulator and the spec that this test found
/// and that were reported for a decision and a fix in the simulator; they
/// are waived until then: (operation, start of the problem, what is wrong).
/// A waived problem that no longer occurs fails the test, so each entry
/// goes with its fix.
const KNOWN_DISAGREEMENTS: &[(&str, &str, &str)] = &[];

fn served() -> Vec<ServedOp> {
    pipedrive_sim::served_operations()
        .iter()
        .map(|(method, template)| ServedOp::parse(method, template))
        .collect()
}

/// Small enough to page everything quickly, large enough for several pages
/// and for every kind of generated value to occur.
fn small_company() -> SimConfig {
    SimConfig {
        deals: 40,
        persons: 24,
        organizations: 12,
        users: 4,
        pipelines: 2,
        stages_per_pipeline: 3,
        ..SimConfig::default()
    }
}

#[test]
fn every_served_operation_answers_as_the_spec_says() {
    let specs = Specs::load();
    let sim = Simulator::start(small_company()).expect("simulator starts");
    let served = served();
    assert!(!served.is_empty(), "served_operations() lists nothing");
    let mut harness = Harness::new(sim.port(), sim.token(), &specs);
    harness.run(&served);
    let report = &harness.report;

    for line in report.lines() {
        println!("contract: {line}");
    }
    for pointer in harness.relaxed_one_of() {
        println!("contract: oneOf relaxed to anyOf (branches not disjoint by type): {pointer}");
    }
    println!(
        "openapi contract: {} of {} served operations validated, {} responses validated, \
         {} error answers checked by status only (the spec defines no body for them)",
        report.operations_validated(),
        served.len(),
        report.responses_validated(),
        report.status_only()
    );

    // (operation, problem, line to print)
    let mut found: Vec<(String, String, String)> = report
        .missing_from_spec
        .iter()
        .map(|op| {
            let problem = "served by the simulator but not in the spec".to_string();
            (op.clone(), problem.clone(), format!("{op}: {problem}"))
        })
        .collect();
    for op in &served {
        let validated = report
            .operations
            .get(&op.label())
            .is_some_and(|o| o.validated.values().any(|&n| n > 0));
        if !validated && !report.missing_from_spec.contains(&op.label()) {
            let problem = "no response was validated".to_string();
            found.push((
                op.label(),
                problem.clone(),
                format!("{}: {problem}", op.label()),
            ));
        }
    }
    for failure in report.failures() {
        found.push((
            failure.operation.clone(),
            failure.problem.clone(),
            failure.line(),
        ));
    }
    let mut problems = Vec::new();
    let mut waived = vec![false; KNOWN_DISAGREEMENTS.len()];
    for (operation, problem, line) in found {
        let known = KNOWN_DISAGREEMENTS
            .iter()
            .position(|(op, start, _)| operation == *op && problem.starts_with(start));
        match known {
            Some(i) => {
                waived[i] = true;
                println!("contract: known disagreement (waived): {line}");
            }
            None => problems.push(line),
        }
    }
    for ((op, start, what), seen) in KNOWN_DISAGREEMENTS.iter().zip(waived) {
        if !seen {
            problems.push(format!(
                "{op}: the known disagreement `{start}` ({what}) no longer occurs: \
                 remove it from KNOWN_DISAGREEMENTS"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{} contract problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn a_served_operation_missing_from_the_spec_is_reported() {
    let specs = Specs::load();
    let mut harness = Harness::new(0, "unused", &specs);
    harness.run(&[ServedOp::parse("GET", "v2:/noSuchEndpoint")]);
    assert_eq!(
        harness.report.missing_from_spec,
        vec!["GET v2:/noSuchEndpoint".to_string()]
    );
}

/// The schema of `/` in a tiny document, validated through the same path
/// as the real ones.
fn validate_with(
    schema: serde_json::Value,
    doc: serde_json::Value,
    body: serde_json::Value,
) -> Vec<String> {
    let mut validators = Validators::default();
    let validator = validators.get("test", &doc, &schema, "#/test");
    violations(&validator, &body)
        .into_iter()
        .map(|v| format!("{} {}", v.instance_path, v.message))
        .collect()
}

#[test]
fn schema_conversion_makes_every_property_nullable_but_keeps_types() {
    let schema = json!({
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "status": {"type": "string", "enum": ["open", "won"]},
            "tags": {"type": "array", "items": {"type": "string"}},
            "kind": {"allOf": [{"type": "string", "enum": ["a", "b"]}, {"enum": ["b", "c"]}]},
        }
    });
    let ok = json!({"id": null, "status": null, "tags": null, "kind": null});
    assert!(validate_with(schema.clone(), json!({}), ok).is_empty());
    assert!(validate_with(schema.clone(), json!({}), json!({"kind": "b"})).is_empty());
    let wrong = json!({"id": "7", "status": "maybe", "tags": [null], "kind": "a"});
    let errors = validate_with(schema, json!({}), wrong);
    assert_eq!(errors.len(), 4, "{errors:?}");
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("/kind ") && e.contains("is not one of")),
        "{errors:?}"
    );
}

#[test]
fn schema_conversion_resolves_component_refs_and_nullable() {
    let doc = json!({"components": {"schemas": {"Owner": {
        "type": "object",
        "required": ["id"],
        "properties": {"id": {"type": "integer"}}
    }}}});
    let schema = json!({
        "type": "object",
        "properties": {"owner": {"$ref": "#/components/schemas/Owner"}},
        "items": {"type": "string", "nullable": true}
    });
    assert!(validate_with(schema.clone(), doc.clone(), json!({"owner": {"id": 1}})).is_empty());
    assert!(validate_with(schema.clone(), doc.clone(), json!({"owner": null})).is_empty());
    assert_eq!(validate_with(schema, doc, json!({"owner": {}})).len(), 1);
}

#[test]
fn schema_conversion_relaxes_only_ambiguous_one_of() {
    let mut relaxed = BTreeSet::new();
    let disjoint = json!({"oneOf": [{"type": "integer"}, {"type": "string"}]});
    assert!(convert(&disjoint, "#/a", &mut relaxed)
        .get("oneOf")
        .is_some());
    let overlapping = json!({"oneOf": [{"type": "integer"}, {"type": "number"}]});
    assert!(convert(&overlapping, "#/b", &mut relaxed)
        .get("anyOf")
        .is_some());
    assert_eq!(
        relaxed.into_iter().collect::<Vec<_>>(),
        vec!["#/b/oneOf".to_string()]
    );
}
