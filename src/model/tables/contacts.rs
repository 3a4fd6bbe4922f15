//! Deals, persons and organizations (API v2).

use super::builder::*;
use crate::model::*;
use crate::types::DataType::*;

pub(super) fn deals() -> TableDef {
    TableBuilder::new(
        "Deals",
        TableKind::Table,
        ApiVersion::V2,
        "deals",
        CURSOR_500,
        "Deals (API v2 /deals); deleted deals only with Status = 'deleted'",
    )
    .id(Integer)
    .required("title", TEXT, "Deal title")
    .col("owner_id", Integer, "Owner user id")
    .col("person_id", Integer, "Linked person id")
    .col("org_id", Integer, "Linked organization id")
    .col("pipeline_id", Integer, "Pipeline id")
    .col("stage_id", Integer, "Stage id")
    .col("value", Double, "Deal value")
    .col("currency", WVarchar(3), "Currency of the value (ISO 4217)")
    .required("add_time", Timestamp, "Creation time (UTC)")
    .required("update_time", Timestamp, "Last update time (UTC)")
    .col("stage_change_time", Timestamp, "Last stage change (UTC)")
    .col("is_deleted", Bit, "Whether the deal is deleted")
    .col("is_archived", Bit, "Whether the deal is archived")
    .col("status", WVarchar(16), "open, won, lost or deleted")
    .col("probability", Double, "Deal success probability")
    .col("lost_reason", TEXT, "Reason the deal was lost")
    .col("visible_to", Integer, "Visibility setting")
    .col("close_time", Timestamp, "Close time (UTC)")
    .col("won_time", Timestamp, "Won time (UTC)")
    .col("lost_time", Timestamp, "Lost time (UTC)")
    .col("expected_close_date", Date, "Expected close date")
    .column_named(
        "LabelIds",
        Source::JoinedArray("label_ids".into()),
        TEXT,
        true,
        "Label ids, comma separated",
    )
    .col("origin", TEXT, "Where the deal came from")
    .col("origin_id", TEXT, "Origin identifier")
    .col("channel", Integer, "Marketing channel")
    .col("channel_id", TEXT, "Marketing channel identifier")
    .col(
        "source_lead_id",
        WVarchar(36),
        "Lead the deal was converted from",
    )
    .col("arr", Double, "Annual recurring revenue")
    .col("mrr", Double, "Monthly recurring revenue")
    .col("acv", Double, "Annual contract value")
    .fk("OwnerId", "Users")
    .fk("PersonId", "Persons")
    .fk("OrgId", "Organizations")
    .fk("PipelineId", "Pipelines")
    .fk("StageId", "Stages")
    .push("Id", "ids", PushOp::EqList { max: 100 })
    .push("OwnerId", "owner_id", PushOp::Eq)
    .push("PersonId", "person_id", PushOp::Eq)
    .push("OrgId", "org_id", PushOp::Eq)
    .push("PipelineId", "pipeline_id", PushOp::Eq)
    .push("StageId", "stage_id", PushOp::Eq)
    .push("Status", "status", PushOp::EqList { max: 4 })
    .update_time_range()
    .v2_sorts()
    .custom_fields("dealFields")
    .build()
}

pub(super) fn persons() -> TableDef {
    TableBuilder::new(
        "Persons",
        TableKind::Table,
        ApiVersion::V2,
        "persons",
        CURSOR_500,
        "Persons (contacts), API v2 /persons",
    )
    .id(Integer)
    .required("name", TEXT, "Full name")
    .col("first_name", TEXT, "First name")
    .col("last_name", TEXT, "Last name")
    .col("owner_id", Integer, "Owner user id")
    .col("org_id", Integer, "Organization id")
    .required("add_time", Timestamp, "Creation time (UTC)")
    .required("update_time", Timestamp, "Last update time (UTC)")
    .column_named(
        "PrimaryEmail",
        Source::PrimaryValue("emails".into()),
        TEXT,
        true,
        "Primary email address",
    )
    .column_named(
        "PrimaryPhone",
        Source::PrimaryValue("phones".into()),
        TEXT,
        true,
        "Primary phone number",
    )
    .col("is_deleted", Bit, "Whether the person is deleted")
    .col("visible_to", Integer, "Visibility setting")
    .column_named(
        "LabelIds",
        Source::JoinedArray("label_ids".into()),
        TEXT,
        true,
        "Label ids, comma separated",
    )
    .col("picture_id", Integer, "Picture id")
    .col("notes", LONG_TEXT, "Notes (with contact sync)")
    .col("birthday", Date, "Birthday (with contact sync)")
    .col("job_title", TEXT, "Job title (with contact sync)")
    .fk("OwnerId", "Users")
    .fk("OrgId", "Organizations")
    .push("Id", "ids", PushOp::EqList { max: 100 })
    .push("OwnerId", "owner_id", PushOp::Eq)
    .push("OrgId", "org_id", PushOp::Eq)
    .update_time_range()
    .v2_sorts()
    .custom_fields("personFields")
    .build()
}

pub(super) fn organizations() -> TableDef {
    let b = TableBuilder::new(
        "Organizations",
        TableKind::Table,
        ApiVersion::V2,
        "organizations",
        CURSOR_500,
        "Organizations, API v2 /organizations",
    )
    .id(Integer)
    .required("name", TEXT, "Organization name")
    .col("owner_id", Integer, "Owner user id")
    .required("add_time", Timestamp, "Creation time (UTC)")
    .required("update_time", Timestamp, "Last update time (UTC)")
    .col("is_deleted", Bit, "Whether the organization is deleted")
    .col("visible_to", Integer, "Visibility setting");
    address_columns(b, "Address", "address")
        .column_named(
            "LabelIds",
            Source::JoinedArray("label_ids".into()),
            TEXT,
            true,
            "Label ids, comma separated",
        )
        .col("website", TEXT, "Website")
        .col("linkedin", TEXT, "LinkedIn profile")
        .col("industry", Integer, "Industry option id")
        .col("annual_revenue", BigInt, "Annual revenue")
        .col("employee_count", Integer, "Number of employees")
        .fk("OwnerId", "Users")
        .push("Id", "ids", PushOp::EqList { max: 100 })
        .push("OwnerId", "owner_id", PushOp::Eq)
        .update_time_range()
        .v2_sorts()
        .custom_fields("organizationFields")
        .build()
}
