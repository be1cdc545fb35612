"""Spreadsheets in and out: ``.xlsx`` (openpyxl) and ``.csv`` files as rows of text cells.

Whatever the format, an import sees a header and rows of stripped strings keyed by column name,
each with the row number a spreadsheet shows (the header is row 1). Excel's typed cells are turned
into the text a CSV would hold: whole numbers without ``.0``, dates in ISO 8601, booleans as
``true``/``false``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, BinaryIO

from django.utils.translation import gettext as _

from hotline.interchange import cell_writer
from hotline.interchange.cell_writer import csv_writer, excel_row
from hotline.security.control_chars import strip_controls

FORMATS = ("xlsx", "csv")


class TableError(Exception):
    """The file cannot be read as a table at all (wrong format, broken workbook, encoding)."""


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)

    def missing(self, columns: Iterable[str]) -> list[str]:
        return [c for c in columns if c not in self.header]


def format_of(name: str) -> str:
    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise TableError(
            _("Unknown file type %(suffix)r: use .xlsx or .csv.") % {"suffix": "." + suffix}
        )
    return suffix


def cell_text(value: Any) -> str:
    """The text a CSV file would hold for an Excel cell."""
    if value is None:
        return ""
    if isinstance(value, str):
        # Control characters pasted from another program mean nothing in a cell (and PostgreSQL
        # cannot store a NUL): they go, as they do from the pages' forms.
        text = strip_controls(value).strip()
        if text.startswith("'") and text[1:2] and text[1] in "=+-@":
            return text[1:]
        return text
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


#: The longest cell a CSV file may hold (the csv module's own field limit).
MAX_CELL = 131_072
#: Excel's own limit (:mod:`hotline.interchange.cell_writer`): a cell that long was most likely
#: cut, by our exports (which say so at its end) or by another program.
EXCEL_MAX_CELL = cell_writer.EXCEL_MAX_CELL
#: How many problems a refused file lists before "and N more".
MAX_PROBLEMS = 20
#: The widest header an .xlsx file may have. Every row is read as wide as the header's last
#: named column, and the header is the uploader's: a name in column XFD made each row of one cell
#: 16,384 cells wide again (attack, session 26, h5 F3). The widest file the app writes has 28.
MAX_COLUMNS = 100


class _Formula:
    """An Excel cell holding a formula: its value would be whatever Excel last computed (or
    nothing), so the reader refuses it rather than guess."""


FORMULA = _Formula()


def _column(index: int, header: Sequence[str]) -> str:
    from openpyxl.utils import get_column_letter

    letter = get_column_letter(index + 1)
    name = header[index] if index < len(header) and header[index] else ""
    return f"{name} ({letter})" if name else letter


def _refuse(problems: list[str]) -> None:
    if problems:
        shown = problems[:MAX_PROBLEMS]
        if len(problems) > MAX_PROBLEMS:
            shown.append(_("… and %(n)d more.") % {"n": len(problems) - MAX_PROBLEMS})
        raise TableError("\n".join(shown))


def _checked(
    number: int,
    values: Sequence[Any],
    header: Sequence[str],
    problems: list[str],
    limit: int = MAX_CELL,
) -> list[str]:
    cells = []
    for index, value in enumerate(values):
        if value is FORMULA:
            problems.append(
                _("row %(row)d, %(column)s: a formula; paste its value instead")
                % {"row": number, "column": _column(index, header)}
            )
            value = ""
        text = cell_text(value)
        if len(text) > limit or (limit == EXCEL_MAX_CELL and len(text) == limit):
            problems.append(
                _("row %(row)d, %(column)s: longer than %(max)s characters")
                % {"row": number, "column": _column(index, header), "max": f"{limit:,}"}
            )
            text = ""
        cells.append(text)
    return cells


def _too_many(max_rows: int) -> TableError:
    return TableError(
        _(
            "The file has more than %(max)s rows: import at most %(max)s rows at a time "
            "(split the file)."
        )
        % {"max": f"{max_rows:,}"}
    )


def _table(
    rows: Iterator[Sequence[Any]], limit: int = MAX_CELL, max_rows: int | None = None
) -> Table:
    """The header and the rows; a file with a formula, an overlong cell or a repeated column name
    is refused as a whole, every such cell named by row and column. Past ``max_rows`` rows of
    data the reading stops, the whole file refused."""
    problems: list[str] = []
    try:
        first = next(rows)
    except StopIteration:
        return Table(header=[])
    header = _checked(1, first, [], problems, limit)
    while header and not header[-1]:
        header.pop()
    seen: dict[str, int] = {}
    for index, name in enumerate(header):
        if name and name in seen:
            problems.append(
                _("row 1: the column %(name)s appears twice (%(first)s and %(second)s)")
                % {
                    "name": name,
                    "first": _column(seen[name], []),
                    "second": _column(index, []),
                }
            )
        seen.setdefault(name, index)
    table = Table(header=header)
    for number, values in enumerate(rows, start=2):
        cells = _checked(number, values, header, problems, limit)
        row = {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(header) if name}
        if any(row.values()):
            table.rows.append((number, row))
            if max_rows is not None and len(table.rows) > max_rows:
                raise _too_many(max_rows)
    _refuse(problems)
    return table


def _too_wide(width: int) -> TableError:
    from openpyxl.utils import get_column_letter

    return TableError(
        _(
            "row 1: a column is named in %(column)s; a file is read up to column %(last)s "
            "(%(max)d columns). Delete the columns after %(last)s and import it again."
        )
        % {
            "column": get_column_letter(width),
            "last": get_column_letter(MAX_COLUMNS),
            "max": MAX_COLUMNS,
        }
    )


def _decode(data: bytes) -> str:
    # Excel on a Chinese Windows saves "CSV" in GB18030 (GBK); everything else sends UTF-8.
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    # GB18030 decodes almost any bytes, so a UTF-8 file with one stray byte would "succeed" as
    # garbled text. Chinese written in UTF-8 shows as valid multi-byte sequences: if the file
    # has more of those than bad bytes, it is UTF-8 with a fault, and the fault is named.
    loose = data.decode("utf-8-sig", errors="surrogateescape")
    valid = sum(1 for ch in loose if ord(ch) > 0x7F and not 0xDC80 <= ord(ch) <= 0xDCFF)
    invalid = sum(1 for ch in loose if 0xDC80 <= ord(ch) <= 0xDCFF)
    if valid > invalid:
        raise TableError(_where_undecodable(data[: utf8_error.start]))
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise TableError(_("The CSV file is neither UTF-8 nor GB18030 text.")) from None


def _where_undecodable(good: bytes) -> str:
    text = good.decode("utf-8-sig", errors="replace")
    records = list(csv.reader(io.StringIO(text, newline="")))
    row = max(len(records), 1)
    header = records[0] if records else []
    column = _column(max(len(records[-1]) - 1, 0), header) if records else "A"
    if text.endswith(("\n", "\r")):
        row, column = row + 1, _column(0, header)
    return _(
        "row %(row)d, %(column)s: a byte that is not UTF-8 in a UTF-8 file (save the file again "
        "as UTF-8; it was not read as GB18030, which would garble all its text)"
    ) % {"row": row, "column": column}


# An .xlsx row of an import is a few hundred bytes of sheet XML; this is several times that, so
# that only a workbook that expands far beyond its rows (a zip bomb) is refused unread.
EXPANDED_BYTES_PER_ROW = 4096


#: Shared strings a workbook may hold per row of the cap. openpyxl reads the whole table into a
#: list before the first row: 3.2 million short strings fit the expansion cap of a 20,000-row
#: import (76.8 MB from a 188 KB upload), 25 s and 700 MB for one request (attack, session 26,
#: h5 F4). An import's row has a few texts; this is several times the widest. An import of a
#: narrow table (the synonyms list: two columns) passes its own, lower figure.
SHARED_STRINGS_PER_ROW = 32
#: Strings the table may hold beyond the cells of its sheet that use one: a spreadsheet program
#: writes only the strings its cells use (the other sheets' ones too), so a table of 640,000
#: strings under a sheet of two cells was written to be expensive (session 27, r1 leftover:
#: 39 KB, 6 s and 100 MB for a 20,000-row import).
SHARED_STRINGS_SLACK = 1_000
#: Cells one row of the sheet may hold. openpyxl builds each row as a list of all its cells
#: before the reader keeps the header's width: one row of 3 million empty cells (a 64 KB upload
#: within the expansion cap) took 13 s and 2 GB (session 27, h5). Ten times the widest header.
MAX_CELLS_PER_ROW = 10 * MAX_COLUMNS
#: Bytes the parts openpyxl parses whole may expand to, together: the styles, the workbook, its
#: manifest, relationships and properties, a chart sheet and its drawing. They are not rows, but
#: the expansion cap (rows x EXPANDED_BYTES_PER_ROW) let one of them take it all: a 113 KB upload
#: with 37 MB of cell formats in its styles took 11 CPU s and 670 MB before a row was read
#: (attack, session 28, h4 F2). A spreadsheet program typically writes tens of KB there; 4 MB
#: leaves room for styles grown over years of copying (about 1.5 CPU s to parse).
PARSED_WHOLE_BYTES = 4 * 1024 * 1024
#: A part that is not XML (a picture, printer settings): openpyxl's reader opens none of them
#: unless a chart sheet's drawing points at it.
_NOT_XML = re.compile(r"^(?!.*\.(?:xml|rels)$)")

_PREFIX = rb"<(?:[A-Za-z_][\w.-]{0,31}:)?"
_SHARED_STRING = re.compile(_PREFIX + rb"si[\s/>]")
_ROW = re.compile(_PREFIX + rb"row[\s/>]")
_CELL = re.compile(_PREFIX + rb"c[\s/>]")
_STRING_CELL = re.compile(_PREFIX + rb"c\s[^<>]*?\bt\s*=\s*[\"']s[\"']")


def _chunks(archive: Any, name: str) -> Iterator[bytes]:
    """A part inflated a megabyte at a time, each chunk cut before its last ``<`` (the rest goes
    with the next), so that no tag is split between two chunks."""
    pending = b""
    with archive.open(name) as part:
        while chunk := part.read(1 << 20):
            data = pending + chunk
            cut = data.rfind(b"<")
            cut = len(data) if cut <= 0 else cut
            yield data[:cut]
            pending = data[cut:]
    if pending:
        yield pending


def _shared_strings(archive: Any, parts: set[str]) -> int:
    """How many strings the shared-strings ``parts`` hold, counted while inflating them a
    megabyte at a time (within the expansion cap), never parsed."""
    return sum(
        len(_SHARED_STRING.findall(chunk)) for name in parts for chunk in _chunks(archive, name)
    )


@dataclass
class _SheetCount:
    rows: int = 0
    cells: int = 0
    string_cells: int = 0
    widest_row: int = 0


@dataclass
class _Layout:
    """Where openpyxl's reader (read-only) finds a workbook's parts, found as it finds them: the
    shared strings and the workbook through the manifest ([Content_Types].xml), the sheets
    through the workbook's relationships, whatever the parts are called."""

    strings: set[str]  # the shared-strings parts: counted, never parsed here
    first_sheet: str | None  # the part read as ``worksheets[0]``, row by row
    parsed_whole: int  # bytes of the parts it parses whole before the first row


