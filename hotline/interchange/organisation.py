"""Handling units and the category taxonomy as tables, keyed by code.

A row whose code exists updates that unit or category; a new code creates one. Parents may be
named before or after their children in the file. Every row is checked against the database and
the rest of the file (unknown codes, duplicate names, cycles, too many category levels) before
anything is written, and the whole file is written in one transaction or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.utils.translation import gettext as _

from hotline.interchange.cells import Cells
from hotline.interchange.report import ImportReport
from hotline.interchange.tables import Table
from hotline.org.models import Category, PeerGroup, Unit, UnitKind
from hotline.sla.models import DeadlinePolicy

UNIT_COLUMNS = (
    "code",
    "name",
    "kind",
    "parent",
    "peer_group",
    "contact_person",
    "contact_phone",
    "active",
    "sort_order",
)
UNIT_REQUIRED = ("code", "name", "kind")
CATEGORY_COLUMNS = (
    "code",
    "name",
    "parent",
    "default_unit",
    "deadline_policy",
    "active",
    "sort_order",
)
CATEGORY_REQUIRED = ("code", "name")

Progress = Callable[[int], None] | None


def check_header(table: Table, report: ImportReport, required: tuple[str, ...]) -> bool:
    """Every required column is present; else one error on row 1 naming the missing ones."""
    missing = table.missing(required)
    if missing:
        report.error(1, "", _("missing columns: %(columns)s") % {"columns": ", ".join(missing)})
    return not missing


def unique_code(cells: Cells, seen: dict[str, int], *, max_length: int = 32) -> str:
    """The row's ``code``: a slug, not repeated from an earlier row of the file."""
    code = cells.text("code", required=True, max_length=max_length)
    if code:
        try:
            validate_slug(code)
        except ValidationError:
            cells.error("code", _("use only letters, digits, - and _: %(code)r") % {"code": code})
        if code in seen:
            cells.error("code", _("the code is already on row %(row)d") % {"row": seen[code]})
        else:
            seen[code] = cells.row
    return code


def _cycle(code: str, parents: dict[str, str | None]) -> bool:
    seen = {code}
    node = parents.get(code)
    while node is not None:
        if node in seen:
            return True
        seen.add(node)
        node = parents.get(node)
    return False


def _finish(report: ImportReport, dry_run: bool, write: Callable[[], None]) -> ImportReport:
    report.dry_run = dry_run
    if report.errors:
        report.created = report.updated = 0
        return report
    # A dry run writes too and rolls back: the database checks everything a real run would.
    with transaction.atomic():
        write()
        if dry_run:
            transaction.set_rollback(True)
    report.written = not dry_run
    return report


# --- units ---------------------------------------------------------------------------------------


def import_units(table: Table, *, dry_run: bool = False, progress: Progress = None) -> ImportReport:
    report = ImportReport(rows=len(table.rows))
    if not check_header(table, report, UNIT_REQUIRED):
        return report
    existing = {u.code: u for u in Unit.objects.all()}
    names = {u.name: u.code for u in existing.values()}
    seen: dict[str, int] = {}
    parsed: list[tuple[int, str, dict[str, Any], str]] = []
    parents: dict[str, str | None] = dict(Unit.objects.values_list("code", "parent__code"))
    for row, raw in table.rows:
        cells = Cells(report, row, raw)
        code = unique_code(cells, seen)
        name = cells.text("name", required=True, max_length=100)
        if name and names.get(name, code) != code:
            cells.error("name", _("another unit is named %(name)r") % {"name": name})
        elif name:
            names[name] = code
        values = {
            "name": name,
            "kind": cells.choice("kind", UnitKind),
            "peer_group": cells.choice("peer_group", PeerGroup, blank=True),
            "contact_person": cells.text("contact_person", max_length=50),
            "contact_phone": cells.text("contact_phone", max_length=30),
            "active": cells.boolean("active", True),
            "sort_order": cells.number("sort_order", 0),
        }
        parent = cells.text("parent")
        if code:
            parents[code] = parent or None
        parsed.append((row, code, values, parent))
        if progress is not None and row % 1000 == 0:
            progress(row)
    for row, code, _values, parent in parsed:
        if parent and parent not in parents:
            report.error(row, "parent", _("unknown unit code %(code)r") % {"code": parent})
        elif code and parent and _cycle(code, parents):
            report.error(row, "parent", _("the unit would be placed under itself"))
    # As in the admin (Unit.clean): a unit made inactive while active categories still name it
    # their default unit would be suggested for their orders and refused when chosen.
    retiring = {code: row for row, code, values, _parent in parsed if not values["active"]}
    defaults: dict[str, list[str]] = {}
    for category in Category.objects.filter(
        active=True, default_unit__code__in=list(retiring)
    ).select_related("default_unit", "parent__parent"):
        assert category.default_unit is not None  # filtered on its code
        defaults.setdefault(category.default_unit.code, []).append(str(category))
    for code, named in sorted(defaults.items()):
        report.error(
            retiring[code],
            "active",
            _("Still the default unit of %(categories)s: give them another unit first.")
            % {"categories": _(", ").join(sorted(named))},
        )

    def write() -> None:
        units: dict[str, Unit] = dict(existing)
        for _row, code, values, _parent in parsed:
            unit = units.get(code)
            if unit is None:
                unit = Unit(code=code)
                report.created += 1
            else:
                report.updated += 1
            for name, value in values.items():
                setattr(unit, name, value)
            # Names are unique: park a renamed unit under a temporary name until all are saved.
            unit.name = f"#import {code}"
            unit.save()
            units[code] = unit
        for _row, code, values, parent in parsed:
            unit = units[code]
            unit.name = values["name"]
            unit.parent = units[parent] if parent else None
            unit.save(update_fields=["name", "parent"])

    return _finish(report, dry_run, write)


