//! Which tables accept INSERT, UPDATE and DELETE, through which endpoints,
//! and which columns a write may set. The field lists are the request
//! bodies of Pipedrive's OpenAPI documents (API v2 where the entity has
//! write endpoints there, v1 otherwise), so a column is writable exactly
//! when the API accepts its field.

use super::{ApiVersion, ColumnDef, CustomRoot, CustomShape, Source, TableDef};

/// How an existing record is changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateMethod {
    /// v2 (and a few v1 endpoints): only the fields sent change.
    Patch,
    /// v1: `PUT path/{id}`; Pipedrive also changes only the fields sent.
    Put,
}

impl UpdateMethod {
    pub fn http_name(self) -> &'static str {
        match self {
            UpdateMethod::Patch => "PATCH",
            UpdateMethod::Put => "PUT",
        }
    }
}

/// The write endpoints of one table and the fields their bodies accept.
#[derive(Debug)]
pub struct WriteSpec {
    pub table: &'static str,
    pub version: ApiVersion,
    /// `POST path`, `PATCH|PUT path/{id}`, `DELETE path/{id}`.
    pub path: &'static str,
    /// Fields of the create body; `None`: the table takes no INSERT.
    pub create: Option<&'static [&'static str]>,
    /// The update method and the fields of its body; `None`: no UPDATE.
    pub update: Option<(UpdateMethod, &'static [&'static str])>,
    pub delete: bool,
    /// Fields the create body requires (the spec's `required`).
    pub required: &'static [&'static str],
    /// Where the record's fields and the body's fields are named
    /// differently: (record field, body field).
    pub renames: &'static [(&'static str, &'static str)],
    /// Whether custom-field columns are writable (the body has
    /// `custom_fields` in v2, top-level keys in v1).
    pub custom_fields: bool,
}

const DEAL_FIELDS: &[&str] = &[
    "title",
    "owner_id",
    "person_id",
    "org_id",
    "pipeline_id",
    "stage_id",
    "value",
    "currency",
    "is_deleted",
    "is_archived",
    "archive_time",
    "status",
    "probability",
    "lost_reason",
    "visible_to",
    "close_time",
    "won_time",
    "lost_time",
    "expected_close_date",
    "label_ids",
];
const PERSON_CREATE: &[&str] = &[
    "name",
    "owner_id",
    "org_id",
    "add_time",
    "emails",
    "phones",
    "visible_to",
    "label_ids",
    "notes",
    "birthday",
    "job_title",
];
const PERSON_UPDATE: &[&str] = &[
    "name",
    "owner_id",
    "org_id",
    "emails",
    "phones",
    "visible_to",
    "label_ids",
    "notes",
    "birthday",
    "job_title",
];
const ORGANIZATION_CREATE: &[&str] = &[
    "name",
    "owner_id",
    "add_time",
    "visible_to",
    "label_ids",
    "address",
    "website",
    "linkedin",
    "industry",
    "annual_revenue",
    "employee_count",
];
const ORGANIZATION_UPDATE: &[&str] = &[
    "name",
    "owner_id",
    "visible_to",
    "label_ids",
    "address",
    "website",
    "linkedin",
    "industry",
    "annual_revenue",
    "employee_count",
];
const ACTIVITY_FIELDS: &[&str] = &[
    "subject",
    "type",
    "owner_id",
    "deal_id",
    "lead_id",
    "person_id",
    "org_id",
    "project_id",
    "due_date",
    "due_time",
    "duration",
    "busy",
    "done",
    "location",
    "public_description",
    "priority",
    "note",
];
const PRODUCT_FIELDS: &[&str] = &[
    "name",
    "code",
    "description",
    "unit",
    "tax",
    "category",
    "owner_id",
    "is_linkable",
    "visible_to",
    "billing_frequency",
    "billing_frequency_cycles",
];
const PIPELINE_FIELDS: &[&str] = &["name", "is_deal_probability_enabled"];
const STAGE_FIELDS: &[&str] = &[
    "name",
    "pipeline_id",
    "deal_probability",
    "is_deal_rot_enabled",
    "days_to_rotten",
];
const PROJECT_FIELDS: &[&str] = &[
    "title",
    "description",
    "status",
    "board_id",
    "phase_id",
    "owner_id",
    "start_date",
    "end_date",
    "deal_ids",
    "person_ids",
    "org_ids",
    "label_ids",
    "health_status",
];
const TASK_FIELDS: &[&str] = &[
    "title",
    "project_id",
    "parent_task_id",
    "description",
    "done",
    "milestone",
    "due_date",
    "start_date",
    "assignee_ids",
    "priority",
];
const NOTE_FIELDS: &[&str] = &[
    "content",
    "lead_id",
    "deal_id",
    "person_id",
    "org_id",
    "project_id",
    "task_id",
    "user_id",
    "add_time",
    "pinned_to_deal_flag",
    "pinned_to_organization_flag",
    "pinned_to_person_flag",
    "pinned_to_project_flag",
    "pinned_to_task_flag",
];
const LEAD_CREATE: &[&str] = &[
    "title",
    "owner_id",
    "label_ids",
    "person_id",
    "organization_id",
    "value",
    "expected_close_date",
    "visible_to",
    "was_seen",
    "origin_id",
    "channel",
    "channel_id",
];
const LEAD_UPDATE: &[&str] = &[
    "title",
    "owner_id",
    "label_ids",
    "person_id",
    "organization_id",
    "is_archived",
    "value",
    "expected_close_date",
    "visible_to",
    "was_seen",
    "channel",
    "channel_id",
];
const CALL_LOG_FIELDS: &[&str] = &[
    "user_id",
    "activity_id",
    "subject",
    "duration",
    "outcome",
    "from_phone_number",
    "to_phone_number",
    "start_time",
    "end_time",
    "person_id",
    "org_id",
    "deal_id",
    "lead_id",
    "note",
];
const WEBHOOK_FIELDS: &[&str] = &[
    "subscription_url",
    "event_action",
    "event_object",
    "name",
    "user_id",
    "http_auth_user",
    "version",
];