def _layout(source: BinaryIO, sizes: dict[str, int]) -> _Layout:
    """The workbook's :class:`_Layout`, reading only the manifest and the workbook part (and its
    relationships), each after its size is known to be within :data:`PARSED_WHOLE_BYTES`.

    The parts not parsed whole are the worksheets (the first read row by row, the others not at
    all), the shared strings (counted instead) and, with no chart sheet, what is not XML. They
    were told by their names (``worksheets/*.xml``, ``*sharedStrings.xml``), but openpyxl finds
    them by the manifest and the relationships: a workbook whose shared strings were declared at
    ``xl/worksheets/strs.xml`` had them neither counted nor capped, 4 million strings from a
    170 KB upload, 31 CPU s and 230 MB for a 20,000-row import (attack, session 29, h7 F2)."""
    from openpyxl.packaging.relationship import get_rels_path
    from openpyxl.reader.excel import ExcelReader, _find_workbook_part
    from openpyxl.xml.constants import (
        ARC_CONTENT_TYPES,
        ARC_CORE,
        ARC_CUSTOM,
        ARC_STYLE,
        ARC_THEME,
        SHARED_STRINGS,
    )

    strings = {name for name in sizes if name.lower().endswith("sharedstrings.xml")}
    parsed_whole = sizes.get(ARC_CONTENT_TYPES, 0)
    if parsed_whole > PARSED_WHOLE_BYTES:
        return _Layout(strings, None, parsed_whole)
    try:
        reader = ExcelReader(source, read_only=True)
    except Exception:  # not a zip: the caller's own reading says so
        return _Layout(strings, None, parsed_whole)
    try:
        reader.read_manifest()
        declared = reader.package.find(SHARED_STRINGS)
        if declared is not None and declared.PartName[1:] in sizes:
            strings.add(declared.PartName[1:])
        workbook = _find_workbook_part(reader.package).PartName[1:]
        workbook_rels = get_rels_path(workbook)
        parsed_whole += sizes.get(workbook, 0) + sizes.get(workbook_rels, 0)
        if parsed_whole > PARSED_WHOLE_BYTES:
            return _Layout(strings, None, parsed_whole)
        reader.read_workbook()
        sheets = [rel for _sheet, rel in reader.parser.find_sheets() if rel.target in sizes]
        targets = {rel.target for rel in reader.parser.rels.values()}
    except Exception:
        # No workbook openpyxl can read: load_workbook refuses the file, after reading its
        # shared strings (counted), having parsed nothing else of size.
        return _Layout(strings, None, parsed_whole)
    finally:
        reader.archive.close()
    rows = [rel.target for rel in sheets if "chartsheet" not in rel.Type]
    parsed = (
        {ARC_CONTENT_TYPES, ARC_CORE, ARC_CUSTOM, ARC_STYLE, ARC_THEME, workbook, workbook_rels}
        | (targets - set(rows) - strings)  # the workbook's relationships name its strings too
        | {get_rels_path(rel.target) for rel in sheets}
    )
    has_chart_sheet = len(rows) < len(sheets)
    not_xml = set() if has_chart_sheet else {n for n in sizes if _NOT_XML.search(n.lower())}
    not_parsed = (set(rows) | strings | not_xml) - parsed
    return _Layout(
        strings,
        rows[0] if rows else None,
        sum(size for name, size in sizes.items() if name not in not_parsed),
    )


