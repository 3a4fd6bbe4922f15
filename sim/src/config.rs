//! Simulator configuration.

use crate::faults::Faults;
use crate::oauth::OAuthSettings;
use crate::rate_limit::RateLimits;
use std::path::PathBuf;

/// What the simulator serves and how.
///
/// Only `token`, `seed` and the entity counts change the data; the same
/// configuration always produces byte-identical responses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimConfig {
    /// The accepted API token (`x-api-token` header; on v1 also `?api_token=`).
    pub token: String,
    /// Seed of all generated data.
    pub seed: u64,
    pub deals: u64,
    pub persons: u64,
    pub organizations: u64,
    /// Company users (at least 1; user 1 owns the token).
    pub users: u64,
    /// Pipelines (at least 1).
    pub pipelines: u64,
    /// Stages in each pipeline (at least 1).
    pub stages_per_pipeline: u64,
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// OAuth apps and token lifetimes (no apps by default).
    pub oauth: OAuthSettings,
    /// Burst window and daily token budget (both off by default).
    pub rate_limits: RateLimits,
    /// Injected faults and latency (none by default).
    pub faults: Faults,
    /// `Some(unix ms)`: the simulator's clock (OAuth lifetimes, rate-limit
    /// windows, the daily budget, request-log times) starts there and
    /// moves only when advanced (`Simulator::advance_clock`), so tests
    /// never sleep. `None`: the system clock.
    pub clock_start_ms: Option<i64>,
    /// Requests the request log keeps (the oldest go first).
    pub request_log_capacity: usize,
    /// Activities; `None` derives the count from `deals` (two per deal).
    pub activities: Option<u64>,
    /// Notes; `None`: one per deal.
    pub notes: Option<u64>,
    /// Products in the catalogue; `None`: one per ten deals (16..=5000).
    pub products: Option<u64>,
    /// Leads; `None`: one per two deals.
    pub leads: Option<u64>,
    /// Projects (each with three tasks); `None`: one per twenty deals.
    pub projects: Option<u64>,
    /// Start from this dataset file (see the README's "Dataset files")
    /// instead of generating; `seed` and the counts above are then unused.
    pub data_file: Option<PathBuf>,
    /// Save the dataset to this file (atomically) after every successful
    /// write request and on `POST /__sim/dataset/save`, so writes outlive
    /// the process; start again with `data_file` set to it.
    pub save_to: Option<PathBuf>,
}

impl Default for SimConfig {
    /// A small demo company: 250 deals, 120 persons, 40 organizations,
    /// 8 users, 3 pipelines of 5 stages.
    fn default() -> Self {
        SimConfig {
            token: "demo-token".to_string(),
            seed: 42,
            deals: 250,
            persons: 120,
            organizations: 40,
            users: 8,
            pipelines: 3,
            stages_per_pipeline: 5,
            port: 0,
            oauth: OAuthSettings::default(),
            rate_limits: RateLimits::default(),
            faults: Faults::default(),
            clock_start_ms: None,
            request_log_capacity: 10_000,
            activities: None,
            notes: None,
            products: None,
            leads: None,
            projects: None,
            data_file: None,
            save_to: None,
        }
    }
}

impl SimConfig {
    /// Ids are kept as 32-bit numbers in sort indexes.
    pub const MAX_RECORDS: u64 = u32::MAX as u64;

    pub(crate) fn validate(&self) -> Result<(), String> {
        for (name, n) in [
            ("deals", self.deals),
            ("persons", self.persons),
            ("organizations", self.organizations),
        ] {
            if n > Self::MAX_RECORDS {
                return Err(format!(
                    "{name}: at most {} records are supported",
                    Self::MAX_RECORDS
                ));
            }
        }
        for (name, n) in [
            ("users", self.users),
            ("pipelines", self.pipelines),
            ("stages per pipeline", self.stages_per_pipeline),
        ] {
            if n == 0 {
                return Err(format!("{name}: at least 1 is required"));
            }
            if n > 10_000 {
                return Err(format!("{name}: at most 10000 are supported"));
            }
        }
        // Projects have three tasks each, and deal products, participants
        // and note comments several slots per record: a quarter of the id
        // space keeps every derived count within it.
        for (name, n) in [
            ("activities", self.activities),
            ("notes", self.notes),
            ("products", self.products),
            ("leads", self.leads),
            ("projects", self.projects),
        ] {
            if n.unwrap_or(0) > Self::MAX_RECORDS / 4 {
                return Err(format!(
                    "{name}: at most {} records are supported",
                    Self::MAX_RECORDS / 4
                ));
            }
        }
        if self.token.is_empty() {
            return Err("token: must not be empty".to_string());
        }
        Ok(())
    }
}
