//! The typed records (deals, persons, organizations, users, pipelines,
//! stages) and custom field definitions read back from the JSON a dataset
//! file holds: the same shapes the API returns (v2 objects; v1 for users),
//! so a saved record and a hand-written one look like API answers.

use super::reader::Obj;
use crate::data::address::Address;
use crate::data::custom_fields::{CustomFieldDef, CustomType, FieldOption, FieldValue, SavedField};
use crate::data::deals::{Deal, DealKeys, DealStatus};
use crate::data::organizations::{Organization, OrganizationKeys};
use crate::data::persons::{ContactPoint, Person, PersonKeys};
use crate::data::pipelines::{Pipeline, Stage};
use crate::data::users::User;
use crate::time;
use serde_json::{json, Value};
use std::borrow::Cow;

fn owned(text: Option<&str>) -> Option<Cow<'static, str>> {
    text.map(|s| Cow::Owned(s.to_string()))
}

/// The values of a v2 `custom_fields` object, one per definition; a key
/// that names no definition, or a value of the wrong type, is an error.
fn custom_values(o: &Obj, defs: &[CustomFieldDef]) -> Result<Vec<FieldValue>, String> {
    let Some(custom) = o.opt_obj("custom_fields")? else {
        return Ok(vec![FieldValue::Null; defs.len()]);
    };
    if let Some(unknown) = custom.keys().find(|k| defs.iter().all(|d| &d.key != *k)) {
        return Err(custom.err(unknown, "no custom field definition has this key"));
    }
    defs.iter()
        .map(|def| {
            let key = def.key.as_str();
            let Some(v) = custom.get(key) else {
                return Ok(FieldValue::Null);
            };
            let bad = || {
                custom.err(
                    key,
                    &format!("not a value of a {} field", def.field_type.name()),
                )
            };
            Ok(match def.field_type {
                CustomType::Varchar
                | CustomType::Text
                | CustomType::VarcharAuto
                | CustomType::Phone => {
                    FieldValue::Text(Cow::Owned(v.as_str().ok_or_else(bad)?.to_string()))
                }
                CustomType::Double => FieldValue::Number(v.as_f64().ok_or_else(bad)?),
                CustomType::Monetary => {
                    let money = Obj::new(v, custom.at(key))?;
                    let amount = money
                        .opt_f64("value")?
                        .ok_or_else(|| money.err("value", "missing"))?;
                    FieldValue::Money {
                        amount,
                        currency: Cow::Owned(money.str("currency")?.to_string()),
                    }
                }
                CustomType::Date => FieldValue::Date(custom.opt_date(key)?.ok_or_else(bad)?),
                CustomType::Enum => {
                    let id = v.as_u64().ok_or_else(bad)?;
                    if def.option_label(id).is_none() {
                        return Err(custom.err(key, &format!("{id} is not an option of the field")));
                    }
                    FieldValue::Option(id)
                }
                CustomType::Set => {
                    let ids = custom.u64_list(key)?;
                    if let Some(id) = ids.iter().find(|&&id| def.option_label(id).is_none()) {
                        return Err(custom.err(key, &format!("{id} is not an option of the field")));
                    }
                    FieldValue::Options(ids)
                }
                CustomType::User => FieldValue::User(v.as_u64().ok_or_else(bad)?),
            })
        })
        .collect()
}

pub(crate) fn deal(o: &Obj, defs: &[CustomFieldDef]) -> Result<Deal, String> {
    let status = DealStatus::parse(o.str("status")?)
        .ok_or_else(|| o.err("status", "expected open, won, lost or deleted"))?;
    let owner_id = o.u64("owner_id")?;
    Ok(Deal {
        keys: DealKeys {
            id: o.u64("id")?,
            owner_id,
            person_id: o.opt_u64("person_id")?,
            org_id: o.opt_u64("org_id")?,
            pipeline_id: o.u64("pipeline_id")?,
            stage_id: o.u64("stage_id")?,
            status,
            add_time: o.time("add_time")?,
            update_time: o.time("update_time")?,
            is_archived: o.opt_bool("is_archived")?.unwrap_or(false),
        },
        title: o.str("title")?.to_string(),
        creator_user_id: o.opt_u64("creator_user_id")?.unwrap_or(owner_id),
        value: o.opt_f64("value")?.unwrap_or(0.0),
        currency: Cow::Owned(o.opt_str("currency")?.unwrap_or("EUR").to_string()),
        stage_change_time: o.opt_time("stage_change_time")?,
        close_time: o.opt_time("close_time")?,
        won_time: o.opt_time("won_time")?,
        lost_time: o.opt_time("lost_time")?,
        expected_close_date: o.opt_date("expected_close_date")?,
        probability: o.opt_f64("probability")?,
        lost_reason: owned(o.opt_str("lost_reason")?),
        visible_to: o.opt_u64("visible_to")?.unwrap_or(3),
        label_ids: o.u64_list("label_ids")?,
        origin: Cow::Owned(
            o.opt_str("origin")?
                .unwrap_or("ManuallyCreated")
                .to_string(),
        ),
        origin_id: o.opt_string("origin_id")?,
        channel: o.opt_i64("channel")?,
        channel_id: owned(o.opt_str("channel_id")?),
        arr: o.opt_f64("arr")?,
        mrr: o.opt_f64("mrr")?,
        acv: o.opt_f64("acv")?,
        archive_time: o.opt_time("archive_time")?,
        custom: custom_values(o, defs)?,
    })
}

