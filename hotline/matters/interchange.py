"""The matter catalogue as tables (Excel or CSV): matters, their materials, bundles.

Each import checks every row against the database and the rest of the file first and reports
problems per row and column; the file is written in one transaction or not at all, so a
spreadsheet with one bad row changes nothing. Rows are keyed by code (materials by matter code and
material name): an existing key updates, a new one creates.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from hotline.interchange.cells import Cells
from hotline.interchange.organisation import check_header, unique_code
from hotline.interchange.report import ImportReport
from hotline.interchange.tables import Table
from hotline.matters.models import (
    Bundle,
    HandlingKind,
    Material,
    MaterialForm,
    Matter,
    limit_errors,
    queue_group_error,
)
from hotline.org.models import Unit

MATTER_COLUMNS = (
    "code",
    "name",
    "unit",
    "kind",
    "statutory_days",
    "promised_days",
    "visits",
    "appointment_allowed",
    "prereview_allowed",
    "remote_ticket_allowed",
    "queue_group",
    "service_minutes",
    "active",
)
MATERIAL_COLUMNS = ("matter", "name", "required", "form", "copies", "note", "sort_order")
BUNDLE_COLUMNS = ("code", "name", "matters", "active")

# Upper bounds of the numbers a row may carry (the time limits' are matters.models.limit_errors):
# past them a value is a typing slip, and the columns (small integers) could not keep it on
# PostgreSQL, where the write stopped the whole import with no row named.
COPIES_MAX = 99
SORT_ORDER_MAX = 32767

# Bundle members are listed in one cell: "jzz;lnjt" or "jzz、lnjt" or one per line.
_LIST = re.compile(r"[;；,，、\s]+")


def _write(report: ImportReport, dry_run: bool, write: Any) -> ImportReport:
    report.dry_run = dry_run
    if report.errors:
        report.created = report.updated = 0
        return report
    with transaction.atomic():
        write()
        if dry_run:
            transaction.set_rollback(True)
    report.written = not dry_run
    return report


def import_matters(table: Table, *, dry_run: bool = False) -> ImportReport:
    """Create or update matters from a table with :data:`MATTER_COLUMNS`."""
    report = ImportReport(rows=len(table.rows))
    if not check_header(table, report, ("code", "name")):
        return report
    units = dict(Unit.objects.values_list("code", "pk"))
    seen: dict[str, int] = {}
    parsed: list[tuple[str, dict[str, Any]]] = []
    for row, raw in table.rows:
        cells = Cells(report, row, raw)
        code = unique_code(cells, seen, max_length=40)
        unit_code = cells.text("unit")
        if unit_code and unit_code not in units:
            cells.error("unit", _("unknown unit code %(code)r") % {"code": unit_code})
        values: dict[str, Any] = {
            "name": cells.text("name", required=True, max_length=120),
            "unit_id": units.get(unit_code),
            "kind": cells.choice("kind", HandlingKind, HandlingKind.INSTANT),
            "statutory_days": cells.number("statutory_days", 0),
            "promised_days": cells.number("promised_days", 0),
            "visits": cells.number("visits", 1),
            "appointment_allowed": cells.boolean("appointment_allowed", True),
            "prereview_allowed": cells.boolean("prereview_allowed", False),
            "remote_ticket_allowed": cells.boolean("remote_ticket_allowed", False),
            "queue_group": cells.text("queue_group", max_length=16) or "A",
            "service_minutes": cells.number("service_minutes", 10),
            "active": cells.boolean("active", True),
        }
        for column, message in limit_errors(
            values["statutory_days"], values["promised_days"]
        ).items():
            cells.error(column, message)
        if problem := queue_group_error(values["queue_group"]):
            cells.error("queue_group", problem)
        if (values["visits"] or 0) > 9:
            cells.error("visits", _("at most 9 visits"))
        if not 1 <= (values["service_minutes"] or 0) <= 240:
            cells.error("service_minutes", _("between 1 and 240 minutes"))
        if not cells.failed:
            parsed.append((code, values))

    def write() -> None:
        existing = {m.code: m for m in Matter.objects.all()}
        for code, values in parsed:
            matter = existing.get(code) or Matter(code=code)
            report.created += matter.pk is None
            report.updated += matter.pk is not None
            for name, value in values.items():
                setattr(matter, name, value)
            matter.save()

    return _write(report, dry_run, write)


def import_materials(table: Table, *, dry_run: bool = False) -> ImportReport:
    """Create or update material list items, keyed by (matter code, material name)."""
    report = ImportReport(rows=len(table.rows))
    if not check_header(table, report, ("matter", "name")):
        return report
    matters = dict(Matter.objects.values_list("code", "pk"))
    seen: dict[tuple[str, str], int] = {}
    parsed: list[tuple[int, str, dict[str, Any]]] = []
    for row, raw in table.rows:
        cells = Cells(report, row, raw)
        matter = cells.text("matter", required=True)
        name = cells.text("name", required=True, max_length=200)
        if matter and matter not in matters:
            cells.error("matter", _("unknown matter code %(code)r") % {"code": matter})
        if (matter, name) in seen:
            cells.error(
                "name", _("the material is already on row %(row)d") % {"row": seen[matter, name]}
            )
        seen.setdefault((matter, name), row)
        copies = cells.number("copies", 1)
        sort_order = cells.number("sort_order", row)
        values = {
            "required": cells.boolean("required", True),
            "form": cells.choice("form", MaterialForm, MaterialForm.ORIGINAL),
            "copies": copies,
            "note": cells.text("note", max_length=300),
            "sort_order": sort_order,
        }
        if (copies or 0) > COPIES_MAX:
            cells.error("copies", _("at most %(n)d copies") % {"n": COPIES_MAX})
        if (sort_order or 0) > SORT_ORDER_MAX:
            cells.error("sort_order", _("at most %(n)d") % {"n": SORT_ORDER_MAX})
        if not cells.failed:
            parsed.append((matters[matter], name, values))

    def write() -> None:
        for matter_id, name, values in parsed:
            _material, created = Material.objects.update_or_create(
                matter_id=matter_id, name=name, defaults=values
            )
            report.created += created
            report.updated += not created

    return _write(report, dry_run, write)


def import_bundles(table: Table, *, dry_run: bool = False) -> ImportReport:
    """Create or update bundles; ``matters`` lists member matter codes in one cell."""
    report = ImportReport(rows=len(table.rows))
    if not check_header(table, report, ("code", "name", "matters")):
        return report
    matters = dict(Matter.objects.values_list("code", "pk"))
    seen: dict[str, int] = {}
    parsed: list[tuple[str, dict[str, Any], list[int]]] = []
    for row, raw in table.rows:
        cells = Cells(report, row, raw)
        code = unique_code(cells, seen, max_length=40)
        members = [m for m in _LIST.split(cells.text("matters", required=True)) if m]
        unknown = [m for m in members if m not in matters]
        if unknown:
            cells.error(
                "matters", _("unknown matter codes: %(codes)s") % {"codes": ", ".join(unknown)}
            )
        elif len(set(members)) < 2 and members:
            cells.error("matters", _("a bundle joins at least two matters"))
        values = {
            "name": cells.text("name", required=True, max_length=120),
            "active": cells.boolean("active", True),
        }
        if not cells.failed:
            parsed.append((code, values, [matters[m] for m in dict.fromkeys(members)]))

    def write() -> None:
        for code, values, member_ids in parsed:
            bundle, created = Bundle.objects.update_or_create(code=code, defaults=values)
            bundle.matters.set(member_ids)
            report.created += created
            report.updated += not created

    return _write(report, dry_run, write)


def export_matters() -> tuple[tuple[str, ...], Iterator[list[Any]]]:
    rows = (
        [
            m.code,
            m.name,
            m.unit.code if m.unit else "",
            m.kind,
            m.statutory_days,
            m.promised_days,
            m.visits,
            m.appointment_allowed,
            m.prereview_allowed,
            m.remote_ticket_allowed,
            m.queue_group,
            m.service_minutes,
            m.active,
        ]
        for m in Matter.objects.select_related("unit").order_by("code")
    )
    return MATTER_COLUMNS, rows


def export_materials() -> tuple[tuple[str, ...], Iterator[list[Any]]]:
    rows = (
        [m.matter.code, m.name, m.required, m.form, m.copies, m.note, m.sort_order]
        for m in Material.objects.select_related("matter").order_by("matter__code", "sort_order")
    )
    return MATERIAL_COLUMNS, rows


def export_bundles() -> tuple[tuple[str, ...], Iterator[list[Any]]]:
    rows = (
        [b.code, b.name, ";".join(sorted(m.code for m in b.matters.all())), b.active]
        for b in Bundle.objects.prefetch_related("matters").order_by("code")
    )
    return BUNDLE_COLUMNS, rows


#: kind → (importer, exporter), for the ``hotline matters`` command.
KINDS = {
    "matters": (import_matters, export_matters),
    "materials": (import_materials, export_materials),
    "bundles": (import_bundles, export_bundles),
}
