//! Tests of the SQL engine end to end (parse, plan, execute) over tables in
//! memory: a fake API that honours the pushed filters, the sort and the row
//! limit like Pipedrive's list endpoints, pages its answers and records
//! every request. Expected results are computed by brute force.

mod aggregates;
mod derived;
mod explain;
mod joins;
mod sorting;
mod subqueries;
mod system;
mod unions;

use super::exec::{Backend, Row, RowPages};
use super::expr::EvalEnv;
use super::system_tables::{self, SystemTable};
use super::{execute_with, prepare_with, Prepared};
use crate::diag::{OdbcError, Result};
use crate::model::{Endpoint, FieldSource, PushOp, Schema, TableDef};
use crate::types::DataType;
use crate::value::{Timestamp, Value};
use parking_lot::Mutex;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

/// No custom fields: tables have their built-in columns.
pub struct NoCustomFields;

impl FieldSource for NoCustomFields {
    fn field_definitions(&self, _: &Endpoint) -> Result<Vec<serde_json::Value>> {
        Ok(Vec::new())
    }
}

/// One request the fake API answered.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub table: String,
    /// `list` or `get`.
    pub kind: &'static str,
    pub query: Vec<(String, String)>,
}

impl Request {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Tables in memory behind the `Backend` trait.
pub struct FakeApi {
    schema: Schema,
    rows: HashMap<String, Vec<Row>>,
    requests: Arc<Mutex<Vec<Request>>>,
}

fn text_of(value: &Value) -> Option<String> {
    value.to_text()
}

impl FakeApi {
    pub fn new() -> FakeApi {
        FakeApi {
            schema: Schema::builtin(),
            rows: HashMap::new(),
            requests: Arc::new(Mutex::new(Vec::new())),
        }
    }

    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    pub fn table(&self, name: &str) -> Arc<TableDef> {
        self.schema.table(name).cloned().expect("a built-in table")
    }

    /// Adds rows given as (column, value) pairs; other columns are NULL.
    pub fn insert(&mut self, table: &str, rows: Vec<Vec<(&str, Value)>>) {
        let def = self.table(table);
        let entry = self.rows.entry(def.name.clone()).or_default();
        for pairs in rows {
            let mut row = vec![Value::Null; def.columns.len()];
            for (column, value) in pairs {
                let i = def.column_index(column).expect("a column of the table");
                row[i] = value;
            }
            entry.push(row);
        }
    }

    pub fn rows(&self, table: &str) -> Vec<Row> {
        self.rows
            .get(&self.table(table).name)
            .cloned()
            .unwrap_or_default()
    }

    /// The value of a column in a row of a table.
    pub fn value<'r>(&self, table: &str, row: &'r Row, column: &str) -> &'r Value {
        let i = self.table(table).column_index(column).expect("a column");
        &row[i]
    }

    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().clone()
    }

    pub fn requests_to(&self, table: &str) -> Vec<Request> {
        self.requests()
            .into_iter()
            .filter(|r| r.table.eq_ignore_ascii_case(table))
            .collect()
    }

    pub fn clear_requests(&self) {
        self.requests.lock().clear();
    }

    /// What a list request with `query` returns, before paging.
    fn answer(&self, table: &TableDef, query: &[(String, String)]) -> Vec<Row> {
        let mut rows = self.rows.get(&table.name).cloned().unwrap_or_default();
        for (param, value) in query {
            let Some(filter) = table.pushdown.iter().find(|p| p.param == param) else {
                continue;
            };
            let Some(i) = table.column_index(filter.column) else {
                continue;
            };
            rows.retain(|row| match filter.op {
                PushOp::Eq | PushOp::EqList { .. } => {
                    text_of(&row[i]).is_some_and(|t| value.split(',').any(|v| v == t))
                }
                PushOp::AtLeast | PushOp::Below => {
                    let (Value::Timestamp(ts), Some(bound)) = (&row[i], Timestamp::parse(value))
                    else {
                        return false;
                    };
                    (*ts >= bound) == (filter.op == PushOp::AtLeast)
                }
            });
        }
        let sort_by = query
            .iter()
            .find(|(k, _)| k == "sort_by")
            .map(|(_, v)| v.clone());
        let descending = query
            .iter()
            .any(|(k, v)| k == "sort_direction" && v == "desc");
        let column = match sort_by.as_deref() {
            Some(api) => table
                .sortable
                .iter()
                .find(|(_, a)| *a == api)
                .map(|(c, _)| c.to_string())
                .or_else(|| (api == "id").then(|| "Id".to_string())),
            None => Some("Id".to_string()),
        };
        if let Some(i) = column.and_then(|c| table.column_index(&c)) {
            rows.sort_by(|a, b| {
                let o = a[i].order_cmp(&b[i]);
                if descending {
                    o.reverse()
                } else {
                    o
                }
            });
        }
        rows
    }
}

