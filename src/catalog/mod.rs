//! The catalog functions' result sets (SQLTables, SQLColumns, ...), built
//! from the same data model the planner uses, with the columns and sort
//! orders the ODBC reference specifies.

mod type_info;

pub use type_info::type_info;

use crate::diag::Result;
use crate::model::{FieldSource, Schema, TableDef};
use crate::sql::like::LikePattern;
use crate::sql::ResultColumn;
use crate::types::DataType;
use crate::value::Value;

/// The small-integer columns of catalog results (SQLSMALLINT in the spec).
const SMALL: DataType = DataType::SmallInt;
const NAME: DataType = DataType::WVarchar(128);

fn col(name: &str, data_type: DataType, nullable: bool) -> ResultColumn {
    ResultColumn::computed(name, data_type, nullable)
}

fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

fn small(v: i64) -> Value {
    Value::Int(v)
}

fn opt_int(v: Option<i16>) -> Value {
    v.map_or(Value::Null, |v| Value::Int(v.into()))
}

/// How a catalog argument selects names.
pub enum NameFilter {
    /// Anything (a null argument).
    Any,
    /// A search pattern (`%`, `_`, `\` escapes), matched case-insensitively
    /// since the driver's identifiers are case-insensitive.
    Pattern(LikePattern),
    /// An exact identifier (SQL_ATTR_METADATA_ID, or arguments that are not
    /// patterns), compared case-insensitively.
    Exact(String),
}

impl NameFilter {
    pub fn pattern(arg: Option<&str>, metadata_id: bool) -> Result<NameFilter> {
        Ok(match arg {
            None => NameFilter::Any,
            Some(a) if metadata_id => NameFilter::Exact(a.to_string()),
            Some(a) => NameFilter::Pattern(LikePattern::compile(&a.to_uppercase(), Some('\\'))?),
        })
    }

    pub fn exact(arg: Option<&str>) -> NameFilter {
        match arg {
            None => NameFilter::Any,
            Some(a) => NameFilter::Exact(a.to_string()),
        }
    }

    pub fn matches(&self, name: &str) -> bool {
        match self {
            NameFilter::Any => true,
            NameFilter::Pattern(p) => p.matches(&name.to_uppercase()),
            NameFilter::Exact(e) => e.eq_ignore_ascii_case(name),
        }
    }
}

/// The driver has no catalogs or schemas: a non-empty catalog or schema
/// argument (other than a match-all pattern) selects nothing.
pub fn outside_default_namespace(arg: Option<&str>) -> bool {
    matches!(arg, Some(a) if !a.is_empty() && a != "%")
}

/// SQLTables.
pub fn tables(
    schema: &Schema,
    catalog: Option<&str>,
    schema_name: Option<&str>,
    table: Option<&str>,
    types: Option<&str>,
    metadata_id: bool,
) -> Result<(Vec<ResultColumn>, Vec<Vec<Value>>)> {
    let columns = vec![
        col("TABLE_CAT", NAME, true),
        col("TABLE_SCHEM", NAME, true),
        col("TABLE_NAME", NAME, false),
        col("TABLE_TYPE", NAME, false),
        col("REMARKS", DataType::WVarchar(254), true),
    ];
    let all_tables_empty = table.is_none_or(str::is_empty);
    // The special enumerations: catalogs, schemas, table types.
    if catalog == Some("%") && schema_name == Some("") && all_tables_empty {
        return Ok((columns, Vec::new()));
    }
    if schema_name == Some("%") && catalog == Some("") && all_tables_empty {
        return Ok((columns, Vec::new()));
    }
    if types == Some("%") && catalog == Some("") && schema_name == Some("") && all_tables_empty {
        let rows = ["TABLE", "VIEW"]
            .iter()
            .map(|t| vec![Value::Null, Value::Null, Value::Null, text(t), Value::Null])
            .collect();
        return Ok((columns, rows));
    }
    if outside_default_namespace(catalog) || outside_default_namespace(schema_name) {
        return Ok((columns, Vec::new()));
    }
    let wanted_types: Option<Vec<String>> = types
        .filter(|t| !t.trim().is_empty() && t.trim() != "%")
        .map(|t| {
            t.split(',')
                .map(|s| s.trim().trim_matches('\'').to_ascii_uppercase())
                .filter(|s| !s.is_empty())
                .collect()
        });
    let filter = NameFilter::pattern(table, metadata_id)?;
    let mut rows: Vec<(String, String, Vec<Value>)> = schema
        .tables()
        .iter()
        .filter(|t| filter.matches(&t.name))
        .filter(|t| {
            wanted_types
                .as_ref()
                .is_none_or(|w| w.iter().any(|k| k == t.kind.odbc_name()))
        })
        .map(|t| {
            (
                t.kind.odbc_name().to_string(),
                t.name.clone(),
                vec![
                    Value::Null,
                    Value::Null,
                    text(&t.name),
                    text(t.kind.odbc_name()),
                    text(&t.description),
                ],
            )
        })
        .collect();
    rows.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    Ok((columns, rows.into_iter().map(|(_, _, r)| r).collect()))
}

