//! `GET /oauth/authorize` and `POST /oauth/token` over HTTP.
//!
//! Token errors are `{"error": <RFC 6749 code>, "error_description":
//! <Pipedrive's message>}` with status 400, or 401 plus
//! `WWW-Authenticate` for bad client credentials sent in an `Authorization`
//! header (the behaviour of node-oauth2-server, whose messages Pipedrive's
//! list matches word for word; the JSON shape itself is unconfirmed, see
//! REFERENCE.md section 9).

use super::store::{Consent, GrantError, GrantErrorKind, OAuthStore, MISSING_CLIENT_CREDENTIALS};
use super::OAuthTokens;
use crate::base64url;
use crate::gateway::Incoming;
use crate::http_reply::HttpReply;
use crate::json::ObjectWriter;
use crate::query::Query;

/// What the token endpoint needs besides the request.
pub(crate) struct TokenContext<'a> {
    /// The company's API token, for `grant_type=exchange_api_token`.
    pub company_token: &'a str,
    /// `api_domain` of the answer: the simulator's own base URL.
    pub api_domain: &'a str,
    pub now_ms: i64,
}

pub(crate) const AUTHORIZE_PATH: &str = "/oauth/authorize";
pub(crate) const TOKEN_PATH: &str = "/oauth/token";

/// [`AUTHORIZE_PATH`] or [`TOKEN_PATH`] for a request path (with or
/// without the trailing slash the spec's refresh operation uses).
pub(crate) fn oauth_path(path: &str) -> Option<&'static str> {
    match path.trim_end_matches('/') {
        AUTHORIZE_PATH => Some(AUTHORIZE_PATH),
        TOKEN_PATH => Some(TOKEN_PATH),
        _ => None,
    }
}

