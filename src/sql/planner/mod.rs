//! Statement -> plan: queries, set operations, subqueries and EXPLAIN. The
//! SELECT itself is planned in `select.rs` (with `from.rs` for FROM, WHERE
//! and joins, `grouping.rs` for aggregates and `pushdown.rs` for what the
//! API does).

#[cfg(test)]
mod children_tests;
mod cost;
mod from;
mod grouping;
mod pushdown;
mod scope;
mod select;

pub use cost::{id_fetch_requests, row_bound, scan_requests, ID_BATCH_ROWS};
pub use pushdown::fixed as fixed_params;

use crate::diag::{OdbcError, Result, SqlState};
use crate::model::{FieldSource, Schema};
use crate::sql::compile::{
    common_type, compile, CompileContext, PlannedSubquery, SubqueryHook, SubqueryUse,
};
use crate::sql::explain;
use crate::sql::expr::{Expr, Scope, TypedExpr};
use crate::sql::plan::{
    Node, Operand, QueryPlan, SortKey, StatementBody, StatementPlan, SubqueryPlan,
};
use crate::sql::result::ResultColumn;
use crate::types::DataType;
use crate::value::Value;
use grouping::AggregateCollector;
use sqlparser::ast::{self, SetExpr, Statement};
use std::collections::HashMap;

/// A planned statement and how it is described before it runs.
pub struct Planned {
    pub plan: StatementPlan,
    pub columns: Vec<ResultColumn>,
    pub param_types: Vec<Option<DataType>>,
    /// (result column, parameter) pairs for select items that are a bare
    /// parameter: their type is the parameter's, known once it is bound.
    pub param_columns: Vec<(usize, usize)>,
}

fn unsupported(what: &str) -> OdbcError {
    OdbcError::not_implemented(what)
}

fn first_words(s: &str) -> String {
    s.split_whitespace().take(2).collect::<Vec<_>>().join(" ")
}

/// Plans one statement; `fields` supplies custom-field definitions the
/// first time a table is used on the connection.
pub fn plan_statement(
    statement: &Statement,
    schema: &Schema,
    fields: &dyn FieldSource,
) -> Result<Planned> {
    let (query, explain) = match statement {
        Statement::Query(query) => (query, false),
        Statement::Explain {
            statement,
            analyze: false,
            ..
        } => match statement.as_ref() {
            Statement::Query(query) => (query, true),
            other => {
                return Err(unsupported(&format!(
                    "EXPLAIN of '{}'",
                    first_words(&other.to_string())
                )))
            }
        },
        Statement::Explain { .. } => return Err(unsupported("EXPLAIN ANALYZE")),
        other => {
            return Err(unsupported(&format!(
                "the statement '{}'",
                first_words(&other.to_string())
            )))
        }
    };
    let mut registry = Registry::default();
    let mut param_types = Vec::new();
    let plan = Planner {
        schema,
        fields,
        registry: &mut registry,
        params: &mut param_types,
    }
    .plan_query(query)?;
    let subqueries = registry.plans;
    if explain {
        let rows = explain::describe(&subqueries, &plan);
        return Ok(Planned {
            plan: StatementPlan {
                subqueries: Vec::new(),
                body: StatementBody::Explain(rows),
            },
            columns: explain::columns(),
            param_types,
            param_columns: Vec::new(),
        });
    }
    Ok(Planned {
        columns: plan.columns.clone(),
        param_columns: plan.param_columns.clone(),
        param_types,
        plan: StatementPlan {
            subqueries,
            body: StatementBody::Query(plan),
        },
    })
}

/// The statement's subqueries, planned once each.
#[derive(Default)]
pub(crate) struct Registry {
    plans: Vec<SubqueryPlan>,
    /// By the address of the subquery's AST node: a conjunct compiled twice
    /// (once to see what it references, once for one table) plans its
    /// subqueries once. The AST outlives planning, so addresses are unique.
    slots: HashMap<usize, PlannedSubquery>,
}

/// Plans queries of one statement, sharing its parameters and subqueries.
pub(crate) struct Planner<'p> {
    schema: &'p Schema,
    fields: &'p dyn FieldSource,
    registry: &'p mut Registry,
    params: &'p mut Vec<Option<DataType>>,
}

/// ORDER BY, LIMIT and OFFSET of a query.
pub(crate) struct QueryTail<'q> {
    order: &'q [ast::OrderByExpr],
    limit: Option<Operand>,
    offset: Option<Operand>,
}

