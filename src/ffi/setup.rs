//! The setup entry points Windows' ODBC installer calls in the driver DLL
//! (`Setup=` in the driver's registry key): ConfigDSN and ConfigDriver, ANSI
//! and Unicode. They read their string arguments and forward to
//! [`crate::setup`]; failures are reported with SQLPostInstallerError.

use super::text::OdbcChar;
use crate::setup::{self, installer_api};
use std::ffi::c_void;
use std::panic::{catch_unwind, AssertUnwindSafe};

const TRUE: i32 = 1;
const FALSE: i32 = 0;

/// The longest attribute list read, in characters: far beyond any real DSN,
/// it bounds the walk over a list whose final double NUL is missing.
const MAX_ATTRIBUTE_LIST: usize = 64 * 1024;

/// Reads a NUL-terminated string, or `None` for a null pointer.
unsafe fn read_nul_terminated<C: OdbcChar>(ptr: *const C) -> Option<String> {
    if ptr.is_null() {
        return None;
    }
    let mut length = 0usize;
    while length < MAX_ATTRIBUTE_LIST && *ptr.add(length) != C::default() {
        length += 1;
    }
    C::decode(std::slice::from_raw_parts(ptr, length)).ok()
}

/// Reads an attribute list: NUL-terminated entries ending with an empty one.
unsafe fn read_attribute_list<C: OdbcChar>(ptr: *const C) -> Vec<String> {
    let mut entries = Vec::new();
    if ptr.is_null() {
        return entries;
    }
    let mut offset = 0usize;
    while offset < MAX_ATTRIBUTE_LIST && *ptr.add(offset) != C::default() {
        let start = offset;
        while offset < MAX_ATTRIBUTE_LIST && *ptr.add(offset) != C::default() {
            offset += 1;
        }
        if let Ok(entry) = C::decode(std::slice::from_raw_parts(ptr.add(start), offset - start)) {
            entries.push(entry);
        }
        offset += 1;
    }
    entries
}

fn config_dsn(
    window: *mut c_void,
    request: u16,
    driver: Option<String>,
    entries: Vec<String>,
) -> i32 {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let change =
            setup::plan_config_dsn(request, driver.as_deref().unwrap_or_default(), &entries)?;
        // With a window, the caller expected a dialog; without properties
        // there is nothing to write, so say how to set them instead.
        if !window.is_null() {
            if let Some(directions) = setup::dialog_substitute(&change) {
                installer_api::show_message(window, &directions);
                if matches!(change, setup::DsnChange::Configure { .. }) {
                    return Ok(());
                }
            }
        }
        setup::apply(&change)
    }));
    match outcome {
        Ok(Ok(())) => TRUE,
        Ok(Err(error)) => {
            // The Administrator expected a dialog: show why nothing was saved.
            if !window.is_null() {
                installer_api::show_message(window, &error.message);
            }
            installer_api::post_error(error.code, &error.message);
            FALSE
        }
        Err(_) => {
            installer_api::post_error(
                installer_api::ODBC_ERROR_GENERAL_ERR,
                "Internal error in ConfigDSN (please report it)",
            );
            FALSE
        }
    }
}

/// # Safety
/// `driver` is null or NUL-terminated; `attributes` is null or a list of
/// NUL-terminated strings ending with an empty string.
#[no_mangle]
pub unsafe extern "system" fn ConfigDSN(
    window: *mut c_void,
    request: u16,
    driver: *const u8,
    attributes: *const u8,
) -> i32 {
    let parsed = catch_unwind(AssertUnwindSafe(|| {
        (read_nul_terminated(driver), read_attribute_list(attributes))
    }));
    match parsed {
        Ok((driver, entries)) => config_dsn(window, request, driver, entries),
        Err(_) => FALSE,
    }
}

/// # Safety
/// As for [`ConfigDSN`], in UTF-16.
#[no_mangle]
pub unsafe extern "system" fn ConfigDSNW(
    window: *mut c_void,
    request: u16,
    driver: *const u16,
    attributes: *const u16,
) -> i32 {
    let parsed = catch_unwind(AssertUnwindSafe(|| {
        (read_nul_terminated(driver), read_attribute_list(attributes))
    }));
    match parsed {
        Ok((driver, entries)) => config_dsn(window, request, driver, entries),
        Err(_) => FALSE,
    }
}

/// ConfigDriver: installing, configuring or removing the driver needs no
/// driver-specific work (the installer writes the registry keys), so every
/// request succeeds with an empty message.
///
/// # Safety
/// `message` is null or writable for `message_max` bytes; `message_out` is
/// null or writable.
#[no_mangle]
pub unsafe extern "system" fn ConfigDriver(
    _window: *mut c_void,
    _request: u16,
    _driver: *const u8,
    _arguments: *const u8,
    message: *mut u8,
    message_max: u16,
    message_out: *mut u16,
) -> i32 {
    if !message.is_null() && message_max > 0 {
        *message = 0;
    }
    if !message_out.is_null() {
        *message_out = 0;
    }
    TRUE
}

/// # Safety
/// As for [`ConfigDriver`], with `message` writable for `message_max`
/// UTF-16 units.
#[no_mangle]
pub unsafe extern "system" fn ConfigDriverW(
    _window: *mut c_void,
    _request: u16,
    _driver: *const u16,
    _arguments: *const u16,
    message: *mut u16,
    message_max: u16,
    message_out: *mut u16,
) -> i32 {
    if !message.is_null() && message_max > 0 {
        *message = 0;
    }
    if !message_out.is_null() {
        *message_out = 0;
    }
    TRUE
}
