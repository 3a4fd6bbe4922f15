//! The `*Fields` tables: field definitions of each entity.

use super::builder::*;
use crate::model::*;
use crate::types::DataType::*;

/// `DealFields`, `PersonFields`, `OrganizationFields`: the v2 field lists.
pub(super) fn field_table(name: &str, path: &'static str, entity: &str) -> TableDef {
    let mut b = TableBuilder::new(
        name,
        TableKind::Table,
        ApiVersion::V2,
        path,
        CURSOR_500,
        &format!("Field definitions of {entity}, API v2 /{path}"),
    )
    .required(
        "field_code",
        WVarchar(64),
        "Field code (the key in records; 40 hex characters for custom fields)",
    )
    .required("field_name", TEXT, "Display name")
    .col("description", LONG_TEXT, "Description")
    .required(
        "field_type",
        WVarchar(32),
        "Field type (varchar, enum, monetary, ...)",
    )
    .col(
        "is_custom_field",
        Bit,
        "Whether the field is a custom field",
    )
    .col(
        "is_optional_response_field",
        Bit,
        "Whether the field is returned only on request",
    )
    .column_named(
        "OptionCount",
        Source::ArrayLength("options".into()),
        Integer,
        true,
        "Number of options (enum and set fields)",
    );
    b.def.primary_key = Some("FieldCode".into());
    b.build()
}

/// `NoteFields`, `LeadFields`: v1 field lists (numeric ids, `key`/`name`).
pub(super) fn v1_field_table(
    name: &str,
    path: &'static str,
    entity: &str,
    paging: Paging,
) -> TableDef {
    let mut b = TableBuilder::new(
        name,
        TableKind::Table,
        ApiVersion::V1,
        path,
        paging,
        &format!("Field definitions of {entity}, API v1 /{path}"),
    )
    .col("id", Integer, "Field id")
    .required("key", WVarchar(64), "Field key (the key in records)")
    .required("name", TEXT, "Display name")
    .col("field_type", WVarchar(32), "Field type")
    .col("order_nr", Integer, "Display order")
    .col("active_flag", Bit, "Whether the field is active")
    .col("edit_flag", Bit, "Whether the field is editable (custom)")
    .col("mandatory_flag", Bit, "Whether a value is required")
    .col("bulk_edit_allowed", Bit, "Whether bulk edit is allowed")
    .column_named(
        "OptionCount",
        Source::ArrayLength("options".into()),
        Integer,
        true,
        "Number of options (enum and set fields)",
    );
    b.def.primary_key = Some("Key".into());
    b.build()
}
