//! Runs a plan: each node becomes an operator pulling rows from its inputs
//! one at a time, so rows stream from API pages to the application and
//! requests stop as soon as a LIMIT is met. Only sorts, aggregates, the
//! held side of a join and DISTINCT keep rows, and they check the
//! statement's cancel flag every few thousand rows.

mod aggregate;
pub mod backend;
mod basic;
mod children;
mod join;
mod scan;
mod sort;

pub use backend::{ApiBackend, Backend, Row, RowPages};
#[cfg(test)]
pub use {aggregate::AggregateRows, basic::DistinctRows, sort::SortRows};

use crate::diag::{OdbcError, Result, SqlState};
use crate::sql::compile::SubqueryUse;
use crate::sql::expr::{truth, EvalEnv, Expr};
use crate::sql::plan::{Access, JoinStrategy, Node, Operand, StatementBody, StatementPlan};
use crate::sql::result::{RowSource, VecSource};
use crate::sql::value_set::{SubqueryResult, ValueSet};
use crate::value::Value;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// What every operator of one execution shares.
pub struct ExecContext {
    pub backend: Arc<dyn Backend>,
    pub params: Vec<Value>,
    pub env: EvalEnv,
    pub cancel: Arc<AtomicBool>,
}

/// Rows of local work between two looks at the cancel flag.
const CANCEL_CHECK_ROWS: u32 = 2048;

impl ExecContext {
    /// HY008 once SQLCancel has flagged the statement (the flag is reset),
    /// HYT00 once the call's query timeout has expired.
    pub fn check_cancel(&self) -> Result<()> {
        if self.cancel.swap(false, Ordering::SeqCst) {
            return Err(OdbcError::new(
                SqlState::OperationCanceled,
                "Operation canceled",
            ));
        }
        crate::api::interrupt::check()
    }

    pub fn eval(&self, expr: &Expr, row: &[Value]) -> Result<Value> {
        expr.eval(row, &self.params, &self.env)
    }

    /// Whether a row satisfies a condition (unknown does not).
    pub fn holds(&self, condition: &Expr, row: &[Value]) -> Result<bool> {
        Ok(truth(&self.eval(condition, row)?)? == Some(true))
    }

    pub fn operand(&self, op: &Operand) -> Result<Value> {
        match op {
            Operand::Literal(v) => Ok(v.clone()),
            Operand::Param(i) => self.params.get(*i).cloned().ok_or_else(|| {
                OdbcError::new(
                    SqlState::WrongParameterCount,
                    format!("Parameter {} has no value", i + 1),
                )
            }),
        }
    }

    /// A LIMIT, OFFSET or TOP count.
    pub fn count(&self, op: Option<&Operand>) -> Result<Option<u64>> {
        let Some(op) = op else {
            return Ok(None);
        };
        match self.operand(op)? {
            Value::Int(n) if n >= 0 => Ok(Some(n as u64)),
            other => Err(OdbcError::new(
                SqlState::InvalidAttributeValue,
                format!(
                    "LIMIT/OFFSET must be a non-negative integer, got {}",
                    other.to_text().unwrap_or_else(|| "NULL".into())
                ),
            )),
        }
    }
}

/// Counts rows of local work and looks at the cancel flag now and then.
#[derive(Default)]
pub struct CancelTicker {
    rows: u32,
}

impl CancelTicker {
    pub fn tick(&mut self, ctx: &ExecContext) -> Result<()> {
        self.rows += 1;
        if self.rows >= CANCEL_CHECK_ROWS {
            self.rows = 0;
            ctx.check_cancel()?;
        }
        Ok(())
    }
}

pub type Rows = Box<dyn RowSource>;

