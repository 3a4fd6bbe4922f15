//! Users (API v1: users have no v2 list).

use super::builder::*;
use crate::model::*;
use crate::types::DataType::*;

pub(super) fn users() -> TableDef {
    TableBuilder::new(
        "Users",
        TableKind::Table,
        ApiVersion::V1,
        "users",
        Paging::Unpaged,
        "Users of the company, API v1 /users",
    )
    .id(Integer)
    .required("name", TEXT, "User name")
    .col("default_currency", WVarchar(3), "Default currency")
    .col("locale", WVarchar(16), "Locale")
    .col("lang", Integer, "Language id")
    .col("email", TEXT, "Email address")
    .col("phone", TEXT, "Phone number")
    .col("activated", Bit, "Whether the user is activated")
    .col("last_login", Timestamp, "Last login (UTC)")
    .col("created", Timestamp, "Creation time (UTC)")
    .col("modified", Timestamp, "Last modification (UTC)")
    .col(
        "has_created_company",
        Bit,
        "Whether the user created the company",
    )
    .col("active_flag", Bit, "Whether the user is active")
    .col("timezone_name", TEXT, "Time zone name")
    .col("timezone_offset", WVarchar(8), "Time zone offset")
    .col("role_id", Integer, "Role id")
    .col("icon_url", TEXT, "Icon URL")
    .col("is_you", Bit, "Whether this is the connected user")
    .col("is_deleted", Bit, "Whether the user is deleted")
    .build()
}
