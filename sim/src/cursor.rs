//! v2 cursors: base64url of a small JSON document in the shape the spec's
//! example uses, `{"field":"id","fieldValue":7,"sortDirection":"asc","id":7}`.
//!
//! A cursor names the *first record of the next page* by its sort key and
//! id, so the next page is "everything at or after this (key, id)". Cursors
//! therefore stay valid when records are added or removed in between.

use crate::base64url;
use crate::json::ObjectWriter;
use crate::pagination::{Direction, SortField};
use crate::time;
use serde_json::Value;

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Cursor {
    pub field: SortField,
    pub direction: Direction,
    /// The sort key of the first record of the page (seconds for times,
    /// days for dates; 0 for text sorts).
    pub key: i64,
    pub id: u64,
    /// The sort key of text sorts (`sort_by=name`).
    pub text: Option<String>,
}

impl Cursor {
    pub(crate) fn encode(&self) -> String {
        // Written by hand so the member order matches the spec's example.
        let mut doc = Vec::with_capacity(96);
        let mut w = ObjectWriter::begin(&mut doc);
        w.str("field", self.field.name());
        match self.field {
            SortField::AddTime | SortField::UpdateTime => {
                w.str("fieldValue", &time::rfc3339_string(self.key))
            }
            SortField::DueDate => w.str("fieldValue", &time::date_string(self.key)),
            SortField::Name => w.str("fieldValue", self.text.as_deref().unwrap_or("")),
            SortField::Id | SortField::OrderNr | SortField::DealId => w.i64("fieldValue", self.key),
        }
        w.str("sortDirection", self.direction.name());
        w.u64("id", self.id);
        w.end();
        base64url::encode(&doc)
    }

    /// `None` for anything that is not a cursor this simulator issued.
    pub(crate) fn decode(text: &str) -> Option<Cursor> {
        let bytes = base64url::decode(text)?;
        let doc: Value = serde_json::from_slice(&bytes).ok()?;
        let field = SortField::parse(doc.get("field")?.as_str()?)?;
        let direction = Direction::parse(doc.get("sortDirection")?.as_str()?)?;
        let id = doc.get("id")?.as_u64()?;
        let raw = doc.get("fieldValue")?;
        let mut text = None;
        let key = match field {
            SortField::AddTime | SortField::UpdateTime => time::parse_rfc3339(raw.as_str()?)?,
            SortField::DueDate => time::parse_date(raw.as_str()?)?,
            SortField::Name => {
                text = Some(raw.as_str()?.to_string());
                0
            }
            SortField::Id | SortField::OrderNr | SortField::DealId => raw.as_i64()?,
        };
        Some(Cursor {
            field,
            direction,
            key,
            id,
            text,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_spec_shape() {
        let c = Cursor {
            field: SortField::Id,
            direction: Direction::Asc,
            key: 7,
            id: 7,
            text: None,
        };
        assert_eq!(
            c.encode(),
            "eyJmaWVsZCI6ImlkIiwiZmllbGRWYWx1ZSI6Nywic29ydERpcmVjdGlvbiI6ImFzYyIsImlkIjo3fQ"
        );
        let t = Cursor {
            field: SortField::UpdateTime,
            direction: Direction::Desc,
            key: 1_700_000_000,
            id: 42,
            text: None,
        };
        assert_eq!(Cursor::decode(&t.encode()), Some(t.clone()));
        let named = Cursor {
            field: SortField::Name,
            direction: Direction::Asc,
            key: 0,
            id: 3,
            text: Some("Café \"X\"".to_string()),
        };
        assert_eq!(Cursor::decode(&named.encode()), Some(named));
        assert_eq!(Cursor::decode("not a cursor"), None);
        assert_eq!(
            Cursor::decode(&base64url::encode(b"{\"field\":\"id\"}")),
            None
        );
    }
}
