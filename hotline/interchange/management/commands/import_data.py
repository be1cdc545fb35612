"""``hotline import-data units|categories|gazetteer|orders FILE.xlsx|FILE.csv [--dry-run]``.

Every row is checked and each problem printed as ``row N, column: problem``; one bad row and
nothing is written (exit status 1). ``--dry-run`` checks everything and writes nothing. Orders are
registered through the same write path as intake, as ``--user`` (an operator or dispatcher) or as
the system. ``--replace`` (gazetteer only) deletes the existing places first, in the same
transaction. Progress goes to stderr.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from hotline.interchange.registry import KINDS
from hotline.interchange.tables import TableError, format_of, read_table
from hotline.org.models import User

#: Problems printed; the rest are counted.
SHOWN_ERRORS = 100


class Command(BaseCommand):
    help = "Import units, categories, the gazetteer or orders from an Excel (.xlsx) or CSV file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("file", help="a .xlsx (first sheet) or .csv file with a header row")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument(
            "--user", help="orders: register them as this operator or dispatcher (username)"
        )
        parser.add_argument(
            "--replace", action="store_true", help="gazetteer: delete the existing places first"
        )

    def handle(
        self,
        *args: Any,
        kind: str,
        file: str,
        dry_run: bool,
        user: str | None,
        replace: bool,
        **options: Any,
    ) -> None:
        importer, _exporter = KINDS[kind]
        extra: dict[str, Any] = {}
        if kind == "orders":
            extra["actor"] = self._user(user)
        elif user:
            raise CommandError(_("--user applies to orders only."))
        if replace:
            if kind != "gazetteer":
                raise CommandError(_("--replace applies to the gazetteer only."))
            extra["replace"] = True
        try:
            with open(file, "rb") as source:
                table = read_table(source, format_of(file))
        except (OSError, TableError) as exc:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": exc}
            ) from exc

        def progress(rows: int) -> None:
            self.stderr.write(
                _("%(rows)d of %(total)d rows …") % {"rows": rows, "total": len(table.rows)}
            )

        report = importer(table, dry_run=dry_run, progress=progress, **extra)
        for error in report.errors[:SHOWN_ERRORS]:
            self.stdout.write(str(error))
        hidden = len(report.errors) - SHOWN_ERRORS
        if hidden > 0:
            self.stdout.write(_("… and %(n)d more problems.") % {"n": hidden})
        if report.errors:
            message = _("Problems: %(n)d.") % {"n": len(report.errors)}
            raise CommandError(message + " " + _("Nothing was imported."))
        counts = {"created": report.created, "updated": report.updated, "rows": report.rows}
        if dry_run:
            summary = _(
                "Dry run: %(rows)d valid rows; %(created)d would be created, %(updated)d updated."
            )
        else:
            summary = _("Imported %(rows)d rows: %(created)d created, %(updated)d updated.")
        self.stdout.write(summary % counts)
        if report.skipped:
            self.stdout.write(_("Already there, skipped: %(n)d rows.") % {"n": report.skipped})
        for notice in report.notices:
            self.stdout.write(str(notice))

    def _user(self, username: str | None) -> User | None:
        if not username:
            return None
        try:
            return User.objects.get(username=username, is_active=True)
        except User.DoesNotExist:
            raise CommandError(_("No active user %(name)s.") % {"name": username}) from None
