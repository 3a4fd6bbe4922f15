//! The built-in (non-custom) fields each entity's `*Fields` endpoints list.
//!
//! The v2 `field_code` of a built-in field is the property name in v2
//! records; `v1_key` is the older v1 name where it differs (e.g. the deal
//! owner is `user_id` in v1). Fields marked optional are the ones the v2
//! list endpoints return only when named in `include_fields`, so this table
//! is also what `include_fields` is validated against.

use super::custom_fields::FieldEntity;

pub(crate) struct BuiltinField {
    pub code: &'static str,
    pub v1_key: &'static str,
    pub name: &'static str,
    pub field_type: &'static str,
    pub description: &'static str,
    /// Returned by list/get endpoints only when requested in `include_fields`.
    pub optional: bool,
}

const fn f(
    code: &'static str,
    v1_key: &'static str,
    name: &'static str,
    field_type: &'static str,
    description: &'static str,
) -> BuiltinField {
    BuiltinField {
        code,
        v1_key,
        name,
        field_type,
        description,
        optional: false,
    }
}

const fn opt(code: &'static str, name: &'static str, field_type: &'static str) -> BuiltinField {
    BuiltinField {
        code,
        v1_key: code,
        name,
        field_type,
        description: "Returned only when requested with include_fields",
        optional: true,
    }
}

const DEAL_FIELDS: &[BuiltinField] = &[
    f("id", "id", "ID", "int", "The ID of the deal"),
    f(
        "title",
        "title",
        "Title",
        "varchar",
        "The title of the deal",
    ),
    f(
        "creator_user_id",
        "creator_user_id",
        "Creator",
        "user",
        "The user who created the deal",
    ),
    f(
        "owner_id",
        "user_id",
        "Owner",
        "user",
        "The user who owns the deal",
    ),
    f(
        "value",
        "value",
        "Value",
        "monetary",
        "The monetary value of the deal",
    ),
    f(
        "person_id",
        "person_id",
        "Contact person",
        "people",
        "The person linked to the deal",
    ),
    f(
        "org_id",
        "org_id",
        "Organization",
        "org",
        "The organization linked to the deal",
    ),
    f(
        "pipeline_id",
        "pipeline_id",
        "Pipeline",
        "int",
        "The pipeline of the deal",
    ),
    f(
        "stage_id",
        "stage_id",
        "Stage",
        "stage",
        "The stage of the deal",
    ),
    f(
        "status",
        "status",
        "Status",
        "status",
        "Open, won, lost or deleted",
    ),
    f(
        "add_time",
        "add_time",
        "Deal created",
        "date",
        "When the deal was created",
    ),
    f(
        "update_time",
        "update_time",
        "Update time",
        "date",
        "When the deal was last updated",
    ),
    f(
        "stage_change_time",
        "stage_change_time",
        "Last stage change",
        "date",
        "When the deal last changed stage",
    ),
    f(
        "close_time",
        "close_time",
        "Deal closed on",
        "date",
        "When the deal was won or lost",
    ),
    f(
        "won_time",
        "won_time",
        "Won time",
        "date",
        "When the deal was won",
    ),
    f(
        "lost_time",
        "lost_time",
        "Lost time",
        "date",
        "When the deal was lost",
    ),
    f(
        "expected_close_date",
        "expected_close_date",
        "Expected close date",
        "date",
        "When the deal is expected to close",
    ),
    f(
        "probability",
        "probability",
        "Probability",
        "double",
        "Success probability in percent",
    ),
    f(
        "lost_reason",
        "lost_reason",
        "Lost reason",
        "varchar",
        "Why the deal was lost",
    ),
    f(
        "visible_to",
        "visible_to",
        "Visible to",
        "visible_to",
        "Visibility of the deal",
    ),
    f("label_ids", "label", "Label", "set", "Labels of the deal"),
    f(
        "origin",
        "origin",
        "Source origin",
        "varchar",
        "How the deal was created",
    ),
    f(
        "origin_id",
        "origin_id",
        "Source origin ID",
        "varchar",
        "Further detail of the origin",
    ),
    f(
        "channel",
        "channel",
        "Source channel",
        "enum",
        "Marketing channel the deal came from",
    ),
    f(
        "channel_id",
        "channel_id",
        "Source channel ID",
        "varchar",
        "Further detail of the channel",
    ),
    f("arr", "arr", "ARR", "double", "Annual recurring revenue"),
    f("mrr", "mrr", "MRR", "double", "Monthly recurring revenue"),
    f("acv", "acv", "ACV", "double", "Annual contract value"),
    f(
        "is_archived",
        "is_archived",
        "Archived",
        "boolean",
        "Whether the deal is archived",
    ),
    f(
        "archive_time",
        "archive_time",
        "Archive time",
        "date",
        "When the deal was archived",
    ),
    f(
        "is_deleted",
        "is_deleted",
        "Deleted",
        "boolean",
        "Whether the deal is deleted",
    ),
    opt("next_activity_id", "Next activity", "activity"),
    opt("last_activity_id", "Last activity", "activity"),
    opt("first_won_time", "First won time", "date"),
    opt("products_count", "Number of products", "int"),
    opt("files_count", "Number of files", "int"),
    opt("notes_count", "Number of notes", "int"),
    opt("followers_count", "Number of followers", "int"),
    opt("email_messages_count", "Number of email messages", "int"),
    opt("activities_count", "Total activities", "int"),
    opt("done_activities_count", "Done activities", "int"),
    opt("undone_activities_count", "Activities to do", "int"),
    opt("participants_count", "Number of participants", "int"),
    opt("last_incoming_mail_time", "Last email received", "date"),
    opt("last_outgoing_mail_time", "Last email sent", "date"),
    opt("smart_bcc_email", "Smart BCC email", "varchar"),
    opt("source_lead_id", "Source lead", "lead"),
];

