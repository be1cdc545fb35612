"""``hotline kpi --from 2023-03-01 --to 2023-03-31 | --month 2023-03 | --week 2023-03-08
[--unit CODE] [--json]``: units' KPIs.

Dates are inclusive local dates (``TIME_ZONE``); the period is ``[from 00:00, to + 1 day 00:00)``.
With ``--unit`` only that unit and the units below it are printed (ranks are still among all
peers). Definitions: docs/kpis.md.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from hotline.assessment import kpis, periods
from hotline.org.models import Unit

COLUMNS = [
    kpis.SIGN_FOR,
    kpis.FIRST_CONTACT,
    kpis.ON_TIME_REPLY,
    kpis.RESOLUTION,
    kpis.SATISFACTION,
    kpis.SATISFACTION_SCORE,
    kpis.REOPEN,
    kpis.RETURN,
    kpis.UNREACHABLE,
]


def period(
    start: str | None, end: str | None, month: str | None = None, week: str | None = None
) -> tuple[dt.datetime, dt.datetime]:
    """Inclusive local dates, a month (YYYY-MM) or the week of a day → an aware half-open period."""
    try:
        if month:
            return periods.month(month)
        if week:
            return periods.between(*periods.week_days(dt.date.fromisoformat(week)))
        if not (start and end):
            raise CommandError(_("Give --from and --to, or --month, or --week."))
        return periods.between(dt.date.fromisoformat(start), dt.date.fromisoformat(end))
    except periods.PeriodError as exc:  # a ValueError too: caught first for its own message
        raise CommandError(str(exc)) from exc
    except ValueError as exc:
        raise CommandError(_("Give dates as YYYY-MM-DD: %(error)s") % {"error": exc}) from exc


class Command(BaseCommand):
    help = "Print every unit's KPIs for a period (dates inclusive, local time)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", help="last day, YYYY-MM-DD")
        parser.add_argument("--month", help="a calendar month, YYYY-MM (instead of --from/--to)")
        parser.add_argument("--week", help="the Monday-to-Sunday week of this day, YYYY-MM-DD")
        parser.add_argument("--unit", help="only this unit (by code) and the units below it")
        parser.add_argument("--json", action="store_true", help="print JSON instead of a table")

    def handle(
        self,
        *args: Any,
        start: str | None,
        end: str | None,
        month: str | None,
        week: str | None,
        unit: str | None,
        **options: Any,
    ) -> None:
        begin, finish = period(start, end, month, week)
        wanted: set[int] | None = None
        if unit:
            found = Unit.objects.filter(code=unit).first()
            if found is None:
                raise CommandError(_("No unit has the code %(code)s.") % {"code": unit})
            wanted = found.subtree_ids()
        report = kpis.compute(begin, finish)
        if wanted is not None:
            report.units = [u for u in report.units if u.unit_id in wanted]
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(self.table(report))

    def table(self, report: kpis.KpiReport) -> str:
        def cell(value: float | None) -> str:
            return "-" if value is None else f"{value:.2f}"

        header = ["unit", "volume", "overdue", *COLUMNS, "score", "rank"]
        rows = [header]
        for u in report.units:
            rows.append(
                [
                    f"{u.code} {u.name}",
                    str(u.volume),
                    str(u.overdue),
                    *(
                        f"{cell(u.ratios[c].value)} ({u.ratios[c].numerator}/"
                        f"{u.ratios[c].denominator})"
                        for c in COLUMNS
                    ),
                    cell(u.score),
                    "-" if u.rank is None else str(u.rank),
                ]
            )
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
        local = timezone.localtime
        title = (
            f"{local(report.start):%Y-%m-%d} – {local(report.end - dt.timedelta(days=1)):%Y-%m-%d}"
        )
        lines = [title]
        lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in rows]
        return "\n".join(lines)
