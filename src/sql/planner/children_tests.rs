//! Planning of child tables (parents from the WHERE clause, a join or a
//! walk of the parent table), of view inputs, and of the sorts the API can
//! do on NOT NULL times.

use crate::sql::plan::{Access, IdFetch, JoinStrategy, Node, Operand, ScanPlan, StatementBody};
use crate::sql::tests::{crm, prepare, run};
use crate::sql::Prepared;
use crate::value::Value;

/// The scans of a plan, left to right.
fn scans(prepared: &Prepared) -> Vec<&ScanPlan> {
    fn walk<'p>(node: &'p Node, out: &mut Vec<&'p ScanPlan>) {
        match node {
            Node::Scan(scan) => out.push(scan),
            Node::Join(j) => {
                walk(&j.left, out);
                walk(&j.right, out);
            }
            Node::Filter { input, .. }
            | Node::Project { input, .. }
            | Node::Distinct { input }
            | Node::Sort { input, .. }
            | Node::Limit { input, .. } => walk(input, out),
            Node::Aggregate(a) => walk(&a.input, out),
            Node::Union { inputs, .. } => inputs.iter().for_each(|i| walk(i, out)),
            Node::SingleRow | Node::System(_) => {}
        }
    }
    let mut out = Vec::new();
    if let Some(StatementBody::Query(q)) = prepared.query_plan().map(|p| &p.body) {
        walk(&q.root, &mut out);
    }
    out
}

fn join_fetch(prepared: &Prepared) -> Option<IdFetch> {
    fn walk(node: &Node) -> Option<IdFetch> {
        match node {
            Node::Join(j) => match &j.strategy {
                JoinStrategy::IdLookup(l) => Some(l.fetch.clone()),
                _ => walk(&j.left),
            },
            Node::Filter { input, .. }
            | Node::Project { input, .. }
            | Node::Sort { input, .. }
            | Node::Limit { input, .. } => walk(input),
            _ => None,
        }
    }
    match prepared.query_plan().map(|p| &p.body) {
        Some(StatementBody::Query(q)) => walk(&q.root),
        _ => None,
    }
}

#[test]
fn parent_ids_in_the_where_clause_become_per_parent_requests() {
    let api = crm(5, 5);
    let p = prepare(
        &api,
        "SELECT * FROM DealFollowers WHERE DealId IN (1, 2) AND UserId > 3",
    )
    .unwrap();
    let scan = scans(&p)[0];
    match &scan.access {
        Access::Parents { ids, params } => {
            assert_eq!(
                ids,
                &[
                    Operand::Literal(Value::Int(1)),
                    Operand::Literal(Value::Int(2))
                ]
            );
            assert!(params.is_empty(), "{params:?}");
        }
        other => panic!("{other:?}"),
    }
    assert!(!scan.fully_pushed, "UserId > 3 stays local");
    assert!(scan.filter.is_some(), "every conjunct is evaluated locally");

    let p = prepare(
        &api,
        "SELECT * FROM OrganizationRelationships WHERE OrgId = ?",
    )
    .unwrap();
    assert!(matches!(
        &scans(&p)[0].access,
        Access::Parents { ids, .. } if ids == &[Operand::Param(0)]
    ));
}

#[test]
fn parent_ids_of_a_subquery_are_its_values() {
    let api = crm(5, 5);
    let p = prepare(
        &api,
        "SELECT * FROM DealFollowers WHERE DealId IN (SELECT Id FROM Deals WHERE OwnerId = 1)",
    )
    .unwrap();
    assert!(matches!(
        scans(&p)[0].access,
        Access::SubqueryParents { slot: 0, .. }
    ));
    assert!(scans(&p)[0].filter.is_some(), "the IN is rechecked locally");
}

#[test]
fn without_a_parent_filter_the_parent_table_is_walked() {
    let api = crm(5, 5);
    for sql in [
        "SELECT * FROM NoteComments",
        // An OR of parents is not one list: the walk, filtered locally.
        "SELECT * FROM NoteComments WHERE NoteId = 1 OR NoteId = 2",
        "SELECT * FROM NoteComments WHERE NoteId IS NULL",
    ] {
        let p = prepare(&api, sql).unwrap();
        match &scans(&p)[0].access {
            Access::ParentWalk { parent, .. } => assert_eq!(parent.name, "Notes"),
            other => panic!("{sql}: {other:?}"),
        }
    }
    // No sort or row limit is sent to requests of many parents.
    let p = prepare(&api, "SELECT * FROM DealProducts ORDER BY Id LIMIT 5").unwrap();
    let scan = scans(&p)[0];
    assert!(scan.sort.is_none() && scan.fetch_limit.is_none());
}

#[test]
fn a_join_on_the_parent_id_fetches_each_outer_parent() {
    let api = crm(5, 5);
    let p = prepare(
        &api,
        "SELECT d.Id, f.UserId FROM Deals d JOIN DealFollowers f ON f.DealId = d.Id",
    )
    .unwrap();
    assert_eq!(join_fetch(&p), Some(IdFetch::Children { per_request: 1 }));
    let p = prepare(
        &api,
        "SELECT d.Id, x.Quantity FROM Deals d LEFT JOIN DealProducts x ON d.Id = x.DealId",
    )
    .unwrap();
    assert_eq!(join_fetch(&p), Some(IdFetch::Children { per_request: 100 }));
}

#[test]
fn view_inputs_are_pushed_or_defaulted() {
    let api = crm(5, 5);
    let p = prepare(
        &api,
        "SELECT * FROM DealsTimeline WHERE StartDate = '2024-01-01' AND Amount = 3",
    )
    .unwrap();
    let scan = scans(&p)[0];
    assert_eq!(
        scan.pushed("start_date").map(|p| p.values.clone()),
        Some(vec![Operand::Literal(Value::Text("2024-01-01".into()))])
    );
    assert!(scan.pushed("amount").is_some());
    assert!(scan.pushed("exclude_deals").is_some(), "fixed parameter");
    let rows = run(
        &api,
        "EXPLAIN SELECT * FROM DealsTimeline WHERE StartDate = '2024-01-01' AND Amount = 3",
    );
    let parameters = rows[0][3].to_text().unwrap_or_default();
    assert!(parameters.contains("start_date=2024-01-01"), "{parameters}");
    assert!(parameters.contains("amount=3"), "{parameters}");
    assert!(
        parameters.contains("interval=month"),
        "default: {parameters}"
    );
    assert!(
        parameters.contains("field_key=add_time"),
        "default: {parameters}"
    );
}

#[test]
fn not_null_times_sort_in_the_api() {
    let api = crm(5, 5);
    let p = prepare(&api, "SELECT Id FROM Deals ORDER BY AddTime DESC LIMIT 3").unwrap();
    let scan = scans(&p)[0];
    let sort = scan.sort.as_ref().expect("sort pushed");
    assert_eq!(sort.api_name, Some("add_time"));
    assert!(sort.descending);
}
