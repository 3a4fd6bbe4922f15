//! The parts of an HTTP request the gateway looks at (including the body,
//! which the OAuth token endpoint and the write endpoints need).

use crate::http::Request;

pub(crate) struct Incoming {
    pub method: String,
    /// Path and query, as sent.
    pub url: String,
    /// `x-api-token`.
    pub api_token: Option<String>,
    /// `Authorization` (bearer token or client credentials).
    pub authorization: Option<String>,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
    /// True when the body was longer than the simulator's limit
    /// (and `body` is empty).
    pub body_too_large: bool,
}

impl Incoming {
    pub(crate) fn new(request: Request) -> Incoming {
        let header = |name: &str| request.header(name).map(str::to_string);
        Incoming {
            api_token: header("x-api-token"),
            authorization: header("authorization"),
            content_type: header("content-type"),
            method: request.method,
            url: request.target,
            body: request.body,
            body_too_large: request.body_too_large,
        }
    }

    pub(crate) fn path(&self) -> &str {
        self.url.split_once('?').map_or(&self.url, |(p, _)| p)
    }

    pub(crate) fn raw_query(&self) -> &str {
        self.url.split_once('?').map_or("", |(_, q)| q)
    }

    pub(crate) fn is_head(&self) -> bool {
        self.method == "HEAD"
    }
}
