//! Loads the driver DLL with LoadLibraryW and runs one query through its
//! Unicode entry points, the way an application's driver manager would call
//! them on Windows: SQLAllocHandle, SQLSetEnvAttr, SQLDriverConnectW,
//! SQLExecDirectW, SQLDescribeColW, SQLFetch, SQLGetData (SQL_C_WCHAR, in
//! pieces) and SQLGetDiagRecW.
//!
//! Usage: driver-smoke <dll> [--config-dsn <attributes>] <connection string> <query>
//!        driver-smoke <dll> [--config-dsn <attributes>] <connection string> --expect-connect-error <SQLSTATE>
//!
//! `--config-dsn "DSN=Name;Key=Value;..."` first creates a user data source
//! through the DLL's ConfigDSNW (the installer API writes it to the
//! registry), so that the connection string can be `DSN=Name`.
//!
//! Prints the column names and the rows tab-separated, then `rows: N`; exits
//! 0 only when every call behaved as expected.

use std::ffi::c_void;
use std::process::ExitCode;

type Handle = *mut c_void;
type SqlReturn = i16;

const SQL_SUCCESS: SqlReturn = 0;
const SQL_SUCCESS_WITH_INFO: SqlReturn = 1;
const SQL_NO_DATA: SqlReturn = 100;
const SQL_HANDLE_ENV: i16 = 1;
const SQL_HANDLE_DBC: i16 = 2;
const SQL_HANDLE_STMT: i16 = 3;
const SQL_ATTR_ODBC_VERSION: i32 = 200;
const SQL_OV_ODBC3: usize = 3;
const SQL_DRIVER_NOPROMPT: u16 = 0;
const SQL_NTS: i32 = -3;
const SQL_C_WCHAR: i16 = -8;
const SQL_NULL_DATA: isize = -1;

#[cfg(windows)]
#[link(name = "kernel32")]
extern "system" {
    fn LoadLibraryW(name: *const u16) -> Handle;
    fn GetProcAddress(module: Handle, name: *const u8) -> *mut c_void;
    fn GetLastError() -> u32;
}

type AllocHandle = unsafe extern "system" fn(i16, Handle, *mut Handle) -> SqlReturn;
type SetEnvAttr = unsafe extern "system" fn(Handle, i32, *mut c_void, i32) -> SqlReturn;
type DriverConnectW = unsafe extern "system" fn(
    Handle,
    Handle,
    *const u16,
    i16,
    *mut u16,
    i16,
    *mut i16,
    u16,
) -> SqlReturn;
type ExecDirectW = unsafe extern "system" fn(Handle, *const u16, i32) -> SqlReturn;
type NumResultCols = unsafe extern "system" fn(Handle, *mut i16) -> SqlReturn;
type DescribeColW = unsafe extern "system" fn(
    Handle,
    u16,
    *mut u16,
    i16,
    *mut i16,
    *mut i16,
    *mut usize,
    *mut i16,
    *mut i16,
) -> SqlReturn;
type Fetch = unsafe extern "system" fn(Handle) -> SqlReturn;
type GetData =
    unsafe extern "system" fn(Handle, u16, i16, *mut c_void, isize, *mut isize) -> SqlReturn;
type GetDiagRecW = unsafe extern "system" fn(
    i16,
    Handle,
    i16,
    *mut u16,
    *mut i32,
    *mut u16,
    i16,
    *mut i16,
) -> SqlReturn;
type HandleOnly = unsafe extern "system" fn(Handle) -> SqlReturn;
type FreeHandle = unsafe extern "system" fn(i16, Handle) -> SqlReturn;
type ConfigDsnW = unsafe extern "system" fn(Handle, u16, *const u16, *const u16) -> i32;

const ODBC_ADD_DSN: u16 = 1;
const DRIVER_NAME: &str = "Pipedrive ODBC Driver";

/// The driver's entry points, resolved by name from the DLL.
struct Driver {
    alloc_handle: AllocHandle,
    set_env_attr: SetEnvAttr,
    driver_connect_w: DriverConnectW,
    exec_direct_w: ExecDirectW,
    num_result_cols: NumResultCols,
    describe_col_w: DescribeColW,
    fetch: Fetch,
    get_data: GetData,
    get_diag_rec_w: GetDiagRecW,
    disconnect: HandleOnly,
    free_handle: FreeHandle,
    config_dsn_w: ConfigDsnW,
}

