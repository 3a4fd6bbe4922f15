//! The route table: every endpoint the simulator serves, as (method, API
//! version, path template, handler), and the matcher that picks one for a
//! request.
//!
//! v2 lives under `/api/v2`, v1 under both `/api/v1` and `/v1` (as on
//! Pipedrive), and the simulator's own introspection under `/__sim`.
//! Templates are written exactly as the OpenAPI documents write the paths,
//! without the version prefix (`/deals/{id}/products/{product_attachment_id}`),
//! so the table can be compared with the specs mechanically; see
//! [`served_operations`].

use crate::api::handlers::{self as h, Handler};
use crate::data::records::activities::Activities;
use crate::data::records::calls::CallLogs;
use crate::data::records::config_kinds::{
    ActivityTypes, Currencies, Filters, LeadLabels, Roles, Webhooks,
};
use crate::data::records::files::Files;
use crate::data::records::leads::Leads;
use crate::data::records::notes::Notes;
use crate::data::records::products::Products;
use crate::data::records::projects::{Boards, Phases, Projects, Tasks};
use crate::data::records::relationships::OrganizationRelationships;
use std::collections::HashMap;
use std::sync::OnceLock;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Api {
    V1,
    V2,
    /// `/__sim/...`: introspection, no authentication.
    Sim,
}

impl Api {
    /// The prefix used in endpoint keys (statistics) and in
    /// [`served_operations`].
    fn key_prefix(self) -> &'static str {
        match self {
            Api::V1 => "/api/v1",
            Api::V2 => "/api/v2",
            Api::Sim => "/__sim",
        }
    }

    fn tag(self) -> &'static str {
        match self {
            Api::V1 => "v1",
            Api::V2 => "v2",
            Api::Sim => "sim",
        }
    }
}

/// One served operation.
pub(crate) struct RouteDef {
    pub method: &'static str,
    pub api: Api,
    /// As in the spec: literal segments and `{name}` parameters.
    pub template: &'static str,
    pub handler: Handler,
}

const fn r(method: &'static str, api: Api, template: &'static str, handler: Handler) -> RouteDef {
    RouteDef {
        method,
        api,
        template,
        handler,
    }
}

use Api::{Sim, V1, V2};

