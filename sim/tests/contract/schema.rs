//! OpenAPI 3.0 schema objects to JSON Schema (draft 2020-12), and compiled
//! validators for them.
//!
//! The conversion:
//! * `nullable: true` becomes `"type": [T, "null"]` (and `null` joins an
//!   `enum`); `allOf` branches are made nullable the same way, `anyOf` gets
//!   a `{"type": "null"}` branch, and a `$ref`/`oneOf`/`not` schema is
//!   wrapped as `{"anyOf": [{"type": "null"}, schema]}`.
//! * Every property (each value under `properties`, and map values under
//!   `additionalProperties`) is made nullable that way too, because the
//!   documents under-declare nullability (REFERENCE.md); names, types,
//!   `required`, `enum`, `format`, array items and nesting are still checked.
//!   Array items and composition branches keep the document's nullability.
//! * `$ref: '#/components/...'` stays a reference: the document's converted
//!   `components` are attached to the root schema, so the pointer resolves
//!   with the schema as root resource. Siblings of `$ref` are dropped, as
//!   OpenAPI 3.0 ignores them.
//! * `additionalProperties` is kept as written (absent = allowed).
//! * `oneOf` is kept when its branches are plain schemas of pairwise
//!   disjoint JSON types (so "exactly one" is decidable by type alone);
//!   otherwise valid data could match several branches (the documents use
//!   `oneOf` loosely), and it is relaxed to `anyOf`. Every relaxation is
//!   recorded and printed by the test.
//! * Boolean `exclusiveMinimum`/`exclusiveMaximum` (OpenAPI 3.0 = draft 4)
//!   become the numeric draft 2020-12 form.
//! * Annotations and OpenAPI-only keywords (`description`, `example`,
//!   `discriminator`, `readOnly`, `x-*`, ...) are dropped.
//!
//! Formats are asserted (`date`, `date-time`, `uuid`, `email`, ...);
//! OpenAPI's own formats (`int32`, `double`, ...) are unknown to JSON Schema
//! and ignored. One exception: v1.yaml writes `format: date-time` on
//! timestamps whose own examples (e.g. `GET /dealFields`: `"2019-02-04
//! 13:58:03"`) are in v1's `YYYY-MM-DD HH:MM:SS` UTC form, which is what
//! Pipedrive's v1 answers carry (REFERENCE.md, "Timestamps"); in v1
//! documents `date-time` therefore accepts that form besides RFC 3339.

use super::spec::escape_token;
use jsonschema::{Draft, Validator};
use serde_json::{json, Map, Value};
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;
use std::sync::OnceLock;

/// Keywords that only annotate or are OpenAPI-specific; none validates.
const DROPPED: &[&str] = &[
    "nullable",
    "description",
    "title",
    "example",
    "examples",
    "default",
    "discriminator",
    "readOnly",
    "writeOnly",
    "xml",
    "externalDocs",
    "deprecated",
];

/// Converts `schema` (found at `pointer` in its document) to JSON Schema.
/// `oneOf`s relaxed to `anyOf` are added to `relaxed` by pointer.
pub fn convert(schema: &Value, pointer: &str, relaxed: &mut BTreeSet<String>) -> Value {
    convert_node(schema, pointer, false, relaxed)
}

