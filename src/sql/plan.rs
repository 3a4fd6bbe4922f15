//! SELECT -> plan: which table, what the API can do (get by id, pushed
//! filters, a row limit), and what is evaluated locally (the whole WHERE,
//! projection, ORDER BY, DISTINCT, OFFSET/LIMIT).
//!
//! Pushdown only narrows what is fetched; the WHERE clause is always
//! evaluated locally too, so a pushed predicate can never change results.

use super::compile::{compile, CompileContext};
use super::expr::{ColumnRef, Expr, Scope};
use super::result::ResultColumn;
use crate::diag::{OdbcError, Result, SqlState};
use crate::model::{FieldSource, PushOp, Schema, TableDef};
use crate::types::DataType;
use crate::value::Value;
use sqlparser::ast::{self as ast, SetExpr, Statement};
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
}

#[derive(Debug)]
pub struct ScanPlan {
    pub table: Arc<TableDef>,
    pub access: Access,
    /// Rows the API should stop after (LIMIT + OFFSET, when every WHERE
    /// conjunct was pushed and no local sort or DISTINCT intervenes).
    pub fetch_limit: Option<Operand>,
}

/// What a sort key reads: a select-list position, or an expression over the
/// input row.
#[derive(Debug)]
pub enum SortSource {
    Output(usize),
    Input(Expr),
}

#[derive(Debug)]
pub struct SortKey {
    pub source: SortSource,
    pub descending: bool,
    pub nulls_first: bool,
}

#[derive(Debug)]
pub struct SelectPlan {
    /// `None`: SELECT without FROM (one empty input row).
    pub scan: Option<ScanPlan>,
    pub filter: Option<Expr>,
    pub projection: Vec<Expr>,
    pub order_by: Vec<SortKey>,
    pub distinct: bool,
    pub offset: Option<Operand>,
    pub limit: Option<Operand>,
}

/// Resolves column names against one table (or none).
struct TableScope<'a> {
    table: Option<&'a TableDef>,
    /// Names the table can be qualified with: its name and its alias.
    qualifiers: Vec<String>,
}

impl Scope for TableScope<'_> {
    fn resolve_column(&self, qualifier: Option<&str>, name: &str) -> Result<ColumnRef> {
        let Some(table) = self.table else {
            return Err(OdbcError::new(
                SqlState::ColumnNotFound,
                format!("Column '{name}' not found: the query has no FROM clause"),
            ));
        };
        if let Some(q) = qualifier {
            if !self
                .qualifiers
                .iter()
                .any(|known| known.eq_ignore_ascii_case(q))
            {
                return Err(OdbcError::new(
                    SqlState::ColumnNotFound,
                    format!(
                        "Column '{q}.{name}' not found: '{q}' is not a table in the FROM clause"
                    ),
                ));
            }
        }
        let index = table.column_index(name).ok_or_else(|| {
            OdbcError::new(
                SqlState::ColumnNotFound,
                format!("Column '{name}' not found in table {}", table.name),
            )
        })?;
        let column = &table.columns[index];
        Ok(ColumnRef {
            index,
            data_type: column.data_type,
            nullable: column.nullable,
        })
    }
}

pub struct Planned {
    pub plan: SelectPlan,
    pub columns: Vec<ResultColumn>,
    pub param_types: Vec<Option<DataType>>,
    /// (result column, parameter) pairs for select items that are a bare
    /// parameter: their type is the parameter's, known once it is bound.
    pub param_columns: Vec<(usize, usize)>,
}

