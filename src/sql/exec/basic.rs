//! The streaming operators: filter, projection, DISTINCT, OFFSET/LIMIT and
//! UNION. None of them holds rows, except the keys DISTINCT has seen.

use super::backend::Row;
use super::{CancelTicker, ExecContext, Rows};
use crate::diag::Result;
use crate::sql::cast;
use crate::sql::expr::Expr;
use crate::sql::keys::{row_key, ValueKey};
use crate::sql::result::RowSource;
use crate::types::DataType;
use crate::value::Value;
use std::collections::HashSet;
use std::sync::Arc;

pub struct FilterRows {
    input: Rows,
    predicate: Expr,
    ctx: Arc<ExecContext>,
}

impl FilterRows {
    pub fn new(input: Rows, predicate: Expr, ctx: Arc<ExecContext>) -> FilterRows {
        FilterRows {
            input,
            predicate,
            ctx,
        }
    }
}

impl RowSource for FilterRows {
    fn next_row(&mut self) -> Result<Option<Row>> {
        while let Some(row) = self.input.next_row()? {
            if self.ctx.holds(&self.predicate, &row)? {
                return Ok(Some(row));
            }
        }
        Ok(None)
    }
}

pub struct ProjectRows {
    input: Rows,
    exprs: Vec<Expr>,
    ctx: Arc<ExecContext>,
    /// How rows are projected when every expression is a plain column.
    columns_only: ColumnsOnly,
}

/// A projection of plain columns needs no evaluation: the values are moved
/// out of the input row rather than copied (`SELECT *` of a wide table
/// copied every text of every row).
enum ColumnsOnly {
    /// The input row's first `n` columns, in order (`SELECT *`).
    Prefix(usize),
    /// These columns, each named once.
    Distinct(Vec<usize>),
    /// Some expression is not a plain column, or one is named twice.
    No,
}

impl ColumnsOnly {
    fn of(exprs: &[Expr]) -> ColumnsOnly {
        let mut indexes = Vec::with_capacity(exprs.len());
        for e in exprs {
            match e {
                Expr::Column(index) if !indexes.contains(index) => indexes.push(*index),
                _ => return ColumnsOnly::No,
            }
        }
        if indexes.iter().enumerate().all(|(i, index)| i == *index) {
            ColumnsOnly::Prefix(indexes.len())
        } else {
            ColumnsOnly::Distinct(indexes)
        }
    }
}

impl ProjectRows {
    pub fn new(input: Rows, exprs: Vec<Expr>, ctx: Arc<ExecContext>) -> ProjectRows {
        ProjectRows {
            columns_only: ColumnsOnly::of(&exprs),
            input,
            exprs,
            ctx,
        }
    }
}

impl RowSource for ProjectRows {
    fn next_row(&mut self) -> Result<Option<Row>> {
        let Some(mut row) = self.input.next_row()? else {
            return Ok(None);
        };
        // A row too short for its columns goes through `eval`, which
        // reports it.
        match &self.columns_only {
            ColumnsOnly::Prefix(width) if row.len() >= *width => {
                row.truncate(*width);
                return Ok(Some(row));
            }
            ColumnsOnly::Distinct(indexes) if indexes.iter().all(|i| *i < row.len()) => {
                return Ok(Some(
                    indexes
                        .iter()
                        .map(|i| std::mem::replace(&mut row[*i], Value::Null))
                        .collect(),
                ));
            }
            _ => {}
        }
        self.exprs
            .iter()
            .map(|e| self.ctx.eval(e, &row))
            .collect::<Result<Row>>()
            .map(Some)
    }
}

/// Drops rows equal (NULLs equal) to an earlier one.
pub struct DistinctRows {
    input: Rows,
    seen: HashSet<Vec<ValueKey>>,
    ticker: CancelTicker,
    ctx: Arc<ExecContext>,
}

impl DistinctRows {
    pub fn new(input: Rows, ctx: Arc<ExecContext>) -> DistinctRows {
        DistinctRows {
            input,
            seen: HashSet::new(),
            ticker: CancelTicker::default(),
            ctx,
        }
    }
}

impl RowSource for DistinctRows {
    fn next_row(&mut self) -> Result<Option<Row>> {
        while let Some(row) = self.input.next_row()? {
            self.ticker.tick(&self.ctx)?;
            if self.seen.insert(row_key(&row)) {
                return Ok(Some(row));
            }
        }
        Ok(None)
    }
}

/// OFFSET and LIMIT: once the limit is met, the input is not read again
/// (no further page is requested).
pub struct LimitRows {
    input: Rows,
    to_skip: u64,
    remaining: Option<u64>,
}

impl LimitRows {
    pub fn new(input: Rows, offset: u64, limit: Option<u64>) -> LimitRows {
        LimitRows {
            input,
            to_skip: offset,
            remaining: limit,
        }
    }
}

impl RowSource for LimitRows {
    fn next_row(&mut self) -> Result<Option<Row>> {
        loop {
            if self.remaining == Some(0) {
                return Ok(None);
            }
            let Some(row) = self.input.next_row()? else {
                return Ok(None);
            };
            if self.to_skip > 0 {
                self.to_skip -= 1;
                continue;
            }
            if let Some(r) = self.remaining.as_mut() {
                *r -= 1;
            }
            return Ok(Some(row));
        }
    }
}

/// The rows of each input in turn, converted to the union's column types;
/// UNION (not ALL) drops rows seen before.
pub struct UnionRows {
    inputs: std::vec::IntoIter<Rows>,
    current: Option<Rows>,
    column_types: Vec<DataType>,
    seen: Option<HashSet<Vec<ValueKey>>>,
    ticker: CancelTicker,
    ctx: Arc<ExecContext>,
}

impl UnionRows {
    pub fn new(
        inputs: Vec<Rows>,
        column_types: Vec<DataType>,
        distinct: bool,
        ctx: Arc<ExecContext>,
    ) -> UnionRows {
        UnionRows {
            inputs: inputs.into_iter(),
            current: None,
            column_types,
            seen: distinct.then(HashSet::new),
            ticker: CancelTicker::default(),
            ctx,
        }
    }
}

impl RowSource for UnionRows {
    fn next_row(&mut self) -> Result<Option<Row>> {
        loop {
            let Some(input) = self.current.as_mut() else {
                match self.inputs.next() {
                    Some(next) => {
                        self.current = Some(next);
                        continue;
                    }
                    None => return Ok(None),
                }
            };
            let Some(row) = input.next_row()? else {
                self.current = None;
                continue;
            };
            let row = row
                .into_iter()
                .zip(&self.column_types)
                .map(|(value, data_type)| cast::conform(value, *data_type, &self.ctx.env))
                .collect::<Result<Row>>()?;
            if let Some(seen) = self.seen.as_mut() {
                self.ticker.tick(&self.ctx)?;
                if !seen.insert(row_key(&row)) {
                    continue;
                }
            }
            return Ok(Some(row));
        }
    }
}
