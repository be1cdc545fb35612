"""``hotline report --month 2023-03 --out report.xlsx``: the monthly assessment workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from hotline.assessment import periods, report
from hotline.interchange.cell_writer import atomic_output


class Command(BaseCommand):
    help = "Write the monthly assessment report (rankings, KPIs, overdue, sampling) as Excel."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--out", help="the .xlsx file (default hotline-report-MONTH.xlsx)")

    def handle(self, *args: Any, month: str, out: str | None, **options: Any) -> None:
        try:
            periods.month_days(month)
        except periods.PeriodError as exc:
            raise CommandError(str(exc)) from exc
        path = Path(out or f"hotline-report-{month}.xlsx")
        if path.suffix.lower() != ".xlsx":
            raise CommandError(_("The report is an Excel workbook: name the file .xlsx."))
        if not path.parent.exists():
            raise CommandError(_("No such folder: %(path)s") % {"path": path.parent})
        workbook = report.build(month)
        with atomic_output(path) as target:  # never a truncated report in place of last one
            target.write(workbook)
        self.stdout.write(_("Wrote %(path)s") % {"path": path})
