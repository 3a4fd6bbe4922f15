//! How generated records attach to deals, persons, organizations and
//! leads, consistently: a record on a deal carries that deal's person and
//! organization, one on a person carries the person's organization.

use super::leads;
use crate::data::deals::deal_keys;
use crate::data::listing::{Deals, EntityReader, Organizations, Persons};
use crate::data::persons::person_keys;
use crate::data::rng::Draw;
use crate::data::Dataset;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Links {
    pub deal: Option<u64>,
    pub lead: Option<u64>,
    pub person: Option<u64>,
    pub org: Option<u64>,
    /// The owner of the linked deal/lead, if any.
    pub parent_owner: Option<u64>,
}

/// What a record is attached to, with weights in percent.
pub(crate) struct Mix {
    pub deal: u64,
    pub person: u64,
    pub org: u64,
    pub lead: u64,
}

/// Picks the parent of a record from `draw` (attributes `attr..attr+2`).
/// Whatever is not attached (the remainder of the weights) has no links.
pub(crate) fn pick(ds: &Dataset, draw: &Draw, attr: u64, mix: &Mix) -> Links {
    let c = &ds.counts;
    let roll = draw.below(attr, 100);
    let mut edge = mix.deal;
    if roll < edge && c.deals > 0 {
        return on_deal(ds, 1 + draw.below(attr + 1, c.deals));
    }
    edge += mix.person;
    if roll < edge && c.persons > 0 {
        let person = 1 + draw.below(attr + 1, c.persons);
        return Links {
            person: Some(person),
            org: person_keys(ds, person).org_id,
            ..Links::default()
        };
    }
    edge += mix.org;
    if roll < edge && c.organizations > 0 {
        return Links {
            org: Some(1 + draw.below(attr + 1, c.organizations)),
            ..Links::default()
        };
    }
    edge += mix.lead;
    if roll < edge && c.leads > 0 {
        let lead = 1 + draw.below(attr + 1, c.leads);
        let l = leads::lead_links(ds, lead);
        return Links {
            lead: Some(lead),
            person: l.person,
            org: l.org,
            parent_owner: Some(l.owner),
            ..Links::default()
        };
    }
    Links::default()
}

/// The links of something attached to generated deal `deal`.
pub(crate) fn on_deal(ds: &Dataset, deal: u64) -> Links {
    let k = deal_keys(ds, deal);
    Links {
        deal: Some(deal),
        person: k.person_id,
        org: k.org_id,
        parent_owner: Some(k.owner_id),
        ..Links::default()
    }
}

/// Current names of linked records (after writes), for the embedded
/// `deal{title}`, `person{name}`, ... objects of v1 records.
pub(crate) fn deal_title(ds: &Dataset, id: u64) -> Option<String> {
    EntityReader::<Deals>::new(ds).record(id).map(|d| d.title)
}

pub(crate) fn person_name(ds: &Dataset, id: u64) -> Option<String> {
    EntityReader::<Persons>::new(ds).record(id).map(|p| p.name)
}

pub(crate) fn org_name(ds: &Dataset, id: u64) -> Option<String> {
    EntityReader::<Organizations>::new(ds)
        .record(id)
        .map(|o| o.name)
}

pub(crate) fn deal_exists(ds: &Dataset, id: u64) -> bool {
    EntityReader::<Deals>::new(ds).keys(id).is_some()
}

pub(crate) fn person_exists(ds: &Dataset, id: u64) -> bool {
    EntityReader::<Persons>::new(ds).keys(id).is_some()
}

pub(crate) fn org_exists(ds: &Dataset, id: u64) -> bool {
    EntityReader::<Organizations>::new(ds).keys(id).is_some()
}

pub(crate) fn user_exists(ds: &Dataset, id: u64) -> bool {
    ds.user_ids().contains(&id)
}
