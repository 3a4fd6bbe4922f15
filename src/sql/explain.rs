//! EXPLAIN: the plan as rows, in execution order: the API requests (which
//! endpoint, with what pushed parameters, how many requests when known)
//! and the local operations (filters, joins, aggregates, sorts, limits).

use crate::model::{InputDefault, ParentParam, RowShape, TableDef};
use crate::sql::compile::SubqueryUse;
use crate::sql::plan::{
    Access, AggregateFunction, BuildSide, IdFetch, IdLookup, JoinKind, JoinStrategy, Node, Operand,
    PushedParam, QueryPlan, ScanPlan, SubqueryPlan,
};
use crate::sql::planner::{fixed_params, id_fetch_requests, row_bound, scan_requests};
use crate::sql::result::ResultColumn;
use crate::sql::system_tables::SystemTable;
use crate::types::DataType;
use crate::value::Value;

/// The columns of an EXPLAIN result.
pub fn columns() -> Vec<ResultColumn> {
    vec![
        ResultColumn::computed("Step", DataType::Integer, false),
        ResultColumn::computed("Operation", DataType::WVarchar(64), false),
        ResultColumn::computed("Endpoint", DataType::WVarchar(255), true),
        ResultColumn::computed("Parameters", DataType::WVarchar(2000), true),
        ResultColumn::computed("EstimatedRequests", DataType::WVarchar(64), true),
        ResultColumn::computed("Detail", DataType::WVarchar(2000), true),
    ]
}

/// A request estimate: known, or not before the query runs.
#[derive(Clone, Copy)]
enum Requests {
    None,
    Exactly(u64),
    AtMost(u64),
    /// Child requests: one per parent, more for a parent with many rows.
    AtLeast(u64),
    Unknown,
}

impl Requests {
    fn text(self) -> Option<String> {
        match self {
            Requests::None => None,
            Requests::Exactly(n) => Some(n.to_string()),
            Requests::AtMost(n) => Some(format!("at most {n}")),
            Requests::AtLeast(n) => Some(format!("at least {n}")),
            Requests::Unknown => Some("unknown".to_string()),
        }
    }

    fn bound(self) -> Option<u64> {
        match self {
            Requests::None => Some(0),
            Requests::Exactly(n) | Requests::AtMost(n) => Some(n),
            Requests::AtLeast(_) | Requests::Unknown => None,
        }
    }
}

struct Step {
    operation: String,
    endpoint: Option<String>,
    parameters: Option<String>,
    requests: Requests,
    detail: Option<String>,
}

fn local(operation: impl Into<String>, detail: impl Into<Option<String>>) -> Step {
    Step {
        operation: operation.into(),
        endpoint: None,
        parameters: None,
        requests: Requests::None,
        detail: detail.into(),
    }
}

fn operand_text(op: &Operand) -> String {
    match op {
        Operand::Literal(v) => v.to_text().unwrap_or_else(|| "NULL".into()),
        Operand::Param(i) => format!("?{}", i + 1),
    }
}

fn list_parameters_of(params: &[PushedParam]) -> Vec<String> {
    params.iter().map(param_text).collect()
}

fn param_text(p: &PushedParam) -> String {
    let values: Vec<String> = p.values.iter().map(operand_text).collect();
    format!("{}={}", p.name, values.join(","))
}

fn endpoint(scan: &ScanPlan, by_id: bool) -> String {
    let e = &scan.table.endpoint;
    if by_id {
        format!("GET {}/{}/{{id}}", e.version.prefix(), e.path)
    } else {
        format!("GET {}/{}", e.version.prefix(), e.path)
    }
}

/// The query parameters of a list scan, besides the id list of a lookup.
fn list_parameters(scan: &ScanPlan) -> Vec<String> {
    let mut out = Vec::new();
    let params = scan.access.params();
    out.extend(params.iter().map(param_text));
    for (param, default) in &scan.table.input_defaults {
        if !params.iter().any(|p| p.name == *param) {
            out.push(format!("{param}={}", default_text(*default)));
        }
    }
    for p in &scan.subquery_params {
        out.push(format!(
            "{}=<values of subquery {}, if at most {}>",
            p.name,
            p.slot + 1,
            p.max
        ));
    }
    if let Some(sort) = &scan.sort {
        if let Some(api) = sort.api_name {
            out.push(format!("sort_by={api}"));
            out.push(format!(
                "sort_direction={}",
                if sort.descending { "desc" } else { "asc" }
            ));
        }
    }
    // A row limit reaches the API only when each record is one row.
    let limit = scan
        .fetch_limit
        .as_ref()
        .filter(|_| scan.table.row_shape == RowShape::PerRecord);
    if let Some(limit) = limit {
        // Pages of at most the endpoint's maximum, until the limit is met.
        let page = match (limit, scan.table.endpoint.paging.max_limit()) {
            (Operand::Literal(Value::Int(n)), Some(max)) => (*n).min(i64::from(max)).to_string(),
            (other, _) => operand_text(other),
        };
        out.push(format!("limit={page}"));
    }
    out
}

