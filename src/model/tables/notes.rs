//! Notes (API v1).

use super::builder::*;
use crate::model::*;
use crate::types::DataType::*;

pub(super) fn notes() -> TableDef {
    TableBuilder::new(
        "Notes",
        TableKind::Table,
        ApiVersion::V1,
        "notes",
        Paging::Offset { max_limit: 500 },
        "Notes on deals, persons, organizations, leads and projects, API v1 /notes",
    )
    .id(Integer)
    .required("content", LONG_TEXT, "Content (HTML)")
    .col("active_flag", Bit, "Whether the note is active")
    .col("add_time", Timestamp, "Creation time (UTC)")
    .col("update_time", Timestamp, "Last update time (UTC)")
    .col("deal_id", Integer, "Deal id")
    .col("lead_id", WVarchar(36), "Lead id")
    .col("person_id", Integer, "Person id")
    .col("org_id", Integer, "Organization id")
    .col("project_id", Integer, "Project id")
    .col("task_id", Integer, "Task id")
    .col("user_id", Integer, "Author user id")
    .col("last_update_user_id", Integer, "Last editor user id")
    .col("pinned_to_deal_flag", Bit, "Pinned to the deal")
    .col(
        "pinned_to_organization_flag",
        Bit,
        "Pinned to the organization",
    )
    .col("pinned_to_person_flag", Bit, "Pinned to the person")
    .col("pinned_to_project_flag", Bit, "Pinned to the project")
    .col("pinned_to_task_flag", Bit, "Pinned to the task")
    .fk("DealId", "Deals")
    .fk("PersonId", "Persons")
    .fk("OrgId", "Organizations")
    .fk("UserId", "Users")
    .push("UserId", "user_id", PushOp::Eq)
    .push("DealId", "deal_id", PushOp::Eq)
    .push("LeadId", "lead_id", PushOp::Eq)
    .push("PersonId", "person_id", PushOp::Eq)
    .push("OrgId", "org_id", PushOp::Eq)
    .push("ProjectId", "project_id", PushOp::Eq)
    .push("TaskId", "task_id", PushOp::Eq)
    .push("UpdateTime", "updated_since", PushOp::AtLeast)
    .build()
}
