//! Where record-shaped entities live: the generated base (computed per id,
//! never stored), the write overlay per entity, lazily built sort indexes,
//! and readers that merge the three into ordered candidate streams.

use super::{keys_of, Keys, Record, RecordKind};
use crate::data::overlay::{EntityOverlay, Slot};
use crate::data::Dataset;
use crate::pagination::{sort_candidates, IndexOrder, MergedOrder, MonotoneOrder, Start};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, RwLock, RwLockReadGuard, RwLockWriteGuard};

/// The overlay of one entity: written records (with their keys) and
/// tombstones, plus the last id handed out to a created record.
#[derive(Default)]
pub(crate) struct KindOverlay {
    pub slots: EntityOverlay<(Record, Keys)>,
    pub last_created: u64,
}

type SortIndex = Arc<OnceLock<Vec<(i64, u32)>>>;

/// Overlays and sort indexes of every record-shaped entity.
pub(crate) struct RecordStore {
    overlays: HashMap<&'static str, RwLock<KindOverlay>>,
    indexes: Mutex<HashMap<(&'static str, usize), SortIndex>>,
}

impl RecordStore {
    /// One overlay per entity name (see `kinds::NAMES`).
    pub(crate) fn new(names: &[&'static str]) -> RecordStore {
        RecordStore {
            overlays: names
                .iter()
                .map(|&n| (n, RwLock::new(KindOverlay::default())))
                .collect(),
            indexes: Mutex::new(HashMap::new()),
        }
    }

    fn overlay(&self, name: &'static str) -> &RwLock<KindOverlay> {
        // Every kind is registered at start-up (a unit test checks it), so
        // a miss is a simulator bug, not a request problem.
        self.overlays
            .get(name)
            .unwrap_or_else(|| panic!("record kind {name} is not registered"))
    }

    pub(crate) fn read<K: RecordKind>(&self) -> RwLockReadGuard<'_, KindOverlay> {
        // A poisoned lock only means a writer panicked; the map is intact.
        self.overlay(K::NAME)
            .read()
            .unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn write<K: RecordKind>(&self) -> RwLockWriteGuard<'_, KindOverlay> {
        self.overlay(K::NAME)
            .write()
            .unwrap_or_else(|e| e.into_inner())
    }

    fn index(&self, name: &'static str, column: usize) -> SortIndex {
        let mut map = self.indexes.lock().unwrap_or_else(|e| e.into_inner());
        Arc::clone(map.entry((name, column)).or_default())
    }
}

/// A consistent view of one entity for the duration of a request.
pub(crate) struct RecordReader<'a, K: RecordKind> {
    pub ds: &'a Dataset,
    overlay: RwLockReadGuard<'a, KindOverlay>,
    _kind: std::marker::PhantomData<K>,
}

impl<'a, K: RecordKind> RecordReader<'a, K> {
    pub(crate) fn new(ds: &'a Dataset) -> Self {
        RecordReader {
            ds,
            overlay: ds.records.read::<K>(),
            _kind: std::marker::PhantomData,
        }
    }

    fn in_base(&self, id: u64) -> bool {
        id >= 1 && id <= K::base_slots(self.ds)
    }

    pub(crate) fn keys(&self, id: u64) -> Option<Keys> {
        match self.overlay.slots.get(id) {
            Some(Slot::Present((_, keys))) => Some(*keys),
            Some(Slot::Gone) => None,
            None if self.in_base(id) => K::fast_keys(self.ds, id),
            None => None,
        }
    }

    pub(crate) fn record(&self, id: u64) -> Option<Record> {
        match self.overlay.slots.get(id) {
            Some(Slot::Present((record, _))) => Some(record.clone()),
            Some(Slot::Gone) => None,
            None if self.in_base(id) => K::generate(self.ds, id).map(whole_numbers),
            None => None,
        }
    }