def _count_sheet(archive: Any, name: str, max_rows: int) -> _SheetCount:
    """Rows and cells of the sheet, counted (not parsed) while inflating it; stops counting once
    it has more rows than the reader would read."""
    count = _SheetCount()
    in_row = 0
    for chunk in _chunks(archive, name):
        count.cells += len(_CELL.findall(chunk))
        count.string_cells += len(_STRING_CELL.findall(chunk))
        pieces = _ROW.split(chunk)
        in_row += len(_CELL.findall(pieces[0]))
        for piece in pieces[1:]:
            count.widest_row = max(count.widest_row, in_row)
            count.rows += 1
            in_row = len(_CELL.findall(piece))
        if count.rows > 2 * max_rows + 1:
            break
    count.widest_row = max(count.widest_row, in_row)
    return count


def _refuse_expanding(source: BinaryIO, max_rows: int, strings_per_row: int) -> None:
    """Refuse, before openpyxl parses a byte, a workbook whose parts would expand beyond what
    ``max_rows`` rows need: the sizes are the zip's own (Python's reader never inflates a part
    past its declared size), so a small upload cannot make a long parse. So is one with more
    shared strings than ``max_rows`` rows need (``strings_per_row`` a row) or than its sheet's
    cells use, a sheet of more rows than the reader reads, or a row far wider than a header."""
    import zipfile

    limit = (max_rows + 1) * EXPANDED_BYTES_PER_ROW
    strings = parsed_whole = 0
    sheet = _SheetCount()
    start = source.tell()
    try:
        with zipfile.ZipFile(source) as archive:
            sizes: dict[str, int] = {}
            for info in archive.infolist():
                sizes[info.filename] = sizes.get(info.filename, 0) + info.file_size
            expanded = sum(sizes.values())
            if expanded <= limit:
                layout = _layout(source, sizes)
                parsed_whole = layout.parsed_whole
                if parsed_whole <= PARSED_WHOLE_BYTES:
                    strings = _shared_strings(archive, layout.strings)
                    if layout.first_sheet is not None:
                        sheet = _count_sheet(archive, layout.first_sheet, max_rows)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError, zlib.error):
        expanded = parsed_whole = 0  # not a zip at all: load_workbook below says what to do
    finally:
        source.seek(start)
    if strings > min((max_rows + 1) * strings_per_row, sheet.string_cells + SHARED_STRINGS_SLACK):
        raise TableError(
            _(
                "This workbook holds %(count)s texts, more than %(max)s rows need. Save only the "
                "sheet of rows as a new .xlsx workbook, or as CSV (UTF-8), and import that."
            )
            % {"count": f"{strings:,}", "max": f"{max_rows:,}"}
        )
    if sheet.rows > 2 * max_rows + 1:
        raise _too_many(max_rows)
    if sheet.widest_row > MAX_CELLS_PER_ROW:
        raise TableError(
            _(
                "A row of this workbook has %(count)s cells, more than %(max)s. Save only the "
                "columns of the import as a new .xlsx workbook, or as CSV (UTF-8), and import that."
            )
            % {"count": f"{sheet.widest_row:,}", "max": f"{MAX_CELLS_PER_ROW:,}"}
        )
    if parsed_whole > PARSED_WHOLE_BYTES:
        raise TableError(
            _(
                "This workbook's formatting and other parts besides its rows open to %(size)s MB, "
                "more than an import reads (at most %(limit)s MB). Save only the sheet of rows as "
                "a new .xlsx workbook, or as CSV (UTF-8), and import that."
            )
            % {
                "size": f"{parsed_whole / 1024 / 1024:,.0f}",
                "limit": f"{PARSED_WHOLE_BYTES / 1024 / 1024:,.0f}",
            }
        )
    if expanded > limit:
        raise TableError(
            _(
                "This workbook opens to %(size)s MB, more than %(max)s rows need (at most "
                "%(limit)s MB). Save only the sheet of rows as a new .xlsx workbook (no pictures "
                "or other sheets), or as CSV (UTF-8), and import that."
            )
            % {
                "size": f"{expanded / 1024 / 1024:,.0f}",
                "max": f"{max_rows:,}",
                "limit": f"{limit / 1024 / 1024:,.0f}",
            }
        )


