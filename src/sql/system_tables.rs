//! The `sys_` tables: the data model as rows, queryable with full SQL
//! (WHERE, ORDER BY, joins). Their rows come from the same `Schema` the
//! catalog functions read (custom-field columns included, via
//! `Schema::resolve`), never from the data endpoints. Columns follow the
//! `sys_` tables of CData drivers.

use crate::diag::Result;
use crate::model::{FieldSource, Schema, Source, TableDef};
use crate::types::DataType;
use crate::value::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SystemTable {
    Tables,
    TableColumns,
    Procedures,
    ProcedureParameters,
    KeyColumns,
    ForeignKeys,
}

/// One column of a system table.
#[derive(Debug, Clone, PartialEq)]
pub struct SystemColumn {
    pub name: &'static str,
    pub data_type: DataType,
    pub nullable: bool,
}

const NAME: DataType = DataType::WVarchar(128);
const DESCRIPTION: DataType = DataType::WVarchar(2000);

fn column(name: &'static str, data_type: DataType, nullable: bool) -> SystemColumn {
    SystemColumn {
        name,
        data_type,
        nullable,
    }
}

/// The driver has one unnamed catalog and schema (SQLTables reports NULL
/// for both), so these columns are NULL too.
fn namespace_columns() -> [SystemColumn; 2] {
    [
        column("CatalogName", NAME, true),
        column("SchemaName", NAME, true),
    ]
}

impl SystemTable {
    pub const ALL: [SystemTable; 6] = [
        SystemTable::Tables,
        SystemTable::TableColumns,
        SystemTable::Procedures,
        SystemTable::ProcedureParameters,
        SystemTable::KeyColumns,
        SystemTable::ForeignKeys,
    ];

    pub fn name(self) -> &'static str {
        match self {
            SystemTable::Tables => "sys_tables",
            SystemTable::TableColumns => "sys_tablecolumns",
            SystemTable::Procedures => "sys_procedures",
            SystemTable::ProcedureParameters => "sys_procedureparameters",
            SystemTable::KeyColumns => "sys_keycolumns",
            SystemTable::ForeignKeys => "sys_foreignkeys",
        }
    }

    /// Case-insensitive lookup by name.
    pub fn lookup(name: &str) -> Option<SystemTable> {
        SystemTable::ALL
            .into_iter()
            .find(|t| t.name().eq_ignore_ascii_case(name))
    }

    pub fn columns(self) -> Vec<SystemColumn> {
        let mut columns: Vec<SystemColumn> = Vec::new();
        match self {
            SystemTable::Tables => {
                columns.extend(namespace_columns());
                columns.extend([
                    column("TableName", NAME, false),
                    column("TableType", DataType::WVarchar(32), false),
                    column("Description", DESCRIPTION, true),
                    column("IsUpdateable", DataType::Bit, false),
                ]);
            }
            SystemTable::TableColumns => {
                columns.extend(namespace_columns());
                columns.extend([
                    column("TableName", NAME, false),
                    column("ColumnName", NAME, false),
                    column("DataTypeName", DataType::WVarchar(32), false),
                    column("DataType", DataType::Integer, false),
                    column("Length", DataType::Integer, false),
                    column("DisplaySize", DataType::Integer, false),
                    column("NumericPrecision", DataType::Integer, true),
                    column("NumericScale", DataType::Integer, true),
                    column("IsNullable", DataType::Bit, false),
                    column("Description", DESCRIPTION, true),
                    column("Ordinal", DataType::Integer, false),
                    column("IsAutoIncrement", DataType::Bit, false),
                    column("IsGeneratedColumn", DataType::Bit, false),
                    column("IsHidden", DataType::Bit, false),
                    column("IsArray", DataType::Bit, false),
                    column("IsReadOnly", DataType::Bit, true),
                    column("IsRequired", DataType::Bit, true),
                    column("IsKey", DataType::Bit, false),
                    column("IsCustomField", DataType::Bit, false),
                ]);
            }
            SystemTable::Procedures => {
                columns.extend(namespace_columns());
                columns.extend([
                    column("ProcedureName", NAME, false),
                    column("Description", DESCRIPTION, true),
                    column("ProcedureType", DataType::WVarchar(32), false),
                ]);
            }
            SystemTable::ProcedureParameters => {
                columns.extend(namespace_columns());
                columns.extend([
                    column("ProcedureName", NAME, false),
                    column("ColumnName", NAME, false),
                    column("Direction", DataType::Integer, false),
                    column("DataTypeName", DataType::WVarchar(32), false),
                    column("DataType", DataType::Integer, false),
                    column("Length", DataType::Integer, true),
                    column("NumericPrecision", DataType::Integer, true),
                    column("NumericScale", DataType::Integer, true),
                    column("IsNullable", DataType::Bit, false),
                    column("IsRequired", DataType::Bit, false),
                    column("IsArray", DataType::Bit, false),
                    column("Description", DESCRIPTION, true),
                    column("Ordinal", DataType::Integer, false),
                ]);
            }
            SystemTable::KeyColumns => {
                columns.extend(namespace_columns());
                columns.extend([
                    column("TableName", NAME, false),
                    column("ColumnName", NAME, false),
                    column("IsKey", DataType::Bit, false),
                    column("IsForeignKey", DataType::Bit, false),
                    column("PrimaryKeyName", NAME, true),
                    column("ForeignKeyName", NAME, true),
                    column("ReferencedCatalogName", NAME, true),
                    column("ReferencedSchemaName", NAME, true),
                    column("ReferencedTableName", NAME, true),
                    column("ReferencedColumnName", NAME, true),
                ]);
            }
            SystemTable::ForeignKeys => {
                columns.push(column("ConstraintName", NAME, false));
                columns.extend(namespace_columns());
                columns.extend([
                    column("TableName", NAME, false),
                    column("ColumnName", NAME, false),
                    column("ReferencedCatalogName", NAME, true),
                    column("ReferencedSchemaName", NAME, true),
                    column("ReferencedTableName", NAME, false),
                    column("ReferencedColumnName", NAME, false),
                    column("ForeignKeyType", DataType::WVarchar(32), false),
                ]);
            }
        }
        columns
    }
}

fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

fn int(n: impl Into<i64>) -> Value {
    Value::Int(n.into())
}

fn optional_int(n: Option<i16>) -> Value {
    n.map_or(Value::Null, |n| Value::Int(n.into()))
}

/// The names SQLPrimaryKeys and SQLForeignKeys give the keys.
fn primary_key_name(table: &str) -> String {
    format!("PK_{table}")
}

fn foreign_key_name(table: &str, column: &str) -> String {
    format!("FK_{table}_{column}")
}

/// NUMERIC_PRECISION: digits of numbers, NULL for other types.
fn numeric_precision(data_type: DataType) -> Value {
    if data_type.is_numeric() || data_type == DataType::SmallInt {
        int(data_type.precision())
    } else {
        Value::Null
    }
}

/// (IsReadOnly, IsRequired) of a column, from the write metadata:
/// read-only when no INSERT or UPDATE can set it, required when INSERT
/// must give it.
fn writability(table: &TableDef, column: &crate::model::ColumnDef) -> (Value, Value) {
    match crate::model::writable::column_write(table, column) {
        Some(w) => (Value::Bool(false), Value::Bool(w.required)),
        None => (Value::Bool(true), Value::Bool(false)),
    }
}

fn table_rows(schema: &Schema) -> Vec<Vec<Value>> {
    schema
        .tables()
        .iter()
        .map(|t| {
            vec![
                Value::Null,
                Value::Null,
                text(&t.name),
                text(t.kind.odbc_name()),
                text(&t.description),
                Value::Bool(crate::model::writable::write_spec(&t.name).is_some()),
            ]
        })
        .collect()
}

fn column_rows(table: &TableDef) -> Vec<Vec<Value>> {
    table
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let dt = c.data_type;
            let is_key = table
                .primary_key
                .as_deref()
                .is_some_and(|pk| pk.eq_ignore_ascii_case(&c.name));
            let (read_only, required) = writability(table, c);
            vec![
                Value::Null,
                Value::Null,
                text(&table.name),
                text(&c.name),
                text(dt.type_name()),
                int(dt.sql_type()),
                int(dt.column_size()),
                int(dt.display_size()),
                numeric_precision(dt),
                optional_int(dt.decimal_digits()),
                Value::Bool(c.nullable),
                text(&c.description),
                int(i as i64 + 1),
                Value::Bool(false),
                Value::Bool(false),
                Value::Bool(false),
                Value::Bool(false),
                read_only,
                required,
                Value::Bool(is_key),
                Value::Bool(matches!(c.source, Source::Custom { .. })),
            ]
        })
        .collect()
}

