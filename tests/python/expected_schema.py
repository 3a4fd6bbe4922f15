"""The tables the driver exposes (the product's documented table list, see
docs/tables.md)."""

ALL_TABLES = [
    "Deals", "Persons", "Organizations", "Users", "Pipelines", "Stages",
    "Activities", "ActivityTypes", "Products", "Notes", "Leads", "LeadLabels",
    "LeadSources", "Projects", "Tasks", "Filters", "Roles", "Webhooks",
    "Currencies", "CallLogs", "Files",
    "DealFields", "PersonFields", "OrganizationFields", "ProductFields",
    "ActivityFields", "ProjectFields", "NoteFields", "LeadFields",
    "CurrentUser", "DealsSummary",
    "DealFieldOptions", "PersonFieldOptions", "OrganizationFieldOptions",
    "ProductFieldOptions", "ActivityFieldOptions", "ProjectFieldOptions",
    "NoteFieldOptions", "LeadFieldOptions",
]
