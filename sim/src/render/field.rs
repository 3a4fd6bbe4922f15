//! Field definitions as v2 (`field_code`, `field_name`, ...) and v1 (`id`,
//! `key`, `name`, ...) `*Fields` entries.

use super::time_v1;
use crate::data::builtin_fields::{
    builtin_fields, builtin_options, builtin_subfields, BuiltinField, BuiltinOptionId,
};
use crate::data::custom_fields::{CustomFieldDef, CustomType, FieldEntity};
use crate::data::Dataset;
use crate::json::ObjectWriter;
use crate::time;

/// One entry of an entity's field list.
pub(crate) enum FieldRef<'a> {
    Builtin(&'static BuiltinField, FieldEntity),
    Custom(&'a CustomFieldDef, FieldEntity),
}

/// Built-in fields first, then custom fields, as Pipedrive lists them.
pub(crate) fn all_fields(ds: &Dataset, entity: FieldEntity) -> Vec<FieldRef<'_>> {
    let builtin = builtin_fields(entity)
        .iter()
        .map(|f| FieldRef::Builtin(f, entity));
    let custom = ds
        .custom_fields(entity)
        .iter()
        .map(|d| FieldRef::Custom(d, entity));
    builtin.chain(custom).collect()
}

/// The `include_fields` extras of v2 field lists.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct FieldExtras {
    pub ui_visibility: bool,
    pub important_fields: bool,
    pub required_fields: bool,
}

fn entity_of(field: &FieldRef) -> FieldEntity {
    match field {
        FieldRef::Builtin(_, e) | FieldRef::Custom(_, e) => *e,
    }
}

pub(crate) fn write_field_v2(out: &mut Vec<u8>, field: &FieldRef, extras: FieldExtras) {
    let entity = entity_of(field);
    let mut w = ObjectWriter::begin(out);
    match field {
        FieldRef::Builtin(f, _) => {
            w.str("field_name", f.name);
            w.str("field_code", f.code);
            w.str("description", f.description);
            w.str("field_type", f.field_type);
            match builtin_options(entity, f.code) {
                Some(options) => {
                    let out = w.key("options");
                    out.push(b'[');
                    for (i, o) in options.iter().enumerate() {
                        if i > 0 {
                            out.push(b',');
                        }
                        let mut ow = ObjectWriter::begin(out);
                        match o.id {
                            BuiltinOptionId::Int(id) => ow.u64("id", id),
                            BuiltinOptionId::Str(id) => ow.str("id", id),
                        }
                        ow.str("label", o.label);
                        ow.opt_str("color", o.color);
                        ow.null("update_time");
                        ow.null("add_time");
                        ow.end();
                    }
                    out.push(b']');
                }
                None => w.null("options"),
            }
            match builtin_subfields(f.code) {
                Some(parts) => {
                    // Address parts are named after the field ("Country of Address").
                    let out = w.key("subfields");
                    out.push(b'[');
                    for (i, (code, name, ty)) in parts.iter().enumerate() {
                        if i > 0 {
                            out.push(b',');
                        }
                        let mut sw = ObjectWriter::begin(out);
                        sw.str("field_code", code);
                        sw.str("field_name", &format!("{name} of {}", f.name));
                        sw.str("field_type", ty);
                        sw.end();
                    }
                    out.push(b']');
                }
                None => w.null("subfields"),
            }
            w.bool("is_custom_field", false);
            w.bool("is_optional_response_field", f.optional);
        }
        FieldRef::Custom(def, _) => {
            w.str("field_name", &def.name);
            w.str("field_code", &def.key);
            w.opt_str("description", def.description.as_deref());
            w.str("field_type", def.field_type.name());
            if def.options.is_empty() {
                w.null("options");
            } else {
                let out = w.key("options");
                out.push(b'[');
                for (i, o) in def.options.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    let mut ow = ObjectWriter::begin(out);
                    ow.u64("id", o.id);
                    ow.str("label", &o.label);
                    ow.opt_str("color", o.color.as_deref());
                    time::write_rfc3339(ow.key("update_time"), def.update_time);
                    time::write_rfc3339(ow.key("add_time"), def.add_time);
                    ow.end();
                }
                out.push(b']');
            }
            if def.field_type == CustomType::Monetary {
                let out = w.key("subfields");
                out.push(b'[');
                for (i, (code, label, ty)) in [
                    ("value", "Amount", "double"),
                    ("currency", "Currency", "varchar"),
                ]
                .iter()
                .enumerate()
                {
                    if i > 0 {
                        out.push(b',');
                    }
                    let mut sw = ObjectWriter::begin(out);
                    sw.str("field_code", code);
                    sw.str("field_name", &format!("{label} of {}", def.name));
                    sw.str("field_type", ty);
                    sw.end();
                }
                out.push(b']');
            } else {
                w.null("subfields");
            }
            w.bool("is_custom_field", true);
            w.bool("is_optional_response_field", false);
        }
    }
    if extras.ui_visibility {
        write_ui_visibility(&mut w, entity);
    }
    if extras.important_fields {
        let mut o = ObjectWriter::begin(w.key("important_fields"));
        o.bool("enabled", false);
        o.u64_array("stage_ids", &[]);
        o.end();
    }
    if extras.required_fields {
        let mut o = ObjectWriter::begin(w.key("required_fields"));
        // Only the title of a deal and the name of a person/organization are
        // mandatory.
        let required =
            matches!(field, FieldRef::Builtin(f, _) if f.code == "title" || f.code == "name");
        o.bool("enabled", required);
        if let FieldEntity::Deal = entity {
            o.u64_array("stage_ids", &[]);
            o.key("statuses").extend_from_slice(b"{}");
        }
        o.end();
    }
    w.end();
}

