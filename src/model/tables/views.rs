//! Views over answers that are not plain lists: the connected user, the
//! per-currency deal summary, and the options of each entity's fields.

use super::builder::*;
use crate::model::*;
use crate::types::DataType::*;

pub(super) fn current_user() -> TableDef {
    TableBuilder::new(
        "CurrentUser",
        TableKind::View,
        ApiVersion::V1,
        "users/me",
        Paging::Unpaged,
        "The connected user and company, API v1 /users/me",
    )
    .records_at(RecordsAt::DataObject)
    .required("id", Integer, "User id")
    .col("name", TEXT, "User name")
    .col("email", TEXT, "Email address")
    .col("default_currency", WVarchar(3), "Default currency")
    .col("locale", WVarchar(16), "Locale")
    .col("lang", Integer, "Language id")
    .col("timezone_name", TEXT, "Time zone")
    .col("timezone_offset", WVarchar(8), "Time zone offset")
    .col("role_id", Integer, "Role id")
    .col("is_admin", Bit, "Whether the user is an admin")
    .col("company_id", Integer, "Company id")
    .col("company_name", TEXT, "Company name")
    .col("company_domain", TEXT, "Company domain")
    .col("company_country", WVarchar(8), "Company country")
    .col("company_industry", TEXT, "Company industry")
    .col("last_login", Timestamp, "Last login (UTC)")
    .col("created", Timestamp, "Creation time (UTC)")
    .build()
}

pub(super) fn deals_summary() -> TableDef {
    TableBuilder::new(
        "DealsSummary",
        TableKind::View,
        ApiVersion::V1,
        "deals/summary",
        Paging::Unpaged,
        "Deal totals per currency, API v1 /deals/summary",
    )
    .records_at(RecordsAt::DataObject)
    .rows(RowShape::PerMapEntry("values_total"))
    .column_named(
        "Currency",
        Source::EntryKey,
        WVarchar(3),
        false,
        "Currency of the totals",
    )
    .element(
        "Value",
        &["value"],
        Double,
        "Total value of the deals in this currency",
    )
    .element(
        "Count",
        &["count"],
        Integer,
        "Number of deals in this currency",
    )
    .element(
        "ValueConverted",
        &["value_converted"],
        Double,
        "Total converted to the company currency",
    )
    .element(
        "ValueFormatted",
        &["value_formatted"],
        TEXT,
        "Total, formatted",
    )
    .col("total_count", Integer, "Number of deals in all currencies")
    .nested(
        "TotalConvertedValue",
        &["total_currency_converted_value"],
        Double,
        "Total of all currencies, converted",
    )
    .nested(
        "TotalWeightedConvertedValue",
        &["total_weighted_currency_converted_value"],
        Double,
        "Weighted total, converted",
    )
    .build()
}

/// `DealFieldOptions` and the like: one row per option of every enum and
/// set field of the entity.
pub(super) fn field_options(name: &str, path: &'static str, entity: &str) -> TableDef {
    TableBuilder::new(
        name,
        TableKind::View,
        ApiVersion::V2,
        path,
        CURSOR_500,
        &format!("Options of the enum and set fields of {entity}, API v2 /{path}"),
    )
    .rows(RowShape::PerArrayElement("options"))
    .required("field_code", WVarchar(64), "Field code")
    .col("field_name", TEXT, "Field display name")
    .element(
        "OptionId",
        &["id"],
        WVarchar(64),
        "Option id (what records store)",
    )
    .element("Label", &["label"], TEXT, "Option label")
    .element("Color", &["color"], WVarchar(16), "Option color")
    .build()
}

/// `NoteFieldOptions`, `LeadFieldOptions`: options of v1 field lists.
pub(super) fn v1_field_options(
    name: &str,
    path: &'static str,
    entity: &str,
    paging: Paging,
) -> TableDef {
    TableBuilder::new(
        name,
        TableKind::View,
        ApiVersion::V1,
        path,
        paging,
        &format!("Options of the enum and set fields of {entity}, API v1 /{path}"),
    )
    .rows(RowShape::PerArrayElement("options"))
    .required("key", WVarchar(64), "Field key")
    .col("name", TEXT, "Field display name")
    .element(
        "OptionId",
        &["id"],
        WVarchar(64),
        "Option id (what records store)",
    )
    .element("Label", &["label"], TEXT, "Option label")
    .build()
}