const PERSON_FIELDS: &[BuiltinField] = &[
    f("id", "id", "ID", "int", "The ID of the person"),
    f("name", "name", "Name", "varchar", "The name of the person"),
    f(
        "first_name",
        "first_name",
        "First name",
        "varchar",
        "The first name of the person",
    ),
    f(
        "last_name",
        "last_name",
        "Last name",
        "varchar",
        "The last name of the person",
    ),
    f(
        "owner_id",
        "owner_id",
        "Owner",
        "user",
        "The user who owns the person",
    ),
    f(
        "org_id",
        "org_id",
        "Organization",
        "org",
        "The organization of the person",
    ),
    f(
        "emails",
        "email",
        "Email",
        "varchar",
        "E-mail addresses of the person",
    ),
    f(
        "phones",
        "phone",
        "Phone",
        "phone",
        "Phone numbers of the person",
    ),
    f(
        "add_time",
        "add_time",
        "Person created",
        "date",
        "When the person was created",
    ),
    f(
        "update_time",
        "update_time",
        "Update time",
        "date",
        "When the person was last updated",
    ),
    f(
        "visible_to",
        "visible_to",
        "Visible to",
        "visible_to",
        "Visibility of the person",
    ),
    f(
        "label_ids",
        "label_ids",
        "Labels",
        "set",
        "Labels of the person",
    ),
    f(
        "picture_id",
        "picture_id",
        "Profile picture",
        "picture",
        "The picture of the person",
    ),
    f(
        "postal_address",
        "postal_address",
        "Postal address",
        "address",
        "Postal address (contact sync)",
    ),
    f("notes", "notes", "Notes", "text", "Notes (contact sync)"),
    f(
        "im",
        "im",
        "Instant messenger",
        "varchar",
        "Messenger handles (contact sync)",
    ),
    f(
        "birthday",
        "birthday",
        "Birthday",
        "date",
        "Birthday (contact sync)",
    ),
    f(
        "job_title",
        "job_title",
        "Job title",
        "varchar",
        "Job title",
    ),
    f(
        "is_deleted",
        "is_deleted",
        "Deleted",
        "boolean",
        "Whether the person is deleted",
    ),
    opt("next_activity_id", "Next activity", "activity"),
    opt("last_activity_id", "Last activity", "activity"),
    opt("open_deals_count", "Open deals", "int"),
    opt("related_open_deals_count", "Related open deals", "int"),
    opt("closed_deals_count", "Closed deals", "int"),
    opt("related_closed_deals_count", "Related closed deals", "int"),
    opt(
        "participant_open_deals_count",
        "Participant open deals",
        "int",
    ),
    opt(
        "participant_closed_deals_count",
        "Participant closed deals",
        "int",
    ),
    opt("email_messages_count", "Number of email messages", "int"),
    opt("activities_count", "Total activities", "int"),
    opt("done_activities_count", "Done activities", "int"),
    opt("undone_activities_count", "Activities to do", "int"),
    opt("files_count", "Number of files", "int"),
    opt("notes_count", "Number of notes", "int"),
    opt("followers_count", "Number of followers", "int"),
    opt("won_deals_count", "Won deals", "int"),
    opt("related_won_deals_count", "Related won deals", "int"),
    opt("lost_deals_count", "Lost deals", "int"),
    opt("related_lost_deals_count", "Related lost deals", "int"),
    opt("last_incoming_mail_time", "Last email received", "date"),
    opt("last_outgoing_mail_time", "Last email sent", "date"),
    opt("marketing_status", "Marketing status", "enum"),
    opt("doi_status", "Double opt-in status", "enum"),
    opt("smart_bcc_email", "Smart BCC email", "varchar"),
];

