//! SQLGetDiagRec and SQLGetDiagField: read a handle's diagnostic area
//! without clearing it.

use super::text::SqlWChar;
use super::text::{write_text, LengthUnit, OdbcChar};
use super::*;
use crate::diag::DiagRecord;

/// Reads the diagnostic area of any handle; `None` for an invalid handle.
fn read_diag<R>(
    handle_type: i16,
    handle: Handle,
    f: impl FnOnce(&DiagArea, i32) -> R,
) -> Option<R> {
    match handle_type {
        SQL_HANDLE_ENV => env_of(handle).map(|h| {
            let s = h.state.lock();
            f(&s.diag, s.odbc_version())
        }),
        SQL_HANDLE_DBC => conn_of(handle).map(|h| {
            let s = h.state.lock();
            f(&s.diag, s.odbc_version)
        }),
        SQL_HANDLE_STMT => stmt_of(handle).map(|h| {
            let s = h.state.lock();
            f(&s.diag, s.odbc_version)
        }),
        SQL_HANDLE_DESC => desc_of(handle).map(|h| {
            let version = match lookup(h.stmt) {
                Some(HandleRef::Stmt(s)) => s.state.lock().odbc_version,
                _ => crate::handles::SQL_OV_ODBC3,
            };
            f(&h.diag.lock(), version)
        }),
        _ => None,
    }
}

fn state_text(record: &DiagRecord, odbc_version: i32) -> &'static str {
    if odbc_version == crate::handles::SQL_OV_ODBC2 {
        record.state.odbc2()
    } else {
        record.state.odbc3()
    }
}

#[allow(clippy::too_many_arguments)]
unsafe fn get_diag_rec<C: OdbcChar>(
    handle_type: i16,
    handle: Handle,
    record: i16,
    state: *mut C,
    native: *mut i32,
    message: *mut C,
    buffer_len: i16,
    text_len: *mut i16,
) -> SqlReturn {
    guard(|| {
        read_diag(handle_type, handle, |diag, version| {
            if record < 1 || buffer_len < 0 {
                return SQL_ERROR;
            }
            let Some(rec) = diag.records.get(record as usize - 1) else {
                return SQL_NO_DATA;
            };
            if !state.is_null() {
                // Five characters and a terminator.
                write_text(state_text(rec, version), state, 6, LengthUnit::Chars);
            }
            put(native, rec.native);
            let written = write_text(
                &rec.message,
                message,
                isize::from(buffer_len),
                LengthUnit::Chars,
            );
            put(
                text_len,
                i16::try_from(written.full_length).unwrap_or(i16::MAX),
            );
            if written.truncated {
                SQL_SUCCESS_WITH_INFO
            } else {
                SQL_SUCCESS
            }
        })
        .unwrap_or(SQL_INVALID_HANDLE)
    })
}

/// # Safety
/// `state` null or 6 characters; `message` null or `buffer_len` characters.
#[no_mangle]
pub unsafe extern "system" fn SQLGetDiagRec(
    handle_type: i16,
    handle: Handle,
    record: i16,
    state: *mut u8,
    native: *mut i32,
    message: *mut u8,
    buffer_len: i16,
    text_len: *mut i16,
) -> SqlReturn {
    get_diag_rec(
        handle_type,
        handle,
        record,
        state,
        native,
        message,
        buffer_len,
        text_len,
    )
}

/// # Safety
/// As for SQLGetDiagRec, in UTF-16 characters.
#[no_mangle]
pub unsafe extern "system" fn SQLGetDiagRecW(
    handle_type: i16,
    handle: Handle,
    record: i16,
    state: *mut SqlWChar,
    native: *mut i32,
    message: *mut SqlWChar,
    buffer_len: i16,
    text_len: *mut i16,
) -> SqlReturn {
    get_diag_rec(
        handle_type,
        handle,
        record,
        state,
        native,
        message,
        buffer_len,
        text_len,
    )
}

mod id {
    pub const RETURNCODE: i16 = 1;
    pub const NUMBER: i16 = 2;
    pub const ROW_COUNT: i16 = 3;
    pub const SQLSTATE: i16 = 4;
    pub const NATIVE: i16 = 5;
    pub const MESSAGE_TEXT: i16 = 6;
    pub const DYNAMIC_FUNCTION: i16 = 7;
    pub const CLASS_ORIGIN: i16 = 8;
    pub const SUBCLASS_ORIGIN: i16 = 9;
    pub const CONNECTION_NAME: i16 = 10;
    pub const SERVER_NAME: i16 = 11;
    pub const DYNAMIC_FUNCTION_CODE: i16 = 12;
    pub const CURSOR_ROW_COUNT: i16 = -1249;
    pub const ROW_NUMBER: i16 = -1248;
    pub const COLUMN_NUMBER: i16 = -1247;
}