fn contact_points(o: &Obj, key: &str) -> Result<Vec<ContactPoint>, String> {
    o.objects(key)?
        .iter()
        .map(|p| {
            Ok(ContactPoint {
                value: p.str("value")?.to_string(),
                primary: p.opt_bool("primary")?.unwrap_or(false),
                label: Cow::Owned(p.opt_str("label")?.unwrap_or("work").to_string()),
            })
        })
        .collect()
}

fn address(o: &Obj, key: &str) -> Result<Option<Address>, String> {
    let Some(a) = o.opt_obj(key)? else {
        return Ok(None);
    };
    Ok(Some(Address {
        value: a.str("value")?.to_string(),
        country: a.opt_string("country")?,
        admin_area_level_1: a.opt_string("admin_area_level_1")?,
        admin_area_level_2: a.opt_string("admin_area_level_2")?,
        locality: a.opt_string("locality")?,
        sublocality: a.opt_string("sublocality")?,
        route: a.opt_string("route")?,
        street_number: a.opt_string("street_number")?,
        subpremise: a.opt_string("subpremise")?,
        postal_code: a.opt_string("postal_code")?,
    }))
}

pub(crate) fn person(o: &Obj, defs: &[CustomFieldDef]) -> Result<Person, String> {
    Ok(Person {
        keys: PersonKeys {
            id: o.u64("id")?,
            owner_id: o.u64("owner_id")?,
            org_id: o.opt_u64("org_id")?,
            add_time: o.time("add_time")?,
            update_time: o.time("update_time")?,
            is_deleted: o.opt_bool("is_deleted")?.unwrap_or(false),
        },
        name: o.str("name")?.to_string(),
        first_name: o.opt_str("first_name")?.unwrap_or("").to_string(),
        last_name: o.opt_str("last_name")?.unwrap_or("").to_string(),
        emails: contact_points(o, "emails")?,
        phones: contact_points(o, "phones")?,
        visible_to: o.opt_u64("visible_to")?.unwrap_or(3),
        label_ids: o.u64_list("label_ids")?,
        picture_id: o.opt_u64("picture_id")?,
        postal_address: address(o, "postal_address")?,
        notes: o.opt_string("notes")?,
        im: match o.get("im") {
            None => None,
            Some(_) => Some(contact_points(o, "im")?),
        },
        birthday: o.opt_date("birthday")?,
        job_title: owned(o.opt_str("job_title")?),
        custom: custom_values(o, defs)?,
    })
}

pub(crate) fn organization(o: &Obj, defs: &[CustomFieldDef]) -> Result<Organization, String> {
    Ok(Organization {
        keys: OrganizationKeys {
            id: o.u64("id")?,
            owner_id: o.u64("owner_id")?,
            add_time: o.time("add_time")?,
            update_time: o.time("update_time")?,
            is_deleted: o.opt_bool("is_deleted")?.unwrap_or(false),
        },
        name: o.str("name")?.to_string(),
        visible_to: o.opt_u64("visible_to")?.unwrap_or(3),
        address: address(o, "address")?,
        label_ids: o.u64_list("label_ids")?,
        website: o.opt_string("website")?,
        linkedin: o.opt_string("linkedin")?,
        industry: o.opt_i64("industry")?,
        annual_revenue: o.opt_i64("annual_revenue")?,
        employee_count: o.opt_i64("employee_count")?,
        custom: custom_values(o, defs)?,
    })
}

