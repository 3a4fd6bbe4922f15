//! Products (API v2).

use super::builder::*;
use crate::model::*;
use crate::types::DataType::*;

pub(super) fn products() -> TableDef {
    TableBuilder::new(
        "Products",
        TableKind::Table,
        ApiVersion::V2,
        "products",
        CURSOR_500,
        "Products, API v2 /products",
    )
    .id(Integer)
    .required("name", TEXT, "Product name")
    .col("code", TEXT, "Product code")
    .col("unit", WVarchar(64), "Unit")
    .col("tax", Double, "Tax percentage")
    .col("is_deleted", Bit, "Whether the product is deleted")
    .col("is_linkable", Bit, "Whether it can be added to deals")
    .col("visible_to", Integer, "Visibility setting")
    .col("owner_id", Integer, "Owner user id")
    .required("add_time", Timestamp, "Creation time (UTC)")
    .required("update_time", Timestamp, "Last update time (UTC)")
    .col("description", LONG_TEXT, "Description")
    .col("category", TEXT, "Category")
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
    .fk("OwnerId", "Users")
    .push("Id", "ids", PushOp::EqList { max: 100 })
    .push("OwnerId", "owner_id", PushOp::Eq)
    .push("UpdateTime", "updated_since", PushOp::AtLeast)
    .custom_fields("productFields")
    .v2_sorts()
    .sortable(&[("Name", "name")])
    .build()
}
