"""Look up what request bodies name by code: units, categories, parent orders."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from hotline.orders.models import WorkOrder
from hotline.orders.rules import InvalidInput, visible_orders
from hotline.org.models import Category, Unit, User


def unit_by_code(code: str | None, field: str) -> Unit | None:
    if code is None or code == "":
        return None
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise InvalidInput(_("There is no unit with code %(code)s.") % {"code": code}, field=field)
    return unit


def required_unit(code: str, field: str) -> Unit:
    unit = unit_by_code(code, field)
    if unit is None:
        raise InvalidInput(_("Choose a handling unit."), field=field)
    return unit


def units_by_code(codes: Iterable[str], field: str) -> list[Unit]:
    wanted = list(dict.fromkeys(codes))
    found = {u.code: u for u in Unit.objects.filter(code__in=wanted)}
    missing = [c for c in wanted if c not in found]
    if missing:
        raise InvalidInput(
            _("There is no unit with code %(code)s.") % {"code": ", ".join(missing)}, field=field
        )
    return [found[c] for c in wanted]


def category_by_code(code: str | None, field: str) -> Category | None:
    if code is None or code == "":
        return None
    # The whole lineage in one query: the path, the default unit and the deadline policy are read
    # from the parents (three levels) during registration and presentation.
    category = (
        Category.objects.filter(code=code)
        .select_related("parent__parent", "default_unit", "parent__default_unit")
        .first()
    )
    if category is None:
        raise InvalidInput(
            _("There is no category with code %(code)s.") % {"code": code}, field=field
        )
    return category


def order_by_number(user: User, number: str, field: str) -> WorkOrder:
    order = visible_orders(user).filter(number=number).first()
    if order is None:
        raise InvalidInput(_("There is no order %(number)s.") % {"number": number}, field=field)
    return order
