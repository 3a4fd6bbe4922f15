//! Carrying out a write plan for one parameter set: first the requests are
//! built and checked without touching the network ([`build_writes`]), then
//! sent one row at a time ([`apply_writes`]), stopping at the first failure
//! and reporting what was done before it.

use super::body::BodyBuilder;
use super::plan::{DmlKind, DmlPlan, Selection, WriteColumn};
use crate::api::WriteOutcome;
use crate::diag::{OdbcError, Result, SqlState};
use crate::model::row_from_json;
use crate::session::Session;
use crate::sql::cast;
use crate::sql::expr::{EvalEnv, TypedExpr};
use crate::types::DataType;
use crate::value::Value;
use serde_json::Value as Json;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// The requests of one parameter set, built and checked before any is sent.
#[derive(Debug, Clone, PartialEq)]
pub enum RowWrites {
    /// One POST body per VALUES row.
    Create(Vec<Json>),
    /// One PATCH/PUT body for every matching id; `None`: the ids come from
    /// the plan's SELECT when the row is applied.
    Update {
        body: Json,
        ids: Option<Vec<String>>,
    },
    Delete {
        ids: Option<Vec<String>>,
    },
}

/// What a parameter set did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DmlOutcome {
    /// Rows created, changed or deleted.
    pub affected: u64,
    /// RETURNING rows of the created records.
    pub returned: Vec<Vec<Value>>,
    /// The id of the last record created.
    pub last_insert_id: Option<Value>,
}

/// A parameter set that failed part-way.
#[derive(Debug, Clone, PartialEq)]
pub struct RowFailure {
    pub error: OdbcError,
    /// What was done before the failure (it stays done).
    pub done: DmlOutcome,
    /// Whether the failed request itself may have been carried out.
    pub maybe_applied: bool,
}

impl RowFailure {
    fn before_any_request(error: OdbcError) -> RowFailure {
        RowFailure {
            error,
            done: DmlOutcome::default(),
            maybe_applied: false,
        }
    }
}

fn evaluate(
    expr: &TypedExpr,
    column: &WriteColumn,
    params: &[Value],
    env: &EvalEnv,
) -> Result<Value> {
    let value = expr.expr.eval(&[], params, env)?;
    if value.is_null() {
        return Ok(Value::Null);
    }
    cast::conform(value, column.data_type, env).map_err(|e| OdbcError {
        message: format!("Column '{}': {}", column.name, e.message),
        ..e
    })
}

fn body_of(values: &[(&WriteColumn, Value)], table: &str, check_required: bool) -> Result<Json> {
    let mut body = BodyBuilder::default();
    for (column, value) in values {
        if check_required && column.write.required && value.is_null() {
            return Err(OdbcError::new(
                SqlState::IntegrityConstraintViolation,
                format!(
                    "Column '{}' of {table} cannot be NULL: Pipedrive requires it",
                    column.name
                ),
            ));
        }
        body.set(&column.write.target, &column.name, value)?;
    }
    Ok(body.into_json())
}

/// The key values as the API's path ids; NULL ids match nothing.
fn ids_of(
    ids: &[TypedExpr],
    key_type: DataType,
    params: &[Value],
    env: &EvalEnv,
) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::with_capacity(ids.len());
    for e in ids {
        let value = e.expr.eval(&[], params, env)?;
        if value.is_null() {
            continue;
        }
        let id = match cast::conform(value, key_type, env)? {
            Value::Int(i) => i.to_string(),
            other => other.to_text().unwrap_or_default(),
        };
        if !out.contains(&id) {
            out.push(id);
        }
    }
    Ok(out)
}

