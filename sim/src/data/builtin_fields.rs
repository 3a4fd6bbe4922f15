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

pub(crate) fn builtin_fields(entity: FieldEntity) -> &'static [BuiltinField] {
    match entity {
        FieldEntity::Deal => DEAL_FIELDS,
        FieldEntity::Person => PERSON_FIELDS,
        FieldEntity::Organization => ORGANIZATION_FIELDS,
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
        "address" | "postal_address" => Some(ADDRESS),
        _ => None,
    }
}
