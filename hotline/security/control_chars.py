"""C0 control characters: the one definition of which ones text may not carry.

Tab, newline and carriage return are text; every other C0 control (U+0000–U+001F) and DEL is
not. A NUL breaks PostgreSQL (it cannot store one in text), the rest break XML (Open311's
``requests.xml``) and openpyxl (it refuses them, so an export would stop half-written). Input
boundaries — the middleware for pages and the portal, the API's and Open311's schemas, imports —
strip or refuse them with these functions; the spreadsheet writer strips whatever older data
still holds.

Imports nothing from the models: the middleware, the API's schemas and the import reader use it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote_plus

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
    QueryDict,
)
from django.utils.translation import gettext as _

CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_controls(text: str) -> bool:
    """Whether ``text`` holds a control character other than tab, newline or carriage return."""
    return CONTROLS.search(text) is not None


def strip_controls(text: str) -> str:
    """``text`` without control characters other than tab, newline or carriage return."""
    return CONTROLS.sub("", text)


# --- every request -------------------------------------------------------------------------------

_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def _refusal(request: HttpRequest) -> HttpResponse:
    detail = _(
        "The address or a parameter holds a control character (such as NUL): "
        "remove it and try again."
    )
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"error": "bad_request", "detail": detail},
            status=400,
            content_type="application/json; charset=utf-8",
        )
    if request.path.startswith("/open311/"):
        from hotline.open311.render import errors  # the spec's <errors> document

        return errors("json" if request.path.endswith(".json") else "xml", 400, detail)
    return HttpResponseBadRequest(detail, content_type="text/plain; charset=utf-8")


class ControlCharactersMiddleware:
    """Control characters at the door, for pages, the portal, the API and Open311 alike.

    - the path, the query string or a cookie with a control character: 400, in the interface's
      format, before anything looks it up (a NUL reaching PostgreSQL would be a 500);
    - a form body (pages, portal, Open311's POST): its values lose the control characters before
      the view reads them, as a person would expect from text pasted out of another program.

    JSON bodies are the API schemas' business (:class:`hotline.api.schemas.Input`), files the
    import reader's.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = unquote_plus(request.META.get("QUERY_STRING", ""), errors="replace")
        cookies = "".join(request.COOKIES.values())
        if has_controls(request.path) or has_controls(query) or has_controls(cookies):
            return _refusal(request)
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> None:
        if request.method != "POST" or request.content_type not in _FORMS:
            return
        form = request.POST
        if not any(has_controls(v) for _key, values in form.lists() for v in values):
            return
        cleaned = QueryDict(mutable=True)
        for key, values in form.lists():
            cleaned.setlist(key, [strip_controls(v) for v in values])
        cleaned._mutable = False
        request.POST = cleaned  # type: ignore[assignment]  # Django types POST as immutable
