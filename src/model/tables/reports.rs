//! Goals and the deals timeline (API v1): answers computed from query
//! parameters, whose required parameters are input columns with defaults.

use super::builder::*;
use crate::model::*;
use crate::types::DataType::*;

pub(super) fn goals() -> TableDef {
    TableBuilder::new(
        "Goals",
        TableKind::Table,
        ApiVersion::V1,
        "goals/find",
        Paging::Unpaged,
        "Goals, API v1 /goals/find: the goals the API returns without filters (the connected user's scope); only active ones unless the WHERE clause says IsActive = 0",
    )
    .records_at(RecordsAt::DataField("goals"))
    .id(WVarchar(64))
    .without_get_by_id()
    .col("owner_id", Integer, "Creator user id")
    .col("title", TEXT, "Title")
    .nested(
        "TypeName",
        &["type", "name"],
        WVarchar(32),
        "deals_won, deals_progressed, activities_completed, activities_added or deals_started",
    )
    .column_named(
        "PipelineIds",
        Source::JoinedArray("type.params.pipeline_id".into()),
        TEXT,
        true,
        "Pipeline ids of the goal, comma separated",
    )
    .column_named(
        "ActivityTypeIds",
        Source::JoinedArray("type.params.activity_type_id".into()),
        TEXT,
        true,
        "Activity type ids of the goal, comma separated",
    )
    .nested(
        "StageId",
        &["type", "params", "stage_id"],
        Integer,
        "Stage id (deals_progressed goals)",
    )
    .nested(
        "AssigneeId",
        &["assignee", "id"],
        Integer,
        "Assignee id (user, team or company)",
    )
    .nested(
        "AssigneeType",
        &["assignee", "type"],
        WVarchar(16),
        "person, company or team",
    )
    .col(
        "interval",
        WVarchar(16),
        "weekly, monthly, quarterly or yearly",
    )
    .nested("DurationStart", &["duration", "start"], Date, "Start date")
    .nested("DurationEnd", &["duration", "end"], Date, "End date")
    .nested(
        "Target",
        &["expected_outcome", "target"],
        Double,
        "Numeric target",
    )
    .nested(
        "TrackingMetric",
        &["expected_outcome", "tracking_metric"],
        WVarchar(16),
        "quantity or sum",
    )
    .nested(
        "CurrencyId",
        &["expected_outcome", "currency_id"],
        Integer,
        "Currency id of a sum target",
    )
    .col("is_active", Bit, "Whether the goal is active")
    .column_named(
        "ReportIds",
        Source::JoinedArray("report_ids".into()),
        TEXT,
        true,
        "Report ids, comma separated",
    )
    .fk("OwnerId", "Users")
    .input_default("IsActive", "is_active", InputDefault::Text("true"))
    .build()
}

/// The input columns every timeline view has: the required parameters of
/// `/deals/timeline`, pushed from `=` in the WHERE clause or defaulted.
fn timeline_inputs(b: TableBuilder) -> TableBuilder {
    b.input(
        "StartDate",
        "start_date",
        Date,
        false,
        "Input: first day of the first period (default the first day of the month 11 months ago: with the other defaults, the last 12 months)",
    )
    .input(
        "IntervalType",
        "interval",
        WVarchar(8),
        false,
        "Input: day, week, month or quarter (default month)",
    )
    .input(
        "Amount",
        "amount",
        Integer,
        false,
        "Input: number of periods (default 12)",
    )
    .input(
        "FieldKey",
        "field_key",
        WVarchar(64),
        false,
        "Input: the date field deals are placed by (default add_time)",
    )
    .input_default("StartDate", "start_date", InputDefault::FirstOfMonthMonthsAgo(11))
    .input_default("IntervalType", "interval", InputDefault::Text("month"))
    .input_default("Amount", "amount", InputDefault::Text("12"))
    .input_default("FieldKey", "field_key", InputDefault::Text("add_time"))
    .col("period_start", Timestamp, "Start of the period")
    .col("period_end", Timestamp, "End of the period")
}

/// `UserId` and `PipelineId` inputs of the totals views: NULL = all.
fn timeline_scope(b: TableBuilder) -> TableBuilder {
    b.input(
        "UserId",
        "user_id",
        Integer,
        true,
        "Input: only deals of this owner (NULL = all owners)",
    )
    .input(
        "PipelineId",
        "pipeline_id",
        Integer,
        true,
        "Input: only deals of this pipeline (NULL = all pipelines)",
    )
    .push("UserId", "user_id", PushOp::Eq)
    .push("PipelineId", "pipeline_id", PushOp::Eq)
}