fn count_operand(e: &ast::Expr) -> Result<Operand> {
    match pushdown::literal_operand(e) {
        Some(Operand::Literal(Value::Int(n))) if n >= 0 => Ok(Operand::Literal(Value::Int(n))),
        Some(Operand::Param(p)) => Ok(Operand::Param(p)),
        _ => Err(OdbcError::syntax(format!(
            "LIMIT, OFFSET and TOP take a non-negative integer or a parameter, not {e}"
        ))),
    }
}

/// LIMIT + OFFSET, when both are known now.
pub(crate) fn combine_limit(limit: Option<&Operand>, offset: Option<&Operand>) -> Option<Operand> {
    match (limit?, offset) {
        (l, None) => Some(l.clone()),
        (Operand::Literal(Value::Int(l)), Some(Operand::Literal(Value::Int(o)))) => {
            Some(Operand::Literal(Value::Int(l.saturating_add(*o))))
        }
        _ => None,
    }
}

fn query_tail(query: &ast::Query) -> Result<QueryTail<'_>> {
    if query.with.is_some() {
        return Err(unsupported("WITH (common table expressions)"));
    }
    if query.fetch.is_some() {
        return Err(unsupported("FETCH FIRST"));
    }
    if !query.locks.is_empty() || query.for_clause.is_some() {
        return Err(unsupported("FOR UPDATE / FOR XML / FOR JSON"));
    }
    if query.settings.is_some() || query.format_clause.is_some() || !query.pipe_operators.is_empty()
    {
        return Err(unsupported("SETTINGS, FORMAT and pipe operators"));
    }
    let order: &[ast::OrderByExpr] = match &query.order_by {
        None => &[],
        Some(ob) => match &ob.kind {
            ast::OrderByKind::Expressions(items) => items,
            ast::OrderByKind::All(_) => return Err(unsupported("ORDER BY ALL")),
        },
    };
    for item in order {
        if matches!(item.options.sort, Some(ast::OrderBySort::Using(_))) {
            return Err(unsupported("ORDER BY ... USING"));
        }
    }
    let (limit, offset) = match &query.limit_clause {
        None => (None, None),
        Some(ast::LimitClause::LimitOffset {
            limit,
            offset,
            limit_by,
        }) => {
            if !limit_by.is_empty() {
                return Err(unsupported("LIMIT BY"));
            }
            (
                limit.as_ref().map(count_operand).transpose()?,
                offset
                    .as_ref()
                    .map(|o| count_operand(&o.value))
                    .transpose()?,
            )
        }
        Some(ast::LimitClause::OffsetCommaLimit { offset, limit }) => {
            (Some(count_operand(limit)?), Some(count_operand(offset)?))
        }
    };
    Ok(QueryTail {
        order,
        limit,
        offset,
    })
}

/// Whether an ORDER BY item sorts descending, and where its NULLs go: low
/// (SQL_NC_LOW), so first ascending and last descending, unless NULLS
/// FIRST/LAST says otherwise.
fn sort_direction(item: &ast::OrderByExpr) -> (bool, bool) {
    let descending = matches!(item.options.sort, Some(ast::OrderBySort::Desc));
    let nulls_first = item.options.nulls_first.unwrap_or(!descending);
    (descending, nulls_first)
}

/// `ORDER BY 2`: a position in the select list.
fn order_position(e: &ast::Expr, width: usize) -> Result<Option<usize>> {
    if let ast::Expr::Value(v) = e {
        if let ast::Value::Number(n, _) = &v.value {
            let pos: usize = n
                .parse()
                .map_err(|_| OdbcError::syntax(format!("Invalid ORDER BY position {n}")))?;
            if pos == 0 || pos > width {
                return Err(OdbcError::syntax(format!(
                    "ORDER BY position {pos} is not in the select list (1 to {width})"
                )));
            }
            return Ok(Some(pos - 1));
        }
    }
    Ok(None)
}

/// Sort (bounded by LIMIT + OFFSET) and LIMIT over rows already projected.
fn sort_and_limit(
    mut root: Node,
    keys: Vec<SortKey>,
    limit: Option<Operand>,
    offset: Option<Operand>,
) -> Node {
    if !keys.is_empty() {
        let keep = limit.clone().map(|l| (offset.clone(), l));
        root = Node::Sort {
            input: Box::new(root),
            keys,
            keep,
        };
    }
    if limit.is_some() || offset.is_some() {
        root = Node::Limit {
            input: Box::new(root),
            offset,
            limit,
        };
    }
    root
}