fn matching_tables<'a>(
    schema: &'a Schema,
    catalog: Option<&str>,
    schema_name: Option<&str>,
    filter: &NameFilter,
) -> Vec<&'a TableDef> {
    if outside_default_namespace(catalog) || outside_default_namespace(schema_name) {
        return Vec::new();
    }
    schema
        .tables()
        .iter()
        .map(|t| t.as_ref())
        .filter(|t| filter.matches(&t.name))
        .collect()
}

/// SQLColumns.
pub fn columns(
    schema: &Schema,
    fields: &dyn FieldSource,
    catalog: Option<&str>,
    schema_name: Option<&str>,
    table: Option<&str>,
    column: Option<&str>,
    metadata_id: bool,
) -> Result<(Vec<ResultColumn>, Vec<Vec<Value>>)> {
    let columns = vec![
        col("TABLE_CAT", NAME, true),
        col("TABLE_SCHEM", NAME, true),
        col("TABLE_NAME", NAME, false),
        col("COLUMN_NAME", NAME, false),
        col("DATA_TYPE", SMALL, false),
        col("TYPE_NAME", NAME, false),
        col("COLUMN_SIZE", DataType::Integer, true),
        col("BUFFER_LENGTH", DataType::Integer, true),
        col("DECIMAL_DIGITS", SMALL, true),
        col("NUM_PREC_RADIX", SMALL, true),
        col("NULLABLE", SMALL, false),
        col("REMARKS", DataType::WVarchar(254), true),
        col("COLUMN_DEF", DataType::WVarchar(254), true),
        col("SQL_DATA_TYPE", SMALL, false),
        col("SQL_DATETIME_SUB", SMALL, true),
        col("CHAR_OCTET_LENGTH", DataType::Integer, true),
        col("ORDINAL_POSITION", DataType::Integer, false),
        col("IS_NULLABLE", DataType::WVarchar(3), true),
        // Driver-specific (after the 18 ODBC columns): "YES" when no
        // INSERT or UPDATE can set the column (ids, times Pipedrive sets),
        // and when INSERT must give it a value. NULLABLE stays what reads
        // return, as SQLDescribeCol reports it.
        col("IS_READONLY", DataType::WVarchar(3), false),
        col("IS_REQUIRED", DataType::WVarchar(3), false),
    ];
    let table_filter = NameFilter::pattern(table, metadata_id)?;
    let column_filter = NameFilter::pattern(column, metadata_id)?;
    let mut rows = Vec::new();
    for base in matching_tables(schema, catalog, schema_name, &table_filter) {
        // Custom-field columns are discovered only for the tables asked for.
        let Some(t) = schema.resolve(&base.name, fields)? else {
            continue;
        };
        for (i, c) in t.columns.iter().enumerate() {
            if !column_filter.matches(&c.name) {
                continue;
            }
            let dt = c.data_type;
            let subcode = dt.datetime_subcode();
            let write = crate::model::writable::column_write(&t, c);
            let read_only = write.is_none();
            let required = write.is_some_and(|w| w.required);
            rows.push(vec![
                Value::Null,
                Value::Null,
                text(&t.name),
                text(&c.name),
                small(dt.sql_type().into()),
                text(dt.type_name()),
                Value::Int(dt.column_size().into()),
                Value::Int(dt.octet_length().into()),
                opt_int(dt.decimal_digits()),
                opt_int(dt.num_prec_radix()),
                small(i64::from(c.nullable)),
                text(&c.description),
                Value::Null,
                small(dt.verbose_type().into()),
                if subcode == 0 {
                    Value::Null
                } else {
                    small(subcode.into())
                },
                if dt.is_text() {
                    Value::Int(dt.octet_length().into())
                } else {
                    Value::Null
                },
                Value::Int(i as i64 + 1),
                text(if c.nullable { "YES" } else { "NO" }),
                text(if read_only { "YES" } else { "NO" }),
                text(if required { "YES" } else { "NO" }),
            ]);
        }
    }
    Ok((columns, rows))
}

