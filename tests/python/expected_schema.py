"""The tables the driver exposes (the product's documented table list, see
docs/tables.md)."""

ALL_TABLES = [
    "Deals", "Persons", "Organizations", "Users", "Pipelines", "Stages",
    "Activities", "ActivityTypes", "Products", "Notes", "Leads", "LeadLabels",
    "LeadSources", "Projects", "Tasks", "Filters", "Roles", "Webhooks",
    "Currencies", "CallLogs", "Files", "Goals",
    "NoteComments", "DealProducts", "DealFollowers", "DealParticipants",
    "PersonFollowers", "OrganizationFollowers", "ProductFollowers",
    "OrganizationRelationships",
    "DealFields", "PersonFields", "OrganizationFields", "ProductFields",
    "ActivityFields", "ProjectFields", "NoteFields", "LeadFields",
    "CurrentUser", "DealsSummary", "DealsTimeline", "DealsTimelineTotals",
    "DealsTimelineDeals",
    "PersonEmails", "PersonPhones", "DealLabels", "PersonLabels",
    "OrganizationLabels", "ProductPrices",
    "DealFieldOptions", "PersonFieldOptions", "OrganizationFieldOptions",
    "ProductFieldOptions", "ActivityFieldOptions", "ProjectFieldOptions",
    "NoteFieldOptions", "LeadFieldOptions",
]
