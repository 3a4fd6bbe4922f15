//! The simulator's own `/__sim/` endpoints that drive the gateway's
//! features (no authentication, never faulted, never logged):
//!
//! * `GET /__sim/requests[?since=SEQ]`: the request log;
//!   `DELETE /__sim/requests` empties it;
//! * `GET`, `PUT` (or `POST`), `DELETE /__sim/faults`: the fault rules;
//! * `GET /__sim/clock`, `POST /__sim/clock?advance_ms=N`: the clock;
//! * `POST /__sim/reset`: the request log here, then the counters in
//!   [`crate::api`], which serves every other `/__sim/` path.

use super::{Gateway, Incoming};
use crate::api::{self, Request};
use crate::errors::ApiError;
use crate::faults::{faults_from_json, faults_to_json, Faults};
use crate::http_reply::HttpReply;
use crate::query::Query;
use crate::routes::Api;
use serde_json::json;

fn json_reply(value: serde_json::Value) -> HttpReply {
    HttpReply::json(200, value.to_string().into_bytes())
}

fn bad_request(problem: &str) -> HttpReply {
    let err = ApiError::invalid_param("body", problem);
    HttpReply::json(err.status, err.body(Api::Sim))
}

fn wrong_method(allow: &'static str) -> HttpReply {
    let err = ApiError::method_not_allowed();
    HttpReply::json(err.status, err.body(Api::Sim)).with_header("Allow", allow)
}

impl Gateway {
    pub(crate) fn serve_control(&self, req: &Incoming) -> HttpReply {
        let query = Query::parse(req.raw_query());
        match (req.path().trim_end_matches('/'), req.method.as_str()) {
            ("/__sim/requests", "GET") => {
                let since = match query.u64("since") {
                    Ok(since) => since.unwrap_or(0),
                    Err(err) => return HttpReply::json(err.status, err.body(Api::Sim)),
                };
                let requests: Vec<_> = self.log.since(since).iter().map(|e| e.to_json()).collect();
                json_reply(json!({"requests": requests, "dropped": self.log.dropped()}))
            }
            ("/__sim/requests", "DELETE") => {
                self.log.reset();
                json_reply(json!({"success": true}))
            }
            ("/__sim/requests", _) => wrong_method("GET, DELETE"),
            ("/__sim/faults", "GET") => json_reply(faults_to_json(&self.faults.faults())),
            ("/__sim/faults", "PUT" | "POST") => {
                let parsed = serde_json::from_slice(&req.body)
                    .map_err(|e| format!("invalid JSON: {e}"))
                    .and_then(|value| faults_from_json(&value));
                match parsed {
                    Ok(faults) => {
                        self.faults.set(faults);
                        json_reply(faults_to_json(&self.faults.faults()))
                    }
                    Err(problem) => bad_request(&problem),
                }
            }
            ("/__sim/faults", "DELETE") => {
                let seed = self.faults.faults().seed;
                self.faults.set(Faults {
                    seed,
                    rules: Vec::new(),
                });
                json_reply(faults_to_json(&self.faults.faults()))
            }
            ("/__sim/faults", _) => wrong_method("GET, PUT, POST, DELETE"),
            ("/__sim/clock", "GET") => self.clock_reply(),
            ("/__sim/clock", "POST") => match query.u64("advance_ms") {
                Ok(ms) => {
                    let ms = ms.unwrap_or(0).min(i64::MAX as u64) as i64;
                    self.clock.advance_ms(ms);
                    self.clock_reply()
                }
                Err(err) => HttpReply::json(err.status, err.body(Api::Sim)),
            },
            ("/__sim/clock", _) => wrong_method("GET, POST"),
            (path, method) => {
                if path == "/__sim/reset" && method == "POST" {
                    self.log.reset();
                }
                self.serve_introspection(req)
            }
        }
    }

    fn clock_reply(&self) -> HttpReply {
        json_reply(json!({
            "now_ms": self.clock.now_ms(),
            "manual": self.clock.is_manual(),
        }))
    }

    /// The `/__sim/` endpoints of the route table (`stats`, `reset`).
    fn serve_introspection(&self, req: &Incoming) -> HttpReply {
        let call = Request {
            method: &req.method,
            url: &req.url,
            api_token: None,
            content_type: req.content_type.as_deref(),
        };
        let reply = api::handle_with_body(&self.api, &call, &req.body);
        let mut out = HttpReply::json(reply.status, reply.body);
        if let Some(allow) = reply.allow {
            out.headers.push(("Allow", allow.to_string()));
        }
        out
    }
}
