"""The gazetteer through :mod:`hotline.org.gazetteer_io`: a table (from Excel or CSV) is turned
into that module's CSV, row for row, so its checks and its all-or-nothing write apply unchanged."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from hotline.interchange.report import ImportReport
from hotline.interchange.tables import Table
from hotline.org import gazetteer_io
from hotline.org.models import Place

COLUMNS = gazetteer_io.COLUMNS


def _csv_lines(table: Table) -> list[str]:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.header)
    row_number = 1
    for number, cells in table.rows:
        # Keep the spreadsheet's row numbers: gazetteer_io skips rows whose cells are all empty.
        while row_number + 1 < number:
            writer.writerow(["" for _ in table.header])
            row_number += 1
        writer.writerow([cells.get(name, "") for name in table.header])
        row_number = number
    return out.getvalue().splitlines(keepends=True)


def import_places(
    table: Table, *, dry_run: bool = False, replace: bool = False, progress: Any = None
) -> ImportReport:
    result = gazetteer_io.import_places(_csv_lines(table), dry_run=dry_run, replace=replace)
    report = ImportReport(rows=len(table.rows), errors=result.errors, dry_run=dry_run)
    report.written = result.written
    if not result.errors:
        report.created = len(result.places)
        report.skipped = result.skipped
        report.notices = result.notices
    return report


def export_places() -> tuple[tuple[str, ...], Iterator[list[Any]]]:
    places = Place.objects.select_related("street", "community").order_by(
        "street__code", "kind", "name", "number_from", "pk"
    )

    def rows() -> Iterator[list[Any]]:
        for p in places:
            yield [
                p.kind,
                p.name,
                p.number_from,
                p.number_to,
                p.street.code,
                p.community.code if p.community else "",
            ]

    return COLUMNS, rows()
