//! SQLGetInfo: the driver's answer for every information type ODBC 3.8
//! defines (plus 180 SQL_RETURN_ESCAPE_CLAUSE and 1750
//! SQL_DTC_TRANSITION_COST, which Power Query asks and fails without).
//!
//! # Value widths
//!
//! The boundary writes each answer with the C type the ODBC reference
//! declares for it, which is what [`InfoValue`]'s variant says
//! ([`info_type::declared_type`] gives it for any number):
//!
//! - **Character strings** ([`InfoValue::Str`]): SQL_ACCESSIBLE_PROCEDURES,
//!   SQL_ACCESSIBLE_TABLES, SQL_CATALOG_NAME, SQL_CATALOG_NAME_SEPARATOR,
//!   SQL_CATALOG_TERM, SQL_COLLATION_SEQ, SQL_COLUMN_ALIAS,
//!   SQL_DATA_SOURCE_NAME, SQL_DATA_SOURCE_READ_ONLY, SQL_DATABASE_NAME,
//!   SQL_DBMS_NAME, SQL_DBMS_VER, SQL_DESCRIBE_PARAMETER, SQL_DM_VER,
//!   SQL_DRIVER_NAME, SQL_DRIVER_ODBC_VER, SQL_DRIVER_VER,
//!   SQL_EXPRESSIONS_IN_ORDERBY, SQL_IDENTIFIER_QUOTE_CHAR, SQL_INTEGRITY,
//!   SQL_KEYWORDS, SQL_LIKE_ESCAPE_CLAUSE, SQL_MAX_ROW_SIZE_INCLUDES_LONG,
//!   SQL_MULT_RESULT_SETS, SQL_MULTIPLE_ACTIVE_TXN, SQL_NEED_LONG_DATA_LEN,
//!   SQL_ODBC_VER, SQL_ORDER_BY_COLUMNS_IN_SELECT, SQL_OUTER_JOINS,
//!   SQL_PROCEDURE_TERM, SQL_PROCEDURES, SQL_ROW_UPDATES, SQL_SCHEMA_TERM,
//!   SQL_SEARCH_PATTERN_ESCAPE, SQL_SERVER_NAME, SQL_SPECIAL_CHARACTERS,
//!   SQL_TABLE_TERM, SQL_USER_NAME, SQL_XOPEN_CLI_YEAR. Yes/no answers are
//!   "Y" or "N".
//! - **SQLUSMALLINT, 2 bytes** ([`InfoValue::U16`]): SQL_ACTIVE_ENVIRONMENTS,
//!   SQL_CATALOG_LOCATION, SQL_CONCAT_NULL_BEHAVIOR, SQL_CORRELATION_NAME,
//!   SQL_CURSOR_COMMIT_BEHAVIOR, SQL_CURSOR_ROLLBACK_BEHAVIOR,
//!   SQL_FILE_USAGE, SQL_GROUP_BY, SQL_IDENTIFIER_CASE,
//!   SQL_MAX_CATALOG_NAME_LEN, SQL_MAX_COLUMN_NAME_LEN,
//!   SQL_MAX_COLUMNS_IN_GROUP_BY / _INDEX / _ORDER_BY / _SELECT / _TABLE,
//!   SQL_MAX_CONCURRENT_ACTIVITIES, SQL_MAX_CURSOR_NAME_LEN,
//!   SQL_MAX_DRIVER_CONNECTIONS, SQL_MAX_IDENTIFIER_LEN,
//!   SQL_MAX_PROCEDURE_NAME_LEN, SQL_MAX_SCHEMA_NAME_LEN,
//!   SQL_MAX_TABLE_NAME_LEN, SQL_MAX_TABLES_IN_SELECT,
//!   SQL_MAX_USER_NAME_LEN, SQL_NON_NULLABLE_COLUMNS, SQL_NULL_COLLATION,
//!   SQL_QUOTED_IDENTIFIER_CASE, SQL_TXN_CAPABLE, and ODBC 2's
//!   SQL_ODBC_API_CONFORMANCE, SQL_ODBC_SAG_CLI_CONFORMANCE,
//!   SQL_ODBC_SQL_CONFORMANCE (declared SQLSMALLINT, also 2 bytes).
//! - **SQLUINTEGER, 4 bytes** ([`InfoValue::U32`]): everything else, that is
//!   every bitmask (SQL_CONVERT_*, SQL_*_FUNCTIONS, SQL_*_CURSOR_ATTRIBUTES*,
//!   SQL_SQL92_*, SQL_CREATE_* / SQL_DROP_*, SQL_GETDATA_EXTENSIONS,
//!   SQL_OJ_CAPABILITIES, SQL_FETCH_DIRECTION, SQL_SCROLL_OPTIONS, ...) and
//!   SQL_DEFAULT_TXN_ISOLATION, SQL_TXN_ISOLATION_OPTION, SQL_MAX_ROW_SIZE,
//!   SQL_MAX_STATEMENT_LEN, SQL_MAX_INDEX_SIZE, SQL_MAX_CHAR_LITERAL_LEN,
//!   SQL_MAX_BINARY_LITERAL_LEN, SQL_MAX_ASYNC_CONCURRENT_STATEMENTS,
//!   SQL_ASYNC_MODE, SQL_ASYNC_DBC_FUNCTIONS, SQL_ASYNC_NOTIFICATION,
//!   SQL_DRIVER_AWARE_POOLING_SUPPORTED, SQL_CURSOR_SENSITIVITY,
//!   SQL_SQL_CONFORMANCE, SQL_ODBC_INTERFACE_CONFORMANCE,
//!   SQL_STANDARD_CLI_CONFORMANCE, SQL_PARAM_ARRAY_ROW_COUNTS,
//!   SQL_PARAM_ARRAY_SELECTS, SQL_BATCH_ROW_COUNT, SQL_BATCH_SUPPORT,
//!   SQL_DTC_TRANSITION_COST, SQL_RETURN_ESCAPE_CLAUSE.
//! - **SQLULEN, pointer-sized**: SQL_DRIVER_HDBC, SQL_DRIVER_HENV,
//!   SQL_DRIVER_HSTMT, SQL_DRIVER_HDESC, SQL_DRIVER_HLIB. Only the boundary
//!   knows the handles, so [`get_info`] returns `None` for them and
//!   [`is_handle_info`] names them.

