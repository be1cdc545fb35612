"""The columns of an article spreadsheet (import, export, the demo file); no Django here."""

COLUMNS = (
    "title",
    "body",
    "unit",
    "keywords",
    "categories",
    "source_name",
    "source_number",
    "effective_on",
    "review_by",
    "public",
    "state",
)
