//! The write overlay: records that differ from what the generator produces.
//!
//! Generated records are a pure function of (seed, id) and are never stored.
//! Writes land here as whole replacement records or tombstones, keyed by
//! id; every read path consults the overlay first.

use std::collections::HashMap;

#[derive(Clone, Debug)]
pub(crate) enum Slot<T> {
    /// The record as it is now (created, or changed after generation).
    Present(T),
    /// The record no longer exists at all (purged), so reads give 404.
    Gone,
}

#[derive(Debug)]
pub(crate) struct EntityOverlay<T> {
    slots: HashMap<u64, Slot<T>>,
    /// Ids up to this one are taken even without a slot (a loaded
    /// dataset's next id), so created records never reuse them.
    reserved_through: u64,
}

impl<T> Default for EntityOverlay<T> {
    fn default() -> Self {
        EntityOverlay {
            slots: HashMap::new(),
            reserved_through: 0,
        }
    }
}

impl<T> EntityOverlay<T> {
    pub(crate) fn get(&self, id: u64) -> Option<&Slot<T>> {
        self.slots.get(&id)
    }

    /// Whether the overlay decides about `id` (so the generator must not).
    pub(crate) fn contains(&self, id: u64) -> bool {
        self.slots.contains_key(&id)
    }

    /// Records that exist in the overlay, in no particular order.
    pub(crate) fn present(&self) -> impl Iterator<Item = (u64, &T)> {
        self.slots.iter().filter_map(|(&id, slot)| match slot {
            Slot::Present(record) => Some((id, record)),
            Slot::Gone => None,
        })
    }

    /// The highest id the overlay knows (0 when empty): created records
    /// take ids after it.
    pub(crate) fn max_id(&self) -> u64 {
        self.slots
            .keys()
            .copied()
            .max()
            .unwrap_or(0)
            .max(self.reserved_through)
    }

    /// Marks every id up to `id` as taken (see [`Self::max_id`]).
    pub(crate) fn reserve_through(&mut self, id: u64) {
        self.reserved_through = self.reserved_through.max(id);
    }

    /// Every slot in ascending id order: `Some` for a record, `None` for
    /// a tombstone (dataset files keep both).
    pub(crate) fn slots_in_order(&self) -> Vec<(u64, Option<&T>)> {
        let mut slots: Vec<(u64, Option<&T>)> = self
            .slots
            .iter()
            .map(|(&id, slot)| match slot {
                Slot::Present(record) => (id, Some(record)),
                Slot::Gone => (id, None),
            })
            .collect();
        slots.sort_unstable_by_key(|(id, _)| *id);
        slots
    }

    /// How the overlay changes the record count relative to `base_count`
    /// generated records: (added beyond the base, removed from the base).
    pub(crate) fn count_delta(&self, base_count: u64) -> (u64, u64) {
        let mut added = 0;
        let mut removed = 0;
        for (&id, slot) in &self.slots {
            match (slot, id <= base_count) {
                (Slot::Present(_), false) => added += 1,
                (Slot::Gone, true) => removed += 1,
                _ => {}
            }
        }
        (added, removed)
    }

    pub(crate) fn put(&mut self, id: u64, record: T) {
        self.slots.insert(id, Slot::Present(record));
    }

    pub(crate) fn remove(&mut self, id: u64) {
        self.slots.insert(id, Slot::Gone);
    }
}
