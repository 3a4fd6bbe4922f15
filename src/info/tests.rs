use super::info_type::*;
use super::masks::*;
use super::*;

fn context(connected: bool) -> InfoContext<'static> {
    InfoContext {
        data_source_name: "Pipedrive Sales",
        user_name: "ada@example.com",
        server_name: "api.pipedrive.com",
        database_name: "acme",
        dbms_version: "v1",
        driver_file_name: "libpipedrive_odbc.so",
        connected,
    }
}

fn ask(info_type: u16) -> InfoValue {
    match get_info(info_type, &context(true)) {
        Some(value) => value,
        None => panic!("no answer for {info_type} ({:?})", name(info_type)),
    }
}

fn mask(info_type: u16) -> u32 {
    match ask(info_type) {
        InfoValue::U32(bits) => bits,
        other => panic!("{:?} answered {other:?}, not a bitmask", name(info_type)),
    }
}

fn string(info_type: u16) -> String {
    match ask(info_type) {
        InfoValue::Str(s) => s,
        other => panic!("{:?} answered {other:?}, not a string", name(info_type)),
    }
}

#[test]
fn every_defined_type_answers_with_its_declared_width() {
    let mut answered = 0;
    for &(number, type_name, declared) in DEFINED {
        if is_handle_info(number) || is_driver_manager_info(number) {
            continue;
        }
        let value = get_info(number, &context(true))
            .unwrap_or_else(|| panic!("{type_name} ({number}) has no answer"));
        assert_eq!(
            value.declared_type(),
            Some(declared),
            "{type_name} ({number}) answered {value:?}"
        );
        answered += 1;
    }
    // Everything but the 5 handle types and SQL_DM_VER.
    assert_eq!(answered, DEFINED.len() - 6);
}

#[test]
fn every_defined_type_answers_before_connecting_too() {
    for &(number, type_name, _) in DEFINED {
        if !is_handle_info(number) && !is_driver_manager_info(number) {
            assert!(get_info(number, &context(false)).is_some(), "{type_name}");
        }
    }
}

#[test]
fn defined_table_is_in_strict_numeric_order() {
    for pair in DEFINED.windows(2) {
        assert!(pair[0].0 < pair[1].0, "{} then {}", pair[0].1, pair[1].1);
    }
}

#[test]
fn handle_types_are_left_to_the_boundary() {
    let handles: Vec<u16> = DEFINED
        .iter()
        .filter(|e| e.2 == DeclaredType::ULen)
        .map(|e| e.0)
        .collect();
    assert_eq!(
        handles,
        [
            SQL_DRIVER_HDBC,
            SQL_DRIVER_HENV,
            SQL_DRIVER_HSTMT,
            SQL_DRIVER_HLIB,
            SQL_DRIVER_HDESC
        ]
    );
    for handle in handles {
        assert!(is_handle_info(handle));
        assert_eq!(get_info(handle, &context(true)), None);
    }
    assert!(!is_handle_info(SQL_DRIVER_NAME));
    assert!(!is_handle_info(9999));
}

#[test]
fn driver_manager_version_is_left_to_the_driver_manager() {
    assert!(is_driver_manager_info(SQL_DM_VER));
    assert_eq!(get_info(SQL_DM_VER, &context(true)), None);
    assert_eq!(declared_type(SQL_DM_VER), Some(DeclaredType::CharString));
    assert!(!is_driver_manager_info(SQL_ODBC_VER));
}

#[test]
fn undefined_types_have_no_answer() {
    // 174..179 and 181 are ODBC 4.0 drafts the driver does not claim; 1000
    // was ODBC 2's driver-specific start; 65003 ODBC 2.01's provisional
    // SQL_OJ_CAPABILITIES.
    for number in [
        9999, 60000, 65535, 1000, 174, 179, 181, 10006, 10020, 10026, 65003,
    ] {
        assert_eq!(get_info(number, &context(true)), None, "{number}");
        assert_eq!(declared_type(number), None, "{number}");
        assert_eq!(name(number), None, "{number}");
    }
}