/// Every route. Order does not matter for matching: a template with more
/// literal segments wins over one with parameters in their place
/// (`/deals/search` over `/deals/{id}`).
pub(crate) static ROUTES: &[RouteDef] = &[
    // ----- deals (v2) -----
    r("GET", V2, "/deals", h::deals::list),
    r("POST", V2, "/deals", h::deals::create),
    r("GET", V2, "/deals/{id}", h::deals::get),
    r("PATCH", V2, "/deals/{id}", h::deals::update),
    r("DELETE", V2, "/deals/{id}", h::deals::delete),
    r("GET", V2, "/deals/search", h::search::deals),
    r(
        "GET",
        V2,
        "/deals/products",
        h::nested::deal_products::list_for_deals,
    ),
    r(
        "GET",
        V2,
        "/deals/{id}/products",
        h::nested::deal_products::list,
    ),
    r(
        "POST",
        V2,
        "/deals/{id}/products",
        h::nested::deal_products::create,
    ),
    r(
        "PATCH",
        V2,
        "/deals/{id}/products/{product_attachment_id}",
        h::nested::deal_products::update,
    ),
    r(
        "DELETE",
        V2,
        "/deals/{id}/products/{product_attachment_id}",
        h::nested::deal_products::delete,
    ),
    r("GET", V2, "/deals/{id}/followers", h::followers::deal_list),
    r("POST", V2, "/deals/{id}/followers", h::followers::deal_add),
    r(
        "DELETE",
        V2,
        "/deals/{id}/followers/{follower_id}",
        h::followers::deal_delete,
    ),
    // ----- deals (v1-only reads and participants) -----
    r("GET", V1, "/deals/summary", h::deal_reports::summary),
    r("GET", V1, "/deals/timeline", h::deal_reports::timeline),
    r(
        "GET",
        V1,
        "/deals/{id}/participants",
        h::nested::participants::list,
    ),
    r(
        "POST",
        V1,
        "/deals/{id}/participants",
        h::nested::participants::add,
    ),
    r(
        "DELETE",
        V1,
        "/deals/{id}/participants/{deal_participant_id}",
        h::nested::participants::delete,
    ),
    // ----- persons (v2) -----
    r("GET", V2, "/persons", h::persons::list),
    r("POST", V2, "/persons", h::persons::create),
    r("GET", V2, "/persons/{id}", h::persons::get),
    r("PATCH", V2, "/persons/{id}", h::persons::update),
    r("DELETE", V2, "/persons/{id}", h::persons::delete),
    r("GET", V2, "/persons/search", h::search::persons),
    r(
        "GET",
        V2,
        "/persons/{id}/followers",
        h::followers::person_list,
    ),
    r(
        "POST",
        V2,
        "/persons/{id}/followers",
        h::followers::person_add,
    ),
    r(
        "DELETE",
        V2,
        "/persons/{id}/followers/{follower_id}",
        h::followers::person_delete,
    ),
    // ----- organizations (v2) -----
    r("GET", V2, "/organizations", h::organizations::list),
    r("POST", V2, "/organizations", h::organizations::create),
    r("GET", V2, "/organizations/{id}", h::organizations::get),
    r("PATCH", V2, "/organizations/{id}", h::organizations::update),
    r(
        "DELETE",
        V2,
        "/organizations/{id}",
        h::organizations::delete,
    ),
    r("GET", V2, "/organizations/search", h::search::organizations),
    r(
        "GET",
        V2,
        "/organizations/{id}/followers",
        h::followers::organization_list,
    ),
    r(
        "POST",
        V2,
        "/organizations/{id}/followers",
        h::followers::organization_add,
    ),
    r(
        "DELETE",
        V2,
        "/organizations/{id}/followers/{follower_id}",
        h::followers::organization_delete,
    ),
    // ----- generic record entities (see api::handlers::records) -----
    r("GET", V2, "/activities", h::records::list::<Activities>),
    r("POST", V2, "/activities", h::records::create::<Activities>),
    r("GET", V2, "/activities/{id}", h::records::get::<Activities>),
    r(
        "PATCH",
        V2,
        "/activities/{id}",
        h::records::update::<Activities>,
    ),
    r(
        "DELETE",
        V2,
        "/activities/{id}",
        h::records::delete::<Activities>,
    ),
    r("GET", V2, "/products", h::records::list::<Products>),
    r("POST", V2, "/products", h::records::create::<Products>),
    r("GET", V2, "/products/{id}", h::records::get::<Products>),
    r(
        "PATCH",
        V2,
        "/products/{id}",
        h::records::update::<Products>,
    ),
    r(
        "DELETE",
        V2,
        "/products/{id}",
        h::records::delete::<Products>,
    ),
    r(
        "GET",
        V2,
        "/products/{id}/followers",
        h::followers::product_list,
    ),
    r(
        "POST",
        V2,
        "/products/{id}/followers",
        h::followers::product_add,
    ),
    r(
        "DELETE",
        V2,
        "/products/{id}/followers/{follower_id}",
        h::followers::product_delete,
    ),
    r("GET", V2, "/projects", h::records::list::<Projects>),
    r("POST", V2, "/projects", h::records::create::<Projects>),
    r("GET", V2, "/projects/{id}", h::records::get::<Projects>),
    r(
        "PATCH",
        V2,
        "/projects/{id}",
        h::records::update::<Projects>,
    ),
    r(
        "DELETE",
        V2,
        "/projects/{id}",
        h::records::delete::<Projects>,
    ),
    r("GET", V2, "/tasks", h::records::list::<Tasks>),
    r("POST", V2, "/tasks", h::records::create::<Tasks>),
    r("GET", V2, "/tasks/{id}", h::records::get::<Tasks>),
    r("PATCH", V2, "/tasks/{id}", h::records::update::<Tasks>),
    r("DELETE", V2, "/tasks/{id}", h::records::delete::<Tasks>),
    r("GET", V1, "/notes", h::records::list::<Notes>),
    r("POST", V1, "/notes", h::records::create::<Notes>),
    r("GET", V1, "/notes/{id}", h::records::get::<Notes>),
    r("PUT", V1, "/notes/{id}", h::records::update::<Notes>),
    r("DELETE", V1, "/notes/{id}", h::records::delete::<Notes>),
    r(
        "GET",
        V1,
        "/notes/{id}/comments",
        h::nested::note_comments::list,
    ),
    r(
        "POST",
        V1,
        "/notes/{id}/comments",
        h::nested::note_comments::create,
    ),
    r(
        "GET",
        V1,
        "/notes/{id}/comments/{commentId}",
        h::nested::note_comments::get,
    ),
    r(
        "PUT",
        V1,
        "/notes/{id}/comments/{commentId}",
        h::nested::note_comments::update,
    ),
    r(
        "DELETE",
        V1,
        "/notes/{id}/comments/{commentId}",
        h::nested::note_comments::delete,
    ),
    r("GET", V1, "/leads", h::records::list::<Leads>),
    r("POST", V1, "/leads", h::records::create::<Leads>),
    r("GET", V1, "/leads/{id}", h::records::get::<Leads>),
    r("GET", V1, "/leads/archived", h::specials::archived_leads),
    r("PATCH", V1, "/leads/{id}", h::records::update::<Leads>),
    r("DELETE", V1, "/leads/{id}", h::records::delete::<Leads>),
    r("GET", V1, "/leadLabels", h::records::list::<LeadLabels>),
    r("POST", V1, "/leadLabels", h::records::create::<LeadLabels>),
    r(
        "PATCH",
        V1,
        "/leadLabels/{id}",
        h::records::update::<LeadLabels>,
    ),
    r(
        "DELETE",
        V1,
        "/leadLabels/{id}",
        h::records::delete::<LeadLabels>,
    ),
    r("GET", V1, "/leadSources", h::specials::lead_sources),
    r(
        "GET",
        V1,
        "/activityTypes",
        h::records::list::<ActivityTypes>,
    ),
    r(
        "POST",
        V1,
        "/activityTypes",
        h::records::create::<ActivityTypes>,
    ),
    r(
        "PUT",
        V1,
        "/activityTypes/{id}",
        h::records::update::<ActivityTypes>,
    ),
    r(
        "DELETE",
        V1,
        "/activityTypes/{id}",
        h::records::delete::<ActivityTypes>,
    ),
    r("GET", V1, "/callLogs", h::records::list::<CallLogs>),
    r("POST", V1, "/callLogs", h::records::create::<CallLogs>),
    r("GET", V1, "/callLogs/{id}", h::records::get::<CallLogs>),
    r(
        "DELETE",
        V1,
        "/callLogs/{id}",
        h::records::delete::<CallLogs>,
    ),
    r("GET", V1, "/currencies", h::records::list::<Currencies>),
    r("GET", V1, "/filters", h::records::list::<Filters>),
    r("POST", V1, "/filters", h::records::create::<Filters>),
    r("GET", V1, "/filters/{id}", h::records::get::<Filters>),
    r("PUT", V1, "/filters/{id}", h::records::update::<Filters>),
    r("DELETE", V1, "/filters/{id}", h::records::delete::<Filters>),
    r("GET", V1, "/goals/find", h::specials::find_goals),
    r("POST", V1, "/goals", h::specials::create_goal),
    r("PUT", V1, "/goals/{id}", h::specials::update_goal),
    r("DELETE", V1, "/goals/{id}", h::specials::delete_goal),
    r("GET", V1, "/roles", h::records::list::<Roles>),
    r("POST", V1, "/roles", h::records::create::<Roles>),
    r("GET", V1, "/roles/{id}", h::records::get::<Roles>),
    r("PUT", V1, "/roles/{id}", h::records::update::<Roles>),
    r("DELETE", V1, "/roles/{id}", h::records::delete::<Roles>),
    r("GET", V1, "/files", h::records::list::<Files>),
    r("GET", V1, "/files/{id}", h::records::get::<Files>),
    r("POST", V1, "/files", h::files::upload),
    r("GET", V1, "/files/{id}/download", h::files::download),
    r("POST", V1, "/files/remote", h::files::create_remote),
    r("POST", V1, "/files/remoteLink", h::files::link_remote),
    r("GET", V1, "/deals/{id}/files", h::files::of_deal),
    r("GET", V1, "/persons/{id}/files", h::files::of_person),
    r(
        "GET",
        V1,
        "/organizations/{id}/files",
        h::files::of_organization,
    ),
    r("GET", V1, "/products/{id}/files", h::files::of_product),
    r("PUT", V1, "/files/{id}", h::records::update::<Files>),
    r("DELETE", V1, "/files/{id}", h::records::delete::<Files>),
    r("GET", V1, "/webhooks", h::records::list::<Webhooks>),
    r("POST", V1, "/webhooks", h::records::create::<Webhooks>),
    r(
        "DELETE",
        V1,
        "/webhooks/{id}",
        h::records::delete::<Webhooks>,
    ),
    r(
        "GET",
        V1,
        "/organizationRelationships",
        h::records::list::<OrganizationRelationships>,
    ),
    r(
        "POST",
        V1,
        "/organizationRelationships",
        h::records::create::<OrganizationRelationships>,
    ),
    r(
        "GET",
        V1,
        "/organizationRelationships/{id}",
        h::records::get::<OrganizationRelationships>,
    ),
    r(
        "PUT",
        V1,
        "/organizationRelationships/{id}",
        h::records::update::<OrganizationRelationships>,
    ),
    r(
        "DELETE",
        V1,
        "/organizationRelationships/{id}",
        h::records::delete::<OrganizationRelationships>,
    ),
    r("GET", V2, "/boards", h::records::list::<Boards>),
    r("GET", V2, "/boards/{id}", h::records::get::<Boards>),
    r("GET", V2, "/phases", h::records::list::<Phases>),
    r("GET", V2, "/phases/{id}", h::records::get::<Phases>),
    // ----- pipelines and stages (v2) -----
    r("GET", V2, "/pipelines", h::pipelines::list_pipelines),
    r("POST", V2, "/pipelines", h::pipelines::create_pipeline),
    r("GET", V2, "/pipelines/{id}", h::pipelines::get_pipeline),
    r(
        "PATCH",
        V2,
        "/pipelines/{id}",
        h::pipelines::update_pipeline,
    ),
    r(
        "DELETE",
        V2,
        "/pipelines/{id}",
        h::pipelines::delete_pipeline,
    ),
    r("GET", V2, "/stages", h::pipelines::list_stages),
    r("POST", V2, "/stages", h::pipelines::create_stage),
    r("GET", V2, "/stages/{id}", h::pipelines::get_stage),
    r("PATCH", V2, "/stages/{id}", h::pipelines::update_stage),
    r("DELETE", V2, "/stages/{id}", h::pipelines::delete_stage),
    // ----- users (v1) -----
    r("GET", V1, "/users", h::users::list),
    r("POST", V1, "/users", h::users::create),
    r("GET", V1, "/users/me", h::users::me),
    r("GET", V1, "/users/{id}", h::users::get),
    r("PUT", V1, "/users/{id}", h::users::update),
    // ----- field definitions -----
    r("GET", V2, "/dealFields", h::fields::list_v2),
    r("GET", V2, "/personFields", h::fields::list_v2),
    r("GET", V2, "/organizationFields", h::fields::list_v2),
    r("GET", V2, "/productFields", h::fields::list_v2),
    r("GET", V2, "/activityFields", h::fields::list_v2),
    r("GET", V2, "/projectFields", h::fields::list_v2),
    r("GET", V1, "/dealFields", h::fields::list_v1),
    r("GET", V1, "/personFields", h::fields::list_v1),
    r("GET", V1, "/organizationFields", h::fields::list_v1),
    r("GET", V1, "/productFields", h::fields::list_v1),
    r("GET", V1, "/activityFields", h::fields::list_v1),
    r("GET", V1, "/noteFields", h::fields::list_v1),
    r("GET", V1, "/leadFields", h::fields::list_v1),
    // ----- search (v2) -----
    r("GET", V2, "/itemSearch", h::search::items),
    r("GET", V2, "/products/search", h::search::products),
    r("GET", V2, "/leads/search", h::search::leads),
    r("GET", V2, "/projects/search", h::search::projects),
    // ----- introspection -----
    r("GET", Sim, "/stats", h::introspection::stats),
    r("POST", Sim, "/reset", h::introspection::reset),
    r("GET", Sim, "/dataset", h::introspection::dataset),
    r("POST", Sim, "/dataset/save", h::introspection::save_dataset),
];

