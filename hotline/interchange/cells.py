"""Reading one typed value out of a text cell; problems go to the report with row and column."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import TextChoices
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hotline.assessment import periods
from hotline.interchange.report import ImportReport

TRUE = {"true", "1", "yes", "y", "是", "t"}
FALSE = {"false", "0", "no", "n", "否", "f"}


class Cells:
    """One row's cells with the report to complain to."""

    def __init__(self, report: ImportReport, row: int, cells: dict[str, str]) -> None:
        self.report, self.row, self.cells = report, row, cells
        self.failed = False

    def error(self, column: str, message: str) -> None:
        self.failed = True
        self.report.error(self.row, column, message)

    def text(self, column: str, *, required: bool = False, max_length: int = 0) -> str:
        value = self.cells.get(column, "").strip()
        if required and not value:
            self.error(column, _("empty"))
        # A line break is one character, as the actions count it (a cell's may be CRLF).
        elif max_length and len(value.replace("\r\n", "\n")) > max_length:
            self.error(column, _("longer than %(n)d characters") % {"n": max_length})
        return value

    def boolean(self, column: str, default: bool) -> bool:
        value = self.cells.get(column, "").strip().lower()
        if not value:
            return default
        if value in TRUE:
            return True
        if value in FALSE:
            return False
        self.error(column, _("give true or false, not %(value)r") % {"value": value})
        return default

    def number(self, column: str, default: int | None = None) -> int | None:
        value = self.cells.get(column, "").strip()
        if not value:
            return default
        try:
            number = int(value)
        except ValueError:
            self.error(column, _("not a whole number: %(value)r") % {"value": value})
            return default
        if number < 0:
            self.error(column, _("negative number: %(value)d") % {"value": number})
            return default
        return number

    def decimal(self, column: str, low: float, high: float) -> float | None:
        value = self.cells.get(column, "").strip()
        if not value:
            return None
        try:
            number = float(value)
        except ValueError:
            self.error(column, _("not a number: %(value)r") % {"value": value})
            return None
        if not low <= number <= high:
            self.error(column, _("out of range: %(value)s") % {"value": value})
            return None
        return number

    def choice(
        self, column: str, choices: type[TextChoices], default: str = "", *, blank: bool = False
    ) -> str:
        value = self.cells.get(column, "").strip()
        if not value:
            if not default and not blank:
                self.error(column, _("empty"))
            return default
        if value in choices.values:
            return value
        # A person may type the label (紧急 or Urgent) instead of the code.
        by_label = {}
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                by_label.update({str(label): code for code, label in choices.choices})
        if value in by_label:
            return by_label[value]
        self.error(
            column,
            _("unknown value %(value)r (one of %(values)s)")
            % {"value": value, "values": ", ".join(choices.values)},
        )
        return default

    def moment(self, column: str) -> dt.datetime | None:
        value = self.cells.get(column, "").strip()
        if not value:
            return None
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            self.error(
                column, _("not a date and time (YYYY-MM-DD HH:MM): %(value)r") % {"value": value}
            )
            return None
        # The range of every date a person types (year 1 overflowed the time-zone arithmetic and
        # stopped the whole file with no row named; 1900 is a typo, not an order's date).
        if not periods.in_range(parsed.date()):
            self.error(column, periods.out_of_range_message())
            return None
        # A spreadsheet's times are the hotline's local wall-clock times unless they say otherwise.
        return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed
