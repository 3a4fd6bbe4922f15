//! Errors and diagnostic records: one SQLSTATE table carrying both the ODBC 3
//! code and the ODBC 2 code, so every layer reports a `SqlState` and the
//! boundary picks the code the application's ODBC version asks for.

use std::fmt;

/// Prefix of every message text, as ODBC components name themselves.
pub const MESSAGE_PREFIX: &str = "[pipedrive-odbc]";

macro_rules! sql_states {
    ($( $name:ident => ($odbc3:literal, $odbc2:literal, $origin_odbc:literal) ),* $(,)?) => {
        /// An SQLSTATE the driver reports.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum SqlState { $( $name ),* }

        impl SqlState {
            /// The ODBC 3.x SQLSTATE.
            pub fn odbc3(self) -> &'static str {
                match self { $( SqlState::$name => $odbc3 ),* }
            }
            /// The SQLSTATE an ODBC 2.x application expects.
            pub fn odbc2(self) -> &'static str {
                match self { $( SqlState::$name => $odbc2 ),* }
            }
            /// Whether the subclass is defined by ODBC rather than ISO 9075
            /// (SQL_DIAG_SUBCLASS_ORIGIN).
            pub fn subclass_defined_by_odbc(self) -> bool {
                match self { $( SqlState::$name => $origin_odbc ),* }
            }
        }
    };
}

sql_states! {
    GeneralWarning => ("01000", "01000", false),
    DisconnectError => ("01002", "01002", false),
    StringTruncated => ("01004", "01004", false),
    InvalidConnectionStringAttribute => ("01S00", "01S00", true),
    ErrorInRow => ("01S01", "01S01", true),
    OptionValueChanged => ("01S02", "01S02", true),
    FractionalTruncation => ("01S07", "01S07", true),
    WrongParameterCount => ("07002", "07001", false),
    NotACursorSpecification => ("07005", "24000", false),
    RestrictedDataType => ("07006", "07006", false),
    InvalidDescriptorIndex => ("07009", "S1002", false),
    UnableToConnect => ("08001", "08001", false),
    ConnectionInUse => ("08002", "08002", false),
    ConnectionNotOpen => ("08003", "08003", false),
    ServerRejectedConnection => ("08004", "08004", false),
    CommunicationLinkFailure => ("08S01", "08S01", true),
    CardinalityViolation => ("21000", "21000", false),
    StringDataRightTruncated => ("22001", "22001", false),
    IndicatorRequired => ("22002", "22002", false),
    NumericOutOfRange => ("22003", "22003", false),
    InvalidDatetimeFormat => ("22007", "22008", false),
    DatetimeFieldOverflow => ("22008", "22008", false),
    DivisionByZero => ("22012", "22012", false),
    InvalidCharacterValueForCast => ("22018", "22005", false),
    InvalidEscapeCharacter => ("22019", "22019", false),
    InvalidEscapeSequence => ("22025", "22025", false),
    IntegrityConstraintViolation => ("23000", "23000", false),
    InvalidCursorState => ("24000", "24000", false),
    InvalidTransactionState => ("25000", "25000", false),
    InvalidAuthorization => ("28000", "28000", false),
    InvalidCursorName => ("34000", "34000", false),
    InvalidCatalogName => ("3D000", "S1000", false),
    InvalidSchemaName => ("3F000", "S1000", false),
    SyntaxError => ("42000", "37000", false),
    TableNotFound => ("42S02", "S0002", true),
    ColumnNotFound => ("42S22", "S0022", true),
    GeneralError => ("HY000", "S1000", true),
    MemoryAllocation => ("HY001", "S1001", true),
    InvalidApplicationBufferType => ("HY003", "S1003", true),
    InvalidSqlDataType => ("HY004", "S1004", true),
    StatementNotPrepared => ("HY007", "S1010", true),
    OperationCanceled => ("HY008", "S1008", true),
    InvalidNullPointer => ("HY009", "S1009", true),
    FunctionSequenceError => ("HY010", "S1010", true),
    AttributeCannotBeSetNow => ("HY011", "S1011", true),
    InvalidTransactionOperation => ("HY012", "S1012", true),
    CannotModifyIrd => ("HY016", "HY016", true),
    NonCharacterDataInPieces => ("HY019", "HY019", true),
    InvalidAttributeValue => ("HY024", "S1009", true),
    InvalidStringOrBufferLength => ("HY090", "S1090", true),
    InvalidDescriptorFieldIdentifier => ("HY091", "S1091", true),
    InvalidAttributeIdentifier => ("HY092", "S1092", true),
    InformationTypeOutOfRange => ("HY096", "S1096", true),
    ColumnTypeOutOfRange => ("HY097", "S1097", true),
    ScopeTypeOutOfRange => ("HY098", "S1098", true),
    NullableTypeOutOfRange => ("HY099", "S1099", true),
    UniquenessOptionOutOfRange => ("HY100", "S1100", true),
    AccuracyOptionOutOfRange => ("HY101", "S1101", true),
    InvalidPrecisionOrScale => ("HY104", "S1104", true),
    InvalidParameterType => ("HY105", "S1105", true),
    FetchTypeOutOfRange => ("HY106", "S1106", true),
    RowValueOutOfRange => ("HY107", "S1107", true),
    InvalidCursorPosition => ("HY109", "S1109", true),
    InvalidDriverCompletion => ("HY110", "S1110", true),
    OptionalFeatureNotImplemented => ("HYC00", "S1C00", true),
    TimeoutExpired => ("HYT00", "S1T00", true),
    ConnectionTimeoutExpired => ("HYT01", "S1T00", true),
    DriverDoesNotSupportFunction => ("IM001", "IM001", true),
}