/// Every operation the simulator serves, as `(METHOD, "vN:/template")`.
///
/// The format is stable: the method in upper case, then the API version
/// (`v1` or `v2`), a colon, and the path template exactly as the OpenAPI
/// document of that version writes it (no `/api/v2` or `/v1` prefix), e.g.
/// `("GET", "v2:/deals/{id}")` or `("PATCH", "v1:/leads/{id}")`. v1 routes
/// answer under both `/api/v1` and `/v1` but are listed once. The
/// simulator's own `/__sim/` endpoints are not part of the Pipedrive API
/// and are left out. Sorted by template, then method.
pub fn served_operations() -> Vec<(String, String)> {
    let mut ops: Vec<(String, String)> = ROUTES
        .iter()
        .filter(|route| route.api != Api::Sim)
        .map(|route| {
            (
                route.method.to_string(),
                format!("{}:{}", route.api.tag(), route.template),
            )
        })
        .collect();
    ops.sort_by(|a, b| (&a.1, &a.0).cmp(&(&b.1, &b.0)));
    ops
}

/// Path parameters of a matched route: `(name, raw segment)`. Raw because
/// the handler validates them, so a bad id gives a 400 and not a 404.
pub(crate) type PathParams<'a> = Vec<(&'static str, &'a str)>;