enum DiagValue {
    Str(String),
    Int(i32),
    Len(isize),
    Ret(i16),
}

fn diag_value(
    diag: &DiagArea,
    version: i32,
    handle_type: i16,
    record: i16,
    field: i16,
) -> Result<Option<DiagValue>, ()> {
    let statement_only = matches!(
        field,
        id::ROW_COUNT | id::CURSOR_ROW_COUNT | id::DYNAMIC_FUNCTION | id::DYNAMIC_FUNCTION_CODE
    );
    if statement_only && handle_type != SQL_HANDLE_STMT {
        return Err(());
    }
    let header = match field {
        id::RETURNCODE => Some(DiagValue::Ret(diag.return_code)),
        id::NUMBER => Some(DiagValue::Int(diag.records.len() as i32)),
        id::ROW_COUNT | id::CURSOR_ROW_COUNT => Some(DiagValue::Len(diag.row_count as isize)),
        id::DYNAMIC_FUNCTION => Some(DiagValue::Str(diag.dynamic_function.to_string())),
        id::DYNAMIC_FUNCTION_CODE => Some(DiagValue::Int(diag.dynamic_function_code)),
        _ => None,
    };
    if let Some(h) = header {
        return Ok(Some(h));
    }
    if record < 1 {
        return Err(());
    }
    let Some(rec) = diag.records.get(record as usize - 1) else {
        return Ok(None);
    };
    Ok(Some(match field {
        id::SQLSTATE => DiagValue::Str(state_text(rec, version).to_string()),
        id::NATIVE => DiagValue::Int(rec.native),
        id::MESSAGE_TEXT => DiagValue::Str(rec.message.clone()),
        id::CLASS_ORIGIN => DiagValue::Str(rec.state.class_origin().to_string()),
        id::SUBCLASS_ORIGIN => DiagValue::Str(rec.state.subclass_origin().to_string()),
        id::CONNECTION_NAME | id::SERVER_NAME => DiagValue::Str(String::new()),
        id::ROW_NUMBER => DiagValue::Len(rec.row_number as isize),
        id::COLUMN_NUMBER => DiagValue::Int(rec.column_number),
        _ => return Err(()),
    }))
}

#[allow(clippy::too_many_arguments)]
unsafe fn get_diag_field<C: OdbcChar>(
    handle_type: i16,
    handle: Handle,
    record: i16,
    field: i16,
    info: *mut c_void,
    buffer_len: i16,
    string_len: *mut i16,
) -> SqlReturn {
    guard(|| {
        read_diag(handle_type, handle, |diag, version| {
            match diag_value(diag, version, handle_type, record, field) {
                Err(()) => SQL_ERROR,
                Ok(None) => SQL_NO_DATA,
                Ok(Some(value)) => match value {
                    DiagValue::Str(s) => {
                        if buffer_len < 0 {
                            return SQL_ERROR;
                        }
                        let written = write_text(
                            &s,
                            info.cast::<C>(),
                            isize::from(buffer_len),
                            LengthUnit::Bytes,
                        );
                        put(
                            string_len,
                            i16::try_from(written.full_length).unwrap_or(i16::MAX),
                        );
                        if written.truncated {
                            SQL_SUCCESS_WITH_INFO
                        } else {
                            SQL_SUCCESS
                        }
                    }
                    DiagValue::Int(v) => {
                        put(info.cast::<i32>(), v);
                        SQL_SUCCESS
                    }
                    DiagValue::Len(v) => {
                        put(info.cast::<isize>(), v);
                        SQL_SUCCESS
                    }
                    DiagValue::Ret(v) => {
                        put(info.cast::<i16>(), v);
                        SQL_SUCCESS
                    }
                },
            }
        })
        .unwrap_or(SQL_INVALID_HANDLE)
    })
}

/// # Safety
/// `info` null or valid for the field's type (or `buffer_len` bytes).
#[no_mangle]
pub unsafe extern "system" fn SQLGetDiagField(
    handle_type: i16,
    handle: Handle,
    record: i16,
    field: i16,
    info: *mut c_void,
    buffer_len: i16,
    string_len: *mut i16,
) -> SqlReturn {
    get_diag_field::<u8>(
        handle_type,
        handle,
        record,
        field,
        info,
        buffer_len,
        string_len,
    )
}

/// # Safety
/// As for SQLGetDiagField; lengths in bytes.
#[no_mangle]
pub unsafe extern "system" fn SQLGetDiagFieldW(
    handle_type: i16,
    handle: Handle,
    record: i16,
    field: i16,
    info: *mut c_void,
    buffer_len: i16,
    string_len: *mut i16,
) -> SqlReturn {
    get_diag_field::<SqlWChar>(
        handle_type,
        handle,
        record,
        field,
        info,
        buffer_len,
        string_len,
    )
}
