//! One SELECT: FROM and WHERE (from.rs), then aggregation, projection,
//! DISTINCT, ORDER BY and LIMIT, and what of the order and the limit the
//! API can take over.
//!
//! The projected row holds the select list and, after it, any ORDER BY key
//! that is not in the select list; those extra columns are dropped last.

use super::from::FromPlan;
use super::grouping::{rewrite_for_groups, AggregateCollector};
use super::pushdown::rejects_nulls_of;
use super::scope::{FromScope, Relation};
use super::{
    combine_limit, expression_label, order_position, sort_and_limit, sort_direction, unsupported,
    Planner, QueryTail,
};
use crate::diag::{OdbcError, Result, SqlState};
use crate::model::{ApiVersion, RowShape};
use crate::sql::expr::{Expr, Scope};
use crate::sql::plan::{
    Access, AggregatePlan, BuildSide, JoinKind, JoinStrategy, Node, Operand, PushedSort, QueryPlan,
    ScanPlan, SortKey,
};
use crate::sql::result::ResultColumn;
use crate::types::DataType;
use crate::value::Value;
use sqlparser::ast;

/// One column of the select list.
struct Item {
    expr: Expr,
    column: ResultColumn,
    /// `AS alias`, which ORDER BY and GROUP BY may name.
    alias: Option<String>,
}

/// An ORDER BY key: a select-list position or an expression of its own.
enum OrderSource {
    Output(usize),
    Extra(Expr),
}

fn reject_unsupported_clauses(select: &ast::Select) -> Result<()> {
    if select.into.is_some() {
        return Err(unsupported("SELECT INTO"));
    }
    if !select.lateral_views.is_empty()
        || select.prewhere.is_some()
        || !select.connect_by.is_empty()
        || !select.cluster_by.is_empty()
        || !select.distribute_by.is_empty()
        || !select.sort_by.is_empty()
        || !select.named_window.is_empty()
        || select.qualify.is_some()
        || select.value_table_mode.is_some()
        || select.exclude.is_some()
    {
        return Err(unsupported("this SELECT clause"));
    }
    Ok(())
}

/// A bare reference to a relation column: the base table and column.
fn base_of(expr: &Expr, relations: &[Relation]) -> Option<(String, String)> {
    let Expr::Column(position) = expr else {
        return None;
    };
    let r = FromScope::relation_of(relations, *position)?;
    let column = &relations[r].columns[position - relations[r].offset];
    Some((column.base_table.clone(), column.base_column.clone()))
}

fn column_name_of(expr: &Expr, relations: &[Relation]) -> Option<String> {
    let Expr::Column(position) = expr else {
        return None;
    };
    let r = FromScope::relation_of(relations, *position)?;
    Some(
        relations[r].columns[position - relations[r].offset]
            .name
            .clone(),
    )
}

/// The select-list expression a GROUP BY item stands for: `GROUP BY 2`, or
/// an output alias that is not also an input column.
fn group_target<'a>(
    e: &'a ast::Expr,
    projection: &'a [ast::SelectItem],
    scope: &dyn Scope,
) -> Result<&'a ast::Expr> {
    let item_expr = |item: &'a ast::SelectItem| match item {
        ast::SelectItem::UnnamedExpr(e) | ast::SelectItem::ExprWithAlias { expr: e, .. } => Some(e),
        _ => None,
    };
    if let ast::Expr::Value(v) = e {
        if let ast::Value::Number(n, _) = &v.value {
            let position: usize = n
                .parse()
                .map_err(|_| OdbcError::syntax(format!("Invalid GROUP BY position {n}")))?;
            return projection
                .get(position.wrapping_sub(1))
                .and_then(item_expr)
                .ok_or_else(|| {
                    OdbcError::syntax(format!(
                        "GROUP BY position {position} is not an expression of the select list (1 to {})",
                        projection.len()
                    ))
                });
        }
    }
    if let ast::Expr::Identifier(ident) = e {
        if scope.resolve_column(None, &ident.value).is_err() {
            for item in projection {
                if let ast::SelectItem::ExprWithAlias { expr, alias } = item {
                    if alias.value.eq_ignore_ascii_case(&ident.value) {
                        return Ok(expr);
                    }
                }
            }
        }
    }
    Ok(e)
}