fn key_column_rows(schema: &Schema) -> Vec<Vec<Value>> {
    let mut rows = Vec::new();
    for t in schema.tables() {
        if let Some(pk) = &t.primary_key {
            rows.push(vec![
                Value::Null,
                Value::Null,
                text(&t.name),
                text(pk),
                Value::Bool(true),
                Value::Bool(false),
                text(&primary_key_name(&t.name)),
                Value::Null,
                Value::Null,
                Value::Null,
                Value::Null,
                Value::Null,
            ]);
        }
        for fk in &t.foreign_keys {
            rows.push(vec![
                Value::Null,
                Value::Null,
                text(&t.name),
                text(&fk.column),
                Value::Bool(false),
                Value::Bool(true),
                Value::Null,
                text(&foreign_key_name(&t.name, &fk.column)),
                Value::Null,
                Value::Null,
                text(&fk.ref_table),
                text(&fk.ref_column),
            ]);
        }
    }
    rows
}

fn foreign_key_rows(schema: &Schema) -> Vec<Vec<Value>> {
    schema
        .tables()
        .iter()
        .flat_map(|t| {
            t.foreign_keys.iter().map(move |fk| {
                vec![
                    text(&foreign_key_name(&t.name, &fk.column)),
                    Value::Null,
                    Value::Null,
                    text(&t.name),
                    text(&fk.column),
                    Value::Null,
                    Value::Null,
                    text(&fk.ref_table),
                    text(&fk.ref_column),
                    text("FOREIGNKEY"),
                ]
            })
        })
        .collect()
}

/// The rows of a system table. `sys_tablecolumns` discovers the custom
/// fields of every table (once per connection, as SQLColumns does).
pub fn rows(
    table: SystemTable,
    schema: &Schema,
    fields: &dyn FieldSource,
) -> Result<Vec<Vec<Value>>> {
    Ok(match table {
        SystemTable::Tables => table_rows(schema),
        SystemTable::TableColumns => schema
            .resolve_all(fields)?
            .iter()
            .flat_map(|t| column_rows(t))
            .collect(),
        SystemTable::Procedures => procedure_rows(),
        SystemTable::ProcedureParameters => procedure_parameter_rows(),
        SystemTable::KeyColumns => key_column_rows(schema),
        SystemTable::ForeignKeys => foreign_key_rows(schema),
    })
}

/// The driver's procedures, from `sql::procedures::PROCEDURES` (the same
/// definitions SQLProcedures reads).
fn procedure_rows() -> Vec<Vec<Value>> {
    crate::sql::procedures::PROCEDURES
        .iter()
        .map(|p| {
            vec![
                Value::Null,
                Value::Null,
                text(p.name),
                text(p.description),
                text("PROCEDURE"),
            ]
        })
        .collect()
}

