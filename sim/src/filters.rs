//! The filter parameters of the v2 list endpoints, parsed from the query
//! and evaluated against a record's keys.

use crate::data::deals::{DealKeys, DealStatus};
use crate::data::organizations::OrganizationKeys;
use crate::data::persons::PersonKeys;
use crate::errors::ApiError;
use crate::query::Query;

/// `updated_since` (inclusive) and `updated_until` (exclusive).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct UpdatedWindow {
    pub since: Option<i64>,
    pub until: Option<i64>,
}

impl UpdatedWindow {
    fn from_query(q: &Query) -> Result<Self, ApiError> {
        Ok(UpdatedWindow {
            since: q.timestamp("updated_since")?,
            until: q.timestamp("updated_until")?,
        })
    }

    fn contains(&self, update_time: i64) -> bool {
        self.since.is_none_or(|s| update_time >= s) && self.until.is_none_or(|u| update_time < u)
    }
}

fn eq_opt(wanted: Option<u64>, actual: Option<u64>) -> bool {
    wanted.is_none() || wanted == actual
}

#[derive(Clone, Debug)]
pub(crate) struct DealFilter {
    pub owner_id: Option<u64>,
    pub person_id: Option<u64>,
    pub org_id: Option<u64>,
    pub pipeline_id: Option<u64>,
    pub stage_id: Option<u64>,
    /// Statuses to include; by default every status except `deleted`.
    pub statuses: Vec<DealStatus>,
    pub updated: UpdatedWindow,
}

impl DealFilter {
    pub(crate) fn from_query(q: &Query) -> Result<Self, ApiError> {
        let statuses = match q.list("status") {
            None => vec![DealStatus::Open, DealStatus::Won, DealStatus::Lost],
            Some(items) => items
                .iter()
                .map(|s| {
                    DealStatus::parse(s).ok_or_else(|| {
                        ApiError::invalid_param("status", "Expected open, won, lost or deleted")
                    })
                })
                .collect::<Result<Vec<_>, _>>()?,
        };
        Ok(DealFilter {
            owner_id: q.u64("owner_id")?,
            person_id: q.u64("person_id")?,
            org_id: q.u64("org_id")?,
            pipeline_id: q.u64("pipeline_id")?,
            stage_id: q.u64("stage_id")?,
            statuses,
            updated: UpdatedWindow::from_query(q)?,
        })
    }

    pub(crate) fn matches(&self, k: &DealKeys) -> bool {
        self.statuses.contains(&k.status)
            && !k.is_archived
            && eq_opt(self.owner_id, Some(k.owner_id))
            && eq_opt(self.person_id, k.person_id)
            && eq_opt(self.org_id, k.org_id)
            && eq_opt(self.pipeline_id, Some(k.pipeline_id))
            && eq_opt(self.stage_id, Some(k.stage_id))
            && self.updated.contains(k.update_time)
    }
}

#[derive(Clone, Debug)]
pub(crate) struct PersonFilter {
    pub owner_id: Option<u64>,
    pub org_id: Option<u64>,
    pub updated: UpdatedWindow,
}

impl PersonFilter {
    pub(crate) fn from_query(q: &Query) -> Result<Self, ApiError> {
        Ok(PersonFilter {
            owner_id: q.u64("owner_id")?,
            org_id: q.u64("org_id")?,
            updated: UpdatedWindow::from_query(q)?,
        })
    }

    pub(crate) fn matches(&self, k: &PersonKeys) -> bool {
        !k.is_deleted
            && eq_opt(self.owner_id, Some(k.owner_id))
            && eq_opt(self.org_id, k.org_id)
            && self.updated.contains(k.update_time)
    }
}

#[derive(Clone, Debug)]
pub(crate) struct OrganizationFilter {
    pub owner_id: Option<u64>,
    pub updated: UpdatedWindow,
}

impl OrganizationFilter {
    pub(crate) fn from_query(q: &Query) -> Result<Self, ApiError> {
        Ok(OrganizationFilter {
            owner_id: q.u64("owner_id")?,
            updated: UpdatedWindow::from_query(q)?,
        })
    }

    pub(crate) fn matches(&self, k: &OrganizationKeys) -> bool {
        !k.is_deleted
            && eq_opt(self.owner_id, Some(k.owner_id))
            && self.updated.contains(k.update_time)
    }
}