def _counted(rows: Iterator[Any], max_rows: int | None) -> Iterator[Any]:
    """Every row read counts toward the cap, empty ones too (``_table`` counts rows of data):
    a sheet of a million blank rows is refused at the cap, not read to its end."""
    for count, row in enumerate(rows, start=1):
        if max_rows is not None and count > 2 * max_rows + 1:
            raise _too_many(max_rows)
        yield row


def read_table(
    source: BinaryIO,
    fmt: str,
    *,
    max_rows: int | None = None,
    strings_per_row: int = SHARED_STRINGS_PER_ROW,
) -> Table:
    """Read a whole ``.xlsx`` (first sheet) or ``.csv`` file; one of more than ``max_rows`` rows
    of data is refused (:class:`TableError`) as soon as the row past the cap is read, and an
    .xlsx workbook holding more than ``strings_per_row`` texts a row of the cap before it is
    read."""
    if fmt == "csv":
        text = _decode(source.read())
        reader = csv.reader(io.StringIO(text, newline=""))

        def records() -> Iterator[list[str]]:
            count = 0
            try:
                for count, record in enumerate(reader, start=1):  # noqa: B007
                    yield record
            except csv.Error:
                # csv's own limit (MAX_CELL) or an unclosed quote: name the row it stopped at.
                raise TableError(
                    _("row %(row)d: a cell longer than %(max)s characters, or a quote not closed")
                    % {"row": count + 1, "max": f"{MAX_CELL:,}"}
                ) from None

        return _table(records(), max_rows=max_rows)
    from openpyxl import load_workbook

    if max_rows is not None:
        _refuse_expanding(source, max_rows, strings_per_row)
    try:
        # Not data_only: a formula is seen as one (and refused) instead of reading as empty.
        workbook = load_workbook(source, read_only=True, data_only=False)
    except Exception:  # openpyxl raises zipfile, KeyError, ValueError … for a bad file
        # Not the library's words ("File is not a zip file", "'list' object has no attribute
        # 'find'" for a workbook with a chart sheet): they say nothing to the person importing.
        raise TableError(
            _(
                "This file cannot be read as an Excel workbook (.xlsx). Open it in Excel or WPS "
                "and save it again as an .xlsx workbook (one sheet of rows), or as CSV (UTF-8)."
            )
        ) from None
    try:
        return _read_sheet(workbook, max_rows)
    except (IndexError, KeyError, ValueError, TypeError, AttributeError):
        # A cell openpyxl cannot make a value of (a shared string the table does not hold, a
        # number that is not one) is a broken file, not a server error (session 27, h5).
        raise TableError(
            _(
                "This file cannot be read as an Excel workbook (.xlsx). Open it in Excel or WPS "
                "and save it again as an .xlsx workbook (one sheet of rows), or as CSV (UTF-8)."
            )
        ) from None
    finally:
        workbook.close()


