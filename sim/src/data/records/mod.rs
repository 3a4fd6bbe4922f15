//! Record-shaped entities: everything besides deals, persons and
//! organizations (which have typed, hot-path generators of their own).
//!
//! Each entity is a [`RecordKind`]: a generator that computes record `id`
//! from (seed, id) as the JSON object the API returns, a few *key columns*
//! (links, flags, times) that filters and sort orders read, and a
//! declaration of its list parameters and writable fields. Generic code
//! (here, [`store`], and `api::handlers::records`) does the rest: paging,
//! filtering, sorting, validation, and the write overlay.
//!
//! Records are `serde_json` maps. That costs more per record than the typed
//! deal path, which is fine for these entities: they are listed far less
//! often, and filtered scans read only the key columns (see
//! [`RecordKind::fast_keys`]).

pub(crate) mod activities;
pub(crate) mod calls;
pub(crate) mod config_kinds;
pub(crate) mod files;
pub(crate) mod ids;
pub(crate) mod kinds;
pub(crate) mod leads;
pub(crate) mod links;
pub(crate) mod nested;
pub(crate) mod notes;
pub(crate) mod products;
pub(crate) mod projects;
pub(crate) mod relationships;
pub(crate) mod store;
pub(crate) mod words;
pub(crate) mod write;

use super::Dataset;
use crate::errors::ApiError;
use crate::pagination::SortField;
use crate::query::Query;
use crate::time;
use serde_json::{Map, Value};

pub(crate) type Record = Map<String, Value>;

/// Key value of an absent (`null`) column; sorts first.
pub(crate) const NULL_KEY: i64 = i64::MIN;
pub(crate) const MAX_KEYS: usize = 16;

/// The key columns of one record, in the order of [`RecordKind::KEYS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Keys(pub [i64; MAX_KEYS]);

impl Keys {
    pub(crate) fn get(&self, column: usize) -> Option<i64> {
        self.0.get(column).copied().filter(|&v| v != NULL_KEY)
    }
}

/// How a key column is read from a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum KeyType {
    Int,
    /// `true`/`false` (or v1's 0/1) as 1/0.
    Bool,
    /// Any timestamp format as Unix seconds.
    Time,
    /// `YYYY-MM-DD` as a day number.
    Date,
    /// A lead UUID as the lead's number.
    LeadId,
    /// One of a fixed list of strings, as its position.
    Enum(&'static [&'static str]),
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct KeyCol {
    pub name: &'static str,
    pub ty: KeyType,
}

pub(crate) const fn key(name: &'static str, ty: KeyType) -> KeyCol {
    KeyCol { name, ty }
}

/// How record ids are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IdStyle {
    Int,
    /// UUID strings that encode the number (leads, lead labels); the salt
    /// keeps the two entities' UUIDs apart.
    Uuid(u64),
    /// Numeric strings (call logs, goals).
    Text,
}

/// How a list pages.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Paging {
    /// v2: `cursor`, `limit` (≤ 500), and these `sort_by` values.
    Cursor { sorts: &'static [SortField] },
    /// v1: `start`, `limit` (capped at `max_limit`), optional `sort`.
    Offset { max_limit: usize },
    /// Everything at once.
    Unpaged,
}