fn unsupported(what: &str) -> OdbcError {
    OdbcError::not_implemented(what)
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

/// Plans one statement; `fields` supplies custom-field definitions the
/// first time a table is used on the connection.
pub fn plan_statement(
    statement: &Statement,
    schema: &Schema,
    fields: &dyn FieldSource,
) -> Result<Planned> {
    match statement {
        Statement::Query(query) => plan_query(query, schema, fields),
        other => Err(unsupported(&format!(
            "the statement '{}'",
            first_words(&other.to_string())
        ))),
    }
}

fn first_words(s: &str) -> String {
    s.split_whitespace().take(2).collect::<Vec<_>>().join(" ")
}

fn plan_query(query: &ast::Query, schema: &Schema, fields: &dyn FieldSource) -> Result<Planned> {
    if query.with.is_some() {
        return Err(unsupported("WITH (common table expressions)"));
    }
    let SetExpr::Select(select) = query.body.as_ref() else {
        return Err(unsupported("set operations (UNION) and VALUES"));
    };
    let select: &ast::Select = select;
    if !matches!(&select.group_by, ast::GroupByExpr::Expressions(e, m) if e.is_empty() && m.is_empty())
        || select.having.is_some()
    {
        return Err(unsupported("GROUP BY and HAVING"));
    }

    // FROM: no table, or one table with an optional alias.
    let (table, alias) = match select.from.as_slice() {
        [] => (None, None),
        [single] if single.joins.is_empty() => match &single.relation {
            ast::TableFactor::Table {
                name,
                alias,
                args: None,
                ..
            } => {
                let table_name = object_name(name)?;
                let table = schema.resolve(&table_name, fields)?.ok_or_else(|| {
                    OdbcError::new(
                        SqlState::TableNotFound,
                        format!("Table '{table_name}' not found"),
                    )
                })?;
                (
                    Some(table.clone()),
                    alias.as_ref().map(|a| a.name.value.clone()),
                )
            }
            _ => return Err(unsupported("derived tables and table functions in FROM")),
        },
        _ => return Err(unsupported("joins")),
    };
    let mut qualifiers = Vec::new();
    if let Some(t) = &table {
        qualifiers.push(t.name.clone());
    }
    if let Some(a) = &alias {
        qualifiers.push(a.clone());
    }
    let scope = TableScope {
        table: table.as_deref(),
        qualifiers,
    };
    let mut param_types: Vec<Option<DataType>> = Vec::new();

    // Projection.
    let mut projection = Vec::new();
    let mut columns = Vec::new();
    for item in &select.projection {
        match item {
            ast::SelectItem::Wildcard(_) | ast::SelectItem::QualifiedWildcard(..) => {
                let Some(t) = &table else {
                    return Err(OdbcError::syntax("SELECT * needs a FROM clause"));
                };
                if let ast::SelectItem::QualifiedWildcard(
                    ast::SelectItemQualifiedWildcardKind::ObjectName(q),
                    _,
                ) = item
                {
                    let q = object_name(q)?;
                    if !scope.qualifiers.iter().any(|k| k.eq_ignore_ascii_case(&q)) {
                        return Err(OdbcError::new(
                            SqlState::TableNotFound,
                            format!("'{q}' is not a table in the FROM clause"),
                        ));
                    }
                }
                for (i, c) in t.columns.iter().enumerate() {
                    projection.push(Expr::Column(i));
                    columns.push(ResultColumn {
                        name: c.name.clone(),
                        data_type: c.data_type,
                        nullable: c.nullable,
                        table: t.name.clone(),
                        base_column: c.name.clone(),
                    });
                }
            }
            ast::SelectItem::UnnamedExpr(e) | ast::SelectItem::ExprWithAlias { expr: e, .. } => {
                let mut ctx = CompileContext {
                    scope: &scope,
                    param_types: &mut param_types,
                    aggregate_hook: None,
                };
                let typed = compile(e, &mut ctx)?;
                let base = match &typed.expr {
                    Expr::Column(i) => table
                        .as_ref()
                        .map(|t| (t.name.clone(), t.columns[*i].name.clone())),
                    _ => None,
                };
                let name = match item {
                    ast::SelectItem::ExprWithAlias { alias, .. } => alias.value.clone(),
                    _ => base
                        .as_ref()
                        .map(|(_, c)| c.clone())
                        .unwrap_or_else(|| expression_label(e)),
                };
                let (table_name, base_column) = base.unwrap_or_default();
                columns.push(ResultColumn {
                    name,
                    data_type: typed.data_type,
                    nullable: typed.nullable,
                    table: table_name,
                    base_column,
                });
                projection.push(typed.expr);
            }
            other => return Err(unsupported(&format!("the select item {other}"))),
        }
    }

    // WHERE, compiled for local evaluation and mined for pushdown.
    let filter = match &select.selection {
        Some(e) => {
            let mut ctx = CompileContext {
                scope: &scope,
                param_types: &mut param_types,
                aggregate_hook: None,
            };
            let typed = compile(e, &mut ctx)?;
            Some(typed.expr)
        }
        None => None,
    };

    // ORDER BY: an output alias, an output position, or an input expression.
    let mut order_by = Vec::new();
    if let Some(ob) = &query.order_by {
        let ast::OrderByKind::Expressions(items) = &ob.kind else {
            return Err(unsupported("ORDER BY ALL"));
        };
        for item in items {
            let descending = matches!(item.options.sort, Some(ast::OrderBySort::Desc));
            if matches!(item.options.sort, Some(ast::OrderBySort::Using(_))) {
                return Err(unsupported("ORDER BY ... USING"));
            }
            // NULLs sort low (SQL_NC_LOW): first ascending, last descending.
            let nulls_first = item.options.nulls_first.unwrap_or(!descending);
            let source = order_key(
                &item.expr,
                &select.projection,
                &projection,
                &columns,
                &scope,
                &mut param_types,
            )?;
            order_by.push(SortKey {
                source,
                descending,
                nulls_first,
            });
        }
    }

    // LIMIT / OFFSET / TOP.
    let (mut limit, offset) = match &query.limit_clause {
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
    if let Some(top) = &select.top {
        if top.percent || top.with_ties {
            return Err(unsupported("TOP PERCENT / WITH TIES"));
        }
        let top_limit = match &top.quantity {
            Some(ast::TopQuantity::Constant(n)) => {
                Operand::Literal(Value::Int(i64::try_from(*n).unwrap_or(i64::MAX)))
            }
            Some(ast::TopQuantity::Expr(e)) => count_operand(e)?,
            None => return Err(OdbcError::syntax("TOP needs a row count")),
        };
        limit = Some(top_limit);
    }
    if query.fetch.is_some() {
        return Err(unsupported("FETCH FIRST"));
    }
    let distinct = match &select.distinct {
        None | Some(ast::Distinct::All) => false,
        Some(ast::Distinct::Distinct) => true,
        Some(ast::Distinct::On(_)) => return Err(unsupported("DISTINCT ON")),
    };

    let scan = match &table {
        None => None,
        Some(t) => {
            let (access, fully_pushed) = choose_access(t, select.selection.as_ref(), &scope);
            let fetch_limit = if fully_pushed
                && order_by.is_empty()
                && !distinct
                && matches!(access, Access::List(_))
            {
                combine_limit(limit.as_ref(), offset.as_ref())
            } else {
                None
            };
            Some(ScanPlan {
                table: t.clone(),
                access,
                fetch_limit,
            })
        }
    };
    let param_columns = projection
        .iter()
        .enumerate()
        .filter_map(|(c, e)| match e {
            Expr::Param(p) => Some((c, *p)),
            _ => None,
        })
        .collect();
    Ok(Planned {
        param_columns,
        plan: SelectPlan {
            scan,
            filter,
            projection,
            order_by,
            distinct,
            offset,
            limit,
        },
        columns,
        param_types,
    })
}

/// A readable label for an unnamed expression column.
fn expression_label(e: &ast::Expr) -> String {
    let text = e.to_string();
    text.chars().take(128).collect()
}

fn order_key(
    e: &ast::Expr,
    items: &[ast::SelectItem],
    projection: &[Expr],
    columns: &[ResultColumn],
    scope: &TableScope,
    param_types: &mut Vec<Option<DataType>>,
) -> Result<SortSource> {
    // ORDER BY 2: a position in the select list.
    if let ast::Expr::Value(v) = e {
        if let ast::Value::Number(n, _) = &v.value {
            let pos: usize = n
                .parse()
                .map_err(|_| OdbcError::syntax(format!("Invalid ORDER BY position {n}")))?;
            if pos == 0 || pos > projection.len() {
                return Err(OdbcError::syntax(format!(
                    "ORDER BY position {pos} is not in the select list (1 to {})",
                    projection.len()
                )));
            }
            return Ok(SortSource::Output(pos - 1));
        }
    }
    // ORDER BY alias.
    if let ast::Expr::Identifier(ident) = e {
        for (i, item) in items.iter().enumerate() {
            if let ast::SelectItem::ExprWithAlias { alias, .. } = item {
                if alias.value.eq_ignore_ascii_case(&ident.value) {
                    let pos = columns
                        .iter()
                        .position(|c| c.name == alias.value)
                        .unwrap_or(i);
                    return Ok(SortSource::Output(pos));
                }
            }
        }
    }
    let mut ctx = CompileContext {
        scope,
        param_types,
        aggregate_hook: None,
    };
    Ok(SortSource::Input(compile(e, &mut ctx)?.expr))
}

fn count_operand(e: &ast::Expr) -> Result<Operand> {
    match literal_operand(e) {
        Some(Operand::Literal(Value::Int(n))) if n >= 0 => Ok(Operand::Literal(Value::Int(n))),
        Some(Operand::Param(p)) => Ok(Operand::Param(p)),
        _ => Err(OdbcError::syntax(format!(
            "LIMIT, OFFSET and TOP take a non-negative integer or a parameter, not {e}"
        ))),
    }
}

fn combine_limit(limit: Option<&Operand>, offset: Option<&Operand>) -> Option<Operand> {
    match (limit?, offset) {
        (l, None) => Some(l.clone()),
        (Operand::Literal(Value::Int(l)), Some(Operand::Literal(Value::Int(o)))) => {
            Some(Operand::Literal(Value::Int(l.saturating_add(*o))))
        }
        _ => None,
    }
}

/// A literal or `$n` parameter operand, if `e` is one.
fn literal_operand(e: &ast::Expr) -> Option<Operand> {
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

/// Splits a WHERE clause into its AND-ed conjuncts.
fn conjuncts(e: &ast::Expr) -> Vec<&ast::Expr> {
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

/// The table column a bare or qualified identifier names.
fn column_of<'t>(e: &ast::Expr, table: &'t TableDef, scope: &TableScope) -> Option<&'t str> {
    let (qualifier, name) = match e {
        ast::Expr::Identifier(i) => (None, &i.value),
        ast::Expr::CompoundIdentifier(parts) if parts.len() == 2 => {
            (Some(parts[0].value.as_str()), &parts[1].value)
        }
        ast::Expr::Nested(inner) => return column_of(inner, table, scope),
        _ => return None,
    };
    scope.resolve_column(qualifier, name).ok()?;
    table
        .column_index(name)
        .map(|i| table.columns[i].name.as_str())
}

/// One pushable comparison found in the WHERE clause.
struct Comparison<'t> {
    column: &'t str,
    op: PushOp,
    values: Vec<Operand>,
}

fn comparison<'t>(
    e: &ast::Expr,
    table: &'t TableDef,
    scope: &TableScope,
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

/// Chooses get-by-id or a list request with the pushable conjuncts; the
/// flag says whether every conjunct was pushed.
fn choose_access(
    table: &TableDef,
    selection: Option<&ast::Expr>,
    scope: &TableScope,
) -> (Access, bool) {
    let Some(selection) = selection else {
        return (Access::List(fixed(table)), true);
    };
    let parts = conjuncts(selection);
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

    let mut params: Vec<PushedParam> = fixed(table);
    let mut all_pushed = true;
    for c in &comparisons {
        let Some(c) = c else {
            all_pushed = false;
            continue;
        };
        let pushed = table.pushdown_for(c.column).find(|p| match (p.op, c.op) {
            (PushOp::Eq, PushOp::Eq) => true,
            (PushOp::Eq, PushOp::EqList { max }) => max == 1,
            (PushOp::EqList { .. }, PushOp::Eq) => true,
            (PushOp::EqList { max }, PushOp::EqList { max: n }) => n <= max && n > 0,
            (a, b) => a == b,
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
    (Access::List(params), all_pushed)
}

fn fixed(table: &TableDef) -> Vec<PushedParam> {
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
