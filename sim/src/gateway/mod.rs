//! What stands between the HTTP listener and the endpoint handlers, one
//! request at a time:
//!
//! 1. `/__sim/` control endpoints are answered directly ([`control`]);
//! 2. fault rules decide on latency and on a fault for the request;
//! 3. `/oauth/*` goes to the OAuth server, everything else to the API
//!    ([`api_call`]: authentication, rate limits, handler);
//! 4. the answer goes out, spoiled if a fault says so ([`delivery`]);
//! 5. the request log records what happened.

mod api_call;
mod control;
mod delivery;
mod incoming;

pub(crate) use incoming::Incoming;

use crate::api::AppState;
use crate::clock::SimClock;
use crate::errors::ApiError;
use crate::faults::{FaultAction, FaultInjector};
use crate::http::{Exchange, Handler, Request};
use crate::http_reply::HttpReply;
use crate::oauth::endpoints::{self as oauth_http, TokenContext, AUTHORIZE_PATH};
use crate::oauth::OAuthStore;
use crate::rate_limit::RateLimiter;
use crate::request_log::{mask_query, AuthKind, LoggedRequest, RequestLog};
use api_call::{endpoint_key, error_api, Served};
use std::time::{Duration, Instant};

/// Everything the simulator keeps while it runs.
pub(crate) struct Gateway {
    pub api: AppState,
    pub clock: SimClock,
    pub oauth: OAuthStore,
    pub limiter: RateLimiter,
    pub faults: FaultInjector,
    pub log: RequestLog,
    /// `http://127.0.0.1:PORT`, the `api_domain` of OAuth tokens.
    pub base_url: String,
}

/// The endpoint key of any request path: `GET /oauth/authorize`, or what
/// the router says.
fn endpoint_of(req: &Incoming) -> Option<String> {
    match oauth_http::oauth_path(req.path()) {
        Some(path) => Some(format!("{} {path}", req.method)),
        None => endpoint_key(&req.method, req.path()),
    }
}

/// The kind of credentials a request carries, unchecked (for requests a
/// fault answers before anything is checked).
fn claimed_auth(req: &Incoming) -> AuthKind {
    match req.authorization.as_deref() {
        Some(a) if a.trim_start().to_ascii_lowercase().starts_with("bearer") => AuthKind::OAuth,
        Some(_) => AuthKind::ClientCredentials,
        None if req.api_token.is_some() => AuthKind::ApiToken,
        None => AuthKind::None,
    }
}

impl Handler for Gateway {
    fn handle(&self, request: Request, exchange: &mut Exchange<'_>) {
        self.respond(request, exchange)
    }
}

impl Gateway {
    pub(crate) fn respond(&self, request: Request, exchange: &mut Exchange<'_>) {
        let started = Instant::now();
        let req = Incoming::new(request);
        if req.path().starts_with("/__sim/") {
            let reply = self.serve_control(&req);
            delivery::deliver(exchange, &req, &reply, None, |_| {});
            return;
        }
        let time_ms = self.clock.now_ms();
        let decision = self.faults.decide(req.path());
        if decision.latency_ms > 0 {
            std::thread::sleep(Duration::from_millis(decision.latency_ms));
        }
        let action = decision.action;
        let served = match action {
            Some(FaultAction::Error(status)) => self.injected_error(&req, status),
            // Never sent (the connection is dropped); it names the
            // endpoint and the claimed credentials for the log.
            Some(FaultAction::DropConnection) => self.injected_error(&req, 500),
            _ => self.serve(&req),
        };
        let fault = match &action {
            Some(action) => Some(action.name()),
            None if decision.latency_ms > 0 => Some("latency"),
            None => None,
        };
        let handled_by_fault = matches!(
            action,
            Some(FaultAction::Error(_) | FaultAction::DropConnection)
        );
        let record = |sent: Option<u16>| {
            if handled_by_fault {
                // No handler saw the request: count it here (status 0 when
                // nothing was answered).
                self.api
                    .stats
                    .record(served.endpoint.as_deref(), sent.unwrap_or(0), 0);
            }
            self.log.push(LoggedRequest {
                seq: 0,
                time_ms,
                method: req.method.clone(),
                path: req.path().to_string(),
                query: mask_query(req.raw_query()),
                endpoint: served.endpoint.clone(),
                status: sent,
                tokens: served.tokens,
                auth: served.auth,
                fault,
                duration_ms: started.elapsed().as_millis() as u64,
            });
        };
        let reply = &served.reply;
        delivery::deliver(exchange, &req, reply, action.as_ref(), record);
    }

    fn serve(&self, req: &Incoming) -> Served {
        let Some(path) = oauth_http::oauth_path(req.path()) else {
            return self.serve_api(req);
        };
        let now_ms = self.clock.now_ms();
        let (reply, auth) = if path == AUTHORIZE_PATH {
            (
                oauth_http::authorize(&self.oauth, req, now_ms),
                AuthKind::None,
            )
        } else {
            let ctx = TokenContext {
                company_token: &self.api.token,
                api_domain: &self.base_url,
                now_ms,
            };
            let reply = oauth_http::token(&self.oauth, req, &ctx);
            (reply, AuthKind::ClientCredentials)
        };
        let endpoint = endpoint_of(req);
        self.api.stats.record(endpoint.as_deref(), reply.status, 0);
        Served {
            reply,
            endpoint,
            tokens: 0,
            auth,
        }
    }

    /// A server error instead of the real answer. 502 and 504 come as the
    /// HTML page of a proxy in front of the API (as Cloudflare's would),
    /// other statuses in Pipedrive's JSON error envelope.
    fn injected_error(&self, req: &Incoming, status: u16) -> Served {
        let reply = if matches!(status, 502 | 504) {
            let title = if status == 502 {
                "502 Bad Gateway"
            } else {
                "504 Gateway Time-out"
            };
            HttpReply {
                status,
                content_type: "text/html",
                headers: Vec::new(),
                body: format!(
                    "<html><head><title>{title}</title></head><body><center><h1>{title}</h1></center></body></html>\n"
                )
                .into_bytes(),
            }
        } else {
            let err = ApiError::injected(status);
            let mut reply = HttpReply::json(status, err.body(error_api(req.path())));
            // As the rate limiter's own 429s: when to come back.
            if status == 429 {
                reply.headers.push(("Retry-After", "1".to_string()));
            }
            reply
        };
        Served {
            reply,
            endpoint: endpoint_of(req),
            tokens: 0,
            auth: claimed_auth(req),
        }
    }
}
