//! A list page's answer body straight to rows, without a `serde_json::Value`
//! tree per record.
//!
//! Building the tree (a map node and a `String` key per field, a `String`
//! per text value) and then reading the columns out of it was most of a
//! full scan's CPU. For tables with one row per record of `data`, the
//! decoder reads each record's fields as they are parsed: a field that is
//! one column's value is converted to that column's type on the spot, a
//! field no column reads is skipped unbuilt, and only fields read as JSON
//! (nested paths, arrays, monetary objects, option ids) become a small
//! `serde_json::Value`, given to the same conversion code
//! ([`value_from_field`]) the tree path uses, so both give the same rows.

use super::custom_fields::custom_value;
use super::extract::{input_value, json_to_value, record_field, text_to_value, value_from_field};
use super::{ColumnDef, CustomRoot, CustomShape, RecordsAt, RowShape, Source, TableDef};
use crate::types::DataType;
use crate::value::Value;
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value as Json;
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

/// One list page as the decoder read it.
#[derive(Debug)]
pub struct DecodedPage {
    pub rows: PageRows,
    /// `additional_data` (the paging continuation), when present.
    pub additional_data: Option<Json>,
    /// The envelope says `"success": false`.
    pub refused: bool,
}

/// What the answer's `data` held.
#[derive(Debug, PartialEq)]
pub enum PageRows {
    /// A list of records, as rows.
    Rows(Vec<Vec<Value>>),
    /// `data` was null or absent: no records.
    Missing,
    /// `data` was something other than a list or null.
    NotAList,
}

/// What the decoder does with one field of a record.
#[derive(Debug, Clone, Copy)]
enum FieldUse {
    /// No column reads it: skipped without being built.
    Skip,
    /// It is one column's value, converted by the column's type as it is
    /// read.
    Direct { column: usize, data_type: DataType },
    /// Columns `readers[first..first + count]` read it as JSON.
    Json { first: usize, count: usize },
    /// `custom_fields`: its entries are custom columns, by field key.
    CustomFields,
}

/// Marks "no field": before a record's first field, and names not kept.
const NO_FIELD: usize = usize::MAX;

/// Names of fields the columns do not read are remembered (as `Skip`) up to
/// this many, so that answers with ever new names cannot grow the table
/// without bound; beyond it they are looked up and skipped each time.
const MAX_FIELDS: usize = 1024;

/// Field names and what to do with them. Records of one endpoint list their
/// fields in the same order, so the field that followed the previous one in
/// the last record is tried first (one comparison) before the name is
/// hashed.
#[derive(Debug)]
struct FieldTable {
    names: Vec<Box<str>>,
    uses: Vec<FieldUse>,
    by_name: HashMap<Box<str>, usize>,
    /// For each field, the field that followed it last time (`NO_FIELD`
    /// when none has yet).
    next: Vec<usize>,
    /// The first field of the last record.
    first: usize,
}

impl FieldTable {
    fn new(fields: Vec<(String, FieldUse)>) -> FieldTable {
        let mut table = FieldTable {
            names: Vec::new(),
            uses: Vec::new(),
            by_name: HashMap::new(),
            next: Vec::new(),
            first: NO_FIELD,
        };
        for (name, field_use) in fields {
            table.add(name.into_boxed_str(), field_use);
        }
        table
    }

    fn add(&mut self, name: Box<str>, field_use: FieldUse) -> usize {
        let index = self.names.len();
        self.by_name.insert(name.clone(), index);
        self.names.push(name);
        self.uses.push(field_use);
        self.next.push(NO_FIELD);
        index
    }

    /// The field `name`, read after field `previous` (`NO_FIELD` at the
    /// start of a record); `NO_FIELD` for an unread name not remembered.
    fn find(&mut self, previous: usize, name: &str) -> usize {
        let guess = if previous == NO_FIELD {
            self.first
        } else {
            self.next[previous]
        };
        if guess != NO_FIELD && *self.names[guess] == *name {
            return guess;
        }
        let found = match self.by_name.get(name) {
            Some(&index) => index,
            None if self.names.len() < MAX_FIELDS => self.add(name.into(), FieldUse::Skip),
            None => return NO_FIELD,
        };
        if previous == NO_FIELD {
            self.first = found;
        } else {
            self.next[previous] = found;
        }
        found
    }

    fn use_of(&self, field: usize) -> FieldUse {
        self.uses.get(field).copied().unwrap_or(FieldUse::Skip)
    }
}