/// A user as v1 `GET /users/{id}` returns it.
pub(crate) fn user(o: &Obj) -> Result<User, String> {
    let access = o.objects("access")?;
    let permission_set = |app: &str| -> Result<String, String> {
        Ok(
            match access
                .iter()
                .find(|a| a.opt_str("app").ok().flatten() == Some(app))
            {
                Some(a) => a.str("permission_set_id")?.to_string(),
                None => String::new(),
            },
        )
    };
    let is_admin = match access.first() {
        Some(a) => a.opt_bool("admin")?.unwrap_or(false),
        None => false,
    };
    let text = |key: &str, default: &str| -> Result<Cow<'static, str>, String> {
        Ok(Cow::Owned(o.opt_str(key)?.unwrap_or(default).to_string()))
    };
    Ok(User {
        id: o.u64("id")?,
        name: o.str("name")?.to_string(),
        email: o.str("email")?.to_string(),
        default_currency: text("default_currency", "EUR")?,
        locale: text("locale", "en_US")?,
        lang: o.opt_u64("lang")?.unwrap_or(1),
        phone: o.opt_string("phone")?,
        activated: o.opt_bool("activated")?.unwrap_or(true),
        last_login: o.time("last_login")?,
        created: o.time("created")?,
        modified: o.opt_time("modified")?,
        has_created_company: o.opt_bool("has_created_company")?.unwrap_or(false),
        is_admin,
        active_flag: o.opt_bool("active_flag")?.unwrap_or(true),
        timezone_name: text("timezone_name", "Europe/Tallinn")?,
        timezone_offset: text("timezone_offset", "+02:00")?,
        role_id: o.opt_u64("role_id")?.unwrap_or(1),
        icon_url: o.opt_string("icon_url")?,
        is_deleted: o.opt_bool("is_deleted")?.unwrap_or(false),
        permission_sets: [permission_set("sales")?, permission_set("global")?],
    })
}

pub(crate) fn pipeline(o: &Obj) -> Result<Pipeline, String> {
    Ok(Pipeline {
        id: o.u64("id")?,
        name: o.str("name")?.to_string(),
        order_nr: o.u64("order_nr")?,
        is_deleted: o.opt_bool("is_deleted")?.unwrap_or(false),
        is_deal_probability_enabled: o.opt_bool("is_deal_probability_enabled")?.unwrap_or(false),
        add_time: o.time("add_time")?,
        update_time: o.time("update_time")?,
    })
}

pub(crate) fn stage(o: &Obj) -> Result<Stage, String> {
    Ok(Stage {
        id: o.u64("id")?,
        order_nr: o.u64("order_nr")?,
        name: o.str("name")?.to_string(),
        is_deleted: o.opt_bool("is_deleted")?.unwrap_or(false),
        deal_probability: o.opt_u64("deal_probability")?.unwrap_or(100),
        pipeline_id: o.u64("pipeline_id")?,
        is_deal_rot_enabled: o.opt_bool("is_deal_rot_enabled")?.unwrap_or(false),
        days_to_rotten: o.opt_u64("days_to_rotten")?,
        add_time: o.time("add_time")?,
        update_time: o.time("update_time")?,
    })
}

/// A custom field definition as a dataset file keeps it.
pub(crate) fn custom_field_json(def: &CustomFieldDef) -> Value {
    json!({
        "key": def.key,
        "name": def.name,
        "description": def.description,
        "field_type": def.field_type.name(),
        "options": def.options.iter().map(|o| json!({
            "id": o.id,
            "label": o.label,
            "color": o.color,
        })).collect::<Vec<_>>(),
        "add_time": time::rfc3339_string(def.add_time),
        "update_time": time::rfc3339_string(def.update_time),
    })
}

pub(crate) fn custom_field(
    o: &Obj,
    seed_defs: &[CustomFieldDef],
) -> Result<CustomFieldDef, String> {
    let key = o.str("key")?;
    if key.is_empty() {
        return Err(o.err("key", "must not be empty"));
    }
    let type_name = o.str("field_type")?;
    let field_type = CustomType::parse(type_name).ok_or_else(|| {
        o.err(
            "field_type",
            &format!("'{type_name}' is not a custom field type the simulator supports"),
        )
    })?;
    let options = o
        .objects("options")?
        .iter()
        .map(|opt| {
            Ok(FieldOption {
                id: opt.u64("id")?,
                label: Cow::Owned(opt.str("label")?.to_string()),
                color: owned(opt.opt_str("color")?),
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok(CustomFieldDef::restored(
        seed_defs,
        SavedField {
            key: key.to_string(),
            name: o.str("name")?.to_string(),
            description: o.opt_string("description")?,
            field_type,
            options,
            add_time: o.time("add_time")?,
            update_time: o.time("update_time")?,
        },
    ))
}
