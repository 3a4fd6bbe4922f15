//! Descriptor handles: the implicit ARD, APD, IRD and IPD of a statement,
//! viewed field by field (SQLGetDescField, SQLGetDescRec, SQLSetDescField).
//! Their records live in the statement (bindings and result columns), so a
//! descriptor never disagrees with SQLBindCol or SQLDescribeCol.

use super::statement::{AttrValue, Stmt};
use super::HandleToken;
use crate::diag::{DiagArea, OdbcError, Result, SqlState};
use crate::types::DataType;
use parking_lot::Mutex;

/// Descriptor field identifiers (sql.h), also used by SQLColAttribute.
pub mod field {
    pub const COUNT: u16 = 1001;
    pub const TYPE: u16 = 1002;
    pub const LENGTH: u16 = 1003;
    pub const OCTET_LENGTH_PTR: u16 = 1004;
    pub const PRECISION: u16 = 1005;
    pub const SCALE: u16 = 1006;
    pub const DATETIME_INTERVAL_CODE: u16 = 1007;
    pub const NULLABLE: u16 = 1008;
    pub const INDICATOR_PTR: u16 = 1009;
    pub const DATA_PTR: u16 = 1010;
    pub const NAME: u16 = 1011;
    pub const UNNAMED: u16 = 1012;
    pub const OCTET_LENGTH: u16 = 1013;
    pub const ALLOC_TYPE: u16 = 1099;
    pub const ARRAY_SIZE: u16 = 20;
    pub const ARRAY_STATUS_PTR: u16 = 21;
    pub const AUTO_UNIQUE_VALUE: u16 = 11;
    pub const BASE_COLUMN_NAME: u16 = 22;
    pub const BASE_TABLE_NAME: u16 = 23;
    pub const BIND_OFFSET_PTR: u16 = 24;
    pub const BIND_TYPE: u16 = 25;
    pub const CASE_SENSITIVE: u16 = 12;
    pub const CATALOG_NAME: u16 = 17;
    pub const CONCISE_TYPE: u16 = 2;
    pub const DATETIME_INTERVAL_PRECISION: u16 = 26;
    pub const DISPLAY_SIZE: u16 = 6;
    pub const FIXED_PREC_SCALE: u16 = 9;
    pub const LABEL: u16 = 18;
    pub const LITERAL_PREFIX: u16 = 27;
    pub const LITERAL_SUFFIX: u16 = 28;
    pub const LOCAL_TYPE_NAME: u16 = 29;
    pub const MAXIMUM_SCALE: u16 = 30;
    pub const MINIMUM_SCALE: u16 = 31;
    pub const NUM_PREC_RADIX: u16 = 32;
    pub const PARAMETER_TYPE: u16 = 33;
    pub const ROWS_PROCESSED_PTR: u16 = 34;
    pub const ROWVER: u16 = 35;
    pub const SCHEMA_NAME: u16 = 16;
    pub const SEARCHABLE: u16 = 13;
    pub const TYPE_NAME: u16 = 14;
    pub const TABLE_NAME: u16 = 15;
    pub const UNSIGNED: u16 = 8;
    pub const UPDATABLE: u16 = 10;
    // ODBC 2 SQLColAttributes identifiers, mapped by some driver managers.
    pub const ODBC2_COLUMN_COUNT: u16 = 0;
    pub const ODBC2_COLUMN_NAME: u16 = 1;
    pub const ODBC2_COLUMN_TYPE: u16 = 2;
    pub const ODBC2_COLUMN_LENGTH: u16 = 3;
    pub const ODBC2_COLUMN_PRECISION: u16 = 4;
    pub const ODBC2_COLUMN_SCALE: u16 = 5;
    pub const ODBC2_COLUMN_NULLABLE: u16 = 7;

