//! Every SQLGetInfo information type of ODBC 3.8 (sql.h / sqlext.h), with
//! the C type the specification declares for its answer. The declared type
//! decides how many bytes the boundary writes (2 for SQLUSMALLINT, 4 for
//! SQLUINTEGER, 8 for SQLULEN on 64-bit platforms, a NUL-terminated string
//! for character strings), so it lives next to the number, in one table.

/// The C type the ODBC reference declares for an information type's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeclaredType {
    /// A character string (NUL-terminated, length in bytes).
    CharString,
    /// SQLUSMALLINT: 2 bytes. ODBC 2's SQLSMALLINT-valued conformance
    /// levels (SQL_ODBC_API_CONFORMANCE and friends) are 2 bytes too.
    USmallInt,
    /// SQLUINTEGER: 4 bytes; every bitmask, and ODBC 2's SQLINTEGER masks.
    UInteger,
    /// SQLULEN: pointer-sized; only the SQL_DRIVER_H* handle types.
    ULen,
}

macro_rules! info_types {
    ($( $name:ident = $value:literal => $declared:ident ),* $(,)?) => {
        $(
            #[doc = concat!("Information type ", stringify!($value), "; the value is ",
                            stringify!($declared), ".")]
            pub const $name: u16 = $value;
        )*

        /// Every defined information type, in numeric order, with its
        /// canonical ODBC 3 name and declared C type. Aliases (ODBC 2 names,
        /// `SQL_MAXIMUM_*`) share these numbers and are listed below.
        pub const DEFINED: &[(u16, &str, DeclaredType)] = &[
            $( ($value, stringify!($name), DeclaredType::$declared) ),*
        ];
    };
}

