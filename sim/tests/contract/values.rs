//! Values for requests, derived from the spec and from earlier responses:
//! query parameter values (an `owner_id` seen in a record, a timestamp from
//! `update_time`, every value of an `enum`), and request bodies built from
//! the spec's request schema.

use super::spec::{resolve, Parameter};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// Records returned by an unfiltered list, keyed by `api:template` (e.g.
/// `v2:/deals/{id}/products`), with the concrete path they came from.
pub struct Collected {
    pub path: String,
    pub records: Vec<Value>,
}

pub type Collections = BTreeMap<String, Collected>;

/// Parameters handled by the pagination run rather than as filters.
pub const PAGING: &[&str] = &["limit", "cursor", "start"];

/// The `id`s of a collection's records, in order.
pub fn record_ids(c: &Collected) -> Vec<Value> {
    record_ids_for(c, "id")
}

/// The values a path parameter such as `{follower_id}` takes from a
/// collection's records: their `id`, else a field named like the
/// parameter (a comment's is its `uuid`), else their first `*_id` field (a
/// follower is `{user_id, ..}`).
pub fn record_ids_for(c: &Collected, param: &str) -> Vec<Value> {
    c.records
        .iter()
        .filter_map(|r| record_id(r, param))
        .collect()
}

pub fn record_id(record: &Value, param: &str) -> Option<Value> {
    let present = |v: &&Value| !v.is_null();
    record
        .get("id")
        .filter(present)
        .or_else(|| record.get("uuid").filter(present))
        .or_else(|| record.get(param).filter(present))
        .or_else(|| {
            record
                .as_object()?
                .iter()
                .find(|(k, v)| k.ends_with("_id") && (v.is_u64() || v.is_string()))
                .map(|(_, v)| v)
        })
        .cloned()
}

pub fn id_text(id: &Value) -> String {
    match id {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The collection listing the entities a field such as `owner_id`,
/// `org_id`, `deal_ids`, `rel_linked_org_id` or `type.params.stage_id`
/// refers to: named by the field's stem, or by its last words
/// (`rel_linked_org` -> `org`).
pub fn entity_collection<'a>(
    collections: &'a Collections,
    api: &str,
    field: &str,
) -> Option<&'a Collected> {
    let stem = field
        .strip_suffix("_ids")
        .or_else(|| field.strip_suffix("_id"))?;
    let words: Vec<&str> = stem.split(['_', '.']).collect();
    (0..words.len()).find_map(|first| {
        let plural = match words[first..].join("_").as_str() {
            "owner" | "user" | "creator" | "creator_user" | "assignee" => "users".to_string(),
            "org" | "organization" => "organizations".to_string(),
            "activity" => "activities".to_string(),
            other => format!("{other}s"),
        };
        [api, "v2", "v1"]
            .iter()
            .filter_map(|a| collections.get(&format!("{a}:/{plural}")))
            .find(|c| !record_ids(c).is_empty())
    })
}

pub enum ParamValues {
    Values(Vec<String>),
    /// No value could be derived, and why.
    Skip(String),
}

