//! Parameters shared by the list and get endpoints: paging, sorting, and
//! the v2 options that shape records (`custom_fields`, `include_fields`,
//! `include_option_labels`).

use crate::cursor::Cursor;
use crate::data::builtin_fields::optional_field;
use crate::data::custom_fields::FieldEntity;
use crate::data::Dataset;
use crate::errors::ApiError;
use crate::pagination::{Direction, SortField, SortSpec, Start};
use crate::query::Query;
use crate::render::field::FieldExtras;
use crate::render::View;

/// v2 lists: 100 records by default, at most 500 (spec: "a maximum value
/// of 500 is allowed"); more is refused rather than silently capped.
pub(crate) const DEFAULT_LIMIT: usize = 100;
pub(crate) const MAX_LIMIT: usize = 500;

/// `custom_fields=` takes at most 15 keys (spec).
const MAX_CUSTOM_FIELD_KEYS: usize = 15;

pub(crate) struct CursorParams {
    pub start: Start,
    pub limit: usize,
    /// The cursor's text key, for text sorts (`sort_by=name`).
    pub text: Option<String>,
}

fn limit(q: &Query) -> Result<usize, ApiError> {
    match q.get("limit") {
        None => Ok(DEFAULT_LIMIT),
        Some(text) => match text.trim().parse::<i64>() {
            Err(_) => Err(ApiError::invalid_param(
                "limit",
                "Expected number, received string",
            )),
            Ok(n) if n < 1 => Err(ApiError::invalid_param(
                "limit",
                "Number must be greater than or equal to 1",
            )),
            Ok(n) if n > MAX_LIMIT as i64 => Err(ApiError::invalid_param(
                "limit",
                "Number must be less than or equal to 500",
            )),
            Ok(n) => Ok(n as usize),
        },
    }
}

/// `limit`, `cursor`, `sort_by` (one of `sorts`) and `sort_direction`.
///
/// A cursor carries its own sort; it is honoured when the request repeats
/// the same `sort_by`/`sort_direction` or leaves them out, and refused when
/// they contradict it.
pub(crate) fn cursor_params(q: &Query, sorts: &[SortField]) -> Result<CursorParams, ApiError> {
    let names: Vec<&str> = sorts.iter().map(|s| s.name()).collect();
    let sort_by = q.one_of("sort_by", SortField::parse, &names)?;
    let direction = q.one_of("sort_direction", Direction::parse, &["asc", "desc"])?;
    let cursor = match q.get("cursor") {
        None => None,
        Some(text) => {
            let c = Cursor::decode(text)
                .ok_or_else(|| ApiError::invalid_param("cursor", "Invalid cursor"))?;
            let contradicts = !sorts.contains(&c.field)
                || sort_by.is_some_and(|s| s != c.field)
                || direction.is_some_and(|d| d != c.direction);
            if contradicts {
                return Err(ApiError::invalid_param(
                    "cursor",
                    "Cursor does not match the requested sorting",
                ));
            }
            Some(c)
        }
    };
    let sort = match &cursor {
        Some(c) => SortSpec {
            field: c.field,
            direction: c.direction,
        },
        None => SortSpec {
            field: sort_by.unwrap_or(SortField::Id),
            direction: direction.unwrap_or(Direction::Asc),
        },
    };
    Ok(CursorParams {
        start: Start::from_cursor(sort, cursor.as_ref()),
        limit: limit(q)?,
        text: cursor.and_then(|c| c.text),
    })
}

/// v1 `start`/`limit`. Offset endpoints have no documented maximum; larger
/// limits are capped at 500 like the cursor endpoints' maximum.
pub(crate) fn offset_params(q: &Query) -> Result<(usize, usize), ApiError> {
    let start = q.u64("start")?.unwrap_or(0) as usize;
    let limit = match q.u64("limit")? {
        None => DEFAULT_LIMIT,
        Some(0) => {
            return Err(ApiError::invalid_param(
                "limit",
                "Number must be greater than or equal to 1",
            ))
        }
        Some(n) => (n as usize).min(MAX_LIMIT),
    };
    Ok((start, limit))
}

/// Saved filters are not simulated; a `filter_id` therefore names a filter
/// that does not exist.
pub(crate) fn reject_filter_id(q: &Query) -> Result<(), ApiError> {
    match q.u64("filter_id")? {
        Some(_) => Err(ApiError::invalid_param("filter_id", "Filter not found")),
        None => Ok(()),
    }
}

/// The record-shaping options of v2 entity endpoints.
pub(crate) fn record_view(q: &Query, ds: &Dataset, entity: FieldEntity) -> Result<View, ApiError> {
    let custom_fields = match q.list("custom_fields") {
        None => None,
        Some(keys) => {
            if keys.len() > MAX_CUSTOM_FIELD_KEYS {
                return Err(ApiError::invalid_param(
                    "custom_fields",
                    "A maximum of 15 keys is allowed",
                ));
            }
            // Keys that name no custom field are ignored; output keeps the
            // fields' own order.
            let defs = ds.custom_fields(entity);
            Some(
                (0..defs.len())
                    .filter(|&i| keys.contains(&defs[i].key.as_str()))
                    .collect(),
            )
        }
    };
    let include_fields = match q.list("include_fields") {
        None => Vec::new(),
        Some(names) => {
            let mut fields: Vec<&'static str> = Vec::with_capacity(names.len());
            for name in names {
                let field = optional_field(entity, name).ok_or_else(|| {
                    ApiError::invalid_param("include_fields", &format!("Unknown field '{name}'"))
                })?;
                if !fields.contains(&field) {
                    fields.push(field);
                }
            }
            fields
        }
    };
    // Accepted for compatibility; label objects are not simulated.
    q.bool("include_labels")?;
    Ok(View {
        custom_fields,
        option_labels: q.bool("include_option_labels")?.unwrap_or(false),
        include_fields,
    })
}

/// `include_fields` of the v2 `*Fields` lists.
pub(crate) fn field_extras(q: &Query) -> Result<FieldExtras, ApiError> {
    let mut extras = FieldExtras::default();
    for name in q.list("include_fields").unwrap_or_default() {
        match name {
            "ui_visibility" => extras.ui_visibility = true,
            "important_fields" => extras.important_fields = true,
            "required_fields" => extras.required_fields = true,
            other => {
                return Err(ApiError::invalid_param(
                    "include_fields",
                    &format!("Unknown field '{other}'"),
                ))
            }
        }
    }
    Ok(extras)
}

/// The `{id}` path segment: a positive integer, else 400.
pub(crate) fn path_id(segment: &str) -> Result<u64, ApiError> {
    segment
        .parse::<u64>()
        .map_err(|_| ApiError::invalid_param("id", "Expected a positive integer"))
}