/// SQLPrimaryKeys.
pub fn primary_keys(
    schema: &Schema,
    catalog: Option<&str>,
    schema_name: Option<&str>,
    table: Option<&str>,
) -> Result<(Vec<ResultColumn>, Vec<Vec<Value>>)> {
    let columns = vec![
        col("TABLE_CAT", NAME, true),
        col("TABLE_SCHEM", NAME, true),
        col("TABLE_NAME", NAME, false),
        col("COLUMN_NAME", NAME, false),
        col("KEY_SEQ", SMALL, false),
        col("PK_NAME", NAME, true),
    ];
    let mut rows = Vec::new();
    for t in matching_tables(schema, catalog, schema_name, &NameFilter::exact(table)) {
        if let Some(pk) = &t.primary_key {
            rows.push(vec![
                Value::Null,
                Value::Null,
                text(&t.name),
                text(pk),
                small(1),
                text(&format!("PK_{}", t.name)),
            ]);
        }
    }
    Ok((columns, rows))
}

/// SQLForeignKeys: keys referencing `pk_table`, keys of `fk_table`, or the
/// one link between them.
pub fn foreign_keys(
    schema: &Schema,
    pk_table: Option<&str>,
    fk_table: Option<&str>,
    namespace_ok: bool,
) -> Result<(Vec<ResultColumn>, Vec<Vec<Value>>)> {
    let columns = vec![
        col("PKTABLE_CAT", NAME, true),
        col("PKTABLE_SCHEM", NAME, true),
        col("PKTABLE_NAME", NAME, false),
        col("PKCOLUMN_NAME", NAME, false),
        col("FKTABLE_CAT", NAME, true),
        col("FKTABLE_SCHEM", NAME, true),
        col("FKTABLE_NAME", NAME, false),
        col("FKCOLUMN_NAME", NAME, false),
        col("KEY_SEQ", SMALL, false),
        col("UPDATE_RULE", SMALL, true),
        col("DELETE_RULE", SMALL, true),
        col("FK_NAME", NAME, true),
        col("PK_NAME", NAME, true),
        col("DEFERRABILITY", SMALL, true),
    ];
    if !namespace_ok {
        return Ok((columns, Vec::new()));
    }
    let pk_filter = NameFilter::exact(pk_table.filter(|s| !s.is_empty()));
    let fk_filter = NameFilter::exact(fk_table.filter(|s| !s.is_empty()));
    const SQL_NO_ACTION: i64 = 3;
    const SQL_NOT_DEFERRABLE: i64 = 7;
    let mut rows: Vec<(String, String, Vec<Value>)> = Vec::new();
    for t in schema.tables() {
        if !fk_filter.matches(&t.name) {
            continue;
        }
        for fk in &t.foreign_keys {
            if !pk_filter.matches(&fk.ref_table) {
                continue;
            }
            let row = vec![
                Value::Null,
                Value::Null,
                text(&fk.ref_table),
                text(&fk.ref_column),
                Value::Null,
                Value::Null,
                text(&t.name),
                text(&fk.column),
                small(1),
                small(SQL_NO_ACTION),
                small(SQL_NO_ACTION),
                text(&format!("FK_{}_{}", t.name, fk.column)),
                text(&format!("PK_{}", fk.ref_table)),
                small(SQL_NOT_DEFERRABLE),
            ];
            // Sorted by FK table when the PK table is given, else by PK table.
            let key = if pk_table.is_some_and(|s| !s.is_empty()) {
                (t.name.clone(), fk.column.clone())
            } else {
                (fk.ref_table.clone(), t.name.clone())
            };
            rows.push((key.0, key.1, row));
        }
    }
    rows.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    Ok((columns, rows.into_iter().map(|(_, _, r)| r).collect()))
}

