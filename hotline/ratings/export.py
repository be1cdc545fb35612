"""好差评 export keyed by case number (办件编号), or by ticket where a visit opened no case.

One row per case (a visit with two cases gives two rows with the same rating), so the file can
be matched against the province's 好差评 system, which keys ratings by case. The columns are a
:class:`ExportFormat`: :class:`StandardFormat` is ours; a provincial format is another subclass
registered in :data:`FORMATS` (its own headers, level codes and row layout), with no change here.
Every cell goes through :mod:`hotline.interchange.cell_writer` (no live formulas, local times).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from typing import Any, ClassVar

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from hotline.interchange.cell_writer import csv_writer, excel_row
from hotline.ratings.models import Rating


class ExportFormat:
    """The columns of a 好差评 export; subclass it for another system's layout."""

    code: ClassVar[str]
    name: ClassVar[str]

    def headers(self) -> list[str]:  # pragma: no cover - interface
        raise NotImplementedError

    def row(self, rating: Rating, case_number: str) -> list[Any]:  # pragma: no cover
        raise NotImplementedError


class StandardFormat(ExportFormat):
    """Our layout: every field a hall or the centre asks about, labelled in the page's language."""

    code = "standard"
    name = "Hotline 12345"

    def headers(self) -> list[str]:
        return [
            _("Case number"),
            _("Ticket"),
            _("Served on"),
            _("Hall"),
            _("Window"),
            _("Matter"),
            _("Rating (1–5)"),
            _("Rating"),
            _("Reasons"),
            pgettext("a citizen's rating", "Comment"),
            _("Rated through"),
            _("Rated at"),
            _("Rectification order"),
            _("Order state"),
            _("Follow-up rating"),
            _("Appeal"),
        ]

    def row(self, rating: Rating, case_number: str) -> list[Any]:
        order = rating.order
        return [
            case_number,
            rating.ticket.number,
            rating.ticket.day,
            rating.hall.unit.name,
            rating.window.number if rating.window else "",
            rating.matter.name,
            rating.level,
            rating.get_level_display(),
            "、".join(rating.reason_labels()),
            rating.comment,
            rating.get_channel_display(),
            rating.rated_at,
            order.number if order else "",
            order.get_state_display() if order else "",
            rating.get_follow_up_level_display() if rating.follow_up_level else "",
            rating.get_appeal_display() if rating.appeal else "",
        ]


#: Export formats by code; a deployment adds its province's here (e.g. in an AppConfig.ready).
FORMATS: dict[str, ExportFormat] = {StandardFormat.code: StandardFormat()}


def rows(ratings: QuerySet[Rating], fmt: ExportFormat) -> Iterator[list[Any]]:
    """The header row, then one row per case (or per ticket without a case), oldest first."""
    yield fmt.headers()
    for rating in ratings.select_related(
        "ticket", "hall__unit", "window", "matter", "order"
    ).order_by("rated_at", "pk"):
        for number in rating.case_numbers or [""]:
            yield fmt.row(rating, number)


def to_csv(lines: Iterable[list[Any]]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens the Chinese text as such."""
    out = io.StringIO()
    writer = csv_writer(out)
    for line in lines:
        writer.writerow(line)
    return ("\ufeff" + out.getvalue()).encode()


def to_xlsx(lines: Iterable[list[Any]], title: str = "") -> bytes:
    """The lines (the header first) as a workbook; ``title`` (what and which period) heads each
    printed page."""
    from openpyxl import Workbook

    from hotline.interchange.print_setup import for_print

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Ratings"))
    for index, line in enumerate(lines):
        if index == 0:
            for_print(sheet, title=title or str(_("Ratings")), columns=len(line))
        sheet.append(excel_row(sheet, line))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
