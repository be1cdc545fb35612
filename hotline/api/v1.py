"""The JSON API ``/api/v1/`` (django-ninja; schema at ``/api/v1/openapi.json``).

Every call authenticates with ``Authorization: Bearer <token>``; every error is JSON
``{"error": code, "detail": message}`` (see :mod:`hotline.api.errors`).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import NinjaAPI, Router

from hotline.api import errors, order_actions, orders, reference
from hotline.api.auth import TokenAuth

api = NinjaAPI(
    title="Hotline 12345 API",
    version="1",
    description="Work orders of the 12345 citizen service hotline.",
    urls_namespace="api-v1",
    auth=TokenAuth(),
)
errors.install(api)
api.add_router("/orders", orders.router)
api.add_router("/orders", order_actions.router)
api.add_router("", reference.router)

# Added last so it only catches what no endpoint matched: unknown paths get a JSON 404 too.
fallback = Router()


@fallback.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", include_in_schema=False, auth=None
)
def unknown_path(request: HttpRequest, rest: str) -> None:
    raise Http404


api.add_router("", fallback)
