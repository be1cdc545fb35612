"""A table or report handed to the browser as a file: its type and the name it is saved under."""

from __future__ import annotations

from django.http import HttpResponse

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def attachment(body: bytes, fmt: str, filename: str) -> HttpResponse:
    """``body`` (CSV or Excel, ``fmt``) as a download named ``filename``."""
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
