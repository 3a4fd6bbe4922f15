//! Joins. The outer (left) rows stream; the inner side is held (nested
//! loop, hash table) or fetched by the outer rows' ids in batches. A LEFT
//! JOIN emits an outer row without a match once, with NULLs on the right.
//! The inner side is not requested at all when there is no outer row.

use super::backend::Row;
use super::scan::{list_query, request_id, ScanRows};
use super::{CancelTicker, ExecContext, Rows};
use crate::diag::Result;
use crate::model::TableDef;
use crate::sql::expr::Expr;
use crate::sql::keys::ValueKey;
use crate::sql::plan::{BuildSide, IdFetch, IdLookup, JoinKind, JoinPlan, ScanPlan};
use crate::sql::planner::{id_fetch_requests, ID_BATCH_ROWS};
use crate::sql::result::RowSource;
use crate::types::DataType;
use crate::value::Value;
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;

fn joined(left: &[Value], right: &[Value]) -> Row {
    let mut row = Vec::with_capacity(left.len() + right.len());
    row.extend_from_slice(left);
    row.extend_from_slice(right);
    row
}

fn null_extended(left: &[Value], right_width: usize) -> Row {
    let mut row = Vec::with_capacity(left.len() + right_width);
    row.extend_from_slice(left);
    row.resize(left.len() + right_width, Value::Null);
    row
}

/// The key of a row, or `None` when part of it is NULL (which matches
/// nothing).
fn key_of(keys: &[Expr], row: &[Value], ctx: &ExecContext) -> Result<Option<Vec<ValueKey>>> {
    let mut key = Vec::with_capacity(keys.len());
    for e in keys {
        let k = ValueKey::of(&ctx.eval(e, row)?);
        if k.is_null() {
            return Ok(None);
        }
        key.push(k);
    }
    Ok(Some(key))
}

/// What joins share: the kind, the extra condition and the right width.
struct JoinShape {
    kind: JoinKind,
    condition: Option<Expr>,
    right_width: usize,
}

impl JoinShape {
    fn of(plan: &JoinPlan) -> JoinShape {
        JoinShape {
            kind: plan.kind,
            condition: plan.condition.clone(),
            right_width: plan.right_width,
        }
    }

    /// The joined rows of one outer row and its candidate inner rows.
    fn emit<'r>(
        &self,
        left: &[Value],
        candidates: impl Iterator<Item = &'r Row>,
        out: &mut VecDeque<Row>,
        ctx: &ExecContext,
        ticker: &mut CancelTicker,
    ) -> Result<()> {
        let mut matched = false;
        for right in candidates {
            ticker.tick(ctx)?;
            let row = joined(left, right);
            if match &self.condition {
                Some(c) => ctx.holds(c, &row)?,
                None => true,
            } {
                matched = true;
                out.push_back(row);
            }
        }
        if !matched && self.kind == JoinKind::Left {
            out.push_back(null_extended(left, self.right_width));
        }
        Ok(())
    }
}

fn read_all(rows: &mut Rows, ctx: &ExecContext) -> Result<Vec<Row>> {
    let mut all = Vec::new();
    let mut ticker = CancelTicker::default();
    while let Some(row) = rows.next_row()? {
        ticker.tick(ctx)?;
        all.push(row);
    }
    Ok(all)
}

/// Every outer row against every inner row (held once read).
pub struct NestedLoopJoin {
    shape: JoinShape,
    left: Rows,
    right: Rows,
    inner: Option<Vec<Row>>,
    pending: VecDeque<Row>,
    ticker: CancelTicker,
    ctx: Arc<ExecContext>,
}

impl NestedLoopJoin {
    pub fn new(plan: &JoinPlan, left: Rows, right: Rows, ctx: Arc<ExecContext>) -> NestedLoopJoin {
        NestedLoopJoin {
            shape: JoinShape::of(plan),
            left,
            right,
            inner: None,
            pending: VecDeque::new(),
            ticker: CancelTicker::default(),
            ctx,
        }
    }
}

