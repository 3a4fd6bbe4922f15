//! An API request (`/api/v2`, `/api/v1`, `/v1`, and unknown paths): who
//! is calling, whether the rate limits let it through, then the endpoint
//! handler in [`crate::api`], with the rate-limit headers on the answer.

use super::{Gateway, Incoming};
use crate::api::{self, Request};
use crate::auth::{bearer, is_authorized, Bearer};
use crate::errors::ApiError;
use crate::http_reply::HttpReply;
use crate::oauth::BearerError;
use crate::query::Query;
use crate::rate_limit::{token_cost, Caller, Exceeded};
use crate::request_log::AuthKind;
use crate::routes::{api_of, match_route, Api, RouteMatch};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// An answered API request, with what the log and statistics need.
pub(crate) struct Served {
    pub reply: HttpReply,
    pub endpoint: Option<String>,
    pub tokens: u32,
    pub auth: AuthKind,
}

/// The endpoint key the router gives `method path` (`GET
/// /api/v2/deals/{id}`), also for a method the path does not allow.
pub(crate) fn endpoint_key(method: &str, path: &str) -> Option<String> {
    match match_route(method, path) {
        RouteMatch::Found { endpoint, .. } | RouteMatch::WrongMethod { endpoint, .. } => {
            Some(endpoint)
        }
        RouteMatch::NotFound { .. } => None,
    }
}

/// The API whose error shapes a path gets (v2 when it is none).
pub(crate) fn error_api(path: &str) -> Api {
    api_of(path).unwrap_or(Api::V2)
}

fn refusal(err: &ApiError, api: Api) -> HttpReply {
    HttpReply::json(err.status, err.body(api))
}

impl Gateway {
    pub(crate) fn serve_api(&self, req: &Incoming) -> Served {
        let path = req.path();
        let api = error_api(path);
        let endpoint = endpoint_key(&req.method, path);
        let now_ms = self.clock.now_ms();
        let refuse = |err: ApiError, auth: AuthKind| {
            self.api.stats.record(endpoint.as_deref(), err.status, 0);
            Served {
                reply: refusal(&err, api),
                endpoint: endpoint.clone(),
                tokens: 0,
                auth,
            }
        };
        if req.body_too_large {
            return refuse(
                ApiError {
                    status: 413,
                    ..ApiError::invalid_param("body", "Request body too large")
                },
                AuthKind::None,
            );
        }

        // Who is calling: an OAuth bearer token decides when present;
        // otherwise the API token (header, or on v1 the query parameter).
        let query = Query::parse(req.raw_query());
        let (caller, auth) = match bearer(req.authorization.as_deref()) {
            Bearer::Token(token) => match self.oauth.authenticate(token, now_ms) {
                Ok(id) => (Some(Caller::OAuth(id)), AuthKind::OAuth),
                Err(e) => {
                    let expired = e == BearerError::Expired;
                    return refuse(
                        ApiError::invalid_access_token(api, expired),
                        AuthKind::OAuth,
                    );
                }
            },
            Bearer::Malformed => {
                return refuse(ApiError::malformed_authorization(), AuthKind::OAuth);
            }
            Bearer::Absent => {
                let token_ok =
                    is_authorized(api, req.api_token.as_deref(), &query, &self.api.token);
                let sent = req.api_token.is_some() || query.get("api_token").is_some();
                match (token_ok, sent) {
                    (true, _) => (Some(Caller::ApiToken), AuthKind::ApiToken),
                    (false, true) => (None, AuthKind::ApiToken),
                    (false, false) => (None, AuthKind::None),
                }
            }
        };

        let mut headers = Vec::new();
        let mut tokens = 0;
        if let Some(caller) = caller {
            // Only API paths cost tokens; anything else is a 404 for free.
            let cost = if api_of(path).is_some() {
                token_cost(endpoint.as_deref(), &req.method, path)
            } else {
                0
            };
            let admission = self.limiter.admit(caller, cost, now_ms);
            if let Some(exceeded) = admission.refused {
                let mut served = refuse(
                    ApiError::rate_limited(exceeded == Exceeded::DailyBudget),
                    auth,
                );
                served.reply.headers = admission.headers;
                return served;
            }
            tokens = admission.tokens;
            headers = admission.headers;
        }

        // The handlers know only the API token: a request the gateway has
        // authenticated by OAuth goes on as the token's owner (user 1).
        let api_token = match caller {
            Some(Caller::OAuth(_)) => Some(self.api.token.as_str()),
            _ => req.api_token.as_deref(),
        };
        let call = Request {
            method: &req.method,
            url: &req.url,
            content_type: req.content_type.as_deref(),
            api_token,
        };
        // A bug in a handler must cost one 500, not a worker thread.
        let reply = catch_unwind(AssertUnwindSafe(|| {
            api::handle_with_body(&self.api, &call, &req.body)
        }))
        .unwrap_or_else(|_| {
            let err = ApiError::internal();
            self.api.stats.record(endpoint.as_deref(), err.status, 0);
            api::Reply {
                status: err.status,
                body: err.body(api),
                rows: 0,
                allow: None,
                content_type: api::JSON,
            }
        });
        self.api
            .stats
            .record_tokens(endpoint.as_deref(), tokens as u64);
        if let Some(allow) = reply.allow {
            headers.push(("Allow", allow.to_string()));
        }
        Served {
            reply: HttpReply {
                status: reply.status,
                content_type: reply.content_type,
                headers,
                body: reply.body,
            },
            endpoint,
            tokens,
            auth,
        }
    }
}