impl SqlState {
    /// Whether this state is a warning (class 01), reported with
    /// SQL_SUCCESS_WITH_INFO rather than SQL_ERROR.
    pub fn is_warning(self) -> bool {
        self.odbc3().starts_with("01")
    }

    /// SQL_DIAG_CLASS_ORIGIN: classes IM and HY are ODBC's, the rest ISO's.
    pub fn class_origin(self) -> &'static str {
        let code = self.odbc3();
        if code.starts_with("IM") || code.starts_with("HY") {
            "ODBC 3.0"
        } else {
            "ISO 9075"
        }
    }

    /// SQL_DIAG_SUBCLASS_ORIGIN.
    pub fn subclass_origin(self) -> &'static str {
        if self.subclass_defined_by_odbc() {
            "ODBC 3.0"
        } else {
            "ISO 9075"
        }
    }
}

/// An error (or warning) raised anywhere in the driver, carrying the SQLSTATE
/// it is reported with. Messages must never contain secrets.
#[derive(Debug, Clone, PartialEq)]
pub struct OdbcError {
    pub state: SqlState,
    pub message: String,
    /// SQL_DIAG_NATIVE: the HTTP status of an API error, else 0.
    pub native: i32,
}

impl OdbcError {
    pub fn new(state: SqlState, message: impl Into<String>) -> Self {
        OdbcError {
            state,
            message: message.into(),
            native: 0,
        }
    }

    pub fn with_native(mut self, native: i32) -> Self {
        self.native = native;
        self
    }

    pub fn general(message: impl Into<String>) -> Self {
        Self::new(SqlState::GeneralError, message)
    }

    pub fn syntax(message: impl Into<String>) -> Self {
        Self::new(SqlState::SyntaxError, message)
    }

    pub fn sequence(function: &str) -> Self {
        Self::new(
            SqlState::FunctionSequenceError,
            format!("Function sequence error: {function} is not allowed in the statement's current state"),
        )
    }

    pub fn not_implemented(what: impl fmt::Display) -> Self {
        Self::new(
            SqlState::OptionalFeatureNotImplemented,
            format!("Optional feature not implemented: {what}"),
        )
    }
}

impl fmt::Display for OdbcError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.state.odbc3(), self.message)
    }
}

impl std::error::Error for OdbcError {}

pub type Result<T, E = OdbcError> = std::result::Result<T, E>;

/// One diagnostic record as SQLGetDiagRec/SQLGetDiagField report it.
#[derive(Debug, Clone, PartialEq)]
pub struct DiagRecord {
    pub state: SqlState,
    /// Full message text including the component prefix.
    pub message: String,
    pub native: i32,
    /// SQL_DIAG_ROW_NUMBER (SQL_NO_ROW_NUMBER = -1 when not row-related).
    pub row_number: i64,
    /// SQL_DIAG_COLUMN_NUMBER (SQL_NO_COLUMN_NUMBER = -1).
    pub column_number: i32,
}

impl DiagRecord {
    pub fn from_error(err: &OdbcError) -> Self {
        DiagRecord {
            state: err.state,
            message: format!("{MESSAGE_PREFIX} {}", err.message),
            native: err.native,
            row_number: -1,
            column_number: -1,
        }
    }
}

/// The diagnostic area of one handle: cleared by every function call except
/// the diagnostic functions themselves.
#[derive(Debug, Default, Clone)]
pub struct DiagArea {
    pub records: Vec<DiagRecord>,
    /// SQL_DIAG_RETURNCODE of the last function called on the handle.
    pub return_code: i16,
    /// SQL_DIAG_CURSOR_ROW_COUNT / SQL_DIAG_ROW_COUNT for statements.
    pub row_count: i64,
    /// SQL_DIAG_DYNAMIC_FUNCTION(_CODE) of the last executed statement.
    pub dynamic_function: &'static str,
    pub dynamic_function_code: i32,
}

impl DiagArea {
    pub fn clear(&mut self) {
        self.records.clear();
        self.return_code = 0;
    }

    pub fn push(&mut self, err: &OdbcError) {
        self.records.push(DiagRecord::from_error(err));
    }

    pub fn has_warnings(&self) -> bool {
        self.records.iter().any(|r| r.state.is_warning())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odbc2_codes_differ_where_the_spec_renamed_them() {
        assert_eq!(SqlState::GeneralError.odbc2(), "S1000");
        assert_eq!(SqlState::TableNotFound.odbc3(), "42S02");
        assert_eq!(SqlState::TableNotFound.odbc2(), "S0002");
        assert_eq!(SqlState::SyntaxError.odbc2(), "37000");
        assert_eq!(SqlState::InvalidAuthorization.odbc2(), "28000");
    }

    #[test]
    fn warnings_are_class_01() {
        assert!(SqlState::StringTruncated.is_warning());
        assert!(SqlState::InvalidConnectionStringAttribute.is_warning());
        assert!(!SqlState::GeneralError.is_warning());
    }

    #[test]
    fn origins_follow_the_class() {
        assert_eq!(SqlState::GeneralError.class_origin(), "ODBC 3.0");
        assert_eq!(SqlState::SyntaxError.class_origin(), "ISO 9075");
        assert_eq!(SqlState::TableNotFound.subclass_origin(), "ODBC 3.0");
        assert_eq!(SqlState::SyntaxError.subclass_origin(), "ISO 9075");
    }

    #[test]
    fn records_carry_the_component_prefix() {
        let rec = DiagRecord::from_error(&OdbcError::general("boom"));
        assert_eq!(rec.message, "[pipedrive-odbc] boom");
        assert_eq!(rec.row_number, -1);
    }
}
