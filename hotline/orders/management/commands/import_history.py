"""``hotline import-history FILE.jsonl [--dry-run] [--partial]``: load historical orders.

The format is docs/history-format.md. Every line is checked; by default one bad line and nothing is
imported. ``--partial`` imports the good lines, ``--dry-run`` checks and imports nothing. Progress
goes to stderr; the summary and the first errors to stdout; any error makes the exit status 1.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from hotline.orders.history import import_orders

#: Errors printed; the rest are counted.
SHOWN_ERRORS = 50


class Command(BaseCommand):
    help = "Import an order history (JSON Lines, docs/history-format.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the .jsonl file")
        parser.add_argument("--dry-run", action="store_true", help="check only, import nothing")
        parser.add_argument(
            "--partial", action="store_true", help="import the good lines even if others are bad"
        )

    def handle(self, *args: Any, file: str, dry_run: bool, partial: bool, **options: Any) -> None:
        def progress(lines: int) -> None:
            self.stderr.write(_("%(lines)d lines read …") % {"lines": lines})

        try:
            with open(file, encoding="utf-8-sig") as lines:
                report = import_orders(
                    lines, dry_run=dry_run, all_or_nothing=not partial, progress=progress
                )
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": exc}
            ) from exc
        if dry_run:
            summary = _("Dry run: %(orders)d orders with %(events)d events would be imported.")
        else:
            summary = _("Imported %(orders)d orders with %(events)d events.")
        self.stdout.write(summary % {"orders": report.imported, "events": report.events})
        if not report.errors:
            return
        for error in report.errors[:SHOWN_ERRORS]:
            self.stdout.write(str(error))
        hidden = len(report.errors) - SHOWN_ERRORS
        if hidden > 0:
            self.stdout.write(_("… and %(n)d more errors.") % {"n": hidden})
        message = _("Lines with errors: %(n)d.") % {"n": len(report.errors)}
        if not partial and not dry_run:
            message += " " + _("Nothing was imported.")
        raise CommandError(message)
