//! SQLGetDescField, SQLGetDescRec, SQLSetDescField on implicit descriptors.

use super::text::SqlWChar;
use super::text::{write_text, LengthUnit, OdbcChar};
use super::*;
use crate::handles::descriptor::{field, get_field, set_field};
use crate::handles::statement::AttrValue;

unsafe fn get_desc_field<C: OdbcChar>(
    desc: Handle,
    record: i16,
    id: i16,
    value: *mut c_void,
    buffer_len: i32,
    string_len: *mut i32,
) -> SqlReturn {
    with_desc(desc, |d, s| {
        let Some(v) = get_field(s, d.kind, record.max(0) as usize, id as u16)? else {
            return Ok(Status::NoData);
        };
        match v {
            AttrValue::Str(text) => {
                let written = write_text(
                    &text,
                    value.cast::<C>(),
                    buffer_len as isize,
                    LengthUnit::Bytes,
                );
                put(string_len, written.full_length as i32);
                if written.truncated {
                    return Err(OdbcError::new(
                        SqlState::StringTruncated,
                        "String data, right truncated",
                    ));
                }
            }
            AttrValue::Int(n) => {
                // Field widths per the spec: pointers and SQLLENs are
                // pointer-sized, SQLSMALLINT fields 2 bytes, the rest 4.
                match id as u16 {
                    field::DATA_PTR
                    | field::INDICATOR_PTR
                    | field::OCTET_LENGTH_PTR
                    | field::ARRAY_STATUS_PTR
                    | field::BIND_OFFSET_PTR
                    | field::ROWS_PROCESSED_PTR
                    | field::ARRAY_SIZE
                    | field::LENGTH
                    | field::OCTET_LENGTH
                    | field::DISPLAY_SIZE => put(value.cast::<isize>(), n as isize),
                    field::TYPE
                    | field::CONCISE_TYPE
                    | field::DATETIME_INTERVAL_CODE
                    | field::PRECISION
                    | field::SCALE
                    | field::NULLABLE
                    | field::UNNAMED
                    | field::PARAMETER_TYPE
                    | field::ALLOC_TYPE
                    | field::FIXED_PREC_SCALE
                    | field::UNSIGNED
                    | field::UPDATABLE
                    | field::SEARCHABLE
                    | field::NUM_PREC_RADIX => put(value.cast::<i16>(), n as i16),
                    _ => put(value.cast::<i32>(), n as i32),
                }
            }
        }
        Ok(Status::Success)
    })
}

/// # Safety
/// `value` valid for the field's type or `buffer_len` bytes.
#[no_mangle]
pub unsafe extern "system" fn SQLGetDescField(
    desc: Handle,
    record: i16,
    field: i16,
    value: *mut c_void,
    buffer_len: i32,
    string_len: *mut i32,
) -> SqlReturn {
    get_desc_field::<u8>(desc, record, field, value, buffer_len, string_len)
}

/// # Safety
/// As for SQLGetDescField; lengths in bytes.
#[no_mangle]
pub unsafe extern "system" fn SQLGetDescFieldW(
    desc: Handle,
    record: i16,
    field: i16,
    value: *mut c_void,
    buffer_len: i32,
    string_len: *mut i32,
) -> SqlReturn {
    get_desc_field::<SqlWChar>(desc, record, field, value, buffer_len, string_len)
}

#[allow(clippy::too_many_arguments)]
unsafe fn get_desc_rec<C: OdbcChar>(
    desc: Handle,
    record: i16,
    name: *mut C,
    buffer_len: i16,
    name_len: *mut i16,
    type_: *mut i16,
    subtype: *mut i16,
    length: *mut isize,
    precision: *mut i16,
    scale: *mut i16,
    nullable: *mut i16,
) -> SqlReturn {
    with_desc(desc, |d, s| {
        let rec = record.max(0) as usize;
        let int = |id: u16| -> Result<Option<i64>> {
            Ok(match get_field(s, d.kind, rec, id) {
                Ok(Some(AttrValue::Int(v))) => Some(v),
                Ok(Some(AttrValue::Str(_))) => None,
                Ok(None) => return Ok(None),
                // Fields a descriptor type does not carry read as 0.
                Err(e) if e.state == SqlState::InvalidDescriptorFieldIdentifier => Some(0),
                Err(e) => return Err(e),
            })
        };
        let Some(t) = int(field::TYPE)? else {
            return Ok(Status::NoData);
        };
        let text = match get_field(s, d.kind, rec, field::NAME) {
            Ok(Some(AttrValue::Str(n))) => n,
            _ => String::new(),
        };
        let written = write_text(
            &text,
            name,
            isize::from(buffer_len.max(0)),
            LengthUnit::Chars,
        );
        put(
            name_len,
            i16::try_from(written.full_length).unwrap_or(i16::MAX),
        );
        put(type_, t as i16);
        put(
            subtype,
            int(field::DATETIME_INTERVAL_CODE)?.unwrap_or(0) as i16,
        );
        put(length, int(field::OCTET_LENGTH)?.unwrap_or(0) as isize);
        put(precision, int(field::PRECISION)?.unwrap_or(0) as i16);
        put(scale, int(field::SCALE)?.unwrap_or(0) as i16);
        put(nullable, int(field::NULLABLE)?.unwrap_or(0) as i16);
        truncation_warning(&mut s.diag, written);
        Ok(Status::Success)
    })
}

/// # Safety
/// Output pointers null or valid; `name` valid for `buffer_len` characters.
#[no_mangle]
pub unsafe extern "system" fn SQLGetDescRec(
    desc: Handle,
    record: i16,
    name: *mut u8,
    buffer_len: i16,
    name_len: *mut i16,
    type_: *mut i16,
    subtype: *mut i16,
    length: *mut isize,
    precision: *mut i16,
    scale: *mut i16,
    nullable: *mut i16,
) -> SqlReturn {
    get_desc_rec(
        desc, record, name, buffer_len, name_len, type_, subtype, length, precision, scale,
        nullable,
    )
}

/// # Safety
/// As for SQLGetDescRec, in UTF-16 characters.
#[no_mangle]
pub unsafe extern "system" fn SQLGetDescRecW(
    desc: Handle,
    record: i16,
    name: *mut SqlWChar,
    buffer_len: i16,
    name_len: *mut i16,
    type_: *mut i16,
    subtype: *mut i16,
    length: *mut isize,
    precision: *mut i16,
    scale: *mut i16,
    nullable: *mut i16,
) -> SqlReturn {
    get_desc_rec(
        desc, record, name, buffer_len, name_len, type_, subtype, length, precision, scale,
        nullable,
    )
}

unsafe fn set_desc_field(desc: Handle, record: i16, id: i16, value: *mut c_void) -> SqlReturn {
    with_desc(desc, |d, s| {
        set_field(s, d.kind, record.max(0) as usize, id as u16, value as isize)?;
        Ok(Status::Success)
    })
}

/// # Safety
/// `value` is an integer or pointer per the field.
#[no_mangle]
pub unsafe extern "system" fn SQLSetDescField(
    desc: Handle,
    record: i16,
    field: i16,
    value: *mut c_void,
    _len: i32,
) -> SqlReturn {
    set_desc_field(desc, record, field, value)
}

/// # Safety
/// As for SQLSetDescField.
#[no_mangle]
pub unsafe extern "system" fn SQLSetDescFieldW(
    desc: Handle,
    record: i16,
    field: i16,
    value: *mut c_void,
    _len: i32,
) -> SqlReturn {
    set_desc_field(desc, record, field, value)
}