/// The scan at the bottom left of the FROM tree, reached through joins
/// that keep the order of their left rows (and, with `every_row`, yield at
/// least one row for each with nothing filtering on the way).
fn leftmost_scan(node: &mut Node, every_row: bool) -> Option<&mut ScanPlan> {
    match node {
        Node::Scan(scan) => Some(scan),
        Node::Join(join) => {
            let keeps_order = !matches!(
                join.strategy,
                JoinStrategy::Hash {
                    build: BuildSide::Left,
                    ..
                }
            );
            if keeps_order && (!every_row || join.kind == JoinKind::Left) {
                leftmost_scan(&mut join.left, every_row)
            } else {
                None
            }
        }
        Node::Filter { input, .. } if !every_row => leftmost_scan(input, false),
        _ => None,
    }
}

impl Planner<'_> {
    pub(super) fn plan_select(
        &mut self,
        select: &ast::Select,
        tail: QueryTail,
    ) -> Result<QueryPlan> {
        reject_unsupported_clauses(select)?;
        let FromPlan {
            relations,
            node: from_node,
            width,
            relation_conjuncts,
        } = self.plan_from(&select.from, select.selection.as_ref())?;
        let scope = FromScope::all(&relations);
        let mut collector = AggregateCollector::new(width);
        let mut items = self.select_items(&select.projection, &relations, &mut collector)?;

        let mut having = match &select.having {
            Some(h) => Some(
                self.compile_with_aggregates(h, &scope, &mut collector)?
                    .expr,
            ),
            None => None,
        };
        let group_asts: &[ast::Expr] = match &select.group_by {
            ast::GroupByExpr::Expressions(exprs, modifiers) if modifiers.is_empty() => exprs,
            _ => return Err(unsupported("GROUP BY ALL, ROLLUP, CUBE and GROUPING SETS")),
        };
        let mut groups = Vec::new();
        for g in group_asts {
            let target = group_target(g, &select.projection, &scope)?;
            groups.push(self.compile(target, &scope)?.expr);
        }

        let mut order = Vec::new();
        for item in tail.order {
            let (descending, nulls_first) = sort_direction(item);
            let source = self.order_source(&item.expr, &items, &scope, &mut collector)?;
            order.push((source, descending, nulls_first));
        }

        let distinct = match &select.distinct {
            None | Some(ast::Distinct::All) => false,
            Some(ast::Distinct::Distinct) => true,
            Some(ast::Distinct::On(_)) => return Err(unsupported("DISTINCT ON")),
        };
        let offset = tail.offset;
        let limit = match &select.top {
            Some(top) => Some(top_count(top)?),
            None => tail.limit,
        };

        let aggregating = !groups.is_empty() || having.is_some() || !collector.calls.is_empty();
        let mut input = from_node;
        if aggregating {
            let describe = |position: usize| FromScope::describe(&relations, position);
            for item in items.iter_mut() {
                rewrite_for_groups(&mut item.expr, &groups, width, &describe)?;
            }
            if let Some(h) = having.as_mut() {
                rewrite_for_groups(h, &groups, width, &describe)?;
            }
            for (source, _, _) in order.iter_mut() {
                if let OrderSource::Extra(e) = source {
                    rewrite_for_groups(e, &groups, width, &describe)?;
                }
            }
            input = Node::Aggregate(Box::new(AggregatePlan {
                input,
                group_by: groups,
                aggregates: std::mem::take(&mut collector.calls),
            }));
            if let Some(predicate) = having {
                input = Node::Filter {
                    input: Box::new(input),
                    predicate,
                };
            }
        }

        // The projected row: the select list, then extra sort keys.
        let visible = items.len();
        let mut exprs: Vec<Expr> = items.iter().map(|it| it.expr.clone()).collect();
        let mut keys = Vec::new();
        for (source, descending, nulls_first) in order {
            let column = match source {
                OrderSource::Output(p) => p,
                OrderSource::Extra(e) => {
                    if distinct {
                        return Err(OdbcError::syntax(
                            "Syntax error: with SELECT DISTINCT, ORDER BY expressions must appear in the select list",
                        ));
                    }
                    exprs.push(e);
                    exprs.len() - 1
                }
            };
            keys.push(SortKey {
                column,
                descending,
                nulls_first,
            });
        }

        // What the API can do of the order and the limit.
        if !aggregating && !keys.is_empty() {
            if let Some(pushed) = pushable_sort(&keys, &exprs, &relations, &relation_conjuncts) {
                if let Some(scan) = leftmost_scan(&mut input, false) {
                    // Rows of many requests (a child table's parents) are
                    // sorted per request only.
                    if !matches!(
                        scan.access,
                        Access::Parents { .. }
                            | Access::SubqueryParents { .. }
                            | Access::ParentWalk { .. }
                    ) {
                        scan.sort = Some(pushed);
                        keys.clear();
                    }
                }
            }
        }
        if !aggregating && !distinct && keys.is_empty() {
            if let (Some(fetch), Some(scan)) = (
                combine_limit(limit.as_ref(), offset.as_ref()),
                leftmost_scan(&mut input, true),
            ) {
                if scan.fully_pushed && matches!(scan.access, Access::List(_)) {
                    scan.fetch_limit = Some(fetch);
                }
            }
        }

        let mut root = Node::Project {
            input: Box::new(input),
            exprs: exprs.clone(),
        };
        if distinct {
            root = Node::Distinct {
                input: Box::new(root),
            };
        }
        root = sort_and_limit(root, keys, limit, offset);
        if exprs.len() > visible {
            root = Node::Project {
                input: Box::new(root),
                exprs: (0..visible).map(Expr::Column).collect(),
            };
        }
        let param_columns = items
            .iter()
            .enumerate()
            .filter_map(|(c, it)| match it.expr {
                Expr::Param(p) => Some((c, p)),
                _ => None,
            })
            .collect();
        Ok(QueryPlan {
            root,
            columns: items.into_iter().map(|it| it.column).collect(),
            param_columns,
        })
    }
}

