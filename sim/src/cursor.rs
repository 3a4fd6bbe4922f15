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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Cursor {
    pub field: SortField,
    pub direction: Direction,
    /// The sort key of the first record of the page (seconds for times).
    pub key: i64,
    pub id: u64,
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
            SortField::Id | SortField::OrderNr => w.i64("fieldValue", self.key),
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
        let key = match field {
            SortField::AddTime | SortField::UpdateTime => time::parse_rfc3339(raw.as_str()?)?,
            SortField::Id | SortField::OrderNr => raw.as_i64()?,
        };
        Some(Cursor {
            field,
            direction,
            key,
            id,
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
        };
        assert_eq!(Cursor::decode(&t.encode()), Some(t));
        assert_eq!(Cursor::decode("not a cursor"), None);
        assert_eq!(
            Cursor::decode(&base64url::encode(b"{\"field\":\"id\"}")),
            None
        );
    }
}
