//! SQL front end: ODBC escapes, parsing, planning (what the API does vs what
//! is evaluated locally) and streaming execution.

mod exec;
mod plan;
mod result;

pub use result::{ResultColumn, RowSource, VecSource};

use crate::diag::{OdbcError, Result};
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
    plan: Arc<plan::SelectPlan>,
}

/// Parses and plans one statement (ODBC escapes rewritten first).
pub fn prepare(text: &str, session: &Session) -> Result<Prepared> {
    let rewritten = escape::rewrite_odbc_escapes(text, true)?;
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
    let planned = plan::plan_statement(statement, &session.schema, &session.client)?;
    let mut param_types = planned.param_types;
    param_types.resize(rewritten.param_count, None);
    Ok(Prepared {
        param_count: rewritten.param_count,
        param_types,
        columns: planned.columns,
        param_columns: planned.param_columns,
        plan: Arc::new(planned.plan),
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
    let env = expr::EvalEnv {
        now: now_utc(),
        user: session.user_name.clone(),
        database: session.company_name.clone(),
    };
    let params = params
        .into_iter()
        .map(|(value, data_type)| cast::conform(value, data_type, &env))
        .collect::<Result<Vec<_>>>()?;
    let source = exec::start(prepared.plan.clone(), &session.client, params, env, cancel)?;
    Ok(Box::new(source))
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
pub mod like;