/// `TOP n` (it replaces any LIMIT).
fn top_count(top: &ast::Top) -> Result<Operand> {
    if top.percent || top.with_ties {
        return Err(unsupported("TOP PERCENT / WITH TIES"));
    }
    match &top.quantity {
        Some(ast::TopQuantity::Constant(n)) => Ok(Operand::Literal(Value::Int(
            i64::try_from(*n).unwrap_or(i64::MAX),
        ))),
        Some(ast::TopQuantity::Expr(e)) => super::count_operand(e),
        None => Err(OdbcError::syntax("TOP needs a row count")),
    }
}

/// The relations a `q.*` names: by alias, else by table name.
fn relations_named<'r>(relations: &'r [Relation], q: &str) -> Vec<&'r Relation> {
    let by_alias: Vec<&Relation> = relations
        .iter()
        .filter(|r| {
            r.alias
                .as_deref()
                .is_some_and(|a| a.eq_ignore_ascii_case(q))
        })
        .collect();
    if !by_alias.is_empty() {
        return by_alias;
    }
    relations
        .iter()
        .filter(|r| r.table_name.eq_ignore_ascii_case(q))
        .collect()
}

impl Planner<'_> {
    /// The select list, compiled over the joined row (aggregates recorded).
    fn select_items(
        &mut self,
        projection: &[ast::SelectItem],
        relations: &[Relation],
        collector: &mut AggregateCollector,
    ) -> Result<Vec<Item>> {
        let scope = FromScope::all(relations);
        let mut items: Vec<Item> = Vec::new();
        for item in projection {
            match item {
                ast::SelectItem::Wildcard(options) => {
                    if relations.is_empty() {
                        return Err(OdbcError::syntax("SELECT * needs a FROM clause"));
                    }
                    if options.opt_exclude.is_some()
                        || options.opt_except.is_some()
                        || options.opt_replace.is_some()
                        || options.opt_rename.is_some()
                        || options.opt_ilike.is_some()
                    {
                        return Err(unsupported("options of SELECT *"));
                    }
                    for relation in relations {
                        items.extend(wildcard_items(relation));
                    }
                }
                ast::SelectItem::QualifiedWildcard(kind, _) => {
                    let ast::SelectItemQualifiedWildcardKind::ObjectName(name) = kind else {
                        return Err(unsupported("expression.*"));
                    };
                    let q = super::object_name(name)?;
                    match relations_named(relations, &q).as_slice() {
                        [relation] => items.extend(wildcard_items(relation)),
                        [] => {
                            return Err(OdbcError::new(
                                SqlState::TableNotFound,
                                format!("'{q}' is not a table in the FROM clause"),
                            ))
                        }
                        _ => {
                            return Err(OdbcError::syntax(format!(
                                "'{q}' is ambiguous: give the tables different aliases"
                            )))
                        }
                    }
                }
                ast::SelectItem::UnnamedExpr(e)
                | ast::SelectItem::ExprWithAlias { expr: e, .. } => {
                    let typed = self.compile_with_aggregates(e, &scope, collector)?;
                    let alias = match item {
                        ast::SelectItem::ExprWithAlias { alias, .. } => Some(alias.value.clone()),
                        _ => None,
                    };
                    // Named by the alias, else the column, else the text.
                    let name = alias
                        .clone()
                        .or_else(|| column_name_of(&typed.expr, relations))
                        .unwrap_or_else(|| expression_label(e));
                    let (table, base_column) = base_of(&typed.expr, relations).unwrap_or_default();
                    items.push(Item {
                        column: ResultColumn {
                            name,
                            data_type: typed.data_type,
                            nullable: typed.nullable,
                            table,
                            base_column,
                        },
                        expr: typed.expr,
                        alias,
                    });
                }
                other => return Err(unsupported(&format!("the select item {other}"))),
            }
        }
        Ok(items)
    }

    /// An ORDER BY key: a select-list position or alias, or an expression
    /// (the same as a select item, or an extra column).
    fn order_source(
        &mut self,
        e: &ast::Expr,
        items: &[Item],
        scope: &FromScope,
        collector: &mut AggregateCollector,
    ) -> Result<OrderSource> {
        if let Some(p) = order_position(e, items.len())? {
            return Ok(OrderSource::Output(p));
        }
        if let ast::Expr::Identifier(ident) = e {
            let by_alias = items.iter().position(|it| {
                it.alias
                    .as_deref()
                    .is_some_and(|a| a.eq_ignore_ascii_case(&ident.value))
            });
            if let Some(p) = by_alias {
                return Ok(OrderSource::Output(p));
            }
        }
        let expr = self.compile_with_aggregates(e, scope, collector)?.expr;
        Ok(match items.iter().position(|it| it.expr == expr) {
            Some(p) => OrderSource::Output(p),
            None => OrderSource::Extra(expr),
        })
    }
}

