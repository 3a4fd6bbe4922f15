//! The endpoint handlers named by the route table (`crate::routes`), one
//! module per entity family. Every handler has the same signature, so the
//! table can hold plain function pointers.

pub(crate) mod deal_reports;
pub(crate) mod deals;
pub(crate) mod fields;
pub(crate) mod files;
pub(crate) mod followers;
pub(crate) mod introspection;
pub(crate) mod nested;
pub(crate) mod organizations;
pub(crate) mod persons;
pub(crate) mod pipelines;
pub(crate) mod records;
pub(crate) mod search;
pub(crate) mod specials;
pub(crate) mod users;

use super::{Call, Reply};
use crate::errors::ApiError;

pub(crate) type Handler = fn(&Call) -> Result<Reply, ApiError>;
