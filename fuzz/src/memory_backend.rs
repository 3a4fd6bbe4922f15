//! An in-memory `Backend`: every table lists its sample records, honouring
//! the pushed-down filters and the row limit like the API, in pages of two
//! rows (so paging is exercised). It also caps the rows one execution may
//! read, so that a fuzzed many-way join is an error rather than a timeout.

use crate::sample_records::records_for;
use pipedrive_odbc::diag::{OdbcError, Result};
use pipedrive_odbc::model::{
    json_to_value, rows_from_records_with, Endpoint, FieldSource, PushOp, Schema, TableDef,
};
use pipedrive_odbc::sql::system_tables::{self, SystemTable};
use pipedrive_odbc::sql::{Backend, Row, RowPages};
use pipedrive_odbc::value::{Timestamp, Value};
use serde_json::Value as Json;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Rows one execution may read from the backend in all.
pub const ROW_BUDGET: u64 = 20_000;

/// No custom fields: tables have their built-in columns.
pub struct NoCustomFields;

impl FieldSource for NoCustomFields {
    fn field_definitions(&self, _: &Endpoint) -> Result<Vec<serde_json::Value>> {
        Ok(Vec::new())
    }
}

pub struct MemoryBackend {
    schema: Arc<Schema>,
    rows_read: Arc<AtomicU64>,
}

impl MemoryBackend {
    pub fn new(schema: Arc<Schema>) -> MemoryBackend {
        MemoryBackend {
            schema,
            rows_read: Arc::new(AtomicU64::new(0)),
        }
    }

    fn rows(&self, table: &TableDef, query: &[(String, String)]) -> Vec<Row> {
        let mut rows = rows_from_records_with(&records_for(table), table, query);
        for (param, value) in query {
            let Some(filter) = table.pushdown.iter().find(|p| p.param == param) else {
                continue;
            };
            let Some(i) = table.column_index(filter.column) else {
                continue;
            };
            rows.retain(|row| match (filter.op, row.get(i)) {
                (PushOp::Eq | PushOp::EqList { .. }, Some(cell)) => cell
                    .to_text()
                    .is_some_and(|t| value.split(',').any(|v| v == t)),
                (PushOp::AtLeast | PushOp::Below, Some(Value::Timestamp(ts))) => {
                    Timestamp::parse(value)
                        .is_some_and(|bound| (*ts >= bound) == (filter.op == PushOp::AtLeast))
                }
                _ => false,
            });
        }
        rows
    }

    fn pages(&self, rows: Vec<Row>, row_limit: Option<u64>) -> Box<dyn RowPages> {
        let mut rows = rows;
        if let Some(limit) = row_limit {
            rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        }
        Box::new(MemoryPages {
            rows: rows.into_iter(),
            started: false,
            rows_read: self.rows_read.clone(),
        })
    }
}

struct MemoryPages {
    rows: std::vec::IntoIter<Row>,
    started: bool,
    rows_read: Arc<AtomicU64>,
}

impl RowPages for MemoryPages {
    fn next_page(&mut self) -> Result<Option<Vec<Row>>> {
        if self.started && self.rows.len() == 0 {
            return Ok(None);
        }
        self.started = true;
        let page: Vec<Row> = self.rows.by_ref().take(2).collect();
        let read = self
            .rows_read
            .fetch_add(page.len() as u64 + 1, Ordering::Relaxed);
        if read > ROW_BUDGET {
            return Err(OdbcError::general("fuzz row budget exceeded"));
        }
        Ok(Some(page))
    }
}

impl Backend for MemoryBackend {
    fn list(
        &self,
        table: &Arc<TableDef>,
        query: Vec<(String, String)>,
        row_limit: Option<u64>,
    ) -> Result<Box<dyn RowPages>> {
        let rows = self.rows(table, &query);
        Ok(self.pages(rows, row_limit))
    }

    fn list_children(
        &self,
        table: &Arc<TableDef>,
        parent_ids: &[String],
        query: Vec<(String, String)>,
    ) -> Result<Box<dyn RowPages>> {
        let mut rows = Vec::new();
        for id in parent_ids {
            let mut inputs = query.clone();
            inputs.push(("id".to_string(), id.clone()));
            if let Some(link) = &table.parent {
                if let Some(i) = table.column_index(link.column) {
                    let mut children = self.rows(table, &inputs);
                    for row in &mut children {
                        if let Some(cell) = row.get_mut(i) {
                            let data_type = table.columns[i].data_type;
                            *cell = json_to_value(&Json::String(id.clone()), data_type);
                        }
                    }
                    rows.extend(children);
                    continue;
                }
            }
            rows.extend(self.rows(table, &inputs));
        }
        Ok(self.pages(rows, None))
    }

    fn get_by_id(&self, table: &TableDef, id: &str) -> Result<Option<Row>> {
        let Some(i) = table.column_index("Id") else {
            return Ok(None);
        };
        Ok(self
            .rows(table, &[])
            .into_iter()
            .find(|row| row.get(i).and_then(Value::to_text).as_deref() == Some(id)))
    }

    fn system_rows(&self, table: SystemTable) -> Result<Vec<Row>> {
        system_tables::rows(table, &self.schema, &NoCustomFields)
    }
}
