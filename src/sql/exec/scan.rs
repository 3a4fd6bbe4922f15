//! Rows of one API table: the request (get-by-id or a list with the pushed
//! parameters, sort and row limit), page by page, filtered locally.

use super::backend::{Row, RowPages};
use super::ExecContext;
use crate::diag::Result;
use crate::model::InputDefault;
use crate::model::TableDef;
use crate::sql::expr::Expr;
use crate::sql::plan::{Access, PushedParam, ScanPlan};
use crate::sql::result::RowSource;
use crate::sql::value_set::SubqueryResult;
use crate::types::DataType;
use crate::value::{Date, Timestamp, Value};
use std::collections::VecDeque;
use std::sync::Arc;

/// Formats a pushed value as the API expects it for a column of type
/// `data_type`; `None` when it cannot be expressed (the local filter then
/// does the work alone).
pub fn api_text(value: &Value, data_type: DataType) -> Option<String> {
    match data_type {
        DataType::SmallInt | DataType::Integer | DataType::BigInt => match value {
            Value::Int(i) => Some(i.to_string()),
            Value::Double(d) if d.fract() == 0.0 && d.is_finite() => Some((*d as i64).to_string()),
            Value::Text(s) => s.trim().parse::<i64>().ok().map(|i| i.to_string()),
            _ => None,
        },
        DataType::Bit => match value {
            Value::Bool(b) => Some(b.to_string()),
            Value::Int(0) => Some("false".into()),
            Value::Int(1) => Some("true".into()),
            Value::Text(s) => match s.trim().to_ascii_lowercase().as_str() {
                "0" | "false" => Some("false".into()),
                "1" | "true" => Some("true".into()),
                _ => None,
            },
            _ => None,
        },
        // A date parameter is a calendar day (`start_date=2026-01-01`).
        DataType::Date => match value {
            Value::Date(d) => Some(d.to_string()),
            Value::Timestamp(ts) => Some(ts.date.to_string()),
            Value::Text(s) => Date::parse(s.trim()).map(|d| d.to_string()),
            _ => None,
        },
        DataType::Timestamp => {
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
pub fn query_pairs(params: &[PushedParam], ctx: &ExecContext) -> Result<Vec<(String, String)>> {
    let mut pairs = Vec::new();
    for p in params {
        let texts: Option<Vec<String>> = p
            .values
            .iter()
            .map(|op| ctx.operand(op).map(|v| api_text(&v, p.data_type)))
            .collect::<Result<Vec<_>>>()?
            .into_iter()
            .collect();
        if let Some(texts) = texts {
            pairs.push((p.name.clone(), texts.join(",")));
        }
    }
    Ok(pairs)
}

/// An id as a request carries it (in an `ids` list or a URL path): only
/// ids made of unreserved URL characters, so a value can never change the
/// request's path or split a list.
pub fn request_id(value: &Value, id_type: DataType) -> Option<String> {
    let text = api_text(value, id_type)?;
    let plain = !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~'));
    plain.then_some(text)
}

/// A required parameter's value when the WHERE clause sets none.
fn default_text(default: InputDefault, ctx: &ExecContext) -> String {
    default.value_on(ctx.env.now.date)
}

/// The query of a list request: pushed parameters, the defaults of the
/// required ones not pushed, then the sort.
pub fn list_query(scan: &ScanPlan, ctx: &ExecContext) -> Result<Vec<(String, String)>> {
    let mut pairs = query_pairs(scan.access.params(), ctx)?;
    for (param, default) in &scan.table.input_defaults {
        if !pairs.iter().any(|(k, _)| k == param) {
            pairs.push((param.to_string(), default_text(*default, ctx)));
        }
    }
    if let Some(sort) = &scan.sort {
        if let Some(api) = sort.api_name {
            pairs.push(("sort_by".into(), api.to_string()));
            let direction = if sort.descending { "desc" } else { "asc" };
            pairs.push(("sort_direction".into(), direction.to_string()));
        }
    }
    Ok(pairs)
}

/// The filters `IN (subquery)` conjuncts supply, now that the subqueries
/// have run: those whose values fit one request. `None` when a subquery
/// has no value at all, so that no row can qualify.
fn subquery_filters(scan: &ScanPlan, ctx: &ExecContext) -> Option<Vec<(String, String)>> {
    let mut pairs = Vec::new();
    for param in &scan.subquery_params {
        let Some(SubqueryResult::Set(set)) = ctx.env.subqueries.get(param.slot) else {
            continue;
        };
        // `x IN (...)` is never true without a non-NULL value.
        if set.values().is_empty() {
            return None;
        }
        if set.values().len() > param.max {
            continue;
        }
        let texts: Option<Vec<String>> = set
            .values()
            .iter()
            .map(|v| api_text(v, param.data_type))
            .collect();
        if let Some(texts) = texts {
            pairs.push((param.name.clone(), texts.join(",")));
        }
    }
    Some(pairs)
}

/// Where the next rows come from.
enum Pages {
    /// Not requested yet: the first pull makes the request.
    Pending(Vec<(String, String)>, Option<u64>),
    Open(Box<dyn RowPages>),
    Done,
}

pub struct ScanRows {
    ctx: Arc<ExecContext>,
    table: Arc<TableDef>,
    pages: Pages,
    buffer: VecDeque<Row>,
    filter: Option<Expr>,
}

impl ScanRows {
    pub fn new(scan: &ScanPlan, ctx: Arc<ExecContext>) -> Result<ScanRows> {
        let (pages, buffer) = match &scan.access {
            Access::ById(op) => {
                let id = api_text(&ctx.operand(op)?, DataType::BigInt);
                let rows: VecDeque<Row> = match id {
                    Some(id) => ctx
                        .backend
                        .get_by_id(&scan.table, &id)?
                        .into_iter()
                        .collect(),
                    None => VecDeque::new(),
                };
                (Pages::Done, rows)
            }
            Access::Parents { .. } | Access::SubqueryParents { .. } | Access::ParentWalk { .. } => {
                return Err(crate::diag::OdbcError::general(
                    "internal error: a child table's rows come per parent",
                ))
            }
            Access::List(_) => {
                let mut query = list_query(scan, &ctx)?;
                match subquery_filters(scan, &ctx) {
                    // `col IN (no values)`: no row can qualify.
                    None => (Pages::Done, VecDeque::new()),
                    Some(pairs) => {
                        for (name, value) in pairs {
                            if !query.iter().any(|(k, _)| *k == name) {
                                query.push((name, value));
                            }
                        }
                        let limit = ctx.count(scan.fetch_limit.as_ref())?;
                        (Pages::Pending(query, limit), VecDeque::new())
                    }
                }
            }
        };
        Ok(ScanRows {
            ctx,
            table: scan.table.clone(),
            pages,
            buffer,
            filter: scan.filter.clone(),
        })
    }
}

impl RowSource for ScanRows {
    fn next_row(&mut self) -> Result<Option<Row>> {
        loop {
            while let Some(row) = self.buffer.pop_front() {
                match &self.filter {
                    Some(f) if !self.ctx.holds(f, &row)? => continue,
                    _ => return Ok(Some(row)),
                }
            }
            self.ctx.check_cancel()?;
            let page = match &mut self.pages {
                Pages::Done => return Ok(None),
                Pages::Pending(query, limit) => {
                    let mut open =
                        self.ctx
                            .backend
                            .list(&self.table, std::mem::take(query), *limit)?;
                    let page = open.next_page()?;
                    self.pages = Pages::Open(open);
                    page
                }
                Pages::Open(open) => open.next_page()?,
            };
            match page {
                Some(rows) => self.buffer.extend(rows),
                None => self.pages = Pages::Done,
            }
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
}