/// What a query parameter filters on.
#[derive(Clone, Copy, Debug)]
pub(crate) enum FilterKind {
    /// Integer equality with a key column.
    Eq,
    /// A lead UUID, equal to a `LeadId` column.
    LeadEq,
    /// v2 `true`/`false`.
    Bool,
    /// v1 `0`/`1`.
    Flag01,
    /// Time column `>=` an RFC 3339 value.
    Since,
    /// Time column `<` an RFC 3339 value.
    Until,
    /// Time column on or after a `YYYY-MM-DD` day.
    FromDate,
    /// Time column on or before a `YYYY-MM-DD` day.
    ToDate,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct FilterDef {
    pub param: &'static str,
    pub column: &'static str,
    pub kind: FilterKind,
}

pub(crate) const fn filter(
    param: &'static str,
    column: &'static str,
    kind: FilterKind,
) -> FilterDef {
    FilterDef {
        param,
        column,
        kind,
    }
}

/// The wire type of a writable body field.
#[derive(Clone, Copy, Debug)]
pub(crate) enum FieldType {
    Int,
    Number,
    Str,
    Bool,
    /// v1 flags: `true`/`false` or 0/1 (stored as a boolean).
    Flag,
    /// `YYYY-MM-DD`.
    Date,
    /// `HH:MM:SS` or `HH:MM`.
    Clock,
    /// v1 `YYYY-MM-DD HH:MM:SS` (or RFC 3339).
    Timestamp,
    /// One of the listed strings.
    Enum(&'static [&'static str]),
    IntArray,
    StrArray,
    /// A lead UUID.
    LeadId,
    /// Any JSON object (checked by the kind's `prepare`).
    Object,
    /// Any JSON array of objects (checked by the kind's `prepare`).
    ObjectArray,
    /// A string or a number (v1 ids and amounts that may come as either).
    IntOrText,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct FieldSpec {
    pub name: &'static str,
    pub ty: FieldType,
    pub nullable: bool,
}

pub(crate) const fn field(name: &'static str, ty: FieldType) -> FieldSpec {
    FieldSpec {
        name,
        ty,
        nullable: true,
    }
}

/// Declares a body field that must not be `null`.
pub(crate) const fn strict(name: &'static str, ty: FieldType) -> FieldSpec {
    FieldSpec {
        name,
        ty,
        nullable: false,
    }
}

/// What `DELETE` does.
#[derive(Clone, Copy, Debug)]
pub(crate) enum DeleteStyle {
    /// The record is gone (404 afterwards).
    Hard,
    /// The record stays, with `field` set to `value`, and leaves the
    /// default list (`is_listed` says so); `GET /{id}` still returns it.
    Soft { field: &'static str, value: bool },
    /// As `Soft`, with a text value (projects: `status: "deleted"`).
    SoftText {
        field: &'static str,
        value: &'static str,
    },
}

/// The shape of `data` in a successful `DELETE` answer.
#[derive(Clone, Copy, Debug)]
pub(crate) enum DeleteReply {
    /// `{"id": <id>}`
    IdObject,
    /// `true`
    True,
    /// `null`
    Null,
}

/// Timestamp format of the records' `add_time`/`update_time`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TimeFormat {
    /// `2025-01-01T10:20:00Z` (v2, and v1 leads/lead labels).
    Rfc3339,
    /// `2025-01-01 10:20:00` (v1).
    V1,
}

impl TimeFormat {
    pub(crate) fn format(self, ts: i64) -> String {
        match self {
            TimeFormat::Rfc3339 => time::rfc3339_string(ts),
            TimeFormat::V1 => time::v1_time_string(ts),
        }
    }
}

/// A predicate on whole records (for filters the key columns cannot
/// express; only used by small entities).
pub(crate) type RecordFilter = Box<dyn Fn(&Record) -> bool>;

/// A predicate on key columns.
pub(crate) type KeyFilter = Box<dyn Fn(&Keys) -> bool>;

/// One record-shaped entity.
pub(crate) trait RecordKind: 'static + Sized {
    /// The collection name, as in the path (`activities`, `leadLabels`).
    const NAME: &'static str;
    const ID: IdStyle = IdStyle::Int;
    /// The member that holds the id (see [`Self::set_id`]).
    const ID_MEMBER: &'static str = "id";
    const TIME_FORMAT: TimeFormat;
    /// Filterable and sortable columns. `add_time`/`update_time` must be
    /// among them when the entity has them.
    const KEYS: &'static [KeyCol];
    const PAGING: Paging;
    /// `ids` (v2, ≤ 100) is accepted.
    const IDS_PARAM: bool = false;
    const FILTERS: &'static [FilterDef] = &[];
    /// Writable body fields; anything else in a body is ignored.
    const FIELDS: &'static [FieldSpec] = &[];
    /// Body fields a create must have.
    const REQUIRED: &'static [&'static str] = &[];
    const CREATE_STATUS: u16 = 200;
    const DELETE: DeleteStyle = DeleteStyle::Hard;
    const DELETE_REPLY: DeleteReply = DeleteReply::IdObject;

    /// Number of id slots of generated records (some may be empty).
    fn base_slots(ds: &Dataset) -> u64;
    /// Generated record `id`, `None` for an empty slot.
    fn generate(ds: &Dataset, id: u64) -> Option<Record>;

    /// The key columns of generated record `id`, without building the
    /// record. Must equal `keys_of(generate(id))`; the default does exactly
    /// that, entities with many records override it.
    fn fast_keys(ds: &Dataset, id: u64) -> Option<Keys> {
        Self::generate(ds, id).map(|r| keys_of::<Self>(ds, &r))
    }

    /// Whether the record belongs in a list without explicit filters for
    /// deleted ones (soft-deleted records do not).
    fn is_listed(record_keys: &Keys) -> bool {
        let _ = record_keys;
        true
    }

    /// Which records a list shows given its parameters; by default those
    /// [`Self::is_listed`] accepts. Entities whose filters can ask for
    /// deleted records (projects' `status=deleted`) override it.
    fn visibility(q: &Query) -> Result<KeyFilter, ApiError> {
        let _ = q;
        Ok(Box::new(Self::is_listed))
    }

    /// Properties returned only when named in `include_fields`.
    const OPTIONAL: &'static [&'static str] = &[];

    /// Properties lists leave out (single-record reads keep them).
    const LIST_OMITS: &'static [&'static str] = &[];

    /// v1 lists that carry a top-level `"status":"ok"` (webhooks).
    const STATUS_MEMBER: bool = false;

    /// Sets the id of a record being created (some records repeat it in
    /// nested objects).
    fn set_id(ds: &Dataset, record: &mut Record, id: u64) {
        record.insert("id".to_string(), id_value(ds, Self::ID, id));
    }

    /// Refuses a delete that would break links; `Ok` by default.
    fn before_delete(ds: &Dataset, id: u64) -> Result<(), ApiError> {
        let _ = (ds, id);
        Ok(())
    }

    /// Cascades a delete (tasks delete their subtasks); nothing by default.
    fn after_delete(ds: &Dataset, id: u64) {
        let _ = (ds, id);
    }

    /// Filters beyond [`Self::FILTERS`], on whole records.
    fn record_filter(ds: &Dataset, q: &Query) -> Result<Option<RecordFilter>, ApiError> {
        let _ = (ds, q);
        Ok(None)
    }

    /// A new record with every property at its default, before the body
    /// is applied (`id`, `add_time`, `update_time` are set by the caller).
    fn blank(ds: &Dataset) -> Record {
        let _ = ds;
        Record::new()
    }

    /// Checks links and fills derived properties after the body was
    /// applied; `created` tells create from update.
    fn prepare(
        ds: &Dataset,
        record: &mut Record,
        body: &Record,
        created: bool,
    ) -> Result<(), ApiError> {
        let _ = (ds, record, body, created);
        Ok(())
    }
}