pub(crate) enum RouteMatch<'a> {
    Found {
        route: &'static RouteDef,
        params: PathParams<'a>,
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

/// Matches `segments` against a template; the parameters on success.
fn match_template<'a>(template: &'static str, segments: &[&'a str]) -> Option<PathParams<'a>> {
    let parts = template.trim_start_matches('/').split('/');
    let mut params = Vec::new();
    let mut count = 0;
    for (part, &segment) in parts.zip(segments.iter()) {
        count += 1;
        match part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
            Some(name) => {
                if segment.is_empty() {
                    return None;
                }
                params.push((name, segment));
            }
            None if part == segment => {}
            None => return None,
        }
    }
    let template_len = template.trim_start_matches('/').split('/').count();
    (count == segments.len() && count == template_len).then_some(params)
}

fn literal_segments(template: &str) -> usize {
    template
        .trim_start_matches('/')
        .split('/')
        .filter(|p| !p.starts_with('{'))
        .count()
}

/// The `Allow` header value for each (api, template): its methods joined by
/// ", ". Built once; the strings live as long as the table.
fn allow_header(api: Api, template: &'static str) -> &'static str {
    static ALLOW: OnceLock<HashMap<(Api, &'static str), &'static str>> = OnceLock::new();
    let map = ALLOW.get_or_init(|| {
        let mut methods: HashMap<(Api, &'static str), Vec<&'static str>> = HashMap::new();
        for route in ROUTES {
            methods
                .entry((route.api, route.template))
                .or_default()
                .push(route.method);
        }
        methods
            .into_iter()
            .map(|(key, list)| {
                // Leaked once per template at first use: a bounded, static set.
                let joined: &'static str = Box::leak(list.join(", ").into_boxed_str());
                (key, joined)
            })
            .collect()
    });
    map.get(&(api, template)).copied().unwrap_or("GET")
}

pub(crate) fn match_route<'a>(method: &str, path: &'a str) -> RouteMatch<'a> {
    let Some((api, rest)) = split_prefix(path) else {
        return RouteMatch::NotFound { api: api_of(path) };
    };
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    let segments: Vec<&'a str> = rest.split('/').collect();
    // The most specific matching template(s): most literal segments.
    let mut best: Option<(usize, &'static str)> = None;
    let mut found: Option<(&'static RouteDef, PathParams<'a>)> = None;
    for route in ROUTES.iter().filter(|route| route.api == api) {
        let Some(params) = match_template(route.template, &segments) else {
            continue;
        };
        let literals = literal_segments(route.template);
        let better = match best {
            None => true,
            Some((n, _)) => literals > n,
        };
        if better {
            best = Some((literals, route.template));
            found = None;
        }
        if best.is_some_and(|(_, t)| t == route.template) && route.method == method {
            found = Some((route, params));
        }
    }
    let Some((_, template)) = best else {
        return RouteMatch::NotFound { api: Some(api) };
    };
    let endpoint = format!("{method} {}{template}", api.key_prefix());
    match found {
        Some((route, params)) => RouteMatch::Found {
            route,
            params,
            endpoint,
        },
        None => RouteMatch::WrongMethod {
            api,
            allow: allow_header(api, template),
            endpoint,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(method: &str, path: &str) -> Option<(&'static str, Vec<(&'static str, String)>)> {
        match match_route(method, path) {
            RouteMatch::Found { route, params, .. } => Some((
                route.template,
                params
                    .into_iter()
                    .map(|(n, v)| (n, v.to_string()))
                    .collect(),
            )),
            _ => None,
        }
    }

    #[test]
    fn prefixes_and_templates() {
        match match_route("GET", "/v1/users/me") {
            RouteMatch::Found {
                route, endpoint, ..
            } => {
                assert_eq!(route.template, "/users/me");
                assert_eq!(endpoint, "GET /api/v1/users/me");
            }
            _ => panic!("expected /users/me"),
        }
        match match_route("GET", "/api/v2/deals/12/") {
            RouteMatch::Found {
                params, endpoint, ..
            } => {
                assert_eq!(params, vec![("id", "12")]);
                assert_eq!(endpoint, "GET /api/v2/deals/{id}");
            }
            _ => panic!("expected deal"),
        }
        assert!(matches!(
            match_route("PUT", "/api/v2/deals"),
            RouteMatch::WrongMethod {
                allow: "GET, POST",
                ..
            }
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

    #[test]
    fn literal_segments_win_over_parameters() {
        assert_eq!(
            found("GET", "/api/v2/deals/search").unwrap().0,
            "/deals/search"
        );
        assert_eq!(
            found("GET", "/api/v2/deals/products").unwrap().0,
            "/deals/products"
        );
        assert_eq!(
            found("DELETE", "/api/v2/deals/5/products/9").unwrap().1,
            vec![
                ("id", "5".to_string()),
                ("product_attachment_id", "9".to_string())
            ]
        );
        // A literal path with another method is a 405, not the {id} route.
        assert!(matches!(
            match_route("DELETE", "/api/v2/deals/search"),
            RouteMatch::WrongMethod { allow: "GET", .. }
        ));
    }

    #[test]
    fn the_table_has_no_duplicates_and_lists_every_route_once() {
        let ops = served_operations();
        let mut unique = ops.clone();
        unique.dedup();
        assert_eq!(unique.len(), ops.len());
        assert!(ops.contains(&("GET".to_string(), "v2:/deals/{id}".to_string())));
        assert!(ops.contains(&("PATCH".to_string(), "v1:/leads/{id}".to_string())));
        assert!(ops
            .iter()
            .all(|(_, t)| t.starts_with("v1:/") || t.starts_with("v2:/")));
    }
}
