"""``hotline hotspots --from 2023-03-01 --to 2023-03-31 [--street CODE] [--json]``: hotspots.

Dates are inclusive local dates (``TIME_ZONE``); the period is ``[from 00:00, to + 1 day 00:00)``
and growth compares it with the period of the same length just before. See
:mod:`hotline.dispatch.hotspots`.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from hotline.assessment.management.commands.kpi import period
from hotline.dispatch.hotspots import Hotspot, hotspots
from hotline.org.models import Unit


class Command(BaseCommand):
    help = "Print the clusters of similar orders of a period, by street (dates inclusive)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="last day, YYYY-MM-DD")
        parser.add_argument("--street", help="only this street (by unit code)")
        parser.add_argument(
            "--min-size", dest="min_size", type=int, default=3, help="smallest cluster (3)"
        )
        parser.add_argument("--limit", type=int, default=20, help="at most this many (20)")
        parser.add_argument("--json", action="store_true", help="print JSON instead of a table")

    def handle(
        self,
        *args: Any,
        start: str,
        end: str,
        street: str | None,
        min_size: int,
        limit: int,
        **options: Any,
    ) -> None:
        begin, finish = period(start, end)
        if min_size < 1 or limit < 1:
            raise CommandError(_("--min-size and --limit must be at least 1."))
        if street and not Unit.objects.filter(code=street).exists():
            raise CommandError(_("No unit has the code %(code)s.") % {"code": street})
        found = hotspots(begin, finish, min_size=min_size, limit=limit, street=street or None)
        if options["json"]:
            data = [h.as_dict() for h in found]
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(self.table(found, start, end))

    def table(self, found: list[Hotspot], start: str, end: str) -> str:
        lines = [f"{start} – {end}"]
        if not found:
            lines.append(_("No hotspots."))
            return "\n".join(lines)
        header = ["#", "street", "size", "previous", "growth", "label", "category", "first", "last"]
        rows = [header]
        for rank, h in enumerate(found, 1):
            growth = "new" if h.growth is None else f"×{h.growth:.2f}"
            rows.append(
                [
                    str(rank),
                    f"{h.street_code} {h.street_name}".strip(),
                    str(h.size),
                    str(h.previous),
                    f"{growth} ({h.change:+d})",
                    h.label,
                    h.category_name or "-",
                    f"{timezone.localtime(h.first_registered):%Y-%m-%d %H:%M}",
                    f"{timezone.localtime(h.last_registered):%Y-%m-%d %H:%M}",
                ]
            )
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
        lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in rows]
        return "\n".join(lines)
