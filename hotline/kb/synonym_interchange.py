"""The synonyms list in and out of spreadsheets (the reviewer's page).

Columns ``terms`` (separated by / or 、) and ``one_way`` (yes/no, 是/否), the same as the list
shipped with the product (``hotline/kb/data/synonyms.csv``), so that file imports as it is and an
export imports back. An import is all or nothing: every row's problems are listed first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO, BinaryIO

from django.utils.translation import gettext as _

from hotline.interchange.tables import read_table, write_table
from hotline.kb import actions
from hotline.kb.actions.synonyms import clean_terms
from hotline.kb.models import SynonymGroup
from hotline.kb.rules import ActionError
from hotline.kb.search.synonyms import Group, parse_flag
from hotline.org.models import User

COLUMNS = ("terms", "one_way")
# The reviewer's page reads an upload: a list of synonyms is tens of rows, the shipped one 70.
# The catalogue's 20,000 let one upload hold 640,000 texts (session 27, h5): a hundred times the
# shipped list is still room to spare.
MAX_ROWS = 2_000
# Two columns, a text each: the workbook may hold two texts a row (and its header's).
STRINGS_PER_ROW = 2


@dataclass
class SynonymImportReport:
    rows: int = 0
    created: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def import_groups(source: BinaryIO, fmt: str, actor: User | None) -> SynonymImportReport:
    """Check every row, then add them all as new groups, or none when any row is wrong."""
    table = read_table(source, fmt, max_rows=MAX_ROWS, strings_per_row=STRINGS_PER_ROW)
    report = SynonymImportReport(rows=len(table.rows))
    if table.missing(["terms"]):
        report.errors.append((1, _("Missing column(s): %(columns)s") % {"columns": "terms"}))
        return report
    groups = []
    for number, row in table.rows:
        one_way = parse_flag(row.get("one_way", ""))
        if one_way is None:
            report.errors.append(
                (number, _("one_way: %(value)r is neither yes nor no.") % {"value": row["one_way"]})
            )
            continue
        try:
            terms = clean_terms(row.get("terms", ""))
        except ActionError as exc:
            report.errors.append((number, exc.message))
            continue
        groups.append(Group(tuple(terms), one_way))
    if not report.errors:
        report.created = len(actions.create_groups(actor, groups, reason=_("Imported")))
    return report


def export_groups(out: BinaryIO | IO[bytes], fmt: str) -> int:
    rows = (
        ["/".join(terms), "yes" if one_way else "no"]
        for terms, one_way in SynonymGroup.objects.filter(active=True)
        .order_by("pk")
        .values_list("terms", "one_way")
    )
    return write_table(out, fmt, COLUMNS, rows, title=_("Synonyms"))
