//! Leads, lead labels and lead sources (API v1).

use super::builder::*;
use crate::model::*;
use crate::types::DataType::*;

const UUID: crate::types::DataType = WVarchar(36);

pub(super) fn leads() -> TableDef {
    TableBuilder::new(
        "Leads",
        TableKind::Table,
        ApiVersion::V1,
        "leads",
        Paging::Offset { max_limit: 500 },
        "Leads (not archived), API v1 /leads",
    )
    .id(UUID)
    .required("title", TEXT, "Lead title")
    .col("owner_id", Integer, "Owner user id")
    .col("creator_id", Integer, "Creator user id")
    .column_named(
        "LabelIds",
        Source::JoinedArray("label_ids".into()),
        WVarchar(4000),
        true,
        "Lead label ids, comma separated",
    )
    .col("person_id", Integer, "Person id")
    .col("organization_id", Integer, "Organization id")
    .col("source_name", TEXT, "Source")
    .col("origin", TEXT, "Origin")
    .col("origin_id", TEXT, "Origin id")
    .col("channel", Integer, "Marketing channel")
    .col("channel_id", TEXT, "Marketing channel id")
    .col("source_deal_id", Integer, "Deal the lead came from")
    .col("is_archived", Bit, "Whether the lead is archived")
    .col("was_seen", Bit, "Whether the lead was seen")
    .nested(
        "ValueAmount",
        &["value", "amount"],
        Double,
        "Potential value",
    )
    .nested(
        "ValueCurrency",
        &["value", "currency"],
        WVarchar(3),
        "Currency of the value",
    )
    .col("expected_close_date", Date, "Expected close date")
    .col("next_activity_id", Integer, "Next activity id")
    .col("add_time", Timestamp, "Creation time (UTC)")
    .col("update_time", Timestamp, "Last update time (UTC)")
    .col("visible_to", WVarchar(8), "Visibility setting")
    .col("cc_email", TEXT, "BCC email address")
    .fk("OwnerId", "Users")
    .fk("PersonId", "Persons")
    .fk("OrganizationId", "Organizations")
    .push("OwnerId", "owner_id", PushOp::Eq)
    .push("PersonId", "person_id", PushOp::Eq)
    .push("OrganizationId", "organization_id", PushOp::Eq)
    .push("UpdateTime", "updated_since", PushOp::AtLeast)
    .custom_fields_at("dealFields", CustomRoot::TopLevel)
    .build()
}

pub(super) fn lead_labels() -> TableDef {
    TableBuilder::new(
        "LeadLabels",
        TableKind::Table,
        ApiVersion::V1,
        "leadLabels",
        Paging::Unpaged,
        "Lead labels, API v1 /leadLabels",
    )
    .id(UUID)
    .required("name", TEXT, "Label name")
    .col("color", WVarchar(16), "Color")
    .col("add_time", Timestamp, "Creation time (UTC)")
    .col("update_time", Timestamp, "Last update time (UTC)")
    .without_get_by_id()
    .build()
}

pub(super) fn lead_sources() -> TableDef {
    let mut b = TableBuilder::new(
        "LeadSources",
        TableKind::View,
        ApiVersion::V1,
        "leadSources",
        Paging::Unpaged,
        "Lead sources, API v1 /leadSources",
    )
    .required("name", TEXT, "Source name");
    b.def.primary_key = Some("Name".into());
    b.build()
}
