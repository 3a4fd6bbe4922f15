//! The rest of the API surface, called directly on the driver's exports:
//! SQLGetFunctions against the library's real export table, SQLNativeSql,
//! SQLMoreResults, SQLEndTran, SQLSpecialColumns, descriptors and
//! SQLColAttribute.

mod common;

use pipedrive_odbc::ffi::catalog::*;
use pipedrive_odbc::ffi::connect::*;
use pipedrive_odbc::ffi::descriptors::*;
use pipedrive_odbc::ffi::environment::*;
use pipedrive_odbc::ffi::fetch::*;
use pipedrive_odbc::ffi::functions::{SQLGetFunctions, EXPORTED, WIDE};
use pipedrive_odbc::ffi::statement::*;
use pipedrive_odbc::ffi::{
    Handle, SQL_HANDLE_DBC, SQL_HANDLE_ENV, SQL_HANDLE_STMT, SQL_NO_DATA, SQL_SUCCESS,
    SQL_SUCCESS_WITH_INFO,
};
use std::collections::BTreeSet;
use std::ptr::{null, null_mut};

struct Connected {
    env: Handle,
    dbc: Handle,
    stmt: Handle,
}

impl Drop for Connected {
    fn drop(&mut self) {
        unsafe {
            SQLFreeHandle(SQL_HANDLE_STMT, self.stmt);
            SQLDisconnect(self.dbc);
            SQLFreeHandle(SQL_HANDLE_DBC, self.dbc);
            SQLFreeHandle(SQL_HANDLE_ENV, self.env);
        }
    }
}

fn connect(sim: &pipedrive_sim::Simulator) -> Connected {
    unsafe {
        let mut env: Handle = null_mut();
        assert_eq!(
            SQLAllocHandle(SQL_HANDLE_ENV, null_mut(), &mut env),
            SQL_SUCCESS
        );
        assert_eq!(SQLSetEnvAttr(env, 200, 380 as Handle, 0), SQL_SUCCESS);
        let mut dbc: Handle = null_mut();
        assert_eq!(SQLAllocHandle(SQL_HANDLE_DBC, env, &mut dbc), SQL_SUCCESS);
        let s = format!("APIToken={};APIBaseURL={}", common::TOKEN, sim.base_url());
        assert_eq!(
            SQLDriverConnect(
                dbc,
                null_mut(),
                s.as_ptr(),
                s.len() as i16,
                null_mut(),
                0,
                null_mut(),
                0
            ),
            SQL_SUCCESS
        );
        let mut stmt: Handle = null_mut();
        assert_eq!(SQLAllocHandle(SQL_HANDLE_STMT, dbc, &mut stmt), SQL_SUCCESS);
        Connected { env, dbc, stmt }
    }
}

fn exported_symbols() -> BTreeSet<String> {
    let out = std::process::Command::new("nm")
        .args(["-D", "--defined-only"])
        .arg(common::driver_path())
        .output()
        .expect("nm (binutils) runs");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().last())
        .filter(|s| s.starts_with("SQL"))
        .map(str::to_string)
        .collect()
}

#[test]
fn get_functions_lists_exactly_the_exported_functions() {
    let symbols = exported_symbols();
    let mut expected: BTreeSet<String> = EXPORTED.iter().map(|(_, n)| n.to_string()).collect();
    expected.extend(WIDE.iter().map(|n| format!("{n}W")));
    assert_eq!(
        symbols, expected,
        "the export table and the SQLGetFunctions list differ"
    );
    let sim = common::start_sim(1);
    let c = connect(&sim);
    let mut bitmap = [0u16; 250];
    unsafe {
        assert_eq!(
            SQLGetFunctions(c.dbc, 999, bitmap.as_mut_ptr()),
            SQL_SUCCESS
        )
    };
    for id in 0u16..4000 {
        let listed = id < 4000
            && (bitmap.get(usize::from(id >> 4)).copied().unwrap_or(0) & (1 << (id & 15))) != 0;
        let exported = EXPORTED.iter().any(|(f, _)| *f == id);
        assert_eq!(listed, exported, "function id {id}");
    }
    let mut one = 0u16;
    unsafe { SQLGetFunctions(c.dbc, 1021, &mut one) };
    assert_eq!(one, 1, "SQLFetchScroll");
    unsafe { SQLGetFunctions(c.dbc, 59, &mut one) };
    assert_eq!(one, 0, "SQLExtendedFetch is not exported");
}

#[test]
fn native_sql_rewrites_escapes() {
    let sim = common::start_sim(1);
    let c = connect(&sim);
    let input =
        "SELECT {fn UCASE(Title)} FROM Deals WHERE AddTime > {ts '2025-01-01 00:00:00'} AND Id = ?";
    let mut out = [0u8; 256];
    let mut len = 0i32;
    unsafe {
        assert_eq!(
            SQLNativeSql(
                c.dbc,
                input.as_ptr(),
                input.len() as i32,
                out.as_mut_ptr(),
                256,
                &mut len
            ),
            SQL_SUCCESS
        )
    };
    let text = std::str::from_utf8(&out[..len as usize]).unwrap();
    assert_eq!(
        text,
        "SELECT UCASE(Title) FROM Deals WHERE AddTime > TIMESTAMP '2025-01-01 00:00:00' AND Id = ?"
    );
}

