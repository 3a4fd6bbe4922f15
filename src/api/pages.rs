//! Streams a list endpoint page by page: only one page is held at a time, and
//! the next request is made only when the consumer needs more rows.

use super::{ApiClient, Decoded};
use crate::diag::{OdbcError, Result, SqlState};
use crate::model::{Endpoint, PageDecoder, PageRows, Paging, RecordsAt};
use crate::value::Value;
use serde_json::Value as Json;
use std::sync::Arc;

/// Where the next request starts.
#[derive(Debug, Clone, PartialEq)]
pub enum StartAt {
    First,
    Cursor(String),
    Offset(u64),
    Done,
}

pub struct PageStream {
    client: Arc<ApiClient>,
    endpoint: Endpoint,
    /// The path requested: the endpoint's, or a child endpoint's with the
    /// parent id in it (`deals/5/followers`).
    path: String,
    params: Vec<(String, String)>,
    next: StartAt,
    /// Rows still wanted (LIMIT pushed down); `None` = all.
    remaining: Option<u64>,
    pub requests_made: u64,
}

impl PageStream {
    pub fn new(
        client: Arc<ApiClient>,
        endpoint: Endpoint,
        params: Vec<(String, String)>,
        row_limit: Option<u64>,
    ) -> PageStream {
        PageStream {
            client,
            path: endpoint.path.to_string(),
            endpoint,
            params,
            next: StartAt::First,
            remaining: row_limit,
            requests_made: 0,
        }
    }

    /// Requests `path` instead of the endpoint's own path (same paging and
    /// answer layout).
    pub fn at_path(mut self, path: String) -> PageStream {
        self.path = path;
        self
    }

    fn page_size(&self) -> Option<u64> {
        let max = u64::from(self.endpoint.paging.max_limit()?);
        Some(self.remaining.map_or(max, |r| r.clamp(1, max)))
    }

    /// The parameters of the next request, or `None` when the list is
    /// exhausted.
    fn next_query(&self) -> Option<Vec<(String, String)>> {
        if self.next == StartAt::Done || self.remaining == Some(0) {
            return None;
        }
        let mut query = self.params.clone();
        if let Some(size) = self.page_size() {
            query.push(("limit".into(), size.to_string()));
        }
        match &self.next {
            StartAt::Cursor(c) => query.push(("cursor".into(), c.clone())),
            StartAt::Offset(o) => query.push(("start".into(), o.to_string())),
            StartAt::First | StartAt::Done => {}
        }
        Some(query)
    }

    /// The next page as rows, decoded by `decoder` straight from the
    /// answer (see `model::PageDecoder`), or `None` when the list is
    /// exhausted. For endpoints whose records are the `data` list.
    pub fn next_rows(&mut self, decoder: &mut PageDecoder) -> Result<Option<Vec<Vec<Value>>>> {
        let Some(query) = self.next_query() else {
            return Ok(None);
        };
        let page =
            self.client
                .get_decoded(self.endpoint.version, &self.path, &query, false, |body| {
                    let page = decoder.decode_page(body)?;
                    let refused = page.refused;
                    Ok(Decoded {
                        value: page,
                        refused,
                    })
                })?;
        self.requests_made += 1;
        let Some(page) = page else {
            self.next = StartAt::Done;
            return Ok(None);
        };
        let rows = match page.rows {
            PageRows::Rows(rows) => rows,
            PageRows::Missing => Vec::new(),
            PageRows::NotAList => return Err(self.not_a_list()),
        };
        Ok(Some(self.advance(page.additional_data.as_ref(), rows)))
    }

    fn not_a_list(&self) -> OdbcError {
        OdbcError::new(
            SqlState::CommunicationLinkFailure,
            format!("Unexpected answer from {}: `data` is not a list", self.path),
        )
    }

    /// Moves past a page of `rows` (records, or one row each) with the
    /// answer's `additional_data`; the rows beyond the row limit are
    /// dropped.
    fn advance<T>(&mut self, additional_data: Option<&Json>, mut rows: Vec<T>) -> Vec<T> {
        self.next = next_start(
            self.endpoint.paging,
            additional_data,
            &self.next,
            rows.len(),
        );
        if let Some(remaining) = self.remaining.as_mut() {
            if rows.len() as u64 > *remaining {
                rows.truncate(*remaining as usize);
            }
            *remaining -= rows.len() as u64;
        }
        rows
    }