/// The declared types of a sample, transcribed separately from the ODBC
/// reference's SQLGetInfo page, with the numbers from sql.h / sqlext.h.
#[test]
fn sample_widths_and_numbers_match_the_specification() {
    use DeclaredType::*;
    let sample: &[(u16, u16, DeclaredType)] = &[
        (SQL_MAX_DRIVER_CONNECTIONS, 0, USmallInt),
        (SQL_MAX_CONCURRENT_ACTIVITIES, 1, USmallInt),
        (SQL_DRIVER_NAME, 6, CharString),
        (SQL_FETCH_DIRECTION, 8, UInteger),
        (SQL_ODBC_API_CONFORMANCE, 9, USmallInt),
        (SQL_ODBC_SQL_CONFORMANCE, 15, USmallInt),
        (SQL_DATABASE_NAME, 16, CharString),
        (SQL_CONCAT_NULL_BEHAVIOR, 22, USmallInt),
        (SQL_CURSOR_COMMIT_BEHAVIOR, 23, USmallInt),
        (SQL_DEFAULT_TXN_ISOLATION, 26, UInteger),
        (SQL_IDENTIFIER_CASE, 28, USmallInt),
        (SQL_MAX_COLUMN_NAME_LEN, 30, USmallInt),
        (SQL_SCROLL_CONCURRENCY, 43, UInteger),
        (SQL_TXN_CAPABLE, 46, USmallInt),
        (SQL_CONVERT_BIGINT, 53, UInteger),
        (SQL_TXN_ISOLATION_OPTION, 72, UInteger),
        (SQL_INTEGRITY, 73, CharString),
        (SQL_GETDATA_EXTENSIONS, 81, UInteger),
        (SQL_STATIC_SENSITIVITY, 83, UInteger),
        (SQL_NULL_COLLATION, 85, USmallInt),
        (SQL_GROUP_BY, 88, USmallInt),
        (SQL_MAX_INDEX_SIZE, 102, UInteger),
        (SQL_MAX_ROW_SIZE, 104, UInteger),
        (SQL_MAX_TABLES_IN_SELECT, 106, USmallInt),
        (SQL_MAX_CHAR_LITERAL_LEN, 108, UInteger),
        (SQL_CATALOG_LOCATION, 114, USmallInt),
        (SQL_OJ_CAPABILITIES, 115, UInteger),
        (SQL_ACTIVE_ENVIRONMENTS, 116, USmallInt),
        (SQL_SQL_CONFORMANCE, 118, UInteger),
        (SQL_CONVERT_WVARCHAR, 126, UInteger),
        (SQL_FORWARD_ONLY_CURSOR_ATTRIBUTES2, 147, UInteger),
        (SQL_ODBC_INTERFACE_CONFORMANCE, 152, UInteger),
        (SQL_PARAM_ARRAY_SELECTS, 154, UInteger),
        (SQL_SQL92_PREDICATES, 160, UInteger),
        (SQL_AGGREGATE_FUNCTIONS, 169, UInteger),
        (SQL_DM_VER, 171, CharString),
        (SQL_CONVERT_GUID, 173, UInteger),
        (SQL_RETURN_ESCAPE_CLAUSE, 180, UInteger),
        (SQL_DTC_TRANSITION_COST, 1750, UInteger),
        (SQL_XOPEN_CLI_YEAR, 10000, CharString),
        (SQL_CURSOR_SENSITIVITY, 10001, UInteger),
        (SQL_DESCRIBE_PARAMETER, 10002, CharString),
        (SQL_MAX_IDENTIFIER_LEN, 10005, USmallInt),
        (SQL_ASYNC_MODE, 10021, UInteger),
        (SQL_MAX_ASYNC_CONCURRENT_STATEMENTS, 10022, UInteger),
        (SQL_ASYNC_DBC_FUNCTIONS, 10023, UInteger),
        (SQL_DRIVER_AWARE_POOLING_SUPPORTED, 10024, UInteger),
        (SQL_ASYNC_NOTIFICATION, 10025, UInteger),
        (SQL_DRIVER_HLIB, 76, ULen),
    ];
    for &(constant, number, declared) in sample {
        assert_eq!(constant, number, "{:?}", name(constant));
        assert_eq!(declared_type(number), Some(declared), "{:?}", name(number));
        if let Some(value) = get_info(number, &context(true)) {
            assert_eq!(value.declared_type(), Some(declared), "{:?}", name(number));
        }
    }
}

