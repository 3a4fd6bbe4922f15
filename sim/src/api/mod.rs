//! Request handling independent of the HTTP library: authentication,
//! routing, the endpoint handlers, and statistics.

mod envelope;
mod introspection;
mod params;
mod v1;
mod v2;

use crate::auth::is_authorized;
use crate::data::Dataset;
use crate::errors::ApiError;
use crate::query::Query;
use crate::routes::{match_route, Api, Route, RouteMatch};
use crate::stats::StatsRecorder;

/// Everything the handlers share, owned by the server.
pub(crate) struct AppState {
    pub dataset: Dataset,
    pub stats: StatsRecorder,
    pub token: String,
}

/// The parts of an HTTP request the simulator looks at.
pub(crate) struct Request<'a> {
    pub method: &'a str,
    /// Path and query, as sent.
    pub url: &'a str,
    /// The `x-api-token` header.
    pub api_token: Option<&'a str>,
}

pub(crate) struct Reply {
    pub status: u16,
    pub body: Vec<u8>,
    /// Records in `data`, for the statistics.
    pub rows: u64,
    /// The `Allow` header of a 405.
    pub allow: Option<&'static str>,
}

impl Reply {
    pub(crate) fn ok(body: Vec<u8>, rows: u64) -> Reply {
        Reply {
            status: 200,
            body,
            rows,
            allow: None,
        }
    }

    fn error(err: &ApiError, api: Api) -> Reply {
        Reply {
            status: err.status,
            body: err.body(api),
            rows: 0,
            allow: None,
        }
    }
}

pub(crate) fn handle(state: &AppState, req: &Request) -> Reply {
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
            api,
            route,
            endpoint,
        } => {
            let reply = if !authorized(api) {
                Reply::error(&ApiError::unauthorized(api), api)
            } else {
                dispatch(state, route, &query).unwrap_or_else(|err| Reply::error(&err, api))
            };
            (reply, Some(endpoint), api)
        }
    };
    // Introspection must not disturb the counters it reports.
    if api != Api::Sim {
        state
            .stats
            .record(endpoint.as_deref(), reply.status, reply.rows);
    }
    reply
}

fn dispatch(state: &AppState, route: Route, q: &Query) -> Result<Reply, ApiError> {
    let ds = &state.dataset;
    match route {
        Route::Deals => v2::list_deals(ds, q),
        Route::Deal(id) => v2::get_deal(ds, id, q),
        Route::Persons => v2::list_persons(ds, q),
        Route::Person(id) => v2::get_person(ds, id, q),
        Route::Organizations => v2::list_organizations(ds, q),
        Route::Organization(id) => v2::get_organization(ds, id, q),
        Route::Pipelines => v2::list_pipelines(ds, q),
        Route::Pipeline(id) => v2::get_pipeline(ds, id),
        Route::Stages => v2::list_stages(ds, q),
        Route::Stage(id) => v2::get_stage(ds, id),
        Route::FieldsV2(entity) => v2::list_fields(ds, entity, q),
        Route::FieldsV1(entity) => v1::list_fields(ds, entity, q),
        Route::Users => Ok(v1::list_users(ds)),
        Route::User(id) => v1::get_user(ds, id),
        Route::Me => Ok(v1::get_me(ds)),
        Route::SimStats => Ok(introspection::stats(&state.stats)),
        Route::SimReset => Ok(introspection::reset(&state.stats)),
    }
}
