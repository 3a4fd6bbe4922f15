//! Arrays inside entity records as rows of their own, so a user can filter
//! and join on them: email addresses, phone numbers, label ids, prices.
//! Each view lists the entity's records and yields one row per element.

use super::builder::*;
use crate::model::*;
use crate::types::DataType::{self, *};

/// One row per element of `array` in the records of a v2 entity list,
/// keyed by the entity's id (pushed as `ids`).
fn element_view(
    name: &str,
    entity_path: &'static str,
    entity_table: &str,
    id_column: &'static str,
    array: &'static str,
    description: &str,
) -> TableBuilder {
    TableBuilder::new(
        name,
        TableKind::View,
        ApiVersion::V2,
        entity_path,
        CURSOR_500,
        description,
    )
    .rows(RowShape::PerArrayElement(array))
    .required("id", Integer, "placeholder")
    .renamed_last(id_column, &format!("The {entity_table} record"))
    .fk(id_column, entity_table)
    .push(id_column, "ids", PushOp::EqList { max: 100 })
}

fn contact_points(name: &str, array: &'static str, what: &str) -> TableDef {
    element_view(
        name,
        "persons",
        "Persons",
        "PersonId",
        array,
        &format!("Every {what} of each person (API v2 /persons `{array}`)"),
    )
    .element("Value", &["value"], TEXT, what)
    .element(
        "Label",
        &["label"],
        WVarchar(32),
        "work, home, mobile, other...",
    )
    .element(
        "Primary",
        &["primary"],
        Bit,
        "Whether it is the primary one",
    )
    .push("OwnerId", "owner_id", PushOp::Eq)
    .push("OrgId", "org_id", PushOp::Eq)
    .col("owner_id", Integer, "Owner user id of the person")
    .col("org_id", Integer, "Organization id of the person")
    .build()
}

pub(super) fn person_emails() -> TableDef {
    contact_points("PersonEmails", "emails", "email address")
}

pub(super) fn person_phones() -> TableDef {
    contact_points("PersonPhones", "phones", "phone number")
}

/// `DealLabels` and the like: one row per label id of each record.
pub(super) fn labels(
    name: &str,
    entity_path: &'static str,
    entity_table: &str,
    id_column: &'static str,
    label_type: DataType,
) -> TableDef {
    element_view(
        name,
        entity_path,
        entity_table,
        id_column,
        "label_ids",
        &format!("Label ids of each {entity_table} record (API v2 /{entity_path} `label_ids`)"),
    )
    .element("LabelId", &[], label_type, "Label id")
    .build()
}

pub(super) fn product_prices() -> TableDef {
    element_view(
        "ProductPrices",
        "products",
        "Products",
        "ProductId",
        "prices",
        "Prices of each product per currency (API v2 /products `prices`)",
    )
    .element("Currency", &["currency"], WVarchar(3), "Currency")
    .element("Price", &["price"], Double, "Price")
    .element("Cost", &["cost"], Double, "Cost")
    .element("DirectCost", &["direct_cost"], Double, "Direct cost")
    .element("Notes", &["notes"], TEXT, "Notes about the price")
    .build()
}