/// SQLStatistics: the primary key is the one unique index of each table.
pub fn statistics(
    schema: &Schema,
    catalog: Option<&str>,
    schema_name: Option<&str>,
    table: Option<&str>,
) -> Result<(Vec<ResultColumn>, Vec<Vec<Value>>)> {
    let columns = vec![
        col("TABLE_CAT", NAME, true),
        col("TABLE_SCHEM", NAME, true),
        col("TABLE_NAME", NAME, false),
        col("NON_UNIQUE", SMALL, true),
        col("INDEX_QUALIFIER", NAME, true),
        col("INDEX_NAME", NAME, true),
        col("TYPE", SMALL, false),
        col("ORDINAL_POSITION", SMALL, true),
        col("COLUMN_NAME", NAME, true),
        col("ASC_OR_DESC", DataType::WVarchar(1), true),
        col("CARDINALITY", DataType::Integer, true),
        col("PAGES", DataType::Integer, true),
        col("FILTER_CONDITION", DataType::WVarchar(128), true),
    ];
    const SQL_INDEX_OTHER: i64 = 3;
    let mut rows = Vec::new();
    for t in matching_tables(schema, catalog, schema_name, &NameFilter::exact(table)) {
        if let Some(pk) = &t.primary_key {
            rows.push(vec![
                Value::Null,
                Value::Null,
                text(&t.name),
                small(0),
                Value::Null,
                text(&format!("PK_{}", t.name)),
                small(SQL_INDEX_OTHER),
                small(1),
                text(pk),
                text("A"),
                Value::Null,
                Value::Null,
                Value::Null,
            ]);
        }
    }
    Ok((columns, rows))
}

/// SQLSpecialColumns: SQL_BEST_ROWID is the primary key; no column changes
/// automatically on update that an application could use (SQL_ROWVER).
pub fn special_columns(
    schema: &Schema,
    identifier_type: u16,
    catalog: Option<&str>,
    schema_name: Option<&str>,
    table: Option<&str>,
) -> Result<(Vec<ResultColumn>, Vec<Vec<Value>>)> {
    const SQL_BEST_ROWID: u16 = 1;
    const SQL_SCOPE_SESSION: i64 = 2;
    const SQL_PC_NOT_PSEUDO: i64 = 1;
    let columns = vec![
        col("SCOPE", SMALL, true),
        col("COLUMN_NAME", NAME, false),
        col("DATA_TYPE", SMALL, false),
        col("TYPE_NAME", NAME, false),
        col("COLUMN_SIZE", DataType::Integer, true),
        col("BUFFER_LENGTH", DataType::Integer, true),
        col("DECIMAL_DIGITS", SMALL, true),
        col("PSEUDO_COLUMN", SMALL, true),
    ];
    let mut rows = Vec::new();
    if identifier_type == SQL_BEST_ROWID {
        for t in matching_tables(schema, catalog, schema_name, &NameFilter::exact(table)) {
            let Some(pk) = &t.primary_key else { continue };
            let Some(i) = t.column_index(pk) else {
                continue;
            };
            let dt = t.columns[i].data_type;
            rows.push(vec![
                small(SQL_SCOPE_SESSION),
                text(pk),
                small(dt.sql_type().into()),
                text(dt.type_name()),
                Value::Int(dt.column_size().into()),
                Value::Int(dt.octet_length().into()),
                opt_int(dt.decimal_digits()),
                small(SQL_PC_NOT_PSEUDO),
            ]);
        }
    }
    Ok((columns, rows))
}

