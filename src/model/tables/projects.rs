//! Projects and their tasks (API v2).

use super::builder::*;
use crate::model::*;
use crate::types::DataType::*;

pub(super) fn projects() -> TableDef {
    TableBuilder::new(
        "Projects",
        TableKind::Table,
        ApiVersion::V2,
        "projects",
        CURSOR_500,
        "Projects, API v2 /projects",
    )
    .id(Integer)
    .required("title", TEXT, "Project title")
    .col("description", LONG_TEXT, "Description")
    .col(
        "status",
        WVarchar(16),
        "open, completed, canceled or deleted",
    )
    .col("board_id", Integer, "Board id")
    .col("phase_id", Integer, "Phase id")
    .col("owner_id", Integer, "Owner user id")
    .col("start_date", Date, "Start date")
    .col("end_date", Date, "End date")
    .column_named(
        "DealIds",
        Source::JoinedArray("deal_ids".into()),
        WVarchar(4000),
        true,
        "Linked deal ids, comma separated",
    )
    .column_named(
        "PersonIds",
        Source::JoinedArray("person_ids".into()),
        WVarchar(4000),
        true,
        "Linked person ids, comma separated",
    )
    .column_named(
        "OrgIds",
        Source::JoinedArray("org_ids".into()),
        WVarchar(4000),
        true,
        "Linked organization ids, comma separated",
    )
    .column_named(
        "LabelIds",
        Source::JoinedArray("label_ids".into()),
        WVarchar(4000),
        true,
        "Label ids, comma separated",
    )
    .col("health_status", Integer, "Health status")
    .required("add_time", Timestamp, "Creation time (UTC)")
    .required("update_time", Timestamp, "Last update time (UTC)")
    .col("status_change_time", Timestamp, "Last status change (UTC)")
    .col("archive_time", Timestamp, "Archive time (UTC)")
    .fk("OwnerId", "Users")
    .push("Status", "status", PushOp::EqList { max: 4 })
    .push("PhaseId", "phase_id", PushOp::Eq)
    .custom_fields("projectFields")
    .build()
}

pub(super) fn tasks() -> TableDef {
    TableBuilder::new(
        "Tasks",
        TableKind::Table,
        ApiVersion::V2,
        "tasks",
        CURSOR_500,
        "Project tasks, API v2 /tasks",
    )
    .id(Integer)
    .required("title", TEXT, "Task title")
    .col("creator_id", Integer, "Creator user id")
    .col("description", LONG_TEXT, "Description")
    .col("project_id", Integer, "Project id")
    .col("is_done", Bit, "Whether the task is done")
    .col("is_milestone", Bit, "Whether the task is a milestone")
    .col("due_date", Date, "Due date")
    .col("start_date", Date, "Start date")
    .col("parent_task_id", Integer, "Parent task id")
    .column_named(
        "AssigneeIds",
        Source::JoinedArray("assignee_ids".into()),
        WVarchar(4000),
        true,
        "Assigned user ids, comma separated",
    )
    .col("priority", Integer, "Priority")
    .required("add_time", Timestamp, "Creation time (UTC)")
    .required("update_time", Timestamp, "Last update time (UTC)")
    .col(
        "marked_as_done_time",
        Timestamp,
        "When it was marked done (UTC)",
    )
    .fk("ProjectId", "Projects")
    .push("ProjectId", "project_id", PushOp::Eq)
    .push("ParentTaskId", "parent_task_id", PushOp::Eq)
    .build()
}