static SPECS: &[WriteSpec] = &[
    WriteSpec {
        table: "Deals",
        version: ApiVersion::V2,
        path: "deals",
        create: Some(DEAL_FIELDS),
        update: Some((UpdateMethod::Patch, DEAL_FIELDS)),
        delete: true,
        required: &["title"],
        renames: &[],
        custom_fields: true,
    },
    WriteSpec {
        table: "Persons",
        version: ApiVersion::V2,
        path: "persons",
        create: Some(PERSON_CREATE),
        update: Some((UpdateMethod::Patch, PERSON_UPDATE)),
        delete: true,
        required: &[],
        renames: &[],
        custom_fields: true,
    },
    WriteSpec {
        table: "Organizations",
        version: ApiVersion::V2,
        path: "organizations",
        create: Some(ORGANIZATION_CREATE),
        update: Some((UpdateMethod::Patch, ORGANIZATION_UPDATE)),
        delete: true,
        required: &["name"],
        renames: &[],
        custom_fields: true,
    },
    WriteSpec {
        table: "Activities",
        version: ApiVersion::V2,
        path: "activities",
        create: Some(ACTIVITY_FIELDS),
        update: Some((UpdateMethod::Patch, ACTIVITY_FIELDS)),
        delete: true,
        required: &[],
        renames: &[],
        // The v2 activity bodies have no `custom_fields`.
        custom_fields: false,
    },
    WriteSpec {
        table: "Products",
        version: ApiVersion::V2,
        path: "products",
        create: Some(PRODUCT_FIELDS),
        update: Some((UpdateMethod::Patch, PRODUCT_FIELDS)),
        delete: true,
        required: &["name"],
        renames: &[],
        custom_fields: true,
    },
    WriteSpec {
        table: "Pipelines",
        version: ApiVersion::V2,
        path: "pipelines",
        create: Some(PIPELINE_FIELDS),
        update: Some((UpdateMethod::Patch, PIPELINE_FIELDS)),
        delete: true,
        required: &["name"],
        renames: &[],
        custom_fields: false,
    },
    WriteSpec {
        table: "Stages",
        version: ApiVersion::V2,
        path: "stages",
        create: Some(STAGE_FIELDS),
        update: Some((UpdateMethod::Patch, STAGE_FIELDS)),
        delete: true,
        required: &["name", "pipeline_id"],
        renames: &[],
        custom_fields: false,
    },
    WriteSpec {
        table: "Projects",
        version: ApiVersion::V2,
        path: "projects",
        create: Some(PROJECT_FIELDS),
        update: Some((UpdateMethod::Patch, PROJECT_FIELDS)),
        delete: true,
        required: &["title"],
        renames: &[],
        custom_fields: true,
    },
    WriteSpec {
        table: "Tasks",
        version: ApiVersion::V2,
        path: "tasks",
        create: Some(TASK_FIELDS),
        update: Some((UpdateMethod::Patch, TASK_FIELDS)),
        delete: true,
        required: &["title", "project_id"],
        renames: &[("is_done", "done"), ("is_milestone", "milestone")],
        custom_fields: false,
    },
    WriteSpec {
        table: "Notes",
        version: ApiVersion::V1,
        path: "notes",
        create: Some(NOTE_FIELDS),
        update: Some((UpdateMethod::Put, NOTE_FIELDS)),
        delete: true,
        required: &["content"],
        renames: &[],
        custom_fields: false,
    },
    WriteSpec {
        table: "Leads",
        version: ApiVersion::V1,
        path: "leads",
        create: Some(LEAD_CREATE),
        update: Some((UpdateMethod::Patch, LEAD_UPDATE)),
        delete: true,
        required: &["title"],
        renames: &[],
        custom_fields: false,
    },
    WriteSpec {
        table: "LeadLabels",
        version: ApiVersion::V1,
        path: "leadLabels",
        create: Some(&["name", "color"]),
        update: Some((UpdateMethod::Patch, &["name", "color"])),
        delete: true,
        required: &["name", "color"],
        renames: &[],
        custom_fields: false,
    },
    WriteSpec {
        table: "ActivityTypes",
        version: ApiVersion::V1,
        path: "activityTypes",
        create: Some(&["name", "icon_key", "color"]),
        update: Some((
            UpdateMethod::Put,
            &["name", "icon_key", "color", "order_nr"],
        )),
        delete: true,
        required: &["name", "icon_key"],
        renames: &[],
        custom_fields: false,
    },
    WriteSpec {
        table: "Roles",
        version: ApiVersion::V1,
        path: "roles",
        create: Some(&["name", "parent_role_id"]),
        update: Some((UpdateMethod::Put, &["name", "parent_role_id"])),
        delete: true,
        required: &["name"],
        renames: &[],
        custom_fields: false,
    },
    WriteSpec {
        table: "CallLogs",
        version: ApiVersion::V1,
        path: "callLogs",
        create: Some(CALL_LOG_FIELDS),
        update: None,
        delete: true,
        required: &["to_phone_number", "outcome", "start_time", "end_time"],
        renames: &[],
        custom_fields: false,
    },
    WriteSpec {
        table: "Webhooks",
        version: ApiVersion::V1,
        path: "webhooks",
        create: Some(WEBHOOK_FIELDS),
        update: None,
        delete: true,
        required: &["subscription_url", "event_action", "event_object", "name"],
        renames: &[],
        custom_fields: false,
    },
    WriteSpec {
        table: "Files",
        version: ApiVersion::V1,
        path: "files",
        // Uploads are multipart file bodies, not rows.
        create: None,
        update: Some((UpdateMethod::Put, &["name", "description"])),
        delete: true,
        required: &[],
        renames: &[],
        custom_fields: false,
    },
    WriteSpec {
        table: "Filters",
        version: ApiVersion::V1,
        path: "filters",
        // Creating and changing a filter needs its `conditions` tree,
        // which no column carries.
        create: None,
        update: None,
        delete: true,
        required: &[],
        renames: &[],
        custom_fields: false,
    },
];

