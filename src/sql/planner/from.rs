//! FROM, WHERE and ON: the relations, where each conjunct is evaluated, and
//! how each join runs.
//!
//! Joins are planned left-deep in the order written: relation `i` joins the
//! rows of relations `0..i`. A conjunct is evaluated as early as it can be
//! without changing results:
//!
//! * WHERE conjuncts and the ON conjuncts of inner joins are the same
//!   thing: one naming a single relation filters that relation's rows (and
//!   is mined for API parameters), unless the relation is the NULL-supplied
//!   side of a LEFT JOIN, where it must filter after the join; one naming
//!   several relations becomes a condition of the join where the last of
//!   them enters (or, if that is a LEFT JOIN, a filter just after it); one
//!   naming none filters the joined rows.
//! * The ON conjuncts of a LEFT JOIN naming only its right table filter that
//!   table's rows; the others are the join's condition.
//!
//! Join conditions of the form `left expr = right expr` (of comparable
//! types) are hash keys; the rest is checked on each pair of rows.

use super::cost::{choose_id_fetch, row_bound};
use super::pushdown::{choose_access, choose_child_access, conjuncts, subquery_params};
use super::scope::{FromScope, Relation, RelationColumn, RelationSource};
use super::{and_all, object_name, table_not_found, unsupported, Planner};
use crate::diag::{OdbcError, Result};
use crate::sql::expr::Expr;
use crate::sql::keys::KeyFamily;
use crate::sql::plan::{
    Access, BuildSide, IdFetch, IdLookup, JoinKind, JoinPlan, JoinStrategy, Node, ScanPlan,
};
use crate::sql::system_tables::SystemTable;
use sqlparser::ast;
use std::collections::BTreeSet;

/// The FROM clause with the WHERE clause applied.
pub(super) struct FromPlan<'q> {
    pub relations: Vec<Relation>,
    pub node: Node,
    /// Columns of the joined row.
    pub width: usize,
    /// Each relation's own conjuncts as written (what its rows are
    /// filtered by before joining).
    pub relation_conjuncts: Vec<Vec<&'q ast::Expr>>,
}

struct JoinSpec<'q> {
    kind: JoinKind,
    on: Vec<&'q ast::Expr>,
}

/// A compiled conjunct (positions in the joined row) and the relations it
/// names.
struct Conjunct<'q> {
    ast: &'q ast::Expr,
    expr: Expr,
    relations: BTreeSet<usize>,
}

fn relations_named(expr: &Expr, relations: &[Relation]) -> BTreeSet<usize> {
    let mut named = BTreeSet::new();
    expr.visit_columns(&mut |position| {
        if let Some(r) = FromScope::relation_of(relations, position) {
            named.insert(r);
        }
    });
    named
}

fn strip_nested(e: &ast::Expr) -> &ast::Expr {
    match e {
        ast::Expr::Nested(inner) => strip_nested(inner),
        other => other,
    }
}