fn wildcard_items(relation: &Relation) -> Vec<Item> {
    relation
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| Item {
            expr: Expr::Column(relation.offset + i),
            column: ResultColumn {
                name: c.name.clone(),
                data_type: c.data_type,
                nullable: c.nullable || relation.null_supplied,
                table: c.base_table.clone(),
                base_column: c.base_column.clone(),
            },
            alias: None,
        })
        .collect()
}

/// The sort the leftmost table's endpoint can produce for these keys, if
/// it gives exactly the order asked for: the first key is a column of that
/// table the endpoint sorts by; it is the only key, or (without joins) the
/// table's unique id; and the column has no NULLs (declared NOT NULL, or
/// its NULLs are filtered out), since the API's place for NULLs is unknown.
fn pushable_sort(
    keys: &[SortKey],
    exprs: &[Expr],
    relations: &[Relation],
    relation_conjuncts: &[Vec<&ast::Expr>],
) -> Option<PushedSort> {
    let first = keys.first()?;
    let relation = relations.first()?;
    let table = relation.api_table()?;
    let Expr::Column(position) = exprs.get(first.column)? else {
        return None;
    };
    if *position >= relation.width() {
        return None;
    }
    let column = &table.columns[*position];
    let is_id = table
        .primary_key
        .as_deref()
        .is_some_and(|pk| pk.eq_ignore_ascii_case(&column.name));
    // Ties on the first key keep the API's order, which is known only for
    // a unique id (one row per record, no join repeating it).
    let unique = is_id && relations.len() == 1 && table.row_shape == RowShape::PerRecord;
    if keys.len() > 1 && !unique {
        return None;
    }
    let scope = FromScope::only(relations, 0);
    let no_nulls = !column.nullable
        || relation_conjuncts
            .first()?
            .iter()
            .any(|c| rejects_nulls_of(c, &column.name, table, &scope));
    if !no_nulls {
        return None;
    }
    let api_name = match table.sort_key_for(&column.name) {
        Some(api) => Some(api),
        // v2 lists come in ascending order of their integer `Id` without
        // being asked.
        None if is_id
            && column.name == "Id"
            && matches!(column.data_type, DataType::Integer | DataType::BigInt)
            && !first.descending
            && table.sortable.is_empty()
            && table.endpoint.version == ApiVersion::V2 =>
        {
            None
        }
        None => return None,
    };
    Some(PushedSort {
        api_name,
        descending: first.descending,
    })
}
