//! What an endpoint can do itself: get-by-id, list filters and sorting,
//! found in a table's conjuncts (as written, before compilation).
//!
//! Pushdown only narrows what is fetched; the conjuncts are evaluated
//! locally too, so a pushed predicate can never change results.

use crate::model::{PushOp, TableDef};
use crate::sql::expr::Scope;
use crate::sql::plan::{Access, Operand, PushedParam, SubqueryParam};
use crate::types::DataType;
use crate::value::Value;
use sqlparser::ast;
use std::sync::Arc;

/// A literal or `$n` parameter operand, if `e` is one.
pub fn literal_operand(e: &ast::Expr) -> Option<Operand> {
    match e {
        ast::Expr::Value(v) => match &v.value {
            ast::Value::Number(n, _) => n
                .parse::<i64>()
                .ok()
                .map(|i| Operand::Literal(Value::Int(i)))
                .or_else(|| {
                    n.parse::<f64>()
                        .ok()
                        .map(|f| Operand::Literal(Value::Double(f)))
                }),
            ast::Value::SingleQuotedString(s) | ast::Value::NationalStringLiteral(s) => {
                Some(Operand::Literal(Value::Text(s.clone())))
            }
            ast::Value::Placeholder(p) => p
                .strip_prefix('$')
                .and_then(|n| n.parse::<usize>().ok())
                .filter(|n| *n >= 1)
                .map(|n| Operand::Param(n - 1)),
            _ => None,
        },
        ast::Expr::Nested(inner) => literal_operand(inner),
        ast::Expr::TypedString(ts) => match &ts.value.value {
            ast::Value::SingleQuotedString(s) => Some(Operand::Literal(Value::Text(s.clone()))),
            _ => None,
        },
        _ => None,
    }
}

/// Splits a condition into its AND-ed conjuncts.
pub fn conjuncts(e: &ast::Expr) -> Vec<&ast::Expr> {
    // Iterative: generated WHERE clauses can chain thousands of ANDs.
    let mut out = Vec::new();
    let mut stack = vec![e];
    while let Some(e) = stack.pop() {
        match e {
            ast::Expr::BinaryOp {
                left,
                op: ast::BinaryOperator::And,
                right,
            } => {
                stack.push(right);
                stack.push(left);
            }
            ast::Expr::Nested(inner) => stack.push(inner),
            other => out.push(other),
        }
    }
    out
}

/// The table column a bare or qualified identifier names, when `scope`
/// (the table's own) resolves it.
pub fn column_of<'t>(e: &ast::Expr, table: &'t TableDef, scope: &dyn Scope) -> Option<&'t str> {
    let (qualifier, name) = match e {
        ast::Expr::Identifier(i) => (None, &i.value),
        ast::Expr::CompoundIdentifier(parts) if parts.len() >= 2 => (
            Some(parts[parts.len() - 2].value.as_str()),
            &parts[parts.len() - 1].value,
        ),
        ast::Expr::Nested(inner) => return column_of(inner, table, scope),
        _ => return None,
    };
    scope.resolve_column(qualifier, name).ok()?;
    table
        .column_index(name)
        .map(|i| table.columns[i].name.as_str())
}

/// One pushable comparison found in a conjunct.
pub struct Comparison<'t> {
    pub column: &'t str,
    pub op: PushOp,
    pub values: Vec<Operand>,
}

pub fn comparison<'t>(
    e: &ast::Expr,
    table: &'t TableDef,
    scope: &dyn Scope,
) -> Option<Comparison<'t>> {
    use ast::BinaryOperator as B;
    match e {
        ast::Expr::BinaryOp { left, op, right } => {
            let (column, value, op) = if let (Some(c), Some(v)) =
                (column_of(left, table, scope), literal_operand(right))
            {
                (c, v, op.clone())
            } else if let (Some(c), Some(v)) =
                (column_of(right, table, scope), literal_operand(left))
            {
                let flipped = match op {
                    B::Gt => B::Lt,
                    B::Lt => B::Gt,
                    B::GtEq => B::LtEq,
                    B::LtEq => B::GtEq,
                    other => other.clone(),
                };
                (c, v, flipped)
            } else {
                return None;
            };
            let op = match op {
                B::Eq => PushOp::Eq,
                B::GtEq => PushOp::AtLeast,
                B::Lt => PushOp::Below,
                _ => return None,
            };
            Some(Comparison {
                column,
                op,
                values: vec![value],
            })
        }
        ast::Expr::In {
            expr,
            target: ast::InTarget::List(list),
            negated: false,
            ..
        } => {
            let column = column_of(expr, table, scope)?;
            let values = list
                .iter()
                .map(literal_operand)
                .collect::<Option<Vec<_>>>()?;
            Some(Comparison {
                column,
                op: PushOp::EqList { max: values.len() },
                values,
            })
        }
        ast::Expr::Nested(inner) => comparison(inner, table, scope),
        _ => None,
    }
}