mod answers;
mod conversions;
pub mod info_type;
pub mod masks;

#[cfg(test)]
mod tests;

pub use answers::{DBMS_NAME, DRIVER_ODBC_VERSION, DRIVER_VERSION, ODBC_VERSION};
pub use info_type::DeclaredType;

/// An SQLGetInfo answer, typed as the specification declares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InfoValue {
    /// A character string.
    Str(String),
    /// SQLUSMALLINT (2 bytes).
    U16(u16),
    /// SQLUINTEGER (4 bytes): bitmasks and 32-bit values.
    U32(u32),
    /// SQLINTEGER (4 bytes, signed). No ODBC 3.8 information type is declared
    /// with it; present so every integer width has a variant.
    I32(i32),
    /// SQLULEN (8 bytes on 64-bit platforms): the handle types, which the
    /// boundary answers itself.
    ULen(u64),
}

impl InfoValue {
    /// The declared C type this value is written as; `None` for `I32`,
    /// which no information type uses.
    pub fn declared_type(&self) -> Option<DeclaredType> {
        match self {
            InfoValue::Str(_) => Some(DeclaredType::CharString),
            InfoValue::U16(_) => Some(DeclaredType::USmallInt),
            InfoValue::U32(_) => Some(DeclaredType::UInteger),
            InfoValue::I32(_) => None,
            InfoValue::ULen(_) => Some(DeclaredType::ULen),
        }
    }
}

/// What SQLGetInfo needs to know about the connection it is asked on.
#[derive(Debug, Clone, Copy)]
pub struct InfoContext<'a> {
    /// The DSN connected with; empty when connected by DRIVER= alone.
    pub data_source_name: &'a str,
    /// The Pipedrive user the connection acts as (never a credential).
    pub user_name: &'a str,
    /// The API host (SQL_SERVER_NAME).
    pub server_name: &'a str,
    /// The company domain (SQL_DATABASE_NAME).
    pub database_name: &'a str,
    pub dbms_version: &'a str,
    /// The driver library's file name (SQL_DRIVER_NAME).
    pub driver_file_name: &'a str,
    /// Whether the connection is open; server, database, user and DBMS
    /// version are reported as empty strings while it is not.
    pub connected: bool,
}

/// The answer to SQLGetInfo(`info_type`). `None` means the boundary must
/// answer instead: HY096 for an undefined information type, the handle
/// itself for [`is_handle_info`] types, and the driver manager's version
/// for [`is_driver_manager_info`] types.
pub fn get_info(info_type: u16, ctx: &InfoContext) -> Option<InfoValue> {
    if is_handle_info(info_type) || is_driver_manager_info(info_type) {
        return None;
    }
    answers::answer(info_type, ctx)
}

/// SQL_DRIVER_HDBC / HENV / HSTMT / HDESC / HLIB: answered by the boundary
/// with the driver's own handle (SQLULEN).
pub fn is_handle_info(info_type: u16) -> bool {
    use info_type::*;
    matches!(
        info_type,
        SQL_DRIVER_HDBC | SQL_DRIVER_HENV | SQL_DRIVER_HSTMT | SQL_DRIVER_HDESC | SQL_DRIVER_HLIB
    )
}

/// SQL_DM_VER: the driver manager answers it without calling the driver;
/// a driver cannot know the manager's version.
pub fn is_driver_manager_info(info_type: u16) -> bool {
    info_type == info_type::SQL_DM_VER
}
