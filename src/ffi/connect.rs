//! Connecting, disconnecting, connection attributes and SQLNativeSql.

use super::text::SqlWChar;
use super::text::{read_text, write_text, LengthUnit, OdbcChar};
use super::*;
use crate::config::installed_dsns;
use crate::handles::attrs::conn as attr;
use crate::handles::connection::{parse_connection_string, ConnAttrValue};
use crate::handles::lifecycle;

unsafe fn connect<C: OdbcChar>(
    conn: Handle,
    dsn: *const C,
    dsn_len: i16,
    user: *const C,
    user_len: i16,
    auth: *const C,
    auth_len: i16,
) -> SqlReturn {
    with_conn(conn, |handle, state| {
        let mut attrs = Vec::new();
        for (key, ptr, len) in [
            ("DSN", dsn, dsn_len),
            ("UID", user, user_len),
            ("PWD", auth, auth_len),
        ] {
            if let Some(value) = read_text(ptr, isize::from(len))? {
                if !value.is_empty() {
                    attrs.push((key.to_string(), value));
                }
            }
        }
        state.connect(handle.token as u64, &attrs, &installed_dsns())?;
        Ok(Status::Success)
    })
}

/// # Safety
/// String arguments must be valid for their lengths (or NUL-terminated).
#[no_mangle]
pub unsafe extern "system" fn SQLConnect(
    conn: Handle,
    dsn: *const u8,
    dsn_len: i16,
    user: *const u8,
    user_len: i16,
    auth: *const u8,
    auth_len: i16,
) -> SqlReturn {
    connect(conn, dsn, dsn_len, user, user_len, auth, auth_len)
}

/// # Safety
/// As for SQLConnect.
#[no_mangle]
pub unsafe extern "system" fn SQLConnectW(
    conn: Handle,
    dsn: *const SqlWChar,
    dsn_len: i16,
    user: *const SqlWChar,
    user_len: i16,
    auth: *const SqlWChar,
    auth_len: i16,
) -> SqlReturn {
    connect(conn, dsn, dsn_len, user, user_len, auth, auth_len)
}

const SQL_DRIVER_NOPROMPT: u16 = 0;
const SQL_DRIVER_COMPLETE_REQUIRED: u16 = 3;

#[allow(clippy::too_many_arguments)]
unsafe fn driver_connect<C: OdbcChar>(
    conn: Handle,
    input: *const C,
    input_len: i16,
    output: *mut C,
    output_max: i16,
    output_len: *mut i16,
    completion: u16,
) -> SqlReturn {
    with_conn(conn, |handle, state| {
        // No dialog exists to prompt with: every completion mode connects
        // with what it was given, as SQL_DRIVER_NOPROMPT does.
        if !(SQL_DRIVER_NOPROMPT..=SQL_DRIVER_COMPLETE_REQUIRED).contains(&completion) {
            return Err(OdbcError::new(
                SqlState::InvalidDriverCompletion,
                format!("Invalid DriverCompletion {completion}"),
            ));
        }
        if output_max < 0 {
            return Err(invalid_length(output_max.into()));
        }
        let text = read_text(input, isize::from(input_len))?.unwrap_or_default();
        let attrs = parse_connection_string(&text)?;
        let completed = state.connect(handle.token as u64, &attrs, &installed_dsns())?;
        let written = write_text(
            &completed,
            output,
            isize::from(output_max),
            LengthUnit::Chars,
        );
        put(
            output_len,
            i16::try_from(written.full_length).unwrap_or(i16::MAX),
        );
        truncation_warning(&mut state.diag, written);
        Ok(Status::Success)
    })
}

/// # Safety
/// `input` valid for `input_len` (or NUL-terminated); `output` null or
/// valid for `output_max` characters.
#[no_mangle]
pub unsafe extern "system" fn SQLDriverConnect(
    conn: Handle,
    _window: Handle,
    input: *const u8,
    input_len: i16,
    output: *mut u8,
    output_max: i16,
    output_len: *mut i16,
    completion: u16,
) -> SqlReturn {
    driver_connect(
        conn, input, input_len, output, output_max, output_len, completion,
    )
}

/// # Safety
/// As for SQLDriverConnect, in UTF-16 characters.
#[no_mangle]
pub unsafe extern "system" fn SQLDriverConnectW(
    conn: Handle,
    _window: Handle,
    input: *const SqlWChar,
    input_len: i16,
    output: *mut SqlWChar,
    output_max: i16,
    output_len: *mut i16,
    completion: u16,
) -> SqlReturn {
    driver_connect(
        conn, input, input_len, output, output_max, output_len, completion,
    )
}

/// # Safety
/// Called with a connection handle.
#[no_mangle]
pub unsafe extern "system" fn SQLDisconnect(conn: Handle) -> SqlReturn {
    with_conn(conn, |_, state| {
        lifecycle::disconnect(state).map(|_| Status::Success)
    })
}