/// Whether a conjunct is false or unknown whenever `column` is NULL (a
/// comparison of the column with a value), so rows where it is NULL never
/// qualify.
pub fn rejects_nulls_of(e: &ast::Expr, column: &str, table: &TableDef, scope: &dyn Scope) -> bool {
    let direct = match e {
        ast::Expr::BinaryOp { left, op, right } => {
            use ast::BinaryOperator as B;
            matches!(op, B::Eq | B::NotEq | B::Lt | B::LtEq | B::Gt | B::GtEq)
                && [left, right].iter().any(|side| {
                    column_of(side, table, scope).is_some_and(|c| c.eq_ignore_ascii_case(column))
                })
        }
        ast::Expr::IsNotNull(inner) => {
            column_of(inner, table, scope).is_some_and(|c| c.eq_ignore_ascii_case(column))
        }
        ast::Expr::Between { expr, .. }
        | ast::Expr::In { expr, .. }
        | ast::Expr::Like { expr, .. } => {
            column_of(expr, table, scope).is_some_and(|c| c.eq_ignore_ascii_case(column))
        }
        ast::Expr::Nested(inner) => return rejects_nulls_of(inner, column, table, scope),
        _ => false,
    };
    direct
}

/// Chooses get-by-id or a list request with the pushable conjuncts; the
/// flag says whether every conjunct was pushed.
pub fn choose_access(table: &TableDef, parts: &[&ast::Expr], scope: &dyn Scope) -> (Access, bool) {
    let comparisons: Vec<Option<Comparison>> =
        parts.iter().map(|p| comparison(p, table, scope)).collect();

    // `Id = k`: one get-by-id request.
    if table.endpoint.get_by_id {
        if let Some(pk) = &table.primary_key {
            for c in comparisons.iter().flatten() {
                if c.column.eq_ignore_ascii_case(pk)
                    && c.op == PushOp::Eq
                    && c.values.len() == 1
                    && !matches!(&c.values[0], Operand::Literal(Value::Text(_)))
                {
                    return (Access::ById(c.values[0].clone()), parts.len() == 1);
                }
            }
        }
    }

    let (params, all_pushed) = list_params(table, &comparisons, None);
    (Access::List(params), all_pushed)
}

/// The list parameters of the pushable comparisons (the fixed ones first),
/// leaving out those on `skip` (a child's parent column, which is not a
/// query parameter of its own); the flag says whether every conjunct was
/// pushed.
fn list_params(
    table: &TableDef,
    comparisons: &[Option<Comparison>],
    skip: Option<usize>,
) -> (Vec<PushedParam>, bool) {
    let mut params: Vec<PushedParam> = fixed(table);
    let mut all_pushed = true;
    for (i, c) in comparisons.iter().enumerate() {
        if Some(i) == skip {
            continue;
        }
        let Some(c) = c else {
            all_pushed = false;
            continue;
        };
        if table
            .parent
            .as_ref()
            .is_some_and(|p| p.column.eq_ignore_ascii_case(c.column))
        {
            all_pushed = false;
            continue;
        }
        // The comparison's list length, read once: matching on both ops'
        // fields inside the closure let the compiler load `max` of an `Eq`
        // (valgrind's "uninitialised value" report), though never use it.
        let list_len = match c.op {
            PushOp::EqList { max } => Some(max),
            _ => None,
        };
        let pushed = table
            .pushdown_for(c.column)
            .find(|p| match (p.op, list_len) {
                (PushOp::Eq, None) => c.op == PushOp::Eq,
                (PushOp::Eq, Some(n)) => n == 1,
                (PushOp::EqList { .. }, None) => c.op == PushOp::Eq,
                (PushOp::EqList { max }, Some(n)) => n <= max && n > 0,
                (a, _) => a == c.op,
            });
        match pushed {
            // A parameter is pushed only once per request: the first
            // conjunct wins, the rest stay local.
            Some(p)
                if !params.iter().any(|k| k.name == p.param)
                    && c.values.iter().all(|v| pushable_value(p.param, v)) =>
            {
                let data_type = table
                    .column_index(c.column)
                    .map(|i| table.columns[i].data_type)
                    .unwrap_or(DataType::WVarchar(255));
                params.push(PushedParam {
                    name: p.param.to_string(),
                    data_type,
                    values: c.values.clone(),
                });
            }
            _ => all_pushed = false,
        }
    }
    (params, all_pushed)
}

