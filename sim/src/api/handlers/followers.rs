//! `/{deals,persons,organizations,products}/{id}/followers` (v2): list
//! (cursor paged by user id), add (201), remove.

use super::super::envelope::{cursor_list, single};
use super::super::params::{cursor_params, path_id};
use super::super::{Call, Reply};
use crate::data::followers::{product_exists, Followed, Follower};
use crate::data::records::links::{deal_exists, org_exists, person_exists, user_exists};
use crate::data::records::write::{invalid_field, missing_field, missing_link, not_found};
use crate::data::{write_clock, Dataset};
use crate::errors::ApiError;
use crate::pagination::{sort_candidates, take_cursor_page, SortField};
use crate::time;
use serde_json::{json, Value};

fn exists(kind: Followed) -> fn(&Dataset, u64) -> bool {
    match kind {
        Followed::Deal => deal_exists,
        Followed::Person => person_exists,
        Followed::Organization => org_exists,
        Followed::Product => product_exists,
    }
}

fn parent(c: &Call, kind: Followed) -> Result<u64, ApiError> {
    let id = path_id(c.param("id"))?;
    if exists(kind)(c.ds(), id) {
        Ok(id)
    } else {
        Err(not_found())
    }
}

fn follower_json(f: &Follower) -> Value {
    json!({"user_id": f.user_id, "add_time": time::rfc3339_string(f.add_time)})
}

fn list(c: &Call, kind: Followed) -> Result<Reply, ApiError> {
    let id = parent(c, kind)?;
    let params = cursor_params(c.query, &[SortField::Id])?;
    let candidates = c
        .ds()
        .followers
        .list(c.ds(), kind, id)
        .into_iter()
        .map(|f| (f.user_id as i64, f.user_id, f))
        .collect();
    let page = take_cursor_page(
        sort_candidates(candidates, params.start),
        params.start.sort,
        params.limit,
    );
    Ok(cursor_list(&page, 64, |out, f| {
        let _ = serde_json::to_writer(&mut *out, &follower_json(f));
    }))
}

fn add(c: &Call, kind: Followed) -> Result<Reply, ApiError> {
    let id = parent(c, kind)?;
    let body = c.json_body()?;
    let user = match body.get("user_id") {
        None | Some(Value::Null) => return Err(missing_field("user_id")),
        Some(v) => v
            .as_u64()
            .ok_or_else(|| invalid_field("user_id", "Expected integer"))?,
    };
    if !user_exists(c.ds(), user) {
        return Err(missing_link("user_id", "User", user));
    }
    let follower = Follower {
        user_id: user,
        add_time: write_clock(),
    };
    if !c.ds().followers.add(c.ds(), kind, id, follower) {
        return Err(invalid_field(
            "user_id",
            "The user already follows this item",
        ));
    }
    let mut reply = single(|out| {
        let _ = serde_json::to_writer(&mut *out, &follower_json(&follower));
    });
    reply.status = 201;
    Ok(reply)
}

fn delete(c: &Call, kind: Followed) -> Result<Reply, ApiError> {
    let id = parent(c, kind)?;
    let user = path_id(c.param("follower_id"))?;
    if !c.ds().followers.remove(c.ds(), kind, id, user) {
        return Err(not_found());
    }
    Ok(single(|out| {
        let _ = serde_json::to_writer(&mut *out, &json!({ "user_id": user }));
    }))
}

pub(crate) fn deal_list(c: &Call) -> Result<Reply, ApiError> {
    list(c, Followed::Deal)
}
pub(crate) fn deal_add(c: &Call) -> Result<Reply, ApiError> {
    add(c, Followed::Deal)
}
pub(crate) fn deal_delete(c: &Call) -> Result<Reply, ApiError> {
    delete(c, Followed::Deal)
}
pub(crate) fn person_list(c: &Call) -> Result<Reply, ApiError> {
    list(c, Followed::Person)
}
pub(crate) fn person_add(c: &Call) -> Result<Reply, ApiError> {
    add(c, Followed::Person)
}
pub(crate) fn person_delete(c: &Call) -> Result<Reply, ApiError> {
    delete(c, Followed::Person)
}
pub(crate) fn organization_list(c: &Call) -> Result<Reply, ApiError> {
    list(c, Followed::Organization)
}
pub(crate) fn organization_add(c: &Call) -> Result<Reply, ApiError> {
    add(c, Followed::Organization)
}
pub(crate) fn organization_delete(c: &Call) -> Result<Reply, ApiError> {
    delete(c, Followed::Organization)
}
pub(crate) fn product_list(c: &Call) -> Result<Reply, ApiError> {
    list(c, Followed::Product)
}
pub(crate) fn product_add(c: &Call) -> Result<Reply, ApiError> {
    add(c, Followed::Product)
}
pub(crate) fn product_delete(c: &Call) -> Result<Reply, ApiError> {
    delete(c, Followed::Product)
}
