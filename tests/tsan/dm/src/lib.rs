//! Stands in for the driver crate when tests/concurrency.rs is built by
//! tests/tsan/dm: the names that test takes from `pipedrive_odbc::ffi`,
//! declared as unixODBC's functions (libodbc), with the driver's types.

pub mod ffi {
    use std::ffi::c_void;

    pub type SqlReturn = i16;
    pub type Handle = *mut c_void;

    pub const SQL_SUCCESS: SqlReturn = 0;
    pub const SQL_NO_DATA: SqlReturn = 100;
    pub const SQL_HANDLE_ENV: i16 = 1;
    pub const SQL_HANDLE_DBC: i16 = 2;
    pub const SQL_HANDLE_STMT: i16 = 3;

    mod sys {
        use super::{Handle, SqlReturn};
        use std::ffi::c_void;

        #[link(name = "odbc")]
        extern "system" {
            pub fn SQLAllocHandle(handle_type: i16, input: Handle, output: *mut Handle)
                -> SqlReturn;
            pub fn SQLFreeHandle(handle_type: i16, handle: Handle) -> SqlReturn;
            pub fn SQLFreeStmt(stmt: Handle, option: u16) -> SqlReturn;
            pub fn SQLSetEnvAttr(env: Handle, attribute: i32, value: *mut c_void, len: i32)
                -> SqlReturn;
            #[allow(clippy::too_many_arguments)]
            #[link_name = "SQLDriverConnect"]
            pub fn dm_driver_connect(
                conn: Handle,
                window: Handle,
                input: *const u8,
                input_len: i16,
                output: *mut u8,
                output_max: i16,
                output_len: *mut i16,
                completion: u16,
            ) -> SqlReturn;
            pub fn SQLDisconnect(conn: Handle) -> SqlReturn;
            pub fn SQLExecDirect(stmt: Handle, text: *const u8, len: i32) -> SqlReturn;
            pub fn SQLFetch(stmt: Handle) -> SqlReturn;
            pub fn SQLGetData(
                stmt: Handle,
                column: u16,
                c_type: i16,
                target: *mut c_void,
                buffer_len: isize,
                indicator: *mut isize,
            ) -> SqlReturn;
            #[allow(clippy::too_many_arguments)]
            pub fn SQLGetDiagRec(
                handle_type: i16,
                handle: Handle,
                record: i16,
                state: *mut u8,
                native: *mut i32,
                message: *mut u8,
                buffer_len: i16,
                text_len: *mut i16,
            ) -> SqlReturn;
        }
    }

    pub mod connect {
        use super::{Handle, SqlReturn};
        pub use super::sys::SQLDisconnect;

        /// unixODBC's SQLDriverConnect, naming the driver (the test's
        /// `driver_path()`: PIPEDRIVE_ODBC_DRIVER) when the connection
        /// string names neither a DSN nor a driver, as the test's own
        /// direct-FFI strings do: a driver manager needs one of the two.
        ///
        /// # Safety
        /// As for SQLDriverConnect.
        #[allow(non_snake_case, clippy::too_many_arguments)]
        pub unsafe fn SQLDriverConnect(
            conn: Handle,
            window: Handle,
            input: *const u8,
            input_len: i16,
            output: *mut u8,
            output_max: i16,
            output_len: *mut i16,
            completion: u16,
        ) -> SqlReturn {
            let given = std::slice::from_raw_parts(input, input_len.max(0) as usize);
            let given = String::from_utf8_lossy(given);
            let names_one = given.split(';').any(|pair| {
                let key = pair.split('=').next().unwrap_or("").trim();
                key.eq_ignore_ascii_case("DSN") || key.eq_ignore_ascii_case("DRIVER")
            });
            let full = if names_one {
                given.into_owned()
            } else {
                let driver = std::env::var("PIPEDRIVE_ODBC_DRIVER")
                    .expect("PIPEDRIVE_ODBC_DRIVER names the driver under test");
                format!("Driver={driver};{given}")
            };
            super::sys::dm_driver_connect(
                conn,
                window,
                full.as_ptr(),
                full.len() as i16,
                output,
                output_max,
                output_len,
                completion,
            )
        }
    }
    pub mod diagnostics {
        pub use super::sys::SQLGetDiagRec;
    }
    pub mod environment {
        pub use super::sys::{SQLAllocHandle, SQLFreeHandle, SQLFreeStmt, SQLSetEnvAttr};
    }
    pub mod fetch {
        pub use super::sys::{SQLFetch, SQLGetData};
    }
    pub mod statement {
        pub use super::sys::SQLExecDirect;
    }
}