/// A child table's access: the parents `parent_column = k` or `IN (...)`
/// names (the first such conjunct), else a walk of the parent table. The
/// flag says whether every conjunct was pushed.
pub fn choose_child_access(
    table: &TableDef,
    parent: &Arc<TableDef>,
    parts: &[&ast::Expr],
    scope: &dyn Scope,
    slot_of: &dyn Fn(&ast::Query) -> Option<usize>,
) -> (Access, bool) {
    let comparisons: Vec<Option<Comparison>> =
        parts.iter().map(|p| comparison(p, table, scope)).collect();
    let Some(link) = &table.parent else {
        return choose_access(table, parts, scope);
    };
    let on_parent = comparisons.iter().position(|c| {
        c.as_ref().is_some_and(|c| {
            c.column.eq_ignore_ascii_case(link.column)
                && matches!(c.op, PushOp::Eq | PushOp::EqList { .. })
                && !c.values.is_empty()
                && c.values
                    .iter()
                    .all(|v| !matches!(v, Operand::Literal(Value::Null)))
        })
    });
    let (params, all_pushed) = list_params(table, &comparisons, on_parent);
    match on_parent.and_then(|i| comparisons[i].as_ref()) {
        Some(c) => (
            Access::Parents {
                ids: c.values.clone(),
                params,
            },
            all_pushed,
        ),
        None => match parent_subquery(table, parts, scope, slot_of) {
            Some(slot) => (Access::SubqueryParents { slot, params }, false),
            None => (
                Access::ParentWalk {
                    parent: parent.clone(),
                    params,
                },
                all_pushed,
            ),
        },
    }
}

/// The subquery of a `parent_column IN (subquery)` conjunct, by slot.
fn parent_subquery(
    table: &TableDef,
    parts: &[&ast::Expr],
    scope: &dyn Scope,
    slot_of: &dyn Fn(&ast::Query) -> Option<usize>,
) -> Option<usize> {
    let link = table.parent.as_ref()?;
    parts.iter().find_map(|part| match part {
        ast::Expr::In {
            expr,
            target: ast::InTarget::Subquery(query),
            negated: false,
            ..
        } if column_of(expr, table, scope).is_some_and(|c| c.eq_ignore_ascii_case(link.column)) => {
            slot_of(query)
        }
        _ => None,
    })
}

/// `col IN (subquery)` conjuncts on columns with a list filter: the
/// filter is sent with the subquery's values when they fit one request.
/// `slot_of` finds a subquery's slot (it was planned when the conjunct was
/// compiled).
pub fn subquery_params(
    table: &TableDef,
    parts: &[&ast::Expr],
    scope: &dyn Scope,
    slot_of: &dyn Fn(&ast::Query) -> Option<usize>,
) -> Vec<SubqueryParam> {
    let mut out: Vec<SubqueryParam> = Vec::new();
    for part in parts {
        let ast::Expr::In {
            expr,
            target: ast::InTarget::Subquery(query),
            negated: false,
            ..
        } = part
        else {
            continue;
        };
        let Some(column) = column_of(expr, table, scope) else {
            continue;
        };
        // A parent id is a path segment or a parent batch, not a filter.
        if table
            .parent
            .as_ref()
            .is_some_and(|p| p.column.eq_ignore_ascii_case(column))
        {
            continue;
        }
        let Some(slot) = slot_of(query) else {
            continue;
        };
        let filter = table.pushdown_for(column).find_map(|p| match p.op {
            // Enumerated parameters take only literal values.
            _ if p.param == "status" => None,
            PushOp::Eq => Some((p.param, 1)),
            PushOp::EqList { max } => Some((p.param, max)),
            _ => None,
        });
        let Some((param, max)) = filter else {
            continue;
        };
        if out.iter().any(|o| o.name == param) {
            continue;
        }
        let data_type = table
            .column_index(column)
            .map(|i| table.columns[i].data_type)
            .unwrap_or(DataType::WVarchar(255));
        out.push(SubqueryParam {
            name: param.to_string(),
            data_type,
            slot,
            max,
        });
    }
    out
}

/// The fixed parameters every list request of the table sends.
pub fn fixed(table: &TableDef) -> Vec<PushedParam> {
    table
        .fixed_params
        .iter()
        .map(|(k, v)| PushedParam {
            name: k.to_string(),
            data_type: DataType::WVarchar(255),
            values: vec![Operand::Literal(Value::Text(v.to_string()))],
        })
        .collect()
}

/// Values the API accepts for a parameter. Enumerated parameters are pushed
/// only with a valid value: anything else is left to the local filter (which
/// then finds no rows) rather than turned into an API error.
fn pushable_value(param: &str, value: &Operand) -> bool {
    match (param, value) {
        ("status", Operand::Literal(Value::Text(s))) => {
            matches!(s.as_str(), "open" | "won" | "lost" | "deleted")
        }
        ("status", _) => false,
        (_, Operand::Literal(Value::Null)) => false,
        _ => true,
    }
}

/// The list filter that takes a comma list of ids, with its maximum.
pub fn ids_filter(table: &TableDef) -> Option<(&'static str, usize)> {
    let pk = table.primary_key.as_deref()?;
    table.pushdown_for(pk).find_map(|p| match p.op {
        PushOp::EqList { max } if max > 0 => Some((p.param, max)),
        _ => None,
    })
}
