//! The SQL data types the driver exposes, with every piece of ODBC metadata
//! derived from them in one place, so SQLColumns, SQLDescribeCol,
//! SQLColAttribute, the descriptors and SQLGetTypeInfo always agree.

/// ODBC SQL type codes (sql.h / sqlext.h).
pub mod sql {
    pub const UNKNOWN_TYPE: i16 = 0;
    pub const CHAR: i16 = 1;
    pub const NUMERIC: i16 = 2;
    pub const DECIMAL: i16 = 3;
    pub const INTEGER: i16 = 4;
    pub const SMALLINT: i16 = 5;
    pub const FLOAT: i16 = 6;
    pub const REAL: i16 = 7;
    pub const DOUBLE: i16 = 8;
    pub const DATETIME: i16 = 9;
    pub const VARCHAR: i16 = 12;
    pub const TYPE_DATE: i16 = 91;
    pub const TYPE_TIME: i16 = 92;
    pub const TYPE_TIMESTAMP: i16 = 93;
    pub const DATE: i16 = 9; // ODBC 2 codes, accepted on input
    pub const TIME: i16 = 10;
    pub const TIMESTAMP: i16 = 11;
    pub const LONGVARCHAR: i16 = -1;
    pub const BINARY: i16 = -2;
    pub const VARBINARY: i16 = -3;
    pub const LONGVARBINARY: i16 = -4;
    pub const BIGINT: i16 = -5;
    pub const TINYINT: i16 = -6;
    pub const BIT: i16 = -7;
    pub const WCHAR: i16 = -8;
    pub const WVARCHAR: i16 = -9;
    pub const WLONGVARCHAR: i16 = -10;
    pub const GUID: i16 = -11;
    pub const ALL_TYPES: i16 = 0;

    /// Datetime subcodes (SQL_DESC_DATETIME_INTERVAL_CODE).
    pub const CODE_DATE: i16 = 1;
    pub const CODE_TIME: i16 = 2;
    pub const CODE_TIMESTAMP: i16 = 3;
}

/// Maximum length, in characters, reported for long text.
pub const LONG_TEXT_MAX: u32 = 1_073_741_823;

/// Bytes of one SQLWCHAR: UTF-16 units for unixODBC and Windows, 4-byte
/// `wchar_t` for iODBC (see `ffi::text`).
#[cfg(not(feature = "iodbc"))]
const WIDE_CHAR_BYTES: u32 = 2;
#[cfg(feature = "iodbc")]
const WIDE_CHAR_BYTES: u32 = 4;

/// A column or expression type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DataType {
    Bit,
    /// Used for the small-integer columns of catalog results.
    SmallInt,
    Integer,
    BigInt,
    Double,
    /// Unicode text up to the given number of characters.
    WVarchar(u32),
    /// Unicode text of unbounded length (notes, descriptions).
    WLongVarchar,
    Date,
    Time,
    Timestamp,
}

/// SQLColumns SEARCHABLE / SQLGetTypeInfo SEARCHABLE values.
pub const SQL_PRED_SEARCHABLE: i16 = 3;
pub const SQL_PRED_BASIC: i16 = 2;

impl DataType {
    /// Every type, in SQLGetTypeInfo order (by DATA_TYPE, then closeness).
    pub const ALL: [DataType; 10] = [
        DataType::WLongVarchar,
        DataType::WVarchar(4000),
        DataType::Bit,
        DataType::BigInt,
        DataType::Integer,
        DataType::SmallInt,
        DataType::Double,
        DataType::Date,
        DataType::Time,
        DataType::Timestamp,
    ];

    /// SQL_DESC_CONCISE_TYPE.
    pub fn sql_type(self) -> i16 {
        match self {
            DataType::Bit => sql::BIT,
            DataType::SmallInt => sql::SMALLINT,
            DataType::Integer => sql::INTEGER,
            DataType::BigInt => sql::BIGINT,
            DataType::Double => sql::DOUBLE,
            DataType::WVarchar(_) => sql::WVARCHAR,
            DataType::WLongVarchar => sql::WLONGVARCHAR,
            DataType::Date => sql::TYPE_DATE,
            DataType::Time => sql::TYPE_TIME,
            DataType::Timestamp => sql::TYPE_TIMESTAMP,
        }
    }

    /// SQL_DESC_TYPE (verbose type): SQL_DATETIME for dates and times.
    pub fn verbose_type(self) -> i16 {
        match self {
            DataType::Date | DataType::Time | DataType::Timestamp => sql::DATETIME,
            other => other.sql_type(),
        }
    }

