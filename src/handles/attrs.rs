//! Attribute identifiers and values (sql.h / sqlext.h) for environments,
//! connections and statements.

pub mod env {
    pub const ODBC_VERSION: i32 = 200;
    pub const CONNECTION_POOLING: i32 = 201;
    pub const CP_MATCH: i32 = 202;
    pub const OUTPUT_NTS: i32 = 10001;
}

pub mod conn {
    pub const ASYNC_ENABLE: i32 = 4;
    pub const ACCESS_MODE: i32 = 101;
    pub const AUTOCOMMIT: i32 = 102;
    pub const LOGIN_TIMEOUT: i32 = 103;
    pub const TRACE: i32 = 104;
    pub const TRACEFILE: i32 = 105;
    pub const TRANSLATE_LIB: i32 = 106;
    pub const TRANSLATE_OPTION: i32 = 107;
    pub const TXN_ISOLATION: i32 = 108;
    pub const CURRENT_CATALOG: i32 = 109;
    pub const ODBC_CURSORS: i32 = 110;
    pub const QUIET_MODE: i32 = 111;
    pub const PACKET_SIZE: i32 = 112;
    pub const CONNECTION_TIMEOUT: i32 = 113;
    pub const DISCONNECT_BEHAVIOR: i32 = 114;
    pub const ANSI_APP: i32 = 115;
    pub const RESET_CONNECTION: i32 = 116;
    pub const ASYNC_DBC_FUNCTIONS_ENABLE: i32 = 117;
    pub const ENLIST_IN_DTC: i32 = 1207;
    pub const ENLIST_IN_XA: i32 = 1208;
    pub const CONNECTION_DEAD: i32 = 1209;
    pub const AUTO_IPD: i32 = 10001;
    pub const METADATA_ID: i32 = 10014;

    /// Attributes whose values are strings (the rest are integers).
    pub fn is_string(attr: i32) -> bool {
        matches!(attr, TRACEFILE | TRANSLATE_LIB | CURRENT_CATALOG)
    }
}

pub mod stmt {
    pub const QUERY_TIMEOUT: i32 = 0;
    pub const MAX_ROWS: i32 = 1;
    pub const NOSCAN: i32 = 2;
    pub const MAX_LENGTH: i32 = 3;
    pub const ASYNC_ENABLE: i32 = 4;
    pub const ROW_BIND_TYPE: i32 = 5;
    pub const CURSOR_TYPE: i32 = 6;
    pub const CONCURRENCY: i32 = 7;
    pub const KEYSET_SIZE: i32 = 8;
    pub const ROWSET_SIZE: i32 = 9;
    pub const SIMULATE_CURSOR: i32 = 10;
    pub const RETRIEVE_DATA: i32 = 11;
    pub const USE_BOOKMARKS: i32 = 12;
    pub const GET_BOOKMARK: i32 = 13;
    pub const ROW_NUMBER: i32 = 14;
    pub const ENABLE_AUTO_IPD: i32 = 15;
    pub const FETCH_BOOKMARK_PTR: i32 = 16;
    pub const PARAM_BIND_OFFSET_PTR: i32 = 17;
    pub const PARAM_BIND_TYPE: i32 = 18;
    pub const PARAM_OPERATION_PTR: i32 = 19;
    pub const PARAM_STATUS_PTR: i32 = 20;
    pub const PARAMS_PROCESSED_PTR: i32 = 21;
    pub const PARAMSET_SIZE: i32 = 22;
    pub const ROW_BIND_OFFSET_PTR: i32 = 23;
    pub const ROW_OPERATION_PTR: i32 = 24;
    pub const ROW_STATUS_PTR: i32 = 25;
    pub const ROWS_FETCHED_PTR: i32 = 26;
    pub const ROW_ARRAY_SIZE: i32 = 27;
    pub const APP_ROW_DESC: i32 = 10010;
    pub const APP_PARAM_DESC: i32 = 10011;
    pub const IMP_ROW_DESC: i32 = 10012;
    pub const IMP_PARAM_DESC: i32 = 10013;
    pub const METADATA_ID: i32 = 10014;
    pub const CURSOR_SCROLLABLE: i32 = -1;
    pub const CURSOR_SENSITIVITY: i32 = -2;

    pub const CURSOR_FORWARD_ONLY: usize = 0;
    pub const CONCUR_READ_ONLY: usize = 1;
    pub const NONSCROLLABLE: usize = 0;
    pub const INSENSITIVE: usize = 1;
    pub const UNSPECIFIED: usize = 0;
}

pub const SQL_TRUE: usize = 1;
pub const SQL_FALSE: usize = 0;