#[test]
fn more_results_end_tran_and_special_columns() {
    let sim = common::start_sim(3);
    let c = connect(&sim);
    unsafe {
        assert_eq!(
            SQLExecDirect(c.stmt, b"SELECT Id FROM Deals\0".as_ptr(), -3),
            SQL_SUCCESS
        );
        assert_eq!(SQLMoreResults(c.stmt), SQL_NO_DATA);
        assert_eq!(
            SQLFetch(c.stmt),
            -1,
            "the cursor is closed after the last result"
        );
        assert_eq!(SQLEndTran(SQL_HANDLE_DBC, c.dbc, 0), SQL_SUCCESS);
        assert_eq!(SQLEndTran(SQL_HANDLE_DBC, c.dbc, 7), -1);

        assert_eq!(
            SQLSpecialColumns(c.stmt, 1, null(), 0, null(), 0, b"Deals".as_ptr(), 5, 2, 1),
            SQL_SUCCESS
        );
        assert_eq!(SQLFetch(c.stmt), SQL_SUCCESS);
        let mut name = [0u8; 32];
        let mut ind = 0isize;
        assert_eq!(
            SQLGetData(c.stmt, 2, 1, name.as_mut_ptr().cast(), 32, &mut ind),
            SQL_SUCCESS
        );
        assert_eq!(&name[..ind as usize], b"Id");
        assert_eq!(SQLFetch(c.stmt), SQL_NO_DATA);
        assert_eq!(SQLCloseCursor(c.stmt), SQL_SUCCESS);
        assert_eq!(SQLCloseCursor(c.stmt), -1, "24000: no cursor");
    }
}

#[test]
fn descriptors_mirror_bindings_and_results() {
    let sim = common::start_sim(3);
    let c = connect(&sim);
    unsafe {
        assert_eq!(
            SQLExecDirect(
                c.stmt,
                b"SELECT Id, Title, AddTime FROM Deals\0".as_ptr(),
                -3
            ),
            SQL_SUCCESS
        );
        let mut ird: Handle = null_mut();
        assert_eq!(
            SQLGetStmtAttr(
                c.stmt,
                10012,
                (&mut ird as *mut Handle).cast(),
                0,
                null_mut()
            ),
            SQL_SUCCESS
        );
        let mut count = 0i16;
        assert_eq!(
            SQLGetDescField(ird, 0, 1001, (&mut count as *mut i16).cast(), 0, null_mut()),
            SQL_SUCCESS
        );
        assert_eq!(count, 3);
        let mut concise = 0i16;
        assert_eq!(
            SQLGetDescField(ird, 3, 2, (&mut concise as *mut i16).cast(), 0, null_mut()),
            SQL_SUCCESS
        );
        assert_eq!(concise, 93, "AddTime is SQL_TYPE_TIMESTAMP");
        let mut verbose = 0i16;
        let mut sub = 0i16;
        let mut name = [0u8; 32];
        let mut name_len = 0i16;
        assert_eq!(
            SQLGetDescRec(
                ird,
                3,
                name.as_mut_ptr(),
                32,
                &mut name_len,
                &mut verbose,
                &mut sub,
                null_mut(),
                null_mut(),
                null_mut(),
                null_mut()
            ),
            SQL_SUCCESS
        );
        assert_eq!(
            (&name[..name_len as usize], verbose, sub),
            (&b"AddTime"[..], 9, 3)
        );
        assert_eq!(
            SQLGetDescField(ird, 4, 2, (&mut concise as *mut i16).cast(), 0, null_mut()),
            SQL_NO_DATA
        );
        assert_eq!(
            SQLSetDescField(ird, 1, 2, 4 as Handle, 0),
            -1,
            "HY016: the IRD is read-only"
        );

        let mut ard: Handle = null_mut();
        assert_eq!(
            SQLGetStmtAttr(
                c.stmt,
                10010,
                (&mut ard as *mut Handle).cast(),
                0,
                null_mut()
            ),
            SQL_SUCCESS
        );
        let mut id = 0i32;
        let mut ind = 0isize;
        assert_eq!(
            SQLBindCol(c.stmt, 1, -16, (&mut id as *mut i32).cast(), 0, &mut ind),
            SQL_SUCCESS
        );
        assert_eq!(
            SQLGetDescField(ard, 0, 1001, (&mut count as *mut i16).cast(), 0, null_mut()),
            SQL_SUCCESS
        );
        assert_eq!(count, 1);
        assert_eq!(SQLFetch(c.stmt), SQL_SUCCESS);
        assert_eq!(id, common::listed_deal_ids(&sim)[0] as i32);

        // SQLColAttribute: numbers and strings.
        let mut n = 0isize;
        let mut text = [0u8; 64];
        let mut text_len = 0i16;
        assert_eq!(
            SQLColAttribute(
                c.stmt,
                2,
                14,
                text.as_mut_ptr().cast(),
                64,
                &mut text_len,
                null_mut()
            ),
            SQL_SUCCESS
        );
        assert_eq!(&text[..text_len as usize], b"WVARCHAR");
        assert_eq!(
            SQLColAttribute(
                c.stmt,
                2,
                23,
                text.as_mut_ptr().cast(),
                64,
                &mut text_len,
                null_mut()
            ),
            SQL_SUCCESS
        );
        assert_eq!(&text[..text_len as usize], b"Deals");
        assert_eq!(
            SQLColAttribute(c.stmt, 1, 6, null_mut(), 0, null_mut(), &mut n),
            SQL_SUCCESS
        );
        assert_eq!(n, 11, "display size of INTEGER");
        assert_eq!(
            SQLColAttribute(c.stmt, 3, 2, null_mut(), 0, null_mut(), &mut n),
            SQL_SUCCESS
        );
        assert_eq!(n, 93);
        let mut tiny = [0u8; 4];
        assert_eq!(
            SQLColAttribute(
                c.stmt,
                2,
                18,
                tiny.as_mut_ptr().cast(),
                4,
                &mut text_len,
                null_mut()
            ),
            SQL_SUCCESS_WITH_INFO
        );
        assert_eq!((&tiny, text_len), (b"Tit\0", 5));
    }
}
