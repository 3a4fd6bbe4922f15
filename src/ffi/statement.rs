//! Preparing, executing and describing statements; statement attributes.

use super::text::SqlWChar;
use super::text::{read_required, read_text, write_text, LengthUnit, OdbcChar};
use super::*;
use crate::handles::bindings::ParamBinding;
use crate::handles::statement::AttrValue;

unsafe fn exec_direct<C: OdbcChar>(stmt: Handle, text: *const C, len: i32) -> SqlReturn {
    with_stmt(stmt, |_, s| {
        s.exec_direct(&read_required(text, len as isize, "StatementText")?)
    })
}

/// # Safety
/// `text` valid for `len` characters or NUL-terminated.
#[no_mangle]
pub unsafe extern "system" fn SQLExecDirect(stmt: Handle, text: *const u8, len: i32) -> SqlReturn {
    exec_direct(stmt, text, len)
}

/// # Safety
/// As for SQLExecDirect, in UTF-16.
#[no_mangle]
pub unsafe extern "system" fn SQLExecDirectW(
    stmt: Handle,
    text: *const SqlWChar,
    len: i32,
) -> SqlReturn {
    exec_direct(stmt, text, len)
}

unsafe fn prepare<C: OdbcChar>(stmt: Handle, text: *const C, len: i32) -> SqlReturn {
    with_stmt(stmt, |_, s| {
        s.prepare(&read_required(text, len as isize, "StatementText")?)?;
        Ok(Status::Success)
    })
}

/// # Safety
/// As for SQLExecDirect.
#[no_mangle]
pub unsafe extern "system" fn SQLPrepare(stmt: Handle, text: *const u8, len: i32) -> SqlReturn {
    prepare(stmt, text, len)
}

/// # Safety
/// As for SQLExecDirect, in UTF-16.
#[no_mangle]
pub unsafe extern "system" fn SQLPrepareW(
    stmt: Handle,
    text: *const SqlWChar,
    len: i32,
) -> SqlReturn {
    prepare(stmt, text, len)
}

/// # Safety
/// Called with a statement handle.
#[no_mangle]
pub unsafe extern "system" fn SQLExecute(stmt: Handle) -> SqlReturn {
    with_stmt(stmt, |_, s| s.execute())
}

/// # Safety
/// `count` null or valid for an SQLSMALLINT.
#[no_mangle]
pub unsafe extern "system" fn SQLNumResultCols(stmt: Handle, count: *mut i16) -> SqlReturn {
    with_stmt(stmt, |_, s| {
        put(
            count,
            i16::try_from(s.num_result_cols()?).unwrap_or(i16::MAX),
        );
        Ok(Status::Success)
    })
}

/// ODBC 2 applications get the ODBC 2 datetime type codes.
fn reported_type(code: i16, odbc_version: i32) -> i16 {
    use crate::types::sql;
    if odbc_version != crate::handles::SQL_OV_ODBC2 {
        return code;
    }
    match code {
        sql::TYPE_DATE => sql::DATE,
        sql::TYPE_TIME => sql::TIME,
        sql::TYPE_TIMESTAMP => sql::TIMESTAMP,
        other => other,
    }
}

#[allow(clippy::too_many_arguments)]
unsafe fn describe_col<C: OdbcChar>(
    stmt: Handle,
    column: u16,
    name: *mut C,
    buffer_len: i16,
    name_len: *mut i16,
    data_type: *mut i16,
    size: *mut usize,
    digits: *mut i16,
    nullable: *mut i16,
) -> SqlReturn {
    with_stmt(stmt, |_, s| {
        if buffer_len < 0 {
            return Err(invalid_length(buffer_len.into()));
        }
        let col = s.result_column(usize::from(column))?.clone();
        let written = write_text(&col.name, name, isize::from(buffer_len), LengthUnit::Chars);
        put(
            name_len,
            i16::try_from(written.full_length).unwrap_or(i16::MAX),
        );
        put(
            data_type,
            reported_type(col.data_type.sql_type(), s.odbc_version),
        );
        put(size, col.data_type.column_size() as usize);
        put(digits, col.data_type.decimal_digits().unwrap_or(0));
        put(nullable, i16::from(col.nullable));
        truncation_warning(&mut s.diag, written);
        Ok(Status::Success)
    })
}

