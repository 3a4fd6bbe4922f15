//! ORDER BY: what the API sorts, the bounded top-N sort, LIMIT pushdown,
//! DISTINCT and cancellation of long local work.

use super::*;
use crate::diag::SqlState;
use crate::sql::plan::{Node, StatementBody};

/// The root of the main query, below the final projection.
fn has_sort(prepared: &Prepared) -> bool {
    fn walk(node: &Node) -> bool {
        match node {
            Node::Sort { .. } => true,
            Node::Filter { input, .. }
            | Node::Project { input, .. }
            | Node::Distinct { input }
            | Node::Limit { input, .. } => walk(input),
            _ => false,
        }
    }
    match prepared.query_plan().map(|p| &p.body) {
        Some(StatementBody::Query(q)) => walk(&q.root),
        _ => false,
    }
}

fn id_column(rows: &[Row]) -> Vec<i64> {
    rows.iter()
        .map(|r| match r[0] {
            Value::Int(n) => n,
            _ => -1,
        })
        .collect()
}

#[test]
fn order_by_id_is_the_apis_order_and_the_limit_is_pushed() {
    let api = crm(1200, 10);
    let sql = "SELECT Id, Title FROM Deals ORDER BY Id LIMIT 3 OFFSET 2";
    assert!(!has_sort(&prepare(&api, sql).unwrap()), "no local sort");
    let rows = run(&api, sql);
    assert_eq!(id_column(&rows), vec![3, 4, 5]);
    let requests = api.requests_to("Deals");
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].param("limit"), Some("5"), "LIMIT + OFFSET rows");
}

#[test]
fn descending_id_is_pushed_when_the_endpoint_sorts_by_id() {
    let api = crm(1200, 10);
    let sql = "SELECT Id FROM Deals ORDER BY Id DESC LIMIT 4";
    let rows = run(&api, sql);
    assert_eq!(id_column(&rows), vec![1200, 1199, 1198, 1197]);
    let deals = api.table("Deals");
    let requests = api.requests_to("Deals");
    if deals.sort_key_for("Id").is_some() {
        assert!(!has_sort(&prepare(&api, sql).unwrap()));
        assert_eq!(requests.len(), 1);
        assert_eq!(requests[0].param("sort_by"), Some("id"));
        assert_eq!(requests[0].param("sort_direction"), Some("desc"));
    } else {
        // Without a declared sort, every page is read and a top-4 kept.
        assert!(has_sort(&prepare(&api, sql).unwrap()));
        assert_eq!(requests.len(), 3);
    }
}

#[test]
fn nullable_or_unsortable_keys_are_sorted_locally_with_a_bounded_buffer() {
    let api = crm(3000, 10);
    let sql = "SELECT Id, Value FROM Deals ORDER BY Value DESC, Id LIMIT 7";
    assert!(has_sort(&prepare(&api, sql).unwrap()));
    let rows = run(&api, sql);
    let mut all: Vec<(Value, i64)> = api
        .rows("Deals")
        .iter()
        .map(|d| {
            let Value::Int(id) = api.value("Deals", d, "Id") else {
                unreachable!()
            };
            (api.value("Deals", d, "Value").clone(), *id)
        })
        .collect();
    // DESC puts NULLs last (they sort low).
    all.sort_by(|a, b| b.0.order_cmp(&a.0).then(a.1.cmp(&b.1)));
    let expected: Vec<Row> = all
        .into_iter()
        .take(7)
        .map(|(v, id)| vec![int(id), v])
        .collect();
    assert_eq!(rows, expected);
    // Ascending: NULLs first; NULLS LAST moves them.
    let first = run(&api, "SELECT Value FROM Deals ORDER BY Value LIMIT 1");
    assert_eq!(first, vec![vec![Value::Null]]);
    let first = run(
        &api,
        "SELECT Value FROM Deals ORDER BY Value NULLS LAST LIMIT 1",
    );
    assert!(!first[0][0].is_null());
}

#[test]
fn order_by_positions_aliases_and_hidden_expressions() {
    let api = crm(30, 10);
    let by_alias = run(
        &api,
        "SELECT Id AS n, Title FROM Deals ORDER BY n DESC LIMIT 2",
    );
    assert_eq!(id_column(&by_alias), vec![30, 29]);
    let by_position = run(&api, "SELECT Title, Id FROM Deals ORDER BY 2 DESC LIMIT 2");
    assert_eq!(by_position[0][1], int(30));
    // A key outside the select list is not returned.
    let hidden = run(&api, "SELECT Title FROM Deals ORDER BY Id DESC LIMIT 1");
    assert_eq!(hidden[0].len(), 1);
    let e = run_err(&api, "SELECT DISTINCT Title FROM Deals ORDER BY Id");
    assert_eq!(e.state, SqlState::SyntaxError);
    let e = run_err(&api, "SELECT Title FROM Deals ORDER BY 3");
    assert_eq!(e.state, SqlState::SyntaxError);
}

#[test]
fn distinct_treats_nulls_as_equal() {
    let api = crm(40, 10);
    let rows = run(&api, "SELECT DISTINCT OwnerId FROM Deals ORDER BY OwnerId");
    assert_eq!(
        rows,
        vec![
            vec![Value::Null],
            vec![int(1)],
            vec![int(2)],
            vec![int(3)],
            vec![int(4)]
        ]
    );
}

#[test]
fn cancellation_stops_local_work() {
    use crate::sql::exec::{AggregateRows, DistinctRows, ExecContext, SortRows};
    use crate::sql::expr::Expr;
    use crate::sql::plan::SortKey;
    use crate::sql::{RowSource, VecSource};
    let api = crm(1, 1);
    let cancel = Arc::new(AtomicBool::new(false));
    let ctx = Arc::new(ExecContext {
        backend: api.clone(),
        params: Vec::new(),
        env: env(),
        cancel: cancel.clone(),
    });
    // Rows already in memory: no page boundary to notice the flag at.
    let rows: Vec<Row> = (0..10_000).map(|i| vec![int(i % 77)]).collect();
    let input = || Box::new(VecSource::new(rows.clone()));
    let raise = || cancel.store(true, std::sync::atomic::Ordering::SeqCst);
    let key = SortKey {
        column: 0,
        descending: true,
        nulls_first: false,
    };
    raise();
    let mut sort = SortRows::new(input(), vec![key.clone()], None, ctx.clone());
    assert_eq!(
        sort.next_row().unwrap_err().state,
        SqlState::OperationCanceled
    );
    raise();
    let mut top = SortRows::new(input(), vec![key], Some(3), ctx.clone());
    assert_eq!(
        top.next_row().unwrap_err().state,
        SqlState::OperationCanceled
    );
    raise();
    let mut groups = AggregateRows::new(input(), vec![Expr::Column(0)], Vec::new(), ctx.clone());
    assert_eq!(
        groups.next_row().unwrap_err().state,
        SqlState::OperationCanceled
    );
    raise();
    let mut distinct = DistinctRows::new(input(), ctx.clone());
    let mut result = Ok(None);
    for _ in 0..10_000 {
        result = distinct.next_row();
        if result.is_err() {
            break;
        }
    }
    assert_eq!(result.unwrap_err().state, SqlState::OperationCanceled);
    // The flag is reset once reported: the same work runs to the end.
    let mut sort = SortRows::new(input(), Vec::new(), None, ctx);
    assert!(sort.next_row().unwrap().is_some());
}