/// `scheme:rest` with an RFC 3986 scheme and no whitespace.
pub(crate) fn is_absolute_uri(uri: &str) -> bool {
    let Some((scheme, rest)) = uri.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !rest.is_empty()
        && !uri.chars().any(char::is_whitespace)
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn error_reply(status: u16, kind: &str, description: &str) -> HttpReply {
    let mut body = Vec::with_capacity(128);
    let mut w = ObjectWriter::begin(&mut body);
    w.str("error", kind);
    w.str("error_description", description);
    w.end();
    HttpReply::json(status, body)
        .with_header("Cache-Control", "no-store")
        .with_header("Pragma", "no-cache")
}

fn grant_error_reply(err: &GrantError, credentials_in_header: bool) -> HttpReply {
    if err.kind == GrantErrorKind::InvalidClient && credentials_in_header {
        return error_reply(401, err.kind.code(), err.description)
            .with_header("WWW-Authenticate", "Basic realm=\"Service\"");
    }
    error_reply(400, err.kind.code(), err.description)
}

fn method_must_be(allowed: &'static str) -> HttpReply {
    error_reply(
        405,
        "invalid_request",
        &format!("Invalid request: method must be {allowed}"),
    )
    .with_header("Allow", allowed)
}

/// `GET /oauth/authorize?client_id&redirect_uri[&state][&scope]`: the
/// consent page, answered at once with a redirect.
pub(crate) fn authorize(store: &OAuthStore, req: &Incoming, now_ms: i64) -> HttpReply {
    if req.method != "GET" && req.method != "HEAD" {
        return method_must_be("GET");
    }
    let query = Query::parse(req.raw_query());
    let outcome = store.authorize(
        query.get("client_id"),
        query.get("redirect_uri"),
        query.get("scope"),
        now_ms,
    );
    let (redirect_uri, mut params) = match outcome {
        Err(err) => return grant_error_reply(&err, false),
        Ok(Consent::Approved { redirect_uri, code }) => (redirect_uri, format!("code={code}")),
        Ok(Consent::Denied { redirect_uri }) => (
            redirect_uri,
            "error=access_denied&error_description=The%20user%20declined".to_string(),
        ),
    };
    if let Some(state) = query.get("state") {
        params.push_str("&state=");
        params.push_str(&encode_component(state));
    }
    let separator = if redirect_uri.contains('?') { '&' } else { '?' };
    HttpReply {
        status: 302,
        content_type: "text/html",
        headers: vec![("Location", format!("{redirect_uri}{separator}{params}"))],
        body: Vec::new(),
    }
}

/// `Authorization: Basic base64(client_id:client_secret)`.
fn basic_credentials(header: &str) -> Option<(String, String)> {
    let (scheme, encoded) = header.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(base64url::decode(encoded.trim())?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some((id.to_string(), secret.to_string()))
}

fn tokens_reply(tokens: &OAuthTokens, api_domain: &str) -> HttpReply {
    let mut body = Vec::with_capacity(256);
    let mut w = ObjectWriter::begin(&mut body);
    w.str("access_token", &tokens.access_token);
    w.str("token_type", "Bearer");
    w.u64("expires_in", tokens.expires_in);
    w.str("refresh_token", &tokens.refresh_token);
    w.str("scope", &tokens.scope);
    w.str("api_domain", api_domain);
    w.end();
    HttpReply::json(200, body)
        .with_header("Cache-Control", "no-store")
        .with_header("Pragma", "no-cache")
}

/// `POST /oauth/token` with a form body: grants `authorization_code`,
/// `refresh_token` and `exchange_api_token`.
pub(crate) fn token(store: &OAuthStore, req: &Incoming, ctx: &TokenContext) -> HttpReply {
    if req.method != "POST" {
        return method_must_be("POST");
    }
    let form_encoded = req.content_type.as_deref().is_some_and(|ct| {
        ct.split(';').next().is_some_and(|t| {
            t.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        })
    });
    if !form_encoded {
        return error_reply(
            400,
            "invalid_request",
            "Invalid request: content must be application/x-www-form-urlencoded",
        );
    }
    let form = Query::parse(&String::from_utf8_lossy(&req.body));
    // Pipedrive documents HTTP Basic; like most OAuth servers, credentials
    // in the body (RFC 6749 section 2.3.1) are accepted too.
    let header = req.authorization.as_deref();
    let from_header = header.and_then(basic_credentials);
    let credentials = from_header.clone().or_else(|| {
        Some((
            form.get("client_id")?.to_string(),
            form.get("client_secret")?.to_string(),
        ))
    });
    if header.is_some() && from_header.is_none() {
        let err = GrantError {
            kind: GrantErrorKind::InvalidClient,
            description: MISSING_CLIENT_CREDENTIALS,
        };
        return grant_error_reply(&err, true);
    }
    let client_id = match store.authenticate_client(
        credentials
            .as_ref()
            .map(|(id, s)| (id.as_str(), s.as_str())),
    ) {
        Ok(id) => id,
        Err(err) => return grant_error_reply(&err, header.is_some()),
    };
    let issued = match form.get("grant_type") {
        None => Err(GrantError {
            kind: GrantErrorKind::InvalidRequest,
            description: "Missing parameter: grant_type",
        }),
        Some("authorization_code") => store.exchange_code(
            &client_id,
            form.get("code"),
            form.get("redirect_uri"),
            ctx.now_ms,
        ),
        Some("refresh_token") => store.refresh(&client_id, form.get("refresh_token"), ctx.now_ms),
        Some("exchange_api_token") => store.exchange_api_token(
            &client_id,
            form.get("api_token"),
            ctx.company_token,
            ctx.now_ms,
        ),
        Some(_) => Err(GrantError {
            kind: GrantErrorKind::UnsupportedGrantType,
            description: "Unsupported grant type: grant_type is invalid",
        }),
    };
    match issued {
        Ok(tokens) => tokens_reply(&tokens, ctx.api_domain),
        Err(err) => grant_error_reply(&err, header.is_some()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_and_encoding() {
        assert!(is_absolute_uri("http://127.0.0.1:5/cb?x=1"));
        assert!(is_absolute_uri("com.example.app:/callback"));
        assert!(!is_absolute_uri("/cb"));
        assert!(!is_absolute_uri("1http://x"));
        assert!(!is_absolute_uri("http://a b"));
        assert_eq!(encode_component("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
    }

    #[test]
    fn basic_credentials_split_at_the_first_colon() {
        // base64("app:s3:cret")
        assert_eq!(
            basic_credentials("Basic YXBwOnMzOmNyZXQ="),
            Some(("app".to_string(), "s3:cret".to_string()))
        );
        assert_eq!(basic_credentials("Bearer YXBwOnMzOmNyZXQ="), None);
        assert_eq!(basic_credentials("Basic !!!"), None);
    }

    #[test]
    fn oauth_paths() {
        assert_eq!(oauth_path("/oauth/token/"), Some(TOKEN_PATH));
        assert_eq!(oauth_path("/oauth/authorize"), Some(AUTHORIZE_PATH));
        assert_eq!(oauth_path("/oauth/other"), None);
    }
}