    /// Runs `consume` on the ids of all existing records as `(sort key,
    /// id)` in `start`'s order from its position; `column` is the key
    /// column sorted on (`None`: the id). `only_ids` restricts the
    /// candidates (the `ids` parameter).
    pub(crate) fn with_candidates<T>(
        &self,
        start: Start,
        column: Option<usize>,
        only_ids: Option<&[u64]>,
        consume: impl FnOnce(&mut dyn Iterator<Item = (i64, u64)>) -> T,
    ) -> T {
        let key_of = |id: u64, keys: &Keys| match column {
            Some(c) => keys.0[c],
            None => id as i64,
        };
        if let Some(ids) = only_ids {
            let candidates = ids
                .iter()
                .filter_map(|&id| self.keys(id).map(|k| (key_of(id, &k), id, ())))
                .collect();
            let mut iter = sort_candidates(candidates, start).map(|(k, id, ())| (k, id));
            return consume(&mut iter);
        }
        let extra: Vec<(i64, u64)> = self
            .overlay
            .slots
            .present()
            .map(|(id, (_, keys))| (key_of(id, keys), id))
            .collect();
        let shadowed = |id: u64| self.overlay.slots.contains(id);
        let len = K::base_slots(self.ds) as usize;
        match column {
            None => {
                let order = MonotoneOrder {
                    len,
                    key_of: |id| id as i64,
                };
                let mut merged = MergedOrder::new(&order, start, shadowed, extra);
                consume(&mut merged)
            }
            Some(c) => {
                let index = self.ds.records.index(K::NAME, c);
                let entries = index.get_or_init(|| build_index::<K>(self.ds, c));
                let order = IndexOrder(entries);
                let mut merged = MergedOrder::new(&order, start, shadowed, extra);
                consume(&mut merged)
            }
        }
    }

    /// Ids of written (overlay) records that satisfy `pred`, ascending.
    pub(crate) fn written_where(&self, pred: impl Fn(&Record) -> bool) -> Vec<u64> {
        let mut ids: Vec<u64> = self
            .overlay
            .slots
            .present()
            .filter(|(_, (r, _))| pred(r))
            .map(|(id, _)| id)
            .collect();
        ids.sort_unstable();
        ids
    }

    /// Every existing record in id order (tests and small entities).
    pub(crate) fn all(&self) -> Vec<(u64, Record)> {
        let mut ids: Vec<u64> = self
            .overlay
            .slots
            .present()
            .map(|(id, _)| id)
            .filter(|&id| !self.in_base(id))
            .collect();
        ids.sort_unstable();
        (1..=K::base_slots(self.ds))
            .chain(ids)
            .filter_map(|id| self.record(id).map(|r| (id, r)))
            .collect()
    }
}

/// `(key, id)` of every generated record in ascending order; empty slots
/// are left out.
fn build_index<K: RecordKind>(ds: &Dataset, column: usize) -> Vec<(i64, u32)> {
    let mut index: Vec<(i64, u32)> = (1..=K::base_slots(ds))
        .filter_map(|id| K::fast_keys(ds, id).map(|k| (k.0[column], id as u32)))
        .collect();
    index.sort_unstable();
    index
}

/// Keys of a record about to be stored.
pub(crate) fn stored<K: RecordKind>(ds: &Dataset, record: Record) -> (Record, Keys) {
    let record = whole_numbers(record);
    let keys = keys_of::<K>(ds, &record);
    (record, keys)
}

/// Writes whole floating-point numbers as integers (`5000`, not
/// `5000.0`), as Pipedrive and the typed records do.
pub(crate) fn whole_numbers(mut record: Record) -> Record {
    fn fix(v: &mut Value) {
        match v {
            Value::Number(n) if n.is_f64() => {
                if let Some(x) = n.as_f64() {
                    if x.fract() == 0.0 && x.abs() < 9.0e15 {
                        *v = Value::from(x as i64);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(fix),
            Value::Object(map) => map.values_mut().for_each(fix),
            _ => {}
        }
    }
    record.values_mut().for_each(fix);
    record
}
