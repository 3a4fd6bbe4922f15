//! API token authentication: the `x-api-token` header on every request,
//! and on v1 also the older `api_token` query parameter that many existing
//! clients still send. (OAuth bearer tokens will be added here.)

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
