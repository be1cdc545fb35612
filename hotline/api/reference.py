"""Reference data clients need to fill in bodies: ``/api/v1/units`` and ``/api/v1/categories``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from hotline.api.schemas import CategoryOut, ErrorOut, UnitOut
from hotline.org.models import Category, Unit

router = Router(tags=["reference"])


@router.get(
    "/units", response={200: list[UnitOut], 400: ErrorOut, 401: ErrorOut}, operation_id="list_units"
)
def list_units(request: HttpRequest) -> list[dict[str, Any]]:
    """Active units, in the org tree's sort order."""
    units = Unit.objects.active().select_related("parent")
    return [
        {
            "code": u.code,
            "name": u.name,
            "kind": u.kind,
            "parent": u.parent.code if u.parent else None,
            "peer_group": u.peer_group or None,
        }
        for u in units
    ]


@router.get(
    "/categories",
    response={200: list[CategoryOut], 400: ErrorOut, 401: ErrorOut},
    operation_id="list_categories",
)
def list_categories(request: HttpRequest) -> list[dict[str, Any]]:
    """Active categories, level by level."""
    categories = Category.objects.filter(active=True).select_related(
        "parent__parent", "default_unit"
    )
    return [
        {
            "code": c.code,
            "name": c.name,
            "level": c.level,
            "parent": c.parent.code if c.parent else None,
            "default_unit": c.default_unit.code if c.default_unit else None,
            "path_name": c.path_name,
        }
        for c in categories
    ]