/// Values to try for query parameter `param`. `own` holds the records of
/// the operation's own collection (the list itself, or the list an item
/// comes from).
pub fn query_values(
    param: &Parameter,
    api: &str,
    own: Option<&Collected>,
    collections: &Collections,
) -> ParamValues {
    let name = param.name.as_str();
    let schema = &param.schema;
    let first_record_value = |field: &str| -> Option<Value> {
        own?.records
            .iter()
            .filter_map(|r| r.get(field))
            .find(|v| !v.is_null() && !v.is_object() && !v.is_array())
            .cloned()
    };
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        return ParamValues::Values(values.iter().map(id_text).collect());
    }
    if schema["type"] == "boolean" {
        return ParamValues::Values(vec!["true".to_string()]);
    }
    if name == "ids" || name.ends_with("_ids") {
        let source = if name == "ids" {
            own
        } else {
            entity_collection(collections, api, name)
        };
        return match source.map(record_ids) {
            Some(ids) if !ids.is_empty() => ParamValues::Values(vec![ids
                .iter()
                .take(3)
                .map(id_text)
                .collect::<Vec<_>>()
                .join(",")]),
            _ => ParamValues::Skip(format!("{name}: no records to take ids from")),
        };
    }
    if name.ends_with("_since") || name.ends_with("_until") || name == "since" || name == "until" {
        let field = if name.starts_with("update") {
            "update_time"
        } else {
            "add_time"
        };
        let times: Vec<String> = own
            .map(|c| {
                c.records
                    .iter()
                    .filter_map(|r| r.get(field).and_then(Value::as_str))
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        // Parameters take RFC 3339; v1 records carry `YYYY-MM-DD HH:MM:SS`.
        return match times.get(times.len() / 2) {
            Some(t) if t.len() == 19 && t.as_bytes()[10] == b' ' => {
                ParamValues::Values(vec![format!("{}T{}Z", &t[..10], &t[11..])])
            }
            Some(t) => ParamValues::Values(vec![t.clone()]),
            None => ParamValues::Skip(format!("{name}: no record has {field}")),
        };
    }
    if name == "custom_fields" {
        let keys: Option<Vec<String>> = own.and_then(|c| {
            c.records.iter().find_map(|r| {
                let fields = r.get("custom_fields")?.as_object()?;
                (!fields.is_empty()).then(|| fields.keys().take(2).cloned().collect())
            })
        });
        return match keys {
            Some(keys) => ParamValues::Values(vec![keys.join(",")]),
            None => ParamValues::Skip("custom_fields: no record has custom fields".to_string()),
        };
    }
    if name == "term" {
        // A word of a title or name: from the operation's own records, else
        // from any list (e.g. for `/itemSearch`).
        let word_in = |c: &Collected| {
            c.records.iter().find_map(|r| {
                let text = r.get("title").or_else(|| r.get("name"))?.as_str()?;
                text.split(|ch: char| !ch.is_ascii_alphanumeric())
                    .find(|w| w.len() >= 3)
                    .map(str::to_string)
            })
        };
        let word = own
            .and_then(word_in)
            .or_else(|| collections.values().find_map(word_in));
        return match word {
            Some(w) => ParamValues::Values(vec![w]),
            None => ParamValues::Skip("term: no record title or name to search for".to_string()),
        };
    }
    if name.ends_with("_date") && first_record_value(name).is_none() {
        // A date filter (`start_date`) over the records' creation dates.
        let date = first_record_value("add_time")
            .and_then(|t| t.as_str().and_then(|t| t.get(..10)).map(str::to_string));
        return match date {
            Some(d) => ParamValues::Values(vec![d]),
            None => ParamValues::Skip(format!("{name}: no record has add_time")),
        };
    }
    if let Some(v) = first_record_value(name) {
        return ParamValues::Values(vec![id_text(&v)]);
    }
    if name == "field_key" {
        // A date field's key, from the entity's field list (`/deals/timeline`
        // -> `/dealFields`).
        let key = own
            .and_then(|c| c.path.split('/').nth(1))
            .and_then(|plural| plural.strip_suffix('s'))
            .and_then(|entity| {
                [api, "v1", "v2"]
                    .iter()
                    .find_map(|a| collections.get(&format!("{a}:/{entity}Fields")))
            })
            .and_then(|fields| {
                fields.records.iter().find_map(|f| {
                    (f.get("field_type")? == "date")
                        .then(|| f.get("key").or_else(|| f.get("field_code")))??
                        .as_str()
                        .map(str::to_string)
                })
            });
        return match key {
            Some(k) => ParamValues::Values(vec![k]),
            None => ParamValues::Skip(format!("{name}: no date field in the entity's field list")),
        };
    }
    if name.ends_with("_id") {
        return match entity_collection(collections, api, name).map(record_ids) {
            Some(ids) if !ids.is_empty() => ParamValues::Values(vec![id_text(&ids[0])]),
            _ => ParamValues::Skip(format!("{name}: no served list of those entities")),
        };
    }
    match schema.get("example") {
        Some(example) if !example.is_null() => ParamValues::Values(vec![id_text(example)]),
        // A count such as `amount` ("the number of intervals").
        _ if schema["type"] == "integer" || schema["type"] == "number" => {
            ParamValues::Values(vec!["1".to_string()])
        }
        _ => ParamValues::Skip(format!(
            "{name}: no value derivable from the spec or the data"
        )),
    }
}

/// A valid body for a request schema: its required properties, plus those
/// whose description says they are required in some case ("required
/// unless `organization_id` is specified"); when that is nothing, one
/// property that names the record (`name`, `title`, `subject`, `content`,
/// else the first plain string), so the request changes something.
///
/// Values: the JSON structure a description gives for a free-form object
/// ("It requires the following JSON structure: `{...}`"), the spec's
/// example, the first enum value, an existing entity's id for `*_id`
/// (distinct ones when a body links two of a kind), else a plain value of
/// the type and format (or, for untyped strings, of the name: `email`,
/// `*url`).
pub fn request_body(doc: &Value, schema: &Value, api: &str, collections: &Collections) -> Value {
    let mut builder = BodyBuilder {
        doc,
        api,
        collections,
        ids_used: BTreeMap::new(),
    };
    builder.value(schema, "", 0, true)
}

struct BodyBuilder<'a> {
    doc: &'a Value,
    api: &'a str,
    collections: &'a Collections,
    /// How many ids of each entity list a body already uses.
    ids_used: BTreeMap<String, usize>,
}