impl RowSource for NestedLoopJoin {
    fn next_row(&mut self) -> Result<Option<Row>> {
        loop {
            if let Some(row) = self.pending.pop_front() {
                return Ok(Some(row));
            }
            let Some(left) = self.left.next_row()? else {
                return Ok(None);
            };
            if self.inner.is_none() {
                self.inner = Some(read_all(&mut self.right, &self.ctx)?);
            }
            let inner = self.inner.as_deref().unwrap_or_default();
            self.shape.emit(
                &left,
                inner.iter(),
                &mut self.pending,
                &self.ctx,
                &mut self.ticker,
            )?;
        }
    }
}

/// Equal keys meet in a hash table of one side.
pub struct HashJoin {
    shape: JoinShape,
    left: Rows,
    right: Rows,
    left_keys: Vec<Expr>,
    right_keys: Vec<Expr>,
    build: BuildSide,
    table: Option<HashMap<Vec<ValueKey>, Vec<Row>>>,
    pending: VecDeque<Row>,
    ticker: CancelTicker,
    ctx: Arc<ExecContext>,
}

impl HashJoin {
    pub fn new(
        plan: &JoinPlan,
        left: Rows,
        right: Rows,
        (left_keys, right_keys, build): (Vec<Expr>, Vec<Expr>, BuildSide),
        ctx: Arc<ExecContext>,
    ) -> HashJoin {
        HashJoin {
            shape: JoinShape::of(plan),
            left,
            right,
            left_keys,
            right_keys,
            // Only an inner join may hold its outer side.
            build: if plan.kind == JoinKind::Inner {
                build
            } else {
                BuildSide::Right
            },
            table: None,
            pending: VecDeque::new(),
            ticker: CancelTicker::default(),
            ctx,
        }
    }

    fn hash_table(
        rows: &mut Rows,
        keys: &[Expr],
        ctx: &ExecContext,
    ) -> Result<HashMap<Vec<ValueKey>, Vec<Row>>> {
        let mut table: HashMap<Vec<ValueKey>, Vec<Row>> = HashMap::new();
        let mut ticker = CancelTicker::default();
        while let Some(row) = rows.next_row()? {
            ticker.tick(ctx)?;
            if let Some(key) = key_of(keys, &row, ctx)? {
                table.entry(key).or_default().push(row);
            }
        }
        Ok(table)
    }

    /// Build the inner side, stream the outer one.
    fn next_probing_left(&mut self) -> Result<Option<Row>> {
        loop {
            if let Some(row) = self.pending.pop_front() {
                return Ok(Some(row));
            }
            let Some(left) = self.left.next_row()? else {
                return Ok(None);
            };
            if self.table.is_none() {
                self.table = Some(Self::hash_table(
                    &mut self.right,
                    &self.right_keys,
                    &self.ctx,
                )?);
            }
            let key = key_of(&self.left_keys, &left, &self.ctx)?;
            let candidates = key
                .as_ref()
                .and_then(|k| self.table.as_ref().and_then(|t| t.get(k)))
                .map(|rows| rows.as_slice())
                .unwrap_or_default();
            self.shape.emit(
                &left,
                candidates.iter(),
                &mut self.pending,
                &self.ctx,
                &mut self.ticker,
            )?;
        }
    }

    /// Build the outer side (an inner join known to have few outer rows),
    /// stream the inner one.
    fn next_probing_right(&mut self) -> Result<Option<Row>> {
        if self.table.is_none() {
            let table = Self::hash_table(&mut self.left, &self.left_keys, &self.ctx)?;
            if table.is_empty() {
                // No outer row can match: the inner side is never read.
                self.table = Some(table);
                return Ok(None);
            }
            self.table = Some(table);
        }
        loop {
            if let Some(row) = self.pending.pop_front() {
                return Ok(Some(row));
            }
            let Some(table) = self.table.as_ref().filter(|t| !t.is_empty()) else {
                return Ok(None);
            };
            let Some(right) = self.right.next_row()? else {
                return Ok(None);
            };
            self.ticker.tick(&self.ctx)?;
            let Some(key) = key_of(&self.right_keys, &right, &self.ctx)? else {
                continue;
            };
            for left in table.get(&key).map(Vec::as_slice).unwrap_or_default() {
                let row = joined(left, &right);
                if match &self.shape.condition {
                    Some(c) => self.ctx.holds(c, &row)?,
                    None => true,
                } {
                    self.pending.push_back(row);
                }
            }
        }
    }
}

