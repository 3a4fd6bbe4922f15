//! Safe wrappers over the ODBC installer API of Windows (odbccp32.dll):
//! where the driver manager keeps data sources (the registry, behind
//! `ODBC.INI`). Only the Unicode functions are used.

use std::ffi::c_void;
use std::os::raw::c_int;

#[link(name = "odbccp32")]
extern "system" {
    fn SQLGetPrivateProfileStringW(
        section: *const u16,
        entry: *const u16,
        default: *const u16,
        buffer: *mut u16,
        buffer_len: c_int,
        file_name: *const u16,
    ) -> c_int;
    fn SQLWritePrivateProfileStringW(
        section: *const u16,
        entry: *const u16,
        value: *const u16,
        file_name: *const u16,
    ) -> i32;
    fn SQLWriteDSNToIniW(dsn: *const u16, driver: *const u16) -> i32;
    fn SQLRemoveDSNFromIniW(dsn: *const u16) -> i32;
    fn SQLValidDSNW(dsn: *const u16) -> i32;
    fn SQLSetConfigMode(mode: u16) -> i32;
    fn SQLPostInstallerErrorW(code: u32, message: *const u16) -> i16;
}

#[link(name = "user32")]
extern "system" {
    fn MessageBoxW(window: *mut c_void, text: *const u16, caption: *const u16, kind: u32) -> c_int;
}

const MB_ICONINFORMATION: u32 = 0x40;

/// The file name the installer API maps onto the registry's data sources.
const ODBC_INI: &str = "ODBC.INI";

/// SQLSetConfigMode modes.
pub const ODBC_BOTH_DSN: u16 = 0;
pub const ODBC_USER_DSN: u16 = 1;
pub const ODBC_SYSTEM_DSN: u16 = 2;

/// SQLPostInstallerError codes.
pub const ODBC_ERROR_GENERAL_ERR: u32 = 1;
pub const ODBC_ERROR_INVALID_KEYWORD_VALUE: u32 = 8;
pub const ODBC_ERROR_INVALID_DSN: u32 = 9;
pub const ODBC_ERROR_REQUEST_FAILED: u32 = 11;

fn wide(text: &str) -> Vec<u16> {
    text.encode_utf16().chain(std::iter::once(0)).collect()
}

/// Reads with a growing buffer: the API truncates silently and returns the
/// number of characters written, so a full buffer means "try larger".
fn read_profile(section: &str, entry: Option<&str>) -> Vec<u16> {
    let section = wide(section);
    let entry = entry.map(wide);
    let empty = wide("");
    let file = wide(ODBC_INI);
    let mut size = 1024usize;
    loop {
        let mut buffer = vec![0u16; size];
        // SAFETY: every pointer is a NUL-terminated UTF-16 string or the
        // buffer of the given length, alive for the call.
        let written = unsafe {
            SQLGetPrivateProfileStringW(
                section.as_ptr(),
                entry.as_ref().map_or(std::ptr::null(), |e| e.as_ptr()),
                empty.as_ptr(),
                buffer.as_mut_ptr(),
                size as c_int,
                file.as_ptr(),
            )
        };
        let written = written.max(0) as usize;
        // A key list ends with two NULs, a value with one: leave room.
        if written + 2 < size || size >= 1 << 20 {
            buffer.truncate(written.min(size));
            return buffer;
        }
        size *= 4;
    }
}

/// The key names of a data source, in the order the API lists them; empty
/// when no such data source exists.
pub fn data_source_keys(dsn: &str) -> Vec<String> {
    read_profile(dsn, None)
        .split(|&unit| unit == 0)
        .filter(|name| !name.is_empty())
        .map(String::from_utf16_lossy)
        .collect()
}

/// One key's value in a data source.
pub fn data_source_value(dsn: &str, key: &str) -> String {
    String::from_utf16_lossy(&read_profile(dsn, Some(key)))
}

/// Selects user, system or both kinds of data sources for the calls that
/// follow on this thread, as the ODBC Administrator expects of ConfigDSN.
pub fn set_config_mode(mode: u16) -> bool {
    // SAFETY: plain value argument.
    unsafe { SQLSetConfigMode(mode) != 0 }
}

pub fn valid_dsn(dsn: &str) -> bool {
    let dsn = wide(dsn);
    // SAFETY: NUL-terminated string alive for the call.
    unsafe { SQLValidDSNW(dsn.as_ptr()) != 0 }
}

/// Creates (or replaces) the data source `dsn` using `driver`.
pub fn write_dsn(dsn: &str, driver: &str) -> bool {
    let (dsn, driver) = (wide(dsn), wide(driver));
    // SAFETY: NUL-terminated strings alive for the call.
    unsafe { SQLWriteDSNToIniW(dsn.as_ptr(), driver.as_ptr()) != 0 }
}

/// Sets one key of a data source; `None` removes the key.
pub fn write_value(dsn: &str, key: &str, value: Option<&str>) -> bool {
    let (dsn, key, file) = (wide(dsn), wide(key), wide(ODBC_INI));
    let value = value.map(wide);
    // SAFETY: NUL-terminated strings (or null) alive for the call.
    unsafe {
        SQLWritePrivateProfileStringW(
            dsn.as_ptr(),
            key.as_ptr(),
            value.as_ref().map_or(std::ptr::null(), |v| v.as_ptr()),
            file.as_ptr(),
        ) != 0
    }
}

pub fn remove_dsn(dsn: &str) -> bool {
    let dsn = wide(dsn);
    // SAFETY: NUL-terminated string alive for the call.
    unsafe { SQLRemoveDSNFromIniW(dsn.as_ptr()) != 0 }
}

/// Reports why a setup call failed; the ODBC Administrator (or the
/// application that called SQLConfigDataSource) shows it to the user.
pub fn post_error(code: u32, message: &str) {
    let message = wide(message);
    // SAFETY: NUL-terminated string alive for the call.
    unsafe {
        SQLPostInstallerErrorW(code, message.as_ptr());
    }
}

/// Shows a message over the window of the program that asked for setup.
pub fn show_message(window: *mut c_void, text: &str) {
    let (text, caption) = (wide(text), wide("Pipedrive ODBC Driver"));
    // SAFETY: `window` is the caller's window handle or null; the strings
    // are NUL-terminated and alive for the call.
    unsafe {
        MessageBoxW(window, text.as_ptr(), caption.as_ptr(), MB_ICONINFORMATION);
    }
}
