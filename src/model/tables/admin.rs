//! Company-level lists of API v1: filters, roles, webhooks, currencies,
//! call logs and files.

use super::builder::*;
use crate::model::*;
use crate::types::DataType::*;

pub(super) fn filters() -> TableDef {
    TableBuilder::new(
        "Filters",
        TableKind::Table,
        ApiVersion::V1,
        "filters",
        Paging::Unpaged,
        "Saved filters, API v1 /filters",
    )
    .id(Integer)
    .required("name", TEXT, "Filter name")
    .col("filter_code", TEXT, "Filter code")
    .col("is_editable", Bit, "Whether the filter can be edited")
    .col("active_flag", Bit, "Whether the filter is active")
    .col(
        "type",
        WVarchar(16),
        "deals, leads, org, people, products, activity or projects",
    )
    .col("temporary_flag", Bit, "Whether the filter is temporary")
    .col("user_id", Integer, "Owner user id")
    .col("add_time", Timestamp, "Creation time (UTC)")
    .col("update_time", Timestamp, "Last update time (UTC)")
    .col("visible_to", Integer, "Visibility setting")
    .col("last_used_time", Timestamp, "Last use (UTC)")
    .col("custom_view_id", Integer, "Custom view id")
    .fk("UserId", "Users")
    .push("Type", "type", PushOp::Eq)
    .build()
}

pub(super) fn roles() -> TableDef {
    TableBuilder::new(
        "Roles",
        TableKind::Table,
        ApiVersion::V1,
        "roles",
        Paging::Offset { max_limit: 500 },
        "Roles, API v1 /roles",
    )
    .id(Integer)
    .required("name", TEXT, "Role name")
    .col("parent_role_id", Integer, "Parent role id")
    .col("active_flag", Bit, "Whether the role is active")
    .col("assignment_count", Integer, "Number of users assigned")
    .col("sub_role_count", Integer, "Number of sub-roles")
    .col("level", Integer, "Level in the hierarchy")
    .build()
}

pub(super) fn webhooks() -> TableDef {
    TableBuilder::new(
        "Webhooks",
        TableKind::Table,
        ApiVersion::V1,
        "webhooks",
        Paging::Unpaged,
        "Webhooks, API v1 /webhooks",
    )
    .id(Integer)
    .col("name", TEXT, "Webhook name")
    .col("company_id", Integer, "Company id")
    .col("owner_id", Integer, "Owner user id")
    .col("user_id", Integer, "User whose permissions apply")
    .required("event_action", WVarchar(16), "create, change, delete or *")
    .required(
        "event_object",
        WVarchar(32),
        "activity, deal, lead, note, ... or *",
    )
    .required("subscription_url", TEXT, "Delivery URL")
    .col("version", WVarchar(8), "Payload version")
    .col("is_active", Bit, "Whether the webhook is active")
    .col("add_time", Timestamp, "Creation time (UTC)")
    .col("remove_time", Timestamp, "Removal time (UTC)")
    .col("type", WVarchar(16), "general, application or automation")
    .col("http_auth_user", TEXT, "HTTP basic auth user")
    .col("remove_reason", TEXT, "Removal reason")
    .col("last_delivery_time", Timestamp, "Last delivery (UTC)")
    .col("last_http_status", Integer, "Last HTTP status")
    .col("admin_id", Integer, "Admin user id")
    .without_get_by_id()
    .build()
}

pub(super) fn currencies() -> TableDef {
    TableBuilder::new(
        "Currencies",
        TableKind::View,
        ApiVersion::V1,
        "currencies",
        Paging::Unpaged,
        "Currencies, API v1 /currencies",
    )
    .id(Integer)
    .required(
        "code",
        WVarchar(8),
        "Currency code (ISO 4217 unless custom)",
    )
    .col("name", TEXT, "Name")
    .col("decimal_points", Integer, "Decimal places")
    .col("symbol", WVarchar(8), "Symbol")
    .col("active_flag", Bit, "Whether the currency is active")
    .col("is_custom_flag", Bit, "Whether the currency is custom")
    .without_get_by_id()
    .build()
}

pub(super) fn call_logs() -> TableDef {
    TableBuilder::new(
        "CallLogs",
        TableKind::Table,
        ApiVersion::V1,
        "callLogs",
        Paging::Offset { max_limit: 50 },
        "Call logs, API v1 /callLogs",
    )
    .id(WVarchar(64))
    .col("user_id", Integer, "User id")
    .col("activity_id", Integer, "Activity id")
    .col("subject", TEXT, "Subject")
    .col("duration", Integer, "Duration in seconds")
    .col(
        "outcome",
        WVarchar(32),
        "connected, no_answer, left_message, left_voicemail, wrong_number or busy",
    )
    .col("from_phone_number", TEXT, "Caller number")
    .required("to_phone_number", TEXT, "Called number")
    .col("start_time", Timestamp, "Start (UTC)")
    .col("end_time", Timestamp, "End (UTC)")
    .col("person_id", Integer, "Person id")
    .col("org_id", Integer, "Organization id")
    .col("deal_id", Integer, "Deal id")
    .col("lead_id", WVarchar(36), "Lead id")
    .col("note", LONG_TEXT, "Note (HTML)")
    .col("has_recording", Bit, "Whether a recording exists")
    .col("company_id", Integer, "Company id")
    .fk("UserId", "Users")
    .fk("PersonId", "Persons")
    .fk("DealId", "Deals")
    .build()
}

pub(super) fn files() -> TableDef {
    TableBuilder::new(
        "Files",
        TableKind::Table,
        ApiVersion::V1,
        "files",
        Paging::Offset { max_limit: 100 },
        "File metadata, API v1 /files",
    )
    .id(Integer)
    .col("user_id", Integer, "Uploader user id")
    .col("deal_id", Integer, "Deal id")
    .col("person_id", Integer, "Person id")
    .col("org_id", Integer, "Organization id")
    .col("product_id", Integer, "Product id")
    .col("activity_id", Integer, "Activity id")
    .col("lead_id", WVarchar(36), "Lead id")
    .col("project_id", Integer, "Project id")
    .col("add_time", Timestamp, "Creation time (UTC)")
    .col("update_time", Timestamp, "Last update time (UTC)")
    .col("file_name", TEXT, "File name")
    .col("file_size", BigInt, "Size in bytes")
    .col("active_flag", Bit, "Whether the file is active")
    .col("inline_flag", Bit, "Whether the file is inline")
    .col("remote_location", TEXT, "Remote location")
    .col("remote_id", TEXT, "Remote id")
    .col("url", TEXT, "Download URL")
    .col("name", TEXT, "Display name")
    .col("description", LONG_TEXT, "Description")
    .fk("DealId", "Deals")
    .fk("PersonId", "Persons")
    .fk("OrgId", "Organizations")
    .sortable(&[("Id", "id"), ("UpdateTime", "update_time")])
    .build()
}
