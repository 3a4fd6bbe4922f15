//! Pipedrive's OpenAPI documents, read at test time from
//! `shared/pipedrive-api/` beside the workspace, and the lookups the
//! contract test needs: an operation by (API, method, path template), its
//! parameters, its request body schema and its response schema per status.

use super::yaml;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The API versions the simulator serves, by the tag `served_operations()`
/// uses, with the document describing each.
const DOCUMENTS: &[(&str, &str)] = &[("v1", "v1.yaml"), ("v2", "v2.yaml")];

pub struct Specs {
    documents: BTreeMap<&'static str, Value>,
}

/// Where the specs live: `shared/pipedrive-api/` next to the workspace.
pub fn spec_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/pipedrive-api")
}

impl Specs {
    /// Reads and parses every document; panics with a clear message when
    /// one is missing or malformed (the contract cannot be checked then).
    pub fn load() -> Specs {
        let dir = spec_dir();
        let mut documents = BTreeMap::new();
        for &(api, file) in DOCUMENTS {
            let path = dir.join(file);
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
                panic!(
                    "the OpenAPI document {} is needed by the contract test but cannot be read: {e}. \
                     It is expected in shared/pipedrive-api/ beside the workspace.",
                    path.display()
                )
            });
            let doc = yaml::parse(&text)
                .unwrap_or_else(|e| panic!("{} is not valid YAML: {e}", path.display()));
            assert!(
                doc.get("paths").is_some_and(Value::is_object),
                "{} has no `paths`: not an OpenAPI document",
                path.display()
            );
            documents.insert(api, doc);
        }
        Specs { documents }
    }

    /// The operation `method` on `template` (e.g. `/deals/{id}`) in the
    /// document of `api`. Path parameter names need not match: `{id}` and
    /// `{deal_id}` in the same position are the same path.
    pub fn operation(&self, api: &str, method: &str, template: &str) -> Option<Operation<'_>> {
        let doc = self.documents.get(api)?;
        let paths = doc.get("paths")?.as_object()?;
        let wanted = shape_of(template);
        let (spec_path, item) = paths.iter().find(|(p, _)| shape_of(p) == wanted)?;
        let item = resolve(doc, item);
        let method_key = method.to_ascii_lowercase();
        let op = item.get(&method_key)?;
        Some(Operation {
            doc,
            spec_path: spec_path.clone(),
            method_key,
            item,
            op,
        })
    }
}

