//! `/users` (v1 only in Pipedrive): list, get, `me`, add (`POST`), and
//! `PUT`, which per the spec changes only `active_flag`.

use super::super::envelope::single;
use super::super::params::path_id;
use super::super::v1;
use super::super::{Call, Reply};
use crate::data::records::write::{invalid_field, missing_field, validate};
use crate::data::records::{strict, FieldSpec, FieldType};
use crate::data::users::User;
use crate::data::write_clock;
use crate::errors::ApiError;
use crate::render;
use serde_json::Value;

pub(crate) fn list(c: &Call) -> Result<Reply, ApiError> {
    Ok(v1::list_users(c.ds()))
}

pub(crate) fn get(c: &Call) -> Result<Reply, ApiError> {
    v1::get_user(c.ds(), c.param("id"))
}

pub(crate) fn me(c: &Call) -> Result<Reply, ApiError> {
    Ok(v1::get_me(c.ds()))
}

const CREATE_FIELDS: &[FieldSpec] = &[
    strict("email", FieldType::Str),
    strict("access", FieldType::ObjectArray),
    strict("active_flag", FieldType::Bool),
];

const APPS: &[&str] = &[
    "global",
    "sales",
    "campaigns",
    "projects",
    "account_settings",
    "partnership",
    "nova",
];

pub(crate) fn create(c: &Call) -> Result<Reply, ApiError> {
    let body = c.json_body()?;
    validate(c.ds(), CREATE_FIELDS, &["email"], &body, true)?;
    let email = body
        .get("email")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if !email.contains('@') {
        return Err(invalid_field("email", "Expected an e-mail address"));
    }
    let mut admin = false;
    for item in body
        .get("access")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let app = item
            .get("app")
            .and_then(Value::as_str)
            .ok_or_else(|| missing_field("access.app"))?;
        if !APPS.contains(&app) {
            return Err(invalid_field("access.app", "Unknown app"));
        }
        admin |= item.get("admin").and_then(Value::as_bool).unwrap_or(false);
    }
    let active = body
        .get("active_flag")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    let now = write_clock();
    let user = {
        let mut users = c.ds().users.write().unwrap_or_else(|e| e.into_inner());
        if users.iter().any(|u| u.email.eq_ignore_ascii_case(&email)) {
            return Err(invalid_field(
                "email",
                "A user with this e-mail address exists",
            ));
        }
        let template = users[0].clone();
        let id = users.iter().map(|u| u.id).max().unwrap_or(0) + 1;
        let name = email.split('@').next().unwrap_or("").to_string();
        let user = User {
            id,
            name,
            email,
            phone: None,
            activated: false,
            last_login: now,
            created: now,
            modified: None,
            has_created_company: false,
            is_admin: admin,
            active_flag: active,
            role_id: 1,
            icon_url: None,
            is_deleted: false,
            ..template
        };
        users.push(user.clone());
        user
    };
    Ok(single(|out| render::user::write_user(out, &user, false)))
}

pub(crate) fn update(c: &Call) -> Result<Reply, ApiError> {
    let id = path_id(c.param("id"))?;
    let body = c.json_body()?;
    validate(
        c.ds(),
        &[strict("active_flag", FieldType::Bool)],
        &["active_flag"],
        &body,
        true,
    )?;
    let active = body
        .get("active_flag")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    let user = {
        let mut users = c.ds().users.write().unwrap_or_else(|e| e.into_inner());
        let user = users
            .iter_mut()
            .find(|u| u.id == id)
            .ok_or_else(ApiError::user_not_found)?;
        if user.id == 1 && !active {
            return Err(invalid_field(
                "active_flag",
                "The token's own user cannot be deactivated",
            ));
        }
        user.active_flag = active;
        user.modified = Some(write_clock());
        user.clone()
    };
    Ok(single(|out| render::user::write_user(out, &user, false)))
}
