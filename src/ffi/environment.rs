//! Handle allocation and environment attributes.

use super::*;
use crate::handles::attrs::env as attr;
use crate::handles::lifecycle;

/// # Safety
/// `output` must be null or valid for writing a handle.
#[no_mangle]
pub unsafe extern "system" fn SQLAllocHandle(
    handle_type: i16,
    input: Handle,
    output: *mut Handle,
) -> SqlReturn {
    match handle_type {
        SQL_HANDLE_ENV => guard(|| {
            if output.is_null() {
                return SQL_ERROR;
            }
            put(output, lifecycle::alloc_env() as Handle);
            SQL_SUCCESS
        }),
        SQL_HANDLE_DBC => with_env(input, |env, state| {
            let out = non_null(output)?;
            put(out, lifecycle::alloc_conn(env, state)? as Handle);
            Ok(Status::Success)
        }),
        SQL_HANDLE_STMT => with_conn(input, |conn, state| {
            let out = non_null(output)?;
            put(out, lifecycle::alloc_stmt(conn, state)? as Handle);
            Ok(Status::Success)
        }),
        SQL_HANDLE_DESC => with_conn(input, |_, _| {
            Err(OdbcError::not_implemented(
                "explicitly allocated descriptors",
            ))
        }),
        _ => guard(|| {
            if lookup(input as usize).is_some() {
                SQL_ERROR
            } else {
                SQL_INVALID_HANDLE
            }
        }),
    }
}

fn free_statement(handle: Handle) -> SqlReturn {
    guard(|| match super::stmt_of(handle) {
        Some(stmt) => {
            lifecycle::free_stmt(&stmt);
            SQL_SUCCESS
        }
        None => SQL_INVALID_HANDLE,
    })
}

fn non_null(out: *mut Handle) -> Result<*mut Handle> {
    if out.is_null() {
        Err(OdbcError::new(
            SqlState::InvalidNullPointer,
            "OutputHandlePtr is a null pointer",
        ))
    } else {
        Ok(out)
    }
}

/// # Safety
/// Called by the driver manager with a handle it allocated from this driver.
#[no_mangle]
pub unsafe extern "system" fn SQLFreeHandle(handle_type: i16, handle: Handle) -> SqlReturn {
    match handle_type {
        SQL_HANDLE_ENV => with_env(handle, |env, state| {
            lifecycle::free_env(env, state).map(|_| Status::Success)
        }),
        SQL_HANDLE_DBC => with_conn(handle, |conn, state| {
            lifecycle::free_conn(conn, state).map(|_| Status::Success)
        }),
        SQL_HANDLE_STMT => free_statement(handle),
        // Implicit descriptors are freed with their statement (HY017).
        SQL_HANDLE_DESC => with_desc(handle, |_, _| {
            Err(OdbcError::new(
                SqlState::GeneralError,
                "Invalid use of an automatically allocated descriptor handle (HY017)",
            ))
        }),
        _ => SQL_INVALID_HANDLE,
    }
}

/// # Safety
/// As for SQLFreeHandle.
#[no_mangle]
pub unsafe extern "system" fn SQLFreeStmt(stmt: Handle, option: u16) -> SqlReturn {
    const SQL_CLOSE: u16 = 0;
    const SQL_DROP: u16 = 1;
    const SQL_UNBIND: u16 = 2;
    const SQL_RESET_PARAMS: u16 = 3;
    if option == SQL_DROP {
        return free_statement(stmt);
    }
    with_stmt(stmt, |_, s| {
        match option {
            SQL_CLOSE => s.close_cursor_quietly(),
            SQL_UNBIND => s.unbind_columns(),
            SQL_RESET_PARAMS => s.reset_params(),
            other => {
                return Err(OdbcError::new(
                    SqlState::InvalidAttributeIdentifier,
                    format!("Invalid SQLFreeStmt option {other}"),
                ))
            }
        }
        Ok(Status::Success)
    })
}

/// # Safety
/// `value` is an integer passed as a pointer, per the spec.
#[no_mangle]
pub unsafe extern "system" fn SQLSetEnvAttr(
    env: Handle,
    attribute: i32,
    value: *mut c_void,
    _len: i32,
) -> SqlReturn {
    with_env(env, |_, state| {
        let v = value as usize;
        match attribute {
            attr::ODBC_VERSION => {
                if !state.connections.is_empty() {
                    return Err(OdbcError::new(
                        SqlState::FunctionSequenceError,
                        "The ODBC version cannot change while connections exist",
                    ));
                }
                match v as i32 {
                    crate::handles::SQL_OV_ODBC2
                    | crate::handles::SQL_OV_ODBC3
                    | crate::handles::SQL_OV_ODBC3_80 => state.odbc_version = v as i32,
                    other => {
                        return Err(OdbcError::new(
                            SqlState::InvalidAttributeValue,
                            format!("Unsupported ODBC version {other}"),
                        ))
                    }
                }
            }
            attr::CONNECTION_POOLING => state.connection_pooling = v as u32,
            attr::CP_MATCH => state.cp_match = v as u32,
            attr::OUTPUT_NTS => {
                if v == 0 {
                    return Err(OdbcError::not_implemented(
                        "SQL_ATTR_OUTPUT_NTS = SQL_FALSE",
                    ));
                }
            }
            other => {
                return Err(OdbcError::new(
                    SqlState::InvalidAttributeIdentifier,
                    format!("Unknown environment attribute {other}"),
                ))
            }
        }
        Ok(Status::Success)
    })
}

/// # Safety
/// `value` must be null or valid for an SQLINTEGER.
#[no_mangle]
pub unsafe extern "system" fn SQLGetEnvAttr(
    env: Handle,
    attribute: i32,
    value: *mut c_void,
    _buffer_len: i32,
    string_len: *mut i32,
) -> SqlReturn {
    with_env(env, |_, state| {
        let v: u32 = match attribute {
            attr::ODBC_VERSION => state.odbc_version() as u32,
            attr::CONNECTION_POOLING => state.connection_pooling,
            attr::CP_MATCH => state.cp_match,
            attr::OUTPUT_NTS => 1,
            other => {
                return Err(OdbcError::new(
                    SqlState::InvalidAttributeIdentifier,
                    format!("Unknown environment attribute {other}"),
                ))
            }
        };
        put(value.cast::<u32>(), v);
        put(string_len, 4);
        Ok(Status::Success)
    })
}

/// # Safety
/// Called with a handle of the given type.
#[no_mangle]
pub unsafe extern "system" fn SQLEndTran(
    handle_type: i16,
    handle: Handle,
    completion: i16,
) -> SqlReturn {
    // Every statement is committed by the API as it runs (autocommit);
    // there is nothing to commit or roll back.
    let check = move || match completion {
        0 | 1 => Ok(Status::Success),
        other => Err(OdbcError::new(
            SqlState::InvalidTransactionOperation,
            format!("Invalid completion type {other}"),
        )),
    };
    match handle_type {
        SQL_HANDLE_ENV => with_env(handle, |_, _| check()),
        SQL_HANDLE_DBC => with_conn(handle, |_, state| {
            state.session()?;
            check()
        }),
        _ => SQL_INVALID_HANDLE,
    }
}
