//! Contract test: records carry every property of the response schemas in
//! Pipedrive's OpenAPI documents (v2.yaml, v1.yaml) with the right JSON
//! types. The property lists below were extracted from those documents
//! (`data` item schemas of the GET endpoints). As REFERENCE.md advises, any
//! property may be `null`; a present value must have the schema's type.

mod common;

use common::*;
use serde_json::Value;

/// From the spec.
const DEAL: &[(&str, &str)] = &[
    ("id", "integer"),
    ("title", "string"),
    ("owner_id", "integer"),
    ("person_id", "integer"),
    ("org_id", "integer"),
    ("pipeline_id", "integer"),
    ("stage_id", "integer"),
    ("value", "number"),
    ("currency", "string"),
    ("add_time", "string"),
    ("update_time", "string"),
    ("stage_change_time", "string"),
    ("is_deleted", "boolean"),
    ("is_archived", "boolean"),
    ("status", "string"),
    ("probability", "number"),
    ("lost_reason", "string"),
    ("visible_to", "integer"),
    ("close_time", "string"),
    ("won_time", "string"),
    ("lost_time", "string"),
    ("expected_close_date", "string"),
    ("label_ids", "array"),
    ("origin", "string"),
    ("origin_id", "string"),
    ("channel", "integer"),
    ("channel_id", "string"),
    ("source_lead_id", "string"),
    ("arr", "number"),
    ("mrr", "number"),
    ("acv", "number"),
    ("custom_fields", "object"),
];
/// From the spec.
const PERSON: &[(&str, &str)] = &[
    ("id", "integer"),
    ("name", "string"),
    ("first_name", "string"),
    ("last_name", "string"),
    ("owner_id", "integer"),
    ("org_id", "integer"),
    ("add_time", "string"),
    ("update_time", "string"),
    ("emails", "array"),
    ("emails[]", "object"),
    ("emails[].value", "string"),
    ("emails[].primary", "boolean"),
    ("emails[].label", "string"),
    ("phones", "array"),
    ("phones[]", "object"),
    ("phones[].value", "string"),
    ("phones[].primary", "boolean"),
    ("phones[].label", "string"),
    ("is_deleted", "boolean"),
    ("visible_to", "integer"),
    ("label_ids", "array"),
    ("picture_id", "integer"),
    ("postal_address", "object"),
    ("postal_address.value", "string"),
    ("postal_address.country", "string"),
    ("postal_address.admin_area_level_1", "string"),
    ("postal_address.admin_area_level_2", "string"),
    ("postal_address.locality", "string"),
    ("postal_address.sublocality", "string"),
    ("postal_address.route", "string"),
    ("postal_address.street_number", "string"),
    ("postal_address.subpremise", "string"),
    ("postal_address.postal_code", "string"),
    ("notes", "string"),
    ("im", "array"),
    ("im[]", "object"),
    ("im[].value", "string"),
    ("im[].primary", "boolean"),
    ("im[].label", "string"),
    ("birthday", "string"),
    ("job_title", "string"),
    ("custom_fields", "object"),
];
/// From the spec.
const ORGANIZATION: &[(&str, &str)] = &[
    ("id", "integer"),
    ("name", "string"),
    ("owner_id", "integer"),
    ("add_time", "string"),
    ("update_time", "string"),
    ("is_deleted", "boolean"),
    ("visible_to", "integer"),
    ("address", "object"),
    ("address.value", "string"),
    ("address.country", "string"),
    ("address.admin_area_level_1", "string"),
    ("address.admin_area_level_2", "string"),
    ("address.locality", "string"),
    ("address.sublocality", "string"),
    ("address.route", "string"),
    ("address.street_number", "string"),
    ("address.subpremise", "string"),
    ("address.postal_code", "string"),
    ("label_ids", "array"),
    ("website", "string"),
    ("linkedin", "string"),
    ("industry", "integer"),
    ("annual_revenue", "integer"),
    ("employee_count", "integer"),
    ("custom_fields", "object"),
];
/// From the spec.
const PIPELINE: &[(&str, &str)] = &[
    ("id", "integer"),
    ("name", "string"),
    ("order_nr", "integer"),
    ("is_deleted", "boolean"),
    ("is_deal_probability_enabled", "boolean"),
    ("add_time", "string"),
    ("update_time", "string"),
];
/// From the spec.
const STAGE: &[(&str, &str)] = &[
    ("id", "integer"),
    ("order_nr", "integer"),
    ("name", "string"),
    ("is_deleted", "boolean"),
    ("deal_probability", "integer"),
    ("pipeline_id", "integer"),
    ("is_deal_rot_enabled", "boolean"),
    ("days_to_rotten", "integer"),
    ("add_time", "string"),
    ("update_time", "string"),
];
/// From the spec.
const DEAL_FIELD_V2: &[(&str, &str)] = &[
    ("field_name", "string"),
    ("field_code", "string"),
    ("description", "string"),
    ("field_type", "string"),
    ("options", "array"),
    ("options[]", "object"),
    ("options[].id", "any"),
    ("options[].label", "string"),
    ("options[].color", "string"),
    ("options[].update_time", "string"),
    ("options[].add_time", "string"),
    ("subfields", "array"),
    ("subfields[]", "object"),
    ("subfields[].field_code", "string"),
    ("subfields[].field_name", "string"),
    ("subfields[].field_type", "string"),
    ("is_custom_field", "boolean"),
    ("is_optional_response_field", "boolean"),
    ("ui_visibility", "object"),
    ("ui_visibility.add_visible_flag", "boolean"),
    ("ui_visibility.details_visible_flag", "boolean"),
    ("ui_visibility.projects_detail_visible_flag", "boolean"),
    ("ui_visibility.show_in_pipelines", "object"),
    ("ui_visibility.show_in_pipelines.show_in_all", "boolean"),
    ("ui_visibility.show_in_pipelines.pipeline_ids", "array"),
    ("important_fields", "object"),
    ("important_fields.enabled", "boolean"),
    ("important_fields.stage_ids", "array"),
    ("required_fields", "object"),
    ("required_fields.enabled", "boolean"),
    ("required_fields.stage_ids", "array"),
    ("required_fields.statuses", "object"),
];
/// From the spec.
const PERSON_FIELD_V2: &[(&str, &str)] = &[
    ("field_name", "string"),
    ("field_code", "string"),
    ("field_type", "string"),
    ("options", "array"),
    ("options[]", "object"),
    ("options[].id", "any"),
    ("options[].label", "string"),
    ("options[].color", "string"),
    ("options[].update_time", "string"),
    ("options[].add_time", "string"),
    ("subfields", "array"),
    ("subfields[]", "object"),
    ("subfields[].field_code", "string"),
    ("subfields[].field_name", "string"),
    ("subfields[].field_type", "string"),
    ("is_custom_field", "boolean"),
    ("is_optional_response_field", "boolean"),
    ("ui_visibility", "object"),
    ("ui_visibility.add_visible_flag", "boolean"),
    ("ui_visibility.details_visible_flag", "boolean"),
    ("ui_visibility.show_in_add_deal_dialog", "object"),
    ("ui_visibility.show_in_add_deal_dialog.show", "boolean"),
    ("ui_visibility.show_in_add_deal_dialog.order", "integer"),
    ("important_fields", "object"),
    ("important_fields.enabled", "boolean"),
    ("important_fields.stage_ids", "array"),
    ("required_fields", "object"),
    ("required_fields.enabled", "boolean"),
];
/// From the spec.
const ORGANIZATION_FIELD_V2: &[(&str, &str)] = &[
    ("field_name", "string"),
    ("field_code", "string"),
    ("field_type", "string"),
    ("options", "array"),
    ("options[]", "object"),
    ("options[].id", "any"),
    ("options[].label", "string"),
    ("options[].color", "string"),
    ("options[].update_time", "string"),
    ("options[].add_time", "string"),
    ("subfields", "array"),
    ("subfields[]", "object"),
    ("subfields[].field_code", "string"),
    ("subfields[].field_name", "string"),
    ("subfields[].field_type", "string"),
    ("is_custom_field", "boolean"),
    ("is_optional_response_field", "boolean"),
    ("ui_visibility", "object"),
    ("ui_visibility.add_visible_flag", "boolean"),
    ("ui_visibility.details_visible_flag", "boolean"),
    ("ui_visibility.org_detail_visible_flag", "boolean"),
    ("ui_visibility.person_detail_visible_flag", "boolean"),
    ("ui_visibility.deal_detail_visible_flag", "boolean"),
    ("ui_visibility.show_in_add_deal_dialog", "object"),
    ("ui_visibility.show_in_add_deal_dialog.show", "boolean"),
    ("ui_visibility.show_in_add_deal_dialog.order", "integer"),
    ("ui_visibility.show_in_add_person_dialog", "object"),
    ("ui_visibility.show_in_add_person_dialog.show", "boolean"),
    ("ui_visibility.show_in_add_person_dialog.order", "integer"),
    ("important_fields", "object"),
    ("important_fields.enabled", "boolean"),
    ("important_fields.stage_ids", "array"),
    ("required_fields", "object"),
    ("required_fields.enabled", "boolean"),
];
/// From the spec.
const USER: &[(&str, &str)] = &[
    ("id", "integer"),
    ("name", "string"),
    ("default_currency", "string"),
    ("locale", "string"),
    ("lang", "integer"),
    ("email", "string"),
    ("phone", "string"),
    ("activated", "boolean"),
    ("last_login", "string"),
    ("created", "string"),
    ("modified", "string"),
    ("has_created_company", "boolean"),
    ("access", "array"),
    ("access[]", "object"),
    ("access[].app", "string"),
    ("access[].admin", "boolean"),
    ("access[].permission_set_id", "string"),
    ("active_flag", "boolean"),
    ("timezone_name", "string"),
    ("timezone_offset", "string"),
    ("role_id", "integer"),
    ("icon_url", "string"),
    ("is_you", "boolean"),
    ("is_deleted", "boolean"),
];
/// From the spec.
const ME: &[(&str, &str)] = &[
    ("id", "integer"),
    ("name", "string"),
    ("default_currency", "string"),
    ("locale", "string"),
    ("lang", "integer"),
    ("email", "string"),
    ("phone", "string"),
    ("activated", "boolean"),
    ("last_login", "string"),
    ("created", "string"),
    ("modified", "string"),
    ("has_created_company", "boolean"),
    ("access", "array"),
    ("access[]", "object"),
    ("access[].app", "string"),
    ("access[].admin", "boolean"),
    ("access[].permission_set_id", "string"),
    ("active_flag", "boolean"),
    ("timezone_name", "string"),
    ("timezone_offset", "string"),
    ("role_id", "integer"),
    ("icon_url", "string"),
    ("is_you", "boolean"),
    ("is_deleted", "boolean"),
    ("company_id", "integer"),
    ("company_name", "string"),
    ("company_domain", "string"),
    ("company_country", "string"),
    ("company_industry", "string"),
    ("language", "object"),
    ("language.language_code", "string"),
    ("language.country_code", "string"),
];
/// From the spec.
const FIELD_V1: &[(&str, &str)] = &[
    ("id", "integer"),
    ("key", "string"),
    ("name", "string"),
    ("order_nr", "integer"),
    ("field_type", "string"),
    ("add_time", "string"),
    ("update_time", "string"),
    ("last_updated_by_user_id", "integer"),
    ("created_by_user_id", "integer"),
    ("active_flag", "boolean"),
    ("edit_flag", "boolean"),
    ("index_visible_flag", "boolean"),
    ("details_visible_flag", "boolean"),
    ("add_visible_flag", "boolean"),
    ("important_flag", "boolean"),
    ("bulk_edit_allowed", "boolean"),
    ("searchable_flag", "boolean"),
    ("filtering_allowed", "boolean"),
    ("sortable_flag", "boolean"),
    ("mandatory_flag", "boolean"),
    ("options", "array"),
    ("options[]", "object"),
    ("options_deleted", "array"),
    ("options_deleted[]", "object"),
    ("is_subfield", "boolean"),
    ("subfields", "array"),
    ("subfields[]", "object"),
];

