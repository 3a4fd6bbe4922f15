//! The built-in tables, one entry each. Column lists follow the response
//! schemas of Pipedrive's OpenAPI documents (API v2 where the entity has it,
//! v1 otherwise); SQL names are the API names in PascalCase.

mod activities;
mod admin;
mod builder;
mod children;
mod contacts;
mod fields;
mod leads;
mod nested;
mod notes;
mod pipelines;
mod products;
mod projects;
mod reports;
mod users;
mod views;

use crate::model::{Paging, TableDef};
use crate::types::DataType::Integer;

pub fn builtin_tables() -> Vec<TableDef> {
    vec![
        contacts::deals(),
        contacts::persons(),
        contacts::organizations(),
        pipelines::pipelines(),
        pipelines::stages(),
        users::users(),
        fields::field_table("DealFields", "dealFields", "deals"),
        fields::field_table("PersonFields", "personFields", "persons"),
        fields::field_table("OrganizationFields", "organizationFields", "organizations"),
        fields::field_table("ProductFields", "productFields", "products"),
        fields::field_table("ActivityFields", "activityFields", "activities"),
        fields::field_table("ProjectFields", "projectFields", "projects"),
        fields::v1_field_table("NoteFields", "noteFields", "notes", Paging::Unpaged),
        fields::v1_field_table(
            "LeadFields",
            "leadFields",
            "leads",
            Paging::Offset { max_limit: 500 },
        ),
        activities::activities(),
        activities::activity_types(),
        products::products(),
        notes::notes(),
        leads::leads(),
        leads::lead_labels(),
        leads::lead_sources(),
        projects::projects(),
        projects::tasks(),
        admin::filters(),
        admin::roles(),
        admin::webhooks(),
        admin::currencies(),
        admin::call_logs(),
        admin::files(),
        children::note_comments(),
        children::deal_products(),
        children::followers(
            "DealFollowers",
            "deals/{id}/followers",
            "Deals",
            "DealId",
            "deal",
        ),
        children::followers(
            "PersonFollowers",
            "persons/{id}/followers",
            "Persons",
            "PersonId",
            "person",
        ),
        children::followers(
            "OrganizationFollowers",
            "organizations/{id}/followers",
            "Organizations",
            "OrgId",
            "organization",
        ),
        children::followers(
            "ProductFollowers",
            "products/{id}/followers",
            "Products",
            "ProductId",
            "product",
        ),
        children::deal_participants(),
        children::organization_relationships(),
        reports::goals(),
        reports::deals_timeline(),
        reports::deals_timeline_totals(),
        reports::deals_timeline_deals(),
        nested::person_emails(),
        nested::person_phones(),
        nested::labels("DealLabels", "deals", "Deals", "DealId", Integer),
        nested::labels("PersonLabels", "persons", "Persons", "PersonId", Integer),
        nested::labels(
            "OrganizationLabels",
            "organizations",
            "Organizations",
            "OrgId",
            Integer,
        ),
        nested::product_prices(),
        views::current_user(),
        views::deals_summary(),
        views::field_options("DealFieldOptions", "dealFields", "deals"),
        views::field_options("PersonFieldOptions", "personFields", "persons"),
        views::field_options(
            "OrganizationFieldOptions",
            "organizationFields",
            "organizations",
        ),
        views::field_options("ProductFieldOptions", "productFields", "products"),
        views::field_options("ActivityFieldOptions", "activityFields", "activities"),
        views::field_options("ProjectFieldOptions", "projectFields", "projects"),
        views::v1_field_options("NoteFieldOptions", "noteFields", "notes", Paging::Unpaged),
        views::v1_field_options(
            "LeadFieldOptions",
            "leadFields",
            "leads",
            Paging::Offset { max_limit: 500 },
        ),
    ]
}
