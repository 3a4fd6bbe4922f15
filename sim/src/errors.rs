//! Error responses, in the body shapes Pipedrive's specs document.
//!
//! * The general error envelope (v1 and v2):
//!   `{"success":false,"error":..,"error_info":..,"data":null,"additional_data":null}`
//! * v1 401: `{"success":false,"error":"unauthorized access","errorCode":401}`
//! * v1 `GET /users/{id}` 404: `{"success":false,"error":"User not found or not accessible."}`

use crate::json::ObjectWriter;
use crate::routes::Api;
use std::borrow::Cow;

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ErrorShape {
    /// The general envelope; `None` uses the API version's usual hint.
    Envelope { error_info: Option<&'static str> },
    /// v1 401 body with `errorCode`.
    ErrorCode,
    /// Just `success` and `error`.
    Bare,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub status: u16,
    pub error: Cow<'static, str>,
    pub shape: ErrorShape,
}

impl ApiError {
    fn envelope(status: u16, error: impl Into<Cow<'static, str>>) -> ApiError {
        ApiError {
            status,
            error: error.into(),
            shape: ErrorShape::Envelope { error_info: None },
        }
    }

    /// 400 for a request parameter that fails validation.
    pub(crate) fn invalid_param(param: &str, problem: &str) -> ApiError {
        ApiError::envelope(400, format!("Validation failed: {param}: {problem}"))
    }

    /// v2's 404 for a record id that does not exist (spec example).
    pub(crate) fn entity_not_found() -> ApiError {
        ApiError {
            status: 404,
            error: Cow::Borrowed("Entity was not found"),
            shape: ErrorShape::Envelope {
                error_info: Some("Object was not found."),
            },
        }
    }

    /// 404 for a path that is not an API endpoint (Pipedrive's wording).
    pub(crate) fn unknown_route() -> ApiError {
        ApiError::envelope(404, "Unknown method .")
    }

    pub(crate) fn internal() -> ApiError {
        ApiError::envelope(500, "Internal server error")
    }

    pub(crate) fn method_not_allowed() -> ApiError {
        ApiError::envelope(405, "Method not allowed")
    }

    pub(crate) fn unauthorized(api: Api) -> ApiError {
        let shape = match api {
            Api::V1 => ErrorShape::ErrorCode,
            Api::V2 | Api::Sim => ErrorShape::Envelope { error_info: None },
        };
        ApiError {
            status: 401,
            error: Cow::Borrowed("unauthorized access"),
            shape,
        }
    }

    /// 401 for an OAuth access token that is unknown or expired, in the
    /// API version's 401 body with the message of Pipedrive's API proxy
    /// (`Invalid token: ...`, node-oauth2-server's wording).
    pub(crate) fn invalid_access_token(api: Api, expired: bool) -> ApiError {
        ApiError {
            error: Cow::Borrowed(if expired {
                "Invalid token: access token has expired"
            } else {
                "Invalid token: access token is invalid"
            }),
            ..ApiError::unauthorized(api)
        }
    }

    /// 400 for `Authorization: Bearer` without a token (Pipedrive's API
    /// proxy wording).
    pub(crate) fn malformed_authorization() -> ApiError {
        ApiError::envelope(400, "Invalid request: malformed authorization header")
    }

    /// 429 beyond the burst window or the daily token budget. Pipedrive's
    /// docs show the general error envelope; the exact message is
    /// unconfirmed (REFERENCE.md section 9).
    pub(crate) fn rate_limited(daily_budget: bool) -> ApiError {
        ApiError::envelope(
            429,
            if daily_budget {
                "Request over limit: the daily token budget is spent"
            } else {
                "Request over limit"
            },
        )
    }

    /// An injected server error with this status (a 5xx as Pipedrive's API
    /// answers them, in the general envelope).
    pub(crate) fn injected(status: u16) -> ApiError {
        let error = match status {
            500 => "Internal server error",
            502 => "Bad gateway",
            503 => "Service unavailable",
            504 => "Gateway timeout",
            _ => "Simulated failure",
        };
        ApiError::envelope(status, error)
    }

    /// v1 `GET /users/{id}` for an unknown user (spec example).
    pub(crate) fn user_not_found() -> ApiError {
        ApiError {
            status: 404,
            error: Cow::Borrowed("User not found or not accessible."),
            shape: ErrorShape::Bare,
        }
    }

    pub(crate) fn body(&self, api: Api) -> Vec<u8> {
        let mut out = Vec::with_capacity(160);
        let mut w = ObjectWriter::begin(&mut out);
        w.bool("success", false);
        w.str("error", &self.error);
        match &self.shape {
            ErrorShape::Envelope { error_info } => {
                let default_info = match api {
                    Api::V1 => "Please check developers.pipedrive.com for more information about Pipedrive API.",
                    Api::V2 | Api::Sim => "Please check developers.pipedrive.com",
                };
                w.str("error_info", error_info.unwrap_or(default_info));
                w.null("data");
                w.null("additional_data");
            }
            ErrorShape::ErrorCode => w.u64("errorCode", self.status as u64),
            ErrorShape::Bare => {}
        }
        w.end();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unauthorized_bodies_match_the_specs() {
        assert_eq!(
            String::from_utf8(ApiError::unauthorized(Api::V2).body(Api::V2)).unwrap(),
            r#"{"success":false,"error":"unauthorized access","error_info":"Please check developers.pipedrive.com","data":null,"additional_data":null}"#
        );
        assert_eq!(
            String::from_utf8(ApiError::unauthorized(Api::V1).body(Api::V1)).unwrap(),
            r#"{"success":false,"error":"unauthorized access","errorCode":401}"#
        );
    }

    #[test]
    fn expired_access_tokens_keep_the_401_shape_of_their_api() {
        assert_eq!(
            String::from_utf8(ApiError::invalid_access_token(Api::V1, true).body(Api::V1)).unwrap(),
            r#"{"success":false,"error":"Invalid token: access token has expired","errorCode":401}"#
        );
        let v2 = ApiError::invalid_access_token(Api::V2, false);
        assert_eq!(v2.status, 401);
        assert!(String::from_utf8(v2.body(Api::V2)).unwrap().starts_with(
            r#"{"success":false,"error":"Invalid token: access token is invalid","error_info""#
        ));
    }
}
