//! SQLGetInfo.

use super::text::SqlWChar;
use super::text::{write_text, LengthUnit, OdbcChar};
use super::*;
use crate::info::{get_info, InfoContext, InfoValue};

#[cfg(windows)]
const DRIVER_FILE_NAME: &str = "pipedrive_odbc.dll";
#[cfg(not(windows))]
const DRIVER_FILE_NAME: &str = "libpipedrive_odbc.so";

const SQL_DRIVER_HDBC: u16 = 3;
const SQL_DRIVER_HSTMT: u16 = 4;
const SQL_DRIVER_HENV: u16 = 135;

unsafe fn get_info_any<C: OdbcChar>(
    conn: Handle,
    info_type: u16,
    value: *mut c_void,
    buffer_len: i16,
    string_len: *mut i16,
) -> SqlReturn {
    with_conn(conn, |handle, state| {
        if buffer_len < 0 {
            return Err(invalid_length(buffer_len.into()));
        }
        let answer = match info_type {
            SQL_DRIVER_HDBC => Some(InfoValue::ULen(handle.token as u64)),
            SQL_DRIVER_HENV => Some(InfoValue::ULen(handle.env as u64)),
            // The driver manager passes the statement handle in the value
            // buffer; we echo the token it holds.
            SQL_DRIVER_HSTMT => Some(InfoValue::ULen(if value.is_null() {
                0
            } else {
                value.cast::<usize>().read_unaligned() as u64
            })),
            _ => {
                let session = state.session.as_ref();
                let server = session
                    .map(|s| s.client.host().to_string())
                    .unwrap_or_default();
                let ctx = InfoContext {
                    data_source_name: session.map(|s| s.config.data_source_name()).unwrap_or(""),
                    user_name: session.map(|s| s.user_name.as_str()).unwrap_or(""),
                    server_name: &server,
                    database_name: session.map(|s| s.company_name.as_str()).unwrap_or(""),
                    dbms_version: "2.0",
                    driver_file_name: DRIVER_FILE_NAME,
                    connected: session.is_some(),
                };
                get_info(info_type, &ctx)
            }
        };
        let answer = answer.ok_or_else(|| {
            OdbcError::new(
                SqlState::InformationTypeOutOfRange,
                format!("Information type {info_type} is out of range"),
            )
        })?;
        match answer {
            InfoValue::Str(s) => {
                let written = write_text(
                    &s,
                    value.cast::<C>(),
                    isize::from(buffer_len),
                    LengthUnit::Bytes,
                );
                put(
                    string_len,
                    i16::try_from(written.full_length).unwrap_or(i16::MAX),
                );
                truncation_warning(&mut state.diag, written);
            }
            InfoValue::U16(v) => {
                put(value.cast::<u16>(), v);
                put(string_len, 2);
            }
            InfoValue::U32(v) => {
                put(value.cast::<u32>(), v);
                put(string_len, 4);
            }
            InfoValue::I32(v) => {
                put(value.cast::<i32>(), v);
                put(string_len, 4);
            }
            InfoValue::ULen(v) => {
                put(value.cast::<usize>(), v as usize);
                put(string_len, std::mem::size_of::<usize>() as i16);
            }
        }
        Ok(Status::Success)
    })
}

/// # Safety
/// `value` null or valid for `buffer_len` bytes (strings) or the type's size.
#[no_mangle]
pub unsafe extern "system" fn SQLGetInfo(
    conn: Handle,
    info_type: u16,
    value: *mut c_void,
    buffer_len: i16,
    string_len: *mut i16,
) -> SqlReturn {
    get_info_any::<u8>(conn, info_type, value, buffer_len, string_len)
}

/// # Safety
/// As for SQLGetInfo; lengths in bytes.
#[no_mangle]
pub unsafe extern "system" fn SQLGetInfoW(
    conn: Handle,
    info_type: u16,
    value: *mut c_void,
    buffer_len: i16,
    string_len: *mut i16,
) -> SqlReturn {
    get_info_any::<SqlWChar>(conn, info_type, value, buffer_len, string_len)
}