/// The write endpoints of a table, if it has any.
pub fn write_spec(table: &str) -> Option<&'static WriteSpec> {
    SPECS.iter().find(|s| s.table.eq_ignore_ascii_case(table))
}

/// Every writable table's spec.
pub fn write_specs() -> &'static [WriteSpec] {
    SPECS
}

/// Where a column's value goes in a request body.
#[derive(Debug, Clone, PartialEq)]
pub enum WriteTarget {
    /// A body field; more than one name for a nested object
    /// (`value.amount` of a lead).
    Field(Vec<String>),
    /// A comma list sent as an array of ids (`label_ids`).
    IdList(String),
    /// The primary entry of a `[{value, primary, label}]` array (`emails`).
    Primary(String),
    /// A custom field, by key.
    Custom {
        key: String,
        root: CustomRoot,
        shape: CustomShape,
    },
}

/// What writes may do with one column.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnWrite {
    pub insertable: bool,
    pub updatable: bool,
    /// INSERT must give it a non-NULL value.
    pub required: bool,
    pub target: WriteTarget,
}

impl WriteSpec {
    fn body_name<'a>(&self, record_field: &'a str) -> &'a str {
        self.renames
            .iter()
            .find(|(from, _)| *from == record_field)
            .map_or(record_field, |(_, to)| to)
    }

    fn creates(&self, field: &str) -> bool {
        self.create.is_some_and(|f| f.contains(&field))
    }

    fn updates(&self, field: &str) -> bool {
        self.update.is_some_and(|(_, f)| f.contains(&field))
    }

    /// How writes treat `column`; `None` when no write can set it.
    pub fn column(&self, column: &ColumnDef) -> Option<ColumnWrite> {
        let (body_field, target) = match &column.source {
            Source::Path(path) => {
                let first = path.first()?;
                let mut body_path: Vec<String> = path.clone();
                body_path[0] = self.body_name(first).to_string();
                (body_path[0].clone(), WriteTarget::Field(body_path))
            }
            Source::JoinedArray(field) => {
                let name = self.body_name(field).to_string();
                (name.clone(), WriteTarget::IdList(name))
            }
            Source::PrimaryValue(field) => {
                let name = self.body_name(field).to_string();
                (name.clone(), WriteTarget::Primary(name))
            }
            Source::Custom { key, root, shape } => {
                if !self.custom_fields {
                    return None;
                }
                let target = WriteTarget::Custom {
                    key: key.clone(),
                    root: *root,
                    shape: shape.clone(),
                };
                return Some(ColumnWrite {
                    insertable: self.create.is_some(),
                    updatable: self.update.is_some(),
                    required: false,
                    target,
                });
            }
            Source::ArrayLength(_)
            | Source::Element(_)
            | Source::EntryKey
            | Source::SiblingEntry(_)
            | Source::Input(_) => return None,
        };
        let insertable = self.creates(&body_field);
        let updatable = self.updates(&body_field);
        if !insertable && !updatable {
            return None;
        }
        Some(ColumnWrite {
            insertable,
            updatable,
            required: insertable && self.required.contains(&body_field.as_str()),
            target,
        })
    }
}

