//! The handle model: environments, connections, statements and descriptors,
//! and the registry that maps the opaque values applications hold to them.
//!
//! A handle value is a token, never a pointer: a stale, double-freed, forged
//! or wrong-kind handle is simply not found (SQL_INVALID_HANDLE) instead of
//! being dereferenced.

pub mod attrs;
pub mod bindings;
pub mod cancel;
pub mod connection;
pub mod descriptor;
pub mod environment;
pub mod lifecycle;
mod registry;
pub mod statement;
mod statement_attrs;

pub use registry::{lookup, register, unregister, HandleRef, HandleToken};

use crate::diag::DiagArea;

/// What every handle has: a diagnostic area and the ODBC version its
/// environment declared (which selects ODBC 2 or 3 SQLSTATEs).
pub trait HandleState {
    fn diag(&mut self) -> &mut DiagArea;
    fn odbc_version(&self) -> i32;
    /// Records a failed call in the connection's log, if it has one.
    fn log_error(&self, _error: &crate::diag::OdbcError) {}
}

pub const SQL_OV_ODBC2: i32 = 2;
pub const SQL_OV_ODBC3: i32 = 3;
pub const SQL_OV_ODBC3_80: i32 = 380;
