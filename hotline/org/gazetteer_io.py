"""The gazetteer (:class:`Place`) as CSV: ``kind,name,number_from,number_to,street,community``.

``street`` and ``community`` are unit codes; the numbers and the community may be left empty.
Every row is checked before anything is written, and an import is all or nothing: one bad row and
the table is left as it was. ``replace`` deletes the existing places first, in the same
transaction. Without it, a row equal to a place already there (every column the same) is skipped,
and counted: an export edited in Excel and imported back adds its new rows, not a second copy of
every place (walk-through, session 25, A-M3). A row that names a place already there (same kind,
name and house numbers) under another street or neighbourhood committee is still added — a road
may run through two streets — but the import names it: an administrator who corrected a row in
the export learns that the wrong place stays beside it, and that ``replace`` with the whole export
corrects it (review, session 25, L5). The matcher's cache is dropped after a write.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from django.db import transaction
from django.utils.translation import gettext as _

from hotline.interchange.cell_writer import csv_row
from hotline.interchange.tables import cell_text
from hotline.org import gazetteer
from hotline.org.models import Place, PlaceKind, Unit, UnitKind

COLUMNS = ("kind", "name", "number_from", "number_to", "street", "community")


class _Writable(Protocol):
    def write(self, text: str, /) -> object: ...


@dataclass(frozen=True)
class RowError:
    """A problem with one cell (``column`` empty for the row as a whole). Rows are numbered as a
    spreadsheet shows them: the header is row 1."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.column:
            return _("row %(row)d, %(column)s: %(problem)s") % {
                "row": self.row,
                "column": self.column,
                "problem": self.message,
            }
        return _("row %(row)d: %(problem)s") % {"row": self.row, "problem": self.message}


@dataclass
class ImportReport:
    places: list[Place] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    replaced: int = 0
    #: Rows equal to a place already in the gazetteer (or to an earlier row): not written.
    skipped: int = 0
    #: Rows written beside a place of the same kind, name and numbers in another street or
    #: neighbourhood committee: not errors, said so that a correction is not taken for done.
    notices: list[RowError] = field(default_factory=list)
    written: bool = False


def _number(raw: str, row: int, column: str, errors: list[RowError]) -> int | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        errors.append(RowError(row, column, _("not a whole number: %(value)r") % {"value": raw}))
        return None
    if value < 0:
        errors.append(RowError(row, column, _("negative number: %(value)d") % {"value": value}))
        return None
    return value


def parse(lines: Iterable[str]) -> tuple[list[Place], list[RowError]]:
    """Unsaved places and the problems found, every row checked."""
    rows, errors = _parse_rows(lines)
    return [place for _row, place in rows], errors


def _parse_rows(lines: Iterable[str]) -> tuple[list[tuple[int, Place]], list[RowError]]:
    """As :func:`parse`, each place with its row number."""
    reader = csv.DictReader(lines)
    errors: list[RowError] = []
    header = [(name or "").strip() for name in reader.fieldnames or []]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        errors.append(
            RowError(1, "", _("missing columns: %(columns)s") % {"columns": ", ".join(missing)})
        )
        return [], errors
    reader.fieldnames = header
    units = {u.code: u for u in Unit.objects.all()}
    kinds = set(PlaceKind.values)
    places: list[tuple[int, Place]] = []
    for row_number, row in enumerate(reader, start=2):
        # cell_text: as every import reads a cell, so an export's guarded '=… reads back as =….
        cells = {c: cell_text(row.get(c) or "") for c in COLUMNS}
        if not any(cells.values()):
            continue  # a blank line
        before = len(errors)
        kind = cells["kind"]
        if kind not in kinds:
            errors.append(
                RowError(
                    row_number,
                    "kind",
                    _("unknown kind %(value)r (one of %(kinds)s)")
                    % {"value": kind, "kinds": ", ".join(sorted(kinds))},
                )
            )
        name = cells["name"]
        if not name:
            errors.append(RowError(row_number, "name", _("empty name")))
        elif len(name) > Place._meta.get_field("name").max_length:  # type: ignore[operator]
            errors.append(RowError(row_number, "name", _("name too long")))
        low = _number(cells["number_from"], row_number, "number_from", errors)
        high = _number(cells["number_to"], row_number, "number_to", errors)
        if low is not None and high is not None and low > high:
            errors.append(
                RowError(
                    row_number,
                    "number_to",
                    _("number_from %(low)d is greater than number_to %(high)d")
                    % {"low": low, "high": high},
                )
            )
        street = units.get(cells["street"])
        if not cells["street"]:
            errors.append(RowError(row_number, "street", _("empty street code")))
        elif street is None:
            errors.append(
                RowError(
                    row_number,
                    "street",
                    _("unknown unit code %(code)r") % {"code": cells["street"]},
                )
            )
            street = None
        elif street.kind != UnitKind.STREET:
            errors.append(
                RowError(
                    row_number,
                    "street",
                    _("unit %(code)r is not a street") % {"code": street.code},
                )
            )
            street = None
        community = None
        if cells["community"]:
            community = units.get(cells["community"])
            if community is None:
                errors.append(
                    RowError(
                        row_number,
                        "community",
                        _("unknown unit code %(code)r") % {"code": cells["community"]},
                    )
                )
            elif community.kind != UnitKind.NEIGHBOURHOOD or (
                street is not None and community.parent_id != street.pk
            ):
                errors.append(
                    RowError(
                        row_number,
                        "community",
                        _("unit %(code)r is not a neighbourhood committee of street %(street)r")
                        % {"code": community.code, "street": cells["street"]},
                    )
                )
        if len(errors) == before and street is not None:
            places.append(
                (
                    row_number,
                    Place(
                        kind=kind,
                        name=name,
                        number_from=low,
                        number_to=high,
                        street=street,
                        community=community,
                    ),
                )
            )
    return places, errors