/// Decodes the list pages of one table (one stream of requests) to rows.
#[derive(Debug)]
pub struct PageDecoder {
    table: Arc<TableDef>,
    /// The record's top-level fields.
    fields: FieldTable,
    /// The entries of `custom_fields` (API v2 custom values).
    custom_fields: FieldTable,
    /// Column indexes, in runs named by `FieldUse::Json`.
    readers: Vec<usize>,
    /// The columns read from `custom_fields`: NULL again whenever a record
    /// names `custom_fields` (a repeated name replaces the earlier one).
    custom_columns: Vec<usize>,
    /// A row before its record is read: NULLs, and the values of columns
    /// that do not read the record (request parameters).
    template: Vec<Value>,
    /// The template is all NULLs (most tables): rows start as such without
    /// cloning it value by value.
    template_all_null: bool,
    /// Rows of the last page, to size the next page's list.
    last_page_rows: usize,
}

impl PageDecoder {
    /// A decoder for `table`'s list pages fetched with the request
    /// parameters `inputs`; `None` when its records are not one row each
    /// in a `data` list (those go through `rows_from_records_with`).
    pub fn for_table(table: &Arc<TableDef>, inputs: &[(String, String)]) -> Option<PageDecoder> {
        if table.row_shape != RowShape::PerRecord || table.endpoint.records != RecordsAt::DataArray
        {
            return None;
        }
        // Columns by the top-level field they read, in column order.
        let mut readers_of: Vec<(&str, Vec<usize>)> = Vec::new();
        let mut template = Vec::with_capacity(table.columns.len());
        for (index, column) in table.columns.iter().enumerate() {
            template.push(match &column.source {
                Source::Input(name) => input_value(inputs, name, column.data_type),
                _ => Value::Null,
            });
            let Some(field) = record_field(&column.source) else {
                match column.source {
                    // An empty path reads the whole record.
                    Source::Path(_) => return None,
                    _ => continue,
                }
            };
            match readers_of.iter_mut().find(|(name, _)| *name == field) {
                Some((_, columns)) => columns.push(index),
                None => readers_of.push((field, vec![index])),
            }
        }
        let mut readers = Vec::new();
        let mut custom_columns = Vec::new();
        let mut custom_entries = Vec::new();
        let mut fields = Vec::new();
        for (field, columns) in readers_of {
            let only_custom_entries = field == "custom_fields"
                && columns
                    .iter()
                    .all(|&c| custom_entry_key(&table.columns[c]).is_some());
            let field_use = if only_custom_entries {
                custom_columns.extend(columns.iter().copied());
                custom_entries = entry_uses(&table.columns, &columns, &mut readers);
                FieldUse::CustomFields
            } else {
                match columns[..] {
                    [column] if table.columns[column].source == Source::field(field) => {
                        FieldUse::Direct {
                            column,
                            data_type: table.columns[column].data_type,
                        }
                    }
                    _ => json_readers(&columns, &mut readers),
                }
            };
            fields.push((field.to_string(), field_use));
        }
        Some(PageDecoder {
            table: table.clone(),
            fields: FieldTable::new(fields),
            custom_fields: FieldTable::new(custom_entries),
            readers,
            custom_columns,
            template_all_null: template.iter().all(Value::is_null),
            template,
            last_page_rows: 0,
        })
    }

    /// Decodes one answer body: its `data` as rows, `additional_data`, and
    /// whether it says `success: false`.
    pub fn decode_page(&mut self, body: &[u8]) -> serde_json::Result<DecodedPage> {
        let mut deserializer = serde_json::Deserializer::from_slice(body);
        let page = EnvelopeSeed { decoder: self }.deserialize(&mut deserializer)?;
        deserializer.end()?;
        if let PageRows::Rows(rows) = &page.rows {
            self.last_page_rows = rows.len();
        }
        Ok(page)
    }

    /// A new row, before its record is read.
    fn new_row(&self) -> Vec<Value> {
        if self.template_all_null {
            std::iter::repeat_with(|| Value::Null)
                .take(self.template.len())
                .collect()
        } else {
            self.template.clone()
        }
    }

    fn column(&self, index: usize) -> &ColumnDef {
        &self.table.columns[index]
    }
}

/// The key of a column read from an entry of `custom_fields`.
fn custom_entry_key(column: &ColumnDef) -> Option<&str> {
    match &column.source {
        Source::Custom {
            key,
            root: CustomRoot::CustomFieldsObject,
            ..
        } => Some(key),
        _ => None,
    }
}

/// `FieldUse::Json` for `columns`, appended to `readers`.
fn json_readers(columns: &[usize], readers: &mut Vec<usize>) -> FieldUse {
    let first = readers.len();
    readers.extend_from_slice(columns);
    FieldUse::Json {
        first,
        count: columns.len(),
    }
}

