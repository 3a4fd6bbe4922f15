//! Activities (API v2) and activity types (API v1).

use super::builder::*;
use crate::model::*;
use crate::types::DataType::*;

pub(super) fn activities() -> TableDef {
    let b = TableBuilder::new(
        "Activities",
        TableKind::Table,
        ApiVersion::V2,
        "activities",
        CURSOR_500,
        "Activities (calls, meetings, tasks...), API v2 /activities",
    )
    .id(Integer)
    .col("subject", TEXT, "Subject")
    .col(
        "type",
        WVarchar(64),
        "Activity type (ActivityTypes.KeyString)",
    )
    .col("owner_id", Integer, "Owner user id")
    .col("creator_user_id", Integer, "Creator user id")
    .col("is_deleted", Bit, "Whether the activity is deleted")
    .required("add_time", Timestamp, "Creation time (UTC)")
    .required("update_time", Timestamp, "Last update time (UTC)")
    .col("deal_id", Integer, "Linked deal id")
    .col("lead_id", WVarchar(36), "Linked lead id")
    .col("person_id", Integer, "Primary participant person id")
    .col("org_id", Integer, "Linked organization id")
    .col("project_id", Integer, "Linked project id")
    .col("due_date", Date, "Due date")
    .col("due_time", Time, "Due time")
    .col("duration", Time, "Duration (HH:MM:SS)")
    .col("busy", Bit, "Whether the time is marked busy")
    .col("done", Bit, "Whether the activity is done")
    .col(
        "marked_as_done_time",
        Timestamp,
        "When it was marked done (UTC)",
    );
    address_columns(b, "Location", "location")
        .col("conference_meeting_client", TEXT, "Conference client")
        .col("conference_meeting_url", TEXT, "Conference URL")
        .col("conference_meeting_id", TEXT, "Conference meeting id")
        .col("public_description", LONG_TEXT, "Public description")
        .col("priority", Integer, "Priority option id")
        .col("note", LONG_TEXT, "Note (HTML)")
        .fk("OwnerId", "Users")
        .fk("DealId", "Deals")
        .fk("PersonId", "Persons")
        .fk("OrgId", "Organizations")
        .push("Id", "ids", PushOp::EqList { max: 100 })
        .push("OwnerId", "owner_id", PushOp::Eq)
        .push("DealId", "deal_id", PushOp::Eq)
        .push("LeadId", "lead_id", PushOp::Eq)
        .push("PersonId", "person_id", PushOp::Eq)
        .push("OrgId", "org_id", PushOp::Eq)
        .update_time_range()
        .v2_sorts()
        .sortable(&[("DueDate", "due_date")])
        .build()
}

pub(super) fn activity_types() -> TableDef {
    TableBuilder::new(
        "ActivityTypes",
        TableKind::Table,
        ApiVersion::V1,
        "activityTypes",
        Paging::Unpaged,
        "Activity types, API v1 /activityTypes",
    )
    .id(Integer)
    .required("name", TEXT, "Name")
    .col("icon_key", WVarchar(32), "Icon")
    .col("color", WVarchar(6), "Color (hex)")
    .col("order_nr", Integer, "Display order")
    .col("key_string", WVarchar(64), "Key used in Activities.Type")
    .col("active_flag", Bit, "Whether the type is active")
    .col("is_custom_flag", Bit, "Whether the type is custom")
    .col("add_time", Timestamp, "Creation time (UTC)")
    .col("update_time", Timestamp, "Last update time (UTC)")
    .without_get_by_id()
    .build()
}
