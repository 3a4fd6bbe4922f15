//! Statements of one connection on many threads at once, called straight
//! on the driver's exported ODBC functions (no driver manager): the
//! driver's own handle locking, which unixODBC would otherwise serialise
//! in part. (The other concurrency tests, through unixODBC, are in
//! tests/concurrency.rs.)

mod common;

use pipedrive_odbc::ffi::connect::*;
use pipedrive_odbc::ffi::diagnostics::SQLGetDiagRec;
use pipedrive_odbc::ffi::environment::*;
use pipedrive_odbc::ffi::fetch::*;
use pipedrive_odbc::ffi::statement::*;
use pipedrive_odbc::ffi::{
    Handle, SQL_HANDLE_DBC, SQL_HANDLE_ENV, SQL_HANDLE_STMT, SQL_NO_DATA, SQL_SUCCESS,
};
use std::ptr::null_mut;

const THREADS: usize = 8;
const ROUNDS: usize = 3;

/// A handle moved between threads; ODBC handles are thread-safe by the
/// specification's rules, which is what is being tested.
#[derive(Clone, Copy)]
struct Shared(usize);

impl Shared {
    fn handle(self) -> Handle {
        self.0 as Handle
    }
}

/// The first diagnostic of a statement, for failure messages.
fn statement_diagnostic(stmt: Handle) -> String {
    let mut state = [0u8; 6];
    let mut message = [0u8; 512];
    let (mut native, mut length) = (0i32, 0i16);
    unsafe {
        SQLGetDiagRec(
            SQL_HANDLE_STMT,
            stmt,
            1,
            state.as_mut_ptr(),
            &mut native,
            message.as_mut_ptr(),
            message.len() as i16,
            &mut length,
        );
    }
    let length = (length.max(0) as usize).min(message.len());
    format!(
        "[{}] {}",
        String::from_utf8_lossy(&state[..5]),
        String::from_utf8_lossy(&message[..length])
    )
}

fn exec_and_count(stmt: Handle, sql: &str) -> (i64, u64) {
    unsafe {
        let rc = SQLExecDirect(stmt, sql.as_ptr(), sql.len() as i32);
        assert_eq!(rc, SQL_SUCCESS, "{sql}: {}", statement_diagnostic(stmt));
        let (mut rows, mut sum) = (0u64, 0i64);
        loop {
            match SQLFetch(stmt) {
                SQL_NO_DATA => break,
                SQL_SUCCESS => {}
                other => panic!("SQLFetch returned {other}"),
            }
            let mut value: i64 = 0;
            let mut indicator: isize = 0;
            let rc = SQLGetData(
                stmt,
                1,
                -25,
                (&mut value as *mut i64).cast(),
                8,
                &mut indicator,
            );
            assert_eq!(rc, SQL_SUCCESS);
            sum += value;
            rows += 1;
        }
        assert_eq!(SQLFreeStmt(stmt, 0), SQL_SUCCESS); // SQL_CLOSE
        (sum, rows)
    }
}

#[test]
fn statements_of_one_connection_run_on_many_threads_at_once() {
    let sim = common::start_sim(1200);
    let ids = common::listed_deal_ids(&sim);
    let expected = (ids.iter().sum::<i64>(), ids.len() as u64);
    unsafe {
        let mut env: Handle = null_mut();
        assert_eq!(
            SQLAllocHandle(SQL_HANDLE_ENV, null_mut(), &mut env),
            SQL_SUCCESS
        );
        assert_eq!(SQLSetEnvAttr(env, 200, 3 as Handle, 0), SQL_SUCCESS);
        let mut dbc: Handle = null_mut();
        assert_eq!(SQLAllocHandle(SQL_HANDLE_DBC, env, &mut dbc), SQL_SUCCESS);
        let connection = format!(
            "APIToken={};APIBaseURL={};Timeout=20",
            common::TOKEN,
            sim.base_url()
        );
        let rc = SQLDriverConnect(
            dbc,
            null_mut(),
            connection.as_ptr(),
            connection.len() as i16,
            null_mut(),
            0,
            null_mut(),
            0,
        );
        assert_eq!(rc, SQL_SUCCESS);
        let shared_dbc = Shared(dbc as usize);
        std::thread::scope(|scope| {
            for _ in 0..THREADS {
                scope.spawn(move || {
                    for _ in 0..ROUNDS {
                        // Allocating and freeing statements races with the
                        // other threads' use of the same connection.
                        let mut stmt: Handle = null_mut();
                        assert_eq!(
                            SQLAllocHandle(SQL_HANDLE_STMT, shared_dbc.handle(), &mut stmt),
                            SQL_SUCCESS
                        );
                        assert_eq!(exec_and_count(stmt, "SELECT Id FROM Deals"), expected);
                        assert_eq!(SQLFreeHandle(SQL_HANDLE_STMT, stmt), SQL_SUCCESS);
                    }
                });
            }
        });
        assert_eq!(SQLDisconnect(dbc), SQL_SUCCESS);
        assert_eq!(SQLFreeHandle(SQL_HANDLE_DBC, dbc), SQL_SUCCESS);
        assert_eq!(SQLFreeHandle(SQL_HANDLE_ENV, env), SQL_SUCCESS);
    }
}