def export_units() -> tuple[tuple[str, ...], Iterator[list[Any]]]:
    units = Unit.objects.select_related("parent").order_by("sort_order", "code")

    def rows() -> Iterator[list[Any]]:
        for u in units:
            yield [
                u.code,
                u.name,
                u.kind,
                u.parent.code if u.parent else "",
                u.peer_group,
                u.contact_person,
                u.contact_phone,
                "true" if u.active else "false",
                u.sort_order,
            ]

    return UNIT_COLUMNS, rows()


# --- categories ----------------------------------------------------------------------------------


def import_categories(
    table: Table, *, dry_run: bool = False, progress: Progress = None
) -> ImportReport:
    report = ImportReport(rows=len(table.rows))
    if not check_header(table, report, CATEGORY_REQUIRED):
        return report
    existing = {c.code: c for c in Category.objects.all()}
    parents: dict[str, str | None] = dict(Category.objects.values_list("code", "parent__code"))
    names: dict[tuple[str | None, str], str] = {
        (parents[c.code], c.name): c.code for c in existing.values()
    }
    units = {u.code: u for u in Unit.objects.all()}
    policies = {p.code: p for p in DeadlinePolicy.objects.all()}
    seen: dict[str, int] = {}
    parsed: list[tuple[int, str, dict[str, Any], str]] = []
    for row, raw in table.rows:
        cells = Cells(report, row, raw)
        code = unique_code(cells, seen)
        name = cells.text("name", required=True, max_length=100)
        parent = cells.text("parent")
        unit_code = cells.text("default_unit")
        unit = units.get(unit_code) if unit_code else None
        active = cells.boolean("active", True)
        if unit_code and unit is None:
            cells.error("default_unit", _("unknown unit code %(code)r") % {"code": unit_code})
        elif unit is not None and unit.kind == UnitKind.HOTLINE_CENTRE:
            cells.error("default_unit", _("the hotline centre cannot receive orders"))
        elif unit is not None and not unit.active and active:
            # As in the admin (Category.clean): an inactive unit receives no orders.
            cells.error("default_unit", _("%(unit)s cannot receive orders.") % {"unit": unit.name})
        policy_code = cells.text("deadline_policy")
        policy = policies.get(policy_code) if policy_code else None
        if policy_code and policy is None:
            cells.error(
                "deadline_policy", _("unknown deadline policy %(code)r") % {"code": policy_code}
            )
        values = {
            "name": name,
            "default_unit": unit,
            "deadline_policy": policy,
            "active": active,
            "sort_order": cells.number("sort_order", 0),
        }
        if code:
            parents[code] = parent or None
        parsed.append((row, code, values, parent))
        if progress is not None and row % 1000 == 0:
            progress(row)

    def level(code: str) -> int:
        depth, node = 1, parents.get(code)
        while node is not None:
            depth, node = depth + 1, parents.get(node)
        return depth

    for row, code, values, parent in parsed:
        if not code:
            continue
        if parent and parent not in parents:
            report.error(row, "parent", _("unknown category code %(code)r") % {"code": parent})
            continue
        if _cycle(code, parents):
            report.error(row, "parent", _("the category would be placed under itself"))
            continue
        if level(code) > Category.MAX_LEVEL:
            report.error(row, "parent", _("categories have at most three levels"))
        name = str(values["name"])
        key = (parent or None, name)
        if name and names.get(key, code) != code:
            report.error(
                row,
                "name",
                _("another category under the same parent is named %(name)r") % {"name": name},
            )
        elif name:
            names[key] = code

    def write() -> None:
        categories: dict[str, Category] = dict(existing)
        # Parents first: a category's level is computed from its parent when it is saved.
        for _row, code, values, parent in sorted(parsed, key=lambda p: level(p[1])):
            category = categories.get(code)
            if category is None:
                category = Category(code=code)
                report.created += 1
            else:
                report.updated += 1
            for name, value in values.items():
                setattr(category, name, value)
            category.parent = categories[parent] if parent else None
            # Re-levelled below, once the whole file is in: a row may move a sub-category away
            # later in the file (the file's tree is what was checked above).
            category.save(relevel=False)
            categories[code] = category
        # A moved category's descendants change level too.
        for category in sorted(categories.values(), key=lambda c: level(c.code)):
            if category.level != level(category.code):
                category.parent = categories[parents[category.code]]  # type: ignore[index]
                category.save(relevel=False, update_fields=["level"])

    return _finish(report, dry_run, write)


def export_categories() -> tuple[tuple[str, ...], Iterator[list[Any]]]:
    categories = Category.objects.select_related("parent", "default_unit", "deadline_policy")

    def rows() -> Iterator[list[Any]]:
        for c in categories.order_by("level", "sort_order", "code"):
            yield [
                c.code,
                c.name,
                c.parent.code if c.parent else "",
                c.default_unit.code if c.default_unit else "",
                c.deadline_policy.code if c.deadline_policy else "",
                "true" if c.active else "false",
                c.sort_order,
            ]

    return CATEGORY_COLUMNS, rows()
