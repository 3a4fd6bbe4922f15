//! The built-in tables, one entry each. Column lists follow the response
//! schemas of Pipedrive's OpenAPI documents (API v2 where the entity has it,
//! v1 otherwise); SQL names are the API names in PascalCase.

use super::*;
use crate::types::DataType::{self, *};

const TEXT: DataType = WVarchar(255);
const LONG_TEXT: DataType = WLongVarchar;
const CURSOR_500: Paging = Paging::Cursor { max_limit: 500 };

/// A compact way to declare a table's columns.
struct TableBuilder {
    def: TableDef,
}

impl TableBuilder {
    fn new(
        name: &str,
        kind: TableKind,
        version: ApiVersion,
        path: &'static str,
        paging: Paging,
        description: &str,
    ) -> Self {
        TableBuilder {
            def: TableDef {
                name: name.to_string(),
                kind,
                description: description.to_string(),
                endpoint: Endpoint {
                    version,
                    path,
                    paging,
                    get_by_id: false,
                },
                columns: Vec::new(),
                primary_key: None,
                foreign_keys: Vec::new(),
                pushdown: Vec::new(),
                fixed_params: Vec::new(),
                custom_fields: None,
            },
        }
    }

    /// The record's `id`, the primary key, fetched alone with `GET path/{id}`.
    fn id(mut self, data_type: DataType) -> Self {
        self.def.endpoint.get_by_id = true;
        self.def.primary_key = Some("Id".into());
        self.column_named(
            "Id",
            Source::field("id"),
            data_type,
            false,
            "Unique identifier",
        )
    }

    fn col(self, api_name: &str, data_type: DataType, description: &str) -> Self {
        self.column_named(
            &pascal_case(api_name),
            Source::field(api_name),
            data_type,
            true,
            description,
        )
    }

    fn required(mut self, api_name: &str, data_type: DataType, description: &str) -> Self {
        self = self.col(api_name, data_type, description);
        if let Some(last) = self.def.columns.last_mut() {
            last.nullable = false;
        }
        self
    }

    fn nested(self, name: &str, path: &[&str], data_type: DataType, description: &str) -> Self {
        let path = path.iter().map(|s| s.to_string()).collect();
        self.column_named(name, Source::Path(path), data_type, true, description)
    }

    fn column_named(
        mut self,
        name: &str,
        source: Source,
        data_type: DataType,
        nullable: bool,
        description: &str,
    ) -> Self {
        self.def.columns.push(ColumnDef {
            name: name.to_string(),
            source,
            data_type,
            nullable,
            description: description.to_string(),
        });
        self
    }

    fn fk(mut self, column: &str, ref_table: &str) -> Self {
        self.def.foreign_keys.push(ForeignKey {
            column: column.into(),
            ref_table: ref_table.into(),
            ref_column: "Id".into(),
        });
        self
    }

    fn push(mut self, column: &'static str, param: &'static str, op: PushOp) -> Self {
        self.def.pushdown.push(PushdownFilter { column, param, op });
        self
    }

    /// `updated_since` (>=) and `updated_until` (<) on UpdateTime, which every
    /// v2 entity list accepts.
    fn update_time_range(self) -> Self {
        self.push("UpdateTime", "updated_since", PushOp::AtLeast)
            .push("UpdateTime", "updated_until", PushOp::Below)
    }

    /// Custom fields of this entity come from the given v2 `*Fields` list.
    fn custom_fields(mut self, path: &'static str) -> Self {
        self.def.custom_fields = Some(Endpoint {
            version: ApiVersion::V2,
            path,
            paging: CURSOR_500,
            get_by_id: false,
        });
        self
    }

    fn build(self) -> TableDef {
        self.def
    }
}

fn address_columns(b: TableBuilder, prefix: &str, key: &str) -> TableBuilder {
    let parts = [
        ("", "value"),
        ("Country", "country"),
        ("AdminAreaLevel1", "admin_area_level_1"),
        ("AdminAreaLevel2", "admin_area_level_2"),
        ("Locality", "locality"),
        ("Sublocality", "sublocality"),
        ("Route", "route"),
        ("StreetNumber", "street_number"),
        ("Subpremise", "subpremise"),
        ("PostalCode", "postal_code"),
    ];
    parts.iter().fold(b, |b, (suffix, part)| {
        let name = format!("{prefix}{suffix}");
        let what = if suffix.is_empty() {
            "full address".to_string()
        } else {
            format!("address part {part}")
        };
        b.nested(&name, &[key, part], TEXT, &what)
    })
}

fn deals() -> TableDef {
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
    .col("add_time", Timestamp, "Creation time (UTC)")
    .col("update_time", Timestamp, "Last update time (UTC)")
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
    .custom_fields("dealFields")
    .build()
}

fn persons() -> TableDef {
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
    .col("add_time", Timestamp, "Creation time (UTC)")
    .col("update_time", Timestamp, "Last update time (UTC)")
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
    .custom_fields("personFields")
    .build()
}

fn organizations() -> TableDef {
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
    .col("add_time", Timestamp, "Creation time (UTC)")
    .col("update_time", Timestamp, "Last update time (UTC)")
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
        .custom_fields("organizationFields")
        .build()
}

fn pipelines() -> TableDef {
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
    .col("add_time", Timestamp, "Creation time (UTC)")
    .col("update_time", Timestamp, "Last update time (UTC)")
    .build()
}

fn stages() -> TableDef {
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
    .col("add_time", Timestamp, "Creation time (UTC)")
    .col("update_time", Timestamp, "Last update time (UTC)")
    .fk("PipelineId", "Pipelines")
    .push("PipelineId", "pipeline_id", PushOp::Eq)
    .build()
}

fn users() -> TableDef {
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

/// `DealFields`, `PersonFields`, `OrganizationFields`: the v2 field lists.
fn field_table(name: &str, path: &'static str, entity: &str) -> TableDef {
    let mut b = TableBuilder::new(
        name,
        TableKind::Table,
        ApiVersion::V2,
        path,
        CURSOR_500,
        &format!("Field definitions of {entity}, API v2 /{path}"),
    )
    .required(
        "field_code",
        WVarchar(64),
        "Field code (the key in records; 40 hex characters for custom fields)",
    )
    .required("field_name", TEXT, "Display name")
    .col("description", LONG_TEXT, "Description")
    .required(
        "field_type",
        WVarchar(32),
        "Field type (varchar, enum, monetary, ...)",
    )
    .col(
        "is_custom_field",
        Bit,
        "Whether the field is a custom field",
    )
    .col(
        "is_optional_response_field",
        Bit,
        "Whether the field is returned only on request",
    )
    .column_named(
        "OptionCount",
        Source::ArrayLength("options".into()),
        Integer,
        true,
        "Number of options (enum and set fields)",
    );
    b.def.primary_key = Some("FieldCode".into());
    b.build()
}

pub fn builtin_tables() -> Vec<TableDef> {
    vec![
        deals(),
        persons(),
        organizations(),
        pipelines(),
        stages(),
        users(),
        field_table("DealFields", "dealFields", "deals"),
        field_table("PersonFields", "personFields", "persons"),
        field_table("OrganizationFields", "organizationFields", "organizations"),
    ]
}