    /// Fields whose values are strings.
    pub fn is_string(id: u16) -> bool {
        matches!(
            id,
            NAME | BASE_COLUMN_NAME
                | BASE_TABLE_NAME
                | CATALOG_NAME
                | LABEL
                | LITERAL_PREFIX
                | LITERAL_SUFFIX
                | LOCAL_TYPE_NAME
                | SCHEMA_NAME
                | TYPE_NAME
                | TABLE_NAME
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DescKind {
    AppRow,
    AppParam,
    ImpRow,
    ImpParam,
}

pub struct DescHandle {
    pub token: HandleToken,
    pub stmt: HandleToken,
    pub kind: DescKind,
    pub diag: Mutex<DiagArea>,
}

const SQL_DESC_ALLOC_AUTO: i64 = 1;

fn bad_field(id: u16) -> OdbcError {
    OdbcError::new(
        SqlState::InvalidDescriptorFieldIdentifier,
        format!("Invalid descriptor field identifier {id}"),
    )
}

/// Reads one field of a descriptor of `stmt`; `None` (SQL_NO_DATA) for a
/// record beyond the descriptor's count.
pub fn get_field(stmt: &Stmt, kind: DescKind, record: usize, id: u16) -> Result<Option<AttrValue>> {
    use field as f;
    let a = &stmt.attrs;
    // Header fields.
    match (kind, id) {
        (_, f::ALLOC_TYPE) => return Ok(Some(AttrValue::Int(SQL_DESC_ALLOC_AUTO))),
        (DescKind::AppRow, f::ARRAY_SIZE) => {
            return Ok(Some(AttrValue::Int(a.row_array_size as i64)))
        }
        (DescKind::AppParam, f::ARRAY_SIZE) => {
            return Ok(Some(AttrValue::Int(a.paramset_size as i64)))
        }
        (DescKind::AppRow, f::BIND_TYPE) => {
            return Ok(Some(AttrValue::Int(a.row_bind_type as i64)))
        }
        (DescKind::AppParam, f::BIND_TYPE) => {
            return Ok(Some(AttrValue::Int(a.param_bind_type as i64)))
        }
        (DescKind::AppRow, f::BIND_OFFSET_PTR) => {
            return Ok(Some(AttrValue::Int(a.row_bind_offset_ptr as i64)))
        }
        (DescKind::AppParam, f::BIND_OFFSET_PTR) => {
            return Ok(Some(AttrValue::Int(a.param_bind_offset_ptr as i64)))
        }
        (DescKind::AppRow, f::ARRAY_STATUS_PTR) => {
            return Ok(Some(AttrValue::Int(a.row_operation_ptr as i64)))
        }
        (DescKind::AppParam, f::ARRAY_STATUS_PTR) => {
            return Ok(Some(AttrValue::Int(a.param_operation_ptr as i64)))
        }
        (DescKind::ImpRow, f::ARRAY_STATUS_PTR) => {
            return Ok(Some(AttrValue::Int(a.row_status_ptr as i64)))
        }
        (DescKind::ImpParam, f::ARRAY_STATUS_PTR) => {
            return Ok(Some(AttrValue::Int(a.param_status_ptr as i64)))
        }
        (DescKind::ImpRow, f::ROWS_PROCESSED_PTR) => {
            return Ok(Some(AttrValue::Int(a.rows_fetched_ptr as i64)))
        }
        (DescKind::ImpParam, f::ROWS_PROCESSED_PTR) => {
            return Ok(Some(AttrValue::Int(a.params_processed_ptr as i64)))
        }
        (DescKind::AppRow, f::COUNT) => {
            return Ok(Some(AttrValue::Int(
                stmt.column_bindings
                    .iter()
                    .rposition(|b| b.is_some())
                    .unwrap_or(0) as i64,
            )))
        }
        (DescKind::AppParam | DescKind::ImpParam, f::COUNT) => {
            return Ok(Some(AttrValue::Int(
                stmt.param_bindings
                    .iter()
                    .rposition(|b| b.is_some())
                    .map_or(0, |i| i + 1) as i64,
            )))
        }
        (DescKind::ImpRow, f::COUNT) => {
            return Ok(Some(AttrValue::Int(stmt.result_columns.len() as i64)))
        }
        _ => {}
    }
    if record == 0 {
        return Err(OdbcError::new(
            SqlState::InvalidDescriptorIndex,
            "Record 0 (bookmarks) is not supported",
        ));
    }
    match kind {
        DescKind::ImpRow => {
            if record > stmt.result_columns.len() {
                return Ok(None);
            }
            stmt.column_attribute(record, id).map(Some)
        }
        DescKind::AppRow => {
            let Some(b) = stmt.column_bindings.get(record).copied().flatten() else {
                return Ok(None);
            };
            Ok(Some(match id {
                f::TYPE | f::CONCISE_TYPE => AttrValue::Int(b.c_type.into()),
                f::DATA_PTR => AttrValue::Int(b.target as i64),
                f::INDICATOR_PTR => AttrValue::Int(b.indicator as i64),
                f::OCTET_LENGTH_PTR => AttrValue::Int(b.octet_length as i64),
                f::OCTET_LENGTH | f::LENGTH => AttrValue::Int(b.buffer_len as i64),
                f::PRECISION => AttrValue::Int(b.precision.into()),
                f::SCALE => AttrValue::Int(b.scale.into()),
                f::DATETIME_INTERVAL_CODE => AttrValue::Int(0),
                other => return Err(bad_field(other)),
            }))
        }
        DescKind::AppParam | DescKind::ImpParam => {
            let Some(b) = stmt.param_bindings.get(record - 1).copied().flatten() else {
                return Ok(None);
            };
            let sql = DataType::from_sql_type(b.sql_type).unwrap_or(DataType::WVarchar(4000));
            Ok(Some(match (kind, id) {
                (DescKind::AppParam, f::TYPE | f::CONCISE_TYPE) => AttrValue::Int(b.c_type.into()),
                (DescKind::AppParam, f::DATA_PTR) => AttrValue::Int(b.value as i64),
                (DescKind::AppParam, f::INDICATOR_PTR | f::OCTET_LENGTH_PTR) => {
                    AttrValue::Int(b.indicator as i64)
                }
                (DescKind::AppParam, f::OCTET_LENGTH) => AttrValue::Int(b.buffer_len as i64),
                (DescKind::ImpParam, f::CONCISE_TYPE) => AttrValue::Int(b.sql_type.into()),
                (DescKind::ImpParam, f::TYPE) => AttrValue::Int(sql.verbose_type().into()),
                (DescKind::ImpParam, f::LENGTH) => AttrValue::Int(b.column_size as i64),
                (DescKind::ImpParam, f::PRECISION) => AttrValue::Int(b.column_size as i64),
                (DescKind::ImpParam, f::SCALE) => AttrValue::Int(b.decimal_digits.into()),
                (DescKind::ImpParam, f::PARAMETER_TYPE) => AttrValue::Int(b.io_type.into()),
                (DescKind::ImpParam, f::NULLABLE) => AttrValue::Int(1),
                (DescKind::ImpParam, f::TYPE_NAME) => AttrValue::Str(sql.type_name().into()),
                (DescKind::ImpParam, f::NAME) => AttrValue::Str(String::new()),
                (DescKind::ImpParam, f::UNNAMED) => AttrValue::Int(1),
                (_, other) => return Err(bad_field(other)),
            }))
        }
    }
}

/// Sets one field; the IRD is read-only (HY016).
pub fn set_field(
    stmt: &mut Stmt,
    kind: DescKind,
    record: usize,
    id: u16,
    value: isize,
) -> Result<()> {
    use field as f;
    if kind == DescKind::ImpRow {
        return Err(OdbcError::new(
            SqlState::CannotModifyIrd,
            "The implementation row descriptor cannot be modified",
        ));
    }
    let v = value as usize;
    let a = &mut stmt.attrs;
    match (kind, id) {
        (DescKind::AppRow, f::ARRAY_SIZE) => a.row_array_size = v.max(1),
        (DescKind::AppParam, f::ARRAY_SIZE) => a.paramset_size = v.max(1),
        (DescKind::AppRow, f::BIND_TYPE) => a.row_bind_type = v,
        (DescKind::AppParam, f::BIND_TYPE) => a.param_bind_type = v,
        (DescKind::AppRow, f::BIND_OFFSET_PTR) => a.row_bind_offset_ptr = v,
        (DescKind::AppParam, f::BIND_OFFSET_PTR) => a.param_bind_offset_ptr = v,
        (DescKind::AppRow, f::ARRAY_STATUS_PTR) => a.row_operation_ptr = v,
        (DescKind::AppParam, f::ARRAY_STATUS_PTR) => a.param_operation_ptr = v,
        (DescKind::ImpParam, f::ARRAY_STATUS_PTR) => a.param_status_ptr = v,
        (DescKind::ImpParam, f::ROWS_PROCESSED_PTR) => a.params_processed_ptr = v,
        (DescKind::AppRow, _) if record >= 1 => {
            if stmt.column_bindings.len() <= record {
                stmt.column_bindings.resize(record + 1, None);
            }
            let slot = stmt.column_bindings[record].get_or_insert(super::bindings::ColumnBinding {
                c_type: crate::convert::c_types::DEFAULT,
                target: 0,
                buffer_len: 0,
                indicator: 0,
                octet_length: 0,
                precision: 0,
                scale: 0,
            });
            match id {
                f::TYPE | f::CONCISE_TYPE => slot.c_type = value as i16,
                f::DATA_PTR => slot.target = v,
                f::INDICATOR_PTR => slot.indicator = v,
                f::OCTET_LENGTH_PTR => slot.octet_length = v,
                f::OCTET_LENGTH | f::LENGTH => slot.buffer_len = value,
                f::PRECISION => slot.precision = value as i16,
                f::SCALE => slot.scale = value as i16,
                other => return Err(bad_field(other)),
            }
        }
        (_, other) => return Err(bad_field(other)),
    }
    Ok(())
}
