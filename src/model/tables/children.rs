//! Child tables: lists the API serves per parent record (comments of a
//! note, products and participants of a deal, followers of an entity,
//! relationships of an organization). Each row carries its parent's id.

use super::builder::*;
use crate::model::*;
use crate::types::DataType::*;

pub(super) fn note_comments() -> TableDef {
    TableBuilder::new(
        "NoteComments",
        TableKind::Table,
        ApiVersion::V1,
        "notes/{id}/comments",
        Paging::Offset { max_limit: 500 },
        "Comments on notes, API v1 /notes/{id}/comments",
    )
    .input("NoteId", "id", Integer, false, "The note commented on")
    .required("uuid", WVarchar(36), "Comment id")
    .col("active_flag", Bit, "Whether the comment is active")
    .col("add_time", Timestamp, "Creation time (UTC)")
    .col("update_time", Timestamp, "Last update time (UTC)")
    .col("content", LONG_TEXT, "Content (HTML)")
    .col("object_id", TEXT, "Id of the object commented on")
    .col(
        "object_type",
        WVarchar(16),
        "Type of the object commented on",
    )
    .col("user_id", Integer, "Author user id")
    .col("updater_id", Integer, "Last editor user id")
    .col("company_id", Integer, "Company id")
    .key("Uuid")
    .fk("UserId", "Users")
    .child_of("Notes", "NoteId", ParentParam::PathSegment)
    .build()
}

pub(super) fn deal_products() -> TableDef {
    TableBuilder::new(
        "DealProducts",
        TableKind::Table,
        ApiVersion::V2,
        "deals/products",
        CURSOR_500,
        "Products attached to deals, API v2 /deals/products (up to 100 deals a request)",
    )
    .id(Integer)
    .required("deal_id", Integer, "Deal id")
    .col("product_id", Integer, "Product id")
    .col("product_variation_id", Integer, "Product variation id")
    .col("name", TEXT, "Product name")
    .col("order_nr", Integer, "Position within the deal")
    .col("item_price", Double, "Unit price")
    .col("quantity", Double, "Quantity")
    .col("discount", Double, "Discount (see DiscountType)")
    .col("discount_type", WVarchar(16), "percentage or amount")
    .col("tax", Double, "Tax percentage")
    .col("tax_method", WVarchar(16), "exclusive, inclusive or none")
    .col("sum", Double, "Line total")
    .col("currency", WVarchar(3), "Currency")
    .col("comments", LONG_TEXT, "Comments")
    .col(
        "is_enabled",
        Bit,
        "Whether the product is enabled for the deal",
    )
    .col(
        "billing_frequency",
        WVarchar(16),
        "one-time, annually, semi-annually, quarterly, monthly or weekly",
    )
    .col(
        "billing_frequency_cycles",
        Integer,
        "Number of billing cycles",
    )
    .col("billing_start_date", Date, "Billing start date")
    .required("add_time", Timestamp, "When the product was attached (UTC)")
    .required("update_time", Timestamp, "Last update time (UTC)")
    .fk("ProductId", "Products")
    .child_of(
        "Deals",
        "DealId",
        ParentParam::QueryList {
            param: "deal_ids",
            max: 100,
        },
    )
    .build()
}

/// `DealFollowers` and the like: v2 `/{entity}/{id}/followers`.
pub(super) fn followers(
    name: &str,
    path: &'static str,
    parent: &'static str,
    parent_column: &'static str,
    what: &str,
) -> TableDef {
    TableBuilder::new(
        name,
        TableKind::Table,
        ApiVersion::V2,
        path,
        CURSOR_500,
        &format!("Users following each {what}, API v2 /{path}"),
    )
    .input(
        parent_column,
        "id",
        Integer,
        false,
        &format!("The {what} followed"),
    )
    .required("user_id", Integer, "Follower user id")
    .col(
        "add_time",
        Timestamp,
        "When the user started following (UTC)",
    )
    .fk("UserId", "Users")
    .child_of(parent, parent_column, ParentParam::PathSegment)
    .build()
}

pub(super) fn deal_participants() -> TableDef {
    TableBuilder::new(
        "DealParticipants",
        TableKind::Table,
        ApiVersion::V1,
        "deals/{id}/participants",
        Paging::Offset { max_limit: 500 },
        "Persons participating in each deal, API v1 /deals/{id}/participants",
    )
    .input("DealId", "id", Integer, false, "The deal")
    .id(Integer)
    .nested(
        "PersonId",
        &["person_id", "value"],
        Integer,
        "Participant person id",
    )
    .nested("PersonName", &["person", "name"], TEXT, "Participant name")
    .col(
        "add_time",
        Timestamp,
        "When the participant was added (UTC)",
    )
    .col("active_flag", Bit, "Whether the participant is active")
    .col(
        "related_item_type",
        WVarchar(16),
        "Type of the related item",
    )
    .col("related_item_id", Integer, "Id of the related item")
    .fk("PersonId", "Persons")
    .child_of("Deals", "DealId", ParentParam::PathSegment)
    .build()
}

pub(super) fn organization_relationships() -> TableDef {
    TableBuilder::new(
        "OrganizationRelationships",
        TableKind::Table,
        ApiVersion::V1,
        "organizationRelationships",
        Paging::Unpaged,
        "Relationships of each organization (a relationship appears under both of its organizations), API v1 /organizationRelationships",
    )
    .input(
        "OrgId",
        "org_id",
        Integer,
        false,
        "The organization whose relationships these are",
    )
    .id(Integer)
    .col("type", WVarchar(16), "parent or related")
    .nested(
        "RelOwnerOrgId",
        &["rel_owner_org_id", "value"],
        Integer,
        "Owner (parent) organization id",
    )
    .nested(
        "RelLinkedOrgId",
        &["rel_linked_org_id", "value"],
        Integer,
        "Linked (daughter or related) organization id",
    )
    .col(
        "calculated_type",
        WVarchar(16),
        "The relationship seen from OrgId: parent, daughter or related",
    )
    .col(
        "calculated_related_org_id",
        Integer,
        "The other organization, seen from OrgId",
    )
    .col(
        "related_organization_name",
        TEXT,
        "Name of the other organization",
    )
    .col("active_flag", Bit, "Whether the relationship is active")
    .col("add_time", Timestamp, "Creation time (UTC)")
    .col("update_time", Timestamp, "Last update time (UTC)")
    .fk("RelOwnerOrgId", "Organizations")
    .fk("RelLinkedOrgId", "Organizations")
    .fk("CalculatedRelatedOrgId", "Organizations")
    .child_of("Organizations", "OrgId", ParentParam::Query("org_id"))
    .build()
}