/// Properties the spec documents as returned only on request.
const ONLY_ON_REQUEST: &[&str] = &[
    // "Only included when requested via include_fields parameter."
    "source_lead_id",
    // v2 field lists: "only included when requested via include_fields".
    "ui_visibility",
    "important_fields",
    "required_fields",
    // v1 fields: "Only present when ..." (deleted options, subfields).
    "options_deleted",
    "is_subfield",
    "subfields",
];

fn type_matches(value: &Value, ty: &str) -> bool {
    match ty {
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => true,
    }
}

/// Values at a flattened path such as `emails[].value` (one per array item).
fn values_at<'a>(record: &'a Value, path: &str) -> Vec<(String, Option<&'a Value>)> {
    let mut current: Vec<(String, Option<&Value>)> = vec![(String::new(), Some(record))];
    for part in path.split('.') {
        let (name, each) = match part.strip_suffix("[]") {
            Some(n) => (n, true),
            None => (part, false),
        };
        let mut next = Vec::new();
        for (at, v) in current {
            // A null or absent parent makes its children moot.
            let Some(v) = v.filter(|v| !v.is_null()) else {
                continue;
            };
            let child = v.get(name);
            let at = format!("{at}.{name}");
            if each {
                for (i, item) in child
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .enumerate()
                {
                    next.push((format!("{at}[{i}]"), Some(item)));
                }
            } else {
                next.push((at, child));
            }
        }
        current = next;
    }
    current
}