/// A path with its parameter names blanked: `/deals/{}`.
fn shape_of(template: &str) -> String {
    template
        .trim_end_matches('/')
        .split('/')
        .map(|seg| {
            if seg.starts_with('{') && seg.ends_with('}') {
                "{}"
            } else {
                seg
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Follows local `$ref`s (`#/components/...`) of OpenAPI objects
/// (parameters, responses, request bodies, path items).
pub fn resolve<'a>(doc: &'a Value, mut node: &'a Value) -> &'a Value {
    for _ in 0..32 {
        match node.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                let pointer = reference.strip_prefix('#').unwrap_or_else(|| {
                    panic!("only local references are supported, found {reference}")
                });
                node = doc
                    .pointer(pointer)
                    .unwrap_or_else(|| panic!("dangling reference {reference}"));
            }
            None => return node,
        }
    }
    panic!("reference chain too long at {node}")
}

/// JSON Pointer escaping of one reference token.
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

pub struct Parameter {
    pub name: String,
    /// `query`, `path`, `header` or `cookie`.
    pub location: String,
    pub required: bool,
    pub schema: Value,
}

pub struct Operation<'a> {
    pub doc: &'a Value,
    /// The path as the document writes it.
    pub spec_path: String,
    method_key: String,
    item: &'a Value,
    op: &'a Value,
}

/// What the document says about one response status of an operation.
pub enum ResponseSpec<'a> {
    /// A JSON body schema, and the JSON Pointer to it in the document.
    Schema(&'a Value, String),
    /// The status is documented but without a JSON body schema.
    NoSchema,
    /// Neither this status nor `default` is documented.
    Undocumented,
}

impl<'a> Operation<'a> {
    /// Path-level and operation-level parameters (the latter win).
    pub fn parameters(&self) -> Vec<Parameter> {
        let mut out: Vec<Parameter> = Vec::new();
        for level in [self.item, self.op] {
            for raw in level
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let p = resolve(self.doc, raw);
                let parameter = Parameter {
                    name: p["name"].as_str().unwrap_or_default().to_string(),
                    location: p["in"].as_str().unwrap_or_default().to_string(),
                    required: p["required"].as_bool().unwrap_or(false),
                    schema: p.get("schema").cloned().unwrap_or(Value::Null),
                };
                out.retain(|q| !(q.name == parameter.name && q.location == parameter.location));
                out.push(parameter);
            }
        }
        out
    }

    pub fn query_parameters(&self) -> Vec<Parameter> {
        self.parameters()
            .into_iter()
            .filter(|p| p.location == "query")
            .collect()
    }

    pub fn has_query_parameter(&self, name: &str) -> bool {
        self.query_parameters().iter().any(|p| p.name == name)
    }

    fn pointer_prefix(&self) -> String {
        format!(
            "#/paths/{}/{}",
            escape_token(&self.spec_path),
            self.method_key
        )
    }

    pub fn response(&self, status: u16) -> ResponseSpec<'a> {
        let Some(responses) = self.op.get("responses").and_then(Value::as_object) else {
            return ResponseSpec::Undocumented;
        };
        let exact = status.to_string();
        let range = format!("{}XX", status / 100);
        let Some((key, response)) = [exact.as_str(), range.as_str(), "default"]
            .iter()
            .find_map(|k| responses.get_key_value(*k))
        else {
            return ResponseSpec::Undocumented;
        };
        let response = resolve(self.doc, response);
        match json_schema_of(response) {
            Some((media, schema)) => ResponseSpec::Schema(
                schema,
                format!(
                    "{}/responses/{}/content/{}/schema",
                    self.pointer_prefix(),
                    escape_token(key),
                    escape_token(media)
                ),
            ),
            None => ResponseSpec::NoSchema,
        }
    }

    /// The request body schema, if the operation takes one: JSON's, else
    /// that of a form (`multipart/form-data` or urlencoded).
    pub fn request_schema(&self) -> Option<&'a Value> {
        self.request_spec().map(|(_, schema)| schema)
    }

    /// The media type of the request body [`Self::request_schema`] is for.
    pub fn request_media(&self) -> Option<&'a str> {
        self.request_spec().map(|(media, _)| media)
    }

    fn request_spec(&self) -> Option<(&'a str, &'a Value)> {
        let body = resolve(self.doc, self.op.get("requestBody")?);
        json_schema_of(body).or_else(|| {
            let content = body.get("content")?.as_object()?;
            let (media, body) = content.iter().find(|(m, _)| {
                matches!(
                    m.as_str(),
                    "multipart/form-data" | "application/x-www-form-urlencoded"
                )
            })?;
            Some((media.as_str(), body.get("schema")?))
        })
    }

    /// The media types the document gives a response status (exact, `NXX`
    /// or `default`), for answers that are not JSON.
    pub fn response_media(&self, status: u16) -> Vec<&'a str> {
        let Some(responses) = self.op.get("responses").and_then(Value::as_object) else {
            return Vec::new();
        };
        let exact = status.to_string();
        let range = format!("{}XX", status / 100);
        [exact.as_str(), range.as_str(), "default"]
            .iter()
            .find_map(|k| responses.get(*k))
            .map(|r| resolve(self.doc, r))
            .and_then(|r| r.get("content")?.as_object())
            .map(|c| c.keys().map(String::as_str).collect())
            .unwrap_or_default()
    }

    /// Statuses the operation documents, for messages.
    pub fn documented_statuses(&self) -> Vec<String> {
        self.op
            .get("responses")
            .and_then(Value::as_object)
            .map(|r| r.keys().cloned().collect())
            .unwrap_or_default()
    }
}

/// The schema of the JSON media type of a response or request body. Schemas
/// keep their `$ref`s: the validator resolves them (see `schema.rs`).
fn json_schema_of(holder: &Value) -> Option<(&str, &Value)> {
    let content = holder.get("content")?.as_object()?;
    let (media, body) = content
        .iter()
        .find(|(m, _)| m.as_str() == "application/json")
        .or_else(|| content.iter().find(|(m, _)| m.contains("json")))?;
    Some((media.as_str(), body.get("schema")?))
}