def import_places(
    lines: Iterable[str], *, dry_run: bool = False, replace: bool = False
) -> ImportReport:
    """Check every row; write them all (after deleting the old places with ``replace``) only when
    none is bad and this is no dry run."""
    rows, errors = _parse_rows(lines)
    report = ImportReport(places=[place for _row, place in rows], errors=errors)
    if not errors and not replace:
        report.places, report.skipped, report.notices = _new_only(rows)
    if errors or dry_run:
        return report
    with transaction.atomic():
        if replace:
            report.replaced, _by_model = Place.objects.all().delete()
        Place.objects.bulk_create(report.places)
    report.written = True
    gazetteer.invalidate()
    return report


_Key = tuple[str, str, int | None, int | None, int, int | None]


def _key(place: Place) -> _Key:
    return (
        place.kind,
        place.name,
        place.number_from,
        place.number_to,
        place.street_id,
        place.community_id,
    )


def _new_only(rows: list[tuple[int, Place]]) -> tuple[list[Place], int, list[RowError]]:
    """The places not already in the gazetteer (nor earlier in the file), how many were, and a
    notice for each new one that sits beside a place of the same kind, name and numbers
    elsewhere."""
    seen: set[_Key] = set(
        Place.objects.values_list(
            "kind", "name", "number_from", "number_to", "street_id", "community_id"
        )
    )
    names = dict(Unit.objects.values_list("pk", "name"))
    elsewhere: dict[tuple[str, str, int | None, int | None], _Key] = {
        key[:4]: key for key in sorted(seen, key=lambda k: (k[4], k[5] or 0))
    }
    new: list[Place] = []
    notices: list[RowError] = []
    for row, place in rows:
        key = _key(place)
        if key in seen:
            continue
        there = elsewhere.get(key[:4])
        if there is not None:
            where = names.get(there[4], "")
            if there[5]:
                where += " " + names.get(there[5], "")
            notices.append(
                RowError(
                    row,
                    "street",
                    _(
                        "%(name)s is already in the gazetteer under %(where)s: this row adds a "
                        "second place beside it. To correct that place, import the whole edited "
                        "export with --replace."
                    )
                    % {"name": place.name, "where": where},
                )
            )
        seen.add(key)
        new.append(place)
    return new, len(rows) - len(new), notices


def export_places(out: _Writable) -> int:
    """Write every place as CSV (header first); returns the number of places. Cells go through
    the product's one cell writer: a place name typed as ``=HYPERLINK(…)`` opens in Excel as
    text, not as a live formula."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    count = 0
    places = Place.objects.select_related("street", "community").order_by(
        "street__code", "kind", "name", "number_from", "pk"
    )
    for place in places:
        writer.writerow(
            csv_row(
                [
                    place.kind,
                    place.name,
                    "" if place.number_from is None else place.number_from,
                    "" if place.number_to is None else place.number_to,
                    place.street.code,
                    place.community.code if place.community else "",
                ]
            )
        )
        count += 1
    return count