fn check(record: &Value, schema: &[(&str, &str)], what: &str, optional: &[&str]) {
    for (path, ty) in schema {
        for (at, value) in values_at(record, path) {
            match value {
                None => assert!(
                    optional.contains(&path.split('.').next().unwrap_or("")),
                    "{what}: {at} is missing in {record}"
                ),
                Some(v) => assert!(
                    v.is_null() || type_matches(v, ty),
                    "{what}: {at} should be {ty}, is {v}"
                ),
            }
        }
    }
}

#[test]
fn v2_entities_match_their_schemas() {
    let sim = start(400);
    let (deals, _) = fetch_all_v2(&sim, "/api/v2/deals?limit=500&status=open,won,lost,deleted");
    assert_eq!(deals.len(), 400);
    for d in &deals {
        check(d, DEAL, "deal", ONLY_ON_REQUEST);
        assert!(d["custom_fields"].is_object());
    }
    let with_lead = get_ok(&sim, "/api/v2/deals/3?include_fields=source_lead_id")["data"].clone();
    check(&with_lead, DEAL, "deal", &[]);
    for p in fetch_all_v2(&sim, "/api/v2/persons?limit=500").0 {
        check(&p, PERSON, "person", &[]);
    }
    for o in fetch_all_v2(&sim, "/api/v2/organizations?limit=500").0 {
        check(&o, ORGANIZATION, "organization", &[]);
    }
    for p in fetch_all_v2(&sim, "/api/v2/pipelines").0 {
        check(&p, PIPELINE, "pipeline", &[]);
    }
    for s in fetch_all_v2(&sim, "/api/v2/stages").0 {
        check(&s, STAGE, "stage", &[]);
    }
}