/// The uses of `custom_fields` entries: a scalar custom field read by one
/// column is converted as read; option ids, monetary objects and the like
/// are read as JSON.
fn entry_uses(
    all: &[ColumnDef],
    columns: &[usize],
    readers: &mut Vec<usize>,
) -> Vec<(String, FieldUse)> {
    let mut by_key: Vec<(&str, Vec<usize>)> = Vec::new();
    for &column in columns {
        let key = custom_entry_key(&all[column]).unwrap_or_default();
        match by_key.iter_mut().find(|(k, _)| *k == key) {
            Some((_, same)) => same.push(column),
            None => by_key.push((key, vec![column])),
        }
    }
    by_key
        .into_iter()
        .map(|(key, same)| {
            let field_use = match same[..] {
                [column]
                    if matches!(
                        &all[column].source,
                        Source::Custom {
                            shape: CustomShape::Scalar,
                            ..
                        }
                    ) =>
                {
                    FieldUse::Direct {
                        column,
                        data_type: all[column].data_type,
                    }
                }
                _ => json_readers(&same, readers),
            };
            (key.to_string(), field_use)
        })
        .collect()
}

/// Accepts the JSON scalars (but null) a visitor has no use for, as
/// `$other(visitor)`.
macro_rules! accept_other_values {
    ($other:expr) => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok(($other)(self))
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok(($other)(self))
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok(($other)(self))
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok(($other)(self))
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok(($other)(self))
        }
    };
}

fn drain_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
    while seq.next_element::<IgnoredAny>()?.is_some() {}
    Ok(())
}

fn drain_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(())
}

impl DecodedPage {
    /// An answer that is not an object: no records, no continuation.
    fn empty() -> DecodedPage {
        DecodedPage {
            rows: PageRows::Missing,
            additional_data: None,
            refused: false,
        }
    }
}

struct EnvelopeSeed<'a> {
    decoder: &'a mut PageDecoder,
}

impl<'de> DeserializeSeed<'de> for EnvelopeSeed<'_> {
    type Value = DecodedPage;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<DecodedPage, D::Error> {
        deserializer.deserialize_any(self)
    }
}

/// The envelope's members the decoder reads.
enum EnvelopeField {
    Success,
    Data,
    AdditionalData,
    Other,
}

impl<'de> Deserialize<'de> for EnvelopeField {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NameVisitor;
        impl Visitor<'_> for NameVisitor {
            type Value = EnvelopeField;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_str<E: de::Error>(self, name: &str) -> Result<EnvelopeField, E> {
                Ok(match name {
                    "success" => EnvelopeField::Success,
                    "data" => EnvelopeField::Data,
                    "additional_data" => EnvelopeField::AdditionalData,
                    _ => EnvelopeField::Other,
                })
            }
        }
        deserializer.deserialize_str(NameVisitor)
    }
}

impl<'de> Visitor<'de> for EnvelopeSeed<'_> {
    type Value = DecodedPage;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an API answer")
    }
    accept_other_values!(|_| DecodedPage::empty());
    fn visit_unit<E: de::Error>(self) -> Result<DecodedPage, E> {
        Ok(DecodedPage::empty())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<DecodedPage, A::Error> {
        drain_seq(seq)?;
        Ok(DecodedPage::empty())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<DecodedPage, A::Error> {
        let mut envelope = DecodedPage::empty();
        // A repeated member replaces the earlier one, as in a parsed tree.
        while let Some(member) = map.next_key::<EnvelopeField>()? {
            match member {
                EnvelopeField::Success => {
                    envelope.refused = map.next_value::<Json>()?.as_bool() == Some(false);
                }
                EnvelopeField::Data => {
                    envelope.rows = map.next_value_seed(DataSeed {
                        decoder: &mut *self.decoder,
                    })?;
                }
                EnvelopeField::AdditionalData => {
                    envelope.additional_data = Some(map.next_value::<Json>()?);
                }
                EnvelopeField::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(envelope)
    }
}

/// `data`: the list of records.
struct DataSeed<'a> {
    decoder: &'a mut PageDecoder,
}

impl<'de> DeserializeSeed<'de> for DataSeed<'_> {
    type Value = PageRows;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<PageRows, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for DataSeed<'_> {
    type Value = PageRows;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of records")
    }
    accept_other_values!(|_| PageRows::NotAList);
    fn visit_unit<E: de::Error>(self) -> Result<PageRows, E> {
        Ok(PageRows::Missing)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<PageRows, A::Error> {
        drain_map(map)?;
        Ok(PageRows::NotAList)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<PageRows, A::Error> {
        let mut rows = Vec::with_capacity(self.decoder.last_page_rows);
        while let Some(row) = seq.next_element_seed(RecordSeed {
            decoder: &mut *self.decoder,
        })? {
            rows.push(row);
        }
        Ok(PageRows::Rows(rows))
    }
}

/// One record, as a row.
struct RecordSeed<'a> {
    decoder: &'a mut PageDecoder,
}

impl<'de> DeserializeSeed<'de> for RecordSeed<'_> {
    type Value = Vec<Value>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Vec<Value>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for RecordSeed<'_> {
    type Value = Vec<Value>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a record")
    }
    // A record that is not an object has no fields: every column that
    // reads one is NULL.
    accept_other_values!(|seed: RecordSeed| seed.decoder.new_row());
    fn visit_unit<E: de::Error>(self) -> Result<Vec<Value>, E> {
        Ok(self.decoder.new_row())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Vec<Value>, A::Error> {
        let row = self.decoder.new_row();
        drain_seq(seq)?;
        Ok(row)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<Value>, A::Error> {
        let decoder = self.decoder;
        let mut row = decoder.new_row();
        let mut previous = NO_FIELD;
        while let Some(field) = map.next_key_seed(FieldName {
            fields: &mut decoder.fields,
            previous,
        })? {
            previous = field;
            match decoder.fields.use_of(field) {
                FieldUse::Skip => {
                    map.next_value::<IgnoredAny>()?;
                }
                FieldUse::Direct { column, data_type } => {
                    row[column] = map.next_value_seed(ValueSeed { data_type })?;
                }
                FieldUse::Json { first, count } => {
                    let json = map.next_value::<Json>()?;
                    for &column in &decoder.readers[first..first + count] {
                        row[column] = value_from_field(decoder.column(column), Some(&json));
                    }
                }
                FieldUse::CustomFields => {
                    for &column in &decoder.custom_columns {
                        row[column] = Value::Null;
                    }
                    map.next_value_seed(CustomFieldsSeed {
                        decoder: &mut *decoder,
                        row: &mut row,
                    })?;
                }
            }
        }
        Ok(row)
    }
}

/// A field name, looked up without being copied.
struct FieldName<'a> {
    fields: &'a mut FieldTable,
    previous: usize,
}