const ORGANIZATION_FIELDS: &[BuiltinField] = &[
    f("id", "id", "ID", "int", "The ID of the organization"),
    f(
        "name",
        "name",
        "Name",
        "varchar",
        "The name of the organization",
    ),
    f(
        "owner_id",
        "owner_id",
        "Owner",
        "user",
        "The user who owns the organization",
    ),
    f(
        "add_time",
        "add_time",
        "Organization created",
        "date",
        "When the organization was created",
    ),
    f(
        "update_time",
        "update_time",
        "Update time",
        "date",
        "When the organization was last updated",
    ),
    f(
        "visible_to",
        "visible_to",
        "Visible to",
        "visible_to",
        "Visibility of the organization",
    ),
    f(
        "address",
        "address",
        "Address",
        "address",
        "Address of the organization",
    ),
    f(
        "label_ids",
        "label_ids",
        "Labels",
        "set",
        "Labels of the organization",
    ),
    f(
        "website",
        "website",
        "Website",
        "varchar",
        "Website of the organization",
    ),
    f(
        "linkedin",
        "linkedin",
        "LinkedIn profile",
        "varchar",
        "LinkedIn page of the organization",
    ),
    f(
        "industry",
        "industry",
        "Industry",
        "enum",
        "Industry of the organization",
    ),
    f(
        "annual_revenue",
        "annual_revenue",
        "Annual revenue",
        "int",
        "Annual revenue of the organization",
    ),
    f(
        "employee_count",
        "employee_count",
        "Number of employees",
        "int",
        "Number of employees",
    ),
    f(
        "is_deleted",
        "is_deleted",
        "Deleted",
        "boolean",
        "Whether the organization is deleted",
    ),
    opt("next_activity_id", "Next activity", "activity"),
    opt("last_activity_id", "Last activity", "activity"),
    opt("open_deals_count", "Open deals", "int"),
    opt("related_open_deals_count", "Related open deals", "int"),
    opt("closed_deals_count", "Closed deals", "int"),
    opt("related_closed_deals_count", "Related closed deals", "int"),
    opt("email_messages_count", "Number of email messages", "int"),
    opt("people_count", "Number of people", "int"),
    opt("activities_count", "Total activities", "int"),
    opt("done_activities_count", "Done activities", "int"),
    opt("undone_activities_count", "Activities to do", "int"),
    opt("files_count", "Number of files", "int"),
    opt("notes_count", "Number of notes", "int"),
    opt("followers_count", "Number of followers", "int"),
    opt("won_deals_count", "Won deals", "int"),
    opt("related_won_deals_count", "Related won deals", "int"),
    opt("lost_deals_count", "Lost deals", "int"),
    opt("related_lost_deals_count", "Related lost deals", "int"),
    opt("smart_bcc_email", "Smart BCC email", "varchar"),
];

