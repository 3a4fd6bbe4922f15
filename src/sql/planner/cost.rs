//! The cost model of joins, counted in API requests (what a Pipedrive
//! query costs: latency and rate-limit budget), using only what is known.
//!
//! A table joined on its id (`Deals d JOIN Persons p ON d.PersonId = p.Id`)
//! can be scanned whole and hash-joined, or fetched by the ids the outer
//! rows reference. With `k` the number of distinct non-NULL keys:
//!
//! * `scan(T)`: 1 request for an unpaged endpoint; otherwise one per page of
//!   the table, whose size is unknown when planning. An entity list that has
//!   an `ids` filter (deals, persons, organizations) is assumed to fill
//!   `ASSUMED_ENTITY_SCAN_PAGES` pages; reference lists without one
//!   (pipelines, stages, field lists) one page.
//! * `ids(k)`: `ceil(k / max ids per request)` with an `ids` list filter,
//!   `k` with get-by-id only.
//!
//! At plan time, when the outer side's rows are bounded (it is fetched by
//! id, by a pushed `ids` list or with a pushed LIMIT), `k` is at most that
//! bound, and the ids are fetched iff `ids(bound) <= scan(T)`. When it is
//! unbounded, ids are fetched only with an `ids` list filter: in batches as
//! keys arrive, switching to one scan once the id requests reach `scan(T)`,
//! so a wrong guess costs at most `scan(T)` extra requests. At run time the
//! keys are counted per batch, and an outer side without keys makes no
//! request to the inner table at all.

use crate::model::{Paging, RowShape, TableDef};
use crate::sql::plan::{Access, IdFetch, JoinStrategy, Node, Operand, ScanPlan};
use crate::value::Value;

use super::pushdown::ids_filter;

/// Pages assumed for scanning an entity list nothing bounds (5,000 rows at
/// 500 a page).
pub const ASSUMED_ENTITY_SCAN_PAGES: u64 = 10;

/// Outer rows an id-lookup batch holds at most when their keys repeat.
pub const ID_BATCH_ROWS: usize = 5_000;

fn literal_count(op: &Operand) -> Option<u64> {
    match op {
        Operand::Literal(Value::Int(n)) if *n >= 0 => Some(*n as u64),
        _ => None,
    }
}

fn min_known(a: Option<u64>, b: Option<u64>) -> Option<u64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Rows a scan yields at most, when its request bounds them.
pub fn scan_row_bound(scan: &ScanPlan) -> Option<u64> {
    if let Access::ById(_) = scan.access {
        return Some(1);
    }
    // Bounds on records say nothing of the rows when a record gives many.
    if scan.table.row_shape != RowShape::PerRecord {
        return None;
    }
    let by_ids = ids_filter(&scan.table)
        .and_then(|(param, _)| scan.pushed(param))
        .map(|p| p.values.len() as u64);
    min_known(by_ids, scan.fetch_limit.as_ref().and_then(literal_count))
}

/// Rows a node yields at most, when known at plan time.
pub fn row_bound(node: &Node) -> Option<u64> {
    match node {
        Node::SingleRow => Some(1),
        Node::Scan(scan) => scan_row_bound(scan),
        Node::System(_) => None,
        Node::Filter { input, .. }
        | Node::Project { input, .. }
        | Node::Distinct { input }
        | Node::Sort { input, .. } => row_bound(input),
        Node::Limit { input, limit, .. } => {
            min_known(limit.as_ref().and_then(literal_count), row_bound(input))
        }
        // An id lookup matches each outer row with one row at most.
        Node::Join(join) => match (&join.strategy, &join.right) {
            (JoinStrategy::IdLookup(lookup), Node::Scan(inner))
                if inner.table.row_shape == RowShape::PerRecord
                    && !matches!(lookup.fetch, IdFetch::Children { .. }) =>
            {
                row_bound(&join.left)
            }
            _ => None,
        },
        Node::Aggregate(aggregate) if aggregate.group_by.is_empty() => Some(1),
        Node::Aggregate(aggregate) => row_bound(&aggregate.input),
        Node::Union { inputs, .. } => inputs
            .iter()
            .map(row_bound)
            .try_fold(0u64, |sum, b| Some(sum.saturating_add(b?))),
    }
}

