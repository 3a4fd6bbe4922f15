//! What a handler gets: the matched route, its path parameters, the query,
//! the request body, and the shared state.

use super::AppState;
use crate::data::records::write as problems;
use crate::data::Dataset;
use crate::errors::ApiError;
use crate::query::{percent_decode, Query};
use crate::routes::{PathParams, RouteDef};

pub(crate) struct Call<'a> {
    pub state: &'a AppState,
    pub route: &'static RouteDef,
    pub params: PathParams<'a>,
    pub query: &'a Query,
    /// The raw request body (empty for GET and DELETE).
    pub body: &'a [u8],
    /// The request's `Content-Type` header.
    pub content_type: Option<&'a str>,
}

impl<'a> Call<'a> {
    pub(crate) fn ds(&self) -> &'a Dataset {
        &self.state.dataset
    }

    /// The raw path parameter `name` (the table guarantees it exists for
    /// the routes that use it; a missing one reads as empty and fails
    /// validation like any bad id).
    pub(crate) fn param(&self, name: &str) -> &'a str {
        self.params
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
            .unwrap_or("")
    }

    /// The first path segment of the template (`deals`, `leadLabels`, ...):
    /// which collection a shared handler serves.
    pub(crate) fn collection(&self) -> &'static str {
        self.route
            .template
            .trim_start_matches('/')
            .split('/')
            .next()
            .unwrap_or("")
    }

    /// The body as a JSON object; 400 with Pipedrive's envelope otherwise.
    /// A form-encoded body (`a=1&b=x`, which the spec uses for
    /// `PUT /files/{id}`) reads as an object of strings.
    pub(crate) fn json_body(&self) -> Result<serde_json::Map<String, serde_json::Value>, ApiError> {
        let text = String::from_utf8_lossy(self.body);
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Ok(serde_json::Map::new());
        }
        if !trimmed.starts_with('{') && !trimmed.starts_with('[') && trimmed.contains('=') {
            return Ok(trimmed
                .split('&')
                .filter_map(|pair| pair.split_once('='))
                .map(|(k, v)| {
                    (
                        percent_decode(k),
                        serde_json::Value::String(percent_decode(v)),
                    )
                })
                .collect());
        }
        match serde_json::from_slice::<serde_json::Value>(self.body) {
            Ok(serde_json::Value::Object(map)) => Ok(map),
            Ok(_) => Err(problems::bad_request("Request body must be a JSON object")),
            Err(e) => Err(problems::bad_request(format!(
                "Invalid JSON in request body: {e}"
            ))),
        }
    }
}