#[test]
fn odbc2_and_long_aliases_name_the_same_types() {
    assert_eq!(SQL_ACTIVE_CONNECTIONS, 0);
    assert_eq!(SQL_ACTIVE_STATEMENTS, 1);
    assert_eq!(SQL_ODBC_SQL_OPT_IEF, 73);
    assert_eq!(SQL_OWNER_TERM, 39);
    assert_eq!(SQL_MAX_OWNER_NAME_LEN, 32);
    assert_eq!(SQL_MAX_QUALIFIER_NAME_LEN, 34);
    assert_eq!(SQL_QUALIFIER_NAME_SEPARATOR, 41);
    assert_eq!(SQL_QUALIFIER_TERM, 42);
    assert_eq!(SQL_OWNER_USAGE, 91);
    assert_eq!(SQL_QUALIFIER_USAGE, 92);
    assert_eq!(SQL_QUALIFIER_LOCATION, 114);
    assert_eq!(SQL_UNION_STATEMENT, 96);
    assert_eq!(SQL_MAXIMUM_IDENTIFIER_LENGTH, 10005);
    assert_eq!(name(SQL_OWNER_TERM), Some("SQL_SCHEMA_TERM"));
    assert_eq!(ask(SQL_ACTIVE_CONNECTIONS), InfoValue::U16(0));
}

#[test]
fn yes_no_types_answer_exactly_y_or_n() {
    let yes_no_types = [
        SQL_ACCESSIBLE_PROCEDURES,
        SQL_ACCESSIBLE_TABLES,
        SQL_CATALOG_NAME,
        SQL_COLUMN_ALIAS,
        SQL_DATA_SOURCE_READ_ONLY,
        SQL_DESCRIBE_PARAMETER,
        SQL_EXPRESSIONS_IN_ORDERBY,
        SQL_INTEGRITY,
        SQL_LIKE_ESCAPE_CLAUSE,
        SQL_MAX_ROW_SIZE_INCLUDES_LONG,
        SQL_MULT_RESULT_SETS,
        SQL_MULTIPLE_ACTIVE_TXN,
        SQL_NEED_LONG_DATA_LEN,
        SQL_ORDER_BY_COLUMNS_IN_SELECT,
        SQL_OUTER_JOINS,
        SQL_PROCEDURES,
        SQL_ROW_UPDATES,
    ];
    for info_type in yes_no_types {
        let answer = string(info_type);
        assert!(
            answer == "Y" || answer == "N",
            "{:?} = {answer:?}",
            name(info_type)
        );
    }
}

#[test]
fn yes_no_answers_describe_the_driver() {
    let expected = [
        (SQL_ACCESSIBLE_TABLES, "Y"),
        (SQL_ACCESSIBLE_PROCEDURES, "Y"),
        (SQL_PROCEDURES, "Y"),
        (SQL_CATALOG_NAME, "N"),
        (SQL_DATA_SOURCE_READ_ONLY, "N"),
        (SQL_DESCRIBE_PARAMETER, "Y"),
        (SQL_NEED_LONG_DATA_LEN, "N"),
        (SQL_MULT_RESULT_SETS, "N"),
        (SQL_MULTIPLE_ACTIVE_TXN, "N"),
        (SQL_ORDER_BY_COLUMNS_IN_SELECT, "N"),
        (SQL_EXPRESSIONS_IN_ORDERBY, "Y"),
        (SQL_OUTER_JOINS, "Y"),
        (SQL_ROW_UPDATES, "N"),
    ];
    for (info_type, answer) in expected {
        assert_eq!(string(info_type), answer, "{:?}", name(info_type));
    }
}

#[test]
fn identity_comes_from_the_driver_and_the_connection() {
    assert_eq!(string(SQL_DRIVER_NAME), "libpipedrive_odbc.so");
    assert_eq!(string(SQL_DRIVER_VER), "00.01.0000");
    assert_eq!(string(SQL_DRIVER_ODBC_VER), "03.80");
    assert_eq!(string(SQL_ODBC_VER), "03.80.0000");
    assert_eq!(string(SQL_DBMS_NAME), "Pipedrive");
    assert_eq!(string(SQL_DBMS_VER), "v1");
    assert_eq!(string(SQL_DATA_SOURCE_NAME), "Pipedrive Sales");
    assert_eq!(string(SQL_SERVER_NAME), "api.pipedrive.com");
    assert_eq!(string(SQL_DATABASE_NAME), "acme");
    assert_eq!(string(SQL_USER_NAME), "ada@example.com");
}

