"""The JSON API ``/api/v1/`` (django-ninja; schema at ``/api/v1/openapi.json``).

Every call authenticates with ``Authorization: Bearer <token>``; every error is JSON
``{"error": code, "detail": message}`` (see :mod:`hotline.api.errors`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import URLPattern
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Router
from ninja.renderers import JSONRenderer

from hotline.api import errors, order_actions, orders, reference
from hotline.api.auth import TokenAuth
from hotline.hall import opendata as hall_opendata
from hotline.kb import api as kb_api


class HotlineAPI(NinjaAPI):
    """NinjaAPI whose "method not allowed" answer is JSON like every other error (ninja answers a
    wrong method on a known path with a plain-text 405 from inside its path view)."""

    def _get_urls(self) -> list[Any]:
        patterns = super()._get_urls()
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = _json_405(pattern.callback)
        return patterns


class ReadableJSONRenderer(JSONRenderer):
    """UTF-8 JSON with Chinese as characters, not ``\\u`` escapes: a reply read with curl or in a
    log is legible, and shorter."""

    json_dumps_params = {"ensure_ascii": False}


def _json_405(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            response = errors.error_response(
                api,
                request,
                status=405,
                code="method_not_allowed",
                detail=_("Use %(methods)s here.") % {"methods": allowed},
            )
            response["Allow"] = allowed
        return response

    return wrapper


api = HotlineAPI(
    title="Hotline 12345 API",
    version="1",
    description="Work orders of the 12345 citizen service hotline.",
    urls_namespace="api-v1",
    auth=TokenAuth(),
    renderer=ReadableJSONRenderer(),
)
errors.install(api)
api.add_router("/orders", orders.router)
api.add_router("/orders", order_actions.router)
api.add_router("", reference.router)
api.add_router("/kb", kb_api.router)  # knowledge-base search (issue 19)
# Open data of the service halls (no token): live queues and daily statistics.
api.add_router("/open/halls", hall_opendata.router)

# Added last so it only catches what no endpoint matched: unknown paths get a JSON 404 too.
fallback = Router()


@fallback.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", include_in_schema=False, auth=None
)
def unknown_path(request: HttpRequest, rest: str) -> None:
    raise Http404


api.add_router("", fallback)
