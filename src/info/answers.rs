//! What this driver answers for each information type: a read-mostly,
//! autocommit-only view of the Pipedrive API with forward-only, read-only
//! cursors, no catalogs or schemas, and the SQL dialect the `sql` module
//! implements. Answers describe what the driver does today, not plans.

use super::conversions::conversion_targets;
use super::info_type::*;
use super::masks::*;
use super::{InfoContext, InfoValue};

/// The driver's version, "##.##.####" as SQL_DRIVER_VER requires.
pub const DRIVER_VERSION: &str = "00.01.0000";
/// The ODBC version the driver implements, "##.##" (SQL_DRIVER_ODBC_VER).
pub const DRIVER_ODBC_VERSION: &str = "03.80";
/// SQL_ODBC_VER belongs to the driver manager; a driver called directly
/// reports the version it was written against, "##.##.####".
pub const ODBC_VERSION: &str = "03.80.0000";
pub const DBMS_NAME: &str = "Pipedrive";
/// Words the driver's SQL parser treats as keywords beyond ODBC's reserved
/// list, so applications know to quote them as identifiers.
pub const DRIVER_KEYWORDS: &str = "EXPLAIN,LIMIT,OFFSET,TOP";
/// Longest table, column, procedure or cursor name (in characters).
pub const MAX_IDENTIFIER_LENGTH: u16 = 128;
/// A U16/U32 of 0: "no limit or unknown" for SQL_MAX_*, "not supported" for
/// bitmasks.
const NONE_U16: InfoValue = InfoValue::U16(0);
const NONE_U32: InfoValue = InfoValue::U32(0);

const STRING_FUNCTIONS: u32 = SQL_FN_STR_ASCII
    | SQL_FN_STR_CHAR
    | SQL_FN_STR_CHAR_LENGTH
    | SQL_FN_STR_CHARACTER_LENGTH
    | SQL_FN_STR_CONCAT
    | SQL_FN_STR_INSERT
    | SQL_FN_STR_LCASE
    | SQL_FN_STR_LEFT
    | SQL_FN_STR_LENGTH
    // LOCATE with and without its optional start argument.
    | SQL_FN_STR_LOCATE
    | SQL_FN_STR_LOCATE_2
    | SQL_FN_STR_LTRIM
    | SQL_FN_STR_OCTET_LENGTH
    | SQL_FN_STR_POSITION
    | SQL_FN_STR_REPEAT
    | SQL_FN_STR_REPLACE
    | SQL_FN_STR_RIGHT
    | SQL_FN_STR_RTRIM
    | SQL_FN_STR_SPACE
    | SQL_FN_STR_SUBSTRING
    | SQL_FN_STR_UCASE;

const NUMERIC_FUNCTIONS: u32 = SQL_FN_NUM_ABS
    | SQL_FN_NUM_ACOS
    | SQL_FN_NUM_ASIN
    | SQL_FN_NUM_ATAN
    | SQL_FN_NUM_ATAN2
    | SQL_FN_NUM_CEILING
    | SQL_FN_NUM_COS
    | SQL_FN_NUM_COT
    | SQL_FN_NUM_DEGREES
    | SQL_FN_NUM_EXP
    | SQL_FN_NUM_FLOOR
    | SQL_FN_NUM_LOG
    | SQL_FN_NUM_LOG10
    | SQL_FN_NUM_MOD
    | SQL_FN_NUM_PI
    | SQL_FN_NUM_POWER
    | SQL_FN_NUM_RADIANS
    | SQL_FN_NUM_RAND
    | SQL_FN_NUM_ROUND
    | SQL_FN_NUM_SIGN
    | SQL_FN_NUM_SIN
    | SQL_FN_NUM_SQRT
    | SQL_FN_NUM_TAN
    | SQL_FN_NUM_TRUNCATE;