/// # Safety
/// Output pointers null or valid; `name` valid for `buffer_len` characters.
#[no_mangle]
pub unsafe extern "system" fn SQLDescribeCol(
    stmt: Handle,
    column: u16,
    name: *mut u8,
    buffer_len: i16,
    name_len: *mut i16,
    data_type: *mut i16,
    size: *mut usize,
    digits: *mut i16,
    nullable: *mut i16,
) -> SqlReturn {
    describe_col(
        stmt, column, name, buffer_len, name_len, data_type, size, digits, nullable,
    )
}

/// # Safety
/// As for SQLDescribeCol, in UTF-16 characters.
#[no_mangle]
pub unsafe extern "system" fn SQLDescribeColW(
    stmt: Handle,
    column: u16,
    name: *mut SqlWChar,
    buffer_len: i16,
    name_len: *mut i16,
    data_type: *mut i16,
    size: *mut usize,
    digits: *mut i16,
    nullable: *mut i16,
) -> SqlReturn {
    describe_col(
        stmt, column, name, buffer_len, name_len, data_type, size, digits, nullable,
    )
}

/// Writes an attribute value: strings to the character buffer (length in
/// bytes), numbers to the SQLLEN.
pub(super) unsafe fn write_attr_value<C: OdbcChar>(
    diag: &mut DiagArea,
    value: AttrValue,
    chars: *mut c_void,
    buffer_len: i16,
    string_len: *mut i16,
    numeric: *mut isize,
) -> Result<()> {
    match value {
        AttrValue::Str(text) => {
            if buffer_len < 0 {
                return Err(invalid_length(buffer_len.into()));
            }
            let written = write_text(
                &text,
                chars.cast::<C>(),
                isize::from(buffer_len),
                LengthUnit::Bytes,
            );
            put(
                string_len,
                i16::try_from(written.full_length).unwrap_or(i16::MAX),
            );
            truncation_warning(diag, written);
        }
        AttrValue::Int(v) => put(numeric, v as isize),
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
unsafe fn col_attribute<C: OdbcChar>(
    stmt: Handle,
    column: u16,
    field: u16,
    chars: *mut c_void,
    buffer_len: i16,
    string_len: *mut i16,
    numeric: *mut isize,
) -> SqlReturn {
    with_stmt(stmt, |_, s| {
        let mut value = s.column_attribute(usize::from(column), field)?;
        if let (AttrValue::Int(code), crate::handles::descriptor::field::CONCISE_TYPE) =
            (&value, field)
        {
            value = AttrValue::Int(reported_type(*code as i16, s.odbc_version).into());
        }
        write_attr_value::<C>(&mut s.diag, value, chars, buffer_len, string_len, numeric)?;
        Ok(Status::Success)
    })
}

/// # Safety
/// `chars` valid for `buffer_len` bytes; `numeric` null or an SQLLEN.
#[no_mangle]
pub unsafe extern "system" fn SQLColAttribute(
    stmt: Handle,
    column: u16,
    field: u16,
    chars: *mut c_void,
    buffer_len: i16,
    string_len: *mut i16,
    numeric: *mut isize,
) -> SqlReturn {
    col_attribute::<u8>(stmt, column, field, chars, buffer_len, string_len, numeric)
}

/// # Safety
/// As for SQLColAttribute; lengths in bytes.
#[no_mangle]
pub unsafe extern "system" fn SQLColAttributeW(
    stmt: Handle,
    column: u16,
    field: u16,
    chars: *mut c_void,
    buffer_len: i16,
    string_len: *mut i16,
    numeric: *mut isize,
) -> SqlReturn {
    col_attribute::<SqlWChar>(stmt, column, field, chars, buffer_len, string_len, numeric)
}

/// # Safety
/// `count` null or an SQLLEN.
#[no_mangle]
pub unsafe extern "system" fn SQLRowCount(stmt: Handle, count: *mut isize) -> SqlReturn {
    with_stmt(stmt, |_, s| {
        if !s.executed {
            return Err(OdbcError::sequence("SQLRowCount"));
        }
        put(count, s.row_count as isize);
        Ok(Status::Success)
    })
}

/// # Safety
/// Called with a statement handle.
#[no_mangle]
pub unsafe extern "system" fn SQLMoreResults(stmt: Handle) -> SqlReturn {
    with_stmt(stmt, |_, s| s.more_results())
}

/// # Safety
/// Called with a statement handle.
#[no_mangle]
pub unsafe extern "system" fn SQLCloseCursor(stmt: Handle) -> SqlReturn {
    with_stmt(stmt, |_, s| s.close_cursor().map(|_| Status::Success))
}

/// Signals cancellation without taking the statement's lock, which a
/// running SQLExecute or SQLFetch on another thread holds.
///
/// # Safety
/// Called with a statement handle.
#[no_mangle]
pub unsafe extern "system" fn SQLCancel(stmt: Handle) -> SqlReturn {
    guard(|| match stmt_of(stmt) {
        Some(s) => {
            s.cancel.cancel();
            SQL_SUCCESS
        }
        None => SQL_INVALID_HANDLE,
    })
}

/// # Safety
/// `count` null or an SQLSMALLINT.
#[no_mangle]
pub unsafe extern "system" fn SQLNumParams(stmt: Handle, count: *mut i16) -> SqlReturn {
    with_stmt(stmt, |_, s| {
        put(count, i16::try_from(s.num_params()?).unwrap_or(i16::MAX));
        Ok(Status::Success)
    })
}

/// # Safety
/// Deferred buffers must stay valid until execution.
#[no_mangle]
pub unsafe extern "system" fn SQLBindParameter(
    stmt: Handle,
    number: u16,
    io_type: i16,
    c_type: i16,
    sql_type: i16,
    column_size: usize,
    decimal_digits: i16,
    value: *mut c_void,
    buffer_len: isize,
    indicator: *mut isize,
) -> SqlReturn {
    with_stmt(stmt, |_, s| {
        let binding = ParamBinding {
            io_type,
            c_type,
            sql_type,
            column_size,
            decimal_digits,
            value: value as usize,
            buffer_len,
            indicator: indicator as usize,
        };
        s.bind_parameter(usize::from(number), binding)?;
        Ok(Status::Success)
    })
}

/// # Safety
/// Output pointers null or valid.
#[no_mangle]
pub unsafe extern "system" fn SQLDescribeParam(
    stmt: Handle,
    number: u16,
    data_type: *mut i16,
    size: *mut usize,
    digits: *mut i16,
    nullable: *mut i16,
) -> SqlReturn {
    with_stmt(stmt, |_, s| {
        let t = s.describe_param(usize::from(number))?;
        put(data_type, reported_type(t.sql_type(), s.odbc_version));
        put(size, t.column_size() as usize);
        put(digits, t.decimal_digits().unwrap_or(0));
        put(nullable, 1); // SQL_NULLABLE
        Ok(Status::Success)
    })
}

unsafe fn set_stmt_attr(stmt: Handle, attribute: i32, value: *mut c_void) -> SqlReturn {
    with_stmt(stmt, |_, s| {
        s.set_attr(attribute, value as usize)?;
        Ok(Status::Success)
    })
}

/// # Safety
/// `value` is an integer or pointer per the attribute.
#[no_mangle]
pub unsafe extern "system" fn SQLSetStmtAttr(
    stmt: Handle,
    attribute: i32,
    value: *mut c_void,
    _len: i32,
) -> SqlReturn {
    set_stmt_attr(stmt, attribute, value)
}

/// # Safety
/// As for SQLSetStmtAttr (no statement attribute is a string).
#[no_mangle]
pub unsafe extern "system" fn SQLSetStmtAttrW(
    stmt: Handle,
    attribute: i32,
    value: *mut c_void,
    _len: i32,
) -> SqlReturn {
    set_stmt_attr(stmt, attribute, value)
}

unsafe fn get_stmt_attr(
    stmt: Handle,
    attribute: i32,
    value: *mut c_void,
    string_len: *mut i32,
) -> SqlReturn {
    with_stmt(stmt, |h, s| {
        if value.is_null() {
            return Err(OdbcError::new(
                SqlState::InvalidNullPointer,
                "ValuePtr is a null pointer",
            ));
        }
        let v = s.get_attr(attribute, h.descriptors)?;
        // Every statement attribute is SQLULEN- or pointer-sized.
        put(value.cast::<usize>(), v);
        put(string_len, std::mem::size_of::<usize>() as i32);
        Ok(Status::Success)
    })
}

/// # Safety
/// `value` valid for an SQLULEN or pointer.
#[no_mangle]
pub unsafe extern "system" fn SQLGetStmtAttr(
    stmt: Handle,
    attribute: i32,
    value: *mut c_void,
    _buffer_len: i32,
    string_len: *mut i32,
) -> SqlReturn {
    get_stmt_attr(stmt, attribute, value, string_len)
}

/// # Safety
/// As for SQLGetStmtAttr.
#[no_mangle]
pub unsafe extern "system" fn SQLGetStmtAttrW(
    stmt: Handle,
    attribute: i32,
    value: *mut c_void,
    _buffer_len: i32,
    string_len: *mut i32,
) -> SqlReturn {
    get_stmt_attr(stmt, attribute, value, string_len)
}

unsafe fn get_cursor_name<C: OdbcChar>(
    stmt: Handle,
    name: *mut C,
    buffer_len: i16,
    name_len: *mut i16,
) -> SqlReturn {
    with_stmt(stmt, |_, s| {
        if buffer_len < 0 {
            return Err(invalid_length(buffer_len.into()));
        }
        let written = write_text(
            &s.cursor_name,
            name,
            isize::from(buffer_len),
            LengthUnit::Chars,
        );
        put(
            name_len,
            i16::try_from(written.full_length).unwrap_or(i16::MAX),
        );
        truncation_warning(&mut s.diag, written);
        Ok(Status::Success)
    })
}

/// # Safety
/// `name` valid for `buffer_len` characters.
#[no_mangle]
pub unsafe extern "system" fn SQLGetCursorName(
    stmt: Handle,
    name: *mut u8,
    buffer_len: i16,
    name_len: *mut i16,
) -> SqlReturn {
    get_cursor_name(stmt, name, buffer_len, name_len)
}

/// # Safety
/// As for SQLGetCursorName, in UTF-16 characters.
#[no_mangle]
pub unsafe extern "system" fn SQLGetCursorNameW(
    stmt: Handle,
    name: *mut SqlWChar,
    buffer_len: i16,
    name_len: *mut i16,
) -> SqlReturn {
    get_cursor_name(stmt, name, buffer_len, name_len)
}

unsafe fn set_cursor_name<C: OdbcChar>(stmt: Handle, name: *const C, len: i16) -> SqlReturn {
    with_stmt(stmt, |_, s| {
        let name = read_text(name, isize::from(len))?.ok_or_else(|| {
            OdbcError::new(SqlState::InvalidNullPointer, "CursorName is a null pointer")
        })?;
        if name.is_empty() || name.len() > 128 || name.to_ascii_uppercase().starts_with("SQL_CUR") {
            return Err(OdbcError::new(
                SqlState::InvalidCursorName,
                "Invalid cursor name",
            ));
        }
        if s.cursor.is_some() {
            return Err(OdbcError::new(
                SqlState::InvalidCursorState,
                "A cursor is open",
            ));
        }
        s.cursor_name = name;
        Ok(Status::Success)
    })
}

/// # Safety
/// `name` valid for `len` characters or NUL-terminated.
#[no_mangle]
pub unsafe extern "system" fn SQLSetCursorName(
    stmt: Handle,
    name: *const u8,
    len: i16,
) -> SqlReturn {
    set_cursor_name(stmt, name, len)
}

/// # Safety
/// As for SQLSetCursorName, in UTF-16.
#[no_mangle]
pub unsafe extern "system" fn SQLSetCursorNameW(
    stmt: Handle,
    name: *const SqlWChar,
    len: i16,
) -> SqlReturn {
    set_cursor_name(stmt, name, len)
}
