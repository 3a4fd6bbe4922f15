//! SQL front end: ODBC escapes, parsing, planning (what the API does vs what
//! is evaluated locally) and streaming execution.

pub mod dml;
mod exec;
mod explain;
mod plan;
mod planner;
pub mod procedures;
mod result;
pub mod system_tables;
#[cfg(test)]
mod tests;

pub use exec::{Backend, Row, RowPages};
pub use result::{ResultColumn, RowSource, VecSource};

use crate::diag::{OdbcError, Result};
use crate::model::{FieldSource, Schema};
use crate::session::Session;
use crate::types::DataType;
use crate::value::{Timestamp, Value};
use sqlparser::dialect::GenericDialect;
use sqlparser::parser::Parser;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

/// A parsed and planned statement, ready to execute any number of times.
#[derive(Debug)]
pub struct Prepared {
    pub param_count: usize,
    /// Parameter types inferred from context (e.g. `OwnerId = ?`).
    pub param_types: Vec<Option<DataType>>,
    pub columns: Vec<ResultColumn>,
    /// (result column, parameter) pairs whose type follows the bound
    /// parameter's SQL type.
    pub param_columns: Vec<(usize, usize)>,
    action: Action,
}

/// What executing a prepared statement does.
#[derive(Debug)]
enum Action {
    /// A query (or EXPLAIN): rows from the plan.
    Query(Arc<plan::StatementPlan>),
    /// INSERT / UPDATE / DELETE.
    Write(Arc<dml::DmlPlan>),
    /// EXEC / CALL of one of the driver's procedures.
    Call(Arc<procedures::ProcedureCall>),
}

impl Prepared {
    /// The write plan of an INSERT / UPDATE / DELETE.
    pub fn dml(&self) -> Option<&Arc<dml::DmlPlan>> {
        match &self.action {
            Action::Write(plan) => Some(plan),
            _ => None,
        }
    }

    /// The query plan of a SELECT (or EXPLAIN).
    #[cfg(test)]
    pub(crate) fn query_plan(&self) -> Option<&plan::StatementPlan> {
        match &self.action {
            Action::Query(plan) => Some(plan),
            _ => None,
        }
    }

    /// A query planned on its own (the row selection of UPDATE/DELETE).
    fn from_planned(planned: planner::Planned) -> Prepared {
        Prepared {
            param_count: 0,
            param_types: planned.param_types,
            columns: planned.columns,
            param_columns: planned.param_columns,
            action: Action::Query(Arc::new(planned.plan)),
        }
    }
}

/// Parses and plans one statement (ODBC escapes rewritten first).
pub fn prepare(text: &str, session: &Session) -> Result<Prepared> {
    prepare_with(text, &session.schema, &session.client)
}

/// `prepare` against any schema and source of custom-field definitions.
pub fn prepare_with(text: &str, schema: &Schema, fields: &dyn FieldSource) -> Result<Prepared> {
    let rewritten = escape::rewrite_odbc_escapes(text, true)?;
    if procedures::is_call(&rewritten.sql) {
        return prepare_procedure_call(&rewritten);
    }
    let statements = Parser::parse_sql(&GenericDialect {}, &rewritten.sql).map_err(|e| {
        OdbcError::syntax(format!(
            "Syntax error: {}",
            e.to_string().trim_start_matches("sql parser error: ")
        ))
    })?;
    let statement = match statements.as_slice() {
        [one] => one,
        [] => return Err(OdbcError::syntax("The statement is empty")),
        _ => {
            return Err(OdbcError::syntax(
                "Only one statement can be executed at a time",
            ))
        }
    };
    if let Some(write) = dml::plan_dml(statement, schema, fields)? {
        let mut param_types = write.param_types;
        param_types.resize(rewritten.param_count, None);
        return Ok(Prepared {
            param_count: rewritten.param_count,
            param_types,
            columns: write.columns,
            param_columns: Vec::new(),
            action: Action::Write(Arc::new(write.plan)),
        });
    }
    let planned = planner::plan_statement(statement, schema, fields)?;
    let mut param_types = planned.param_types;
    param_types.resize(rewritten.param_count, None);
    Ok(Prepared {
        param_count: rewritten.param_count,
        param_types,
        columns: planned.columns,
        param_columns: planned.param_columns,
        action: Action::Query(Arc::new(planned.plan)),
    })
}

/// EXEC / EXECUTE / CALL / `{call}`: the driver's procedures, which
/// sqlparser does not parse the way ODBC applications write them.
fn prepare_procedure_call(rewritten: &escape::Rewritten) -> Result<Prepared> {
    let call = procedures::parse_call(&rewritten.sql, rewritten.param_count)?;
    Ok(Prepared {
        param_count: rewritten.param_count,
        param_types: call.param_types(rewritten.param_count),
        columns: call.columns(),
        param_columns: Vec::new(),
        action: Action::Call(Arc::new(call)),
    })
}

/// Starts executing: the first page is requested before this returns.
///
/// Each parameter arrives with the SQL type the application bound it as,
/// and is converted to that type first, as ODBC converts C data to the
/// parameter's SQL type (22018 when it cannot be).
pub fn execute(
    prepared: &Prepared,
    session: &Arc<Session>,
    params: Vec<(Value, DataType)>,
    cancel: Arc<AtomicBool>,
) -> Result<Box<dyn RowSource>> {
    if let Action::Call(call) = &prepared.action {
        return procedures::execute(call, session, &params);
    }
    let env = expr::EvalEnv {
        now: now_utc(),
        user: session.user_name.clone(),
        database: session.company_name.clone(),
        subqueries: Default::default(),
        last_insert_id: session.client.last_created_id().unwrap_or(Value::Null),
    };
    let backend = Arc::new(exec::ApiBackend::new(session.clone()));
    execute_with(prepared, backend, params, env, cancel)
}

/// `execute` against any backend, in a given environment.
pub fn execute_with(
    prepared: &Prepared,
    backend: Arc<dyn Backend>,
    params: Vec<(Value, DataType)>,
    env: expr::EvalEnv,
    cancel: Arc<AtomicBool>,
) -> Result<Box<dyn RowSource>> {
    let params = params
        .into_iter()
        .map(|(value, data_type)| cast::conform(value, data_type, &env))
        .collect::<Result<Vec<_>>>()?;
    match &prepared.action {
        Action::Query(plan) => exec::start(plan, backend, params, env, cancel),
        // Writes run through `dml::apply_writes` (per parameter set) and
        // calls through `execute`; neither produces rows from a plan.
        Action::Write(_) | Action::Call(_) => Err(OdbcError::general(
            "This statement is not a query: execute it on a statement handle",
        )),
    }
}

fn now_utc() -> Timestamp {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    Timestamp::from_seconds_since_epoch(since.as_secs() as i64, since.subsec_nanos())
        .unwrap_or_else(|| {
            Timestamp::from_date(crate::value::Date {
                year: 1970,
                month: 1,
                day: 1,
            })
        })
}
pub mod cast;
pub mod compile;
pub mod datetime;
pub mod escape;
pub mod expr;
pub mod functions;
pub mod keys;
pub mod like;
pub mod value_set;