#[test]
fn nested_objects_are_exercised() {
    // The checks above only look inside non-null objects; make sure the data
    // has some, so the nested properties were really checked.
    let sim = start(50);
    let persons: Vec<Value> = sim.dataset().persons().collect();
    assert!(persons.iter().any(|p| p["postal_address"].is_object()));
    assert!(persons
        .iter()
        .any(|p| p["emails"].as_array().is_some_and(|e| !e.is_empty())));
    assert!(persons
        .iter()
        .any(|p| p["im"].as_array().is_some_and(|e| !e.is_empty())));
    assert!(sim
        .dataset()
        .organizations()
        .any(|o| o["address"].is_object()));
}

#[test]
fn field_lists_match_their_schemas() {
    let sim = start(10);
    for (path, schema) in [
        ("dealFields", DEAL_FIELD_V2),
        ("personFields", PERSON_FIELD_V2),
        ("organizationFields", ORGANIZATION_FIELD_V2),
    ] {
        let (fields, _) = fetch_all_v2(&sim, &format!("/api/v2/{path}"));
        for f in &fields {
            check(f, schema, path, ONLY_ON_REQUEST);
            assert!(f.get("ui_visibility").is_none());
        }
        let (fields, _) = fetch_all_v2(
            &sim,
            &format!(
                "/api/v2/{path}?include_fields=ui_visibility,important_fields,required_fields"
            ),
        );
        for f in &fields {
            check(f, schema, path, &[]);
        }
        let body = get_ok(&sim, &format!("/v1/{path}?limit=500"));
        for f in body["data"].as_array().unwrap() {
            check(f, FIELD_V1, path, ONLY_ON_REQUEST);
        }
    }
}