/// `scan(T)` for a table nothing bounds.
pub fn assumed_scan_requests(table: &TableDef) -> u64 {
    match table.endpoint.paging {
        Paging::Unpaged => 1,
        _ if ids_filter(table).is_some() => ASSUMED_ENTITY_SCAN_PAGES,
        _ => 1,
    }
}

/// `ids(k)`.
pub fn id_fetch_requests(keys: u64, fetch: &IdFetch) -> u64 {
    match fetch {
        IdFetch::List { max, .. } => keys.div_ceil((*max as u64).max(1)),
        IdFetch::GetById => keys,
        // At least: a parent with many rows takes more pages.
        IdFetch::Children { per_request } => keys.div_ceil((*per_request as u64).max(1)),
    }
}

/// Requests a scan makes, when known at plan time.
pub fn scan_requests(scan: &ScanPlan) -> Option<u64> {
    match scan.access {
        Access::ById(_) => return Some(1),
        // One request per parent at least, and a parent may need more.
        Access::Parents { .. } | Access::SubqueryParents { .. } | Access::ParentWalk { .. } => {
            return None
        }
        Access::List(_) => {}
    }
    let page = match scan.table.endpoint.paging.max_limit() {
        None => return Some(1),
        Some(page) => u64::from(page).max(1),
    };
    // An empty answer still takes one request.
    scan_row_bound(scan).map(|rows| rows.div_ceil(page).max(1))
}

/// How the inner table of an id join is fetched, if by id: the method and
/// the request budget after which it switches to a scan.
pub fn choose_id_fetch(
    table: &TableDef,
    outer_bound: Option<u64>,
) -> Option<(IdFetch, Option<u64>)> {
    let fetch = match ids_filter(table) {
        Some((param, max)) => IdFetch::List { param, max },
        None if table.endpoint.get_by_id => IdFetch::GetById,
        None => return None,
    };
    let scan = assumed_scan_requests(table);
    match outer_bound {
        Some(bound) => (id_fetch_requests(bound, &fetch) <= scan).then_some((fetch, None)),
        None => matches!(fetch, IdFetch::List { .. }).then_some((fetch, Some(scan))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Schema;

    #[test]
    fn ids_are_fetched_when_they_cost_no_more_than_a_scan() {
        let schema = Schema::builtin();
        let persons = schema.table("Persons").unwrap();
        let users = schema.table("Users").unwrap();
        let stages = schema.table("Stages").unwrap();
        // Unbounded outer side: batches of ids, with the scan as budget.
        let (fetch, budget) = choose_id_fetch(persons, None).unwrap();
        assert_eq!(
            fetch,
            IdFetch::List {
                param: "ids",
                max: 100
            }
        );
        assert_eq!(budget, Some(ASSUMED_ENTITY_SCAN_PAGES));
        // 1,000 keys = 10 requests = the assumed scan; 1,001 are more.
        assert!(choose_id_fetch(persons, Some(1000)).is_some());
        assert!(choose_id_fetch(persons, Some(1001)).is_none());
        // Users come in one unpaged request: only one key is as cheap.
        assert_eq!(
            choose_id_fetch(users, Some(1)),
            Some((IdFetch::GetById, None))
        );
        assert!(choose_id_fetch(users, Some(2)).is_none());
        assert!(choose_id_fetch(users, None).is_none());
        // Stages: one page assumed, get-by-id only.
        assert!(choose_id_fetch(stages, None).is_none());
        assert!(choose_id_fetch(stages, Some(1)).is_some());
    }

    #[test]
    fn request_counts() {
        assert_eq!(
            id_fetch_requests(
                0,
                &IdFetch::List {
                    param: "ids",
                    max: 100
                }
            ),
            0
        );
        assert_eq!(
            id_fetch_requests(
                101,
                &IdFetch::List {
                    param: "ids",
                    max: 100
                }
            ),
            2
        );
        assert_eq!(id_fetch_requests(3, &IdFetch::GetById), 3);
    }
}
