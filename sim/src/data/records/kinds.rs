//! The registry of record-shaped entities: their names (one overlay each)
//! and brute-force access by name for tests.

use super::activities::Activities;
use super::calls::CallLogs;
use super::config_kinds::{ActivityTypes, Currencies, Filters, Goals, LeadLabels, Roles, Webhooks};
use super::files::Files;
use super::leads::Leads;
use super::nested::{DealParticipants, DealProducts, NoteComments};
use super::notes::Notes;
use super::products::Products;
use super::projects::{Boards, Phases, Projects, Tasks};
use super::relationships::OrganizationRelationships;
use super::store::RecordReader;
use super::RecordKind;
use crate::data::Dataset;
use serde_json::Value;

/// Every record kind's name. A kind missing here has no overlay (a unit
/// test checks the list against [`all_records`]).
pub(crate) const NAMES: &[&str] = &[
    Activities::NAME,
    CallLogs::NAME,
    ActivityTypes::NAME,
    Currencies::NAME,
    Filters::NAME,
    Goals::NAME,
    LeadLabels::NAME,
    Roles::NAME,
    Webhooks::NAME,
    Files::NAME,
    Leads::NAME,
    DealParticipants::NAME,
    DealProducts::NAME,
    NoteComments::NAME,
    Notes::NAME,
    Products::NAME,
    Boards::NAME,
    Phases::NAME,
    Projects::NAME,
    Tasks::NAME,
    OrganizationRelationships::NAME,
];

fn dump<K: RecordKind>(ds: &Dataset) -> Vec<Value> {
    RecordReader::<K>::new(ds)
        .all()
        .into_iter()
        .map(|(_, r)| Value::Object(r))
        .collect()
}

/// Every record of the named kind (deleted ones included) in id order, as
/// single-record reads return them; `None` for an unknown name.
pub(crate) fn all_records(ds: &Dataset, name: &str) -> Option<Vec<Value>> {
    Some(match name {
        "activities" => dump::<Activities>(ds),
        "callLogs" => dump::<CallLogs>(ds),
        "activityTypes" => dump::<ActivityTypes>(ds),
        "currencies" => dump::<Currencies>(ds),
        "filters" => dump::<Filters>(ds),
        "goals" => dump::<Goals>(ds),
        "leadLabels" => dump::<LeadLabels>(ds),
        "roles" => dump::<Roles>(ds),
        "webhooks" => dump::<Webhooks>(ds),
        "files" => dump::<Files>(ds),
        "leads" => dump::<Leads>(ds),
        "dealParticipants" => dump::<DealParticipants>(ds),
        "dealProducts" => dump::<DealProducts>(ds),
        "noteComments" => dump::<NoteComments>(ds),
        "notes" => dump::<Notes>(ds),
        "products" => dump::<Products>(ds),
        "boards" => dump::<Boards>(ds),
        "phases" => dump::<Phases>(ds),
        "projects" => dump::<Projects>(ds),
        "tasks" => dump::<Tasks>(ds),
        "organizationRelationships" => dump::<OrganizationRelationships>(ds),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SimConfig;

    #[test]
    fn every_registered_kind_can_be_read() {
        let ds = Dataset::new(&SimConfig::default());
        for name in NAMES {
            let records = all_records(&ds, name).unwrap_or_else(|| panic!("{name} not readable"));
            assert!(!records.is_empty(), "{name} has no records");
        }
        let mut unique = NAMES.to_vec();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), NAMES.len());
    }
}
