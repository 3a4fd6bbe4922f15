//! Followers (users who follow a deal, person, organization or product).
//! Generated records have their owner plus up to two other users as
//! followers; once a record's followers are changed, its whole list lives
//! in the store.

use super::deals::deal_keys;
use super::organizations::organization_keys;
use super::persons::person_keys;
use super::records::products::Products;
use super::records::store::RecordReader;
use super::records::RecordKind;
use super::rng::{Draw, Stream};
use super::{Dataset, DATA_NOW};
use crate::time::SECONDS_PER_DAY;
use std::collections::HashMap;
use std::sync::RwLock;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Followed {
    Deal,
    Person,
    Organization,
    Product,
}

/// One follower: the user and when they started following.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Follower {
    pub user_id: u64,
    pub add_time: i64,
}

#[derive(Default)]
pub(crate) struct FollowerStore {
    written: RwLock<HashMap<(Followed, u64), Vec<Follower>>>,
}

/// (owner, add time) of generated record `id`, if it is one.
fn generated_owner(ds: &Dataset, kind: Followed, id: u64) -> Option<(u64, i64)> {
    let c = &ds.counts;
    match kind {
        Followed::Deal if id >= 1 && id <= c.deals => {
            let k = deal_keys(ds, id);
            Some((k.owner_id, k.add_time))
        }
        Followed::Person if id >= 1 && id <= c.persons => {
            let k = person_keys(ds, id);
            Some((k.owner_id, k.add_time))
        }
        Followed::Organization if id >= 1 && id <= c.organizations => {
            let k = organization_keys(ds, id);
            Some((k.owner_id, k.add_time))
        }
        Followed::Product if id >= 1 && id <= c.products => {
            let k = Products::fast_keys(ds, id)?;
            Some((k.get(0)? as u64, k.get(2)?))
        }
        _ => None,
    }
}

fn generated(ds: &Dataset, kind: Followed, id: u64) -> Vec<Follower> {
    let Some((owner, add_time)) = generated_owner(ds, kind, id) else {
        return Vec::new();
    };
    let d = Draw::new(ds.seed ^ (kind as u64 + 1), Stream::Follower, id);
    let mut out = vec![Follower {
        user_id: owner,
        add_time,
    }];
    for i in 0..d.below(1, 3) {
        let user = 1 + d.below(2 + i, ds.counts.users);
        if out.iter().all(|f| f.user_id != user) {
            let at = (add_time + d.range(5 + i, 60, 60 * SECONDS_PER_DAY)).min(DATA_NOW);
            out.push(Follower {
                user_id: user,
                add_time: at,
            });
        }
    }
    out.sort_by_key(|f| f.user_id);
    out
}

impl FollowerStore {
    /// The lists changed by writes, by (entity, record id) in order
    /// (dataset files keep them).
    pub(crate) fn written_lists(&self) -> Vec<((Followed, u64), Vec<Follower>)> {
        let written = self.written.read().unwrap_or_else(|e| e.into_inner());
        let mut lists: Vec<_> = written.iter().map(|(k, v)| (*k, v.clone())).collect();
        lists.sort_unstable_by_key(|((kind, id), _)| (*kind as u8, *id));
        lists
    }

    /// Replaces a record's followers (loading a dataset file).
    pub(crate) fn restore(&self, kind: Followed, id: u64, mut list: Vec<Follower>) {
        list.sort_by_key(|f| f.user_id);
        let mut written = self.written.write().unwrap_or_else(|e| e.into_inner());
        written.insert((kind, id), list);
    }

    /// The followers of a record, ascending by user id.
    pub(crate) fn list(&self, ds: &Dataset, kind: Followed, id: u64) -> Vec<Follower> {
        let written = self.written.read().unwrap_or_else(|e| e.into_inner());
        match written.get(&(kind, id)) {
            Some(list) => list.clone(),
            None => generated(ds, kind, id),
        }
    }

    /// Adds a follower; `false` if the user already follows the record.
    pub(crate) fn add(&self, ds: &Dataset, kind: Followed, id: u64, follower: Follower) -> bool {
        let mut written = self.written.write().unwrap_or_else(|e| e.into_inner());
        let list = written
            .entry((kind, id))
            .or_insert_with(|| generated(ds, kind, id));
        if list.iter().any(|f| f.user_id == follower.user_id) {
            return false;
        }
        list.push(follower);
        list.sort_by_key(|f| f.user_id);
        true
    }

    /// Removes a follower; `false` if the user did not follow the record.
    pub(crate) fn remove(&self, ds: &Dataset, kind: Followed, id: u64, user_id: u64) -> bool {
        let mut written = self.written.write().unwrap_or_else(|e| e.into_inner());
        let list = written
            .entry((kind, id))
            .or_insert_with(|| generated(ds, kind, id));
        let before = list.len();
        list.retain(|f| f.user_id != user_id);
        list.len() != before
    }
}

/// Whether product `id` exists (followers of products need it).
pub(crate) fn product_exists(ds: &Dataset, id: u64) -> bool {
    RecordReader::<Products>::new(ds).keys(id).is_some()
}
