//! SQLGetTypeInfo, from the driver's type list.

use super::{col, opt_int, small, text, NAME, SMALL};
use crate::diag::{OdbcError, Result, SqlState};
use crate::sql::ResultColumn;
use crate::types::{sql, DataType};
use crate::value::Value;

/// Rows for `data_type` (SQL_ALL_TYPES = 0 for all), ordered by DATA_TYPE.
pub fn type_info(data_type: i16) -> Result<(Vec<ResultColumn>, Vec<Vec<Value>>)> {
    let columns = vec![
        col("TYPE_NAME", NAME, false),
        col("DATA_TYPE", SMALL, false),
        col("COLUMN_SIZE", DataType::Integer, true),
        col("LITERAL_PREFIX", NAME, true),
        col("LITERAL_SUFFIX", NAME, true),
        col("CREATE_PARAMS", NAME, true),
        col("NULLABLE", SMALL, false),
        col("CASE_SENSITIVE", SMALL, false),
        col("SEARCHABLE", SMALL, false),
        col("UNSIGNED_ATTRIBUTE", SMALL, true),
        col("FIXED_PREC_SCALE", SMALL, false),
        col("AUTO_UNIQUE_VALUE", SMALL, true),
        col("LOCAL_TYPE_NAME", NAME, true),
        col("MINIMUM_SCALE", SMALL, true),
        col("MAXIMUM_SCALE", SMALL, true),
        col("SQL_DATA_TYPE", SMALL, false),
        col("SQL_DATETIME_SUB", SMALL, true),
        col("NUM_PREC_RADIX", DataType::Integer, true),
        col("INTERVAL_PRECISION", SMALL, true),
    ];
    // ODBC 2 datetime codes select the same types.
    let wanted = match data_type {
        sql::DATE => sql::TYPE_DATE,
        sql::TIME => sql::TYPE_TIME,
        sql::TIMESTAMP => sql::TYPE_TIMESTAMP,
        other => other,
    };
    let known = wanted == sql::ALL_TYPES || crate::types::is_valid_sql_type(wanted);
    if !known {
        return Err(OdbcError::new(
            SqlState::InvalidSqlDataType,
            format!("Invalid SQL data type {data_type}"),
        ));
    }
    let rows = DataType::ALL
        .iter()
        .filter(|t| wanted == sql::ALL_TYPES || t.sql_type() == wanted)
        .map(|t| {
            let subcode = t.datetime_subcode();
            let is_numeric = t.is_numeric();
            vec![
                text(t.type_name()),
                small(t.sql_type().into()),
                Value::Int(t.column_size().into()),
                t.literal_prefix().map_or(Value::Null, text),
                t.literal_suffix().map_or(Value::Null, text),
                if matches!(t, DataType::WVarchar(_)) {
                    text("max length")
                } else {
                    Value::Null
                },
                small(1),
                small(i64::from(t.is_case_sensitive())),
                small(t.searchable().into()),
                if is_numeric {
                    small(i64::from(t.is_unsigned()))
                } else {
                    Value::Null
                },
                small(0),
                if is_numeric { small(0) } else { Value::Null },
                text(t.type_name()),
                opt_int(t.decimal_digits()),
                opt_int(t.decimal_digits()),
                small(t.verbose_type().into()),
                if subcode == 0 {
                    Value::Null
                } else {
                    small(subcode.into())
                },
                t.num_prec_radix()
                    .map_or(Value::Null, |r| Value::Int(r.into())),
                Value::Null,
            ]
        })
        .collect();
    Ok((columns, rows))
}
