//! Authentication of API requests: the `x-api-token` header on every
//! request, on v1 also the older `api_token` query parameter that many
//! existing clients still send, and OAuth access tokens in
//! `Authorization: Bearer` (checked against [`crate::oauth`] by the
//! gateway).

use crate::query::Query;
use crate::routes::Api;

pub(crate) fn is_authorized(
    api: Api,
    header_token: Option<&str>,
    query: &Query,
    expected: &str,
) -> bool {
    if header_token == Some(expected) {
        return true;
    }
    api == Api::V1 && query.get("api_token") == Some(expected)
}

/// What an `Authorization` header says about OAuth.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Bearer<'a> {
    /// No header, or another scheme (left to the API token check).
    Absent,
    Token(&'a str),
    /// `Bearer` with nothing after it.
    Malformed,
}

pub(crate) fn bearer(authorization: Option<&str>) -> Bearer<'_> {
    let Some(value) = authorization.map(str::trim) else {
        return Bearer::Absent;
    };
    let (scheme, rest) = value.split_once(' ').unwrap_or((value, ""));
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Bearer::Absent;
    }
    match rest.trim() {
        "" => Bearer::Malformed,
        token => Bearer::Token(token),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_headers() {
        assert_eq!(bearer(None), Bearer::Absent);
        assert_eq!(bearer(Some("Basic YTpi")), Bearer::Absent);
        assert_eq!(bearer(Some("Bearer v1u:abc")), Bearer::Token("v1u:abc"));
        assert_eq!(bearer(Some("bearer  v1u:abc ")), Bearer::Token("v1u:abc"));
        assert_eq!(bearer(Some("Bearer")), Bearer::Malformed);
        assert_eq!(bearer(Some("Bearer   ")), Bearer::Malformed);
    }
}
