//! Drives the driver's exports directly (no driver manager in between, which
//! would catch bad handles itself) with null, forged, freed and wrong-kind
//! handles and with null or short output buffers: every call must return
//! the specification's code, never crash.

mod common;

use pipedrive_odbc::ffi::catalog::*;
use pipedrive_odbc::ffi::connect::*;
use pipedrive_odbc::ffi::descriptors::*;
use pipedrive_odbc::ffi::diagnostics::*;
use pipedrive_odbc::ffi::environment::*;
use pipedrive_odbc::ffi::fetch::*;
use pipedrive_odbc::ffi::functions::SQLGetFunctions;
use pipedrive_odbc::ffi::info::*;
use pipedrive_odbc::ffi::statement::*;
use pipedrive_odbc::ffi::{
    Handle, SQL_ERROR, SQL_HANDLE_DBC, SQL_HANDLE_ENV, SQL_HANDLE_STMT, SQL_INVALID_HANDLE,
    SQL_NO_DATA, SQL_SUCCESS, SQL_SUCCESS_WITH_INFO,
};
use std::ptr::{null, null_mut};

const NTS: i16 = -3;

struct Handles {
    env: Handle,
    dbc: Handle,
    stmt: Handle,
}

unsafe fn connected(sim: &pipedrive_sim::Simulator) -> Handles {
    let mut env: Handle = null_mut();
    assert_eq!(
        SQLAllocHandle(SQL_HANDLE_ENV, null_mut(), &mut env),
        SQL_SUCCESS
    );
    assert_eq!(SQLSetEnvAttr(env, 200, 3 as Handle, 0), SQL_SUCCESS);
    let mut dbc: Handle = null_mut();
    assert_eq!(SQLAllocHandle(SQL_HANDLE_DBC, env, &mut dbc), SQL_SUCCESS);
    let conn_str = format!(
        "APIToken={};CompanyDomain=demo;APIBaseURL={}",
        common::TOKEN,
        sim.base_url()
    );
    let rc = SQLDriverConnect(
        dbc,
        null_mut(),
        conn_str.as_ptr(),
        conn_str.len() as i16,
        null_mut(),
        0,
        null_mut(),
        0,
    );
    assert!(
        rc == SQL_SUCCESS || rc == SQL_SUCCESS_WITH_INFO,
        "connect returned {rc}"
    );
    let mut stmt: Handle = null_mut();
    assert_eq!(SQLAllocHandle(SQL_HANDLE_STMT, dbc, &mut stmt), SQL_SUCCESS);
    Handles { env, dbc, stmt }
}

/// Every statement-handle export, called with `h`.
unsafe fn statement_calls(h: Handle) -> Vec<(&'static str, i16)> {
    let mut n: i16 = 0;
    let mut len: isize = 0;
    let mut buf = [0u8; 16];
    vec![
        (
            "SQLExecDirect",
            SQLExecDirect(h, b"SELECT 1\0".as_ptr(), -3),
        ),
        ("SQLExecDirectW", SQLExecDirectW(h, null(), -3)),
        ("SQLPrepare", SQLPrepare(h, b"SELECT 1\0".as_ptr(), -3)),
        ("SQLExecute", SQLExecute(h)),
        ("SQLNumResultCols", SQLNumResultCols(h, &mut n)),
        (
            "SQLDescribeCol",
            SQLDescribeCol(
                h,
                1,
                null_mut(),
                0,
                null_mut(),
                null_mut(),
                null_mut(),
                null_mut(),
                null_mut(),
            ),
        ),
        (
            "SQLColAttribute",
            SQLColAttribute(h, 1, 1011, null_mut(), 0, null_mut(), null_mut()),
        ),
        ("SQLFetch", SQLFetch(h)),
        ("SQLFetchScroll", SQLFetchScroll(h, 1, 0)),
        (
            "SQLBindCol",
            SQLBindCol(h, 1, 1, buf.as_mut_ptr().cast(), 16, &mut len),
        ),
        (
            "SQLGetData",
            SQLGetData(h, 1, 1, buf.as_mut_ptr().cast(), 16, &mut len),
        ),
        ("SQLRowCount", SQLRowCount(h, &mut len)),
        ("SQLMoreResults", SQLMoreResults(h)),
        ("SQLCloseCursor", SQLCloseCursor(h)),
        ("SQLCancel", SQLCancel(h)),
        ("SQLNumParams", SQLNumParams(h, &mut n)),
        (
            "SQLDescribeParam",
            SQLDescribeParam(h, 1, null_mut(), null_mut(), null_mut(), null_mut()),
        ),
        ("SQLSetStmtAttr", SQLSetStmtAttr(h, 27, 1 as Handle, 0)),
        (
            "SQLGetStmtAttr",
            SQLGetStmtAttr(h, 27, buf.as_mut_ptr().cast(), 0, null_mut()),
        ),
        (
            "SQLTables",
            SQLTables(h, null(), 0, null(), 0, null(), 0, null(), 0),
        ),
        (
            "SQLColumns",
            SQLColumns(h, null(), 0, null(), 0, null(), 0, null(), 0),
        ),
        (
            "SQLPrimaryKeys",
            SQLPrimaryKeys(h, null(), 0, null(), 0, b"Deals".as_ptr(), 5),
        ),
        (
            "SQLStatistics",
            SQLStatistics(h, null(), 0, null(), 0, b"Deals".as_ptr(), 5, 0, 0),
        ),
        ("SQLGetTypeInfo", SQLGetTypeInfo(h, 0)),
        ("SQLFreeStmt", SQLFreeStmt(h, 0)),
    ]
}

