//! ORDER BY: all rows are held and sorted, or, when only the first N are
//! wanted (ORDER BY ... LIMIT), at most 2N are held at a time: the buffer
//! is sorted and cut back to N whenever it fills.
//!
//! The sort is stable, so rows with equal keys keep their input order and
//! the bounded sort returns exactly what the full one would.

use super::backend::Row;
use super::{CancelTicker, ExecContext, Rows};
use crate::diag::Result;
use crate::sql::plan::SortKey;
use crate::sql::result::RowSource;
use crate::value::Value;
use std::cmp::Ordering;
use std::sync::Arc;

pub fn compare_rows(keys: &[SortKey], a: &[Value], b: &[Value]) -> Ordering {
    for key in keys {
        let (x, y) = (
            a.get(key.column).unwrap_or(&Value::Null),
            b.get(key.column).unwrap_or(&Value::Null),
        );
        let ordering = match (x.is_null(), y.is_null()) {
            (true, true) => Ordering::Equal,
            (true, false) if key.nulls_first => Ordering::Less,
            (true, false) => Ordering::Greater,
            (false, true) if key.nulls_first => Ordering::Greater,
            (false, true) => Ordering::Less,
            (false, false) => {
                let o = x.order_cmp(y);
                if key.descending {
                    o.reverse()
                } else {
                    o
                }
            }
        };
        if ordering != Ordering::Equal {
            return ordering;
        }
    }
    Ordering::Equal
}

pub struct SortRows {
    input: Rows,
    keys: Vec<SortKey>,
    /// Only the first `keep` rows are wanted.
    keep: Option<u64>,
    sorted: Option<std::vec::IntoIter<Row>>,
    ctx: Arc<ExecContext>,
}

impl SortRows {
    pub fn new(
        input: Rows,
        keys: Vec<SortKey>,
        keep: Option<u64>,
        ctx: Arc<ExecContext>,
    ) -> SortRows {
        SortRows {
            input,
            keys,
            keep,
            sorted: None,
            ctx,
        }
    }

    fn sort_input(&mut self) -> Result<Vec<Row>> {
        let keep = self.keep.map(|n| usize::try_from(n).unwrap_or(usize::MAX));
        if keep == Some(0) {
            return Ok(Vec::new());
        }
        let mut rows: Vec<Row> = Vec::new();
        let mut ticker = CancelTicker::default();
        let keys = &self.keys;
        while let Some(row) = self.input.next_row()? {
            ticker.tick(&self.ctx)?;
            rows.push(row);
            if let Some(n) = keep {
                if rows.len() >= n.saturating_mul(2).max(1024) {
                    rows.sort_by(|a, b| compare_rows(keys, a, b));
                    rows.truncate(n);
                }
            }
        }
        rows.sort_by(|a, b| compare_rows(keys, a, b));
        if let Some(n) = keep {
            rows.truncate(n);
        }
        Ok(rows)
    }
}

impl RowSource for SortRows {
    fn next_row(&mut self) -> Result<Option<Row>> {
        if self.sorted.is_none() {
            let rows = self.sort_input()?;
            self.sorted = Some(rows.into_iter());
        }
        Ok(self.sorted.as_mut().and_then(Iterator::next))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nulls_go_where_the_key_says() {
        let asc = [SortKey {
            column: 0,
            descending: false,
            nulls_first: true,
        }];
        let desc = [SortKey {
            column: 0,
            descending: true,
            nulls_first: false,
        }];
        let null = [Value::Null];
        let one = [Value::Int(1)];
        let two = [Value::Int(2)];
        assert_eq!(compare_rows(&asc, &null, &one), Ordering::Less);
        assert_eq!(compare_rows(&asc, &one, &two), Ordering::Less);
        assert_eq!(compare_rows(&desc, &null, &one), Ordering::Greater);
        assert_eq!(compare_rows(&desc, &one, &two), Ordering::Greater);
    }
}