/// A default as EXPLAIN shows it (computed when the statement runs).
fn default_text(default: InputDefault) -> String {
    match default {
        InputDefault::Text(t) => t.to_string(),
        other => format!("<{}>", other.describe()),
    }
}

/// How a child table's request names its parents.
fn parent_text(table: &TableDef, values: &str) -> String {
    match table.parent.as_ref().map(|p| p.param) {
        Some(ParentParam::Query(p)) | Some(ParentParam::QueryList { param: p, .. }) => {
            format!("{p}={values}")
        }
        _ => format!("{{id}}={values}"),
    }
}

/// "one request per parent" or "100 parents a request".
fn per_parent_text(table: &TableDef) -> String {
    match table.parent.as_ref().map(|p| p.param.per_request()) {
        Some(n) if n > 1 => format!("{n} parents a request"),
        _ => "one request per parent".to_string(),
    }
}

/// "1 key", "2 keys".
fn count_of(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

fn joined(parts: Vec<String>) -> Option<String> {
    (!parts.is_empty()).then(|| parts.join("&"))
}

struct Explainer {
    steps: Vec<Step>,
    /// The sum of the request counts, while every one is known.
    total: Option<u64>,
    /// Whether some count is only an upper bound.
    total_is_bound: bool,
}

impl Explainer {
    fn push(&mut self, step: Step) {
        self.total = match (self.total, step.requests.bound()) {
            (Some(t), Some(n)) => Some(t.saturating_add(n)),
            _ => None,
        };
        self.total_is_bound |= matches!(step.requests, Requests::AtMost(_));
        self.steps.push(step);
    }

    /// A child table's requests: the parent walk (if any), then the
    /// requests per parent.
    fn child_scan(&mut self, scan: &ScanPlan) {
        let table = &scan.table;
        let parent_name = table.parent.as_ref().map_or("", |p| p.table);
        let (values, requests) = match &scan.access {
            Access::Parents { ids, .. } => {
                let values: Vec<String> = ids.iter().map(operand_text).collect();
                let per = table.parent.as_ref().map_or(1, |p| p.param.per_request());
                (
                    values.join(","),
                    Requests::AtLeast((ids.len() as u64).div_ceil(per as u64)),
                )
            }
            Access::SubqueryParents { slot, .. } => (
                format!("<values of subquery {}>", slot + 1),
                Requests::Unknown,
            ),
            Access::ParentWalk { parent, .. } => {
                let mut params = list_parameters_of(&fixed_params(parent));
                params.retain(|p| !p.is_empty());
                self.push(Step {
                    operation: "List parent ids".to_string(),
                    endpoint: Some(format!(
                        "GET {}/{}",
                        parent.endpoint.version.prefix(),
                        parent.endpoint.path
                    )),
                    parameters: joined(params),
                    requests: Requests::Unknown,
                    detail: Some(format!(
                        "every {} id (the parents of {}), page by page as the rows are read",
                        parent.name, table.name
                    )),
                });
                (format!("<each {parent_name} id>"), Requests::Unknown)
            }
            _ => return,
        };
        let mut params = vec![parent_text(table, &values)];
        params.extend(list_parameters(scan));
        let mut detail = format!("table {} ({})", table.name, per_parent_text(table));
        if scan.label != table.name {
            detail.push_str(&format!(" AS {}", scan.label));
        }
        self.push(Step {
            operation: "Fetch per parent".to_string(),
            endpoint: Some(endpoint(scan, false)),
            parameters: joined(params),
            requests,
            detail: Some(detail),
        });
        if scan.filter.is_some() {
            let how = if scan.fully_pushed {
                "rechecked locally (the API applies them too)"
            } else {
                "evaluated locally"
            };
            self.push(local(
                "Filter",
                Some(format!("conditions on {} {how}", scan.label)),
            ));
        }
    }

    fn scan(&mut self, scan: &ScanPlan) {
        let (operation, by_id, parameters) = match &scan.access {
            Access::ById(id) => ("Get by id", true, Some(format!("id={}", operand_text(id)))),
            Access::List(_) => ("List request", false, joined(list_parameters(scan))),
            Access::Parents { .. } | Access::SubqueryParents { .. } | Access::ParentWalk { .. } => {
                return self.child_scan(scan)
            }
        };
        let requests = match scan_requests(scan) {
            Some(n) => Requests::Exactly(n),
            None => Requests::Unknown,
        };
        let mut detail = format!("table {}", scan.table.name);
        if scan.label != scan.table.name {
            detail.push_str(&format!(" AS {}", scan.label));
        }
        if let Some(sort) = &scan.sort {
            detail.push_str(&format!(
                "; rows arrive sorted by the API ({})",
                if sort.descending {
                    "descending"
                } else {
                    "ascending"
                }
            ));
        }
        if let Some(limit) = &scan.fetch_limit {
            detail.push_str(&format!("; stops after {} rows", operand_text(limit)));
        }
        self.push(Step {
            operation: operation.to_string(),
            endpoint: Some(endpoint(scan, by_id)),
            parameters,
            requests,
            detail: Some(detail),
        });
        if scan.filter.is_some() {
            let how = if scan.fully_pushed {
                "rechecked locally (the API applies them too)"
            } else {
                "evaluated locally"
            };
            self.push(local(
                "Filter",
                Some(format!("conditions on {} {how}", scan.label)),
            ));
        }
    }

    fn id_lookup(&mut self, lookup: &IdLookup, scan: &ScanPlan, outer: &Node) {
        let keys = "the distinct keys of the outer rows";
        let (endpoint_text, parameters, per) = match &lookup.fetch {
            IdFetch::List { param, max } => {
                let mut params = vec![format!("{param}=<{keys}>")];
                params.extend(list_parameters(scan));
                (
                    endpoint(scan, false),
                    joined(params),
                    format!("{max} ids a request"),
                )
            }
            IdFetch::GetById => (
                endpoint(scan, true),
                Some(format!("id=<each of {keys}>")),
                "one request an id".to_string(),
            ),
            IdFetch::Children { .. } => {
                let mut params = vec![parent_text(&scan.table, &format!("<{keys}>"))];
                params.extend(list_parameters(scan));
                (
                    endpoint(scan, false),
                    joined(params),
                    per_parent_text(&scan.table),
                )
            }
        };
        let requests = match (row_bound(outer), &lookup.fetch) {
            // Each parent takes one request or more: no upper bound.
            (_, IdFetch::Children { .. }) => Requests::Unknown,
            (Some(bound), _) => Requests::AtMost(id_fetch_requests(bound, &lookup.fetch)),
            (None, _) => Requests::Unknown,
        };
        let fallback = match lookup.request_budget {
            Some(budget) => format!("; after {budget} requests the table is scanned instead"),
            None => String::new(),
        };
        self.push(Step {
            operation: "Fetch by ids".to_string(),
            endpoint: Some(endpoint_text),
            parameters,
            requests,
            detail: Some(format!("table {} ({per}{fallback})", scan.table.name)),
        });
        if scan.filter.is_some() {
            self.push(local(
                "Filter",
                Some(format!("conditions on {} evaluated locally", scan.label)),
            ));
        }
    }

    fn node(&mut self, node: &Node) {
        match node {
            Node::SingleRow => self.push(local("Constant row", None)),
            Node::Scan(scan) => self.scan(scan),
            Node::System(table) => {
                let detail = match table {
                    SystemTable::TableColumns => format!(
                        "{} from the data model (custom fields are read once per connection)",
                        table.name()
                    ),
                    _ => format!("{} from the data model", table.name()),
                };
                self.push(Step {
                    requests: Requests::Exactly(0),
                    ..local("System table", Some(detail))
                })
            }
            Node::Filter { input, .. } => {
                self.node(input);
                self.push(local("Filter", None));
            }
            // Computing the select list is not worth a step of its own.
            Node::Project { input, .. } => self.node(input),
            Node::Join(join) => {
                self.node(&join.left);
                let kind = match join.kind {
                    JoinKind::Inner => "INNER",
                    JoinKind::Left => "LEFT",
                };
                let (operation, detail) = match &join.strategy {
                    JoinStrategy::IdLookup(lookup) => {
                        match &join.right {
                            Node::Scan(scan) => self.id_lookup(lookup, scan, &join.left),
                            other => self.node(other),
                        }
                        (
                            "Id lookup join",
                            "inner rows fetched by the outer rows' keys",
                        )
                    }
                    JoinStrategy::Hash { build, .. } => {
                        self.node(&join.right);
                        (
                            "Hash join",
                            match build {
                                BuildSide::Right => "hash table of the inner rows",
                                BuildSide::Left => "hash table of the outer rows",
                            },
                        )
                    }
                    JoinStrategy::NestedLoop => {
                        self.node(&join.right);
                        (
                            "Nested loop join",
                            "inner rows held, each outer row checked against them",
                        )
                    }
                };
                let condition = if join.condition.is_some() {
                    "; more conditions checked on each pair"
                } else {
                    ""
                };
                self.push(local(
                    format!("{operation} ({kind})"),
                    Some(format!("{detail}{condition}")),
                ));
            }
            Node::Aggregate(aggregate) => {
                self.node(&aggregate.input);
                let functions: Vec<String> = aggregate
                    .aggregates
                    .iter()
                    .map(|a| {
                        let name = a.function.name();
                        match (a.function, a.distinct) {
                            (AggregateFunction::CountRows, _) => "COUNT(*)".to_string(),
                            (_, true) => format!("{name}(DISTINCT ...)"),
                            _ => format!("{name}(...)"),
                        }
                    })
                    .collect();
                let groups = if aggregate.group_by.is_empty() {
                    "one group (no GROUP BY)".to_string()
                } else {
                    format!(
                        "GROUP BY {}",
                        count_of(aggregate.group_by.len(), "expression")
                    )
                };
                let detail = if functions.is_empty() {
                    groups
                } else {
                    format!("{groups}; {}", functions.join(", "))
                };
                self.push(local("Aggregate", Some(detail)));
            }
            Node::Distinct { input } => {
                self.node(input);
                self.push(local("Distinct", None));
            }
            Node::Sort { input, keys, keep } => {
                self.node(input);
                let detail = count_of(keys.len(), "key");
                match keep {
                    Some((offset, limit)) => {
                        let first = match offset {
                            Some(o) => format!("{} + {}", operand_text(limit), operand_text(o)),
                            None => operand_text(limit),
                        };
                        self.push(local(
                            "Top-N sort",
                            Some(format!("{detail}; holds only the first {first} rows")),
                        ))
                    }
                    None => self.push(local("Sort", Some(detail))),
                }
            }
            Node::Limit {
                input,
                offset,
                limit,
            } => {
                self.node(input);
                let mut parts = Vec::new();
                if let Some(l) = limit {
                    parts.push(format!("LIMIT {}", operand_text(l)));
                }
                if let Some(o) = offset {
                    parts.push(format!("OFFSET {}", operand_text(o)));
                }
                self.push(local(
                    "Limit",
                    Some(format!("{}; stops reading once reached", parts.join(" "))),
                ));
            }
            Node::Union {
                inputs, distinct, ..
            } => {
                for input in inputs {
                    self.node(input);
                }
                self.push(local(
                    if *distinct { "Union" } else { "Union all" },
                    Some(if *distinct {
                        "duplicate rows removed".to_string()
                    } else {
                        "rows of each query in turn".to_string()
                    }),
                ));
            }
        }
    }
}

/// The rows of EXPLAIN for a query and the subqueries it runs first.
pub fn describe(subqueries: &[SubqueryPlan], plan: &QueryPlan) -> Vec<Vec<Value>> {
    let mut explainer = Explainer {
        steps: Vec::new(),
        total: Some(0),
        total_is_bound: false,
    };
    for (slot, subquery) in subqueries.iter().enumerate() {
        explainer.node(&subquery.plan.root);
        let what = match subquery.usage {
            SubqueryUse::In => "its values held for IN",
            SubqueryUse::Exists => "stops at the first row",
            SubqueryUse::Scalar => "one value",
        };
        explainer.push(local(
            "Subquery",
            Some(format!("subquery {} runs first: {what}", slot + 1)),
        ));
    }
    explainer.node(&plan.root);
    let total = match (explainer.total, explainer.total_is_bound) {
        (Some(n), false) => Requests::Exactly(n),
        (Some(n), true) => Requests::AtMost(n),
        (None, _) => Requests::Unknown,
    };
    explainer.steps.push(Step {
        requests: total,
        ..local(
            "Total",
            Some("API requests of the whole statement".to_string()),
        )
    });
    explainer
        .steps
        .into_iter()
        .enumerate()
        .map(|(i, step)| {
            let text = |s: Option<String>| s.map_or(Value::Null, Value::Text);
            vec![
                Value::Int(i as i64 + 1),
                Value::Text(step.operation),
                text(step.endpoint),
                text(step.parameters),
                text(step.requests.text()),
                text(step.detail),
            ]
        })
        .collect()
}