fn convert_node(
    node: &Value,
    pointer: &str,
    is_property: bool,
    relaxed: &mut BTreeSet<String>,
) -> Value {
    let Value::Object(source) = node else {
        return node.clone();
    };
    let mut out = Map::new();
    if let Some(reference) = source.get("$ref") {
        out.insert("$ref".to_string(), reference.clone());
    } else {
        for (key, value) in source {
            let here = format!("{pointer}/{}", escape_token(key));
            match key.as_str() {
                k if DROPPED.contains(&k) || k.starts_with("x-") => {}
                "properties" => {
                    let props = value.as_object().into_iter().flatten().map(|(name, prop)| {
                        let at = format!("{here}/{}", escape_token(name));
                        (name.clone(), convert_node(prop, &at, true, relaxed))
                    });
                    out.insert(key.clone(), Value::Object(props.collect()));
                }
                "additionalProperties" => {
                    out.insert(key.clone(), convert_node(value, &here, true, relaxed));
                }
                "items" | "not" => {
                    out.insert(key.clone(), convert_node(value, &here, false, relaxed));
                }
                "allOf" | "anyOf" | "oneOf" => {
                    let branches: Vec<Value> = value
                        .as_array()
                        .into_iter()
                        .flatten()
                        .enumerate()
                        .map(|(i, b)| convert_node(b, &format!("{here}/{i}"), false, relaxed))
                        .collect();
                    let keyword = if key == "oneOf" && !disjoint_by_type(&branches) {
                        relaxed.insert(here.clone());
                        "anyOf"
                    } else {
                        key.as_str()
                    };
                    out.insert(keyword.to_string(), Value::Array(branches));
                }
                "exclusiveMinimum" | "exclusiveMaximum" if value.is_boolean() => {}
                _ => {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        for (flag, bound) in [
            ("exclusiveMinimum", "minimum"),
            ("exclusiveMaximum", "maximum"),
        ] {
            if source.get(flag) == Some(&Value::Bool(true)) {
                if let Some(limit) = out.remove(bound) {
                    out.insert(flag.to_string(), limit);
                }
            }
        }
    }
    let nullable = is_property || source.get("nullable") == Some(&Value::Bool(true));
    if nullable {
        make_nullable(out)
    } else {
        Value::Object(out)
    }
}

/// `schema` or null. Pushed into `allOf` branches and added as an `anyOf`
/// branch where possible (so errors name the keyword that failed); only
/// `$ref`, `oneOf` and `not` need the `anyOf: [null, schema]` wrapper.
fn make_nullable(mut schema: Map<String, Value>) -> Value {
    if ["$ref", "oneOf", "not"]
        .iter()
        .any(|k| schema.contains_key(*k))
    {
        return json!({"anyOf": [{"type": "null"}, Value::Object(schema)]});
    }
    if let Some(Value::String(t)) = schema.get("type").cloned() {
        schema.insert("type".to_string(), json!([t, "null"]));
    }
    if let Some(Value::Array(values)) = schema.get_mut("enum") {
        if !values.contains(&Value::Null) {
            values.push(Value::Null);
        }
    }
    // (A or null) and (B or null) = (A and B) or null.
    if let Some(Value::Array(branches)) = schema.get_mut("allOf") {
        for branch in branches.iter_mut() {
            if let Value::Object(map) = branch {
                *branch = make_nullable(std::mem::take(map));
            }
        }
    }
    if let Some(Value::Array(branches)) = schema.get_mut("anyOf") {
        branches.push(json!({"type": "null"}));
    }
    Value::Object(schema)
}

/// Whether the `oneOf` branches are plain schemas with one JSON type each,
/// no two of which overlap (`integer` is a `number`), so no value can
/// match two of them.
fn disjoint_by_type(branches: &[Value]) -> bool {
    let mut seen: Vec<&str> = Vec::new();
    for branch in branches {
        let Some(map) = branch.as_object() else {
            return false;
        };
        let plain = !["$ref", "allOf", "anyOf", "oneOf", "not", "enum", "const"]
            .iter()
            .any(|k| map.contains_key(*k));
        let Some(t) = map.get("type").and_then(Value::as_str) else {
            return false;
        };
        let overlaps = |a: &str, b: &str| {
            a == b || matches!((a, b), ("integer", "number") | ("number", "integer"))
        };
        if !plain || seen.iter().any(|s| overlaps(s, t)) {
            return false;
        }
        seen.push(t);
    }
    true
}

fn contains_ref(v: &Value) -> bool {
    match v {
        Value::Object(m) => m.contains_key("$ref") || m.values().any(contains_ref),
        Value::Array(a) => a.iter().any(contains_ref),
        _ => false,
    }
}

/// One schema violation in a response body.
pub struct Violation {
    /// JSON Pointer into the response body.
    pub instance_path: String,
    /// JSON Pointer into the converted schema.
    pub schema_path: String,
    /// The validator's message, with the offending value masked.
    pub message: String,
    /// The offending value, shortened.
    pub value: String,
}

/// Compiles converted schemas once per document location.
#[derive(Default)]
pub struct Validators {
    compiled: HashMap<String, Rc<Validator>>,
    /// `oneOf`s relaxed to `anyOf`, by `api` and pointer.
    pub relaxed_one_of: BTreeSet<String>,
}

impl Validators {
    /// The validator of `schema`, found at `pointer` in `doc` (the document
    /// of `api`).
    pub fn get(&mut self, api: &str, doc: &Value, schema: &Value, pointer: &str) -> Rc<Validator> {
        let key = format!("{api}:{pointer}");
        if let Some(v) = self.compiled.get(&key) {
            return Rc::clone(v);
        }
        let mut relaxed = BTreeSet::new();
        let mut root = convert(schema, pointer, &mut relaxed);
        if contains_ref(schema) {
            root = with_components(root, doc, &mut relaxed);
        }
        self.relaxed_one_of
            .extend(relaxed.into_iter().map(|p| format!("{api}.yaml {p}")));
        let mut options = jsonschema::options()
            .with_draft(Draft::Draft202012)
            .should_validate_formats(true);
        if api == "v1" {
            options = options.with_format("date-time", v1_date_time);
        }
        let validator = options.build(&root).unwrap_or_else(|e| {
            panic!("the converted schema at {api}:{pointer} does not compile: {e}")
        });
        let validator = Rc::new(validator);
        self.compiled.insert(key, Rc::clone(&validator));
        validator
    }
}

/// RFC 3339, as the validator's own `date-time` format checks it.
fn rfc3339(text: &str) -> bool {
    static CHECK: OnceLock<Validator> = OnceLock::new();
    CHECK
        .get_or_init(|| {
            jsonschema::options()
                .with_draft(Draft::Draft202012)
                .should_validate_formats(true)
                .build(&json!({"type": "string", "format": "date-time"}))
                .expect("a date-time schema compiles")
        })
        .is_valid(&Value::String(text.to_string()))
}

/// `date-time` in v1 documents: RFC 3339 or `YYYY-MM-DD HH:MM:SS` (UTC).
fn v1_date_time(text: &str) -> bool {
    let v1_form = text.len() == 19
        && text.as_bytes()[10] == b' '
        && rfc3339(&format!("{}T{}Z", &text[..10], &text[11..]));
    v1_form || rfc3339(text)
}

/// Attaches the document's converted `components/schemas` to `root`, so
/// `#/components/schemas/...` references resolve against it.
fn with_components(root: Value, doc: &Value, relaxed: &mut BTreeSet<String>) -> Value {
    let mut schemas = Map::new();
    for (name, schema) in doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let at = format!("#/components/schemas/{}", escape_token(name));
        schemas.insert(name.clone(), convert(schema, &at, relaxed));
    }
    let components = json!({ "schemas": schemas });
    match root {
        Value::Object(mut map) if !map.contains_key("$ref") && !map.contains_key("components") => {
            map.insert("components".to_string(), components);
            Value::Object(map)
        }
        other => json!({ "allOf": [other], "components": components }),
    }
}

/// Every violation of `validator` by `body`.
pub fn violations(validator: &Validator, body: &Value) -> Vec<Violation> {
    validator
        .iter_errors(body)
        .map(|e| {
            let value = e.instance().to_string();
            let value: String = if value.chars().count() > 80 {
                value.chars().take(77).chain("...".chars()).collect()
            } else {
                value
            };
            Violation {
                instance_path: e.instance_path().as_str().to_string(),
                schema_path: e.schema_path().as_str().to_string(),
                message: e.masked().to_string(),
                value,
            }
        })
        .collect()
}
