"""Errors in each interface's own format, and a clean 503 while the database is unreachable.

Clients of ``/api/`` are programs that parse JSON ``{"error": code, "detail": message}``;
Open311 clients parse the GeoReport ``<errors>`` document; people get pages. Whatever produced
the error — a view, Django's URL resolver (404), a body above ``DATA_UPLOAD_MAX_MEMORY_SIZE``
(413), an unexpected exception (500) — :class:`ErrorsMiddleware` makes the answer fit the
interface, so no API client ever has to parse an HTML error page.

A database that is down, restarting or frozen raises ``OperationalError``/``InterfaceError``
(within ``DB_CONNECT_TIMEOUT`` seconds, see settings). That is not a bug in the request: the answer
is ``503 Service Unavailable`` with ``Retry-After``, logged once as a warning, and the next request
opens a fresh connection (Django drops an unusable one when the request ends).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults

from hotline.api.errors import HTTP_CODES

log = logging.getLogger("hotline.errors")

MB = 1024 * 1024

#: How long a client should wait before retrying while the database is unreachable.
RETRY_AFTER_SECONDS = 10

API, OPEN311, PAGE = "api", "open311", "page"


def interface(request: HttpRequest) -> str:
    if request.path.startswith("/api/"):
        return API
    if request.path.startswith("/open311/"):
        return OPEN311
    return PAGE


def _detail(status: int) -> str:
    if status == 404:
        return _("There is nothing here.")
    if status == 405:
        return _("This method is not allowed here.")
    if status == 413:
        return _("The request body is too large: at most %(mb)d MB.") % {
            "mb": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // MB
        }
    if status == 503:
        return _("The service is briefly unavailable. Please try again in a moment.")
    if status >= 500:
        return _("Something went wrong on our side. The error has been logged.")
    return _("The request was refused.")


def too_large_detail(request: HttpRequest, exception: Exception) -> str:
    """Why a body was refused, with the limit that refused it: the URL's whole-body limit
    (:class:`~hotline.security.uploads.BodyTooLarge`: ``MAX_REQUEST_BODY_MB``, or the view's
    own plus it), or Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE``, which counts a form's fields
    without its files (a multipart body), or the whole of any other body. Before, every 413 said
    "at most 5 MB", the fields' limit, also for a file refused at 41 MB."""
    limit = getattr(exception, "limit_bytes", None)
    if isinstance(limit, int):
        return _("The request body is too large: at most %(mb)d MB.") % {"mb": limit // MB}
    mb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // MB
    if request.content_type == "multipart/form-data":
        return _("The form's text, without its files, is too large: at most %(mb)d MB.") % {
            "mb": mb
        }
    return _("The request body is too large: at most %(mb)d MB.") % {"mb": mb}


def error_document(request: HttpRequest, status: int, detail: str | None = None) -> HttpResponse:
    """An error of ``status`` in the request's interface format (pages: a page for 503 and for
    the rare 413, which says that what was typed is still in the form the browser goes back to;
    other page errors keep Django's handlers and branded templates)."""
    detail = detail or _detail(status)
    kind = interface(request)
    if kind == API:
        response: HttpResponse = JsonResponse(
            {"error": HTTP_CODES.get(status, "error"), "detail": detail},
            status=status,
            content_type="application/json; charset=utf-8",  # as ninja's own answers
        )
    elif kind == OPEN311:
        from hotline.open311.render import errors  # the spec's <errors> document

        response = errors("json" if request.path.endswith(".json") else "xml", status, detail)
    elif status == 503:
        response = HttpResponse(loader.render_to_string("503.html"), status=status)
    elif status == 413:
        # Refused before it was read: nothing was saved, and there is no form to answer with.
        # The browser's Back keeps what was typed in the form.
        page = loader.render_to_string("413.html", {"detail": detail})
        response = HttpResponse(page, status=status)
    else:
        response = HttpResponse(detail, status=status, content_type="text/plain; charset=utf-8")
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def is_database_outage(exc: BaseException | None) -> bool:
    return isinstance(exc, OperationalError | InterfaceError)


def _in_format(request: HttpRequest, response: HttpResponse) -> bool:
    content_type = response.get("Content-Type", "")
    if interface(request) == API:
        return content_type.startswith("application/json")
    return content_type.startswith(("application/json", "text/xml", "application/xml"))


class ErrorsMiddleware:
    """Outermost: sees every error whoever produced it (see the module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code >= 400
            and interface(request) != PAGE
            and not _in_format(request, response)
            # A developer's traceback page stays as it is.
            and not (settings.DEBUG and response.status_code == 500)
        ):
            rewritten = error_document(request, response.status_code)
            # Everything but the body stays: security headers, Allow, Retry-After, cookies.
            for header, value in response.items():
                if header.lower() not in ("content-type", "content-length"):
                    rewritten[header] = value
            rewritten.cookies = response.cookies
            return rewritten
        return response

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if is_database_outage(exc):
            log.warning("database unavailable (%s %s): %s", request.method, request.path, exc)
            return error_document(request, 503)
        # Everything else goes through Django's handlers (a 500 is logged with its traceback,
        # a body too large reaches bad_request below) and __call__ puts the answer in the
        # interface's format.
        return None


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler400``: Django calls a body above ``DATA_UPLOAD_MAX_MEMORY_SIZE`` a bad request
    wherever it is read (a middleware, a view); it is a 413."""
    if isinstance(exception, RequestDataTooBig):
        return error_document(request, 413, too_large_detail(request, exception))
    return defaults.bad_request(request, exception)


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """``handler500``: an exception outside any view (a middleware) during an outage is a 503
    too; everything else is the branded 500 page (rewritten per interface by the middleware)."""
    if is_database_outage(sys.exc_info()[1]):
        return error_document(request, 503)
    return defaults.server_error(request, template_name)
