//! The parts of an HTTP request the gateway looks at, read once from
//! tiny_http (including the body, which the OAuth token endpoint and the
//! write endpoints need).

use std::io::Read;
use std::net::SocketAddr;

/// Bodies beyond this are refused with 413; no Pipedrive request is close.
pub(crate) const MAX_BODY_BYTES: u64 = 16 * 1024 * 1024;

pub(crate) struct Incoming {
    pub method: String,
    /// Path and query, as sent.
    pub url: String,
    pub http_version: (u8, u8),
    /// `x-api-token`.
    pub api_token: Option<String>,
    /// `Authorization` (bearer token or client credentials).
    pub authorization: Option<String>,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
    /// True when the body was longer than [`MAX_BODY_BYTES`] (and `body`
    /// holds only its beginning).
    pub body_too_large: bool,
    /// The client's address, to find its connection when a fault drops it.
    pub peer: Option<SocketAddr>,
}

impl Incoming {
    pub(crate) fn read(request: &mut tiny_http::Request) -> Incoming {
        let header = |name: &'static str| {
            request
                .headers()
                .iter()
                .find(|h| h.field.equiv(name))
                .map(|h| h.value.as_str().to_string())
        };
        let api_token = header("x-api-token");
        let authorization = header("authorization");
        let content_type = header("content-type");
        let version = request.http_version();
        let http_version = (version.0, version.1);
        let method = request.method().as_str().to_string();
        let url = request.url().to_string();
        let peer = request.remote_addr().copied();
        let mut body = Vec::new();
        // A read error means the client went away mid-body; whatever
        // arrived is answered (the answer will not reach it anyway).
        let _ = request
            .as_reader()
            .take(MAX_BODY_BYTES + 1)
            .read_to_end(&mut body);
        let body_too_large = body.len() as u64 > MAX_BODY_BYTES;
        body.truncate(MAX_BODY_BYTES as usize);
        Incoming {
            method,
            url,
            http_version,
            api_token,
            authorization,
            content_type,
            body,
            body_too_large,
            peer,
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
