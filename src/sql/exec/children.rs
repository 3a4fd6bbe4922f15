//! Rows of a child table (`/deals/{id}/followers`): the parent ids come
//! from the WHERE clause (values or an `IN (subquery)` that ran first) or
//! from listing the parent table, page by page;
//! each parent (or batch of parents, where the endpoint takes a list) is
//! one request sequence. Parents are listed only as fast as their rows are
//! consumed, so a LIMIT stops both the walk and the child requests.

use super::backend::{Row, RowPages};
use super::scan::{list_query, query_pairs, request_id};
use super::ExecContext;
use crate::diag::{OdbcError, Result};
use crate::model::TableDef;
use crate::sql::expr::Expr;
use crate::sql::keys::ValueKey;
use crate::sql::plan::{Access, ScanPlan};
use crate::sql::planner::fixed_params;
use crate::sql::result::RowSource;
use crate::sql::value_set::SubqueryResult;
use crate::types::DataType;
use std::collections::{HashSet, VecDeque};
use std::sync::Arc;

/// Where parent ids come from.
enum ParentIds {
    /// Named by the WHERE clause (deduplicated, in order).
    Given,
    /// The parent table's list, not started yet or open.
    Walk {
        parent: Arc<TableDef>,
        query: Option<Vec<(String, String)>>,
        pages: Option<Box<dyn RowPages>>,
        id_column: usize,
        id_type: DataType,
    },
}

pub struct ChildRows {
    ctx: Arc<ExecContext>,
    table: Arc<TableDef>,
    /// The child requests' own parameters (the parent ids are added).
    query: Vec<(String, String)>,
    per_request: usize,
    source: ParentIds,
    /// Parent ids not requested yet.
    queue: VecDeque<String>,
    seen: HashSet<ValueKey>,
    parents_done: bool,
    current: Option<Box<dyn RowPages>>,
    buffer: VecDeque<Row>,
    filter: Option<Expr>,
}

impl ChildRows {
    pub fn new(scan: &ScanPlan, ctx: Arc<ExecContext>) -> Result<ChildRows> {
        let link = scan.table.parent.as_ref().ok_or_else(|| {
            OdbcError::general(format!(
                "internal error: {} has no parent table",
                scan.table.name
            ))
        })?;
        let parent_type = scan
            .table
            .column_index(link.column)
            .map_or(DataType::BigInt, |i| scan.table.columns[i].data_type);
        let query = list_query(scan, &ctx)?;
        let mut rows = ChildRows {
            table: scan.table.clone(),
            query,
            per_request: link.param.per_request(),
            source: ParentIds::Given,
            queue: VecDeque::new(),
            seen: HashSet::new(),
            parents_done: true,
            current: None,
            buffer: VecDeque::new(),
            filter: scan.filter.clone(),
            ctx,
        };
        match &scan.access {
            Access::Parents { ids, .. } => {
                for op in ids {
                    let value = rows.ctx.operand(op)?;
                    rows.enqueue(&value, parent_type);
                }
            }
            Access::SubqueryParents { slot, .. } => {
                let values = match rows.ctx.env.subqueries.get(*slot) {
                    Some(SubqueryResult::Set(set)) => set.values().to_vec(),
                    _ => {
                        return Err(OdbcError::general(
                            "internal error: the parents' subquery has not run",
                        ))
                    }
                };
                for value in &values {
                    rows.enqueue(value, parent_type);
                }
            }
            Access::ParentWalk { parent, .. } => {
                let id_column = parent
                    .primary_key
                    .as_deref()
                    .and_then(|pk| parent.column_index(pk))
                    .ok_or_else(|| {
                        OdbcError::general(format!(
                            "internal error: {} has no key to walk",
                            parent.name
                        ))
                    })?;
                let query = query_pairs(&fixed_params(parent), &rows.ctx)?;
                rows.source = ParentIds::Walk {
                    parent: parent.clone(),
                    query: Some(query),
                    pages: None,
                    id_column,
                    id_type: parent.columns[id_column].data_type,
                };
                rows.parents_done = false;
            }
            _ => {
                return Err(OdbcError::general(
                    "internal error: a child scan without parents",
                ))
            }
        }
        Ok(rows)
    }

    /// Adds a parent id once; one the API cannot be asked for (NULL, a
    /// fraction for an integer id) has no rows.
    fn enqueue(&mut self, value: &crate::value::Value, id_type: DataType) {
        let key = ValueKey::of(value);
        if key.is_null() || self.seen.contains(&key) {
            return;
        }
        if let Some(id) = request_id(value, id_type) {
            self.seen.insert(key);
            self.queue.push_back(id);
        }
    }

    /// Lists parents until a request's worth of ids is queued or the
    /// parent list ends.
    fn fill_queue(&mut self) -> Result<()> {
        while !self.parents_done && self.queue.len() < self.per_request {
            let ParentIds::Walk {
                parent,
                query,
                pages,
                id_column,
                id_type,
            } = &mut self.source
            else {
                self.parents_done = true;
                break;
            };
            if pages.is_none() {
                let q = query.take().unwrap_or_default();
                *pages = Some(self.ctx.backend.list(parent, q, None)?);
            }
            let (id_column, id_type) = (*id_column, *id_type);
            let page = match pages.as_mut() {
                Some(p) => p.next_page()?,
                None => None,
            };
            match page {
                Some(rows) => {
                    for row in rows {
                        if let Some(value) = row.get(id_column) {
                            self.enqueue(value, id_type);
                        }
                    }
                }
                None => self.parents_done = true,
            }
        }
        Ok(())
    }

    /// Opens the requests of the next batch of parents; `false` when no
    /// parent is left.
    fn open_next(&mut self) -> Result<bool> {
        self.fill_queue()?;
        let n = self.per_request.min(self.queue.len());
        if n == 0 {
            return Ok(false);
        }
        let batch: Vec<String> = self.queue.drain(..n).collect();
        self.current = Some(self.ctx.backend.list_children(
            &self.table,
            &batch,
            self.query.clone(),
        )?);
        Ok(true)
    }
}

impl RowSource for ChildRows {
    fn next_row(&mut self) -> Result<Option<Row>> {
        loop {
            while let Some(row) = self.buffer.pop_front() {
                match &self.filter {
                    Some(f) if !self.ctx.holds(f, &row)? => continue,
                    _ => return Ok(Some(row)),
                }
            }
            self.ctx.check_cancel()?;
            match self.current.as_mut() {
                Some(pages) => match pages.next_page()? {
                    Some(rows) => self.buffer.extend(rows),
                    None => self.current = None,
                },
                None => {
                    if !self.open_next()? {
                        return Ok(None);
                    }
                }
            }
        }
    }
}
