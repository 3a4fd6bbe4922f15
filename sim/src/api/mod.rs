//! Request handling independent of the HTTP library: authentication,
//! routing, the endpoint handlers, and statistics.

mod call;
mod envelope;
pub(crate) mod handlers;
mod params;
mod v1;
mod v2;

pub(crate) use call::Call;

use crate::auth::is_authorized;
use crate::data::Dataset;
use crate::errors::ApiError;
use crate::persist::Persist;
use crate::query::Query;
use crate::routes::{match_route, Api, RouteMatch};
use crate::stats::StatsRecorder;

/// Everything the handlers share, owned by the server.
pub(crate) struct AppState {
    pub dataset: Dataset,
    pub stats: StatsRecorder,
    pub token: String,
    /// Where successful writes are saved (`SimConfig::save_to`).
    pub persist: Option<Persist>,
}

/// The parts of an HTTP request the simulator looks at.
pub(crate) struct Request<'a> {
    pub method: &'a str,
    /// Path and query, as sent.
    pub url: &'a str,
    /// The `x-api-token` header.
    pub api_token: Option<&'a str>,
    /// The `Content-Type` header (multipart uploads need its boundary).
    pub content_type: Option<&'a str>,
}

pub(crate) const JSON: &str = "application/json";

pub(crate) struct Reply {
    pub status: u16,
    pub body: Vec<u8>,
    /// Records in `data`, for the statistics.
    pub rows: u64,
    /// The `Allow` header of a 405.
    pub allow: Option<&'static str>,
    /// JSON except for file downloads.
    pub content_type: &'static str,
}

impl Reply {
    pub(crate) fn ok(body: Vec<u8>, rows: u64) -> Reply {
        Reply {
            status: 200,
            body,
            rows,
            allow: None,
            content_type: JSON,
        }
    }

    fn error(err: &ApiError, api: Api) -> Reply {
        Reply {
            status: err.status,
            body: err.body(api),
            rows: 0,
            allow: None,
            content_type: JSON,
        }
    }
}

/// Answers one API request; `body` is the request body (JSON for the
/// write endpoints).
pub(crate) fn handle_with_body(state: &AppState, req: &Request, body: &[u8]) -> Reply {
    let (path, raw_query) = req.url.split_once('?').unwrap_or((req.url, ""));
    let query = Query::parse(raw_query);
    let authorized =
        |api: Api| api == Api::Sim || is_authorized(api, req.api_token, &query, &state.token);
    let (reply, endpoint, api) = match match_route(req.method, path) {
        RouteMatch::NotFound { api } => {
            let api = api.unwrap_or(Api::V2);
            let err = if authorized(api) {
                ApiError::unknown_route()
            } else {
                ApiError::unauthorized(api)
            };
            (Reply::error(&err, api), None, api)
        }
        RouteMatch::WrongMethod {
            api,
            allow,
            endpoint,
        } => {
            let reply = if authorized(api) {
                Reply {
                    allow: Some(allow),
                    ..Reply::error(&ApiError::method_not_allowed(), api)
                }
            } else {
                Reply::error(&ApiError::unauthorized(api), api)
            };
            (reply, Some(endpoint), api)
        }
        RouteMatch::Found {
            route,
            params,
            endpoint,
        } => {
            let api = route.api;
            let reply = if !authorized(api) {
                Reply::error(&ApiError::unauthorized(api), api)
            } else {
                let call = Call {
                    state,
                    route,
                    params,
                    query: &query,
                    body,
                    content_type: req.content_type,
                };
                dispatch(&call).unwrap_or_else(|err| Reply::error(&err, api))
            };
            (reply, Some(endpoint), api)
        }
    };
    let is_write = matches!(req.method, "POST" | "PUT" | "PATCH" | "DELETE");
    if let (Some(persist), true) = (&state.persist, is_write && api != Api::Sim) {
        if (200..300).contains(&reply.status) {
            persist.save_after_write(&state.dataset);
        }
    }
    // Introspection must not disturb the counters it reports.
    if api != Api::Sim {
        state
            .stats
            .record(endpoint.as_deref(), reply.status, reply.rows);
    }
    reply
}

/// Runs the handler the route table names; writes answer 201 where the
/// spec says so (the handler sets the status).
fn dispatch(call: &Call) -> Result<Reply, ApiError> {
    (call.route.handler)(call)
}
