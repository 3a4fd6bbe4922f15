//! What a request costs from the daily token budget.
//!
//! Operations in the specs cost their `x-token-cost` (the generated table
//! in [`super::token_costs`]). A path that is no operation (a 404, a wrong
//! method) is priced by the rules REFERENCE.md section 5.1 draws from those
//! costs: v2 lists 10, single records 1, writes 5, deletes 3; v1 twice that.

use super::token_costs::TOKEN_COSTS;

/// The cost of the operation `endpoint` (`GET /api/v2/deals/{id}`), or of a
/// request for `method path` that matched none.
pub(crate) fn token_cost(endpoint: Option<&str>, method: &str, path: &str) -> u32 {
    if let Some(key) = endpoint {
        if let Ok(i) = TOKEN_COSTS.binary_search_by(|(k, _)| (*k).cmp(key)) {
            return TOKEN_COSTS[i].1;
        }
    }
    rule_of_thumb(method, path)
}

fn rule_of_thumb(method: &str, path: &str) -> u32 {
    let v2 = path.starts_with("/api/v2");
    let last_segment = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    let single_record =
        !last_segment.is_empty() && last_segment.bytes().all(|b| b.is_ascii_digit());
    let v2_cost = match method {
        "GET" | "HEAD" if single_record => 1,
        "GET" | "HEAD" => 10,
        "DELETE" => 3,
        _ => 5,
    };
    if v2 {
        v2_cost
    } else {
        v2_cost * 2
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_for_binary_search() {
        assert!(TOKEN_COSTS.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn spec_costs_first_then_the_rules() {
        // x-token-cost in v2.yaml and v1.yaml.
        assert_eq!(
            token_cost(Some("GET /api/v2/deals"), "GET", "/api/v2/deals"),
            10
        );
        assert_eq!(
            token_cost(Some("GET /api/v2/deals/{id}"), "GET", "/api/v2/deals/3"),
            1
        );
        assert_eq!(
            token_cost(Some("GET /api/v2/stages"), "GET", "/api/v2/stages"),
            5
        );
        assert_eq!(
            token_cost(Some("GET /api/v1/users"), "GET", "/v1/users"),
            20
        );
        assert_eq!(
            token_cost(Some("GET /api/v1/users/me"), "GET", "/v1/users/me"),
            2
        );
        // Not operations: the rules.
        assert_eq!(token_cost(None, "GET", "/api/v2/nothing/7"), 1);
        assert_eq!(token_cost(None, "GET", "/api/v1/nothing"), 20);
        assert_eq!(
            token_cost(Some("PUT /api/v2/deals"), "PUT", "/api/v2/deals"),
            5
        );
        assert_eq!(token_cost(None, "DELETE", "/v1/nothing/7"), 6);
    }
}