impl<'de> DeserializeSeed<'de> for FieldName<'_> {
    type Value = usize;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for FieldName<'_> {
    type Value = usize;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a field name")
    }
    fn visit_str<E: de::Error>(self, name: &str) -> Result<usize, E> {
        Ok(self.fields.find(self.previous, name))
    }
}

/// `custom_fields`: custom values by field key, into `row`.
struct CustomFieldsSeed<'a> {
    decoder: &'a mut PageDecoder,
    row: &'a mut Vec<Value>,
}

impl<'de> DeserializeSeed<'de> for CustomFieldsSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for CustomFieldsSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("custom field values")
    }
    // Not an object: no custom values.
    accept_other_values!(|_| ());
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        drain_seq(seq)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let decoder = self.decoder;
        let mut previous = NO_FIELD;
        while let Some(entry) = map.next_key_seed(FieldName {
            fields: &mut decoder.custom_fields,
            previous,
        })? {
            previous = entry;
            match decoder.custom_fields.use_of(entry) {
                FieldUse::Direct { column, data_type } => {
                    self.row[column] = map.next_value_seed(ValueSeed { data_type })?;
                }
                FieldUse::Json { first, count } => {
                    let json = map.next_value::<Json>()?;
                    for &column in &decoder.readers[first..first + count] {
                        let column_def = decoder.column(column);
                        if let Source::Custom { shape, .. } = &column_def.source {
                            self.row[column] =
                                custom_value(Some(&json), shape, column_def.data_type);
                        }
                    }
                }
                FieldUse::Skip | FieldUse::CustomFields => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// One column's value, converted by its type as it is parsed: what
/// [`json_to_value`] gives for the same JSON.
struct ValueSeed {
    data_type: DataType,
}

impl<'de> DeserializeSeed<'de> for ValueSeed {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Value, E> {
        Ok(json_to_value(&Json::Bool(b), self.data_type))
    }
    fn visit_i64<E: de::Error>(self, i: i64) -> Result<Value, E> {
        Ok(json_to_value(&Json::Number(i.into()), self.data_type))
    }
    fn visit_u64<E: de::Error>(self, u: u64) -> Result<Value, E> {
        Ok(json_to_value(&Json::Number(u.into()), self.data_type))
    }
    fn visit_f64<E: de::Error>(self, f: f64) -> Result<Value, E> {
        // As serde_json builds a `Value` from a float.
        let json = serde_json::Number::from_f64(f).map_or(Json::Null, Json::Number);
        Ok(json_to_value(&json, self.data_type))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Value, E> {
        Ok(text_to_value(s, self.data_type))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Value, A::Error> {
        let json = Json::deserialize(SeqAccessDeserializer::new(seq))?;
        Ok(json_to_value(&json, self.data_type))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Value, A::Error> {
        let json = Json::deserialize(MapAccessDeserializer::new(map))?;
        Ok(json_to_value(&json, self.data_type))
    }
}

#[cfg(test)]
mod tests;