/// Reads the key columns of a record.
pub(crate) fn keys_of<K: RecordKind>(ds: &Dataset, record: &Record) -> Keys {
    let mut keys = Keys([NULL_KEY; MAX_KEYS]);
    for (slot, col) in K::KEYS.iter().enumerate().take(MAX_KEYS) {
        keys.0[slot] = record
            .get(col.name)
            .and_then(|v| key_value(ds, col.ty, v))
            .unwrap_or(NULL_KEY);
    }
    keys
}

fn key_value(ds: &Dataset, ty: KeyType, v: &Value) -> Option<i64> {
    match ty {
        KeyType::Int => v.as_i64().or_else(|| v.as_str()?.parse().ok()),
        KeyType::Bool => match v {
            Value::Bool(b) => Some(*b as i64),
            Value::Number(n) => n.as_i64().map(|n| (n != 0) as i64),
            _ => None,
        },
        KeyType::Time => time::parse_any_time(v.as_str()?),
        KeyType::Date => time::parse_date(v.as_str()?),
        KeyType::LeadId => ids::parse_uuid(ds.seed, ids::LEAD_SALT, v.as_str()?).map(|n| n as i64),
        KeyType::Enum(names) => {
            let s = v.as_str()?;
            names.iter().position(|n| *n == s).map(|i| i as i64)
        }
    }
}

/// Index of key column `name` of `K`.
pub(crate) fn column<K: RecordKind>(name: &str) -> Option<usize> {
    K::KEYS.iter().position(|c| c.name == name)
}

/// Builds keys from `(column name, value)` pairs (for `fast_keys`).
pub(crate) fn keys_from<K: RecordKind>(values: &[(&str, Option<i64>)]) -> Keys {
    let mut keys = Keys([NULL_KEY; MAX_KEYS]);
    for (name, value) in values {
        if let Some(slot) = column::<K>(name) {
            keys.0[slot] = value.unwrap_or(NULL_KEY);
        }
    }
    keys
}

/// The id of record number `n` as written in JSON.
pub(crate) fn id_value(ds: &Dataset, style: IdStyle, n: u64) -> Value {
    match style {
        IdStyle::Int => Value::from(n),
        IdStyle::Uuid(salt) => Value::String(ids::uuid(ds.seed, salt, n)),
        IdStyle::Text => Value::String(n.to_string()),
    }
}

/// The record number a path id names, if it is well-formed.
pub(crate) fn parse_id(ds: &Dataset, style: IdStyle, text: &str) -> Option<u64> {
    match style {
        IdStyle::Int | IdStyle::Text => text.parse::<u64>().ok(),
        // A well-formed UUID this dataset never issued names no record (0
        // is never an id): a 404, not a 400.
        IdStyle::Uuid(salt) => {
            ids::parse_uuid(ds.seed, salt, text).or_else(|| ids::is_uuid(text).then_some(0))
        }
    }
}