fn write_ui_visibility(w: &mut ObjectWriter, entity: FieldEntity) {
    let mut o = ObjectWriter::begin(w.key("ui_visibility"));
    o.bool("add_visible_flag", true);
    o.bool("details_visible_flag", true);
    let dialog = |o: &mut ObjectWriter, key: &str| {
        let mut d = ObjectWriter::begin(o.key(key));
        d.bool("show", false);
        d.null("order");
        d.end();
    };
    match entity {
        FieldEntity::Deal => {
            o.bool("projects_detail_visible_flag", false);
            let mut p = ObjectWriter::begin(o.key("show_in_pipelines"));
            p.bool("show_in_all", true);
            p.u64_array("pipeline_ids", &[]);
            p.end();
        }
        FieldEntity::Person => dialog(&mut o, "show_in_add_deal_dialog"),
        FieldEntity::Organization => {
            o.bool("org_detail_visible_flag", true);
            o.bool("person_detail_visible_flag", true);
            o.bool("deal_detail_visible_flag", true);
            dialog(&mut o, "show_in_add_deal_dialog");
            dialog(&mut o, "show_in_add_person_dialog");
        }
        FieldEntity::Product
        | FieldEntity::Project
        | FieldEntity::Activity
        | FieldEntity::Note
        | FieldEntity::Lead => {}
    }
    o.end();
}

/// The numeric v1 `id` of the field at `position` (0-based) in the list.
/// Ids are stable and distinct across entities.
pub(crate) fn v1_field_id(entity: FieldEntity, position: usize) -> u64 {
    let base = match entity {
        FieldEntity::Deal => 12_450,
        FieldEntity::Person => 9_030,
        FieldEntity::Organization => 4_010,
        FieldEntity::Product => 15_020,
        FieldEntity::Project => 16_030,
        FieldEntity::Activity => 17_040,
        FieldEntity::Note => 18_050,
        FieldEntity::Lead => 19_060,
    };
    base + position as u64
}

