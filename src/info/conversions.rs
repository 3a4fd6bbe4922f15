//! SQL_CONVERT_<type>: for each source SQL type, the target types that
//! CAST / {fn CONVERT} accept. Conversions follow the driver's value model:
//! numbers convert among themselves, everything converts to and from text,
//! and dates and times convert to and from timestamps. Binary, interval and
//! GUID values do not exist in the driver, so those sources answer 0
//! (which the specification defines as "no conversions at all").

use super::info_type::*;
use super::masks::*;

/// Every character type, narrow and wide.
const TEXT: u32 = SQL_CVT_CHAR
    | SQL_CVT_VARCHAR
    | SQL_CVT_LONGVARCHAR
    | SQL_CVT_WCHAR
    | SQL_CVT_WVARCHAR
    | SQL_CVT_WLONGVARCHAR;

/// Every exact and approximate numeric type, BIT included (it is 0 or 1).
const NUMBERS: u32 = SQL_CVT_BIT
    | SQL_CVT_TINYINT
    | SQL_CVT_SMALLINT
    | SQL_CVT_INTEGER
    | SQL_CVT_BIGINT
    | SQL_CVT_REAL
    | SQL_CVT_FLOAT
    | SQL_CVT_DOUBLE
    | SQL_CVT_DECIMAL
    | SQL_CVT_NUMERIC;

const FROM_TEXT: u32 = TEXT | NUMBERS | SQL_CVT_DATE | SQL_CVT_TIME | SQL_CVT_TIMESTAMP;
const FROM_NUMBER: u32 = TEXT | NUMBERS;
const FROM_DATE: u32 = TEXT | SQL_CVT_DATE | SQL_CVT_TIMESTAMP;
const FROM_TIME: u32 = TEXT | SQL_CVT_TIME | SQL_CVT_TIMESTAMP;
const FROM_TIMESTAMP: u32 = TEXT | SQL_CVT_DATE | SQL_CVT_TIME | SQL_CVT_TIMESTAMP;
const NOT_CONVERTIBLE: u32 = 0;

/// The SQL_CVT_* mask answering a SQL_CONVERT_<type> information type;
/// `None` when `info_type` is not one of them.
pub fn conversion_targets(info_type: u16) -> Option<u32> {
    let targets = match info_type {
        SQL_CONVERT_CHAR
        | SQL_CONVERT_VARCHAR
        | SQL_CONVERT_LONGVARCHAR
        | SQL_CONVERT_WCHAR
        | SQL_CONVERT_WVARCHAR
        | SQL_CONVERT_WLONGVARCHAR => FROM_TEXT,
        SQL_CONVERT_BIT | SQL_CONVERT_TINYINT | SQL_CONVERT_SMALLINT | SQL_CONVERT_INTEGER
        | SQL_CONVERT_BIGINT | SQL_CONVERT_REAL | SQL_CONVERT_FLOAT | SQL_CONVERT_DOUBLE
        | SQL_CONVERT_DECIMAL | SQL_CONVERT_NUMERIC => FROM_NUMBER,
        SQL_CONVERT_DATE => FROM_DATE,
        SQL_CONVERT_TIME => FROM_TIME,
        SQL_CONVERT_TIMESTAMP => FROM_TIMESTAMP,
        SQL_CONVERT_BINARY
        | SQL_CONVERT_VARBINARY
        | SQL_CONVERT_LONGVARBINARY
        | SQL_CONVERT_INTERVAL_DAY_TIME
        | SQL_CONVERT_INTERVAL_YEAR_MONTH
        | SQL_CONVERT_GUID => NOT_CONVERTIBLE,
        _ => return None,
    };
    Some(targets)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_converts_to_every_supported_type_but_not_binary() {
        let targets = conversion_targets(SQL_CONVERT_WVARCHAR).unwrap_or(0);
        for target in [
            SQL_CVT_WVARCHAR,
            SQL_CVT_CHAR,
            SQL_CVT_INTEGER,
            SQL_CVT_BIT,
            SQL_CVT_DATE,
            SQL_CVT_TIMESTAMP,
        ] {
            assert_ne!(targets & target, 0, "WVARCHAR -> {target:#x}");
        }
        assert_eq!(
            targets & (SQL_CVT_BINARY | SQL_CVT_GUID | SQL_CVT_INTERVAL_DAY_TIME),
            0
        );
    }

    #[test]
    fn numbers_do_not_become_datetimes() {
        let targets = conversion_targets(SQL_CONVERT_INTEGER).unwrap_or(0);
        assert_ne!(targets & SQL_CVT_DOUBLE, 0);
        assert_ne!(targets & SQL_CVT_WVARCHAR, 0);
        assert_eq!(
            targets & (SQL_CVT_DATE | SQL_CVT_TIME | SQL_CVT_TIMESTAMP),
            0
        );
    }

    #[test]
    fn dates_and_times_meet_only_through_timestamps() {
        let from_date = conversion_targets(SQL_CONVERT_DATE).unwrap_or(0);
        assert_ne!(from_date & SQL_CVT_TIMESTAMP, 0);
        assert_eq!(from_date & SQL_CVT_TIME, 0);
        assert_eq!(from_date & SQL_CVT_INTEGER, 0);
        let from_time = conversion_targets(SQL_CONVERT_TIME).unwrap_or(0);
        assert_ne!(from_time & SQL_CVT_TIMESTAMP, 0);
        assert_eq!(from_time & SQL_CVT_DATE, 0);
        let from_timestamp = conversion_targets(SQL_CONVERT_TIMESTAMP).unwrap_or(0);
        assert_eq!(
            from_timestamp & (SQL_CVT_DATE | SQL_CVT_TIME | SQL_CVT_TIMESTAMP),
            SQL_CVT_DATE | SQL_CVT_TIME | SQL_CVT_TIMESTAMP
        );
    }

    #[test]
    fn types_the_driver_does_not_have_convert_to_nothing() {
        for source in [
            SQL_CONVERT_BINARY,
            SQL_CONVERT_GUID,
            SQL_CONVERT_INTERVAL_YEAR_MONTH,
        ] {
            assert_eq!(conversion_targets(source), Some(0));
        }
    }

    #[test]
    fn other_information_types_are_not_conversions() {
        assert_eq!(conversion_targets(SQL_CONVERT_FUNCTIONS), None);
        assert_eq!(conversion_targets(SQL_DRIVER_NAME), None);
    }

    #[test]
    fn every_source_type_converts_to_itself_or_not_at_all() {
        let identity = [
            (SQL_CONVERT_CHAR, SQL_CVT_CHAR),
            (SQL_CONVERT_WLONGVARCHAR, SQL_CVT_WLONGVARCHAR),
            (SQL_CONVERT_BIT, SQL_CVT_BIT),
            (SQL_CONVERT_BIGINT, SQL_CVT_BIGINT),
            (SQL_CONVERT_NUMERIC, SQL_CVT_NUMERIC),
            (SQL_CONVERT_DATE, SQL_CVT_DATE),
            (SQL_CONVERT_TIME, SQL_CVT_TIME),
            (SQL_CONVERT_TIMESTAMP, SQL_CVT_TIMESTAMP),
        ];
        for (source, itself) in identity {
            assert_ne!(
                conversion_targets(source).unwrap_or(0) & itself,
                0,
                "source {source}"
            );
        }
    }
}