const PRODUCT_FIELDS: &[BuiltinField] = &[
    f("id", "id", "ID", "int", "The ID of the product"),
    f("name", "name", "Name", "varchar", "The name of the product"),
    f(
        "code",
        "code",
        "Product code",
        "varchar",
        "The product code",
    ),
    f(
        "description",
        "description",
        "Description",
        "text",
        "The description of the product",
    ),
    f(
        "unit",
        "unit",
        "Unit",
        "varchar",
        "The unit in which the product is sold",
    ),
    f("tax", "tax", "Tax", "double", "The tax percentage"),
    f(
        "category",
        "category",
        "Category",
        "enum",
        "The category of the product",
    ),
    f(
        "is_linkable",
        "active_flag",
        "Active",
        "boolean",
        "Whether the product can be added to deals",
    ),
    f(
        "visible_to",
        "visible_to",
        "Visible to",
        "visible_to",
        "Visibility of the product",
    ),
    f(
        "owner_id",
        "owner_id",
        "Owner",
        "user",
        "The user who owns the product",
    ),
    f(
        "prices",
        "prices",
        "Price",
        "price_list",
        "Prices of the product per currency",
    ),
    f(
        "billing_frequency",
        "billing_frequency",
        "Billing frequency",
        "billing_frequency",
        "How often the product is billed",
    ),
    f(
        "add_time",
        "add_time",
        "Product created",
        "date",
        "When the product was created",
    ),
    f(
        "update_time",
        "update_time",
        "Update time",
        "date",
        "When the product was last updated",
    ),
];

const PROJECT_FIELDS: &[BuiltinField] = &[
    f("id", "id", "ID", "int", "The ID of the project"),
    f(
        "title",
        "title",
        "Title",
        "varchar",
        "The title of the project",
    ),
    f(
        "description",
        "description",
        "Description",
        "text",
        "The description of the project",
    ),
    f(
        "status",
        "status",
        "Status",
        "status",
        "open, completed, canceled or deleted",
    ),
    f(
        "board_id",
        "board_id",
        "Board",
        "projects_board",
        "The board of the project",
    ),
    f(
        "phase_id",
        "phase_id",
        "Phase",
        "projects_phase",
        "The phase of the project",
    ),
    f(
        "owner_id",
        "owner_id",
        "Owner",
        "user",
        "The user who owns the project",
    ),
    f(
        "start_date",
        "start_date",
        "Start date",
        "date",
        "When the project starts",
    ),
    f(
        "end_date",
        "end_date",
        "End date",
        "date",
        "When the project ends",
    ),
    f(
        "deal_ids",
        "deal_ids",
        "Deals",
        "deal",
        "Deals linked to the project",
    ),
    f(
        "person_ids",
        "person_ids",
        "Persons",
        "people",
        "Persons linked to the project",
    ),
    f(
        "org_ids",
        "org_ids",
        "Organizations",
        "org",
        "Organizations linked to the project",
    ),
    f(
        "label_ids",
        "labels",
        "Labels",
        "set",
        "Labels of the project",
    ),
    f(
        "health_status",
        "health_status",
        "Health",
        "enum",
        "Health of the project",
    ),
    f(
        "add_time",
        "add_time",
        "Project created",
        "date",
        "When the project was created",
    ),
    f(
        "update_time",
        "update_time",
        "Update time",
        "date",
        "When the project was last updated",
    ),
];

