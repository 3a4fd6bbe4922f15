//! The data model: one declarative entry per table (endpoint, columns, types,
//! keys, pushdown). The catalog functions, the planner and the docs all read
//! this one model, so they cannot disagree.

mod custom_fields;
mod decode;
mod extract;
mod tables;
pub mod writable;

pub use custom_fields::{
    column_name_from_display_name, with_custom_columns, CustomRoot, CustomShape,
};

pub use decode::{DecodedPage, PageDecoder, PageRows};
pub use extract::{json_to_value, row_from_json, rows_from_records, rows_from_records_with};
pub use tables::builtin_tables;

use crate::types::DataType;
use std::sync::Arc;

/// Which Pipedrive API generation serves a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiVersion {
    V1,
    V2,
}

impl ApiVersion {
    pub fn prefix(self) -> &'static str {
        match self {
            ApiVersion::V1 => "/api/v1",
            ApiVersion::V2 => "/api/v2",
        }
    }
}

/// How a list endpoint pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paging {
    /// v2: `cursor` + `limit`, `additional_data.next_cursor`.
    Cursor { max_limit: u32 },
    /// v1: `start` + `limit`, `additional_data.pagination`.
    Offset { max_limit: u32 },
    /// One request returns everything (v1 `/users`).
    Unpaged,
}

