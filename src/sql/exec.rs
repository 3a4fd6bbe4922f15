//! Streaming execution of a SELECT plan: pages come from the API one at a
//! time; filter, projection, DISTINCT, OFFSET and LIMIT stream; only ORDER
//! BY holds rows (all of them, as a sort must).

use super::expr::{truth, EvalEnv};
use super::plan::{Access, Operand, PushedParam, SelectPlan, SortSource};
use super::result::RowSource;
use crate::api::{ApiClient, PageStream};
use crate::diag::{OdbcError, Result, SqlState};
use crate::model::{row_from_json, TableDef};
use crate::types::DataType;
use crate::value::{Timestamp, Value};
use serde_json::Value as Json;
use std::cmp::Ordering;
use std::collections::{HashSet, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering as AtomicOrdering};
use std::sync::Arc;

fn operand_value(op: &Operand, params: &[Value]) -> Result<Value> {
    match op {
        Operand::Literal(v) => Ok(v.clone()),
        Operand::Param(i) => params.get(*i).cloned().ok_or_else(|| {
            OdbcError::new(
                SqlState::WrongParameterCount,
                format!("Parameter {} has no value", i + 1),
            )
        }),
    }
}

/// Formats a pushed value as the API expects it for a column of type
/// `data_type`; `None` when it cannot be expressed (the local filter then
/// does the work alone).
fn api_text(value: &Value, data_type: DataType) -> Option<String> {
    match data_type {
        DataType::SmallInt | DataType::Integer | DataType::BigInt => match value {
            Value::Int(i) => Some(i.to_string()),
            Value::Double(d) if d.fract() == 0.0 => Some((*d as i64).to_string()),
            Value::Text(s) => s.trim().parse::<i64>().ok().map(|i| i.to_string()),
            _ => None,
        },
        DataType::Timestamp | DataType::Date => {
            let ts = match value {
                Value::Timestamp(ts) => *ts,
                Value::Date(d) => Timestamp::from_date(*d),
                Value::Text(s) => Timestamp::parse(s)?,
                _ => return None,
            };
            Some(format!("{}T{}Z", ts.date, ts.time))
        }
        _ => match value {
            Value::Null => None,
            other => other.to_text(),
        },
    }
}

/// Resolves the pushed parameters into query pairs, dropping any that
/// cannot be expressed.
fn query_pairs(params: &[PushedParam], values: &[Value]) -> Result<Vec<(String, String)>> {
    let mut pairs = Vec::new();
    for p in params {
        let texts: Option<Vec<String>> = p
            .values
            .iter()
            .map(|op| operand_value(op, values).map(|v| api_text(&v, p.data_type)))
            .collect::<Result<Vec<_>>>()?
            .into_iter()
            .collect();
        if let Some(texts) = texts {
            pairs.push((p.name.clone(), texts.join(",")));
        }
    }
    Ok(pairs)
}

/// Input rows of the table (before the WHERE clause).
enum Input {
    /// SELECT without FROM: one empty row.
    Single { done: bool },
    Scan {
        table: Arc<TableDef>,
        pages: PageStream,
        buffer: VecDeque<Vec<Value>>,
        cancel: Arc<AtomicBool>,
    },
    /// Rows already fetched (a get-by-id answer).
    Fetched(VecDeque<Vec<Value>>),
}

impl Input {
    fn next(&mut self) -> Result<Option<Vec<Value>>> {
        match self {
            Input::Single { done } => {
                if *done {
                    return Ok(None);
                }
                *done = true;
                Ok(Some(Vec::new()))
            }
            Input::Scan {
                table,
                pages,
                buffer,
                cancel,
            } => loop {
                if let Some(row) = buffer.pop_front() {
                    return Ok(Some(row));
                }
                if cancel.swap(false, AtomicOrdering::SeqCst) {
                    return Err(OdbcError::new(
                        SqlState::OperationCanceled,
                        "Operation canceled",
                    ));
                }
                match pages.next_page()? {
                    None => return Ok(None),
                    Some(records) => {
                        buffer.extend(records.iter().map(|r| row_from_json(r, &table.columns)))
                    }
                }
            },
            Input::Fetched(rows) => Ok(rows.pop_front()),
        }
    }
}