const ACTIVITY_FIELDS: &[BuiltinField] = &[
    f("id", "id", "ID", "int", "The ID of the activity"),
    f(
        "subject",
        "subject",
        "Subject",
        "varchar",
        "The subject of the activity",
    ),
    f(
        "type",
        "type",
        "Type",
        "varchar_options",
        "The activity type's key_string",
    ),
    f(
        "owner_id",
        "user_id",
        "Assigned to user",
        "user",
        "The user the activity is assigned to",
    ),
    f(
        "deal_id",
        "deal_id",
        "Deal",
        "deal",
        "The deal of the activity",
    ),
    f(
        "lead_id",
        "lead_id",
        "Lead",
        "lead",
        "The lead of the activity",
    ),
    f(
        "person_id",
        "person_id",
        "Contact person",
        "people",
        "The primary participant",
    ),
    f(
        "org_id",
        "org_id",
        "Organization",
        "org",
        "The organization of the activity",
    ),
    f(
        "project_id",
        "project_id",
        "Project",
        "project",
        "The project of the activity",
    ),
    f(
        "due_date",
        "due_date",
        "Due date",
        "date",
        "When the activity is due",
    ),
    f(
        "due_time",
        "due_time",
        "Due time",
        "time",
        "The time the activity is due",
    ),
    f(
        "duration",
        "duration",
        "Duration",
        "time",
        "How long the activity takes",
    ),
    f(
        "busy",
        "busy_flag",
        "Free/busy",
        "boolean",
        "Whether the activity marks the user busy",
    ),
    f(
        "done",
        "done",
        "Done",
        "boolean",
        "Whether the activity is done",
    ),
    f(
        "location",
        "location",
        "Location",
        "address",
        "Where the activity takes place",
    ),
    f("note", "note", "Note", "text", "Note of the activity"),
    f(
        "public_description",
        "public_description",
        "Public description",
        "text",
        "Description visible to attendees",
    ),
    f(
        "priority",
        "priority",
        "Priority",
        "enum",
        "The priority of the activity",
    ),
    f(
        "add_time",
        "add_time",
        "Add time",
        "date",
        "When the activity was created",
    ),
    f(
        "update_time",
        "update_time",
        "Update time",
        "date",
        "When the activity was last updated",
    ),
    f(
        "marked_as_done_time",
        "marked_as_done_time",
        "Marked as done time",
        "date",
        "When the activity was marked done",
    ),
    opt("attendees", "Attendees", "json"),
];

const NOTE_FIELDS: &[BuiltinField] = &[
    f(
        "content",
        "content",
        "Content",
        "text",
        "The content of the note (HTML)",
    ),
    f("deal_id", "deal_id", "Deal", "deal", "The deal of the note"),
    f("lead_id", "lead_id", "Lead", "lead", "The lead of the note"),
    f(
        "person_id",
        "person_id",
        "Person",
        "people",
        "The person of the note",
    ),
    f(
        "org_id",
        "org_id",
        "Organization",
        "org",
        "The organization of the note",
    ),
    f(
        "project_id",
        "project_id",
        "Project",
        "project",
        "The project of the note",
    ),
    f(
        "user_id",
        "user_id",
        "User",
        "user",
        "The author of the note",
    ),
    f(
        "add_time",
        "add_time",
        "Add time",
        "date",
        "When the note was created",
    ),
    f(
        "update_time",
        "update_time",
        "Update time",
        "date",
        "When the note was last updated",
    ),
    f(
        "pinned_to_deal_flag",
        "pinned_to_deal_flag",
        "Pinned to deal",
        "boolean",
        "Whether the note is pinned to its deal",
    ),
];

