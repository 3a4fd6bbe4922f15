//! INSERT / UPDATE / DELETE statements -> a write plan: the table's write
//! endpoints, the columns set and their compiled value expressions, and how
//! the rows to change are found. Everything that can be checked without
//! data is checked here: unknown and read-only columns, required columns,
//! unsupported forms.

use crate::diag::{OdbcError, Result, SqlState};
use crate::model::writable::{write_spec, ColumnWrite, WriteSpec};
use crate::model::{FieldSource, Schema, TableDef};
use crate::sql::compile::{compile, ColumnRef, CompileContext, Scope};
use crate::sql::expr::TypedExpr;
use crate::sql::{planner, Prepared, ResultColumn};
use crate::types::DataType;
use sqlparser::ast::{self, Statement};
use sqlparser::dialect::GenericDialect;
use sqlparser::parser::Parser;
use std::sync::Arc;

/// A column a write sets.
#[derive(Debug, Clone)]
pub struct WriteColumn {
    pub name: String,
    pub data_type: DataType,
    pub write: ColumnWrite,
}

/// How UPDATE and DELETE find the rows they change.
#[derive(Debug)]
pub enum Selection {
    /// `WHERE Id = k` / `Id IN (...)`: the ids, straight to the API.
    Ids(Vec<TypedExpr>),
    /// Any other WHERE (or none, with AllowUnfilteredWrites):
    /// `SELECT Id FROM t WHERE ...` through the query engine, with its
    /// pushdown, before the first write.
    Query {
        select: Box<Prepared>,
        unfiltered: bool,
    },
}

#[derive(Debug)]
pub enum DmlKind {
    Insert {
        columns: Vec<WriteColumn>,
        rows: Vec<Vec<TypedExpr>>,
        /// Table columns listed by RETURNING, by index.
        returning: Vec<usize>,
    },
    Update {
        assignments: Vec<(WriteColumn, TypedExpr)>,
        selection: Selection,
    },
    Delete {
        selection: Selection,
    },
}

#[derive(Debug)]
pub struct DmlPlan {
    pub table: Arc<TableDef>,
    pub spec: &'static WriteSpec,
    pub kind: DmlKind,
}

impl DmlPlan {
    /// SQL_DIAG_DYNAMIC_FUNCTION and its code.
    pub fn dynamic_function(&self) -> (&'static str, i32) {
        match self.kind {
            DmlKind::Insert { .. } => ("INSERT", 50),
            DmlKind::Update { .. } => ("UPDATE WHERE", 82),
            DmlKind::Delete { .. } => ("DELETE WHERE", 19),
        }
    }
}

/// A planned write and how it is described before it runs.
#[derive(Debug)]
pub struct PlannedDml {
    pub plan: DmlPlan,
    pub param_types: Vec<Option<DataType>>,
    /// The RETURNING columns (empty without RETURNING).
    pub columns: Vec<ResultColumn>,
}

fn read_only(message: String) -> OdbcError {
    // 42000 is "syntax error or access violation": the statement is well
    // formed but asks for something the table does not permit.
    OdbcError::new(SqlState::SyntaxError, message)
}

/// Values of a write cannot read columns: there is no current row.
struct NoColumns<'a> {
    clause: &'a str,
}

impl Scope for NoColumns<'_> {
    fn resolve_column(&self, _qualifier: Option<&str>, name: &str) -> Result<ColumnRef> {
        Err(OdbcError::not_implemented(format!(
            "reading column '{name}' in {}: write a value, a parameter or an expression of them",
            self.clause
        )))
    }
}

fn object_name(name: &ast::ObjectName) -> Result<String> {
    match name.0.last() {
        Some(ast::ObjectNamePart::Identifier(ident)) => Ok(ident.value.clone()),
        Some(other) => Err(OdbcError::syntax(format!("Unsupported name part {other}"))),
        None => Err(OdbcError::syntax("Empty table name")),
    }
}

