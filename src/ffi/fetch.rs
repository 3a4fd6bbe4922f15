//! Binding result columns and fetching rows.

use super::*;

/// # Safety
/// `target` and `indicator` must stay valid while bound (deferred buffers).
#[no_mangle]
pub unsafe extern "system" fn SQLBindCol(
    stmt: Handle,
    column: u16,
    c_type: i16,
    target: *mut c_void,
    buffer_len: isize,
    indicator: *mut isize,
) -> SqlReturn {
    with_stmt(stmt, |_, s| {
        s.bind_col(
            usize::from(column),
            c_type,
            target as usize,
            buffer_len,
            indicator as usize,
        )?;
        Ok(Status::Success)
    })
}

/// # Safety
/// Bound buffers must be valid for the rowset size.
#[no_mangle]
pub unsafe extern "system" fn SQLFetch(stmt: Handle) -> SqlReturn {
    with_stmt(stmt, |_, s| s.fetch())
}

const SQL_FETCH_NEXT: i16 = 1;

/// # Safety
/// As for SQLFetch.
#[no_mangle]
pub unsafe extern "system" fn SQLFetchScroll(
    stmt: Handle,
    orientation: i16,
    _offset: isize,
) -> SqlReturn {
    with_stmt(stmt, |_, s| {
        if orientation != SQL_FETCH_NEXT {
            return Err(OdbcError::new(
                SqlState::FetchTypeOutOfRange,
                "The cursor is forward-only: only SQL_FETCH_NEXT is supported",
            ));
        }
        s.fetch()
    })
}

/// # Safety
/// `target` valid for `buffer_len` bytes (or the C type's size).
#[no_mangle]
pub unsafe extern "system" fn SQLGetData(
    stmt: Handle,
    column: u16,
    c_type: i16,
    target: *mut c_void,
    buffer_len: isize,
    indicator: *mut isize,
) -> SqlReturn {
    with_stmt(stmt, |_, s| {
        s.get_data(
            usize::from(column),
            c_type,
            target as usize,
            buffer_len,
            indicator as usize,
        )
    })
}