fn wide(text: &str) -> Vec<u16> {
    text.encode_utf16().chain(std::iter::once(0)).collect()
}

#[cfg(windows)]
fn load(path: &str) -> Result<Driver, String> {
    let module = unsafe { LoadLibraryW(wide(path).as_ptr()) };
    if module.is_null() {
        return Err(format!("LoadLibraryW({path}) failed: error {}", unsafe {
            GetLastError()
        }));
    }
    let symbol = |name: &str| -> Result<*mut c_void, String> {
        let c_name: Vec<u8> = name.bytes().chain(std::iter::once(0)).collect();
        let address = unsafe { GetProcAddress(module, c_name.as_ptr()) };
        if address.is_null() {
            Err(format!("the DLL does not export {name}"))
        } else {
            Ok(address)
        }
    };
    // SAFETY: each symbol is the ODBC function of that name, whose
    // signature (Windows x64, "system" ABI) is the type it is cast to.
    unsafe {
        Ok(Driver {
            alloc_handle: std::mem::transmute(symbol("SQLAllocHandle")?),
            set_env_attr: std::mem::transmute(symbol("SQLSetEnvAttr")?),
            driver_connect_w: std::mem::transmute(symbol("SQLDriverConnectW")?),
            exec_direct_w: std::mem::transmute(symbol("SQLExecDirectW")?),
            num_result_cols: std::mem::transmute(symbol("SQLNumResultCols")?),
            describe_col_w: std::mem::transmute(symbol("SQLDescribeColW")?),
            fetch: std::mem::transmute(symbol("SQLFetch")?),
            get_data: std::mem::transmute(symbol("SQLGetData")?),
            get_diag_rec_w: std::mem::transmute(symbol("SQLGetDiagRecW")?),
            disconnect: std::mem::transmute(symbol("SQLDisconnect")?),
            free_handle: std::mem::transmute(symbol("SQLFreeHandle")?),
            config_dsn_w: std::mem::transmute(symbol("ConfigDSNW")?),
        })
    }
}

#[cfg(not(windows))]
fn load(_path: &str) -> Result<Driver, String> {
    Err("this program loads a Windows DLL: build it for x86_64-pc-windows-gnu".into())
}

impl Driver {
    /// The first diagnostic record of a handle: (SQLSTATE, message).
    fn diagnostic(&self, kind: i16, handle: Handle) -> (String, String) {
        let mut state = [0u16; 6];
        let mut native = 0i32;
        let mut message = [0u16; 1024];
        let mut length = 0i16;
        let rc = unsafe {
            (self.get_diag_rec_w)(
                kind,
                handle,
                1,
                state.as_mut_ptr(),
                &mut native,
                message.as_mut_ptr(),
                message.len() as i16,
                &mut length,
            )
        };
        if rc != SQL_SUCCESS && rc != SQL_SUCCESS_WITH_INFO {
            return (
                String::new(),
                format!("(no diagnostic: SQLGetDiagRecW returned {rc})"),
            );
        }
        let length = (length.max(0) as usize).min(message.len() - 1);
        (
            String::from_utf16_lossy(&state[..5]),
            String::from_utf16_lossy(&message[..length]),
        )
    }

    fn check(&self, rc: SqlReturn, kind: i16, handle: Handle, what: &str) -> Result<(), String> {
        if rc == SQL_SUCCESS || rc == SQL_SUCCESS_WITH_INFO {
            Ok(())
        } else {
            let (state, message) = self.diagnostic(kind, handle);
            Err(format!("{what} returned {rc}: [{state}] {message}"))
        }
    }