#[test]
fn connection_values_are_empty_until_connected() {
    let ctx = context(false);
    for info_type in [
        SQL_SERVER_NAME,
        SQL_DATABASE_NAME,
        SQL_USER_NAME,
        SQL_DBMS_VER,
    ] {
        assert_eq!(
            get_info(info_type, &ctx),
            Some(InfoValue::Str(String::new()))
        );
    }
    assert_eq!(
        get_info(SQL_DRIVER_NAME, &ctx),
        Some(InfoValue::Str("libpipedrive_odbc.so".into()))
    );
    assert_eq!(
        get_info(SQL_DATA_SOURCE_NAME, &ctx),
        Some(InfoValue::Str("Pipedrive Sales".into()))
    );
}

#[test]
fn version_strings_have_the_specified_shape() {
    fn shaped(value: &str, digits: &[usize]) -> bool {
        let parts: Vec<&str> = value.split('.').collect();
        parts.len() == digits.len()
            && parts
                .iter()
                .zip(digits)
                .all(|(part, &n)| part.len() == n && part.bytes().all(|b| b.is_ascii_digit()))
    }
    assert!(shaped(&string(SQL_DRIVER_VER), &[2, 2, 4]));
    assert!(shaped(&string(SQL_ODBC_VER), &[2, 2, 4]));
    assert!(shaped(&string(SQL_DRIVER_ODBC_VER), &[2, 2]));
}

#[test]
fn no_transactions_and_cursors_survive_end_tran() {
    assert_eq!(ask(SQL_TXN_CAPABLE), InfoValue::U16(0));
    assert_eq!(ask(SQL_DEFAULT_TXN_ISOLATION), InfoValue::U32(0));
    assert_eq!(ask(SQL_TXN_ISOLATION_OPTION), InfoValue::U32(0));
    assert_eq!(
        ask(SQL_CURSOR_COMMIT_BEHAVIOR),
        InfoValue::U16(SQL_CB_PRESERVE)
    );
    assert_eq!(
        ask(SQL_CURSOR_ROLLBACK_BEHAVIOR),
        InfoValue::U16(SQL_CB_PRESERVE)
    );
    assert_ne!(SQL_CB_PRESERVE, SQL_CB_CLOSE);
    assert_ne!(SQL_CB_PRESERVE, SQL_CB_DELETE);
}

#[test]
fn power_query_extras_answer_not_supported() {
    assert_eq!(ask(SQL_DTC_TRANSITION_COST), InfoValue::U32(0));
    assert_eq!(ask(SQL_RETURN_ESCAPE_CLAUSE), InfoValue::U32(0));
    assert_eq!(ask(SQL_ASYNC_DBC_FUNCTIONS), InfoValue::U32(0));
    assert_eq!(ask(SQL_ASYNC_NOTIFICATION), InfoValue::U32(0));
    assert_eq!(ask(SQL_DRIVER_AWARE_POOLING_SUPPORTED), InfoValue::U32(0));
}

#[test]
fn no_catalogs_or_schemas() {
    assert_eq!(ask(SQL_CATALOG_USAGE), InfoValue::U32(0));
    assert_eq!(ask(SQL_SCHEMA_USAGE), InfoValue::U32(0));
    assert_eq!(ask(SQL_CATALOG_LOCATION), InfoValue::U16(0));
    assert_eq!(string(SQL_CATALOG_NAME_SEPARATOR), "");
    assert_eq!(string(SQL_CATALOG_TERM), "");
    assert_eq!(string(SQL_SCHEMA_TERM), "");
    assert_eq!(string(SQL_TABLE_TERM), "table");
    assert_eq!(string(SQL_PROCEDURE_TERM), "procedure");
}

