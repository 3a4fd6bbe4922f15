//! The C boundary. Every export validates its handle against the registry,
//! converts its string arguments, catches panics and forwards to the safe
//! modules; the helpers here are the one place that does so.

pub mod catalog;
pub mod connect;
pub mod descriptors;
pub mod diagnostics;
pub mod environment;
pub mod fetch;
pub mod functions;
pub mod info;
#[cfg(windows)]
pub mod setup;
pub mod statement;
pub mod text;

use crate::diag::{DiagArea, OdbcError, Result, SqlState};
use crate::handles::connection::{Conn, ConnHandle};
use crate::handles::descriptor::DescHandle;
use crate::handles::environment::{Env, EnvHandle};
use crate::handles::statement::{Status, Stmt, StmtHandle};
use crate::handles::{lookup, HandleRef, HandleState};
use parking_lot::Mutex;
use std::ffi::c_void;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

pub type SqlReturn = i16;
pub type Handle = *mut c_void;

pub const SQL_SUCCESS: SqlReturn = 0;
pub const SQL_SUCCESS_WITH_INFO: SqlReturn = 1;
pub const SQL_ERROR: SqlReturn = -1;
pub const SQL_INVALID_HANDLE: SqlReturn = -2;
pub const SQL_NO_DATA: SqlReturn = 100;

pub const SQL_HANDLE_ENV: i16 = 1;
pub const SQL_HANDLE_DBC: i16 = 2;
pub const SQL_HANDLE_STMT: i16 = 3;
pub const SQL_HANDLE_DESC: i16 = 4;

/// Turns a function's outcome into its return code, recording errors and
/// noting warnings in the diagnostic area.
fn finish(diag: &mut DiagArea, outcome: std::thread::Result<Result<Status>>) -> SqlReturn {
    let code = match outcome {
        Ok(Ok(Status::Success)) if diag.records.is_empty() => SQL_SUCCESS,
        Ok(Ok(Status::Success)) => SQL_SUCCESS_WITH_INFO,
        Ok(Ok(Status::NoData)) => SQL_NO_DATA,
        Ok(Err(e)) => {
            diag.push(&e);
            SQL_ERROR
        }
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            diag.push(&OdbcError::general(format!(
                "Internal error (please report it): {what}"
            )));
            SQL_ERROR
        }
    };
    diag.return_code = code;
    code
}

/// Runs `f` on a locked handle state with a fresh diagnostic area.
fn run<S: HandleState>(state: &Mutex<S>, f: impl FnOnce(&mut S) -> Result<Status>) -> SqlReturn {
    let mut guard = state.lock();
    guard.diag().clear();
    let outcome = catch_unwind(AssertUnwindSafe(|| f(&mut guard)));
    if let Ok(Err(e)) = &outcome {
        guard.log_error(e);
    }
    finish(guard.diag(), outcome)
}

/// The outermost guard of every export: a panic anywhere (even outside a
/// handle's lock) becomes SQL_ERROR, never an unwind into C.
fn guard(f: impl FnOnce() -> SqlReturn) -> SqlReturn {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(SQL_ERROR)
}

fn env_of(h: Handle) -> Option<Arc<EnvHandle>> {
    match lookup(h as usize)? {
        HandleRef::Env(e) => Some(e),
        _ => None,
    }
}

fn conn_of(h: Handle) -> Option<Arc<ConnHandle>> {
    match lookup(h as usize)? {
        HandleRef::Conn(c) => Some(c),
        _ => None,
    }
}

fn stmt_of(h: Handle) -> Option<Arc<StmtHandle>> {
    match lookup(h as usize)? {
        HandleRef::Stmt(s) => Some(s),
        _ => None,
    }
}

fn desc_of(h: Handle) -> Option<Arc<DescHandle>> {
    match lookup(h as usize)? {
        HandleRef::Desc(d) => Some(d),
        _ => None,
    }
}

pub(crate) fn with_env(
    h: Handle,
    f: impl FnOnce(&EnvHandle, &mut Env) -> Result<Status>,
) -> SqlReturn {
    guard(|| match env_of(h) {
        Some(env) => run(&env.state, |state| f(&env, state)),
        None => SQL_INVALID_HANDLE,
    })
}

pub(crate) fn with_conn(
    h: Handle,
    f: impl FnOnce(&ConnHandle, &mut Conn) -> Result<Status>,
) -> SqlReturn {
    guard(|| match conn_of(h) {
        Some(conn) => run(&conn.state, |state| f(&conn, state)),
        None => SQL_INVALID_HANDLE,
    })
}

pub(crate) fn with_stmt(
    h: Handle,
    f: impl FnOnce(&StmtHandle, &mut Stmt) -> Result<Status>,
) -> SqlReturn {
    guard(|| match stmt_of(h) {
        Some(stmt) => run(&stmt.state, |state| f(&stmt, state)),
        None => SQL_INVALID_HANDLE,
    })
}

/// Descriptor calls lock the owning statement (the records live there) and
/// report into the descriptor's own diagnostic area.
pub(crate) fn with_desc(
    h: Handle,
    f: impl FnOnce(&DescHandle, &mut Stmt) -> Result<Status>,
) -> SqlReturn {
    guard(|| {
        let Some(desc) = desc_of(h) else {
            return SQL_INVALID_HANDLE;
        };
        let Some(HandleRef::Stmt(stmt)) = lookup(desc.stmt) else {
            return SQL_INVALID_HANDLE;
        };
        let mut diag = desc.diag.lock();
        diag.clear();
        let mut state = stmt.state.lock();
        let outcome = catch_unwind(AssertUnwindSafe(|| f(&desc, &mut state)));
        finish(&mut diag, outcome)
    })
}

/// Writes `value` through an optional output pointer.
///
/// # Safety
/// `ptr` must be null or valid for a write of `T` (unaligned is fine).
pub(crate) unsafe fn put<T>(ptr: *mut T, value: T) {
    if !ptr.is_null() {
        ptr.write_unaligned(value);
    }
}

/// Records a 01004 warning for a truncated output string.
pub(crate) fn truncation_warning(diag: &mut DiagArea, written: text::TextWritten) {
    if written.truncated {
        diag.push(&OdbcError::new(
            SqlState::StringTruncated,
            "String data, right truncated",
        ));
    }
}

pub(crate) fn invalid_length(len: isize) -> OdbcError {
    OdbcError::new(
        SqlState::InvalidStringOrBufferLength,
        format!("Invalid string or buffer length {len}"),
    )
}
