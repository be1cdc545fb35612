"""Every API error is JSON ``{"error": code, "detail": message, "field": name?}``.

The codes are stable (clients branch on them); the detail is for people and is translated.
Domain refusals carry their own code and status (:class:`hotline.orders.rules.ActionError`);
ninja's own parsing and validation errors are mapped here so bad input never becomes a 500.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from hotline.orders.rules import ActionError

#: Codes for HTTP errors that no domain refusal names: those ninja raises itself (e.g. 400 for a
#: body that is not JSON) and those :mod:`hotline.ops.errors` writes for any /api/ answer.
HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    422: "invalid_input",
    429: "throttled",
    500: "server_error",
    503: "unavailable",
}

#: Where ninja found the bad value; not part of the field's name.
_SOURCES = frozenset({"body", "query", "path", "header", "cookie", "form", "file"})


def error_response(
    api: NinjaAPI,
    request: HttpRequest,
    *,
    status: int,
    code: str,
    detail: str,
    field: str | None = None,
    **extra: Any,
) -> HttpResponse:
    data: dict[str, Any] = {"error": code, "detail": detail}
    if field:
        data["field"] = field
    data.update(extra)
    return api.create_response(request, data, status=status)


def _field_name(loc: tuple[Any, ...] | list[Any], param_names: frozenset[str]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in _SOURCES:
        parts = parts[1:]
    # A body parameter's own name (``payload.title``) means nothing to the client.
    if parts and parts[0] in param_names:
        parts = parts[1:]
    return ".".join(parts)


def on_action_error(request: HttpRequest, exc: ActionError, api: NinjaAPI) -> HttpResponse:
    return error_response(
        api, request, status=exc.status, code=exc.code, detail=exc.message, field=exc.field
    )


def on_validation_error(request: HttpRequest, exc: ValidationError, api: NinjaAPI) -> HttpResponse:
    params = frozenset({"payload", "filters", "body"})
    errors = [
        {"field": _field_name(e.get("loc", ()), params) or None, "message": str(e.get("msg", ""))}
        for e in exc.errors
    ]
    first = errors[0] if errors else {"field": None, "message": _("Invalid input.")}
    detail = f"{first['field']}: {first['message']}" if first["field"] else str(first["message"])
    return error_response(
        api,
        request,
        status=422,
        code="invalid_input",
        detail=detail,
        field=first["field"],
        errors=errors,
    )


def on_authentication_error(
    request: HttpRequest, exc: AuthenticationError, api: NinjaAPI
) -> HttpResponse:
    response = error_response(
        api,
        request,
        status=401,
        code="unauthorized",
        detail=_("Send a valid API token: Authorization: Bearer <token>."),
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


def on_http_error(request: HttpRequest, exc: HttpError, api: NinjaAPI) -> HttpResponse:
    status = exc.status_code
    detail = str(exc)
    if detail.startswith("Cannot parse request body"):
        detail = _("The request body is not valid JSON.")
    return error_response(
        api, request, status=status, code=HTTP_CODES.get(status, "error"), detail=detail
    )


def on_not_found(request: HttpRequest, exc: Http404, api: NinjaAPI) -> HttpResponse:
    return error_response(
        api, request, status=404, code="not_found", detail=_("There is nothing here.")
    )


def install(api: NinjaAPI) -> None:
    api.add_exception_handler(ActionError, partial(on_action_error, api=api))
    api.add_exception_handler(ValidationError, partial(on_validation_error, api=api))
    api.add_exception_handler(AuthenticationError, partial(on_authentication_error, api=api))
    api.add_exception_handler(HttpError, partial(on_http_error, api=api))
    api.add_exception_handler(Http404, partial(on_not_found, api=api))