/// `GET /{path}/{id}`: the record as a row, or none (404, or an id that
/// cannot be one).
fn fetch_by_id(
    client: &ApiClient,
    table: &TableDef,
    id: Option<&str>,
) -> Result<VecDeque<Vec<Value>>> {
    let Some(id) = id else {
        return Ok(VecDeque::new());
    };
    let path = format!("{}/{}", table.endpoint.path, id);
    let record = client.get(table.endpoint.version, &path, &[], false)?;
    Ok(record
        .and_then(|envelope| envelope.get("data").cloned())
        .filter(|d: &Json| !d.is_null())
        .map(|d| row_from_json(&d, &table.columns))
        .into_iter()
        .collect())
}

pub struct SelectSource {
    input: Input,
    plan: Arc<SelectPlan>,
    params: Vec<Value>,
    env: EvalEnv,
    sorted: Option<std::vec::IntoIter<Vec<Value>>>,
    seen: HashSet<String>,
    to_skip: u64,
    remaining: Option<u64>,
}

fn count_of(op: Option<&Operand>, params: &[Value]) -> Result<Option<u64>> {
    let Some(op) = op else {
        return Ok(None);
    };
    match operand_value(op, params)? {
        Value::Int(n) if n >= 0 => Ok(Some(n as u64)),
        other => Err(OdbcError::new(
            SqlState::InvalidAttributeValue,
            format!(
                "LIMIT/OFFSET must be a non-negative integer, got {}",
                other.to_text().unwrap_or_else(|| "NULL".into())
            ),
        )),
    }
}

pub fn start(
    plan: Arc<SelectPlan>,
    client: &Arc<ApiClient>,
    params: Vec<Value>,
    env: EvalEnv,
    cancel: Arc<AtomicBool>,
) -> Result<SelectSource> {
    let input = match &plan.scan {
        None => Input::Single { done: false },
        Some(scan) => match &scan.access {
            Access::ById(op) => {
                let id = api_text(&operand_value(op, &params)?, DataType::BigInt);
                Input::Fetched(fetch_by_id(client, &scan.table, id.as_deref())?)
            }
            Access::List(pushed) => {
                let pairs = query_pairs(pushed, &params)?;
                let fetch_limit = count_of(scan.fetch_limit.as_ref(), &params)?;
                let pages = PageStream::new(
                    client.clone(),
                    scan.table.endpoint.clone(),
                    pairs,
                    fetch_limit,
                );
                Input::Scan {
                    table: scan.table.clone(),
                    pages,
                    buffer: VecDeque::new(),
                    cancel,
                }
            }
        },
    };
    let to_skip = count_of(plan.offset.as_ref(), &params)?.unwrap_or(0);
    let remaining = count_of(plan.limit.as_ref(), &params)?;
    let mut source = SelectSource {
        input,
        plan,
        params,
        env,
        sorted: None,
        seen: HashSet::new(),
        to_skip,
        remaining,
    };
    // Fetch the first page now, so errors (authorization, bad filters)
    // surface from SQLExecute rather than from the first SQLFetch.
    source.prime()?;
    Ok(source)
}

impl SelectSource {
    fn prime(&mut self) -> Result<()> {
        if let Input::Scan {
            table,
            pages,
            buffer,
            ..
        } = &mut self.input
        {
            if let Some(records) = pages.next_page()? {
                buffer.extend(records.iter().map(|r| row_from_json(r, &table.columns)));
            }
        }
        Ok(())
    }

    /// The next input row that satisfies the WHERE clause.
    fn next_matching(&mut self) -> Result<Option<Vec<Value>>> {
        while let Some(row) = self.input.next()? {
            match &self.plan.filter {
                None => return Ok(Some(row)),
                Some(f) => {
                    if truth(&f.eval(&row, &self.params, &self.env)?)? == Some(true) {
                        return Ok(Some(row));
                    }
                }
            }
        }
        Ok(None)
    }