fn plan_subquery(
    schema: &Schema,
    fields: &dyn FieldSource,
    registry: &mut Registry,
    query: &ast::Query,
    usage: SubqueryUse,
    params: &mut Vec<Option<DataType>>,
) -> Result<PlannedSubquery> {
    let key = query as *const ast::Query as usize;
    if let Some(planned) = registry.slots.get(&key) {
        return Ok(*planned);
    }
    let mut plan = Planner {
        schema,
        fields,
        registry: &mut *registry,
        params,
    }
    .plan_query(query)?;
    let column = match usage {
        SubqueryUse::Exists => None,
        SubqueryUse::Scalar | SubqueryUse::In => match plan.columns.as_slice() {
            [one] => Some((one.data_type, one.nullable)),
            other => {
                return Err(OdbcError::syntax(format!(
                    "Syntax error: the subquery must return one column, not {}",
                    other.len()
                )))
            }
        },
    };
    // EXISTS needs one row; a scalar subquery two, to tell one from many.
    let wanted = match usage {
        SubqueryUse::Exists => Some(1),
        SubqueryUse::Scalar => Some(2),
        SubqueryUse::In => None,
    };
    if let Some(n) = wanted {
        let root = std::mem::replace(&mut plan.root, Node::SingleRow);
        plan.root = Node::Limit {
            input: Box::new(root),
            offset: None,
            limit: Some(Operand::Literal(Value::Int(n))),
        };
    }
    let planned = PlannedSubquery {
        slot: registry.plans.len(),
        column,
    };
    registry.plans.push(SubqueryPlan { usage, plan });
    registry.slots.insert(key, planned);
    Ok(planned)
}

impl Planner<'_> {
    /// Compiles an expression where aggregates are not allowed.
    fn compile(&mut self, e: &ast::Expr, scope: &dyn Scope) -> Result<TypedExpr> {
        let (schema, fields) = (self.schema, self.fields);
        let registry = &mut *self.registry;
        let mut hook = move |query: &ast::Query,
                             usage: SubqueryUse,
                             params: &mut Vec<Option<DataType>>|
              -> Result<PlannedSubquery> {
            plan_subquery(schema, fields, registry, query, usage, params)
        };
        let mut ctx = CompileContext {
            scope,
            param_types: &mut *self.params,
            aggregate_hook: None,
            subquery_hook: Some(&mut hook as &mut SubqueryHook),
        };
        compile(e, &mut ctx)
    }

    /// Compiles an expression whose aggregate calls `collector` records
    /// (each becomes a column past the input row).
    fn compile_with_aggregates(
        &mut self,
        e: &ast::Expr,
        scope: &dyn Scope,
        collector: &mut AggregateCollector,
    ) -> Result<TypedExpr> {
        let (schema, fields) = (self.schema, self.fields);
        let registry = &mut *self.registry;
        let mut subquery_hook = move |query: &ast::Query,
                                      usage: SubqueryUse,
                                      params: &mut Vec<Option<DataType>>|
              -> Result<PlannedSubquery> {
            plan_subquery(schema, fields, registry, query, usage, params)
        };
        let mut aggregate_hook = |function: &ast::Function, ctx: &mut CompileContext| {
            collector.compile_call(function, ctx)
        };
        let mut ctx = CompileContext {
            scope,
            param_types: &mut *self.params,
            aggregate_hook: Some(&mut aggregate_hook),
            subquery_hook: Some(&mut subquery_hook as &mut SubqueryHook),
        };
        compile(e, &mut ctx)
    }

    /// A planner for a query nested in this one (a derived table).
    fn nested(&mut self) -> Planner<'_> {
        Planner {
            schema: self.schema,
            fields: self.fields,
            registry: &mut *self.registry,
            params: &mut *self.params,
        }
    }

    pub(crate) fn plan_query(&mut self, query: &ast::Query) -> Result<QueryPlan> {
        let tail = query_tail(query)?;
        match query.body.as_ref() {
            SetExpr::Select(select) => self.plan_select(select, tail),
            body => {
                let plan = self.plan_set_expr(body)?;
                self.order_set_result(plan, tail)
            }
        }
    }

    fn plan_set_expr(&mut self, body: &SetExpr) -> Result<QueryPlan> {
        match body {
            SetExpr::Select(select) => self.plan_select(
                select,
                QueryTail {
                    order: &[],
                    limit: None,
                    offset: None,
                },
            ),
            SetExpr::Query(query) => self.plan_query(query),
            SetExpr::SetOperation {
                left,
                op: ast::SetOperator::Union,
                set_quantifier,
                right,
            } => {
                let distinct = match set_quantifier {
                    ast::SetQuantifier::All => false,
                    ast::SetQuantifier::None | ast::SetQuantifier::Distinct => true,
                    other => return Err(unsupported(&format!("UNION {other}"))),
                };
                let left = self.plan_set_expr(left)?;
                let right = self.plan_set_expr(right)?;
                union(left, right, distinct)
            }
            SetExpr::SetOperation { op, .. } => Err(unsupported(&op.to_string())),
            SetExpr::Values(_) => Err(unsupported("VALUES")),
            _ => Err(unsupported("this query form")),
        }
    }

    /// ORDER BY / LIMIT over the result of a set operation: keys name a
    /// result column or its position.
    fn order_set_result(&mut self, plan: QueryPlan, tail: QueryTail) -> Result<QueryPlan> {
        let mut keys = Vec::new();
        for item in tail.order {
            let (descending, nulls_first) = sort_direction(item);
            let position = match order_position(&item.expr, plan.columns.len())? {
                Some(p) => p,
                None => {
                    let name = match &item.expr {
                        ast::Expr::Identifier(ident) => Some(ident.value.as_str()),
                        _ => None,
                    };
                    name.and_then(|n| {
                        plan.columns
                            .iter()
                            .position(|c| c.name.eq_ignore_ascii_case(n))
                    })
                    .ok_or_else(|| {
                        OdbcError::syntax(format!(
                            "Syntax error: ORDER BY {} must name a result column of the UNION or give its position",
                            item.expr
                        ))
                    })?
                }
            };
            keys.push(SortKey {
                column: position,
                descending,
                nulls_first,
            });
        }
        let root = sort_and_limit(plan.root, keys, tail.limit, tail.offset);
        Ok(QueryPlan {
            root,
            columns: plan.columns,
            param_columns: plan.param_columns,
        })
    }
}

