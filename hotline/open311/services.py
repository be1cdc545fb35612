"""Services are the leaves of the category taxonomy; every service takes the same attributes."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from hotline.open311.render import Nested
from hotline.orders.models import Kind
from hotline.org.models import Category

#: Attribute codes a request may carry as ``attribute[code]=value``.
KIND = "kind"
ANONYMOUS = "anonymous"


def leaves() -> list[Category]:
    """Active categories with no active category below them, in taxonomy order."""
    active = list(Category.objects.filter(active=True).select_related("parent__parent"))
    parents = {c.parent_id for c in active if c.parent_id is not None}
    found = [c for c in active if c.pk not in parents]
    # Inactive ancestors retire their whole branch.
    by_id = {c.pk: c for c in active}
    found = [c for c in found if all(a.pk in by_id for a in c.lineage())]
    return sorted(found, key=lambda c: [(a.sort_order, a.code) for a in c.lineage()])


def find(code: str) -> Category | None:
    for category in leaves():
        if category.code == code:
            return category
    return None


def service_record(category: Category) -> dict[str, Any]:
    lineage = category.lineage()
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.path_name,
        "metadata": True,
        "type": "realtime",
        "keywords": ",".join(c.name for c in lineage[:-1]),
        "group": lineage[0].name,
    }


def attributes() -> list[dict[str, Any]]:
    """The attributes every service takes (GeoReport's service definition)."""
    return [
        {
            "variable": True,
            "code": KIND,
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": _("One of the keys; help if not given."),
            "order": 1,
            "description": _("What kind of request is this?"),
            "values": Nested(
                "value", [{"key": value, "name": str(label)} for value, label in Kind.choices]
            ),
        },
        {
            "variable": True,
            "code": ANONYMOUS,
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": _("true or false; false if not given."),
            "order": 2,
            "description": _(
                "Keep my name and phone number from the handling unit (the hotline still sees "
                "them to call back)."
            ),
            "values": Nested(
                "value",
                [{"key": "false", "name": _("No")}, {"key": "true", "name": _("Yes")}],
            ),
        },
    ]