    /// One column's value read with SQLGetData in 16-character pieces, so
    /// the driver's continuation of long values is exercised too.
    fn read_text(&self, stmt: Handle, column: u16) -> Result<Option<String>, String> {
        let mut units: Vec<u16> = Vec::new();
        loop {
            let mut piece = [0u16; 17];
            let mut indicator = 0isize;
            let rc = unsafe {
                (self.get_data)(
                    stmt,
                    column,
                    SQL_C_WCHAR,
                    piece.as_mut_ptr().cast(),
                    std::mem::size_of_val(&piece) as isize,
                    &mut indicator,
                )
            };
            if rc == SQL_NO_DATA {
                break;
            }
            self.check(rc, SQL_HANDLE_STMT, stmt, "SQLGetData")?;
            if indicator == SQL_NULL_DATA {
                return Ok(None);
            }
            let written = piece
                .iter()
                .position(|&u| u == 0)
                .unwrap_or(piece.len() - 1);
            units.extend_from_slice(&piece[..written]);
            if rc == SQL_SUCCESS {
                break;
            }
        }
        String::from_utf16(&units)
            .map(Some)
            .map_err(|_| format!("column {column}: the driver returned invalid UTF-16"))
    }
}

/// Creates a data source with ConfigDSNW from `Key=Value;...` attributes.
fn config_dsn(driver: &Driver, attributes: &str) -> Result<(), String> {
    // The attribute list: NUL-terminated entries, then an empty one.
    let mut list: Vec<u16> = Vec::new();
    for entry in attributes.split(';').filter(|e| !e.is_empty()) {
        list.extend(entry.encode_utf16());
        list.push(0);
    }
    list.push(0);
    let name = wide(DRIVER_NAME);
    let ok = unsafe {
        (driver.config_dsn_w)(
            std::ptr::null_mut(),
            ODBC_ADD_DSN,
            name.as_ptr(),
            list.as_ptr(),
        )
    };
    if ok == 0 {
        return Err("ConfigDSNW(ODBC_ADD_DSN) returned FALSE".into());
    }
    println!("ConfigDSNW: created");
    Ok(())
}

enum Expectation {
    Rows(String),
    ConnectError(String),
}