/// `left UNION [ALL] right`: same number of columns, each pair of a common
/// type; names come from the left.
fn union(left: QueryPlan, right: QueryPlan, distinct: bool) -> Result<QueryPlan> {
    if left.columns.len() != right.columns.len() {
        return Err(OdbcError::syntax(format!(
            "Syntax error: each query of a UNION must have the same number of columns ({} and {})",
            left.columns.len(),
            right.columns.len()
        )));
    }
    let mut columns = Vec::with_capacity(left.columns.len());
    for (l, r) in left.columns.iter().zip(&right.columns) {
        let data_type = common_type(l.data_type, r.data_type).map_err(|_| {
            OdbcError::syntax(format!(
                "Syntax error: UNION column '{}' mixes {} and {}",
                l.name,
                l.data_type.type_name(),
                r.data_type.type_name()
            ))
        })?;
        let same_base = l.table == r.table && l.base_column == r.base_column;
        columns.push(ResultColumn {
            name: l.name.clone(),
            data_type,
            nullable: l.nullable || r.nullable,
            table: if same_base {
                l.table.clone()
            } else {
                String::new()
            },
            base_column: if same_base {
                l.base_column.clone()
            } else {
                String::new()
            },
        });
    }
    let column_types = columns.iter().map(|c| c.data_type).collect();
    Ok(QueryPlan {
        root: Node::Union {
            inputs: vec![left.root, right.root],
            column_types,
            distinct,
        },
        columns,
        param_columns: Vec::new(),
    })
}

/// Joins expressions with AND (none: `None`), as a balanced tree so that
/// thousands of conjuncts evaluate without deep recursion.
fn and_all(mut exprs: Vec<Expr>) -> Option<Expr> {
    match exprs.len() {
        0 => None,
        1 => exprs.pop(),
        n => {
            let right = exprs.split_off(n / 2);
            Some(Expr::And(
                Box::new(and_all(exprs)?),
                Box::new(and_all(right)?),
            ))
        }
    }
}

/// A readable label for an unnamed expression column.
fn expression_label(e: &ast::Expr) -> String {
    let text = e.to_string();
    text.chars().take(128).collect()
}

fn table_not_found(name: &str) -> OdbcError {
    OdbcError::new(SqlState::TableNotFound, format!("Table '{name}' not found"))
}

fn object_name(name: &ast::ObjectName) -> Result<String> {
    let parts: Vec<String> = name
        .0
        .iter()
        .map(|p| match p {
            ast::ObjectNamePart::Identifier(ident) => Ok(ident.value.clone()),
            other => Err(OdbcError::syntax(format!("Unsupported name part {other}"))),
        })
        .collect::<Result<_>>()?;
    // Catalog and schema qualifiers are accepted and ignored: the driver
    // has one unnamed catalog and schema.
    parts
        .last()
        .cloned()
        .ok_or_else(|| OdbcError::syntax("Empty table name"))
}