info_types! {
    SQL_MAX_DRIVER_CONNECTIONS = 0 => USmallInt,
    SQL_MAX_CONCURRENT_ACTIVITIES = 1 => USmallInt,
    SQL_DATA_SOURCE_NAME = 2 => CharString,
    SQL_DRIVER_HDBC = 3 => ULen,
    SQL_DRIVER_HENV = 4 => ULen,
    SQL_DRIVER_HSTMT = 5 => ULen,
    SQL_DRIVER_NAME = 6 => CharString,
    SQL_DRIVER_VER = 7 => CharString,
    SQL_FETCH_DIRECTION = 8 => UInteger,
    SQL_ODBC_API_CONFORMANCE = 9 => USmallInt,
    SQL_ODBC_VER = 10 => CharString,
    SQL_ROW_UPDATES = 11 => CharString,
    SQL_ODBC_SAG_CLI_CONFORMANCE = 12 => USmallInt,
    SQL_SERVER_NAME = 13 => CharString,
    SQL_SEARCH_PATTERN_ESCAPE = 14 => CharString,
    SQL_ODBC_SQL_CONFORMANCE = 15 => USmallInt,
    SQL_DATABASE_NAME = 16 => CharString,
    SQL_DBMS_NAME = 17 => CharString,
    SQL_DBMS_VER = 18 => CharString,
    SQL_ACCESSIBLE_TABLES = 19 => CharString,
    SQL_ACCESSIBLE_PROCEDURES = 20 => CharString,
    SQL_PROCEDURES = 21 => CharString,
    SQL_CONCAT_NULL_BEHAVIOR = 22 => USmallInt,
    SQL_CURSOR_COMMIT_BEHAVIOR = 23 => USmallInt,
    SQL_CURSOR_ROLLBACK_BEHAVIOR = 24 => USmallInt,
    SQL_DATA_SOURCE_READ_ONLY = 25 => CharString,
    SQL_DEFAULT_TXN_ISOLATION = 26 => UInteger,
    SQL_EXPRESSIONS_IN_ORDERBY = 27 => CharString,
    SQL_IDENTIFIER_CASE = 28 => USmallInt,
    SQL_IDENTIFIER_QUOTE_CHAR = 29 => CharString,
    SQL_MAX_COLUMN_NAME_LEN = 30 => USmallInt,
    SQL_MAX_CURSOR_NAME_LEN = 31 => USmallInt,
    SQL_MAX_SCHEMA_NAME_LEN = 32 => USmallInt,
    SQL_MAX_PROCEDURE_NAME_LEN = 33 => USmallInt,
    SQL_MAX_CATALOG_NAME_LEN = 34 => USmallInt,
    SQL_MAX_TABLE_NAME_LEN = 35 => USmallInt,
    SQL_MULT_RESULT_SETS = 36 => CharString,
    SQL_MULTIPLE_ACTIVE_TXN = 37 => CharString,
    SQL_OUTER_JOINS = 38 => CharString,
    SQL_SCHEMA_TERM = 39 => CharString,
    SQL_PROCEDURE_TERM = 40 => CharString,
    SQL_CATALOG_NAME_SEPARATOR = 41 => CharString,
    SQL_CATALOG_TERM = 42 => CharString,
    SQL_SCROLL_CONCURRENCY = 43 => UInteger,
    SQL_SCROLL_OPTIONS = 44 => UInteger,
    SQL_TABLE_TERM = 45 => CharString,
    SQL_TXN_CAPABLE = 46 => USmallInt,
    SQL_USER_NAME = 47 => CharString,
    SQL_CONVERT_FUNCTIONS = 48 => UInteger,
    SQL_NUMERIC_FUNCTIONS = 49 => UInteger,
    SQL_STRING_FUNCTIONS = 50 => UInteger,
    SQL_SYSTEM_FUNCTIONS = 51 => UInteger,
    SQL_TIMEDATE_FUNCTIONS = 52 => UInteger,
    SQL_CONVERT_BIGINT = 53 => UInteger,
    SQL_CONVERT_BINARY = 54 => UInteger,
    SQL_CONVERT_BIT = 55 => UInteger,
    SQL_CONVERT_CHAR = 56 => UInteger,
    SQL_CONVERT_DATE = 57 => UInteger,
    SQL_CONVERT_DECIMAL = 58 => UInteger,
    SQL_CONVERT_DOUBLE = 59 => UInteger,
    SQL_CONVERT_FLOAT = 60 => UInteger,
    SQL_CONVERT_INTEGER = 61 => UInteger,
    SQL_CONVERT_LONGVARCHAR = 62 => UInteger,
    SQL_CONVERT_NUMERIC = 63 => UInteger,
    SQL_CONVERT_REAL = 64 => UInteger,
    SQL_CONVERT_SMALLINT = 65 => UInteger,
    SQL_CONVERT_TIME = 66 => UInteger,
    SQL_CONVERT_TIMESTAMP = 67 => UInteger,
    SQL_CONVERT_TINYINT = 68 => UInteger,
    SQL_CONVERT_VARBINARY = 69 => UInteger,
    SQL_CONVERT_VARCHAR = 70 => UInteger,
    SQL_CONVERT_LONGVARBINARY = 71 => UInteger,
    SQL_TXN_ISOLATION_OPTION = 72 => UInteger,
    SQL_INTEGRITY = 73 => CharString,
    SQL_CORRELATION_NAME = 74 => USmallInt,
    SQL_NON_NULLABLE_COLUMNS = 75 => USmallInt,
    SQL_DRIVER_HLIB = 76 => ULen,
    SQL_DRIVER_ODBC_VER = 77 => CharString,
    SQL_LOCK_TYPES = 78 => UInteger,
    SQL_POS_OPERATIONS = 79 => UInteger,
    SQL_POSITIONED_STATEMENTS = 80 => UInteger,
    SQL_GETDATA_EXTENSIONS = 81 => UInteger,
    SQL_BOOKMARK_PERSISTENCE = 82 => UInteger,
    SQL_STATIC_SENSITIVITY = 83 => UInteger,
    SQL_FILE_USAGE = 84 => USmallInt,
    SQL_NULL_COLLATION = 85 => USmallInt,
    SQL_ALTER_TABLE = 86 => UInteger,
    SQL_COLUMN_ALIAS = 87 => CharString,
    SQL_GROUP_BY = 88 => USmallInt,
    SQL_KEYWORDS = 89 => CharString,
    SQL_ORDER_BY_COLUMNS_IN_SELECT = 90 => CharString,
    SQL_SCHEMA_USAGE = 91 => UInteger,
    SQL_CATALOG_USAGE = 92 => UInteger,
    SQL_QUOTED_IDENTIFIER_CASE = 93 => USmallInt,
    SQL_SPECIAL_CHARACTERS = 94 => CharString,
    SQL_SUBQUERIES = 95 => UInteger,
    SQL_UNION = 96 => UInteger,
    SQL_MAX_COLUMNS_IN_GROUP_BY = 97 => USmallInt,
    SQL_MAX_COLUMNS_IN_INDEX = 98 => USmallInt,
    SQL_MAX_COLUMNS_IN_ORDER_BY = 99 => USmallInt,
    SQL_MAX_COLUMNS_IN_SELECT = 100 => USmallInt,
    SQL_MAX_COLUMNS_IN_TABLE = 101 => USmallInt,
    SQL_MAX_INDEX_SIZE = 102 => UInteger,
    SQL_MAX_ROW_SIZE_INCLUDES_LONG = 103 => CharString,
    SQL_MAX_ROW_SIZE = 104 => UInteger,
    SQL_MAX_STATEMENT_LEN = 105 => UInteger,
    SQL_MAX_TABLES_IN_SELECT = 106 => USmallInt,
    SQL_MAX_USER_NAME_LEN = 107 => USmallInt,
    SQL_MAX_CHAR_LITERAL_LEN = 108 => UInteger,
    SQL_TIMEDATE_ADD_INTERVALS = 109 => UInteger,
    SQL_TIMEDATE_DIFF_INTERVALS = 110 => UInteger,
    SQL_NEED_LONG_DATA_LEN = 111 => CharString,
    SQL_MAX_BINARY_LITERAL_LEN = 112 => UInteger,
    SQL_LIKE_ESCAPE_CLAUSE = 113 => CharString,
    SQL_CATALOG_LOCATION = 114 => USmallInt,
    SQL_OJ_CAPABILITIES = 115 => UInteger,
    SQL_ACTIVE_ENVIRONMENTS = 116 => USmallInt,
    SQL_ALTER_DOMAIN = 117 => UInteger,
    SQL_SQL_CONFORMANCE = 118 => UInteger,
    SQL_DATETIME_LITERALS = 119 => UInteger,
    SQL_BATCH_ROW_COUNT = 120 => UInteger,
    SQL_BATCH_SUPPORT = 121 => UInteger,
    SQL_CONVERT_WCHAR = 122 => UInteger,
    SQL_CONVERT_INTERVAL_DAY_TIME = 123 => UInteger,
    SQL_CONVERT_INTERVAL_YEAR_MONTH = 124 => UInteger,
    SQL_CONVERT_WLONGVARCHAR = 125 => UInteger,
    SQL_CONVERT_WVARCHAR = 126 => UInteger,
    SQL_CREATE_ASSERTION = 127 => UInteger,
    SQL_CREATE_CHARACTER_SET = 128 => UInteger,
    SQL_CREATE_COLLATION = 129 => UInteger,
    SQL_CREATE_DOMAIN = 130 => UInteger,
    SQL_CREATE_SCHEMA = 131 => UInteger,
    SQL_CREATE_TABLE = 132 => UInteger,
    SQL_CREATE_TRANSLATION = 133 => UInteger,
    SQL_CREATE_VIEW = 134 => UInteger,
    SQL_DRIVER_HDESC = 135 => ULen,
    SQL_DROP_ASSERTION = 136 => UInteger,
    SQL_DROP_CHARACTER_SET = 137 => UInteger,
    SQL_DROP_COLLATION = 138 => UInteger,
    SQL_DROP_DOMAIN = 139 => UInteger,
    SQL_DROP_SCHEMA = 140 => UInteger,
    SQL_DROP_TABLE = 141 => UInteger,
    SQL_DROP_TRANSLATION = 142 => UInteger,
    SQL_DROP_VIEW = 143 => UInteger,
    SQL_DYNAMIC_CURSOR_ATTRIBUTES1 = 144 => UInteger,
    SQL_DYNAMIC_CURSOR_ATTRIBUTES2 = 145 => UInteger,
    SQL_FORWARD_ONLY_CURSOR_ATTRIBUTES1 = 146 => UInteger,
    SQL_FORWARD_ONLY_CURSOR_ATTRIBUTES2 = 147 => UInteger,
    SQL_INDEX_KEYWORDS = 148 => UInteger,
    SQL_INFO_SCHEMA_VIEWS = 149 => UInteger,
    SQL_KEYSET_CURSOR_ATTRIBUTES1 = 150 => UInteger,
    SQL_KEYSET_CURSOR_ATTRIBUTES2 = 151 => UInteger,
    SQL_ODBC_INTERFACE_CONFORMANCE = 152 => UInteger,
    SQL_PARAM_ARRAY_ROW_COUNTS = 153 => UInteger,
    SQL_PARAM_ARRAY_SELECTS = 154 => UInteger,
    SQL_SQL92_DATETIME_FUNCTIONS = 155 => UInteger,
    SQL_SQL92_FOREIGN_KEY_DELETE_RULE = 156 => UInteger,
    SQL_SQL92_FOREIGN_KEY_UPDATE_RULE = 157 => UInteger,
    SQL_SQL92_GRANT = 158 => UInteger,
    SQL_SQL92_NUMERIC_VALUE_FUNCTIONS = 159 => UInteger,
    SQL_SQL92_PREDICATES = 160 => UInteger,
    SQL_SQL92_RELATIONAL_JOIN_OPERATORS = 161 => UInteger,
    SQL_SQL92_REVOKE = 162 => UInteger,
    SQL_SQL92_ROW_VALUE_CONSTRUCTOR = 163 => UInteger,
    SQL_SQL92_STRING_FUNCTIONS = 164 => UInteger,
    SQL_SQL92_VALUE_EXPRESSIONS = 165 => UInteger,
    SQL_STANDARD_CLI_CONFORMANCE = 166 => UInteger,
    SQL_STATIC_CURSOR_ATTRIBUTES1 = 167 => UInteger,
    SQL_STATIC_CURSOR_ATTRIBUTES2 = 168 => UInteger,
    SQL_AGGREGATE_FUNCTIONS = 169 => UInteger,
    SQL_DDL_INDEX = 170 => UInteger,
    SQL_DM_VER = 171 => CharString,
    SQL_INSERT_STATEMENT = 172 => UInteger,
    SQL_CONVERT_GUID = 173 => UInteger,
    // ODBC 4.0 (Windows SDK sqlext.h), asked by Power Query's ODBC layer.
    SQL_RETURN_ESCAPE_CLAUSE = 180 => UInteger,
    // sqlext.h, ODBC 3.5 (distributed transactions), asked by Power Query.
    SQL_DTC_TRANSITION_COST = 1750 => UInteger,
    SQL_XOPEN_CLI_YEAR = 10000 => CharString,
    SQL_CURSOR_SENSITIVITY = 10001 => UInteger,
    SQL_DESCRIBE_PARAMETER = 10002 => CharString,
    SQL_CATALOG_NAME = 10003 => CharString,
    SQL_COLLATION_SEQ = 10004 => CharString,
    SQL_MAX_IDENTIFIER_LEN = 10005 => USmallInt,
    SQL_ASYNC_MODE = 10021 => UInteger,
    SQL_MAX_ASYNC_CONCURRENT_STATEMENTS = 10022 => UInteger,
    SQL_ASYNC_DBC_FUNCTIONS = 10023 => UInteger,
    SQL_DRIVER_AWARE_POOLING_SUPPORTED = 10024 => UInteger,
    SQL_ASYNC_NOTIFICATION = 10025 => UInteger,
}

