//! The v2 `custom_fields` object: every custom field key of the entity
//! (or those named in `custom_fields=`), with `null` for empty values.

use super::View;
use crate::data::custom_fields::{CustomFieldDef, FieldValue};
use crate::json::{write_f64, write_str, write_u64, ObjectWriter};
use crate::time;

pub(crate) fn write_custom_fields(
    w: &mut ObjectWriter,
    defs: &[CustomFieldDef],
    values: &[FieldValue],
    view: &View,
) {
    let mut o = ObjectWriter::begin(w.key("custom_fields"));
    let mut write_one = |index: usize| {
        let Some(def) = defs.get(index) else { return };
        // Fields defined after a record was stored have no value yet.
        let value = values.get(index).unwrap_or(&FieldValue::Null);
        let out = match <&[u8; 40]>::try_from(def.key.as_bytes()) {
            Ok(key) => o.key_fixed(key),
            Err(_) => o.key(&def.key),
        };
        write_value(out, def, value, view.option_labels);
    };
    match &view.custom_fields {
        Some(indexes) => indexes.iter().for_each(|&i| write_one(i)),
        None => (0..defs.len()).for_each(write_one),
    }
    o.end();
}

fn write_option(out: &mut Vec<u8>, def: &CustomFieldDef, id: u64, with_label: bool) {
    if with_label {
        let mut o = ObjectWriter::begin(out);
        o.u64("id", id);
        o.opt_str("label", def.option_label(id));
        o.end();
    } else {
        write_u64(out, id);
    }
}

fn write_value(out: &mut Vec<u8>, def: &CustomFieldDef, value: &FieldValue, option_labels: bool) {
    match value {
        FieldValue::Null => out.extend_from_slice(b"null"),
        FieldValue::Text(s) => write_str(out, s),
        FieldValue::Number(x) => write_f64(out, *x),
        FieldValue::Money { amount, currency } => {
            let mut o = ObjectWriter::begin(out);
            o.f64("value", *amount);
            o.str("currency", currency);
            o.end();
        }
        FieldValue::Date(days) => time::write_date(out, *days),
        FieldValue::Option(id) => write_option(out, def, *id, option_labels),
        FieldValue::Options(ids) => {
            out.push(b'[');
            for (i, id) in ids.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_option(out, def, *id, option_labels);
            }
            out.push(b']');
        }
        FieldValue::User(id) => write_u64(out, *id),
    }
}