struct FakePages {
    table: String,
    query: Vec<(String, String)>,
    rows: std::vec::IntoIter<Row>,
    page_size: usize,
    remaining: Option<u64>,
    started: bool,
    requests: Arc<Mutex<Vec<Request>>>,
}

impl RowPages for FakePages {
    fn next_page(&mut self) -> Result<Option<Vec<Row>>> {
        // Like the API's cursor: a first request always, then only while
        // rows remain (and none once the row limit is met).
        if self.remaining == Some(0) || (self.started && self.rows.len() == 0) {
            return Ok(None);
        }
        self.started = true;
        let size = match self.remaining {
            Some(r) => self.page_size.min(r as usize),
            None => self.page_size,
        };
        let page: Vec<Row> = self.rows.by_ref().take(size).collect();
        if let Some(r) = self.remaining.as_mut() {
            *r -= page.len() as u64;
        }
        let mut query = self.query.clone();
        query.push(("limit".into(), size.to_string()));
        self.requests.lock().push(Request {
            table: self.table.clone(),
            kind: "list",
            query,
        });
        Ok(Some(page))
    }
}

impl Backend for FakeApi {
    fn list(
        &self,
        table: &Arc<TableDef>,
        query: Vec<(String, String)>,
        row_limit: Option<u64>,
    ) -> Result<Box<dyn RowPages>> {
        let rows = self.answer(table, &query);
        let page_size = table
            .endpoint
            .paging
            .max_limit()
            .map_or(usize::MAX, |m| m as usize);
        Ok(Box::new(FakePages {
            table: table.name.clone(),
            query,
            rows: rows.into_iter(),
            page_size,
            remaining: row_limit,
            started: false,
            requests: self.requests.clone(),
        }))
    }

    fn get_by_id(&self, table: &TableDef, id: &str) -> Result<Option<Row>> {
        self.requests.lock().push(Request {
            table: table.name.clone(),
            kind: "get",
            query: vec![("id".into(), id.into())],
        });
        let i = table.column_index("Id").expect("an Id column");
        Ok(self
            .rows
            .get(&table.name)
            .and_then(|rows| rows.iter().find(|r| text_of(&r[i]).as_deref() == Some(id)))
            .cloned())
    }

    fn system_rows(&self, table: SystemTable) -> Result<Vec<Row>> {
        system_tables::rows(table, &self.schema, &NoCustomFields)
    }
}

pub fn env() -> EvalEnv {
    EvalEnv {
        now: Timestamp::parse("2025-06-15 12:30:00").expect("a timestamp"),
        user: "tester".into(),
        database: "demo".into(),
        subqueries: Default::default(),
        last_insert_id: Value::Null,
    }
}

pub fn prepare(api: &FakeApi, sql: &str) -> Result<Prepared> {
    prepare_with(sql, api.schema(), &NoCustomFields)
}

/// Runs a statement and collects its rows.
pub fn run_with(api: &Arc<FakeApi>, sql: &str, params: Vec<Value>) -> Result<Vec<Row>> {
    let prepared = prepare(api, sql)?;
    let params = params
        .into_iter()
        .map(|v| {
            let t = crate::sql::compile::literal_type(&v);
            (v, t)
        })
        .collect();
    let mut rows = execute_with(
        &prepared,
        api.clone(),
        params,
        env(),
        Arc::new(AtomicBool::new(false)),
    )?;
    let mut out = Vec::new();
    while let Some(row) = rows.next_row()? {
        out.push(row);
    }
    Ok(out)
}