/// How writes treat a table's column (`None`: read-only or the table is).
pub fn column_write(table: &TableDef, column: &ColumnDef) -> Option<ColumnWrite> {
    write_spec(&table.name)?.column(column)
}

impl ColumnWrite {
    /// The top-level body field this column writes (not for custom fields).
    pub fn target_field(&self) -> Option<&str> {
        match &self.target {
            WriteTarget::Field(path) => path.first().map(String::as_str),
            WriteTarget::IdList(f) | WriteTarget::Primary(f) => Some(f),
            WriteTarget::Custom { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Schema;

    #[test]
    fn every_spec_names_a_table_and_its_required_fields_have_columns() {
        let schema = Schema::builtin();
        for spec in write_specs() {
            let table = schema
                .table(spec.table)
                .unwrap_or_else(|| panic!("{} is not a table", spec.table));
            assert_eq!(table.endpoint.version, spec.version, "{}", spec.table);
            for field in spec.required {
                let has = table.columns.iter().any(|c| {
                    spec.column(c)
                        .is_some_and(|w| w.required && w.target_field() == Some(field))
                });
                // Lead `value` and the like are objects; every required
                // field of a writable table must be settable by a column.
                assert!(has, "{}.{field} has no required column", spec.table);
            }
        }
    }

    #[test]
    fn ids_and_times_are_read_only_titles_required() {
        let schema = Schema::builtin();
        let deals = schema.table("Deals").unwrap();
        let by_name = |n: &str| {
            let c = &deals.columns[deals.column_index(n).unwrap()];
            column_write(deals, c)
        };
        assert!(by_name("Id").is_none());
        assert!(by_name("AddTime").is_none());
        assert!(by_name("UpdateTime").is_none());
        let title = by_name("Title").unwrap();
        assert!(title.insertable && title.updatable && title.required);
        assert_eq!(
            by_name("LabelIds").unwrap().target,
            WriteTarget::IdList("label_ids".into())
        );
        // Persons take add_time on create only.
        let persons = schema.table("Persons").unwrap();
        let add = &persons.columns[persons.column_index("AddTime").unwrap()];
        let w = column_write(persons, add).unwrap();
        assert!(w.insertable && !w.updatable);
    }

    #[test]
    fn renamed_fields_follow_the_body() {
        let schema = Schema::builtin();
        let tasks = schema.table("Tasks").unwrap();
        let done = &tasks.columns[tasks.column_index("IsDone").unwrap()];
        assert_eq!(
            column_write(tasks, done).unwrap().target,
            WriteTarget::Field(vec!["done".into()])
        );
        assert!(write_spec("Users").is_none());
        assert!(write_spec("filters").is_some_and(|s| s.create.is_none() && s.delete));
    }
}
