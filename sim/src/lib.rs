//! `pipedrive-sim`: a local simulator of the Pipedrive REST API.
//!
//! It serves deterministic, generated data through the same endpoints,
//! envelopes, pagination and errors as Pipedrive's published OpenAPI
//! documents, so a Pipedrive client (such as the ODBC driver in this
//! workspace) can be demonstrated and tested without a Pipedrive account.
//!
//! ```no_run
//! use pipedrive_sim::{SimConfig, Simulator};
//!
//! let sim = Simulator::start(SimConfig { deals: 1000, ..SimConfig::default() }).unwrap();
//! // GET {base_url}/api/v2/deals with header `x-api-token: demo-token`
//! println!("{}", sim.base_url());
//! assert_eq!(sim.dataset().deal_count(), 1000);
//! ```

mod api;
mod auth;
mod base64url;
pub mod cli;
mod clock;
mod config;
mod cursor;
mod data;
mod errors;
mod faults;
mod filters;
mod gateway;
mod http;
mod http_reply;
mod json;
mod multipart;
mod oauth;
mod pagination;
mod persist;
mod query;
mod rate_limit;
mod render;
mod request_log;
mod response;
mod routes;
mod server;
mod stats;
mod time;

pub use config::SimConfig;
pub use data::snapshot::SaveMode;
pub use data::Dataset;
pub use faults::{FaultKind, FaultRule, Faults, Share};
pub use oauth::{OAuthClient, OAuthConsent, OAuthSettings, OAuthTokens};
pub use rate_limit::RateLimits;
pub use request_log::{AuthKind, LoggedRequest};
pub use routes::served_operations;
pub use server::Simulator;
pub use stats::{EndpointStats, Stats};