pub fn run(api: &Arc<FakeApi>, sql: &str) -> Vec<Row> {
    match run_with(api, sql, Vec::new()) {
        Ok(rows) => rows,
        Err(e) => panic!("{sql}: {e}"),
    }
}

pub fn run_err(api: &Arc<FakeApi>, sql: &str) -> OdbcError {
    match run_with(api, sql, Vec::new()) {
        Ok(rows) => panic!("{sql} should fail, got {} rows", rows.len()),
        Err(e) => e,
    }
}

/// Rows in a canonical order, for comparing results whose order SQL leaves
/// open.
pub fn sorted(mut rows: Vec<Row>) -> Vec<Row> {
    rows.sort_by(|a, b| {
        a.iter()
            .zip(b)
            .map(|(x, y)| x.order_cmp(y))
            .find(|o| *o != Ordering::Equal)
            .unwrap_or(Ordering::Equal)
    });
    rows
}

pub fn int(n: i64) -> Value {
    Value::Int(n)
}

pub fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

/// A small CRM: users, organizations, persons and deals with NULLs,
/// dangling references and repeated values, generated deterministically.
pub fn crm(deals: i64, persons: i64) -> Arc<FakeApi> {
    let mut api = FakeApi::new();
    api.insert(
        "Users",
        (1..=4)
            .map(|i| vec![("Id", int(i)), ("Name", text(&format!("User {i}")))])
            .collect(),
    );
    api.insert(
        "Organizations",
        (1..=5)
            .map(|i| {
                vec![
                    ("Id", int(i)),
                    ("Name", text(&format!("Org {i}"))),
                    ("OwnerId", int(1 + i % 4)),
                ]
            })
            .collect(),
    );
    api.insert(
        "Persons",
        (1..=persons)
            .map(|i| {
                vec![
                    ("Id", int(i)),
                    (
                        "Name",
                        text(&format!("{} {i}", ["Ann", "Bob", "Cy"][(i % 3) as usize])),
                    ),
                    ("OwnerId", int(1 + i % 4)),
                    (
                        "OrgId",
                        if i % 4 == 0 {
                            Value::Null
                        } else {
                            int(1 + i % 5)
                        },
                    ),
                ]
            })
            .collect(),
    );
    let statuses = ["open", "won", "lost"];
    api.insert(
        "Deals",
        (1..=deals)
            .map(|i| {
                // Every 7th deal has no person; every 11th points at a
                // person that does not exist.
                let person = if i % 7 == 0 {
                    Value::Null
                } else if i % 11 == 0 {
                    int(persons + 1000 + i)
                } else {
                    int(1 + (i * 13) % persons)
                };
                vec![
                    ("Id", int(i)),
                    ("Title", text(&format!("Deal {:03}", (i * 37) % 101))),
                    (
                        "OwnerId",
                        if i % 9 == 0 {
                            Value::Null
                        } else {
                            int(1 + i % 4)
                        },
                    ),
                    ("PersonId", person),
                    (
                        "OrgId",
                        if i % 5 == 0 {
                            Value::Null
                        } else {
                            int(1 + i % 5)
                        },
                    ),
                    (
                        "Value",
                        if i % 6 == 0 {
                            Value::Null
                        } else {
                            Value::Double((i * 250 % 9000) as f64 / 4.0)
                        },
                    ),
                    ("Status", text(statuses[(i % 3) as usize])),
                    ("StageId", int(1 + i % 3)),
                    (
                        "AddTime",
                        Value::Timestamp(
                            Timestamp::from_seconds_since_epoch(1_700_000_000 + i * 86_400, 0)
                                .expect("a time"),
                        ),
                    ),
                ]
            })
            .collect(),
    );
    Arc::new(api)
}
