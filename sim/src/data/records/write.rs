//! Request bodies of writes: validation against the entity's declared
//! fields, and the errors Pipedrive answers with (its general envelope,
//! status 400, `Validation failed: <field>: <problem>`).

use super::{FieldSpec, FieldType, Record, RecordKind};
use crate::data::Dataset;
use crate::errors::{ApiError, ErrorShape};
use crate::time;
use serde_json::Value;
use std::borrow::Cow;

fn envelope(status: u16, error: impl Into<Cow<'static, str>>) -> ApiError {
    ApiError {
        status,
        error: error.into(),
        shape: ErrorShape::Envelope { error_info: None },
    }
}

/// 400: the body cannot be used at all.
pub(crate) fn bad_request(error: impl Into<Cow<'static, str>>) -> ApiError {
    envelope(400, error)
}

/// 400: a required body field is absent (or `null`).
pub(crate) fn missing_field(field: &str) -> ApiError {
    envelope(400, format!("Validation failed: {field}: Required"))
}

/// 400: a body field has the wrong type or an impossible value.
pub(crate) fn invalid_field(field: &str, problem: &str) -> ApiError {
    envelope(400, format!("Validation failed: {field}: {problem}"))
}

/// 400: a link names a record that does not exist.
pub(crate) fn missing_link(field: &str, what: &str, id: impl std::fmt::Display) -> ApiError {
    envelope(
        400,
        format!("Validation failed: {field}: {what} with id {id} does not exist"),
    )
}

/// 404 for a record that does not exist.
pub(crate) fn not_found() -> ApiError {
    ApiError::entity_not_found()
}

fn type_problem(ty: FieldType) -> Cow<'static, str> {
    Cow::Borrowed(match ty {
        FieldType::Int => "Expected integer",
        FieldType::Number => "Expected number",
        FieldType::Str => "Expected string",
        FieldType::Bool => "Expected boolean",
        FieldType::Flag => "Expected boolean or 0/1",
        FieldType::Date => "Expected a date in format YYYY-MM-DD",
        FieldType::Clock => "Expected a time in format HH:MM:SS",
        FieldType::Timestamp => "Expected a date-time in format YYYY-MM-DD HH:MM:SS",
        FieldType::Enum(_) => "Invalid enum value",
        FieldType::IntArray => "Expected an array of integers",
        FieldType::StrArray => "Expected an array of strings",
        FieldType::LeadId => "Expected a lead id (UUID)",
        FieldType::Object => "Expected object",
        FieldType::ObjectArray => "Expected an array of objects",
        FieldType::IntOrText => "Expected string or number",
    })
}

/// Whether `v` has type `ty` (never `null`).
fn fits(ds: &Dataset, ty: FieldType, v: &Value) -> bool {
    match ty {
        FieldType::Int => v.is_i64() || v.is_u64(),
        FieldType::Number => v.is_number(),
        FieldType::Str => v.is_string(),
        FieldType::Bool => v.is_boolean(),
        FieldType::Flag => v.is_boolean() || matches!(v.as_i64(), Some(0 | 1)),
        FieldType::Date => v.as_str().and_then(time::parse_date).is_some(),
        FieldType::Clock => v.as_str().and_then(time::parse_clock).is_some(),
        FieldType::Timestamp => v.as_str().and_then(time::parse_any_time).is_some(),
        FieldType::Enum(allowed) => v.as_str().is_some_and(|s| allowed.contains(&s)),
        FieldType::IntArray => v
            .as_array()
            .is_some_and(|a| a.iter().all(|x| x.is_i64() || x.is_u64())),
        FieldType::StrArray => v.as_array().is_some_and(|a| a.iter().all(Value::is_string)),
        FieldType::LeadId => v
            .as_str()
            .and_then(|s| super::ids::parse_uuid(ds.seed, super::ids::LEAD_SALT, s))
            .is_some(),
        FieldType::Object => v.is_object(),
        FieldType::ObjectArray => v.as_array().is_some_and(|a| a.iter().all(Value::is_object)),
        FieldType::IntOrText => v.is_string() || v.is_number(),
    }
}

/// Checks `body` against `fields` (types) and, on create, `required`.
pub(crate) fn validate(
    ds: &Dataset,
    fields: &[FieldSpec],
    required: &[&str],
    body: &Record,
    creating: bool,
) -> Result<(), ApiError> {
    if creating {
        for &name in required {
            if body.get(name).is_none_or(Value::is_null) {
                return Err(missing_field(name));
            }
        }
    }
    for spec in fields {
        let Some(v) = body.get(spec.name) else {
            continue;
        };
        if v.is_null() {
            if !spec.nullable || (!creating && required.contains(&spec.name)) {
                return Err(invalid_field(spec.name, "Must not be null"));
            }
            continue;
        }
        if !fits(ds, spec.ty, v) {
            return Err(invalid_field(spec.name, &type_problem(spec.ty)));
        }
    }
    Ok(())
}

/// Copies the declared fields present in `body` onto `record`, in their
/// stored form (v1 0/1 flags become booleans).
pub(crate) fn apply(fields: &[FieldSpec], body: &Record, record: &mut Record) {
    for spec in fields {
        let Some(v) = body.get(spec.name) else {
            continue;
        };
        let stored = match (spec.ty, v) {
            (FieldType::Flag, Value::Number(n)) => Value::Bool(n.as_i64() == Some(1)),
            _ => v.clone(),
        };
        record.insert(spec.name.to_string(), stored);
    }
}

/// [`validate`] and [`apply`] with a kind's declarations.
pub(crate) fn validate_kind<K: RecordKind>(
    ds: &Dataset,
    body: &Record,
    creating: bool,
) -> Result<(), ApiError> {
    validate(ds, K::FIELDS, K::REQUIRED, body, creating)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SimConfig;
    use crate::data::records::{field, strict};
    use serde_json::json;

    #[test]
    fn types_required_and_nulls() {
        let ds = Dataset::new(&SimConfig::default());
        let fields = [
            strict("subject", FieldType::Str),
            field("deal_id", FieldType::Int),
            field("done", FieldType::Flag),
            field("due_date", FieldType::Date),
            field("kind", FieldType::Enum(&["a", "b"])),
        ];
        let body = |v: Value| v.as_object().cloned().unwrap();
        let ok = body(
            json!({"subject": "x", "deal_id": null, "done": 1, "due_date": "2025-01-02", "kind": "a"}),
        );
        assert!(validate(&ds, &fields, &["subject"], &ok, true).is_ok());
        for bad in [
            json!({}),
            json!({"subject": null}),
            json!({"subject": 5}),
            json!({"subject": "x", "deal_id": "7"}),
            json!({"subject": "x", "done": 2}),
            json!({"subject": "x", "due_date": "2025-13-01"}),
            json!({"subject": "x", "kind": "c"}),
        ] {
            let err = validate(&ds, &fields, &["subject"], &body(bad.clone()), true).unwrap_err();
            assert_eq!(err.status, 400, "{bad}");
        }
        // Updates need no required fields but must not clear them.
        assert!(validate(
            &ds,
            &fields,
            &["subject"],
            &body(json!({"deal_id": 3})),
            false
        )
        .is_ok());
        assert!(validate(
            &ds,
            &fields,
            &["subject"],
            &body(json!({"subject": null})),
            false
        )
        .is_err());
        let mut record = Record::new();
        apply(&fields, &ok, &mut record);
        assert_eq!(record["done"], json!(true));
        assert_eq!(record["deal_id"], Value::Null);
    }
}