/// The operator of a plan node (no request is made until rows are pulled).
pub fn build(node: &Node, ctx: &Arc<ExecContext>) -> Result<Rows> {
    Ok(match node {
        Node::SingleRow => Box::new(VecSource::new(vec![Vec::new()])),
        Node::Scan(scan) => match scan.access {
            Access::Parents { .. } | Access::SubqueryParents { .. } | Access::ParentWalk { .. } => {
                Box::new(children::ChildRows::new(scan, ctx.clone())?)
            }
            Access::List(_) | Access::ById(_) => Box::new(scan::ScanRows::new(scan, ctx.clone())?),
        },
        Node::System(table) => Box::new(VecSource::new(ctx.backend.system_rows(*table)?)),
        Node::Filter { input, predicate } => Box::new(basic::FilterRows::new(
            build(input, ctx)?,
            predicate.clone(),
            ctx.clone(),
        )),
        Node::Project { input, exprs } => Box::new(basic::ProjectRows::new(
            build(input, ctx)?,
            exprs.clone(),
            ctx.clone(),
        )),
        Node::Join(join) => match &join.strategy {
            JoinStrategy::NestedLoop => Box::new(join::NestedLoopJoin::new(
                join,
                build(&join.left, ctx)?,
                build(&join.right, ctx)?,
                ctx.clone(),
            )),
            JoinStrategy::Hash {
                left_keys,
                right_keys,
                build: side,
            } => Box::new(join::HashJoin::new(
                join,
                build(&join.left, ctx)?,
                build(&join.right, ctx)?,
                (left_keys.clone(), right_keys.clone(), *side),
                ctx.clone(),
            )),
            JoinStrategy::IdLookup(lookup) => {
                let Node::Scan(scan) = &join.right else {
                    return Err(OdbcError::general(
                        "internal error: an id lookup needs a table on its right",
                    ));
                };
                Box::new(join::IdLookupJoin::new(
                    join,
                    lookup,
                    scan,
                    build(&join.left, ctx)?,
                    ctx.clone(),
                )?)
            }
        },
        Node::Aggregate(aggregate) => Box::new(aggregate::AggregateRows::new(
            build(&aggregate.input, ctx)?,
            aggregate.group_by.clone(),
            aggregate.aggregates.clone(),
            ctx.clone(),
        )),
        Node::Distinct { input } => {
            Box::new(basic::DistinctRows::new(build(input, ctx)?, ctx.clone()))
        }
        Node::Sort { input, keys, keep } => {
            let keep = match keep {
                None => None,
                Some((offset, limit)) => {
                    let offset = ctx.count(offset.as_ref())?.unwrap_or(0);
                    ctx.count(Some(limit))?.map(|l| l.saturating_add(offset))
                }
            };
            Box::new(sort::SortRows::new(
                build(input, ctx)?,
                keys.clone(),
                keep,
                ctx.clone(),
            ))
        }
        Node::Limit {
            input,
            offset,
            limit,
        } => Box::new(basic::LimitRows::new(
            build(input, ctx)?,
            ctx.count(offset.as_ref())?.unwrap_or(0),
            ctx.count(limit.as_ref())?,
        )),
        Node::Union {
            inputs,
            column_types,
            distinct,
        } => Box::new(basic::UnionRows::new(
            inputs
                .iter()
                .map(|input| build(input, ctx))
                .collect::<Result<Vec<_>>>()?,
            column_types.clone(),
            *distinct,
            ctx.clone(),
        )),
    })
}

/// Runs a subquery to the end its use needs.
fn materialize(usage: SubqueryUse, mut rows: Rows, ctx: &ExecContext) -> Result<SubqueryResult> {
    let first_value = |row: Option<Row>| row.and_then(|r| r.into_iter().next());
    match usage {
        SubqueryUse::Exists => Ok(SubqueryResult::Value(Value::Bool(
            rows.next_row()?.is_some(),
        ))),
        SubqueryUse::Scalar => {
            let first = rows.next_row()?;
            if rows.next_row()?.is_some() {
                return Err(OdbcError::new(
                    crate::diag::SqlState::CardinalityViolation,
                    "Cardinality violation: a scalar subquery returned more than one row",
                ));
            }
            Ok(SubqueryResult::Value(
                first_value(first).unwrap_or(Value::Null),
            ))
        }
        SubqueryUse::In => {
            let mut set = ValueSet::default();
            let mut ticker = CancelTicker::default();
            while let Some(row) = rows.next_row()? {
                ticker.tick(ctx)?;
                set.insert(first_value(Some(row)).unwrap_or(Value::Null));
            }
            Ok(SubqueryResult::Set(set))
        }
    }
}

/// A stream whose first row was read when it started, so that errors
/// (authorization, bad filters) surface from SQLExecute.
struct Primed {
    first: Option<Row>,
    rest: Rows,
}

impl RowSource for Primed {
    fn next_row(&mut self) -> Result<Option<Row>> {
        match self.first.take() {
            Some(row) => Ok(Some(row)),
            None => self.rest.next_row(),
        }
    }
}

/// Starts executing: the subqueries run, then the first row is read.
pub fn start(
    plan: &StatementPlan,
    backend: Arc<dyn Backend>,
    params: Vec<Value>,
    env: EvalEnv,
    cancel: Arc<AtomicBool>,
) -> Result<Rows> {
    let query = match &plan.body {
        StatementBody::Explain(rows) => return Ok(Box::new(VecSource::new(rows.clone()))),
        StatementBody::Query(query) => query,
    };
    // Each subquery sees the results of the ones before it.
    let context = |results: &[SubqueryResult]| {
        Arc::new(ExecContext {
            backend: backend.clone(),
            params: params.clone(),
            env: EvalEnv {
                subqueries: Arc::new(results.to_vec()),
                ..env.clone()
            },
            cancel: cancel.clone(),
        })
    };
    let mut results: Vec<SubqueryResult> = Vec::new();
    for subquery in &plan.subqueries {
        let ctx = context(&results);
        let rows = build(&subquery.plan.root, &ctx)?;
        results.push(materialize(subquery.usage, rows, &ctx)?);
    }
    let shared = context(&results);
    let mut rest = build(&query.root, &shared)?;
    let first = rest.next_row()?;
    Ok(Box::new(Primed { first, rest }))
}