/// Converts and checks one parameter set's values into the requests it
/// will make. Nothing is sent: every error here leaves Pipedrive untouched.
pub fn build_writes(
    plan: &DmlPlan,
    params: &[(Value, DataType)],
    env: &EvalEnv,
    allow_unfiltered: bool,
) -> Result<RowWrites> {
    let params = params
        .iter()
        .map(|(v, t)| cast::conform(v.clone(), *t, env))
        .collect::<Result<Vec<_>>>()?;
    let table = plan.table.name.as_str();
    match &plan.kind {
        DmlKind::Insert { columns, rows, .. } => {
            let bodies = rows
                .iter()
                .map(|row| {
                    let values = row
                        .iter()
                        .zip(columns)
                        .map(|(e, c)| Ok((c, evaluate(e, c, &params, env)?)))
                        .collect::<Result<Vec<_>>>()?;
                    body_of(&values, table, true)
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(RowWrites::Create(bodies))
        }
        DmlKind::Update {
            assignments,
            selection,
        } => {
            let values = assignments
                .iter()
                .map(|(c, e)| Ok((c, evaluate(e, c, &params, env)?)))
                .collect::<Result<Vec<_>>>()?;
            let body = body_of(&values, table, true)?;
            let ids = known_ids(plan, selection, &params, env, allow_unfiltered)?;
            Ok(RowWrites::Update { body, ids })
        }
        DmlKind::Delete { selection } => Ok(RowWrites::Delete {
            ids: known_ids(plan, selection, &params, env, allow_unfiltered)?,
        }),
    }
}

fn known_ids(
    plan: &DmlPlan,
    selection: &Selection,
    params: &[Value],
    env: &EvalEnv,
    allow_unfiltered: bool,
) -> Result<Option<Vec<String>>> {
    match selection {
        Selection::Ids(ids) => {
            let key_type = plan
                .table
                .primary_key
                .as_deref()
                .and_then(|k| plan.table.column_index(k))
                .map(|i| plan.table.columns[i].data_type)
                .unwrap_or(DataType::Integer);
            Ok(Some(ids_of(ids, key_type, params, env)?))
        }
        Selection::Query {
            unfiltered: true, ..
        } if !allow_unfiltered => Err(OdbcError::new(
            SqlState::SyntaxError,
            format!(
                "{} without WHERE would change every row of {}: add a WHERE clause, or connect with AllowUnfilteredWrites=true to allow it",
                plan.dynamic_function().0.split(' ').next().unwrap_or("UPDATE"),
                plan.table.name
            ),
        )),
        Selection::Query { .. } => Ok(None),
    }
}

fn record_id(record: &Json) -> Option<Value> {
    match record.get("id")? {
        Json::Number(n) => n.as_i64().map(Value::Int),
        Json::String(s) => Some(Value::Text(s.clone())),
        _ => None,
    }
}

fn canceled(done: &DmlOutcome) -> OdbcError {
    OdbcError::new(
        SqlState::OperationCanceled,
        format!(
            "Operation canceled after {} row(s) were written",
            done.affected
        ),
    )
}

/// The ids the plan's SELECT finds (the WHERE through the query engine).
fn selected_ids(
    plan: &DmlPlan,
    session: &Arc<Session>,
    params: &[(Value, DataType)],
    cancel: &Arc<AtomicBool>,
) -> Result<Vec<String>> {
    let (DmlKind::Update {
        selection: Selection::Query { select, .. },
        ..
    }
    | DmlKind::Delete {
        selection: Selection::Query { select, .. },
    }) = &plan.kind
    else {
        return Ok(Vec::new());
    };
    let mut rows = crate::sql::execute(select, session, params.to_vec(), cancel.clone())?;
    let mut ids = Vec::new();
    while let Some(row) = rows.next_row()? {
        match row.into_iter().next() {
            Some(Value::Int(i)) => ids.push(i.to_string()),
            Some(Value::Null) | None => {}
            Some(other) => ids.push(other.to_text().unwrap_or_default()),
        }
    }
    ids.dedup();
    Ok(ids)
}

/// Sends one parameter set's requests in order; the first failure stops
/// it, and what was done before stays done and is reported.
pub fn apply_writes(
    plan: &DmlPlan,
    writes: &RowWrites,
    session: &Arc<Session>,
    params: &[(Value, DataType)],
    cancel: &Arc<AtomicBool>,
) -> Result<DmlOutcome, RowFailure> {
    let client = &session.client;
    let spec = plan.spec;
    let mut done = DmlOutcome::default();
    let fail = |failure: crate::api::WriteFailure, done: &DmlOutcome| RowFailure {
        error: failure.error,
        done: done.clone(),
        maybe_applied: failure.outcome == WriteOutcome::MaybeApplied,
    };
    match writes {
        RowWrites::Create(bodies) => {
            let returning = match &plan.kind {
                DmlKind::Insert { returning, .. } => returning.as_slice(),
                _ => &[],
            };
            for body in bodies {
                if cancel.load(Ordering::SeqCst) {
                    return Err(RowFailure::before_any_request(canceled(&done)));
                }
                let record = client
                    .create_record(spec.version, spec.path, body)
                    .map_err(|f| fail(f, &done))?;
                done.affected += 1;
                done.last_insert_id = record_id(&record);
                if !returning.is_empty() {
                    let row = row_from_json(&record, &plan.table.columns);
                    done.returned.push(
                        returning
                            .iter()
                            .map(|&i| row.get(i).cloned().unwrap_or(Value::Null))
                            .collect(),
                    );
                }
            }
        }
        RowWrites::Update { body, ids } => {
            return change_each(plan, ids.as_deref(), Some(body), session, params, cancel)
        }
        RowWrites::Delete { ids } => {
            return change_each(plan, ids.as_deref(), None, session, params, cancel)
        }
    }
    Ok(done)
}

/// PATCH/PUT `body` to (or, without a body, DELETE) every id: the given
/// ones, or those the plan's SELECT finds. A 404 changes nothing.
fn change_each(
    plan: &DmlPlan,
    ids: Option<&[String]>,
    body: Option<&Json>,
    session: &Arc<Session>,
    params: &[(Value, DataType)],
    cancel: &Arc<AtomicBool>,
) -> Result<DmlOutcome, RowFailure> {
    let spec = plan.spec;
    let client = &session.client;
    let ids = match ids {
        Some(ids) => ids.to_vec(),
        None => {
            selected_ids(plan, session, params, cancel).map_err(RowFailure::before_any_request)?
        }
    };
    let update = match (body, spec.update) {
        (Some(body), Some((method, _))) => Some((method, body)),
        _ => None,
    };
    let mut done = DmlOutcome::default();
    for id in &ids {
        if cancel.load(Ordering::SeqCst) {
            return Err(RowFailure {
                error: canceled(&done),
                done,
                maybe_applied: false,
            });
        }
        let changed = match update {
            Some((method, body)) => client.update_record(spec.version, method, spec.path, id, body),
            None => client.delete_record(spec.version, spec.path, id),
        };
        match changed {
            Ok(true) => done.affected += 1,
            Ok(false) => {}
            Err(failure) => {
                return Err(RowFailure {
                    error: failure.error,
                    done,
                    maybe_applied: failure.outcome == WriteOutcome::MaybeApplied,
                })
            }
        }
    }
    Ok(done)
}