/// The table and its write endpoints; 42S02 for an unknown table, 42000
/// for one the API cannot change.
fn writable_table(
    name: &str,
    schema: &Schema,
    fields: &dyn FieldSource,
) -> Result<(Arc<TableDef>, &'static WriteSpec)> {
    let table = schema.resolve(name, fields)?.ok_or_else(|| {
        OdbcError::new(SqlState::TableNotFound, format!("Table '{name}' not found"))
    })?;
    let spec = write_spec(&table.name).ok_or_else(|| {
        read_only(format!(
            "Table '{}' is read-only: the Pipedrive API has no endpoint that changes it",
            table.name
        ))
    })?;
    Ok((table, spec))
}

/// Which operation a column check is for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Operation {
    Insert,
    Update,
}

/// The named columns as write columns; 42S22 for unknown names, 42000
/// naming every read-only one.
fn write_columns(
    table: &TableDef,
    spec: &WriteSpec,
    names: &[String],
    operation: Operation,
) -> Result<Vec<WriteColumn>> {
    let mut columns = Vec::with_capacity(names.len());
    let mut read_only_names = Vec::new();
    for name in names {
        let index = table.column_index(name).ok_or_else(|| {
            OdbcError::new(
                SqlState::ColumnNotFound,
                format!("Column '{name}' not found in table '{}'", table.name),
            )
        })?;
        let column = &table.columns[index];
        if columns
            .iter()
            .any(|c: &WriteColumn| c.name.eq_ignore_ascii_case(&column.name))
        {
            return Err(OdbcError::syntax(format!(
                "Column '{}' is set more than once",
                column.name
            )));
        }
        let write = spec.column(column).filter(|w| match operation {
            Operation::Insert => w.insertable,
            Operation::Update => w.updatable,
        });
        match write {
            Some(write) => columns.push(WriteColumn {
                name: column.name.clone(),
                data_type: column.data_type,
                write,
            }),
            None => read_only_names.push(column.name.clone()),
        }
    }
    if !read_only_names.is_empty() {
        let verb = match operation {
            Operation::Insert => "INSERT",
            Operation::Update => "UPDATE",
        };
        let list = read_only_names.join(", ");
        let message = if read_only_names.len() == 1 {
            format!(
                "Column {list} of {} is read-only for {verb}: Pipedrive sets it",
                table.name
            )
        } else {
            format!(
                "Columns {list} of {} are read-only for {verb}: Pipedrive sets them",
                table.name
            )
        };
        return Err(read_only(message));
    }
    Ok(columns)
}

/// Compiles a value for `column`, typing a bare parameter as the column.
fn compile_value(
    expr: &ast::Expr,
    column: Option<(&str, DataType)>,
    clause: &str,
    param_types: &mut Vec<Option<DataType>>,
) -> Result<TypedExpr> {
    let scope = NoColumns { clause };
    let mut ctx = CompileContext {
        scope: &scope,
        param_types,
        aggregate_hook: None,
        subquery_hook: None,
    };
    let mut compiled = compile(expr, &mut ctx)?;
    if let Some((_, data_type)) = column {
        ctx.infer_parameter_type(&mut compiled, data_type);
    }
    Ok(compiled)
}

/// Plans INSERT, UPDATE and DELETE; `Ok(None)` for any other statement.
pub fn plan_dml(
    statement: &Statement,
    schema: &Schema,
    fields: &dyn FieldSource,
) -> Result<Option<PlannedDml>> {
    let mut param_types = Vec::new();
    let (plan, columns) = match statement {
        Statement::Insert(insert) => plan_insert(insert, schema, fields, &mut param_types)?,
        Statement::Update(update) => (
            plan_update(update, schema, fields, &mut param_types)?,
            Vec::new(),
        ),
        Statement::Delete(delete) => (
            plan_delete(delete, schema, fields, &mut param_types)?,
            Vec::new(),
        ),
        _ => return Ok(None),
    };
    Ok(Some(PlannedDml {
        plan,
        param_types,
        columns,
    }))
}

