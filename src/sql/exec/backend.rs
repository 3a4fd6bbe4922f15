//! Where rows come from: the Pipedrive API (pages of JSON records turned
//! into rows), or, in tests, tables in memory.

use crate::api::PageStream;
use crate::diag::{OdbcError, Result, SqlState};
use crate::model::{
    row_from_json, rows_from_records_with, PageDecoder, ParentParam, RowShape, TableDef,
};
use crate::session::Session;
use crate::sql::system_tables::{self, SystemTable};
use crate::value::Value;
use serde_json::Value as Json;
use std::sync::Arc;

pub type Row = Vec<Value>;

/// The pages of one list request; each call to `next_page` is (at most)
/// one request.
pub trait RowPages: Send {
    fn next_page(&mut self) -> Result<Option<Vec<Row>>>;
}

pub trait Backend: Send + Sync {
    /// A list request with these query parameters; `row_limit` stops it
    /// after that many rows (and sizes its pages).
    fn list(
        &self,
        table: &Arc<TableDef>,
        query: Vec<(String, String)>,
        row_limit: Option<u64>,
    ) -> Result<Box<dyn RowPages>>;

    /// A child table's rows of some parents (as many as one request of its
    /// endpoint names: one, or a batch where it takes a list), with the
    /// other query parameters; each row carries its parent's id.
    fn list_children(
        &self,
        table: &Arc<TableDef>,
        parent_ids: &[String],
        query: Vec<(String, String)>,
    ) -> Result<Box<dyn RowPages>> {
        let _ = (parent_ids, query);
        Err(OdbcError::new(
            SqlState::OptionalFeatureNotImplemented,
            format!("{} cannot be read from this source", table.name),
        ))
    }

    /// `GET /{path}/{id}`: the record, or `None` when there is none.
    fn get_by_id(&self, table: &TableDef, id: &str) -> Result<Option<Row>>;

    fn system_rows(&self, table: SystemTable) -> Result<Vec<Row>>;
}

/// The API of a connection.
pub struct ApiBackend {
    session: Arc<Session>,
}

impl ApiBackend {
    pub fn new(session: Arc<Session>) -> ApiBackend {
        ApiBackend { session }
    }
}

struct ApiPages {
    table: Arc<TableDef>,
    pages: PageStream,
    /// The request's parameters, for the columns that read them.
    inputs: Vec<(String, String)>,
    /// Decodes answers straight to rows, for tables with a row per record
    /// (most); the others' records are parsed first.
    decoder: Option<PageDecoder>,
}

impl ApiPages {
    fn new(table: &Arc<TableDef>, pages: PageStream, inputs: Vec<(String, String)>) -> ApiPages {
        ApiPages {
            table: table.clone(),
            decoder: PageDecoder::for_table(table, &inputs),
            pages,
            inputs,
        }
    }
}

impl RowPages for ApiPages {
    fn next_page(&mut self) -> Result<Option<Vec<Row>>> {
        if let Some(decoder) = &mut self.decoder {
            return self.pages.next_rows(decoder);
        }
        // A record can give several rows (options of a field, entries of
        // a per-currency summary): the table's row shape decides.
        Ok(self
            .pages
            .next_page()?
            .map(|records| rows_from_records_with(&records, &self.table, &self.inputs)))
    }
}

impl Backend for ApiBackend {
    fn list(
        &self,
        table: &Arc<TableDef>,
        query: Vec<(String, String)>,
        row_limit: Option<u64>,
    ) -> Result<Box<dyn RowPages>> {
        // A row limit counts rows; the API's `limit` counts records. They
        // are the same only when each record is one row.
        let record_limit = if table.row_shape == RowShape::PerRecord {
            row_limit
        } else {
            None
        };
        let inputs = query.clone();
        let pages = PageStream::new(
            self.session.client.clone(),
            table.endpoint.clone(),
            query,
            record_limit,
        );
        Ok(Box::new(ApiPages::new(table, pages, inputs)))
    }

    fn list_children(
        &self,
        table: &Arc<TableDef>,
        parent_ids: &[String],
        mut query: Vec<(String, String)>,
    ) -> Result<Box<dyn RowPages>> {
        let Some(link) = &table.parent else {
            return self.list(table, query, None);
        };
        let mut path = table.endpoint.path.to_string();
        let mut inputs = Vec::new();
        match (link.param, parent_ids) {
            (ParentParam::PathSegment, [id]) => {
                path = path.replace("{id}", id);
                inputs.push(("id".to_string(), id.clone()));
            }
            (ParentParam::Query(param), [id]) => query.push((param.to_string(), id.clone())),
            (ParentParam::QueryList { param, max }, ids) if !ids.is_empty() && ids.len() <= max => {
                query.push((param.to_string(), ids.join(",")))
            }
            _ => {
                return Err(OdbcError::general(format!(
                    "internal error: {} parent ids for one request of {}",
                    parent_ids.len(),
                    table.name
                )))
            }
        }
        inputs.extend(query.iter().cloned());
        let pages = PageStream::new(
            self.session.client.clone(),
            table.endpoint.clone(),
            query,
            None,
        )
        .at_path(path);
        Ok(Box::new(ApiPages::new(table, pages, inputs)))
    }

    fn get_by_id(&self, table: &TableDef, id: &str) -> Result<Option<Row>> {
        let path = format!("{}/{}", table.endpoint.path, id);
        let record = self
            .session
            .client
            .get(table.endpoint.version, &path, &[], false)?;
        Ok(record
            .and_then(|envelope| envelope.get("data").cloned())
            .filter(|d: &Json| !d.is_null())
            .map(|d| row_from_json(&d, &table.columns)))
    }

    fn system_rows(&self, table: SystemTable) -> Result<Vec<Row>> {
        system_tables::rows(table, &self.session.schema, &self.session.client)
    }
}
