//! What a planned statement is: a tree of row-producing nodes, the API
//! requests at its leaves (with the parameters pushed to them) and the local
//! operations above them, plus the uncorrelated subqueries computed first.
//!
//! Pushdown only narrows what is fetched: every predicate is evaluated
//! locally too, so a pushed one can never change results.

use crate::model::TableDef;
use crate::sql::compile::SubqueryUse;
use crate::sql::expr::Expr;
use crate::sql::result::ResultColumn;
use crate::sql::system_tables::SystemTable;
use crate::types::DataType;
use crate::value::Value;
use std::sync::Arc;

/// A value known at prepare time or read from a parameter at execution.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    Literal(Value),
    Param(usize),
}

/// One query parameter of a list request.
#[derive(Debug, Clone, PartialEq)]
pub struct PushedParam {
    pub name: String,
    /// The column's type: values are converted to it, then formatted the way
    /// the API expects (RFC 3339 for times).
    pub data_type: DataType,
    pub values: Vec<Operand>,
}

/// How rows are obtained from the API.
#[derive(Debug, Clone, PartialEq)]
pub enum Access {
    /// `GET /{path}/{id}`: one record at most.
    ById(Operand),
    /// A list request with query parameters (values resolved at execution).
    List(Vec<PushedParam>),
    /// A child table's rows of the parents the WHERE clause names
    /// (`DealId = 5`, `DealId IN (1, 2)`): one request per parent, or per
    /// batch of parents where the endpoint takes a list; `params` are the
    /// other list parameters.
    Parents {
        ids: Vec<Operand>,
        params: Vec<PushedParam>,
    },
    /// A child table's rows of the parents `parent_column IN (subquery)`
    /// yields: the subquery (slot `slot` of `EvalEnv::subqueries`) runs
    /// first, then each of its values is one parent.
    SubqueryParents {
        slot: usize,
        params: Vec<PushedParam>,
    },
    /// A child table nothing narrows to some parents: the parent table's
    /// ids are listed first, then the rows of each parent requested.
    ParentWalk {
        parent: Arc<TableDef>,
        params: Vec<PushedParam>,
    },
}

impl Access {
    /// The list parameters sent with each request.
    pub fn params(&self) -> &[PushedParam] {
        match self {
            Access::ById(_) => &[],
            Access::List(params)
            | Access::Parents { params, .. }
            | Access::SubqueryParents { params, .. }
            | Access::ParentWalk { params, .. } => params,
        }
    }
}

/// An order the list endpoint produces itself.
#[derive(Debug, Clone, PartialEq)]
pub struct PushedSort {
    /// The `sort_by` value; `None` for the endpoint's default order (id
    /// ascending), which needs no parameter.
    pub api_name: Option<&'static str>,
    pub descending: bool,
}

/// A list filter whose values an `col IN (subquery)` conjunct supplies once
/// the subquery has run: sent when they fit one request (`max` values).
#[derive(Debug, Clone, PartialEq)]
pub struct SubqueryParam {
    pub name: String,
    pub data_type: DataType,
    /// The subquery's slot in `EvalEnv::subqueries`.
    pub slot: usize,
    pub max: usize,
}

/// Rows of one API table: the request(s), then the table's own predicates.
#[derive(Debug)]
pub struct ScanPlan {
    pub table: Arc<TableDef>,
    /// The name the query gives the table (its alias, else its name).
    pub label: String,
    pub access: Access,
    /// Rows the API should stop after (LIMIT + OFFSET, when nothing between
    /// the scan and the LIMIT can drop or reorder rows).
    pub fetch_limit: Option<Operand>,
    pub sort: Option<PushedSort>,
    /// Filters fed by `IN (subquery)`, decided at execution.
    pub subquery_params: Vec<SubqueryParam>,
    /// The table's conjuncts, over the table's row, evaluated locally.
    pub filter: Option<Expr>,
    /// Whether every conjunct of `filter` is also enforced by the API.
    pub fully_pushed: bool,
}