def _read_sheet(workbook: Any, max_rows: int | None) -> Table:
    """The first sheet as a table, read only as wide as its header."""
    sheet = workbook.worksheets[0]
    # The sheet's own <dimension> is what a read-only sheet pads every row to: a 1.5 KB file
    # declaring A1:XFD1048576 was read as 1,048,576 rows of 16,384 cells, a server thread
    # busy for hours (attack, session 25, finding 1). Reset, a row holds the cells it has.
    sheet.reset_dimensions()
    # And a row is read only as wide as the header: one cell at column XFD on each row
    # padded every row to 16,384 cells again (review, session 25, L1). Cells past the
    # header's last name belong to no column and were never imported.
    header = next(sheet.iter_rows(min_row=1, max_row=1), ())
    width = max((i + 1 for i, c in enumerate(header) if c.value not in (None, "")), default=1)
    if width > MAX_COLUMNS:
        raise _too_wide(width)
    rows = (
        [FORMULA if getattr(c, "data_type", None) == "f" else c.value for c in row]
        for row in _counted(
            itertools.chain([header], sheet.iter_rows(min_row=2, max_col=width)), max_rows
        )
    )
    return _table(rows, EXCEL_MAX_CELL, max_rows)


def write_table(
    out: BinaryIO | IO[bytes],
    fmt: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    title: str,
) -> int:
    """Write the header and rows through the one cell writer; returns the number of rows. CSV is
    UTF-8 with a BOM, so that Excel opens Chinese text correctly."""
    count = 0
    if fmt == "csv":
        text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
        writer = csv_writer(text, lineterminator="\r\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
        text.flush()
        text.detach()
        return count
    from openpyxl import Workbook

    from hotline.interchange.print_setup import for_print

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for_print(sheet, title=title, columns=len(header))
    sheet.append(excel_row(sheet, header))
    for row in rows:
        sheet.append(excel_row(sheet, row))
        count += 1
    workbook.save(out)
    return count