    /// The next page of records, or `None` when the list is exhausted.
    pub fn next_page(&mut self) -> Result<Option<Vec<Json>>> {
        let Some(query) = self.next_query() else {
            return Ok(None);
        };
        let envelope = self
            .client
            .get(self.endpoint.version, &self.path, &query, false)?;
        self.requests_made += 1;
        let Some(mut envelope) = envelope else {
            self.next = StartAt::Done;
            return Ok(None);
        };
        // The records are moved out of the parsed answer, not copied: a
        // page is hundreds of records, and copying them cost a fifth of a
        // scan's CPU.
        let data = envelope.get_mut("data").map(Json::take);
        let records = match self.endpoint.records {
            RecordsAt::DataArray => data,
            RecordsAt::DataField(field) => data.and_then(|mut d| d.get_mut(field).map(Json::take)),
            // One record: wrap it so the rest of the stream sees a list.
            // (An answer documented as one object may come as a list of
            // them, as the timeline does with one object per period.)
            RecordsAt::DataObject => {
                self.next = StartAt::Done;
                return Ok(Some(match data {
                    Some(Json::Array(items)) => items,
                    Some(d) if d.is_object() => vec![d],
                    _ => Vec::new(),
                }));
            }
        };
        let rows = match records {
            Some(Json::Array(items)) => items,
            Some(Json::Null) | None => Vec::new(),
            Some(_) => return Err(self.not_a_list()),
        };
        Ok(Some(self.advance(envelope.get("additional_data"), rows)))
    }
}

/// Reads the continuation from `additional_data`; v1 lists put it either in
/// a `pagination` object or directly in `additional_data` (both seen).
fn next_start(
    paging: Paging,
    additional: Option<&Json>,
    current: &StartAt,
    page_len: usize,
) -> StartAt {
    match paging {
        Paging::Unpaged => StartAt::Done,
        Paging::Cursor { .. } => match additional
            .and_then(|a| a.get("next_cursor"))
            .and_then(Json::as_str)
        {
            Some(c) if !c.is_empty() => StartAt::Cursor(c.to_string()),
            _ => StartAt::Done,
        },
        Paging::Offset { .. } => {
            let pagination = additional.map(|a| a.get("pagination").unwrap_or(a));
            let more = pagination
                .and_then(|p| p.get("more_items_in_collection"))
                .and_then(Json::as_bool)
                .unwrap_or(false);
            if !more || page_len == 0 {
                return StartAt::Done;
            }
            let fallback = match current {
                StartAt::Offset(o) => o + page_len as u64,
                _ => page_len as u64,
            };
            StartAt::Offset(
                pagination
                    .and_then(|p| p.get("next_start"))
                    .and_then(Json::as_u64)
                    .unwrap_or(fallback),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn cursor_continuation() {
        let p = Paging::Cursor { max_limit: 500 };
        assert_eq!(
            next_start(
                p,
                Some(&json!({"next_cursor": "abc"})),
                &StartAt::First,
                500
            ),
            StartAt::Cursor("abc".into())
        );
        assert_eq!(
            next_start(p, Some(&json!({"next_cursor": null})), &StartAt::First, 3),
            StartAt::Done
        );
        assert_eq!(next_start(p, None, &StartAt::First, 3), StartAt::Done);
    }

    #[test]
    fn offset_continuation_in_both_layouts() {
        let p = Paging::Offset { max_limit: 500 };
        let wrapped = json!({"pagination": {"more_items_in_collection": true, "next_start": 500}});
        assert_eq!(
            next_start(p, Some(&wrapped), &StartAt::First, 500),
            StartAt::Offset(500)
        );
        let flat = json!({"more_items_in_collection": true, "start": 0, "limit": 100});
        assert_eq!(
            next_start(p, Some(&flat), &StartAt::Offset(200), 100),
            StartAt::Offset(300)
        );
        let last = json!({"pagination": {"more_items_in_collection": false}});
        assert_eq!(
            next_start(p, Some(&last), &StartAt::First, 10),
            StartAt::Done
        );
    }
}

/// Field definitions for custom-field discovery: every page of the list.
impl crate::model::FieldSource for Arc<ApiClient> {
    fn field_definitions(&self, endpoint: &Endpoint) -> Result<Vec<Json>> {
        let mut pages = PageStream::new(self.clone(), endpoint.clone(), Vec::new(), None);
        let mut all = Vec::new();
        while let Some(page) = pages.next_page()? {
            all.extend(page);
        }
        Ok(all)
    }
}