fn plan_insert(
    insert: &ast::Insert,
    schema: &Schema,
    fields: &dyn FieldSource,
    param_types: &mut Vec<Option<DataType>>,
) -> Result<(DmlPlan, Vec<ResultColumn>)> {
    let ast::TableObject::TableName(name) = &insert.table else {
        return Err(OdbcError::not_implemented("INSERT into a table function"));
    };
    if insert.on.is_some() || insert.or.is_some() || insert.ignore || insert.overwrite {
        return Err(OdbcError::not_implemented(
            "INSERT with conflict handling (ON CONFLICT, OR REPLACE, IGNORE)",
        ));
    }
    let (table, spec) = writable_table(&object_name(name)?, schema, fields)?;
    if spec.create.is_none() {
        return Err(read_only(format!(
            "Table '{}' takes no INSERT: Pipedrive has no endpoint that creates its rows from column values",
            table.name
        )));
    }
    if insert.columns.is_empty() {
        return Err(OdbcError::syntax(format!(
            "Name the columns to insert: INSERT INTO {} (Col1, Col2, ...) VALUES (...)",
            table.name
        )));
    }
    let names = insert
        .columns
        .iter()
        .map(object_name)
        .collect::<Result<Vec<_>>>()?;
    let columns = write_columns(&table, spec, &names, Operation::Insert)?;
    let missing: Vec<String> = table
        .columns
        .iter()
        .filter(|c| spec.column(c).is_some_and(|w| w.required))
        .filter(|c| !columns.iter().any(|w| w.name == c.name))
        .map(|c| c.name.clone())
        .collect();
    if !missing.is_empty() {
        return Err(OdbcError::new(
            SqlState::IntegrityConstraintViolation,
            format!(
                "INSERT INTO {} needs a value for {}: Pipedrive requires {}",
                table.name,
                missing.join(", "),
                if missing.len() == 1 { "it" } else { "them" }
            ),
        ));
    }
    let source = insert
        .source
        .as_ref()
        .ok_or_else(|| OdbcError::syntax(format!("INSERT INTO {} needs VALUES", table.name)))?;
    let ast::SetExpr::Values(values) = source.body.as_ref() else {
        return Err(OdbcError::not_implemented(
            "INSERT ... SELECT (insert rows with VALUES, or with parameter arrays)",
        ));
    };
    let mut rows = Vec::with_capacity(values.rows.len());
    for (n, row) in values.rows.iter().enumerate() {
        if row.len() != columns.len() {
            return Err(OdbcError::new(
                SqlState::SyntaxError,
                format!(
                    "Row {} of VALUES has {} values for {} columns",
                    n + 1,
                    row.len(),
                    columns.len()
                ),
            ));
        }
        let compiled = row
            .iter()
            .zip(&columns)
            .map(|(e, c)| compile_value(e, Some((&c.name, c.data_type)), "VALUES", param_types))
            .collect::<Result<Vec<_>>>()?;
        rows.push(compiled);
    }
    let returning = match &insert.returning {
        None => Vec::new(),
        Some(items) => returning_columns(&table, items)?,
    };
    let result_columns = returning
        .iter()
        .map(|&i| {
            let c = &table.columns[i];
            ResultColumn {
                name: c.name.clone(),
                data_type: c.data_type,
                nullable: c.nullable,
                table: table.name.clone(),
                base_column: c.name.clone(),
            }
        })
        .collect();
    Ok((
        DmlPlan {
            table,
            spec,
            kind: DmlKind::Insert {
                columns,
                rows,
                returning,
            },
        },
        result_columns,
    ))
}

/// RETURNING `*` or column names of the created record.
fn returning_columns(table: &TableDef, items: &[ast::SelectItem]) -> Result<Vec<usize>> {
    let mut out = Vec::new();
    for item in items {
        match item {
            ast::SelectItem::Wildcard(_) => out.extend(0..table.columns.len()),
            ast::SelectItem::UnnamedExpr(ast::Expr::Identifier(ident)) => {
                out.push(table.column_index(&ident.value).ok_or_else(|| {
                    OdbcError::new(
                        SqlState::ColumnNotFound,
                        format!(
                            "Column '{}' not found in table '{}'",
                            ident.value, table.name
                        ),
                    )
                })?)
            }
            other => {
                return Err(OdbcError::not_implemented(format!(
                    "RETURNING {other}: list columns of the table"
                )))
            }
        }
    }
    Ok(out)
}

