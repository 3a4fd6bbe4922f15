//! Sort orders and page assembly for both pagination styles.
//!
//! Every list is an order over `(sort key, id)` pairs. v2 pages start at the
//! cursor's `(key, id)` and take `limit` matching records, looking one record
//! further to know the next cursor. v1 pages skip `start` matches instead.
//!
//! Large entities are never materialised: a [`BaseOrder`] yields the
//! generated records in order by position (computing keys on the fly or from
//! a compact index), and [`MergedOrder`] folds in the small set of records
//! that live in the write overlay.

use crate::cursor::Cursor;
use std::cmp::Ordering;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SortField {
    Id,
    AddTime,
    UpdateTime,
    OrderNr,
    /// Activities (`due_date`, a day number as key).
    DueDate,
    /// Deal products of several deals.
    DealId,
    /// Products; a text key (see [`Cursor::text`]).
    Name,
}

impl SortField {
    pub(crate) fn name(self) -> &'static str {
        match self {
            SortField::Id => "id",
            SortField::AddTime => "add_time",
            SortField::UpdateTime => "update_time",
            SortField::OrderNr => "order_nr",
            SortField::DueDate => "due_date",
            SortField::DealId => "deal_id",
            SortField::Name => "name",
        }
    }

    pub(crate) fn parse(text: &str) -> Option<SortField> {
        Some(match text {
            "id" => SortField::Id,
            "add_time" => SortField::AddTime,
            "update_time" => SortField::UpdateTime,
            "order_nr" => SortField::OrderNr,
            "due_date" => SortField::DueDate,
            "deal_id" => SortField::DealId,
            "name" => SortField::Name,
            _ => return None,
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Direction {
    Asc,
    Desc,
}

impl Direction {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Direction::Asc => "asc",
            Direction::Desc => "desc",
        }
    }

    pub(crate) fn parse(text: &str) -> Option<Direction> {
        match text {
            "asc" => Some(Direction::Asc),
            "desc" => Some(Direction::Desc),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct SortSpec {
    pub field: SortField,
    pub direction: Direction,
}

impl SortSpec {
    /// Compares two `(key, id)` positions in this order's direction.
    pub(crate) fn compare(&self, a: (i64, u64), b: (i64, u64)) -> Ordering {
        match self.direction {
            Direction::Asc => a.cmp(&b),
            Direction::Desc => b.cmp(&a),
        }
    }
}

/// Where a v2 page starts: the full order, or at a cursor's `(key, id)`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Start {
    pub sort: SortSpec,
    pub at: Option<(i64, u64)>,
}

impl Start {
    pub(crate) fn from_cursor(sort: SortSpec, cursor: Option<&Cursor>) -> Start {
        Start {
            sort,
            at: cursor.map(|c| (c.key, c.id)),
        }
    }

    /// Whether a record at `pos` belongs on this page or later ones.
    pub(crate) fn admits(&self, pos: (i64, u64)) -> bool {
        match self.at {
            None => true,
            Some(at) => self.sort.compare(pos, at) != Ordering::Less,
        }
    }
}

/// One page of results plus the cursor of the first record after it.
pub(crate) struct CursorPage<T> {
    pub items: Vec<T>,
    pub next: Option<Cursor>,
}

/// Takes `limit` items from `candidates` (already in sort order, already
/// filtered, already starting at the cursor) and peeks one more for the
/// next cursor.
pub(crate) fn take_cursor_page<T>(
    candidates: impl Iterator<Item = (i64, u64, T)>,
    sort: SortSpec,
    limit: usize,
) -> CursorPage<T> {
    let mut items = Vec::with_capacity(limit.min(512));
    let mut next = None;
    for (key, id, item) in candidates {
        if items.len() == limit {
            next = Some(Cursor {
                field: sort.field,
                direction: sort.direction,
                key,
                id,
                text: None,
            });
            break;
        }
        items.push(item);
    }
    CursorPage { items, next }
}

/// One v1 page: `start` items skipped, `limit` taken, and whether more exist.
pub(crate) struct OffsetPage<T> {
    pub items: Vec<T>,
    pub start: usize,
    pub limit: usize,
    pub more_items: bool,
}

pub(crate) fn take_offset_page<T>(
    candidates: impl Iterator<Item = T>,
    start: usize,
    limit: usize,
) -> OffsetPage<T> {
    let mut iter = candidates.skip(start);
    let items: Vec<T> = iter.by_ref().take(limit).collect();
    let more_items = items.len() == limit && iter.next().is_some();
    OffsetPage {
        items,
        start,
        limit,
        more_items,
    }
}

/// Sorts an explicit candidate list (an `ids` filter, or a small entity
/// such as stages) and drops what lies before the start position.
pub(crate) fn sort_candidates<T>(
    mut candidates: Vec<(i64, u64, T)>,
    start: Start,
) -> impl Iterator<Item = (i64, u64, T)> {
    candidates.sort_by(|a, b| start.sort.compare((a.0, a.1), (b.0, b.1)));
    candidates.dedup_by(|a, b| a.1 == b.1);
    candidates
        .into_iter()
        .filter(move |c| start.admits((c.0, c.1)))
}

/// Generated records in ascending `(key, id)` order, addressed by position.
pub(crate) trait BaseOrder {
    fn len(&self) -> usize;
    fn at(&self, pos: usize) -> (i64, u64);
}

/// Ids `1..=len` where the key is a non-decreasing function of the id (true
/// for `id` itself and for generated `add_time`), so position = id - 1.
pub(crate) struct MonotoneOrder<F: Fn(u64) -> i64> {
    pub len: usize,
    pub key_of: F,
}

impl<F: Fn(u64) -> i64> BaseOrder for MonotoneOrder<F> {
    fn len(&self) -> usize {
        self.len
    }
    fn at(&self, pos: usize) -> (i64, u64) {
        let id = pos as u64 + 1;
        ((self.key_of)(id), id)
    }
}

/// A precomputed, sorted `(key, id)` index (used for `update_time`).
pub(crate) struct IndexOrder<'a>(pub &'a [(i64, u32)]);

impl BaseOrder for IndexOrder<'_> {
    fn len(&self) -> usize {
        self.0.len()
    }
    fn at(&self, pos: usize) -> (i64, u64) {
        let (key, id) = self.0[pos];
        (key, id as u64)
    }
}

/// Walks a [`BaseOrder`] from a start position in either direction, skipping
/// ids that the overlay replaces, and merges in the overlay's own records
/// (`extra`, any order) at their sorted places.
pub(crate) struct MergedOrder<'a, B: BaseOrder, S: Fn(u64) -> bool> {
    base: &'a B,
    sort: SortSpec,
    /// Ascending: next position to yield. Descending: one past it.
    cursor: usize,
    shadowed: S,
    extra: std::vec::IntoIter<(i64, u64)>,
    extra_head: Option<(i64, u64)>,
    base_head: Option<(i64, u64)>,
}