const TIMEDATE_FUNCTIONS: u32 = SQL_FN_TD_CURDATE
    | SQL_FN_TD_CURTIME
    | SQL_FN_TD_CURRENT_DATE
    | SQL_FN_TD_CURRENT_TIME
    | SQL_FN_TD_CURRENT_TIMESTAMP
    | SQL_FN_TD_DAYNAME
    | SQL_FN_TD_DAYOFMONTH
    | SQL_FN_TD_DAYOFWEEK
    | SQL_FN_TD_DAYOFYEAR
    | SQL_FN_TD_EXTRACT
    | SQL_FN_TD_HOUR
    | SQL_FN_TD_MINUTE
    | SQL_FN_TD_MONTH
    | SQL_FN_TD_MONTHNAME
    | SQL_FN_TD_NOW
    | SQL_FN_TD_QUARTER
    | SQL_FN_TD_SECOND
    | SQL_FN_TD_WEEK
    | SQL_FN_TD_YEAR
    | SQL_FN_TD_TIMESTAMPADD
    | SQL_FN_TD_TIMESTAMPDIFF;

const SYSTEM_FUNCTIONS: u32 = SQL_FN_SYS_DBNAME | SQL_FN_SYS_IFNULL | SQL_FN_SYS_USERNAME;

/// TIMESTAMPADD / TIMESTAMPDIFF intervals: whole seconds up to years.
const TIMESTAMP_INTERVALS: u32 = SQL_FN_TSI_SECOND
    | SQL_FN_TSI_MINUTE
    | SQL_FN_TSI_HOUR
    | SQL_FN_TSI_DAY
    | SQL_FN_TSI_WEEK
    | SQL_FN_TSI_MONTH
    | SQL_FN_TSI_QUARTER
    | SQL_FN_TSI_YEAR;

const SQL92_PREDICATES: u32 = SQL_SP_BETWEEN
    | SQL_SP_COMPARISON
    | SQL_SP_EXISTS
    | SQL_SP_IN
    | SQL_SP_ISNULL
    | SQL_SP_ISNOTNULL
    | SQL_SP_LIKE;

const SQL92_STRING_FUNCTIONS: u32 = SQL_SSF_LOWER
    | SQL_SSF_UPPER
    | SQL_SSF_SUBSTRING
    | SQL_SSF_TRIM_BOTH
    | SQL_SSF_TRIM_LEADING
    | SQL_SSF_TRIM_TRAILING;

const SQL92_NUMERIC_VALUE_FUNCTIONS: u32 = SQL_SNVF_CHAR_LENGTH
    | SQL_SNVF_CHARACTER_LENGTH
    | SQL_SNVF_EXTRACT
    | SQL_SNVF_OCTET_LENGTH
    | SQL_SNVF_POSITION;

const AGGREGATE_FUNCTIONS: u32 =
    SQL_AF_AVG | SQL_AF_COUNT | SQL_AF_MAX | SQL_AF_MIN | SQL_AF_SUM | SQL_AF_DISTINCT | SQL_AF_ALL;