#[test]
fn identifiers_are_case_insensitive_and_double_quoted() {
    assert_eq!(ask(SQL_IDENTIFIER_CASE), InfoValue::U16(SQL_IC_MIXED));
    assert_eq!(
        ask(SQL_QUOTED_IDENTIFIER_CASE),
        InfoValue::U16(SQL_IC_MIXED)
    );
    assert_ne!(SQL_IC_MIXED, SQL_IC_SENSITIVE);
    assert_eq!(string(SQL_IDENTIFIER_QUOTE_CHAR), "\"");
    assert_eq!(string(SQL_SEARCH_PATTERN_ESCAPE), "\\");
    assert_eq!(string(SQL_SPECIAL_CHARACTERS), "");
    for limited in [
        SQL_MAX_IDENTIFIER_LEN,
        SQL_MAX_COLUMN_NAME_LEN,
        SQL_MAX_TABLE_NAME_LEN,
    ] {
        assert_eq!(ask(limited), InfoValue::U16(128), "{:?}", name(limited));
    }
    assert_eq!(ask(SQL_MAX_ROW_SIZE), InfoValue::U32(0));
    assert_eq!(ask(SQL_MAX_STATEMENT_LEN), InfoValue::U32(0));
}

#[test]
fn keywords_are_a_bare_upper_case_comma_list() {
    let keywords = string(SQL_KEYWORDS);
    assert!(!keywords.is_empty());
    for word in keywords.split(',') {
        assert!(
            !word.is_empty() && word.bytes().all(|b| b.is_ascii_uppercase()),
            "{word:?}"
        );
    }
    // ODBC's own reserved words must not be repeated.
    for reserved in ["SELECT", "FROM", "WHERE", "ORDER", "USER"] {
        assert!(!keywords.split(',').any(|w| w == reserved), "{reserved}");
    }
}

#[test]
fn cursors_are_forward_only_and_read_only() {
    assert_eq!(mask(SQL_SCROLL_OPTIONS), SQL_SO_FORWARD_ONLY);
    assert_eq!(mask(SQL_FETCH_DIRECTION), SQL_FD_FETCH_NEXT);
    assert_eq!(mask(SQL_SCROLL_CONCURRENCY), SQL_SCCO_READ_ONLY);
    assert_eq!(mask(SQL_FORWARD_ONLY_CURSOR_ATTRIBUTES1), SQL_CA1_NEXT);
    assert_eq!(
        mask(SQL_FORWARD_ONLY_CURSOR_ATTRIBUTES2),
        SQL_CA2_READ_ONLY_CONCURRENCY | SQL_CA2_MAX_ROWS_SELECT
    );
    for other in [
        SQL_STATIC_CURSOR_ATTRIBUTES1,
        SQL_STATIC_CURSOR_ATTRIBUTES2,
        SQL_KEYSET_CURSOR_ATTRIBUTES1,
        SQL_KEYSET_CURSOR_ATTRIBUTES2,
        SQL_DYNAMIC_CURSOR_ATTRIBUTES1,
        SQL_DYNAMIC_CURSOR_ATTRIBUTES2,
        SQL_POS_OPERATIONS,
        SQL_POSITIONED_STATEMENTS,
        SQL_LOCK_TYPES,
        SQL_BOOKMARK_PERSISTENCE,
        SQL_STATIC_SENSITIVITY,
    ] {
        assert_eq!(mask(other), 0, "{:?}", name(other));
    }
    assert_eq!(mask(SQL_CURSOR_SENSITIVITY), SQL_INSENSITIVE);
    let getdata = mask(SQL_GETDATA_EXTENSIONS);
    assert_eq!(getdata, SQL_GD_ANY_COLUMN | SQL_GD_ANY_ORDER | SQL_GD_BOUND);
    assert_eq!(getdata & SQL_GD_BLOCK, 0, "SQLSetPos is not supported");
}