impl<'a, B: BaseOrder, S: Fn(u64) -> bool> MergedOrder<'a, B, S> {
    pub(crate) fn new(base: &'a B, start: Start, shadowed: S, mut extra: Vec<(i64, u64)>) -> Self {
        let sort = start.sort;
        extra.sort_by(|a, b| sort.compare(*a, *b));
        extra.retain(|e| start.admits(*e));
        let cursor = match (start.at, sort.direction) {
            (None, Direction::Asc) => 0,
            (None, Direction::Desc) => base.len(),
            (Some(at), Direction::Asc) => partition_point(base, |p| p < at),
            (Some(at), Direction::Desc) => partition_point(base, |p| p <= at),
        };
        let mut merged = MergedOrder {
            base,
            sort,
            cursor,
            shadowed,
            extra: extra.into_iter(),
            extra_head: None,
            base_head: None,
        };
        merged.extra_head = merged.extra.next();
        merged.base_head = merged.next_base();
        merged
    }

    fn next_base(&mut self) -> Option<(i64, u64)> {
        loop {
            let pos = match self.sort.direction {
                Direction::Asc => {
                    if self.cursor >= self.base.len() {
                        return None;
                    }
                    self.cursor += 1;
                    self.cursor - 1
                }
                Direction::Desc => {
                    if self.cursor == 0 {
                        return None;
                    }
                    self.cursor -= 1;
                    self.cursor
                }
            };
            let entry = self.base.at(pos);
            if !(self.shadowed)(entry.1) {
                return Some(entry);
            }
        }
    }
}

