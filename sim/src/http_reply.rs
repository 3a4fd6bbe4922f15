//! An answer as the gateway builds it: status, content type, extra headers
//! and body, before faults decide how (and whether) it reaches the client.

pub(crate) struct HttpReply {
    pub status: u16,
    pub content_type: &'static str,
    /// Headers besides `Date`, `Server`, `Content-Type`, `Content-Length`.
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl HttpReply {
    pub(crate) fn json(status: u16, body: Vec<u8>) -> HttpReply {
        HttpReply {
            status,
            content_type: "application/json",
            headers: Vec::new(),
            body,
        }
    }

    pub(crate) fn with_header(mut self, name: &'static str, value: impl Into<String>) -> HttpReply {
        self.headers.push((name, value.into()));
        self
    }
}