impl RowSource for HashJoin {
    fn next_row(&mut self) -> Result<Option<Row>> {
        match self.build {
            BuildSide::Right => self.next_probing_left(),
            BuildSide::Left => self.next_probing_right(),
        }
    }
}

/// The inner table fetched by the ids the outer rows reference: the outer
/// rows are read in batches (up to one request's worth of new ids), the new
/// ids fetched, the batch joined; fetched rows are kept for later batches.
/// Past the request budget the inner table is scanned once instead.
pub struct IdLookupJoin {
    shape: JoinShape,
    left: Rows,
    left_done: bool,
    table: Arc<TableDef>,
    /// The inner scan's own parameters (sent with the ids) and filter.
    query: Vec<(String, String)>,
    filter: Option<Expr>,
    left_key: Expr,
    right_id_column: usize,
    /// The type of the inner table's id (how ids are written in requests).
    id_type: DataType,
    fetch: IdFetch,
    budget: Option<u64>,
    requests: u64,
    /// Inner rows by id: those fetched, or after a scan all of them.
    rows_by_id: HashMap<ValueKey, Vec<Row>>,
    requested: HashSet<ValueKey>,
    scanned: bool,
    /// The inner table's scan, for when the budget is spent.
    inner_scan: ScanPlan,
    pending: VecDeque<Row>,
    ticker: CancelTicker,
    ctx: Arc<ExecContext>,
}

/// Ids per batch when each id is a request of its own.
const GET_BY_ID_BATCH: usize = 100;

impl IdLookupJoin {
    pub fn new(
        plan: &JoinPlan,
        lookup: &IdLookup,
        scan: &ScanPlan,
        left: Rows,
        ctx: Arc<ExecContext>,
    ) -> Result<IdLookupJoin> {
        Ok(IdLookupJoin {
            shape: JoinShape::of(plan),
            left,
            left_done: false,
            table: scan.table.clone(),
            query: list_query(scan, &ctx)?,
            filter: scan.filter.clone(),
            left_key: lookup.left_key.clone(),
            right_id_column: lookup.right_id_column,
            id_type: scan
                .table
                .columns
                .get(lookup.right_id_column)
                .map_or(DataType::BigInt, |c| c.data_type),
            fetch: lookup.fetch.clone(),
            budget: lookup.request_budget,
            requests: 0,
            rows_by_id: HashMap::new(),
            requested: HashSet::new(),
            scanned: false,
            inner_scan: ScanPlan {
                table: scan.table.clone(),
                label: scan.label.clone(),
                access: scan.access.clone(),
                fetch_limit: None,
                sort: None,
                subquery_params: scan.subquery_params.clone(),
                filter: scan.filter.clone(),
                fully_pushed: scan.fully_pushed,
            },
            pending: VecDeque::new(),
            ticker: CancelTicker::default(),
            ctx,
        })
    }

    fn keep(&mut self, row: Row) -> Result<()> {
        if let Some(f) = &self.filter {
            if !self.ctx.holds(f, &row)? {
                return Ok(());
            }
        }
        let id = ValueKey::of(row.get(self.right_id_column).unwrap_or(&Value::Null));
        if !id.is_null() {
            self.rows_by_id.entry(id).or_default().push(row);
        }
        Ok(())
    }

