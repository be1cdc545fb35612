"""``hotline matters import|export matters|materials|bundles FILE.xlsx|FILE.csv [--dry-run]``.

Import prints each problem as ``row N, column: problem`` and writes nothing when there is one
(exit status 1); export writes the catalogue in the same columns, so a file round-trips.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from hotline.interchange.tables import TableError, format_of, read_table, write_table
from hotline.matters.interchange import KINDS


class Command(BaseCommand):
    help = "Import or export the matter catalogue (matters, materials, bundles) as Excel or CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("direction", choices=["import", "export"])
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("file", help="a .xlsx (first sheet) or .csv file with a header row")
        parser.add_argument("--dry-run", action="store_true", help="import: check only")

    def handle(
        self, *args: Any, direction: str, kind: str, file: str, dry_run: bool, **options: Any
    ) -> None:
        importer, exporter = KINDS[kind]
        try:
            fmt = format_of(file)
            if direction == "export":
                header, rows = exporter()
                with open(file, "wb") as out:
                    count = write_table(out, fmt, header, rows, title=kind)
                self.stdout.write(_("Exported %(n)d rows.") % {"n": count})
                return
            with open(file, "rb") as source:
                table = read_table(source, fmt)
        except (OSError, TableError) as exc:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": exc}
            ) from exc
        report = importer(table, dry_run=dry_run)
        for error in report.errors:
            self.stdout.write(str(error))
        if report.errors:
            raise CommandError(
                _("Problems: %(n)d.") % {"n": len(report.errors)} + " " + _("Nothing was imported.")
            )
        counts = {"created": report.created, "updated": report.updated}
        if dry_run:
            # As import-data says it: a dry run's counts read like a real import's (A-L1).
            summary = _("Dry run, nothing written: would create %(created)d, update %(updated)d.")
        else:
            summary = _("Created %(created)d, updated %(updated)d.")
        self.stdout.write(summary % counts)
