"""``hotline import-gazetteer FILE.csv [--dry-run] [--replace]``: load places into the gazetteer.

Columns ``kind,name,number_from,number_to,street,community`` (unit codes; numbers and community
optional). Every row is checked and reported; one bad row and nothing is written (exit status 1).
``--dry-run`` checks only; ``--replace`` deletes the existing places first, in the same transaction.
Without it a row equal to a place already there is skipped, and the count is said; a row adding a
place beside one of the same name and numbers in another street is named.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from hotline.org.gazetteer_io import import_places


class Command(BaseCommand):
    help = "Import gazetteer places from CSV (kind,name,number_from,number_to,street,community)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the .csv file (UTF-8)")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument(
            "--replace", action="store_true", help="delete the existing places first"
        )

    def handle(self, *args: Any, file: str, dry_run: bool, replace: bool, **options: Any) -> None:
        try:
            with open(file, encoding="utf-8-sig", newline="") as lines:
                report = import_places(lines, dry_run=dry_run, replace=replace)
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": exc}
            ) from exc
        for error in report.errors:
            self.stdout.write(str(error))
        if report.errors:
            message = _("Rows with errors: %(n)d.") % {"n": len(report.errors)}
            raise CommandError(message + " " + _("Nothing was imported."))
        if dry_run:
            summary = _("Dry run: %(places)d places would be imported.")
        else:
            summary = _("Imported %(places)d places.")
        self.stdout.write(summary % {"places": len(report.places)})
        if report.skipped:
            self.stdout.write(
                _("Already in the gazetteer, skipped: %(n)d rows.") % {"n": report.skipped}
            )
        for notice in report.notices:
            self.stdout.write(str(notice))
        if replace and not dry_run:
            self.stdout.write(_("Replaced %(n)d existing places.") % {"n": report.replaced})