    fn project(&self, row: &[Value]) -> Result<Vec<Value>> {
        self.plan
            .projection
            .iter()
            .map(|e| e.eval(row, &self.params, &self.env))
            .collect()
    }

    fn sort_all(&mut self) -> Result<()> {
        let mut keyed: Vec<(Vec<Value>, Vec<Value>)> = Vec::new();
        while let Some(row) = self.next_matching()? {
            let out = self.project(&row)?;
            let keys = self
                .plan
                .order_by
                .iter()
                .map(|k| match &k.source {
                    SortSource::Output(i) => Ok(out.get(*i).cloned().unwrap_or(Value::Null)),
                    SortSource::Input(e) => e.eval(&row, &self.params, &self.env),
                })
                .collect::<Result<Vec<_>>>()?;
            keyed.push((keys, out));
        }
        let plan = self.plan.clone();
        keyed.sort_by(|(a, _), (b, _)| {
            for (i, key) in plan.order_by.iter().enumerate() {
                let (x, y) = (&a[i], &b[i]);
                let ord = match (x.is_null(), y.is_null()) {
                    (true, true) => Ordering::Equal,
                    (true, false) => {
                        if key.nulls_first {
                            Ordering::Less
                        } else {
                            Ordering::Greater
                        }
                    }
                    (false, true) => {
                        if key.nulls_first {
                            Ordering::Greater
                        } else {
                            Ordering::Less
                        }
                    }
                    (false, false) => {
                        let o = x.order_cmp(y);
                        if key.descending {
                            o.reverse()
                        } else {
                            o
                        }
                    }
                };
                if ord != Ordering::Equal {
                    return ord;
                }
            }
            Ordering::Equal
        });
        self.sorted = Some(
            keyed
                .into_iter()
                .map(|(_, out)| out)
                .collect::<Vec<_>>()
                .into_iter(),
        );
        Ok(())
    }

    fn next_output(&mut self) -> Result<Option<Vec<Value>>> {
        if !self.plan.order_by.is_empty() {
            if self.sorted.is_none() {
                self.sort_all()?;
            }
            return Ok(self.sorted.as_mut().and_then(|s| s.next()));
        }
        match self.next_matching()? {
            Some(row) => self.project(&row).map(Some),
            None => Ok(None),
        }
    }
}

/// A row's identity for DISTINCT (values of one column share a type).
fn distinct_key(row: &[Value]) -> String {
    format!("{row:?}")
}

impl RowSource for SelectSource {
    fn next_row(&mut self) -> Result<Option<Vec<Value>>> {
        loop {
            if self.remaining == Some(0) {
                return Ok(None);
            }
            let Some(out) = self.next_output()? else {
                return Ok(None);
            };
            if self.plan.distinct && !self.seen.insert(distinct_key(&out)) {
                continue;
            }
            if self.to_skip > 0 {
                self.to_skip -= 1;
                continue;
            }
            if let Some(r) = self.remaining.as_mut() {
                *r -= 1;
            }
            return Ok(Some(out));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pushed_values_use_api_formats() {
        assert_eq!(
            api_text(&Value::Text("2025-01-02".into()), DataType::Timestamp).as_deref(),
            Some("2025-01-02T00:00:00Z")
        );
        assert_eq!(
            api_text(&Value::Text(" 42 ".into()), DataType::Integer).as_deref(),
            Some("42")
        );
        assert_eq!(api_text(&Value::Double(4.5), DataType::Integer), None);
        assert_eq!(api_text(&Value::Null, DataType::WVarchar(3)), None);
    }

    #[test]
    fn unformattable_pushes_are_dropped_not_sent() {
        let params = vec![
            PushedParam {
                name: "owner_id".into(),
                data_type: DataType::Integer,
                values: vec![Operand::Literal(Value::Text("x".into()))],
            },
            PushedParam {
                name: "ids".into(),
                data_type: DataType::Integer,
                values: vec![Operand::Literal(Value::Int(1)), Operand::Param(0)],
            },
        ];
        let pairs = query_pairs(&params, &[Value::Int(7)]).unwrap();
        assert_eq!(pairs, vec![("ids".to_string(), "1,7".to_string())]);
    }
}