unsafe fn set_connect_attr<C: OdbcChar>(
    conn: Handle,
    attribute: i32,
    value: *mut c_void,
    len: i32,
) -> SqlReturn {
    with_conn(conn, |_, state| {
        let v = if attr::is_string(attribute) {
            ConnAttrValue::Str(
                read_text(
                    value.cast::<C>().cast_const(),
                    if len < 0 {
                        len as isize
                    } else {
                        len as isize / C::SIZE as isize
                    },
                )?
                .unwrap_or_default(),
            )
        } else {
            ConnAttrValue::Int(value as usize)
        };
        state.set_attr(attribute, v)?;
        Ok(Status::Success)
    })
}

/// # Safety
/// `value` is an integer or a string per the attribute.
#[no_mangle]
pub unsafe extern "system" fn SQLSetConnectAttr(
    conn: Handle,
    attribute: i32,
    value: *mut c_void,
    len: i32,
) -> SqlReturn {
    set_connect_attr::<u8>(conn, attribute, value, len)
}

/// # Safety
/// As for SQLSetConnectAttr; string lengths in bytes.
#[no_mangle]
pub unsafe extern "system" fn SQLSetConnectAttrW(
    conn: Handle,
    attribute: i32,
    value: *mut c_void,
    len: i32,
) -> SqlReturn {
    set_connect_attr::<SqlWChar>(conn, attribute, value, len)
}

unsafe fn get_connect_attr<C: OdbcChar>(
    conn: Handle,
    attribute: i32,
    value: *mut c_void,
    buffer_len: i32,
    string_len: *mut i32,
) -> SqlReturn {
    with_conn(conn, |_, state| {
        match state.get_attr(attribute)? {
            // HWND and SQLULEN attributes are pointer-sized; the rest
            // are SQLUINTEGERs.
            ConnAttrValue::Int(v) if matches!(attribute, attr::QUIET_MODE | attr::ODBC_CURSORS) => {
                put(value.cast::<usize>(), v);
                put(string_len, std::mem::size_of::<usize>() as i32);
            }
            ConnAttrValue::Int(v) => {
                put(value.cast::<u32>(), v as u32);
                put(string_len, 4);
            }
            ConnAttrValue::Str(s) => {
                let written = write_text(
                    &s,
                    value.cast::<C>(),
                    buffer_len as isize,
                    LengthUnit::Bytes,
                );
                put(string_len, written.full_length as i32);
                truncation_warning(&mut state.diag, written);
            }
        }
        Ok(Status::Success)
    })
}

/// # Safety
/// `value` valid for an SQLUINTEGER or `buffer_len` bytes.
#[no_mangle]
pub unsafe extern "system" fn SQLGetConnectAttr(
    conn: Handle,
    attribute: i32,
    value: *mut c_void,
    buffer_len: i32,
    string_len: *mut i32,
) -> SqlReturn {
    get_connect_attr::<u8>(conn, attribute, value, buffer_len, string_len)
}

/// # Safety
/// As for SQLGetConnectAttr.
#[no_mangle]
pub unsafe extern "system" fn SQLGetConnectAttrW(
    conn: Handle,
    attribute: i32,
    value: *mut c_void,
    buffer_len: i32,
    string_len: *mut i32,
) -> SqlReturn {
    get_connect_attr::<SqlWChar>(conn, attribute, value, buffer_len, string_len)
}

unsafe fn native_sql<C: OdbcChar>(
    conn: Handle,
    input: *const C,
    input_len: i32,
    output: *mut C,
    output_max: i32,
    output_len: *mut i32,
) -> SqlReturn {
    with_conn(conn, |_, state| {
        let text = super::text::read_required(input, input_len as isize, "InStatementText")?;
        if output_max < 0 {
            return Err(invalid_length(output_max as isize));
        }
        let native = crate::sql::escape::rewrite_odbc_escapes(&text, false)?.sql;
        let written = write_text(&native, output, output_max as isize, LengthUnit::Chars);
        put(output_len, written.full_length as i32);
        truncation_warning(&mut state.diag, written);
        Ok(Status::Success)
    })
}

/// # Safety
/// Strings valid for their lengths.
#[no_mangle]
pub unsafe extern "system" fn SQLNativeSql(
    conn: Handle,
    input: *const u8,
    input_len: i32,
    output: *mut u8,
    output_max: i32,
    output_len: *mut i32,
) -> SqlReturn {
    native_sql(conn, input, input_len, output, output_max, output_len)
}

/// # Safety
/// As for SQLNativeSql, in UTF-16 characters.
#[no_mangle]
pub unsafe extern "system" fn SQLNativeSqlW(
    conn: Handle,
    input: *const SqlWChar,
    input_len: i32,
    output: *mut SqlWChar,
    output_max: i32,
    output_len: *mut i32,
) -> SqlReturn {
    native_sql(conn, input, input_len, output, output_max, output_len)
}