/// The one table of an UPDATE or DELETE, and its alias.
fn single_table(relation: &ast::TableWithJoins, verb: &str) -> Result<(String, Option<String>)> {
    if !relation.joins.is_empty() {
        return Err(OdbcError::not_implemented(format!("{verb} with joins")));
    }
    match &relation.relation {
        ast::TableFactor::Table { name, alias, .. } => Ok((
            object_name(name)?,
            alias.as_ref().map(|a| a.name.value.clone()),
        )),
        other => Err(OdbcError::not_implemented(format!("{verb} of {other}"))),
    }
}

fn plan_update(
    update: &ast::Update,
    schema: &Schema,
    fields: &dyn FieldSource,
    param_types: &mut Vec<Option<DataType>>,
) -> Result<DmlPlan> {
    if update.from.is_some() {
        return Err(OdbcError::not_implemented("UPDATE ... FROM"));
    }
    if update.returning.is_some() {
        return Err(OdbcError::not_implemented("UPDATE ... RETURNING"));
    }
    if !update.order_by.is_empty() || update.limit.is_some() {
        return Err(OdbcError::not_implemented("UPDATE with ORDER BY or LIMIT"));
    }
    let (name, alias) = single_table(&update.table, "UPDATE")?;
    let (table, spec) = writable_table(&name, schema, fields)?;
    if spec.update.is_none() {
        return Err(read_only(format!(
            "Table '{}' takes no UPDATE: Pipedrive has no endpoint that changes its rows",
            table.name
        )));
    }
    let mut names = Vec::new();
    for assignment in &update.assignments {
        match &assignment.target {
            ast::AssignmentTarget::ColumnName(column) => names.push(object_name(column)?),
            ast::AssignmentTarget::Tuple(_) => {
                return Err(OdbcError::not_implemented("SET (a, b) = (...)"))
            }
        }
    }
    let columns = write_columns(&table, spec, &names, Operation::Update)?;
    // The SET values come before the WHERE's in parameter order.
    let assignments = update
        .assignments
        .iter()
        .zip(columns)
        .map(|(a, c)| {
            let value = compile_value(&a.value, Some((&c.name, c.data_type)), "SET", param_types)?;
            Ok((c, value))
        })
        .collect::<Result<Vec<_>>>()?;
    let selection = plan_selection(
        &table,
        alias.as_deref(),
        update.selection.as_ref(),
        schema,
        fields,
        param_types,
    )?;
    Ok(DmlPlan {
        table,
        spec,
        kind: DmlKind::Update {
            assignments,
            selection,
        },
    })
}

fn plan_delete(
    delete: &ast::Delete,
    schema: &Schema,
    fields: &dyn FieldSource,
    param_types: &mut Vec<Option<DataType>>,
) -> Result<DmlPlan> {
    if delete.using.is_some() || delete.returning.is_some() {
        return Err(OdbcError::not_implemented("DELETE with USING or RETURNING"));
    }
    if !delete.order_by.is_empty() || delete.limit.is_some() {
        return Err(OdbcError::not_implemented("DELETE with ORDER BY or LIMIT"));
    }
    let from = match &delete.from {
        ast::FromTable::WithFromKeyword(t) | ast::FromTable::WithoutKeyword(t) => t,
    };
    let [relation] = from.as_slice() else {
        return Err(OdbcError::not_implemented(
            "DELETE from more than one table",
        ));
    };
    let (name, alias) = single_table(relation, "DELETE")?;
    let (table, spec) = writable_table(&name, schema, fields)?;
    if !spec.delete {
        return Err(read_only(format!(
            "Table '{}' takes no DELETE: Pipedrive has no endpoint that deletes its rows",
            table.name
        )));
    }
    let selection = plan_selection(
        &table,
        alias.as_deref(),
        delete.selection.as_ref(),
        schema,
        fields,
        param_types,
    )?;
    Ok(DmlPlan {
        table,
        spec,
        kind: DmlKind::Delete { selection },
    })
}

/// Whether `e` names the table's key (`Id`, `t.Id`).
fn is_key(e: &ast::Expr, key: &str, names: &[&str]) -> bool {
    match e {
        ast::Expr::Identifier(i) => i.value.eq_ignore_ascii_case(key),
        ast::Expr::CompoundIdentifier(parts) => match parts.as_slice() {
            [q, c] => {
                c.value.eq_ignore_ascii_case(key)
                    && names.iter().any(|n| n.eq_ignore_ascii_case(&q.value))
            }
            _ => false,
        },
        ast::Expr::Nested(inner) => is_key(inner, key, names),
        _ => false,
    }
}