// Aliases: other names sql.h / sqlext.h give the same numbers.
pub const SQL_INFO_FIRST: u16 = SQL_MAX_DRIVER_CONNECTIONS;
pub const SQL_ACTIVE_CONNECTIONS: u16 = SQL_MAX_DRIVER_CONNECTIONS;
pub const SQL_MAXIMUM_DRIVER_CONNECTIONS: u16 = SQL_MAX_DRIVER_CONNECTIONS;
pub const SQL_ACTIVE_STATEMENTS: u16 = SQL_MAX_CONCURRENT_ACTIVITIES;
pub const SQL_MAXIMUM_CONCURRENT_ACTIVITIES: u16 = SQL_MAX_CONCURRENT_ACTIVITIES;
pub const SQL_MAXIMUM_COLUMN_NAME_LENGTH: u16 = SQL_MAX_COLUMN_NAME_LEN;
pub const SQL_MAXIMUM_CURSOR_NAME_LENGTH: u16 = SQL_MAX_CURSOR_NAME_LEN;
pub const SQL_MAX_OWNER_NAME_LEN: u16 = SQL_MAX_SCHEMA_NAME_LEN;
pub const SQL_MAXIMUM_SCHEMA_NAME_LENGTH: u16 = SQL_MAX_SCHEMA_NAME_LEN;
pub const SQL_MAX_QUALIFIER_NAME_LEN: u16 = SQL_MAX_CATALOG_NAME_LEN;
pub const SQL_MAXIMUM_CATALOG_NAME_LENGTH: u16 = SQL_MAX_CATALOG_NAME_LEN;
pub const SQL_OWNER_TERM: u16 = SQL_SCHEMA_TERM;
pub const SQL_QUALIFIER_NAME_SEPARATOR: u16 = SQL_CATALOG_NAME_SEPARATOR;
pub const SQL_QUALIFIER_TERM: u16 = SQL_CATALOG_TERM;
pub const SQL_TRANSACTION_CAPABLE: u16 = SQL_TXN_CAPABLE;
pub const SQL_TRANSACTION_ISOLATION_OPTION: u16 = SQL_TXN_ISOLATION_OPTION;
pub const SQL_ODBC_SQL_OPT_IEF: u16 = SQL_INTEGRITY;
pub const SQL_OWNER_USAGE: u16 = SQL_SCHEMA_USAGE;
pub const SQL_QUALIFIER_USAGE: u16 = SQL_CATALOG_USAGE;
pub const SQL_UNION_STATEMENT: u16 = SQL_UNION;
pub const SQL_MAXIMUM_COLUMNS_IN_GROUP_BY: u16 = SQL_MAX_COLUMNS_IN_GROUP_BY;
pub const SQL_MAXIMUM_COLUMNS_IN_INDEX: u16 = SQL_MAX_COLUMNS_IN_INDEX;
pub const SQL_MAXIMUM_COLUMNS_IN_ORDER_BY: u16 = SQL_MAX_COLUMNS_IN_ORDER_BY;
pub const SQL_MAXIMUM_COLUMNS_IN_SELECT: u16 = SQL_MAX_COLUMNS_IN_SELECT;
pub const SQL_MAXIMUM_INDEX_SIZE: u16 = SQL_MAX_INDEX_SIZE;
pub const SQL_MAXIMUM_ROW_SIZE: u16 = SQL_MAX_ROW_SIZE;
pub const SQL_MAXIMUM_STATEMENT_LENGTH: u16 = SQL_MAX_STATEMENT_LEN;
pub const SQL_MAXIMUM_TABLES_IN_SELECT: u16 = SQL_MAX_TABLES_IN_SELECT;
pub const SQL_MAXIMUM_USER_NAME_LENGTH: u16 = SQL_MAX_USER_NAME_LEN;
pub const SQL_QUALIFIER_LOCATION: u16 = SQL_CATALOG_LOCATION;
pub const SQL_OUTER_JOIN_CAPABILITIES: u16 = SQL_OJ_CAPABILITIES;
pub const SQL_MAXIMUM_IDENTIFIER_LENGTH: u16 = SQL_MAX_IDENTIFIER_LEN;

/// The declared C type of a defined information type; `None` when the
/// number is not a defined information type (the boundary reports HY096).
pub fn declared_type(info_type: u16) -> Option<DeclaredType> {
    entry(info_type).map(|&(_, _, declared)| declared)
}

/// The canonical ODBC 3 name of a defined information type, for tracing.
pub fn name(info_type: u16) -> Option<&'static str> {
    entry(info_type).map(|&(_, name, _)| name)
}

fn entry(info_type: u16) -> Option<&'static (u16, &'static str, DeclaredType)> {
    DEFINED.iter().find(|(number, _, _)| *number == info_type)
}