impl Paging {
    pub fn max_limit(self) -> Option<u32> {
        match self {
            Paging::Cursor { max_limit } | Paging::Offset { max_limit } => Some(max_limit),
            Paging::Unpaged => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub version: ApiVersion,
    /// Path below the version prefix, e.g. `deals`.
    pub path: &'static str,
    pub paging: Paging,
    /// Whether `GET path/{id}` exists.
    pub get_by_id: bool,
    /// Where the records sit in the answer.
    pub records: RecordsAt,
}

/// Where an answer carries its records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordsAt {
    /// `data` is the list of records (every list endpoint).
    DataArray,
    /// `data` is the one record (`users/me`, `deals/summary`).
    DataObject,
    /// `data.<field>` is the list (`goals/find` answers `data.goals`).
    DataField(&'static str),
}

/// How records become rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowShape {
    /// One row per record.
    PerRecord,
    /// One row per element of the record's array `field` (options of a
    /// field definition, deals of a timeline period); `Source::Element`
    /// columns read the element, the others the record.
    PerArrayElement(&'static str),
    /// One row per entry of the record's object `field` (per-currency
    /// totals); `Source::EntryKey` is the entry's key.
    PerMapEntry(&'static str),
}

/// Where a column's value sits in an API record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A property path from the record root (`["address", "country"]`).
    Path(Vec<String>),
    /// An array of scalars joined with commas (`label_ids`).
    JoinedArray(String),
    /// The `value` of the element flagged `primary` in an array of
    /// `{value, primary, label}` objects (person emails and phones).
    PrimaryValue(String),
    /// The number of elements of an array (field `options`).
    ArrayLength(String),
    /// A custom field's value, by its key.
    Custom {
        key: String,
        root: CustomRoot,
        shape: CustomShape,
    },
    /// A path inside the array element or map entry value a row comes from
    /// (see [`RowShape`]).
    Element(Vec<String>),
    /// The key of the map entry a row comes from.
    EntryKey,
    /// The value under the row's entry key in another map of the record
    /// (the won total of the currency whose total the row is).
    SiblingEntry(Vec<String>),
    /// The value of a parameter of the request the record came from, not
    /// of the record: a child's parent id (`id` of a path like
    /// `deals/{id}/followers`, or the query parameter naming the parent),
    /// or a parameter a view is computed with (the timeline's
    /// `start_date`). Every row of one request carries the same value.
    Input(String),
}

impl Source {
    pub fn field(key: &str) -> Source {
        Source::Path(vec![key.to_string()])
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ColumnDef {
    /// The SQL name (PascalCase).
    pub name: String,
    pub source: Source,
    pub data_type: DataType,
    pub nullable: bool,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignKey {
    pub column: String,
    pub ref_table: String,
    pub ref_column: String,
}

/// A comparison the endpoint can evaluate itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PushOp {
    /// `col = v` and `col IN (...)` with a single value.
    Eq,
    /// `col = v` or `col IN (...)` sent as a comma list (at most `max` values).
    EqList { max: usize },
    /// `col >= v` (inclusive lower bound, e.g. `updated_since`).
    AtLeast,
    /// `col < v` (exclusive upper bound, e.g. `updated_until`).
    Below,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushdownFilter {
    pub column: &'static str,
    pub param: &'static str,
    pub op: PushOp,
}

/// How a child table's request names its parent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParentParam {
    /// `{id}` in the endpoint path: one request (and its pages) per parent.
    PathSegment,
    /// A query parameter taking one parent id (one request per parent).
    Query(&'static str),
    /// A query parameter taking a comma list of up to `max` parent ids.
    QueryList { param: &'static str, max: usize },
}

impl ParentParam {
    /// Parent ids one request can name.
    pub fn per_request(self) -> usize {
        match self {
            ParentParam::PathSegment | ParentParam::Query(_) => 1,
            ParentParam::QueryList { max, .. } => max.max(1),
        }
    }
}

/// A table whose endpoint lists the records of one parent at a time
/// (`/deals/{id}/followers`): the parent ids come from the WHERE clause,
/// from the rows joined to it, or from listing the parent table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParentLink {
    /// The parent table (its `Id` is what requests name).
    pub table: &'static str,
    /// The column of this table holding the parent id.
    pub column: &'static str,
    pub param: ParentParam,
}

/// The value a view's input parameter takes when the WHERE clause does not
/// set it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputDefault {
    Text(&'static str),
    /// The first day of the month `n` months before the statement's
    /// current month (UTC).
    FirstOfMonthMonthsAgo(u32),
}

impl InputDefault {
    /// The value on `today`.
    pub fn value_on(self, today: crate::value::Date) -> String {
        match self {
            InputDefault::Text(t) => t.to_string(),
            InputDefault::FirstOfMonthMonthsAgo(n) => {
                let months = i64::from(today.year) * 12 + i64::from(today.month) - 1 - i64::from(n);
                let year = months.div_euclid(12) as i32;
                let month = (months.rem_euclid(12) + 1) as u8;
                crate::value::Date::new(year, month, 1)
                    .unwrap_or(today)
                    .to_string()
            }
        }
    }

    pub fn describe(self) -> String {
        match self {
            InputDefault::Text(t) => t.to_string(),
            InputDefault::FirstOfMonthMonthsAgo(0) => {
                "the first day of the current month".to_string()
            }
            InputDefault::FirstOfMonthMonthsAgo(n) => {
                format!("the first day of the month {n} months before the current one")
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableKind {
    Table,
    View,
}

impl TableKind {
    pub fn odbc_name(self) -> &'static str {
        match self {
            TableKind::Table => "TABLE",
            TableKind::View => "VIEW",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TableDef {
    pub name: String,
    pub kind: TableKind,
    pub description: String,
    pub endpoint: Endpoint,
    pub columns: Vec<ColumnDef>,
    pub primary_key: Option<String>,
    pub foreign_keys: Vec<ForeignKey>,
    pub pushdown: Vec<PushdownFilter>,
    /// Fixed query parameters sent on every list request.
    pub fixed_params: Vec<(&'static str, &'static str)>,
    /// The `*Fields` endpoint whose custom fields become extra columns, and
    /// where records keep their values.
    pub custom_fields: Option<(Endpoint, CustomRoot)>,
    /// Columns the list endpoint can sort by, with the API's name for each
    /// (v2 `sort_by` + `sort_direction`).
    pub sortable: Vec<(&'static str, &'static str)>,
    pub row_shape: RowShape,
    /// For a child table: where its requests take the parent id from.
    pub parent: Option<ParentLink>,
    /// Required query parameters and what they are when the WHERE clause
    /// pushes no value (the column reading them is a `Source::Input`).
    pub input_defaults: Vec<(&'static str, InputDefault)>,
}

impl TableDef {
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns
            .iter()
            .position(|c| c.name.eq_ignore_ascii_case(name))
    }

    /// The API's sort key for a column, if the list endpoint can sort by it.
    pub fn sort_key_for(&self, column: &str) -> Option<&'static str> {
        self.sortable
            .iter()
            .find(|(c, _)| c.eq_ignore_ascii_case(column))
            .map(|(_, api)| *api)
    }

    pub fn pushdown_for(&self, column: &str) -> impl Iterator<Item = &PushdownFilter> {
        let column = column.to_string();
        self.pushdown
            .iter()
            .filter(move |p| p.column.eq_ignore_ascii_case(&column))
    }
}

/// Reads field definitions (all pages of a `*Fields` endpoint).
pub trait FieldSource {
    fn field_definitions(&self, endpoint: &Endpoint)
        -> crate::diag::Result<Vec<serde_json::Value>>;
}

/// The tables of one connection. Custom-field columns are discovered the
/// first time a table's columns are needed and then kept for the life of
/// the connection: a field added in Pipedrive appears on the next connection.
#[derive(Debug)]
pub struct Schema {
    tables: Vec<Arc<TableDef>>,
    resolved: Vec<once_cell::sync::OnceCell<Arc<TableDef>>>,
}

impl Schema {
    pub fn builtin() -> Schema {
        let mut tables: Vec<Arc<TableDef>> = builtin_tables().into_iter().map(Arc::new).collect();
        tables.sort_by(|a, b| a.name.cmp(&b.name));
        let resolved = tables
            .iter()
            .map(|_| once_cell::sync::OnceCell::new())
            .collect();
        Schema { tables, resolved }
    }

    /// The tables with their built-in columns (enough for SQLTables).
    pub fn tables(&self) -> &[Arc<TableDef>] {
        &self.tables
    }

    /// Case-insensitive lookup of a table's built-in definition.
    pub fn table(&self, name: &str) -> Option<&Arc<TableDef>> {
        self.tables
            .iter()
            .find(|t| t.name.eq_ignore_ascii_case(name))
    }

    /// The table with its custom-field columns (fetched once).
    pub fn resolve(
        &self,
        name: &str,
        fields: &dyn FieldSource,
    ) -> crate::diag::Result<Option<Arc<TableDef>>> {
        let Some(i) = self
            .tables
            .iter()
            .position(|t| t.name.eq_ignore_ascii_case(name))
        else {
            return Ok(None);
        };
        let base = &self.tables[i];
        let Some((endpoint, root)) = &base.custom_fields else {
            return Ok(Some(base.clone()));
        };
        self.resolved[i]
            .get_or_try_init(|| {
                let definitions = fields.field_definitions(endpoint)?;
                Ok(Arc::new(with_custom_columns(base, &definitions, *root)))
            })
            .map(|t| Some(t.clone()))
    }

    /// Every table with its custom-field columns.
    pub fn resolve_all(&self, fields: &dyn FieldSource) -> crate::diag::Result<Vec<Arc<TableDef>>> {
        self.tables
            .iter()
            .filter_map(|t| self.resolve(&t.name, fields).transpose())
            .collect()
    }
}

/// `owner_id` -> `OwnerId`: the SQL name of an API field.
pub fn pascal_case(api_name: &str) -> String {
    api_name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pascal_case_of_api_names() {
        assert_eq!(pascal_case("owner_id"), "OwnerId");
        assert_eq!(pascal_case("id"), "Id");
        assert_eq!(
            pascal_case("is_deal_probability_enabled"),
            "IsDealProbabilityEnabled"
        );
    }

    #[test]
    fn every_table_has_unique_columns_and_valid_keys() {
        let schema = Schema::builtin();
        assert!(schema.tables().len() >= 9);
        for t in schema.tables() {
            let mut names: Vec<String> = t
                .columns
                .iter()
                .map(|c| c.name.to_ascii_lowercase())
                .collect();
            names.sort();
            names.dedup();
            assert_eq!(
                names.len(),
                t.columns.len(),
                "duplicate column in {}",
                t.name
            );
            if let Some(pk) = &t.primary_key {
                assert!(t.column_index(pk).is_some(), "{}.{pk}", t.name);
            }
            for fk in &t.foreign_keys {
                assert!(
                    t.column_index(&fk.column).is_some(),
                    "{}.{}",
                    t.name,
                    fk.column
                );
                let target = schema
                    .table(&fk.ref_table)
                    .unwrap_or_else(|| panic!("{} -> {}", t.name, fk.ref_table));
                assert!(target.column_index(&fk.ref_column).is_some());
            }
            for p in &t.pushdown {
                assert!(
                    t.column_index(p.column).is_some(),
                    "{}.{}",
                    t.name,
                    p.column
                );
            }
        }
    }

    #[test]
    fn lookup_is_case_insensitive() {
        let schema = Schema::builtin();
        assert_eq!(
            schema.table("deals").map(|t| t.name.as_str()),
            Some("Deals")
        );
        assert!(schema.table("Nope").is_none());
    }
}
