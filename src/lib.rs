//! pipedrive-odbc: an ODBC driver for the Pipedrive CRM.
//!
//! Data flows one way: C call -> handle -> SQL -> plan -> API requests ->
//! pages -> rows -> C buffers. `ffi` is the C boundary and only forwards to
//! the safe modules below it.

pub mod api;
pub mod auth;
pub mod catalog;
pub mod config;
pub mod convert;
pub mod diag;
pub mod ffi;
pub mod handles;
pub mod info;
pub mod logging;
pub mod model;
pub mod reference;
pub mod session;
pub mod setup;
pub mod sql;
pub mod types;
pub mod value;
