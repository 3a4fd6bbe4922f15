//! Maps a method and path to an endpoint.
//!
//! v2 lives under `/api/v2`, v1 under both `/api/v1` and `/v1` (as on
//! Pipedrive), and the simulator's own introspection under `/__sim`.

use crate::data::custom_fields::FieldEntity;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Api {
    V1,
    V2,
    /// `/__sim/...`: introspection, no authentication.
    Sim,
}

/// An endpoint, with the raw `{id}` path segment where there is one (it is
/// validated by the handler so a bad id gives a 400, not a 404).
#[derive(Clone, Copy, Debug)]
pub(crate) enum Route<'a> {
    Deals,
    Deal(&'a str),
    Persons,
    Person(&'a str),
    Organizations,
    Organization(&'a str),
    Pipelines,
    Pipeline(&'a str),
    Stages,
    Stage(&'a str),
    FieldsV2(FieldEntity),
    FieldsV1(FieldEntity),
    Users,
    User(&'a str),
    Me,
    SimStats,
    SimReset,
}

pub(crate) enum RouteMatch<'a> {
    Found {
        api: Api,
        route: Route<'a>,
        endpoint: String,
    },
    /// The path exists but not for this method.
    WrongMethod {
        api: Api,
        allow: &'static str,
        endpoint: String,
    },
    /// No such path; `api` when the prefix was recognised.
    NotFound { api: Option<Api> },
}

fn split_prefix(path: &str) -> Option<(Api, &str)> {
    for (prefix, api) in [
        ("/api/v2/", Api::V2),
        ("/api/v1/", Api::V1),
        ("/v1/", Api::V1),
        ("/__sim/", Api::Sim),
    ] {
        if let Some(rest) = path.strip_prefix(prefix) {
            return Some((api, rest));
        }
    }
    None
}

/// The API a path belongs to, for choosing the error body shape.
pub(crate) fn api_of(path: &str) -> Option<Api> {
    split_prefix(path).map(|(api, _)| api).or(match path {
        "/api/v2" => Some(Api::V2),
        "/api/v1" | "/v1" => Some(Api::V1),
        _ => None,
    })
}

pub(crate) fn match_route<'a>(method: &str, path: &'a str) -> RouteMatch<'a> {
    let Some((api, rest)) = split_prefix(path) else {
        return RouteMatch::NotFound { api: api_of(path) };
    };
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    let segments: Vec<&'a str> = rest.split('/').collect();
    use Route::*;
    // (route, the template used as the stats key, the allowed method)
    let found: Option<(Route<'a>, &'static str, &'static str)> = match (api, segments.as_slice()) {
        (Api::V2, ["deals"]) => Some((Deals, "/deals", "GET")),
        (Api::V2, ["deals", id]) => Some((Deal(id), "/deals/{id}", "GET")),
        (Api::V2, ["persons"]) => Some((Persons, "/persons", "GET")),
        (Api::V2, ["persons", id]) => Some((Person(id), "/persons/{id}", "GET")),
        (Api::V2, ["organizations"]) => Some((Organizations, "/organizations", "GET")),
        (Api::V2, ["organizations", id]) => Some((Organization(id), "/organizations/{id}", "GET")),
        (Api::V2, ["pipelines"]) => Some((Pipelines, "/pipelines", "GET")),
        (Api::V2, ["pipelines", id]) => Some((Pipeline(id), "/pipelines/{id}", "GET")),
        (Api::V2, ["stages"]) => Some((Stages, "/stages", "GET")),
        (Api::V2, ["stages", id]) => Some((Stage(id), "/stages/{id}", "GET")),
        (Api::V2, ["dealFields"]) => Some((FieldsV2(FieldEntity::Deal), "/dealFields", "GET")),
        (Api::V2, ["personFields"]) => {
            Some((FieldsV2(FieldEntity::Person), "/personFields", "GET"))
        }
        (Api::V2, ["organizationFields"]) => Some((
            FieldsV2(FieldEntity::Organization),
            "/organizationFields",
            "GET",
        )),
        (Api::V1, ["users"]) => Some((Users, "/users", "GET")),
        (Api::V1, ["users", "me"]) => Some((Me, "/users/me", "GET")),
        (Api::V1, ["users", id]) => Some((User(id), "/users/{id}", "GET")),
        (Api::V1, ["dealFields"]) => Some((FieldsV1(FieldEntity::Deal), "/dealFields", "GET")),
        (Api::V1, ["personFields"]) => {
            Some((FieldsV1(FieldEntity::Person), "/personFields", "GET"))
        }
        (Api::V1, ["organizationFields"]) => Some((
            FieldsV1(FieldEntity::Organization),
            "/organizationFields",
            "GET",
        )),
        (Api::Sim, ["stats"]) => Some((SimStats, "/stats", "GET")),
        (Api::Sim, ["reset"]) => Some((SimReset, "/reset", "POST")),
        _ => None,
    };
    let Some((route, template, allowed)) = found else {
        return RouteMatch::NotFound { api: Some(api) };
    };
    let prefix = match api {
        Api::V1 => "/api/v1",
        Api::V2 => "/api/v2",
        Api::Sim => "/__sim",
    };
    let endpoint = format!("{method} {prefix}{template}");
    if method == allowed {
        RouteMatch::Found {
            api,
            route,
            endpoint,
        }
    } else {
        RouteMatch::WrongMethod {
            api,
            allow: allowed,
            endpoint,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_and_templates() {
        match match_route("GET", "/v1/users/me") {
            RouteMatch::Found {
                api: Api::V1,
                route: Route::Me,
                endpoint,
            } => assert_eq!(endpoint, "GET /api/v1/users/me"),
            _ => panic!("expected /users/me"),
        }
        match match_route("GET", "/api/v2/deals/12/") {
            RouteMatch::Found {
                route: Route::Deal("12"),
                endpoint,
                ..
            } => assert_eq!(endpoint, "GET /api/v2/deals/{id}"),
            _ => panic!("expected deal"),
        }
        assert!(matches!(
            match_route("DELETE", "/api/v2/deals"),
            RouteMatch::WrongMethod { allow: "GET", .. }
        ));
        assert!(matches!(
            match_route("GET", "/api/v2/users"),
            RouteMatch::NotFound { api: Some(Api::V2) }
        ));
        // v1 CRUD of deals was removed from Pipedrive.
        assert!(matches!(
            match_route("GET", "/api/v1/deals"),
            RouteMatch::NotFound { api: Some(Api::V1) }
        ));
        assert!(matches!(
            match_route("GET", "/"),
            RouteMatch::NotFound { api: None }
        ));
        assert!(matches!(
            match_route("GET", "/api/v2/deals/1/x"),
            RouteMatch::NotFound { .. }
        ));
    }
}