/// A literal or a parameter (what can name an id without reading rows).
fn is_constant(e: &ast::Expr) -> bool {
    match e {
        ast::Expr::Value(_) => true,
        ast::Expr::UnaryOp { expr, .. } => is_constant(expr),
        ast::Expr::Nested(inner) => is_constant(inner),
        _ => false,
    }
}

/// `Id = k`, `k = Id`, `Id IN (k, ...)`: the id expressions.
fn direct_ids<'e>(e: &'e ast::Expr, key: &str, names: &[&str]) -> Option<Vec<&'e ast::Expr>> {
    match e {
        ast::Expr::Nested(inner) => direct_ids(inner, key, names),
        ast::Expr::BinaryOp {
            left,
            op: ast::BinaryOperator::Eq,
            right,
        } => {
            if is_key(left, key, names) && is_constant(right) {
                Some(vec![right.as_ref()])
            } else if is_key(right, key, names) && is_constant(left) {
                Some(vec![left.as_ref()])
            } else {
                None
            }
        }
        ast::Expr::In {
            expr,
            target: ast::InTarget::List(list),
            negated: false,
            ..
        } if is_key(expr, key, names) && list.iter().all(is_constant) => {
            Some(list.iter().collect())
        }
        _ => None,
    }
}

fn plan_selection(
    table: &Arc<TableDef>,
    alias: Option<&str>,
    selection: Option<&ast::Expr>,
    schema: &Schema,
    fields: &dyn FieldSource,
    param_types: &mut Vec<Option<DataType>>,
) -> Result<Selection> {
    let key = table.primary_key.clone().ok_or_else(|| {
        read_only(format!(
            "Table '{}' has no key, so its rows cannot be changed one by one",
            table.name
        ))
    })?;
    let key_type = table
        .column_index(&key)
        .map(|i| table.columns[i].data_type)
        .unwrap_or(DataType::Integer);
    let mut names = vec![table.name.as_str()];
    names.extend(alias);
    if let Some(where_clause) = selection {
        if let Some(ids) = direct_ids(where_clause, &key, &names) {
            let ids = ids
                .into_iter()
                .map(|e| compile_value(e, Some((&key, key_type)), "WHERE", param_types))
                .collect::<Result<Vec<_>>>()?;
            return Ok(Selection::Ids(ids));
        }
    }
    let from = match alias {
        Some(a) => format!("\"{}\" AS \"{a}\"", table.name),
        None => format!("\"{}\"", table.name),
    };
    let text = match selection {
        Some(w) => format!("SELECT \"{key}\" FROM {from} WHERE {w}"),
        None => format!("SELECT \"{key}\" FROM {from}"),
    };
    let statements = Parser::parse_sql(&GenericDialect {}, &text)
        .map_err(|e| OdbcError::syntax(format!("Syntax error in WHERE: {e}")))?;
    let [statement] = statements.as_slice() else {
        return Err(OdbcError::syntax("The WHERE clause is not one condition"));
    };
    let planned = planner::plan_statement(statement, schema, fields)?;
    // The WHERE's parameters keep their numbers ($n): merge what the
    // query planner learned about their types.
    for (i, t) in planned.param_types.iter().enumerate() {
        if param_types.len() <= i {
            param_types.resize(i + 1, None);
        }
        if param_types[i].is_none() {
            param_types[i] = *t;
        }
    }
    let select = Prepared::from_planned(planned);
    Ok(Selection::Query {
        select: Box::new(select),
        unfiltered: selection.is_none(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Endpoint;
    use crate::sql::prepare_with;

    struct NoCustomFields;

    impl FieldSource for NoCustomFields {
        fn field_definitions(&self, _: &Endpoint) -> Result<Vec<serde_json::Value>> {
            Ok(Vec::new())
        }
    }

    fn prepare(sql: &str) -> Result<Prepared> {
        prepare_with(sql, &Schema::builtin(), &NoCustomFields)
    }

    fn plan(sql: &str) -> Arc<DmlPlan> {
        prepare(sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
            .dml()
            .cloned()
            .expect("a write plan")
    }

    #[test]
    fn read_only_columns_are_named_together() {
        let err =
            prepare("INSERT INTO Deals (Title, Id, AddTime) VALUES ('a', 1, NULL)").unwrap_err();
        assert_eq!(err.state, SqlState::SyntaxError);
        assert!(
            err.message
                .contains("Columns Id, AddTime of Deals are read-only"),
            "{}",
            err.message
        );
        let err = prepare("UPDATE Persons SET AddTime = NULL WHERE Id = 1").unwrap_err();
        assert!(
            err.message
                .contains("Column AddTime of Persons is read-only for UPDATE"),
            "{}",
            err.message
        );
        let err = prepare("DELETE FROM Users WHERE Id = 1").unwrap_err();
        assert_eq!(err.state, SqlState::SyntaxError);
        let err = prepare("INSERT INTO Filters (Name) VALUES ('x')").unwrap_err();
        assert!(err.message.contains("takes no INSERT"), "{}", err.message);
    }

    #[test]
    fn required_columns_and_value_counts_are_checked_when_preparing() {
        let err = prepare("INSERT INTO Stages (Name) VALUES ('s')").unwrap_err();
        assert_eq!(err.state, SqlState::IntegrityConstraintViolation);
        assert!(err.message.contains("PipelineId"), "{}", err.message);
        let err = prepare("INSERT INTO Deals (Title, Value) VALUES ('a')").unwrap_err();
        assert!(
            err.message.contains("1 values for 2 columns"),
            "{}",
            err.message
        );
        let err = prepare("INSERT INTO Deals VALUES ('a')").unwrap_err();
        assert!(err.message.contains("Name the columns"), "{}", err.message);
        let err = prepare("INSERT INTO Deals (Title, Title) VALUES ('a', 'b')").unwrap_err();
        assert!(err.message.contains("more than once"), "{}", err.message);
    }

    #[test]
    fn key_predicates_go_straight_to_the_api_others_select_ids_first() {
        let by_id = plan("UPDATE Deals SET Title = ? WHERE Id IN (?, 7)");
        assert!(matches!(
            &by_id.kind,
            DmlKind::Update { selection: Selection::Ids(ids), .. } if ids.len() == 2
        ));
        let aliased = plan("DELETE FROM Deals d WHERE 5 = d.Id");
        assert!(
            matches!(&aliased.kind, DmlKind::Delete { selection: Selection::Ids(ids) } if ids.len() == 1)
        );
        let other = plan("DELETE FROM Deals WHERE OwnerId = ? AND Value > 10");
        assert!(matches!(
            &other.kind,
            DmlKind::Delete {
                selection: Selection::Query {
                    unfiltered: false,
                    ..
                }
            }
        ));
        let all = plan("UPDATE Deals SET LostReason = NULL");
        assert!(matches!(
            &all.kind,
            DmlKind::Update {
                selection: Selection::Query {
                    unfiltered: true,
                    ..
                },
                ..
            }
        ));
    }

    #[test]
    fn parameters_take_the_types_of_their_columns_in_statement_order() {
        let prepared = prepare("UPDATE Deals SET Value = ?, Title = ? WHERE OwnerId = ?").unwrap();
        assert_eq!(prepared.param_count, 3);
        assert_eq!(
            prepared.param_types,
            vec![
                Some(DataType::Double),
                Some(DataType::WVarchar(255)),
                Some(DataType::Integer)
            ]
        );
        let insert =
            prepare("INSERT INTO Deals (Title, ExpectedCloseDate) VALUES (?, ?) RETURNING Id")
                .unwrap();
        assert_eq!(insert.param_types[1], Some(DataType::Date));
        assert_eq!(insert.columns.len(), 1);
        assert_eq!(insert.columns[0].name, "Id");
        let err = prepare("UPDATE Deals SET Value = Value + 1 WHERE Id = 1").unwrap_err();
        assert_eq!(err.state, SqlState::OptionalFeatureNotImplemented);
    }
}
