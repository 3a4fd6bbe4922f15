//! v1 endpoints: users (v1 only in Pipedrive) and the v1 `*Fields` lists.

use super::envelope::{offset_list, plain_list, single};
use super::params::{offset_params, path_id};
use super::Reply;
use crate::data::custom_fields::FieldEntity;
use crate::data::Dataset;
use crate::errors::ApiError;
use crate::pagination::take_offset_page;
use crate::query::Query;
use crate::render;

/// `GET /users` takes no paging parameters and returns every user.
pub(crate) fn list_users(ds: &Dataset) -> Reply {
    plain_list(&ds.users_snapshot(), |out, u| {
        render::user::write_user(out, u, false)
    })
}

pub(crate) fn get_user(ds: &Dataset, id: &str) -> Result<Reply, ApiError> {
    let id = path_id(id)?;
    let user = ds.user_record(id).ok_or_else(ApiError::user_not_found)?;
    Ok(single(|out| render::user::write_user(out, &user, false)))
}

pub(crate) fn get_me(ds: &Dataset) -> Reply {
    // User 1 owns the API token (Dataset::new guarantees at least one user).
    let users = ds.users_snapshot();
    single(|out| render::user::write_user(out, &users[0], true))
}

pub(crate) fn list_fields(ds: &Dataset, entity: FieldEntity, q: &Query) -> Result<Reply, ApiError> {
    let (start, limit) = offset_params(q)?;
    let fields = render::field::all_fields(ds, entity);
    let page = take_offset_page(fields.iter().enumerate(), start, limit);
    Ok(offset_list(&page, |out, (position, f)| {
        render::field::write_field_v1(out, f, *position)
    }))
}