#[test]
fn users_match_their_schemas() {
    let sim = start(10);
    for u in get_ok(&sim, "/v1/users")["data"].as_array().unwrap() {
        check(u, USER, "user", &[]);
    }
    check(&get_ok(&sim, "/v1/users/2")["data"], USER, "user", &[]);
    check(&get_ok(&sim, "/v1/users/me")["data"], ME, "me", &[]);
}

#[test]
fn custom_field_values_fit_their_definitions() {
    let sim = start(300);
    let ds = sim.dataset();
    for (records, fields) in [
        (ds.deals().collect::<Vec<_>>(), ds.deal_fields()),
        (ds.persons().collect(), ds.person_fields()),
        (ds.organizations().collect(), ds.organization_fields()),
    ] {
        let custom: Vec<&Value> = fields
            .iter()
            .filter(|f| f["is_custom_field"] == true)
            .collect();
        assert!(custom.len() >= 3);
        for record in &records {
            let values = record["custom_fields"].as_object().unwrap();
            assert_eq!(
                values.len(),
                custom.len(),
                "every custom field key is present"
            );
            for f in &custom {
                let key = f["field_code"].as_str().unwrap();
                assert_eq!(key.len(), 40);
                assert!(key.bytes().all(|b| b.is_ascii_hexdigit()));
                let v = &values[key];
                if v.is_null() {
                    continue;
                }
                let option_ids: Vec<&Value> = f["options"]
                    .as_array()
                    .map(|o| o.iter().map(|o| &o["id"]).collect())
                    .unwrap_or_default();
                match f["field_type"].as_str().unwrap() {
                    "varchar" | "text" | "varchar_auto" | "phone" => {
                        assert!(v.is_string(), "{key}: {v}")
                    }
                    "double" => assert!(v.is_number()),
                    "monetary" => {
                        assert!(v["value"].is_number(), "{v}");
                        assert_eq!(v["currency"].as_str().map(str::len), Some(3));
                    }
                    "date" => assert!(v.as_str().is_some_and(|d| d.len() == 10 && &d[4..5] == "-")),
                    "enum" => assert!(option_ids.contains(&v), "{v} not an option of {key}"),
                    "set" => assert!(v
                        .as_array()
                        .unwrap()
                        .iter()
                        .all(|i| option_ids.contains(&i))),
                    "user" => assert!(ds.user(v.as_u64().unwrap()).is_some()),
                    other => panic!("unexpected custom field type {other}"),
                }
            }
        }
    }
    let types: std::collections::BTreeSet<&str> =
        ds.deal_custom_fields().iter().map(|(_, _, t)| *t).collect();
    for t in [
        "varchar",
        "text",
        "double",
        "monetary",
        "date",
        "enum",
        "set",
        "user",
        "varchar_auto",
        "phone",
    ] {
        assert!(types.contains(t), "deal custom fields include a {t} field");
    }
}

#[test]
fn timestamps_use_each_versions_format() {
    let sim = start(30);
    let d = sim.dataset().deal(1).unwrap();
    for key in ["add_time", "update_time"] {
        let t = d[key].as_str().unwrap();
        assert_eq!(t.len(), 20, "{t}");
        assert!(t.ends_with('Z') && &t[10..11] == "T", "{t}");
    }
    assert_eq!(d["expected_close_date"].as_str().map_or(10, str::len), 10);
    let f = &get_ok(&sim, "/v1/dealFields?limit=1")["data"][0];
    assert_eq!(&f["add_time"].as_str().unwrap()[10..11], " ");
}