/// Names of properties that name a record, in order of preference.
const NAMING: &[&str] = &["name", "title", "subject", "content"];

impl BodyBuilder<'_> {
    /// `schema` with `$ref`s resolved and `allOf` branches merged into one
    /// object (properties and required lists united).
    fn flatten(&self, schema: &Value) -> Map<String, Value> {
        let schema = resolve(self.doc, schema);
        let mut out = schema.as_object().cloned().unwrap_or_default();
        if let Some(Value::Array(branches)) = out.remove("allOf") {
            for branch in &branches {
                for (key, value) in self.flatten(branch) {
                    match (key.as_str(), out.get_mut(&key), value) {
                        ("properties", Some(Value::Object(mine)), Value::Object(theirs)) => {
                            mine.extend(theirs)
                        }
                        ("required", Some(Value::Array(mine)), Value::Array(theirs)) => {
                            mine.extend(theirs)
                        }
                        (_, Some(_), _) => {}
                        (_, None, value) => {
                            out.insert(key, value);
                        }
                    }
                }
            }
        }
        out
    }

    fn value(&mut self, schema: &Value, name: &str, depth: usize, top: bool) -> Value {
        let schema = self.flatten(schema);
        if depth > 8 {
            return Value::Null;
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(first) = schema.get(key).and_then(|b| b.get(0)) {
                return self.value(first, name, depth + 1, top);
            }
        }
        let kind = schema.get("type").and_then(Value::as_str).unwrap_or("");
        if (kind == "integer" || kind == "string") && name.ends_with("_id") {
            if let Some(id) = self.existing_id(name, kind) {
                return id;
            }
        }
        if let Some(example) = schema.get("example") {
            return example.clone();
        }
        if let Some(first) = schema.get("enum").and_then(|e| e.get(0)) {
            return first.clone();
        }
        let description = schema
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or("");
        let is_object = kind == "object" || schema.contains_key("properties");
        if is_object && !schema.contains_key("properties") {
            if let Some(structure) = structure_in(description) {
                return structure;
            }
        }
        match kind {
            _ if is_object => self.object(&schema, depth, top),
            "array" => {
                let min = schema.get("minItems").and_then(Value::as_u64).unwrap_or(0);
                let items = schema.get("items").cloned().unwrap_or(Value::Null);
                let item = self.value(&items, name, depth + 1, false);
                Value::Array((0..min).map(|_| item.clone()).collect())
            }
            "integer" => schema.get("minimum").cloned().unwrap_or(json!(1)),
            "number" => schema.get("minimum").cloned().unwrap_or(json!(1.5)),
            "boolean" => json!(true),
            _ => plain_string(schema.get("format").and_then(Value::as_str), name),
        }
    }

    fn object(&mut self, schema: &Map<String, Value>, depth: usize, top: bool) -> Value {
        let empty = Map::new();
        let props = schema
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let mut wanted: Vec<String> = schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect();
        for (prop, prop_schema) in props {
            let description = self.flatten(prop_schema);
            let text = description
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_ascii_lowercase();
            if text.contains("is required unless") && !wanted.contains(prop) {
                wanted.push(prop.clone());
            }
        }
        if wanted.is_empty() && top {
            let is_plain_string = |p: &Value| {
                let p = self.flatten(p);
                p.get("type") == Some(&json!("string"))
                    && !p.contains_key("enum")
                    && !p.contains_key("format")
            };
            let naming = NAMING
                .iter()
                .find(|n| props.get(**n).is_some_and(is_plain_string))
                .map(|n| n.to_string())
                .or_else(|| {
                    props
                        .iter()
                        .find(|(n, p)| !n.ends_with("_id") && is_plain_string(p))
                        .map(|(n, _)| n.clone())
                });
            wanted.extend(naming);
        }
        let mut out = Map::new();
        for prop in wanted {
            let prop_schema = props.get(&prop).cloned().unwrap_or(Value::Null);
            let value = self.value(&prop_schema, &prop, depth + 1, false);
            out.insert(prop, value);
        }
        Value::Object(out)
    }

    /// The next unused id of the entity list a `*_id` field refers to.
    fn existing_id(&mut self, field: &str, kind: &str) -> Option<Value> {
        let list = entity_collection(self.collections, self.api, field)?;
        let ids = record_ids(list);
        let used = self.ids_used.entry(list.path.clone()).or_default();
        let id = ids.get(*used % ids.len().max(1))?.clone();
        *used += 1;
        let fits = (kind == "integer") == id.is_u64();
        fits.then_some(id)
    }
}