pub(super) fn deals_timeline() -> TableDef {
    let b = TableBuilder::new(
        "DealsTimeline",
        TableKind::View,
        ApiVersion::V1,
        "deals/timeline",
        Paging::Unpaged,
        "Open and won deal counts per period, API v1 /deals/timeline (inputs StartDate, IntervalType, Amount, FieldKey, UserId, PipelineId)",
    )
    .records_at(RecordsAt::DataObject)
    .fixed("exclude_deals", "1");
    timeline_scope(timeline_inputs(b))
        .nested(
            "DealCount",
            &["totals", "count"],
            Integer,
            "Deals in the period",
        )
        .nested(
            "OpenCount",
            &["totals", "open_count"],
            Integer,
            "Open deals in the period",
        )
        .nested(
            "WonCount",
            &["totals", "won_count"],
            Integer,
            "Won deals in the period",
        )
        .build()
}

pub(super) fn deals_timeline_totals() -> TableDef {
    let b = TableBuilder::new(
        "DealsTimelineTotals",
        TableKind::View,
        ApiVersion::V1,
        "deals/timeline",
        Paging::Unpaged,
        "Deal values per period and currency, API v1 /deals/timeline (inputs as DealsTimeline)",
    )
    .records_at(RecordsAt::DataObject)
    .rows(RowShape::PerMapEntry("totals.values"))
    .fixed("exclude_deals", "1");
    timeline_scope(timeline_inputs(b))
        .column_named(
            "Currency",
            Source::EntryKey,
            WVarchar(3),
            false,
            "Currency of the totals",
        )
        .element("Value", &[], Double, "Total value of the period's deals")
        .column_named(
            "WeightedValue",
            Source::SiblingEntry(vec!["totals".into(), "weighted_values".into()]),
            Double,
            true,
            "Total weighted by probability",
        )
        .column_named(
            "OpenValue",
            Source::SiblingEntry(vec!["totals".into(), "open_values".into()]),
            Double,
            true,
            "Total of open deals (NULL: none)",
        )
        .column_named(
            "WeightedOpenValue",
            Source::SiblingEntry(vec!["totals".into(), "weighted_open_values".into()]),
            Double,
            true,
            "Weighted total of open deals (NULL: none)",
        )
        .column_named(
            "WonValue",
            Source::SiblingEntry(vec!["totals".into(), "won_values".into()]),
            Double,
            true,
            "Total of won deals (NULL: none)",
        )
        .build()
}

pub(super) fn deals_timeline_deals() -> TableDef {
    let b = TableBuilder::new(
        "DealsTimelineDeals",
        TableKind::View,
        ApiVersion::V1,
        "deals/timeline",
        Paging::Unpaged,
        "The deals of each timeline period, API v1 /deals/timeline (inputs StartDate, IntervalType, Amount, FieldKey)",
    )
    .records_at(RecordsAt::DataObject)
    .rows(RowShape::PerArrayElement("deals"));
    timeline_inputs(b)
        .element("DealId", &["id"], Integer, "Deal id")
        .element("Title", &["title"], TEXT, "Deal title")
        .element("Value", &["value"], Double, "Deal value")
        .element("Currency", &["currency"], WVarchar(3), "Currency")
        .element(
            "WeightedValue",
            &["weighted_value"],
            Double,
            "Value weighted by probability",
        )
        .element("Status", &["status"], WVarchar(16), "open, won or lost")
        .element("OwnerId", &["user_id"], Integer, "Owner user id")
        .element("PersonId", &["person_id"], Integer, "Person id")
        .element("OrgId", &["org_id"], Integer, "Organization id")
        .element("PipelineId", &["pipeline_id"], Integer, "Pipeline id")
        .element("StageId", &["stage_id"], Integer, "Stage id")
        .element("AddTime", &["add_time"], Timestamp, "Creation time (UTC)")
        .element(
            "UpdateTime",
            &["update_time"],
            Timestamp,
            "Last update time (UTC)",
        )
        .element("CloseTime", &["close_time"], Timestamp, "Close time (UTC)")
        .element("WonTime", &["won_time"], Timestamp, "Won time (UTC)")
        .element("LostTime", &["lost_time"], Timestamp, "Lost time (UTC)")
        .element(
            "ExpectedCloseDate",
            &["expected_close_date"],
            Date,
            "Expected close date",
        )
        .fk("DealId", "Deals")
        .fk("OwnerId", "Users")
        .push("OwnerId", "user_id", PushOp::Eq)
        .push("PipelineId", "pipeline_id", PushOp::Eq)
        .build()
}