fn run(
    dll: &str,
    dsn_attributes: Option<&str>,
    connection_string: &str,
    expectation: Expectation,
) -> Result<(), String> {
    let driver = load(dll)?;
    if let Some(attributes) = dsn_attributes {
        config_dsn(&driver, attributes)?;
    }
    let mut env: Handle = std::ptr::null_mut();
    let rc = unsafe { (driver.alloc_handle)(SQL_HANDLE_ENV, std::ptr::null_mut(), &mut env) };
    if rc != SQL_SUCCESS {
        return Err(format!("SQLAllocHandle(ENV) returned {rc}"));
    }
    let rc = unsafe {
        (driver.set_env_attr)(env, SQL_ATTR_ODBC_VERSION, SQL_OV_ODBC3 as *mut c_void, 0)
    };
    driver.check(rc, SQL_HANDLE_ENV, env, "SQLSetEnvAttr")?;
    let mut dbc: Handle = std::ptr::null_mut();
    let rc = unsafe { (driver.alloc_handle)(SQL_HANDLE_DBC, env, &mut dbc) };
    driver.check(rc, SQL_HANDLE_ENV, env, "SQLAllocHandle(DBC)")?;

    let input = wide(connection_string);
    let mut completed = [0u16; 2048];
    let mut completed_length = 0i16;
    let rc = unsafe {
        (driver.driver_connect_w)(
            dbc,
            std::ptr::null_mut(),
            input.as_ptr(),
            SQL_NTS as i16,
            completed.as_mut_ptr(),
            completed.len() as i16,
            &mut completed_length,
            SQL_DRIVER_NOPROMPT,
        )
    };
    let query = match expectation {
        Expectation::ConnectError(expected) => {
            if rc == SQL_SUCCESS || rc == SQL_SUCCESS_WITH_INFO {
                return Err(format!("SQLDriverConnectW succeeded; expected {expected}"));
            }
            let (state, message) = driver.diagnostic(SQL_HANDLE_DBC, dbc);
            println!("connect error: [{state}] {message}");
            unsafe { (driver.free_handle)(SQL_HANDLE_DBC, dbc) };
            unsafe { (driver.free_handle)(SQL_HANDLE_ENV, env) };
            return if state == expected {
                Ok(())
            } else {
                Err(format!("expected SQLSTATE {expected}, got {state}"))
            };
        }
        Expectation::Rows(query) => query,
    };
    driver.check(rc, SQL_HANDLE_DBC, dbc, "SQLDriverConnectW")?;
    let completed_length = (completed_length.max(0) as usize).min(completed.len() - 1);
    println!(
        "connected: {}",
        String::from_utf16_lossy(&completed[..completed_length])
    );

    let mut stmt: Handle = std::ptr::null_mut();
    let rc = unsafe { (driver.alloc_handle)(SQL_HANDLE_STMT, dbc, &mut stmt) };
    driver.check(rc, SQL_HANDLE_DBC, dbc, "SQLAllocHandle(STMT)")?;
    let text = wide(&query);
    let rc = unsafe { (driver.exec_direct_w)(stmt, text.as_ptr(), SQL_NTS) };
    driver.check(rc, SQL_HANDLE_STMT, stmt, "SQLExecDirectW")?;

    let mut columns = 0i16;
    let rc = unsafe { (driver.num_result_cols)(stmt, &mut columns) };
    driver.check(rc, SQL_HANDLE_STMT, stmt, "SQLNumResultCols")?;
    let mut names = Vec::new();
    for column in 1..=columns.max(0) as u16 {
        let mut name = [0u16; 256];
        let (mut length, mut data_type, mut digits, mut nullable) = (0i16, 0i16, 0i16, 0i16);
        let mut size = 0usize;
        let rc = unsafe {
            (driver.describe_col_w)(
                stmt,
                column,
                name.as_mut_ptr(),
                name.len() as i16,
                &mut length,
                &mut data_type,
                &mut size,
                &mut digits,
                &mut nullable,
            )
        };
        driver.check(rc, SQL_HANDLE_STMT, stmt, "SQLDescribeColW")?;
        let length = (length.max(0) as usize).min(name.len() - 1);
        names.push(String::from_utf16_lossy(&name[..length]));
    }
    println!("{}", names.join("\t"));

    let mut rows = 0u64;
    loop {
        let rc = unsafe { (driver.fetch)(stmt) };
        if rc == SQL_NO_DATA {
            break;
        }
        driver.check(rc, SQL_HANDLE_STMT, stmt, "SQLFetch")?;
        let mut values = Vec::new();
        for column in 1..=columns.max(0) as u16 {
            values.push(
                driver
                    .read_text(stmt, column)?
                    .unwrap_or_else(|| "NULL".to_string()),
            );
        }
        println!("{}", values.join("\t"));
        rows += 1;
    }
    println!("rows: {rows}");
    unsafe {
        (driver.free_handle)(SQL_HANDLE_STMT, stmt);
        (driver.disconnect)(dbc);
        (driver.free_handle)(SQL_HANDLE_DBC, dbc);
        (driver.free_handle)(SQL_HANDLE_ENV, env);
    }
    if rows == 0 {
        return Err("the query returned no rows".into());
    }
    Ok(())
}

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().collect();
    let dsn_attributes = match args.get(2).map(String::as_str) {
        Some("--config-dsn") if args.len() > 3 => {
            let attributes = args.remove(3);
            args.remove(2);
            Some(attributes)
        }
        _ => None,
    };
    if args.len() < 3 {
        eprintln!("usage: driver-smoke <dll> [--config-dsn ATTRS] <connection string> <query | --expect-connect-error STATE>");
        return ExitCode::from(2);
    }
    let expectation = match args.get(3).map(String::as_str) {
        Some("--expect-connect-error") => match args.get(4) {
            Some(state) => Expectation::ConnectError(state.clone()),
            None => {
                eprintln!("--expect-connect-error needs a SQLSTATE");
                return ExitCode::from(2);
            }
        },
        Some(query) => Expectation::Rows(query.to_string()),
        None => {
            eprintln!("usage: driver-smoke <dll> <connection string> <query | --expect-connect-error STATE>");
            return ExitCode::from(2);
        }
    };
    match run(&args[1], dsn_attributes.as_deref(), &args[2], expectation) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("driver-smoke: {message}");
            ExitCode::FAILURE
        }
    }
}
