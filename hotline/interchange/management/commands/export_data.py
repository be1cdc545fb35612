"""``hotline export-data units|categories|gazetteer|orders --out FILE.xlsx|FILE.csv``.

The same columns an import reads (orders: those and where each order stands). ``--out -`` writes
CSV to stdout. Orders: ``--from``/``--to`` (dates, registration time) and ``--user``: only the
orders that user may see, phone numbers whole only for the centre roles that call citizens
(without ``--user`` every order, phone numbers masked).
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from hotline.interchange.cell_writer import atomic_output
from hotline.interchange.privacy import PHONE_ROLES
from hotline.interchange.registry import KINDS
from hotline.interchange.tables import TableError, format_of, write_table
from hotline.org.models import User
from hotline.security.models import Where
from hotline.security.phones import record_export


def _day(text: str) -> dt.datetime:
    try:
        return timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(text), dt.time()))
    except ValueError:
        raise CommandError(_("Give the date as YYYY-MM-DD: %(value)r") % {"value": text}) from None


class Command(BaseCommand):
    help = "Export units, categories, the gazetteer or orders to an Excel (.xlsx) or CSV file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument(
            "--out", required=True, help="a .xlsx or .csv file; - for CSV on stdout"
        )
        parser.add_argument("--user", help="orders: export as this user (visibility, phones)")
        parser.add_argument("--from", dest="start", help="orders registered on or after this day")
        parser.add_argument("--to", dest="end", help="orders registered on or before this day")

    def handle(
        self,
        *args: Any,
        kind: str,
        out: str,
        user: str | None,
        start: str | None,
        end: str | None,
        **options: Any,
    ) -> None:
        _importer, exporter = KINDS[kind]
        extra: dict[str, Any] = {}
        if kind == "orders":
            if user:
                try:
                    extra["user"] = User.objects.get(username=user, is_active=True)
                except User.DoesNotExist:
                    raise CommandError(_("No active user %(name)s.") % {"name": user}) from None
            if start:
                extra["registered_from"] = _day(start)
            if end:
                extra["registered_to"] = _day(end) + dt.timedelta(days=1)
        elif user or start or end:
            raise CommandError(_("--user, --from and --to apply to orders only."))
        header, rows = exporter(**extra)
        try:
            if out == "-":
                count = write_table(sys.stdout.buffer, "csv", header, rows, title=kind)
            else:
                fmt = format_of(out)
                with atomic_output(out) as target:
                    count = write_table(target, fmt, header, rows, title=kind)
        except (OSError, TableError) as exc:
            raise CommandError(
                _("Cannot write %(file)s: %(error)s") % {"file": out, "error": exc}
            ) from exc
        exporter_user = extra.get("user")
        if kind == "orders" and exporter_user is not None and exporter_user.has_role(*PHONE_ROLES):
            # Full phone numbers left the system: the phone-view record says who, when and what.
            record_export(
                exporter_user,
                Where.EXPORT,
                f"export-data orders: {count} rows, {start or '…'}–{end or '…'}, to {out}",
            )
        self.stderr.write(_("Exported %(n)d rows.") % {"n": count})