/// Inputs (Direction 1, SQL_PARAM_INPUT) and result columns (Direction 3,
/// SQL_RESULT_COL), as SQLProcedureColumns numbers them.
fn procedure_parameter_rows() -> Vec<Vec<Value>> {
    use crate::sql::procedures::{PARAMETER_TYPE, PROCEDURES};
    let mut rows = Vec::new();
    for procedure in PROCEDURES {
        let inputs = procedure
            .parameters
            .iter()
            .map(|p| (p.name, 1, PARAMETER_TYPE, p.required, p.description));
        let outputs = procedure
            .outputs
            .iter()
            .map(|o| (o.name, 3, o.data_type, false, o.description));
        let inputs_count = procedure.parameters.len();
        for (index, (name, direction, data_type, required, description)) in
            inputs.chain(outputs).enumerate()
        {
            // Inputs count from 1, and result columns from 1 again.
            let ordinal = if index < inputs_count {
                index
            } else {
                index - inputs_count
            } + 1;
            let is_text = matches!(data_type, DataType::WVarchar(_));
            rows.push(vec![
                Value::Null,
                Value::Null,
                text(procedure.name),
                text(name),
                int(direction),
                text(data_type.type_name()),
                int(data_type.sql_type()),
                if is_text {
                    int(data_type.column_size())
                } else {
                    Value::Null
                },
                if is_text {
                    Value::Null
                } else {
                    int(data_type.column_size())
                },
                optional_int(data_type.decimal_digits()),
                Value::Bool(!required),
                Value::Bool(required),
                Value::Bool(false),
                text(description),
                int(ordinal as i64),
            ]);
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Endpoint;

    struct NoCustomFields;

    impl FieldSource for NoCustomFields {
        fn field_definitions(&self, _: &Endpoint) -> Result<Vec<serde_json::Value>> {
            Ok(Vec::new())
        }
    }

    #[test]
    fn every_row_fits_its_columns() {
        let schema = Schema::builtin();
        for table in SystemTable::ALL {
            let columns = table.columns();
            for row in rows(table, &schema, &NoCustomFields).unwrap() {
                assert_eq!(row.len(), columns.len(), "{}", table.name());
                for (value, c) in row.iter().zip(&columns) {
                    assert!(
                        c.nullable || !value.is_null(),
                        "{}.{} is NULL",
                        table.name(),
                        c.name
                    );
                    assert!(
                        crate::sql::cast::is_carried_as(value, c.data_type),
                        "{}.{}: {value:?}",
                        table.name(),
                        c.name
                    );
                }
            }
        }
    }

    #[test]
    fn rows_describe_the_model() {
        let schema = Schema::builtin();
        let tables = rows(SystemTable::Tables, &schema, &NoCustomFields).unwrap();
        assert_eq!(tables.len(), schema.tables().len());
        let columns = rows(SystemTable::TableColumns, &schema, &NoCustomFields).unwrap();
        let deals = schema.table("Deals").unwrap();
        let deal_rows: Vec<_> = columns.iter().filter(|r| r[2] == text("Deals")).collect();
        assert_eq!(deal_rows.len(), deals.columns.len());
        assert_eq!(deal_rows[0][3], text("Id"));
        assert_eq!(deal_rows[0][19], Value::Bool(true), "Id is the key");
        let keys = rows(SystemTable::KeyColumns, &schema, &NoCustomFields).unwrap();
        assert!(keys.iter().any(|r| r[2] == text("Deals")
            && r[3] == text("PersonId")
            && r[10] == text("Persons")));
        let fks = rows(SystemTable::ForeignKeys, &schema, &NoCustomFields).unwrap();
        assert_eq!(
            fks.len(),
            schema
                .tables()
                .iter()
                .map(|t| t.foreign_keys.len())
                .sum::<usize>()
        );
        let procedures = rows(SystemTable::Procedures, &schema, &NoCustomFields).unwrap();
        assert_eq!(procedures.len(), crate::sql::procedures::PROCEDURES.len());
        assert!(procedures
            .iter()
            .any(|r| r[2] == text("GetOAuthAuthorizationURL")));
        let parameters = rows(SystemTable::ProcedureParameters, &schema, &NoCustomFields).unwrap();
        let refresh: Vec<_> = parameters
            .iter()
            .filter(|r| r[2] == text("RefreshOAuthAccessToken"))
            .map(|r| (r[3].clone(), r[4].clone()))
            .collect();
        assert_eq!(
            refresh,
            [
                (text("OAuthRefreshToken"), int(1)),
                (text("OAuthAccessToken"), int(3)),
                (text("OAuthRefreshToken"), int(3)),
                (text("ExpiresIn"), int(3)),
            ]
        );
    }

    #[test]
    fn names_are_case_insensitive() {
        assert_eq!(SystemTable::lookup("SYS_TABLES"), Some(SystemTable::Tables));
        assert_eq!(
            SystemTable::lookup("sys_TableColumns"),
            Some(SystemTable::TableColumns)
        );
        assert_eq!(SystemTable::lookup("sys_nope"), None);
    }
}