/// The answer for `info_type`, or `None` when the driver does not answer
/// it itself (undefined types, handles, the driver manager's version).
pub(super) fn answer(info_type: u16, ctx: &InfoContext) -> Option<InfoValue> {
    if let Some(targets) = conversion_targets(info_type) {
        return Some(InfoValue::U32(targets));
    }
    let value = match info_type {
        // Driver and data source identity.
        SQL_DRIVER_NAME => text(ctx.driver_file_name),
        SQL_DRIVER_VER => text(DRIVER_VERSION),
        SQL_DRIVER_ODBC_VER => text(DRIVER_ODBC_VERSION),
        SQL_ODBC_VER => text(ODBC_VERSION),
        SQL_DBMS_NAME => text(DBMS_NAME),
        SQL_DBMS_VER => text(connection_value(ctx, ctx.dbms_version)),
        SQL_DATA_SOURCE_NAME => text(ctx.data_source_name),
        SQL_SERVER_NAME => text(connection_value(ctx, ctx.server_name)),
        SQL_DATABASE_NAME => text(connection_value(ctx, ctx.database_name)),
        SQL_USER_NAME => text(connection_value(ctx, ctx.user_name)),
        SQL_DATA_SOURCE_READ_ONLY => yes_no(false),
        SQL_XOPEN_CLI_YEAR => text(""),
        SQL_KEYWORDS => text(DRIVER_KEYWORDS),

        // Conformance.
        SQL_ODBC_INTERFACE_CONFORMANCE => InfoValue::U32(SQL_OIC_CORE),
        SQL_ODBC_API_CONFORMANCE => InfoValue::U16(SQL_OAC_LEVEL1),
        SQL_ODBC_SQL_CONFORMANCE => InfoValue::U16(SQL_OSC_CORE),
        SQL_ODBC_SAG_CLI_CONFORMANCE => InfoValue::U16(SQL_OSCC_COMPLIANT),
        SQL_SQL_CONFORMANCE => InfoValue::U32(SQL_SC_SQL92_ENTRY),
        // Core interface conformance is, by the ODBC reference's definition,
        // the ISO 92 CLI plus the non-optional X/Open CLI features.
        SQL_STANDARD_CLI_CONFORMANCE => {
            InfoValue::U32(SQL_SCC_XOPEN_CLI_VERSION1 | SQL_SCC_ISO92_CLI)
        }
        SQL_INTEGRITY => yes_no(false),

        // Connections, statements, asynchrony, pooling.
        SQL_MAX_DRIVER_CONNECTIONS => NONE_U16,
        SQL_MAX_CONCURRENT_ACTIVITIES => NONE_U16,
        SQL_ACTIVE_ENVIRONMENTS => NONE_U16,
        SQL_ASYNC_MODE => InfoValue::U32(SQL_AM_NONE),
        SQL_MAX_ASYNC_CONCURRENT_STATEMENTS => NONE_U32,
        SQL_ASYNC_DBC_FUNCTIONS => NONE_U32, // SQL_ASYNC_DBC_NOT_CAPABLE
        SQL_ASYNC_NOTIFICATION => NONE_U32,  // SQL_ASYNC_NOTIFICATION_NOT_CAPABLE
        SQL_DRIVER_AWARE_POOLING_SUPPORTED => NONE_U32, // ..._NOT_CAPABLE
        SQL_FILE_USAGE => InfoValue::U16(SQL_FILE_NOT_SUPPORTED),

        // Transactions: none, every statement commits on its own.
        SQL_TXN_CAPABLE => InfoValue::U16(SQL_TC_NONE),
        SQL_DEFAULT_TXN_ISOLATION => NONE_U32,
        SQL_TXN_ISOLATION_OPTION => NONE_U32,
        SQL_MULTIPLE_ACTIVE_TXN => yes_no(false),
        // SQLEndTran has nothing to end, so open cursors survive it.
        SQL_CURSOR_COMMIT_BEHAVIOR => InfoValue::U16(SQL_CB_PRESERVE),
        SQL_CURSOR_ROLLBACK_BEHAVIOR => InfoValue::U16(SQL_CB_PRESERVE),
        SQL_DTC_TRANSITION_COST => NONE_U32,

        // Catalogs and schemas do not exist; tables and procedures do.
        SQL_CATALOG_NAME => yes_no(false),
        SQL_CATALOG_NAME_SEPARATOR => text(""),
        SQL_CATALOG_TERM => text(""),
        SQL_CATALOG_LOCATION => NONE_U16,
        SQL_CATALOG_USAGE => NONE_U32,
        SQL_SCHEMA_TERM => text(""),
        SQL_SCHEMA_USAGE => NONE_U32,
        SQL_TABLE_TERM => text("table"),
        SQL_PROCEDURE_TERM => text("procedure"),
        SQL_PROCEDURES => yes_no(true),
        SQL_ACCESSIBLE_TABLES => yes_no(true),
        SQL_ACCESSIBLE_PROCEDURES => yes_no(true),
        SQL_INFO_SCHEMA_VIEWS => NONE_U32,

        // Identifiers: case-insensitive, stored PascalCase, quoted or not.
        SQL_IDENTIFIER_CASE => InfoValue::U16(SQL_IC_MIXED),
        SQL_QUOTED_IDENTIFIER_CASE => InfoValue::U16(SQL_IC_MIXED),
        SQL_IDENTIFIER_QUOTE_CHAR => text("\""),
        SQL_SPECIAL_CHARACTERS => text(""),
        SQL_SEARCH_PATTERN_ESCAPE => text("\\"),
        SQL_COLLATION_SEQ => text(""),

        // Limits: 0 means no limit (or unknown); the API has no fixed ones.
        SQL_MAX_IDENTIFIER_LEN => InfoValue::U16(MAX_IDENTIFIER_LENGTH),
        SQL_MAX_COLUMN_NAME_LEN => InfoValue::U16(MAX_IDENTIFIER_LENGTH),
        SQL_MAX_TABLE_NAME_LEN => InfoValue::U16(MAX_IDENTIFIER_LENGTH),
        SQL_MAX_PROCEDURE_NAME_LEN => InfoValue::U16(MAX_IDENTIFIER_LENGTH),
        SQL_MAX_CURSOR_NAME_LEN => InfoValue::U16(MAX_IDENTIFIER_LENGTH),
        SQL_MAX_SCHEMA_NAME_LEN => NONE_U16,
        SQL_MAX_CATALOG_NAME_LEN => NONE_U16,
        SQL_MAX_USER_NAME_LEN => NONE_U16,
        SQL_MAX_COLUMNS_IN_GROUP_BY => NONE_U16,
        SQL_MAX_COLUMNS_IN_INDEX => NONE_U16,
        SQL_MAX_COLUMNS_IN_ORDER_BY => NONE_U16,
        SQL_MAX_COLUMNS_IN_SELECT => NONE_U16,
        SQL_MAX_COLUMNS_IN_TABLE => NONE_U16,
        SQL_MAX_TABLES_IN_SELECT => NONE_U16,
        SQL_MAX_INDEX_SIZE => NONE_U32,
        SQL_MAX_ROW_SIZE => NONE_U32,
        SQL_MAX_ROW_SIZE_INCLUDES_LONG => yes_no(true),
        SQL_MAX_STATEMENT_LEN => NONE_U32,
        SQL_MAX_CHAR_LITERAL_LEN => NONE_U32,
        SQL_MAX_BINARY_LITERAL_LEN => NONE_U32,

        // Query language.
        SQL_NULL_COLLATION => InfoValue::U16(SQL_NC_LOW),
        SQL_CONCAT_NULL_BEHAVIOR => InfoValue::U16(SQL_CB_NULL),
        SQL_NON_NULLABLE_COLUMNS => InfoValue::U16(SQL_NNC_NON_NULL),
        SQL_COLUMN_ALIAS => yes_no(true),
        SQL_CORRELATION_NAME => InfoValue::U16(SQL_CN_ANY),
        SQL_EXPRESSIONS_IN_ORDERBY => yes_no(true),
        SQL_ORDER_BY_COLUMNS_IN_SELECT => yes_no(false),
        SQL_GROUP_BY => InfoValue::U16(SQL_GB_GROUP_BY_CONTAINS_SELECT),
        SQL_LIKE_ESCAPE_CLAUSE => yes_no(true),
        SQL_OUTER_JOINS => yes_no(true),
        SQL_OJ_CAPABILITIES => InfoValue::U32(
            // Left joins nest on the left only, so SQL_OJ_NESTED is not claimed.
            SQL_OJ_LEFT | SQL_OJ_NOT_ORDERED | SQL_OJ_ALL_COMPARISON_OPS | SQL_OJ_INNER,
        ),
        SQL_SQL92_RELATIONAL_JOIN_OPERATORS => {
            InfoValue::U32(SQL_SRJO_INNER_JOIN | SQL_SRJO_LEFT_OUTER_JOIN)
        }
        SQL_SQL92_PREDICATES => InfoValue::U32(SQL92_PREDICATES),
        // Uncorrelated subqueries only (no SQL_SQ_CORRELATED_SUBQUERIES).
        SQL_SUBQUERIES => InfoValue::U32(SQL_SQ_IN | SQL_SQ_EXISTS | SQL_SQ_COMPARISON),
        SQL_UNION => InfoValue::U32(SQL_U_UNION | SQL_U_UNION_ALL),
        SQL_AGGREGATE_FUNCTIONS => InfoValue::U32(AGGREGATE_FUNCTIONS),
        SQL_SQL92_VALUE_EXPRESSIONS => {
            InfoValue::U32(SQL_SVE_CASE | SQL_SVE_CAST | SQL_SVE_COALESCE | SQL_SVE_NULLIF)
        }
        SQL_SQL92_ROW_VALUE_CONSTRUCTOR => {
            InfoValue::U32(SQL_SRVC_VALUE_EXPRESSION | SQL_SRVC_NULL)
        }
        SQL_SQL92_NUMERIC_VALUE_FUNCTIONS => InfoValue::U32(SQL92_NUMERIC_VALUE_FUNCTIONS),
        SQL_SQL92_STRING_FUNCTIONS => InfoValue::U32(SQL92_STRING_FUNCTIONS),
        SQL_SQL92_DATETIME_FUNCTIONS => {
            InfoValue::U32(SQL_SDF_CURRENT_DATE | SQL_SDF_CURRENT_TIME | SQL_SDF_CURRENT_TIMESTAMP)
        }
        SQL_DATETIME_LITERALS => {
            InfoValue::U32(SQL_DL_SQL92_DATE | SQL_DL_SQL92_TIME | SQL_DL_SQL92_TIMESTAMP)
        }
        SQL_STRING_FUNCTIONS => InfoValue::U32(STRING_FUNCTIONS),
        SQL_NUMERIC_FUNCTIONS => InfoValue::U32(NUMERIC_FUNCTIONS),
        SQL_TIMEDATE_FUNCTIONS => InfoValue::U32(TIMEDATE_FUNCTIONS),
        SQL_SYSTEM_FUNCTIONS => InfoValue::U32(SYSTEM_FUNCTIONS),
        SQL_TIMEDATE_ADD_INTERVALS => InfoValue::U32(TIMESTAMP_INTERVALS),
        SQL_TIMEDATE_DIFF_INTERVALS => InfoValue::U32(TIMESTAMP_INTERVALS),
        SQL_CONVERT_FUNCTIONS => InfoValue::U32(SQL_FN_CVT_CAST | SQL_FN_CVT_CONVERT),
        SQL_RETURN_ESCAPE_CLAUSE => NONE_U32, // SQL_RC_NONE

        // Data changes: INSERT ... VALUES, UPDATE and DELETE map to API
        // calls; no DDL, no privileges, no constraints.
        SQL_INSERT_STATEMENT => InfoValue::U32(SQL_IS_INSERT_LITERALS),
        SQL_ALTER_DOMAIN
        | SQL_ALTER_TABLE
        | SQL_CREATE_ASSERTION
        | SQL_CREATE_CHARACTER_SET
        | SQL_CREATE_COLLATION
        | SQL_CREATE_DOMAIN
        | SQL_CREATE_SCHEMA
        | SQL_CREATE_TABLE
        | SQL_CREATE_TRANSLATION
        | SQL_CREATE_VIEW
        | SQL_DROP_ASSERTION
        | SQL_DROP_CHARACTER_SET
        | SQL_DROP_COLLATION
        | SQL_DROP_DOMAIN
        | SQL_DROP_SCHEMA
        | SQL_DROP_TABLE
        | SQL_DROP_TRANSLATION
        | SQL_DROP_VIEW
        | SQL_DDL_INDEX
        | SQL_SQL92_GRANT
        | SQL_SQL92_REVOKE
        | SQL_SQL92_FOREIGN_KEY_DELETE_RULE
        | SQL_SQL92_FOREIGN_KEY_UPDATE_RULE => NONE_U32,
        SQL_INDEX_KEYWORDS => InfoValue::U32(SQL_IK_NONE),

        // Cursors: forward-only and read-only, fetched in blocks.
        SQL_SCROLL_OPTIONS => InfoValue::U32(SQL_SO_FORWARD_ONLY),
        SQL_FETCH_DIRECTION => InfoValue::U32(SQL_FD_FETCH_NEXT),
        SQL_SCROLL_CONCURRENCY => InfoValue::U32(SQL_SCCO_READ_ONLY),
        SQL_FORWARD_ONLY_CURSOR_ATTRIBUTES1 => InfoValue::U32(SQL_CA1_NEXT),
        SQL_FORWARD_ONLY_CURSOR_ATTRIBUTES2 => {
            InfoValue::U32(SQL_CA2_READ_ONLY_CONCURRENCY | SQL_CA2_MAX_ROWS_SELECT)
        }
        SQL_STATIC_CURSOR_ATTRIBUTES1
        | SQL_STATIC_CURSOR_ATTRIBUTES2
        | SQL_KEYSET_CURSOR_ATTRIBUTES1
        | SQL_KEYSET_CURSOR_ATTRIBUTES2
        | SQL_DYNAMIC_CURSOR_ATTRIBUTES1
        | SQL_DYNAMIC_CURSOR_ATTRIBUTES2 => NONE_U32,
        SQL_CURSOR_SENSITIVITY => InfoValue::U32(SQL_INSENSITIVE),
        SQL_STATIC_SENSITIVITY => NONE_U32,
        SQL_POS_OPERATIONS => NONE_U32,
        SQL_POSITIONED_STATEMENTS => NONE_U32,
        SQL_LOCK_TYPES => NONE_U32,
        SQL_BOOKMARK_PERSISTENCE => NONE_U32,
        SQL_ROW_UPDATES => yes_no(false),
        SQL_GETDATA_EXTENSIONS => {
            InfoValue::U32(SQL_GD_ANY_COLUMN | SQL_GD_ANY_ORDER | SQL_GD_BOUND)
        }
        SQL_MULT_RESULT_SETS => yes_no(false),

        // Parameters and batches.
        SQL_DESCRIBE_PARAMETER => yes_no(true),
        SQL_NEED_LONG_DATA_LEN => yes_no(false),
        // One cumulative row count for a whole parameter array.
        SQL_PARAM_ARRAY_ROW_COUNTS => InfoValue::U32(SQL_PARC_NO_BATCH),
        SQL_PARAM_ARRAY_SELECTS => InfoValue::U32(SQL_PAS_NO_SELECT),
        SQL_BATCH_SUPPORT => NONE_U32,
        SQL_BATCH_ROW_COUNT => NONE_U32,

        _ => return None,
    };
    Some(value)
}

fn text(value: &str) -> InfoValue {
    InfoValue::Str(value.to_owned())
}

/// The "Y" / "N" strings the specification uses for yes/no information.
fn yes_no(yes: bool) -> InfoValue {
    text(if yes { "Y" } else { "N" })
}

/// Values learned from the connection are empty until it is open, so a
/// stale value never outlives SQLDisconnect.
fn connection_value<'a>(ctx: &InfoContext<'a>, value: &'a str) -> &'a str {
    if ctx.connected {
        value
    } else {
        ""
    }
}