/// The v1 `field_type` of a field: v1's documented list has no types for
/// ids, flags and the other built-in kinds v2 names, so those are written
/// as the closest v1 type (ids and counts as `double`, flags and fixed
/// choices as `enum`, structured values as `text`).
fn v1_field_type(entity: FieldEntity, field_type: &str) -> &str {
    match field_type {
        // v1's product field list documents no `visible_to` type.
        "visible_to" if entity == FieldEntity::Product => "enum",
        "int" | "activity" | "deal" | "stage" | "pipeline" | "product" | "project" | "picture"
        | "projects_board" | "projects_phase" => "double",
        "boolean" | "status" | "varchar_options" | "billing_frequency" => "enum",
        "lead" => "varchar",
        "json" | "price_list" => "text",
        other => other,
    }
}

pub(crate) fn write_field_v1(out: &mut Vec<u8>, field: &FieldRef, position: usize) {
    let entity = entity_of(field);
    let created = time::timestamp(2018, 11, 13, 9, 16, 26);
    let mut w = ObjectWriter::begin(out);
    w.u64("id", v1_field_id(entity, position));
    let (key, name, field_type, add_time, update_time, is_custom) = match field {
        FieldRef::Builtin(f, _) => (f.v1_key, f.name, f.field_type, created, created, false),
        FieldRef::Custom(d, _) => (
            d.key.as_str(),
            d.name.as_ref(),
            d.field_type.name(),
            d.add_time,
            d.update_time,
            true,
        ),
    };
    w.str("key", key);
    w.str("name", name);
    w.u64("order_nr", position as u64 + 1);
    w.str("field_type", v1_field_type(entity, field_type));
    time_v1(&mut w, "add_time", Some(add_time));
    time_v1(&mut w, "update_time", Some(update_time));
    w.u64("last_updated_by_user_id", 1);
    w.u64("created_by_user_id", 1);
    w.bool("active_flag", true);
    w.bool("edit_flag", is_custom);
    w.bool("index_visible_flag", true);
    w.bool("details_visible_flag", true);
    w.bool(
        "add_visible_flag",
        is_custom || matches!(key, "title" | "name" | "value"),
    );
    w.bool("important_flag", false);
    w.bool("bulk_edit_allowed", true);
    w.bool(
        "searchable_flag",
        is_custom
            && matches!(
                field_type,
                "varchar" | "text" | "varchar_auto" | "double" | "monetary" | "phone"
            ),
    );
    w.bool("filtering_allowed", true);
    w.bool("sortable_flag", true);
    w.bool("mandatory_flag", matches!(key, "title" | "name"));
    match field {
        FieldRef::Builtin(f, _) => match builtin_options(entity, f.code) {
            Some(options) => {
                let out = w.key("options");
                out.push(b'[');
                for (i, o) in options.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    let mut ow = ObjectWriter::begin(out);
                    match o.id {
                        BuiltinOptionId::Int(id) => ow.u64("id", id),
                        BuiltinOptionId::Str(id) => ow.str("id", id),
                    }
                    ow.str("label", o.label);
                    ow.end();
                }
                out.push(b']');
            }
            None => w.null("options"),
        },
        FieldRef::Custom(d, _) if !d.options.is_empty() => {
            let out = w.key("options");
            out.push(b'[');
            for (i, o) in d.options.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                let mut ow = ObjectWriter::begin(out);
                ow.u64("id", o.id);
                ow.str("label", &o.label);
                ow.end();
            }
            out.push(b']');
        }
        FieldRef::Custom(..) => w.null("options"),
    }
    // v1 lists a monetary field's currency as a subfield with its own key
    // (`<key>_currency`), which is where v1 records carry the currency.
    let currency_subfield =
        matches!(field, FieldRef::Custom(d, _) if d.field_type == CustomType::Monetary);
    if currency_subfield {
        let out = w.key("subfields");
        out.push(b'[');
        let mut sw = ObjectWriter::begin(out);
        sw.null("id");
        sw.str("key", &format!("{key}_currency"));
        sw.str("name", &format!("Currency of {name}"));
        sw.str("field_type", "varchar");
        sw.bool("is_subfield", true);
        sw.end();
        out.push(b']');
    }
    w.end();
}
