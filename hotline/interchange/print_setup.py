"""How every Excel export prints (the monthly report, the order search, the ratings, the tables
of the admin and the CLI): A4, landscape when wide, fitted to one page wide, the heading rows
repeated on every page, the title and period in the page header, page numbers in the footer, and
the heading rows frozen on screen. Before, none had a print setup: a wide sheet printed its
columns over several pages and only the first page had headings (walk-through, session 28, F2).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

#: More columns than this print landscape.
WIDE_COLUMNS = 6
#: Excel refuses a page header longer than 255 characters (codes included).
_HEADER_MAX = 200


def _header_text(text: str) -> str:
    # "&" starts a code in a page header (&P, &D...): a literal one is written "&&".
    text = " ".join(str(text).split())
    if len(text) > _HEADER_MAX:
        text = text[: _HEADER_MAX - 1] + "…"
    return text.replace("&", "&&")


def for_print(
    sheet: Any,
    *,
    title: str,
    columns: int,
    heading_rows: int = 1,
    freeze: str | None = None,
) -> None:
    """Set up ``sheet`` (a worksheet, write-only or not) for printing: ``title`` (what and which
    period) in the page header, ``columns`` wide, its first ``heading_rows`` rows repeated on
    every page and frozen (``freeze``: the cell to freeze at instead, e.g. "B3" to keep the
    first column too)."""
    setup = sheet.page_setup
    setup.paperSize = Worksheet.PAPERSIZE_A4
    setup.orientation = "landscape" if columns > WIDE_COLUMNS else "portrait"
    setup.fitToWidth = 1
    setup.fitToHeight = 0  # as many pages down as it takes
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = f"1:{heading_rows}"
    sheet.freeze_panes = freeze or f"A{heading_rows + 1}"
    sheet.oddHeader.center.text = _header_text(title)
    sheet.oddFooter.center.text = (
        _header_text(_("Page %(page)s of %(pages)s"))
        .replace("%(page)s", "&P")
        .replace("%(pages)s", "&N")
    )