#[test]
fn sql_dialect_bits_match_what_the_parser_supports() {
    let predicates = mask(SQL_SQL92_PREDICATES);
    assert_eq!(
        predicates,
        SQL_SP_BETWEEN
            | SQL_SP_COMPARISON
            | SQL_SP_EXISTS
            | SQL_SP_IN
            | SQL_SP_ISNULL
            | SQL_SP_ISNOTNULL
            | SQL_SP_LIKE
    );
    let outer_joins = mask(SQL_OJ_CAPABILITIES);
    // Left joins only, nesting on the left only.
    assert_eq!(
        outer_joins & (SQL_OJ_RIGHT | SQL_OJ_FULL | SQL_OJ_NESTED),
        0
    );
    assert_ne!(outer_joins & SQL_OJ_LEFT, 0);
    assert_ne!(outer_joins & SQL_OJ_INNER, 0);
    assert_eq!(
        mask(SQL_SQL92_RELATIONAL_JOIN_OPERATORS),
        SQL_SRJO_INNER_JOIN | SQL_SRJO_LEFT_OUTER_JOIN
    );
    assert_eq!(mask(SQL_AGGREGATE_FUNCTIONS), 0x7F);
    // Uncorrelated subqueries: IN, EXISTS and scalar comparisons.
    assert_eq!(
        mask(SQL_SUBQUERIES),
        SQL_SQ_IN | SQL_SQ_EXISTS | SQL_SQ_COMPARISON
    );
    assert_eq!(mask(SQL_UNION), SQL_U_UNION | SQL_U_UNION_ALL);
    assert_eq!(mask(SQL_SQL_CONFORMANCE), SQL_SC_SQL92_ENTRY);
    assert_eq!(mask(SQL_ODBC_INTERFACE_CONFORMANCE), SQL_OIC_CORE);
    assert_eq!(
        ask(SQL_GROUP_BY),
        InfoValue::U16(SQL_GB_GROUP_BY_CONTAINS_SELECT)
    );
    assert_eq!(ask(SQL_NULL_COLLATION), InfoValue::U16(SQL_NC_LOW));
    assert_ne!(SQL_NC_LOW, SQL_NC_HIGH);
    assert_eq!(mask(SQL_DATETIME_LITERALS), 0b111);
    assert_eq!(
        mask(SQL_CONVERT_FUNCTIONS),
        SQL_FN_CVT_CAST | SQL_FN_CVT_CONVERT
    );
    assert_eq!(mask(SQL_INSERT_STATEMENT), SQL_IS_INSERT_LITERALS);
    assert_eq!(mask(SQL_CREATE_TABLE), 0);
    assert_eq!(mask(SQL_ALTER_TABLE), 0);
}

#[test]
fn scalar_functions_are_the_implemented_ones() {
    let strings = mask(SQL_STRING_FUNCTIONS);
    for implemented in [
        SQL_FN_STR_CONCAT,
        SQL_FN_STR_LOCATE,
        SQL_FN_STR_LOCATE_2,
        SQL_FN_STR_POSITION,
        SQL_FN_STR_SPACE,
    ] {
        assert_ne!(strings & implemented, 0, "{implemented:#x}");
    }
    for missing in [
        SQL_FN_STR_DIFFERENCE,
        SQL_FN_STR_SOUNDEX,
        SQL_FN_STR_BIT_LENGTH,
    ] {
        assert_eq!(strings & missing, 0, "{missing:#x}");
    }
    // All 24 numeric functions ODBC defines.
    assert_eq!(mask(SQL_NUMERIC_FUNCTIONS), 0x00FF_FFFF);
    // All 21 time and date functions ODBC defines.
    assert_eq!(mask(SQL_TIMEDATE_FUNCTIONS), 0x001F_FFFF);
    assert_eq!(
        mask(SQL_SYSTEM_FUNCTIONS),
        SQL_FN_SYS_DBNAME | SQL_FN_SYS_IFNULL | SQL_FN_SYS_USERNAME
    );
    for intervals in [SQL_TIMEDATE_ADD_INTERVALS, SQL_TIMEDATE_DIFF_INTERVALS] {
        let bits = mask(intervals);
        assert_eq!(bits & SQL_FN_TSI_FRAC_SECOND, 0);
        assert_eq!(bits, 0x1FE);
    }
}

#[test]
fn conversions_are_answered_as_bitmasks() {
    assert_ne!(mask(SQL_CONVERT_WVARCHAR) & SQL_CVT_INTEGER, 0);
    assert_eq!(mask(SQL_CONVERT_VARBINARY), 0);
    assert_eq!(mask(SQL_CONVERT_GUID), 0);
}