unsafe fn connection_calls(h: Handle) -> Vec<(&'static str, i16)> {
    let mut buf = [0u8; 16];
    let mut n: i16 = 0;
    let mut supported = [0u16; 250];
    vec![
        (
            "SQLGetInfo",
            SQLGetInfo(h, 6, buf.as_mut_ptr().cast(), 16, &mut n),
        ),
        ("SQLGetInfoW", SQLGetInfoW(h, 6, null_mut(), 0, null_mut())),
        (
            "SQLGetFunctions",
            SQLGetFunctions(h, 999, supported.as_mut_ptr()),
        ),
        (
            "SQLSetConnectAttr",
            SQLSetConnectAttr(h, 102, 1 as Handle, 0),
        ),
        (
            "SQLGetConnectAttr",
            SQLGetConnectAttr(h, 102, buf.as_mut_ptr().cast(), 16, null_mut()),
        ),
        (
            "SQLNativeSql",
            SQLNativeSql(h, b"SELECT 1".as_ptr(), 8, buf.as_mut_ptr(), 16, null_mut()),
        ),
        ("SQLDisconnect", SQLDisconnect(h)),
    ]
}

fn assert_all_invalid(what: &str, calls: Vec<(&'static str, i16)>) {
    for (name, rc) in calls {
        assert_eq!(
            rc, SQL_INVALID_HANDLE,
            "{name} with a {what} handle returned {rc}"
        );
    }
}

#[test]
fn null_forged_freed_and_wrong_kind_handles_are_invalid() {
    let sim = common::start_sim(5);
    unsafe {
        let h = connected(&sim);
        for (what, bad) in [
            ("null", null_mut()),
            ("forged", 0xDEAD_BEE0usize as Handle),
            ("environment", h.env),
            ("connection", h.dbc),
        ] {
            assert_all_invalid(what, statement_calls(bad));
        }
        for (what, bad) in [
            ("null", null_mut()),
            ("forged", 0x1234_5670usize as Handle),
            ("environment", h.env),
            ("statement", h.stmt),
        ] {
            assert_all_invalid(what, connection_calls(bad));
        }
        // Diagnostics and descriptors of a wrong kind.
        let mut state = [0u8; 6];
        assert_eq!(
            SQLGetDiagRec(
                SQL_HANDLE_STMT,
                h.dbc,
                1,
                state.as_mut_ptr(),
                null_mut(),
                null_mut(),
                0,
                null_mut()
            ),
            SQL_INVALID_HANDLE
        );
        assert_eq!(
            SQLGetDiagRec(
                99,
                h.stmt,
                1,
                state.as_mut_ptr(),
                null_mut(),
                null_mut(),
                0,
                null_mut()
            ),
            SQL_INVALID_HANDLE
        );
        assert_eq!(
            SQLGetDescField(h.stmt, 0, 1001, null_mut(), 0, null_mut()),
            SQL_INVALID_HANDLE
        );

        // Freed statement: every call is invalid, a second free too.
        assert_eq!(SQLFreeHandle(SQL_HANDLE_STMT, h.stmt), SQL_SUCCESS);
        assert_all_invalid("freed", statement_calls(h.stmt));
        assert_eq!(SQLFreeHandle(SQL_HANDLE_STMT, h.stmt), SQL_INVALID_HANDLE);

        // A connected connection cannot be freed; after disconnect it can,
        // once.
        assert_eq!(SQLFreeHandle(SQL_HANDLE_DBC, h.dbc), SQL_ERROR);
        assert_eq!(SQLDisconnect(h.dbc), SQL_SUCCESS);
        assert_eq!(SQLFreeHandle(SQL_HANDLE_DBC, h.dbc), SQL_SUCCESS);
        assert_all_invalid("freed", connection_calls(h.dbc));
        assert_eq!(SQLFreeHandle(SQL_HANDLE_ENV, h.env), SQL_SUCCESS);
        assert_eq!(SQLFreeHandle(SQL_HANDLE_ENV, h.env), SQL_INVALID_HANDLE);
        assert_eq!(
            SQLSetEnvAttr(h.env, 200, 3 as Handle, 0),
            SQL_INVALID_HANDLE
        );
    }
}

#[test]
fn null_and_short_output_buffers_follow_the_spec() {
    let sim = common::start_sim(5);
    unsafe {
        let h = connected(&sim);
        // SQLGetInfo with no buffer reports the length only.
        let mut len: i16 = -1;
        assert_eq!(SQLGetInfo(h.dbc, 6, null_mut(), 0, &mut len), SQL_SUCCESS);
        assert_eq!(len as usize, "libpipedrive_odbc.so".len());
        // A 4-byte buffer truncates with 01004 and stays NUL-terminated.
        let mut small = [0xFFu8; 4];
        assert_eq!(
            SQLGetInfo(h.dbc, 6, small.as_mut_ptr().cast(), 4, &mut len),
            SQL_SUCCESS_WITH_INFO
        );
        assert_eq!(&small, b"lib\0");
        let mut state = [0u8; 6];
        assert_eq!(
            SQLGetDiagRec(
                SQL_HANDLE_DBC,
                h.dbc,
                1,
                state.as_mut_ptr(),
                null_mut(),
                null_mut(),
                0,
                null_mut()
            ),
            SQL_SUCCESS
        );
        assert_eq!(&state[..5], b"01004");
        // Unknown info type: HY096, never a crash.
        assert_eq!(
            SQLGetInfo(h.dbc, 60000, small.as_mut_ptr().cast(), 4, &mut len),
            SQL_ERROR
        );
        assert_eq!(
            SQLGetDiagRec(
                SQL_HANDLE_DBC,
                h.dbc,
                1,
                state.as_mut_ptr(),
                null_mut(),
                null_mut(),
                0,
                null_mut()
            ),
            SQL_SUCCESS
        );
        assert_eq!(&state[..5], b"HY096");
        assert_eq!(
            SQLGetDiagRec(
                SQL_HANDLE_DBC,
                h.dbc,
                2,
                state.as_mut_ptr(),
                null_mut(),
                null_mut(),
                0,
                null_mut()
            ),
            SQL_NO_DATA
        );

        // Describe with every output pointer null.
        assert_eq!(
            SQLExecDirect(h.stmt, b"SELECT 'abc' AS x\0".as_ptr(), NTS.into()),
            SQL_SUCCESS
        );
        assert_eq!(
            SQLDescribeCol(
                h.stmt,
                1,
                null_mut(),
                0,
                null_mut(),
                null_mut(),
                null_mut(),
                null_mut(),
                null_mut()
            ),
            SQL_SUCCESS
        );
        assert_eq!(
            SQLDescribeCol(
                h.stmt,
                2,
                null_mut(),
                0,
                null_mut(),
                null_mut(),
                null_mut(),
                null_mut(),
                null_mut()
            ),
            SQL_ERROR
        );
        assert_eq!(SQLFetch(h.stmt), SQL_SUCCESS);
        // Zero-length buffer: length only, 01004.
        let mut ind: isize = 0;
        assert_eq!(
            SQLGetData(h.stmt, 1, 1, small.as_mut_ptr().cast(), 0, &mut ind),
            SQL_SUCCESS_WITH_INFO
        );
        assert_eq!(ind, 3);
        // Then in pieces: "ab", then "c", then no data.
        let mut piece = [0u8; 3];
        assert_eq!(
            SQLGetData(h.stmt, 1, 1, piece.as_mut_ptr().cast(), 3, &mut ind),
            SQL_SUCCESS_WITH_INFO
        );
        assert_eq!(&piece, b"ab\0");
        assert_eq!(
            SQLGetData(h.stmt, 1, 1, piece.as_mut_ptr().cast(), 3, &mut ind),
            SQL_SUCCESS
        );
        assert_eq!(&piece[..2], b"c\0");
        assert_eq!(ind, 1);
        assert_eq!(
            SQLGetData(h.stmt, 1, 1, piece.as_mut_ptr().cast(), 3, &mut ind),
            SQL_NO_DATA
        );
        assert_eq!(SQLFetch(h.stmt), SQL_NO_DATA);
        assert_eq!(SQLDisconnect(h.dbc), SQL_SUCCESS);
        assert_eq!(SQLFreeHandle(SQL_HANDLE_DBC, h.dbc), SQL_SUCCESS);
        assert_eq!(SQLFreeHandle(SQL_HANDLE_ENV, h.env), SQL_SUCCESS);
    }
}