/// SQLProcedures: the driver's procedures (the OAuth steps), from
/// `sql::procedures::PROCEDURES`, those whose name matches `name`.
pub fn procedures(name: &NameFilter) -> (Vec<ResultColumn>, Vec<Vec<Value>>) {
    let columns = vec![
        col("PROCEDURE_CAT", NAME, true),
        col("PROCEDURE_SCHEM", NAME, true),
        col("PROCEDURE_NAME", NAME, false),
        col("NUM_INPUT_PARAMS", DataType::Integer, true),
        col("NUM_OUTPUT_PARAMS", DataType::Integer, true),
        col("NUM_RESULT_SETS", DataType::Integer, true),
        col("REMARKS", DataType::WVarchar(254), true),
        col("PROCEDURE_TYPE", SMALL, true),
    ];
    // SQL_PT_PROCEDURE: they return a result set, not a value.
    const SQL_PT_PROCEDURE: i64 = 1;
    let rows = crate::sql::procedures::PROCEDURES
        .iter()
        .filter(|p| name.matches(p.name))
        .map(|p| {
            vec![
                Value::Null,
                Value::Null,
                text(p.name),
                Value::Int(p.parameters.len() as i64),
                Value::Int(0),
                Value::Int(1),
                text(p.description),
                small(SQL_PT_PROCEDURE),
            ]
        })
        .collect();
    (columns, rows)
}

/// SQLProcedureColumns: the parameters and result columns of the procedures
/// matching `procedure`, those whose name matches `column`.
pub fn procedure_columns(
    procedure_name: &NameFilter,
    column: &NameFilter,
) -> (Vec<ResultColumn>, Vec<Vec<Value>>) {
    let columns = vec![
        col("PROCEDURE_CAT", NAME, true),
        col("PROCEDURE_SCHEM", NAME, true),
        col("PROCEDURE_NAME", NAME, false),
        col("COLUMN_NAME", NAME, false),
        col("COLUMN_TYPE", SMALL, false),
        col("DATA_TYPE", SMALL, false),
        col("TYPE_NAME", NAME, false),
        col("COLUMN_SIZE", DataType::Integer, true),
        col("BUFFER_LENGTH", DataType::Integer, true),
        col("DECIMAL_DIGITS", SMALL, true),
        col("NUM_PREC_RADIX", SMALL, true),
        col("NULLABLE", SMALL, false),
        col("REMARKS", DataType::WVarchar(254), true),
        col("COLUMN_DEF", DataType::WVarchar(254), true),
        col("SQL_DATA_TYPE", SMALL, false),
        col("SQL_DATETIME_SUB", SMALL, true),
        col("CHAR_OCTET_LENGTH", DataType::Integer, true),
        col("ORDINAL_POSITION", DataType::Integer, false),
        col("IS_NULLABLE", DataType::WVarchar(3), true),
    ];
    const SQL_PARAM_INPUT: i64 = 1;
    const SQL_RESULT_COL: i64 = 3;
    const SQL_NULLABLE: i64 = 1;
    let mut rows = Vec::new();
    for procedure in crate::sql::procedures::PROCEDURES
        .iter()
        .filter(|p| procedure_name.matches(p.name))
    {
        let inputs = procedure.parameters.iter().map(|p| {
            (
                p.name,
                SQL_PARAM_INPUT,
                crate::sql::procedures::PARAMETER_TYPE,
                p.description,
            )
        });
        let outputs = procedure
            .outputs
            .iter()
            .map(|o| (o.name, SQL_RESULT_COL, o.data_type, o.description));
        for (ordinal, (name, kind, dt, description)) in inputs.chain(outputs).enumerate() {
            if !column.matches(name) {
                continue;
            }
            let is_text = matches!(dt, DataType::WVarchar(_));
            rows.push(vec![
                Value::Null,
                Value::Null,
                text(procedure.name),
                text(name),
                small(kind),
                small(dt.sql_type().into()),
                text(dt.type_name()),
                Value::Int(dt.column_size().into()),
                Value::Int(dt.octet_length().into()),
                opt_int(dt.decimal_digits()),
                if is_text { Value::Null } else { small(10) },
                small(SQL_NULLABLE),
                text(description),
                Value::Null,
                small(dt.sql_type().into()),
                Value::Null,
                if is_text {
                    Value::Int(dt.octet_length().into())
                } else {
                    Value::Null
                },
                // Parameters count from 1; result columns from 1 again.
                Value::Int(match kind {
                    SQL_PARAM_INPUT => ordinal as i64 + 1,
                    _ => (ordinal - procedure.parameters.len()) as i64 + 1,
                }),
                text("YES"),
            ]);
        }
    }
    (columns, rows)
}

#[cfg(test)]
mod tests;
