//! Pipelines and their stages (API v2).

use super::builder::*;
use crate::model::*;
use crate::types::DataType::*;

pub(super) fn pipelines() -> TableDef {
    TableBuilder::new(
        "Pipelines",
        TableKind::Table,
        ApiVersion::V2,
        "pipelines",
        CURSOR_500,
        "Sales pipelines, API v2 /pipelines",
    )
    .id(Integer)
    .required("name", TEXT, "Pipeline name")
    .col("order_nr", Integer, "Display order")
    .col("is_deleted", Bit, "Whether the pipeline is deleted")
    .col(
        "is_deal_probability_enabled",
        Bit,
        "Whether deal probability is used",
    )
    .required("add_time", Timestamp, "Creation time (UTC)")
    .required("update_time", Timestamp, "Last update time (UTC)")
    .v2_sorts()
    .build()
}

pub(super) fn stages() -> TableDef {
    TableBuilder::new(
        "Stages",
        TableKind::Table,
        ApiVersion::V2,
        "stages",
        CURSOR_500,
        "Pipeline stages, API v2 /stages",
    )
    .id(Integer)
    .col("order_nr", Integer, "Order within the pipeline")
    .required("name", TEXT, "Stage name")
    .col("is_deleted", Bit, "Whether the stage is deleted")
    .col(
        "deal_probability",
        Integer,
        "Deal success probability of the stage",
    )
    .col("pipeline_id", Integer, "Pipeline id")
    .col(
        "is_deal_rot_enabled",
        Bit,
        "Whether deals rot in this stage",
    )
    .col("days_to_rotten", Integer, "Days until a deal rots")
    .required("add_time", Timestamp, "Creation time (UTC)")
    .required("update_time", Timestamp, "Last update time (UTC)")
    .fk("PipelineId", "Pipelines")
    .push("PipelineId", "pipeline_id", PushOp::Eq)
    .v2_sorts()
    .sortable(&[("OrderNr", "order_nr")])
    .build()
}
