"""The tables the driver exposes (the product's documented table list)."""

ALL_TABLES = [
    "Deals", "Persons", "Organizations", "Users", "Pipelines", "Stages",
    "DealFields", "PersonFields", "OrganizationFields",
]