const LEAD_FIELDS: &[BuiltinField] = &[
    f("id", "id", "ID", "varchar", "The ID (UUID) of the lead"),
    f(
        "title",
        "title",
        "Title",
        "varchar",
        "The title of the lead",
    ),
    f(
        "owner_id",
        "owner_id",
        "Owner",
        "user",
        "The user who owns the lead",
    ),
    f(
        "person_id",
        "person_id",
        "Person",
        "people",
        "The person of the lead",
    ),
    f(
        "organization_id",
        "organization_id",
        "Organization",
        "org",
        "The organization of the lead",
    ),
    f("label_ids", "label_ids", "Labels", "set", "Lead labels"),
    f(
        "value",
        "value",
        "Value",
        "monetary",
        "The potential value of the lead",
    ),
    f(
        "expected_close_date",
        "expected_close_date",
        "Expected close date",
        "date",
        "When the lead is expected to close",
    ),
    f(
        "source_name",
        "source_name",
        "Source",
        "varchar",
        "Where the lead came from",
    ),
    f(
        "is_archived",
        "is_archived",
        "Archived",
        "boolean",
        "Whether the lead is archived",
    ),
    f(
        "was_seen",
        "was_seen",
        "Seen",
        "boolean",
        "Whether the lead was seen",
    ),
    f(
        "visible_to",
        "visible_to",
        "Visible to",
        "visible_to",
        "Visibility of the lead",
    ),
    f(
        "add_time",
        "add_time",
        "Lead created",
        "date",
        "When the lead was created",
    ),
    f(
        "update_time",
        "update_time",
        "Update time",
        "date",
        "When the lead was last updated",
    ),
];

pub(crate) fn builtin_fields(entity: FieldEntity) -> &'static [BuiltinField] {
    match entity {
        FieldEntity::Deal => DEAL_FIELDS,
        FieldEntity::Person => PERSON_FIELDS,
        FieldEntity::Organization => ORGANIZATION_FIELDS,
        FieldEntity::Product => PRODUCT_FIELDS,
        FieldEntity::Project => PROJECT_FIELDS,
        FieldEntity::Activity => ACTIVITY_FIELDS,
        FieldEntity::Note => NOTE_FIELDS,
        FieldEntity::Lead => LEAD_FIELDS,
    }
}

/// The `include_fields` names an entity accepts, as `'static` strings.
pub(crate) fn optional_field(entity: FieldEntity, name: &str) -> Option<&'static str> {
    builtin_fields(entity)
        .iter()
        .find(|f| f.optional && f.code == name)
        .map(|f| f.code)
}

