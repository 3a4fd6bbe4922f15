//! SQLGetFunctions: the one list of ODBC functions this library exports.
//! A test checks it against the shared library's dynamic symbol table.

use super::*;

/// (SQL_API_* id, exported name) for every function the library exports.
pub const EXPORTED: &[(u16, &str)] = &[
    (1001, "SQLAllocHandle"),
    (4, "SQLBindCol"),
    (72, "SQLBindParameter"),
    (5, "SQLCancel"),
    (1003, "SQLCloseCursor"),
    (6, "SQLColAttribute"),
    (40, "SQLColumns"),
    (7, "SQLConnect"),
    (8, "SQLDescribeCol"),
    (58, "SQLDescribeParam"),
    (9, "SQLDisconnect"),
    (41, "SQLDriverConnect"),
    (1005, "SQLEndTran"),
    (11, "SQLExecDirect"),
    (12, "SQLExecute"),
    (13, "SQLFetch"),
    (1021, "SQLFetchScroll"),
    (60, "SQLForeignKeys"),
    (1006, "SQLFreeHandle"),
    (16, "SQLFreeStmt"),
    (1007, "SQLGetConnectAttr"),
    (17, "SQLGetCursorName"),
    (43, "SQLGetData"),
    (1008, "SQLGetDescField"),
    (1009, "SQLGetDescRec"),
    (1010, "SQLGetDiagField"),
    (1011, "SQLGetDiagRec"),
    (1012, "SQLGetEnvAttr"),
    (44, "SQLGetFunctions"),
    (45, "SQLGetInfo"),
    (1014, "SQLGetStmtAttr"),
    (47, "SQLGetTypeInfo"),
    (61, "SQLMoreResults"),
    (62, "SQLNativeSql"),
    (63, "SQLNumParams"),
    (18, "SQLNumResultCols"),
    (19, "SQLPrepare"),
    (65, "SQLPrimaryKeys"),
    (66, "SQLProcedureColumns"),
    (67, "SQLProcedures"),
    (20, "SQLRowCount"),
    (1016, "SQLSetConnectAttr"),
    (21, "SQLSetCursorName"),
    (1017, "SQLSetDescField"),
    (1019, "SQLSetEnvAttr"),
    (1020, "SQLSetStmtAttr"),
    (52, "SQLSpecialColumns"),
    (53, "SQLStatistics"),
    (54, "SQLTables"),
];

/// The setup entry points of the Windows DLL (ConfigDSN, ConfigDriver and
/// their `W` forms), which the installer, not the driver manager, calls.
pub const SETUP_EXPORTS: &[&str] = &["ConfigDSN", "ConfigDSNW", "ConfigDriver", "ConfigDriverW"];

/// Functions that also have a `W` (UTF-16) export.
pub const WIDE: &[&str] = &[
    "SQLColAttribute",
    "SQLColumns",
    "SQLConnect",
    "SQLDescribeCol",
    "SQLDriverConnect",
    "SQLExecDirect",
    "SQLForeignKeys",
    "SQLGetConnectAttr",
    "SQLGetCursorName",
    "SQLGetDescField",
    "SQLGetDescRec",
    "SQLGetDiagField",
    "SQLGetDiagRec",
    "SQLGetInfo",
    "SQLGetStmtAttr",
    "SQLGetTypeInfo",
    "SQLNativeSql",
    "SQLPrepare",
    "SQLPrimaryKeys",
    "SQLProcedureColumns",
    "SQLProcedures",
    "SQLSetConnectAttr",
    "SQLSetCursorName",
    "SQLSetDescField",
    "SQLSetStmtAttr",
    "SQLSpecialColumns",
    "SQLStatistics",
    "SQLTables",
];

const SQL_API_ALL_FUNCTIONS: u16 = 0;
const SQL_API_ODBC3_ALL_FUNCTIONS: u16 = 999;
const SQL_API_ODBC3_ALL_FUNCTIONS_SIZE: usize = 250;

pub fn is_exported(id: u16) -> bool {
    EXPORTED.iter().any(|(f, _)| *f == id)
}

/// # Safety
/// `supported` must hold 250 SQLUSMALLINTs for SQL_API_ODBC3_ALL_FUNCTIONS,
/// 100 for SQL_API_ALL_FUNCTIONS, else one.
#[no_mangle]
pub unsafe extern "system" fn SQLGetFunctions(
    conn: Handle,
    function: u16,
    supported: *mut u16,
) -> SqlReturn {
    with_conn(conn, |_, _| {
        if supported.is_null() {
            return Err(OdbcError::new(
                SqlState::InvalidNullPointer,
                "SupportedPtr is a null pointer",
            ));
        }
        match function {
            SQL_API_ODBC3_ALL_FUNCTIONS => {
                let bitmap =
                    std::slice::from_raw_parts_mut(supported, SQL_API_ODBC3_ALL_FUNCTIONS_SIZE);
                bitmap.fill(0);
                for (id, _) in EXPORTED {
                    let i = usize::from(*id);
                    bitmap[i >> 4] |= 1 << (i & 0xF);
                }
            }
            SQL_API_ALL_FUNCTIONS => {
                let flags = std::slice::from_raw_parts_mut(supported, 100);
                for (i, flag) in flags.iter_mut().enumerate() {
                    *flag = u16::from(is_exported(i as u16));
                }
            }
            id => put(supported, u16::from(is_exported(id))),
        }
        Ok(Status::Success)
    })
}
