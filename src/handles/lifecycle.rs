//! Allocating and freeing handles, keeping parents and children consistent
//! (a connection knows its statements, an environment its connections).

use super::cancel::CancelSignal;
use super::connection::{Conn, ConnHandle};
use super::descriptor::{DescHandle, DescKind};
use super::environment::EnvHandle;
use super::statement::{Stmt, StmtHandle};
use super::{lookup, register, unregister, HandleRef, HandleState, HandleToken};
use crate::diag::{OdbcError, Result, SqlState};
use parking_lot::Mutex;
use std::sync::Arc;

pub fn alloc_env() -> HandleToken {
    register(|token| HandleRef::Env(Arc::new(EnvHandle::new(token))))
}

/// SQLAllocHandle(SQL_HANDLE_DBC): the environment must have declared its
/// ODBC version first (HY010 otherwise).
pub fn alloc_conn(env: &EnvHandle, env_state: &mut super::environment::Env) -> Result<HandleToken> {
    if env_state.odbc_version == 0 {
        return Err(OdbcError::new(
            SqlState::FunctionSequenceError,
            "SQL_ATTR_ODBC_VERSION must be set before allocating a connection",
        ));
    }
    let version = env_state.odbc_version();
    let token = register(|token| {
        HandleRef::Conn(Arc::new(ConnHandle {
            token,
            env: env.token,
            state: Mutex::new(Conn::new(version)),
        }))
    });
    env_state.connections.push(token);
    Ok(token)
}

/// SQLAllocHandle(SQL_HANDLE_STMT): needs an open connection (08003).
pub fn alloc_stmt(conn: &ConnHandle, conn_state: &mut Conn) -> Result<HandleToken> {
    let session = conn_state.session()?.clone();
    conn_state.cursor_counter += 1;
    let cursor_name = format!("SQL_CUR{}", conn_state.cursor_counter);
    let version = conn_state.odbc_version;
    let cancel = Arc::new(CancelSignal::default());
    let conn_token = conn.token;
    let token = register(|token| {
        // The implicit descriptors are registered with the statement's
        // token as their owner; their tokens are fixed at creation.
        let kinds = [
            DescKind::AppRow,
            DescKind::AppParam,
            DescKind::ImpRow,
            DescKind::ImpParam,
        ];
        let descriptors = kinds.map(|kind| {
            register(|d| {
                HandleRef::Desc(Arc::new(DescHandle {
                    token: d,
                    stmt: token,
                    kind,
                    diag: Mutex::new(Default::default()),
                }))
            })
        });
        HandleRef::Stmt(Arc::new(StmtHandle {
            token,
            conn: conn_token,
            cancel: cancel.clone(),
            descriptors,
            state: Mutex::new(Stmt::new(token, session, version, cursor_name, cancel)),
        }))
    });
    conn_state.statements.push(token);
    Ok(token)
}

/// Removes a statement and its implicit descriptors from the registry.
pub fn drop_stmt(token: HandleToken) {
    if let Some(HandleRef::Stmt(stmt)) = unregister(token) {
        for d in stmt.descriptors {
            unregister(d);
        }
    }
}

/// SQLFreeHandle(SQL_HANDLE_STMT).
pub fn free_stmt(stmt: &StmtHandle) {
    if let Some(HandleRef::Conn(conn)) = lookup(stmt.conn) {
        conn.state.lock().statements.retain(|t| *t != stmt.token);
    }
    drop_stmt(stmt.token);
}

/// SQLFreeHandle(SQL_HANDLE_DBC): only once disconnected (HY010).
pub fn free_conn(conn: &ConnHandle, conn_state: &Conn) -> Result<()> {
    if conn_state.session.is_some() {
        return Err(OdbcError::new(
            SqlState::FunctionSequenceError,
            "Disconnect before freeing the connection handle",
        ));
    }
    if let Some(HandleRef::Env(env)) = lookup(conn.env) {
        env.state.lock().connections.retain(|t| *t != conn.token);
    }
    unregister(conn.token);
    Ok(())
}

/// SQLFreeHandle(SQL_HANDLE_ENV): only without connections (HY010).
pub fn free_env(env: &EnvHandle, env_state: &super::environment::Env) -> Result<()> {
    if !env_state.connections.is_empty() {
        return Err(OdbcError::new(
            SqlState::FunctionSequenceError,
            "Free every connection handle before the environment handle",
        ));
    }
    unregister(env.token);
    Ok(())
}

/// SQLDisconnect: frees the connection's statements and closes the session.
pub fn disconnect(conn_state: &mut Conn) -> Result<()> {
    if conn_state.session.is_none() {
        return Err(OdbcError::new(
            SqlState::ConnectionNotOpen,
            "The connection is not open",
        ));
    }
    for token in std::mem::take(&mut conn_state.statements) {
        drop_stmt(token);
    }
    conn_state.session = None;
    Ok(())
}