/// An option of a built-in enum/set field. Pipedrive uses string ids for
/// most built-in options; label and channel ids are integers because
/// records refer to them as integers.
#[derive(Clone, Copy)]
pub(crate) enum BuiltinOptionId {
    Int(u64),
    Str(&'static str),
}

pub(crate) struct BuiltinOption {
    pub id: BuiltinOptionId,
    pub label: &'static str,
    pub color: Option<&'static str>,
}

const fn int_opt(id: u64, label: &'static str, color: Option<&'static str>) -> BuiltinOption {
    BuiltinOption {
        id: BuiltinOptionId::Int(id),
        label,
        color,
    }
}

const fn str_opt(id: &'static str, label: &'static str) -> BuiltinOption {
    BuiltinOption {
        id: BuiltinOptionId::Str(id),
        label,
        color: None,
    }
}

const DEAL_LABELS: &[BuiltinOption] = &[
    int_opt(1, "Hot", Some("red")),
    int_opt(2, "Warm", Some("yellow")),
    int_opt(3, "Cold", Some("blue")),
    int_opt(4, "Nachfassen", Some("purple")),
    int_opt(5, "優先", Some("green")),
];
const CONTACT_LABELS: &[BuiltinOption] = &[
    int_opt(1, "Customer", Some("green")),
    int_opt(2, "Hot lead", Some("red")),
    int_opt(3, "Partner", Some("blue")),
];
const DEAL_STATUSES: &[BuiltinOption] = &[
    str_opt("open", "Open"),
    str_opt("won", "Won"),
    str_opt("lost", "Lost"),
    str_opt("deleted", "Deleted"),
];
const CHANNELS: &[BuiltinOption] = &[
    int_opt(1, "Organic search", None),
    int_opt(2, "Paid search", None),
    int_opt(3, "Social", None),
    int_opt(4, "Email marketing", None),
    int_opt(5, "Events", None),
    int_opt(6, "Partners", None),
];
const VISIBILITY: &[BuiltinOption] = &[
    str_opt("1", "Owner & followers"),
    str_opt("3", "Entire company"),
    str_opt("5", "Owner's visibility group and sub-groups"),
    str_opt("7", "Everyone"),
];
const MARKETING_STATUSES: &[BuiltinOption] = &[
    str_opt("no_consent", "No consent"),
    str_opt("unsubscribed", "Unsubscribed"),
    str_opt("subscribed", "Subscribed"),
    str_opt("archived", "Archived"),
];
const BILLING_FREQUENCIES: &[BuiltinOption] = &[
    str_opt("one-time", "One-time"),
    str_opt("annually", "Annually"),
    str_opt("semi-annually", "Semi-annually"),
    str_opt("quarterly", "Quarterly"),
    str_opt("monthly", "Monthly"),
    str_opt("weekly", "Weekly"),
];
const PROJECT_STATUSES: &[BuiltinOption] = &[
    str_opt("open", "Open"),
    str_opt("completed", "Completed"),
    str_opt("canceled", "Canceled"),
    str_opt("deleted", "Deleted"),
];
const PRODUCT_CATEGORIES: &[BuiltinOption] = &[
    int_opt(1, "Software", None),
    int_opt(2, "Services", None),
    int_opt(3, "Hardware", None),
    int_opt(4, "Training", None),
    int_opt(5, "Subscriptions", None),
];
const ACTIVITY_PRIORITIES: &[BuiltinOption] = &[
    int_opt(1, "Low", None),
    int_opt(2, "Medium", None),
    int_opt(3, "High", None),
];
const ACTIVITY_TYPES: &[BuiltinOption] = &[
    str_opt("call", "Call"),
    str_opt("meeting", "Meeting"),
    str_opt("task", "Task"),
    str_opt("deadline", "Deadline"),
    str_opt("email", "Email"),
    str_opt("lunch", "Lunch"),
];
const DOI_STATUSES: &[BuiltinOption] = &[
    str_opt("pending", "Pending"),
    str_opt("confirmed", "Confirmed"),
    str_opt("unconfirmed", "Unconfirmed"),
];

pub(crate) fn builtin_options(entity: FieldEntity, code: &str) -> Option<&'static [BuiltinOption]> {
    Some(match (entity, code) {
        (FieldEntity::Deal, "label_ids") => DEAL_LABELS,
        (FieldEntity::Deal, "status") => DEAL_STATUSES,
        (FieldEntity::Deal, "channel") => CHANNELS,
        (FieldEntity::Person | FieldEntity::Organization, "label_ids") => CONTACT_LABELS,
        (FieldEntity::Person, "marketing_status") => MARKETING_STATUSES,
        (FieldEntity::Person, "doi_status") => DOI_STATUSES,
        (FieldEntity::Product, "billing_frequency") => BILLING_FREQUENCIES,
        (FieldEntity::Product, "category") => PRODUCT_CATEGORIES,
        (FieldEntity::Project, "status") => PROJECT_STATUSES,
        (FieldEntity::Activity, "priority") => ACTIVITY_PRIORITIES,
        (FieldEntity::Activity, "type") => ACTIVITY_TYPES,
        (_, "visible_to") => VISIBILITY,
        _ => return None,
    })
}

/// `(field_code, field_name, field_type)` of a composite field's parts.
pub(crate) fn builtin_subfields(
    code: &str,
) -> Option<&'static [(&'static str, &'static str, &'static str)]> {
    const VALUE: &[(&str, &str, &str)] = &[
        ("value", "Amount of Value", "double"),
        ("currency", "Currency of Value", "varchar"),
    ];
    const ADDRESS: &[(&str, &str, &str)] = &[
        ("value", "Address value", "varchar"),
        ("street_number", "House number", "varchar"),
        ("route", "Street/road name", "varchar"),
        ("subpremise", "Apartment/suite", "varchar"),
        ("locality", "District", "varchar"),
        ("sublocality", "Sub-district", "varchar"),
        ("admin_area_level_1", "State/province", "varchar"),
        ("admin_area_level_2", "County", "varchar"),
        ("country", "Country", "varchar"),
        ("postal_code", "Postal code", "varchar"),
    ];
    match code {
        "value" => Some(VALUE),
        "address" | "postal_address" | "location" => Some(ADDRESS),
        _ => None,
    }
}