impl<B: BaseOrder, S: Fn(u64) -> bool> Iterator for MergedOrder<'_, B, S> {
    type Item = (i64, u64);

    fn next(&mut self) -> Option<(i64, u64)> {
        match (self.base_head, self.extra_head) {
            (None, None) => None,
            (Some(b), None) => {
                self.base_head = self.next_base();
                Some(b)
            }
            (None, Some(e)) => {
                self.extra_head = self.extra.next();
                Some(e)
            }
            (Some(b), Some(e)) => {
                if self.sort.compare(b, e) == Ordering::Greater {
                    self.extra_head = self.extra.next();
                    Some(e)
                } else {
                    self.base_head = self.next_base();
                    Some(b)
                }
            }
        }
    }
}

/// First position whose entry does not satisfy `pred` (entries ascending).
fn partition_point<B: BaseOrder>(base: &B, pred: impl Fn((i64, u64)) -> bool) -> usize {
    let (mut lo, mut hi) = (0usize, base.len());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if pred(base.at(mid)) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(direction: Direction) -> SortSpec {
        SortSpec {
            field: SortField::UpdateTime,
            direction,
        }
    }

    #[test]
    fn merged_order_matches_brute_force() {
        // Base: ids 1..=20 with keys that repeat; overlay replaces ids 3 and 7
        // and adds id 21.
        let mut index: Vec<(i64, u32)> =
            (1..=20u32).map(|id| (((id * 7) % 5) as i64, id)).collect();
        index.sort();
        let extra = vec![(9, 3), (0, 7), (2, 21)];
        let mut all: Vec<(i64, u64)> = index
            .iter()
            .filter(|(_, id)| *id != 3 && *id != 7)
            .map(|&(k, id)| (k, id as u64))
            .collect();
        all.extend(extra.iter().copied());
        for direction in [Direction::Asc, Direction::Desc] {
            let sort = spec(direction);
            let mut expected = all.clone();
            expected.sort_by(|a, b| sort.compare(*a, *b));
            for at in [
                None,
                Some((2, 5)),
                Some((2, 21)),
                Some((9, 3)),
                Some((-1, 0)),
                Some((100, 0)),
            ] {
                let start = Start { sort, at };
                let got: Vec<_> = MergedOrder::new(
                    &IndexOrder(&index),
                    start,
                    |id| id == 3 || id == 7,
                    extra.clone(),
                )
                .collect();
                let want: Vec<_> = expected
                    .iter()
                    .copied()
                    .filter(|e| start.admits(*e))
                    .collect();
                assert_eq!(got, want, "{direction:?} {at:?}");
            }
        }
    }

    #[test]
    fn cursor_page_peeks_one_more() {
        let sort = SortSpec {
            field: SortField::Id,
            direction: Direction::Asc,
        };
        let page = take_cursor_page((1..=5u64).map(|i| (i as i64, i, i)), sort, 2);
        assert_eq!(page.items, vec![1, 2]);
        assert_eq!(page.next.map(|c| c.id), Some(3));
        let page = take_cursor_page((1..=2u64).map(|i| (i as i64, i, i)), sort, 2);
        assert!(page.next.is_none());
    }

    #[test]
    fn offset_page() {
        let page = take_offset_page(1..=10, 8, 2);
        assert_eq!(page.items, vec![9, 10]);
        assert!(!page.more_items);
        let page = take_offset_page(1..=10, 0, 3);
        assert!(page.more_items);
    }
}