impl Planner<'_> {
    pub(super) fn plan_from<'q>(
        &mut self,
        from: &'q [ast::TableWithJoins],
        selection: Option<&'q ast::Expr>,
    ) -> Result<FromPlan<'q>> {
        let mut relations: Vec<Relation> = Vec::new();
        let mut specs: Vec<JoinSpec<'q>> = Vec::new();
        for item in from {
            // A comma joins like CROSS JOIN: the WHERE clause links them.
            self.add_table_with_joins(item, &mut relations, &mut specs)?;
        }
        let where_parts = selection.map(conjuncts).unwrap_or_default();
        if relations.is_empty() {
            let scope = FromScope::all(&relations);
            let mut filters = Vec::new();
            for part in where_parts {
                filters.push(self.compile(part, &scope)?.expr);
            }
            let node = match and_all(filters) {
                Some(predicate) => Node::Filter {
                    input: Box::new(Node::SingleRow),
                    predicate,
                },
                None => Node::SingleRow,
            };
            return Ok(FromPlan {
                relations,
                node,
                width: 0,
                relation_conjuncts: Vec::new(),
            });
        }

        let count = relations.len();
        let mut relation_conjuncts: Vec<Vec<&'q ast::Expr>> = vec![Vec::new(); count];
        let mut join_conditions: Vec<Vec<Conjunct>> = (0..count).map(|_| Vec::new()).collect();
        let mut after_join: Vec<Vec<Expr>> = (0..count).map(|_| Vec::new()).collect();
        let mut on_top: Vec<Expr> = Vec::new();

        let mut free: Vec<Conjunct> = Vec::new();
        for part in where_parts {
            free.push(self.conjunct(part, &relations, &FromScope::all(&relations))?);
        }
        for (i, spec) in specs.iter().enumerate().skip(1) {
            for &part in &spec.on {
                let c = self.conjunct(part, &relations, &FromScope::prefix(&relations, i))?;
                match spec.kind {
                    JoinKind::Inner => free.push(c),
                    JoinKind::Left if c.relations.len() == 1 && c.relations.contains(&i) => {
                        relation_conjuncts[i].push(c.ast)
                    }
                    JoinKind::Left => join_conditions[i].push(c),
                }
            }
        }
        for c in free {
            let Some(&last) = c.relations.last() else {
                on_top.push(c.expr);
                continue;
            };
            let null_supplied = specs[last].kind == JoinKind::Left;
            if null_supplied {
                after_join[last].push(c.expr);
            } else if c.relations.len() == 1 {
                relation_conjuncts[last].push(c.ast);
            } else {
                join_conditions[last].push(c);
            }
        }

        let mut node = self.relation_node(&mut relations, 0, &relation_conjuncts[0])?;
        for i in 1..count {
            let right = self.relation_node(&mut relations, i, &relation_conjuncts[i])?;
            let conditions = std::mem::take(&mut join_conditions[i]);
            node = self.join(node, right, i, &relations, conditions, specs[i].kind)?;
            if let Some(predicate) = and_all(std::mem::take(&mut after_join[i])) {
                node = Node::Filter {
                    input: Box::new(node),
                    predicate,
                };
            }
        }
        if let Some(predicate) = and_all(on_top) {
            node = Node::Filter {
                input: Box::new(node),
                predicate,
            };
        }
        let width = relations.iter().map(Relation::width).sum();
        Ok(FromPlan {
            relations,
            node,
            width,
            relation_conjuncts,
        })
    }

    fn conjunct<'q>(
        &mut self,
        part: &'q ast::Expr,
        relations: &[Relation],
        scope: &FromScope,
    ) -> Result<Conjunct<'q>> {
        let expr = self.compile(part, scope)?.expr;
        Ok(Conjunct {
            ast: part,
            relations: relations_named(&expr, relations),
            expr,
        })
    }

    fn add_table_with_joins<'q>(
        &mut self,
        item: &'q ast::TableWithJoins,
        relations: &mut Vec<Relation>,
        specs: &mut Vec<JoinSpec<'q>>,
    ) -> Result<()> {
        match &item.relation {
            // `(a JOIN b ON ...) JOIN c ...`: parentheses on the left change
            // nothing in a left-deep plan.
            ast::TableFactor::NestedJoin {
                table_with_joins,
                alias: None,
            } => self.add_table_with_joins(table_with_joins, relations, specs)?,
            factor => {
                self.add_relation(factor, JoinKind::Inner, relations)?;
                specs.push(JoinSpec {
                    kind: JoinKind::Inner,
                    on: Vec::new(),
                });
            }
        }
        for join in &item.joins {
            use ast::JoinOperator as J;
            let (kind, constraint) = match &join.join_operator {
                J::Join(c) | J::Inner(c) | J::CrossJoin(c) => (JoinKind::Inner, c),
                J::Left(c) | J::LeftOuter(c) => (JoinKind::Left, c),
                J::Right(_) | J::RightOuter(_) => {
                    return Err(unsupported(
                        "RIGHT JOIN (write it as a LEFT JOIN with the tables swapped)",
                    ))
                }
                J::FullOuter(_) => return Err(unsupported("FULL OUTER JOIN")),
                _ => return Err(unsupported("this kind of join")),
            };
            let on = match constraint {
                ast::JoinConstraint::On(e) => conjuncts(e),
                ast::JoinConstraint::None if kind == JoinKind::Inner => Vec::new(),
                ast::JoinConstraint::None => {
                    return Err(OdbcError::syntax(
                        "Syntax error: LEFT JOIN needs an ON condition",
                    ))
                }
                ast::JoinConstraint::Using(_) | ast::JoinConstraint::UsingAlias(..) => {
                    return Err(unsupported("JOIN ... USING (write the ON condition)"))
                }
                ast::JoinConstraint::Natural => return Err(unsupported("NATURAL JOIN")),
            };
            self.add_relation(&join.relation, kind, relations)?;
            specs.push(JoinSpec { kind, on });
        }
        Ok(())
    }

    fn add_relation(
        &mut self,
        factor: &ast::TableFactor,
        kind: JoinKind,
        relations: &mut Vec<Relation>,
    ) -> Result<()> {
        let offset = relations.iter().map(Relation::width).sum();
        let null_supplied = kind == JoinKind::Left;
        let alias_name = |alias: &Option<ast::TableAlias>| -> Result<Option<String>> {
            match alias {
                None => Ok(None),
                Some(a) if a.columns.is_empty() => Ok(Some(a.name.value.clone())),
                Some(_) => Err(unsupported("column aliases on a table")),
            }
        };
        let relation = match factor {
            ast::TableFactor::Table {
                name,
                alias,
                args: None,
                with_hints,
                version: None,
                partitions,
                ..
            } if with_hints.is_empty() && partitions.is_empty() => {
                let table_name = object_name(name)?;
                let alias = alias_name(alias)?;
                if let Some(system) = SystemTable::lookup(&table_name) {
                    Relation {
                        table_name: system.name().to_string(),
                        alias,
                        columns: system
                            .columns()
                            .into_iter()
                            .map(|c| RelationColumn {
                                name: c.name.to_string(),
                                data_type: c.data_type,
                                nullable: c.nullable,
                                base_table: system.name().to_string(),
                                base_column: c.name.to_string(),
                            })
                            .collect(),
                        offset,
                        null_supplied,
                        source: RelationSource::System(system),
                    }
                } else {
                    let table = self
                        .schema
                        .resolve(&table_name, self.fields)?
                        .ok_or_else(|| table_not_found(&table_name))?;
                    Relation {
                        table_name: table.name.clone(),
                        alias,
                        columns: table
                            .columns
                            .iter()
                            .map(|c| RelationColumn {
                                name: c.name.clone(),
                                data_type: c.data_type,
                                nullable: c.nullable,
                                base_table: table.name.clone(),
                                base_column: c.name.clone(),
                            })
                            .collect(),
                        offset,
                        null_supplied,
                        source: RelationSource::Api(table),
                    }
                }
            }
            ast::TableFactor::Derived {
                lateral: false,
                subquery,
                alias,
                sample: None,
            } => {
                let plan = self.nested().plan_query(subquery)?;
                Relation {
                    table_name: String::new(),
                    alias: alias_name(alias)?,
                    columns: plan
                        .columns
                        .iter()
                        .map(|c| RelationColumn {
                            name: c.name.clone(),
                            data_type: c.data_type,
                            nullable: c.nullable,
                            base_table: c.table.clone(),
                            base_column: c.base_column.clone(),
                        })
                        .collect(),
                    offset,
                    null_supplied,
                    source: RelationSource::Derived(plan),
                }
            }
            ast::TableFactor::NestedJoin { .. } => {
                return Err(unsupported("a parenthesized join on the right of a join"))
            }
            _ => {
                return Err(unsupported(
                    "table functions and this kind of table in FROM",
                ))
            }
        };
        relations.push(relation);
        Ok(())
    }

    /// The rows of relation `i`, filtered by its own conjuncts.
    fn relation_node(
        &mut self,
        relations: &mut [Relation],
        i: usize,
        own: &[&ast::Expr],
    ) -> Result<Node> {
        let mut filters = Vec::new();
        {
            let scope = FromScope::only(relations, i);
            for part in own {
                filters.push(self.compile(part, &scope)?.expr);
            }
        }
        let filter = and_all(filters);
        if let RelationSource::Api(table) = &relations[i].source {
            let table = table.clone();
            let scope = FromScope::only(relations, i);
            let slots = &self.registry.slots;
            let slot_of = |query: &ast::Query| {
                slots
                    .get(&(query as *const ast::Query as usize))
                    .map(|planned| planned.slot)
            };
            let (access, fully_pushed) = match &table.parent {
                Some(link) => {
                    let parent = self
                        .schema
                        .table(link.table)
                        .cloned()
                        .ok_or_else(|| table_not_found(link.table))?;
                    choose_child_access(&table, &parent, own, &scope, &slot_of)
                }
                None => choose_access(&table, own, &scope),
            };
            let subquery_params = subquery_params(&table, own, &scope, &slot_of);
            return Ok(Node::Scan(Box::new(ScanPlan {
                label: relations[i].label().to_string(),
                table,
                access,
                fetch_limit: None,
                sort: None,
                subquery_params,
                filter,
                fully_pushed,
            })));
        }
        let base = match &mut relations[i].source {
            RelationSource::System(system) => Node::System(*system),
            RelationSource::Derived(plan) => std::mem::replace(&mut plan.root, Node::SingleRow),
            // Returned above.
            RelationSource::Api(_) => Node::SingleRow,
        };
        Ok(match filter {
            Some(predicate) => Node::Filter {
                input: Box::new(base),
                predicate,
            },
            None => base,
        })
    }

    /// `left_expr = right_expr` with the left side naming relations before
    /// `i` and the right side only relation `i` (or the other way round):
    /// (left key over the joined row, right key over relation i's row).
    fn equi_key(
        &mut self,
        part: &ast::Expr,
        i: usize,
        relations: &[Relation],
    ) -> Result<Option<(Expr, Expr)>> {
        let ast::Expr::BinaryOp {
            left,
            op: ast::BinaryOperator::Eq,
            right,
        } = strip_nested(part)
        else {
            return Ok(None);
        };
        let prefix = FromScope::prefix(relations, i);
        let l = self.compile(left, &prefix)?;
        let r = self.compile(right, &prefix)?;
        let is_outer = |named: &BTreeSet<usize>| !named.is_empty() && named.iter().all(|&x| x < i);
        let is_inner = |named: &BTreeSet<usize>| named.len() == 1 && named.contains(&i);
        let (ln, rn) = (
            relations_named(&l.expr, relations),
            relations_named(&r.expr, relations),
        );
        let (outer, inner_ast, inner_type) = if is_outer(&ln) && is_inner(&rn) {
            (l, right, r.data_type)
        } else if is_outer(&rn) && is_inner(&ln) {
            (r, left, l.data_type)
        } else {
            return Ok(None);
        };
        // Hashing is exact only within one family of comparable values.
        if KeyFamily::of_type(outer.data_type) != KeyFamily::of_type(inner_type) {
            return Ok(None);
        }
        let inner = self.compile(inner_ast, &FromScope::only(relations, i))?;
        Ok(Some((outer.expr, inner.expr)))
    }

    fn join(
        &mut self,
        left: Node,
        right: Node,
        i: usize,
        relations: &[Relation],
        conditions: Vec<Conjunct>,
        kind: JoinKind,
    ) -> Result<Node> {
        let right_width = relations[i].width();
        // (outer key, inner key, the whole conjunct)
        let mut keys: Vec<(Expr, Expr, Expr)> = Vec::new();
        let mut residual: Vec<Expr> = Vec::new();
        for c in conditions {
            match self.equi_key(c.ast, i, relations)? {
                Some((outer, inner)) => keys.push((outer, inner, c.expr)),
                None => residual.push(c.expr),
            }
        }

        // A child table joined on its parent id: each outer row's parent
        // is asked for its rows, never the whole parent table walked.
        if let Node::Scan(scan) = &right {
            let parent = match (&scan.access, &scan.table.parent) {
                (Access::ParentWalk { .. }, Some(link)) => scan
                    .table
                    .column_index(link.column)
                    .map(|column| (column, link.param.per_request())),
                _ => None,
            };
            let on_parent = parent.and_then(|(column, per_request)| {
                keys.iter()
                    .position(|(_, inner, _)| *inner == Expr::Column(column))
                    .map(|k| (k, column, per_request))
            });
            if let Some((k, column, per_request)) = on_parent {
                let (left_key, _, _) = keys.remove(k);
                residual.extend(keys.into_iter().map(|(_, _, whole)| whole));
                return Ok(Node::Join(Box::new(JoinPlan {
                    kind,
                    left,
                    right,
                    right_width,
                    strategy: JoinStrategy::IdLookup(IdLookup {
                        left_key,
                        right_id_column: column,
                        fetch: IdFetch::Children { per_request },
                        request_budget: None,
                    }),
                    condition: and_all(residual),
                })));
            }
        }

        // The inner table joined on its id: fetch the ids instead of
        // scanning, when the cost model says so.
        if let Node::Scan(scan) = &right {
            let pk = scan
                .table
                .primary_key
                .as_deref()
                .and_then(|pk| scan.table.column_index(pk));
            let scan_unbounded = super::cost::scan_row_bound(scan).is_none();
            let on_id = pk.and_then(|pk| {
                keys.iter()
                    .position(|(_, inner, _)| *inner == Expr::Column(pk))
                    .map(|k| (k, pk))
            });
            if let (Some((k, pk)), true) = (on_id, scan_unbounded) {
                if let Some((fetch, request_budget)) =
                    choose_id_fetch(&scan.table, row_bound(&left))
                {
                    let (left_key, _, _) = keys.remove(k);
                    residual.extend(keys.into_iter().map(|(_, _, whole)| whole));
                    return Ok(Node::Join(Box::new(JoinPlan {
                        kind,
                        left,
                        right,
                        right_width,
                        strategy: JoinStrategy::IdLookup(IdLookup {
                            left_key,
                            right_id_column: pk,
                            fetch,
                            request_budget,
                        }),
                        condition: and_all(residual),
                    })));
                }
            }
        }

        let strategy = if keys.is_empty() {
            JoinStrategy::NestedLoop
        } else {
            // Hold the side known to be smaller; by default the inner one
            // (always for LEFT JOIN, whose outer rows must all stream by).
            let build = match (kind, row_bound(&left), row_bound(&right)) {
                (JoinKind::Inner, Some(l), r) if r.map_or(true, |r| l < r) => BuildSide::Left,
                _ => BuildSide::Right,
            };
            let (left_keys, right_keys) = keys.into_iter().map(|(l, r, _)| (l, r)).unzip();
            JoinStrategy::Hash {
                left_keys,
                right_keys,
                build,
            }
        };
        Ok(Node::Join(Box::new(JoinPlan {
            kind,
            left,
            right,
            right_width,
            strategy,
            condition: and_all(residual),
        })))
    }
}