    /// SQL_DESC_DATETIME_INTERVAL_CODE (0 when not a datetime).
    pub fn datetime_subcode(self) -> i16 {
        match self {
            DataType::Date => sql::CODE_DATE,
            DataType::Time => sql::CODE_TIME,
            DataType::Timestamp => sql::CODE_TIMESTAMP,
            _ => 0,
        }
    }

    /// The type as SQLGetTypeInfo's TYPE_NAME and SQLColumns' TYPE_NAME say it.
    pub fn type_name(self) -> &'static str {
        match self {
            DataType::Bit => "BIT",
            DataType::SmallInt => "SMALLINT",
            DataType::Integer => "INTEGER",
            DataType::BigInt => "BIGINT",
            DataType::Double => "DOUBLE",
            DataType::WVarchar(_) => "WVARCHAR",
            DataType::WLongVarchar => "WLONGVARCHAR",
            DataType::Date => "DATE",
            DataType::Time => "TIME",
            DataType::Timestamp => "TIMESTAMP",
        }
    }

    /// COLUMN_SIZE: digits for numbers, characters for text and datetimes.
    pub fn column_size(self) -> u32 {
        match self {
            DataType::Bit => 1,
            DataType::SmallInt => 5,
            DataType::Integer => 10,
            DataType::BigInt => 19,
            DataType::Double => 15,
            DataType::WVarchar(n) => n,
            DataType::WLongVarchar => LONG_TEXT_MAX,
            DataType::Date => 10,
            DataType::Time => 8,
            DataType::Timestamp => 19,
        }
    }

    /// DECIMAL_DIGITS (SQL_DESC_SCALE / SQL_DESC_PRECISION for datetimes);
    /// `None` where not applicable (reported as NULL in catalogs).
    pub fn decimal_digits(self) -> Option<i16> {
        match self {
            DataType::Bit | DataType::SmallInt | DataType::Integer | DataType::BigInt => Some(0),
            DataType::Time | DataType::Timestamp => Some(0),
            _ => None,
        }
    }

    /// NUM_PREC_RADIX: 10 for exact and approximate numbers, else NULL.
    pub fn num_prec_radix(self) -> Option<i16> {
        match self {
            DataType::Bit
            | DataType::SmallInt
            | DataType::Integer
            | DataType::BigInt
            | DataType::Double => Some(10),
            _ => None,
        }
    }

    /// SQL_DESC_DISPLAY_SIZE in characters.
    pub fn display_size(self) -> u32 {
        match self {
            DataType::Bit => 1,
            DataType::SmallInt => 6,
            DataType::Integer => 11,
            DataType::BigInt => 20,
            DataType::Double => 24,
            DataType::WVarchar(n) => n,
            DataType::WLongVarchar => LONG_TEXT_MAX,
            DataType::Date => 10,
            DataType::Time => 8,
            DataType::Timestamp => 19,
        }
    }

    /// SQL_DESC_OCTET_LENGTH / BUFFER_LENGTH: bytes of the default C type
    /// (SQL_C_WCHAR for text).
    pub fn octet_length(self) -> u32 {
        match self {
            DataType::Bit => 1,
            DataType::SmallInt => 2,
            DataType::Integer => 4,
            DataType::BigInt | DataType::Double => 8,
            DataType::WVarchar(n) => n.saturating_mul(WIDE_CHAR_BYTES),
            DataType::WLongVarchar => i32::MAX as u32,
            DataType::Date | DataType::Time => 6,
            DataType::Timestamp => 16,
        }
    }

    /// SQL_DESC_LENGTH: characters for text, else the column size.
    pub fn length(self) -> u32 {
        self.column_size()
    }

    /// SQL_DESC_PRECISION.
    pub fn precision(self) -> i16 {
        match self {
            DataType::SmallInt => 5,
            DataType::Integer => 10,
            DataType::BigInt => 19,
            DataType::Double => 15,
            DataType::Bit => 1,
            _ => self.decimal_digits().unwrap_or(0),
        }
    }

    pub fn is_text(self) -> bool {
        matches!(self, DataType::WVarchar(_) | DataType::WLongVarchar)
    }

    pub fn is_numeric(self) -> bool {
        matches!(
            self,
            DataType::Bit | DataType::Integer | DataType::BigInt | DataType::Double
        )
    }

    /// SQL_DESC_UNSIGNED: only BIT has no sign.
    pub fn is_unsigned(self) -> bool {
        matches!(self, DataType::Bit)
    }

    /// SQL_DESC_CASE_SENSITIVE.
    pub fn is_case_sensitive(self) -> bool {
        self.is_text()
    }

    /// SQL_DESC_SEARCHABLE / SEARCHABLE.
    pub fn searchable(self) -> i16 {
        match self {
            DataType::WLongVarchar => SQL_PRED_BASIC,
            _ => SQL_PRED_SEARCHABLE,
        }
    }

    /// SQL_DESC_LITERAL_PREFIX / SUFFIX.
    pub fn literal_prefix(self) -> Option<&'static str> {
        match self {
            DataType::WVarchar(_) | DataType::WLongVarchar => Some("N'"),
            DataType::Date => Some("DATE '"),
            DataType::Time => Some("TIME '"),
            DataType::Timestamp => Some("TIMESTAMP '"),
            _ => None,
        }
    }

    pub fn literal_suffix(self) -> Option<&'static str> {
        match self {
            DataType::WVarchar(_)
            | DataType::WLongVarchar
            | DataType::Date
            | DataType::Time
            | DataType::Timestamp => Some("'"),
            _ => None,
        }
    }

    /// The C type SQL_C_DEFAULT means for this SQL type.
    pub fn default_c_type(self) -> i16 {
        use crate::convert::c_types as c;
        match self {
            DataType::Bit => c::BIT,
            DataType::SmallInt => c::SSHORT,
            DataType::Integer => c::SLONG,
            DataType::BigInt => c::SBIGINT,
            DataType::Double => c::DOUBLE,
            DataType::WVarchar(_) | DataType::WLongVarchar => c::WCHAR,
            DataType::Date => c::TYPE_DATE,
            DataType::Time => c::TYPE_TIME,
            DataType::Timestamp => c::TYPE_TIMESTAMP,
        }
    }

    /// Maps an SQL type code an application names (SQLGetTypeInfo,
    /// SQLBindParameter, CAST targets) to the driver's type.
    pub fn from_sql_type(code: i16) -> Option<DataType> {
        Some(match code {
            sql::BIT => DataType::Bit,
            sql::TINYINT | sql::SMALLINT => DataType::SmallInt,
            sql::INTEGER => DataType::Integer,
            sql::BIGINT => DataType::BigInt,
            sql::DOUBLE | sql::FLOAT | sql::REAL | sql::DECIMAL | sql::NUMERIC => DataType::Double,
            sql::CHAR | sql::VARCHAR | sql::WCHAR | sql::WVARCHAR => DataType::WVarchar(4000),
            sql::LONGVARCHAR | sql::WLONGVARCHAR => DataType::WLongVarchar,
            sql::TYPE_DATE | sql::DATE => DataType::Date,
            sql::TYPE_TIME | sql::TIME => DataType::Time,
            sql::TYPE_TIMESTAMP | sql::TIMESTAMP => DataType::Timestamp,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_text_octet_length_is_in_the_driver_managers_sqlwchar() {
        let unit = std::mem::size_of::<crate::ffi::text::SqlWChar>() as u32;
        assert_eq!(DataType::WVarchar(10).octet_length(), 10 * unit);
    }

    #[test]
    fn datetimes_have_verbose_type_and_subcode() {
        assert_eq!(DataType::Timestamp.sql_type(), 93);
        assert_eq!(DataType::Timestamp.verbose_type(), 9);
        assert_eq!(DataType::Timestamp.datetime_subcode(), 3);
        assert_eq!(DataType::Integer.verbose_type(), 4);
    }

    #[test]
    fn type_info_order_is_by_data_type() {
        let codes: Vec<i16> = DataType::ALL.iter().map(|t| t.sql_type()).collect();
        let mut sorted = codes.clone();
        sorted.sort();
        assert_eq!(codes, sorted);
    }

    #[test]
    fn every_type_round_trips_through_its_code() {
        for t in DataType::ALL {
            let back = DataType::from_sql_type(t.sql_type()).unwrap();
            assert_eq!(back.sql_type(), t.sql_type());
        }
    }
}

/// Whether `code` is an SQL type ODBC defines (for HY004 checks).
pub fn is_valid_sql_type(code: i16) -> bool {
    matches!(
        code,
        sql::CHAR
            | sql::NUMERIC
            | sql::DECIMAL
            | sql::INTEGER
            | sql::SMALLINT
            | sql::FLOAT
            | sql::REAL
            | sql::DOUBLE
            | sql::VARCHAR
            | sql::TYPE_DATE
            | sql::TYPE_TIME
            | sql::TYPE_TIMESTAMP
            | sql::LONGVARCHAR
            | sql::BINARY
            | sql::VARBINARY
            | sql::LONGVARBINARY
            | sql::BIGINT
            | sql::TINYINT
            | sql::BIT
            | sql::WCHAR
            | sql::WVARCHAR
            | sql::WLONGVARCHAR
            | sql::GUID
    ) || (101..=113).contains(&code)
}