    fn scan_all(&mut self) -> Result<()> {
        self.rows_by_id.clear();
        let mut rows = ScanRows::new(&self.inner_scan, self.ctx.clone())?;
        while let Some(row) = rows.next_row()? {
            self.ticker.tick(&self.ctx)?;
            // ScanRows applied the filter already.
            let id = ValueKey::of(row.get(self.right_id_column).unwrap_or(&Value::Null));
            if !id.is_null() {
                self.rows_by_id.entry(id).or_default().push(row);
            }
        }
        self.scanned = true;
        Ok(())
    }

    fn fetch_ids(&mut self, ids: &[String]) -> Result<()> {
        match self.fetch.clone() {
            IdFetch::List { param, max } => {
                for chunk in ids.chunks(max.max(1)) {
                    self.ctx.check_cancel()?;
                    let mut query = self.query.clone();
                    query.push((param.to_string(), chunk.join(",")));
                    let mut pages = self.ctx.backend.list(&self.table, query, None)?;
                    while let Some(page) = pages.next_page()? {
                        self.requests += 1;
                        for row in page {
                            self.keep(row)?;
                        }
                    }
                }
            }
            IdFetch::Children { per_request } => {
                for chunk in ids.chunks(per_request.max(1)) {
                    self.ctx.check_cancel()?;
                    let mut pages =
                        self.ctx
                            .backend
                            .list_children(&self.table, chunk, self.query.clone())?;
                    while let Some(page) = pages.next_page()? {
                        self.requests += 1;
                        for row in page {
                            self.keep(row)?;
                        }
                    }
                }
            }
            IdFetch::GetById => {
                for id in ids {
                    self.ctx.check_cancel()?;
                    self.requests += 1;
                    if let Some(row) = self.ctx.backend.get_by_id(&self.table, id)? {
                        self.keep(row)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Reads the next batch of outer rows, fetches their new ids and joins
    /// them.
    fn next_batch(&mut self) -> Result<()> {
        let batch_ids = match self.fetch {
            IdFetch::List { max, .. } => max.max(1),
            IdFetch::GetById => GET_BY_ID_BATCH,
            IdFetch::Children { per_request } => per_request.max(1).max(GET_BY_ID_BATCH),
        };
        let mut batch: Vec<(Row, ValueKey)> = Vec::new();
        let mut new_ids: Vec<String> = Vec::new();
        let mut new_keys: HashSet<ValueKey> = HashSet::new();
        while batch.len() < ID_BATCH_ROWS && new_ids.len() < batch_ids {
            let Some(left) = self.left.next_row()? else {
                self.left_done = true;
                break;
            };
            self.ticker.tick(&self.ctx)?;
            let value = self.ctx.eval(&self.left_key, &left)?;
            let key = ValueKey::of(&value);
            if !key.is_null()
                && !self.scanned
                && !self.requested.contains(&key)
                && !new_keys.contains(&key)
            {
                // An id the API cannot be asked for (a fraction for an
                // integer id) names no row.
                if let Some(id) = request_id(&value, self.id_type) {
                    new_keys.insert(key.clone());
                    new_ids.push(id);
                }
            }
            batch.push((left, key));
        }
        if !new_ids.is_empty() {
            let needed = id_fetch_requests(new_ids.len() as u64, &self.fetch);
            if self
                .budget
                .is_some_and(|budget| self.requests.saturating_add(needed) > budget)
            {
                self.scan_all()?;
            } else {
                self.fetch_ids(&new_ids)?;
                self.requested.extend(new_keys);
            }
        }
        for (left, key) in batch {
            let candidates = if key.is_null() {
                &[][..]
            } else {
                self.rows_by_id
                    .get(&key)
                    .map(Vec::as_slice)
                    .unwrap_or_default()
            };
            self.shape.emit(
                &left,
                candidates.iter(),
                &mut self.pending,
                &self.ctx,
                &mut self.ticker,
            )?;
        }
        Ok(())
    }
}

impl RowSource for IdLookupJoin {
    fn next_row(&mut self) -> Result<Option<Row>> {
        loop {
            if let Some(row) = self.pending.pop_front() {
                return Ok(Some(row));
            }
            if self.left_done {
                return Ok(None);
            }
            self.next_batch()?;
        }
    }
}