/// The first JSON object written in backticks in a description, with
/// `[PLACEHOLDER]` arrays emptied (the spec: "Replace `CONDITION_OBJECTS`
/// ... or leave the array empty").
fn structure_in(description: &str) -> Option<Value> {
    description
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|snippet| snippet.trim_start().starts_with('{'))
        .find_map(|snippet| {
            serde_json::from_str::<Value>(snippet)
                .or_else(|_| serde_json::from_str(&empty_placeholders(snippet)))
                .ok()
                .filter(Value::is_object)
        })
}

/// `[CONDITION_OBJECTS]` -> `[]`.
fn empty_placeholders(snippet: &str) -> String {
    let mut out = String::with_capacity(snippet.len());
    let mut rest = snippet;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find(']') {
            Some(close)
                if !after[..close].is_empty()
                    && after[..close]
                        .bytes()
                        .all(|b| b.is_ascii_uppercase() || b == b'_') =>
            {
                out.push_str("[]");
                rest = &after[close + 1..];
            }
            _ => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A string of the given format, or for an unformatted one a value its
/// name asks for.
fn plain_string(format: Option<&str>, name: &str) -> Value {
    match format {
        Some("date") => return json!("2025-06-02"),
        Some("date-time") => return json!("2025-06-02T10:00:00Z"),
        Some("email") => return json!("contract.test@example.com"),
        Some("uuid") => return json!("6f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f"),
        Some("uri") | Some("url") => return json!("https://example.com/contract-test"),
        _ => {}
    }
    if name == "email" || name.ends_with("_email") {
        json!("contract.test@example.com")
    } else if name.ends_with("url") {
        json!("https://example.com/contract-test")
    } else {
        json!(format!(
            "Contract test {}",
            if name.is_empty() { "value" } else { name }
        ))
    }
}
