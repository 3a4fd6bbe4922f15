//! Collections under a parent record: deal products (v2), deal
//! participants (v1) and note comments (v1). The parent must exist (404
//! otherwise), and a child addressed under another parent is a 404.

use super::super::envelope::single;
use super::super::params::path_id;
use super::super::{Call, Reply};
use super::records::{
    self, create_record, delete_record, existing, update_record, with_status, write_record,
};
use crate::data::records::nested::{
    belongs_to, deal_exists, note_exists, DealParticipants, DealProducts, Nested, NoteComments,
};
use crate::data::records::store::RecordReader;
use crate::data::records::write::not_found;
use crate::data::records::{Record, RecordKind};
use crate::data::Dataset;
use crate::errors::ApiError;
use serde_json::{json, Value};

/// The parent id of the path, checked to exist.
fn parent(c: &Call, exists: fn(&Dataset, u64) -> bool) -> Result<u64, ApiError> {
    let id = path_id(c.param("id"))?;
    if exists(c.ds(), id) {
        Ok(id)
    } else {
        Err(not_found())
    }
}

fn scope<K: Nested>(ds: &Dataset, parents: &[u64]) -> Vec<u64> {
    K::children(&RecordReader::<K>::new(ds), parents)
}

/// A child named by `param`, checked to belong to `parent_id`.
fn child<K: Nested>(c: &Call, param: &str, parent_id: u64) -> Result<(u64, Record), ApiError> {
    let (id, record) = existing::<K>(c, param)?;
    if belongs_to::<K>(&record, parent_id) {
        Ok((id, record))
    } else {
        Err(not_found())
    }
}

fn reply_json(data: Value) -> Reply {
    single(|out| {
        let _ = serde_json::to_writer(&mut *out, &data);
    })
}

fn created(record: &Record, status: u16) -> Reply {
    with_status(single(|out| write_record(out, record)), status)
}

// ----- deal products -----

pub(crate) mod deal_products {
    use super::*;

    pub(crate) fn list(c: &Call) -> Result<Reply, ApiError> {
        let deal = parent(c, deal_exists)?;
        records::list_scoped::<DealProducts>(
            c.ds(),
            c.query,
            Some(scope::<DealProducts>(c.ds(), &[deal])),
        )
    }

    /// `GET /deals/products?deal_ids=`: the products of up to 100 deals.
    pub(crate) fn list_for_deals(c: &Call) -> Result<Reply, ApiError> {
        let items = c.query.all("deal_ids");
        if items.is_empty() {
            return Err(ApiError::invalid_param("deal_ids", "Required"));
        }
        if items.len() > 100 {
            return Err(ApiError::invalid_param(
                "deal_ids",
                "At most 100 ids are allowed",
            ));
        }
        let deals = items
            .iter()
            .map(|s| s.parse::<u64>())
            .collect::<Result<Vec<u64>, _>>()
            .map_err(|_| ApiError::invalid_param("deal_ids", "Expected integers"))?;
        let sorts = &[
            crate::pagination::SortField::Id,
            crate::pagination::SortField::DealId,
            crate::pagination::SortField::AddTime,
            crate::pagination::SortField::UpdateTime,
            crate::pagination::SortField::OrderNr,
        ];
        let scope = scope::<DealProducts>(c.ds(), &deals);
        records::list_with_sorts::<DealProducts>(c.ds(), c.query, sorts, Some(scope))
    }

    pub(crate) fn create(c: &Call) -> Result<Reply, ApiError> {
        let deal = parent(c, deal_exists)?;
        let mut body = c.json_body()?;
        body.insert("deal_id".into(), json!(deal));
        let record = create_record::<DealProducts>(c.ds(), &body)?;
        Ok(created(&record, DealProducts::CREATE_STATUS))
    }

    pub(crate) fn update(c: &Call) -> Result<Reply, ApiError> {
        let deal = parent(c, deal_exists)?;
        let body = c.json_body()?;
        let (id, record) = child::<DealProducts>(c, "product_attachment_id", deal)?;
        let record = update_record::<DealProducts>(c.ds(), id, record, &body)?;
        Ok(single(|out| write_record(out, &record)))
    }

    pub(crate) fn delete(c: &Call) -> Result<Reply, ApiError> {
        let deal = parent(c, deal_exists)?;
        let (id, record) = child::<DealProducts>(c, "product_attachment_id", deal)?;
        delete_record::<DealProducts>(c.ds(), id, record)?;
        Ok(reply_json(json!({ "id": id })))
    }
}

// ----- deal participants -----

pub(crate) mod participants {
    use super::*;

    pub(crate) fn list(c: &Call) -> Result<Reply, ApiError> {
        let deal = parent(c, deal_exists)?;
        records::list_scoped::<DealParticipants>(
            c.ds(),
            c.query,
            Some(scope::<DealParticipants>(c.ds(), &[deal])),
        )
    }

    pub(crate) fn add(c: &Call) -> Result<Reply, ApiError> {
        let deal = parent(c, deal_exists)?;
        let mut body = c.json_body()?;
        body.insert("related_item_id".into(), json!(deal));
        let record = create_record::<DealParticipants>(c.ds(), &body)?;
        Ok(created(&record, 200))
    }

    pub(crate) fn delete(c: &Call) -> Result<Reply, ApiError> {
        let deal = parent(c, deal_exists)?;
        let (id, record) = child::<DealParticipants>(c, "deal_participant_id", deal)?;
        delete_record::<DealParticipants>(c.ds(), id, record)?;
        Ok(reply_json(json!({ "id": id })))
    }
}

// ----- note comments -----

pub(crate) mod note_comments {
    use super::*;

    pub(crate) fn list(c: &Call) -> Result<Reply, ApiError> {
        let note = parent(c, note_exists)?;
        records::list_scoped::<NoteComments>(
            c.ds(),
            c.query,
            Some(scope::<NoteComments>(c.ds(), &[note])),
        )
    }

    pub(crate) fn get(c: &Call) -> Result<Reply, ApiError> {
        let note = parent(c, note_exists)?;
        let (_, record) = child::<NoteComments>(c, "commentId", note)?;
        Ok(single(|out| write_record(out, &record)))
    }

    pub(crate) fn create(c: &Call) -> Result<Reply, ApiError> {
        let note = parent(c, note_exists)?;
        let mut body = c.json_body()?;
        body.insert("object_id".into(), json!(note.to_string()));
        let record = create_record::<NoteComments>(c.ds(), &body)?;
        Ok(created(&record, 200))
    }

    pub(crate) fn update(c: &Call) -> Result<Reply, ApiError> {
        let note = parent(c, note_exists)?;
        let body = c.json_body()?;
        let (id, record) = child::<NoteComments>(c, "commentId", note)?;
        let record = update_record::<NoteComments>(c.ds(), id, record, &body)?;
        Ok(single(|out| write_record(out, &record)))
    }

    pub(crate) fn delete(c: &Call) -> Result<Reply, ApiError> {
        let note = parent(c, note_exists)?;
        let (id, record) = child::<NoteComments>(c, "commentId", note)?;
        delete_record::<NoteComments>(c.ds(), id, record)?;
        Ok(reply_json(Value::Bool(true)))
    }
}