impl ScanPlan {
    /// The list parameter of `ids` when one is pushed, with its values.
    pub fn pushed(&self, name: &str) -> Option<&PushedParam> {
        self.access.params().iter().find(|p| p.name == name)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinKind {
    /// INNER, CROSS and comma joins.
    Inner,
    /// LEFT [OUTER]: unmatched left rows are kept, the right side NULL.
    Left,
}

/// Which side of a hash join is held in memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuildSide {
    Left,
    Right,
}

/// How the right table of an id lookup is asked for ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdFetch {
    /// A list request with `param=1,2,3`, at most `max` ids per request.
    List { param: &'static str, max: usize },
    /// `GET /{path}/{id}`, one request per id.
    GetById,
    /// A child table's rows by parent id: one request per parent, or
    /// `per_request` parents a request where the endpoint takes a list.
    Children { per_request: usize },
}

/// Fetching the right table by the ids the left rows reference, in batches,
/// instead of scanning it.
#[derive(Debug)]
pub struct IdLookup {
    /// The key over the left row.
    pub left_key: Expr,
    /// Position of the right table's id column in its row.
    pub right_id_column: usize,
    pub fetch: IdFetch,
    /// Id requests after which the join switches to scanning the right
    /// table (the cost model's estimate of a full scan); `None`: never.
    pub request_budget: Option<u64>,
}

#[derive(Debug)]
pub enum JoinStrategy {
    /// Every left row against every (held) right row.
    NestedLoop,
    /// Equal keys meet in a hash table of the build side.
    Hash {
        left_keys: Vec<Expr>,
        right_keys: Vec<Expr>,
        build: BuildSide,
    },
    /// The right side must be a `Node::Scan`.
    IdLookup(IdLookup),
}

#[derive(Debug)]
pub struct JoinPlan {
    pub kind: JoinKind,
    pub left: Node,
    pub right: Node,
    /// Columns of the right side (what a LEFT JOIN fills with NULLs).
    pub right_width: usize,
    pub strategy: JoinStrategy,
    /// What else a matching pair must satisfy, over the joined row (left
    /// columns then right columns).
    pub condition: Option<Expr>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AggregateFunction {
    /// COUNT(*)
    CountRows,
    Count,
    Sum,
    Avg,
    Min,
    Max,
}

impl AggregateFunction {
    pub fn name(self) -> &'static str {
        match self {
            AggregateFunction::CountRows | AggregateFunction::Count => "COUNT",
            AggregateFunction::Sum => "SUM",
            AggregateFunction::Avg => "AVG",
            AggregateFunction::Min => "MIN",
            AggregateFunction::Max => "MAX",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct AggregateCall {
    pub function: AggregateFunction,
    /// Over the input row; `None` for COUNT(*).
    pub arg: Option<Expr>,
    pub distinct: bool,
    pub arg_type: DataType,
    pub result_type: DataType,
}

/// Groups the input; the output row is the group values, then the
/// aggregates. Without GROUP BY there is exactly one group, even over no
/// input.
#[derive(Debug)]
pub struct AggregatePlan {
    pub input: Node,
    pub group_by: Vec<Expr>,
    pub aggregates: Vec<AggregateCall>,
}

/// One ORDER BY key, by position in the row being sorted.
#[derive(Debug, Clone, PartialEq)]
pub struct SortKey {
    pub column: usize,
    pub descending: bool,
    pub nulls_first: bool,
}

#[derive(Debug)]
pub enum Node {
    /// SELECT without FROM: one empty row.
    SingleRow,
    Scan(Box<ScanPlan>),
    /// A virtual table built from the data model.
    System(SystemTable),
    Filter {
        input: Box<Node>,
        predicate: Expr,
    },
    Project {
        input: Box<Node>,
        exprs: Vec<Expr>,
    },
    Join(Box<JoinPlan>),
    Aggregate(Box<AggregatePlan>),
    /// Drops rows equal to an earlier one (NULLs equal).
    Distinct {
        input: Box<Node>,
    },
    /// `keep`: only the first `offset + limit` rows are wanted (a bounded
    /// top-N buffer instead of all rows).
    Sort {
        input: Box<Node>,
        keys: Vec<SortKey>,
        keep: Option<(Option<Operand>, Operand)>,
    },
    Limit {
        input: Box<Node>,
        offset: Option<Operand>,
        limit: Option<Operand>,
    },
    /// Rows of each input in turn, converted to the common column types.
    Union {
        inputs: Vec<Node>,
        column_types: Vec<DataType>,
        distinct: bool,
    },
}

/// A query: its rows and how they are described.
#[derive(Debug)]
pub struct QueryPlan {
    pub root: Node,
    pub columns: Vec<ResultColumn>,
    /// (result column, parameter) pairs of select items that are a bare
    /// parameter: their type is the parameter's, known once it is bound.
    pub param_columns: Vec<(usize, usize)>,
}

/// An uncorrelated subquery, run once before the statement's rows.
#[derive(Debug)]
pub struct SubqueryPlan {
    pub usage: SubqueryUse,
    pub plan: QueryPlan,
}

#[derive(Debug)]
pub enum StatementBody {
    Query(QueryPlan),
    /// EXPLAIN: the rows describing the plan, fixed at prepare time.
    Explain(Vec<Vec<Value>>),
}

#[derive(Debug)]
pub struct StatementPlan {
    /// In execution order: a subquery only reads the ones before it.
    pub subqueries: Vec<SubqueryPlan>,
    pub body: StatementBody,
}
