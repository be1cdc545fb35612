"""An import's workbook is measured where openpyxl reads it, whatever its parts are called
(attack, session 29, h7 F2).

The caps before openpyxl parses a byte (shared strings counted against the rows, 4 MB for the
parts parsed whole) told the parts by their names: ``*sharedStrings.xml`` for the strings,
``worksheets/*.xml`` and anything not named .xml for what is streamed or never read. openpyxl finds
the shared strings and the workbook through the manifest ([Content_Types].xml): Lin Yu's synonyms
list with its strings declared at ``xl/worksheets/strs.xml`` had none of them counted, and 4
million strings in a 170 KB upload took 31 CPU s and 230 MB on the matters' 20,000-row import; a
workbook part called ``xl/workbook.bin`` was parsed whole outside the 4 MB.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from hotline.interchange.tables import TableError, read_table

STRINGS_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
STRINGS_REL = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def _synonyms() -> bytes:
    """Lin Yu's synonyms list, two rows, as openpyxl saves it."""
    book = Workbook()
    sheet = book.active
    sheet.append(["词", "同义词"])
    sheet.append(["居住证", "居住登记"])
    saved = io.BytesIO()
    book.save(saved)
    return saved.getvalue()


def _rewritten(upload: bytes, change) -> bytes:  # type: ignore[no-untyped-def]
    source = zipfile.ZipFile(io.BytesIO(upload))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            for name, data in change(info.filename, source.read(info.filename)):
                target.writestr(name, data)
    return out.getvalue()


def _strings_at(part: str, count: int) -> bytes:
    """The list with ``count`` shared strings, declared at ``part`` in the manifest."""

    def change(name: str, data: bytes):  # type: ignore[no-untyped-def]
        if name == "[Content_Types].xml":
            data = data.replace(
                b"</Types>",
                b'<Override PartName="/' + part.encode() + b'" ContentType="' + STRINGS_TYPE
                + b'"/></Types>',
            )  # fmt: skip
        if name == "xl/_rels/workbook.xml.rels":
            data = data.replace(
                b"</Relationships>",
                b'<Relationship Id="rIdS" Type="' + STRINGS_REL + b'" Target="/' + part.encode()
                + b'"/></Relationships>',
            )  # fmt: skip
            yield (
                part,
                (
                    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                    + b"<si><t>a</t></si>" * count
                    + b"</sst>"
                ),
            )
        yield name, data

    return _rewritten(_synonyms(), change)


def _workbook_part_named_bin(padding: int) -> bytes:
    """The list with its workbook part at ``xl/workbook.bin``, ``padding`` bytes bigger."""

    def change(name: str, data: bytes):  # type: ignore[no-untyped-def]
        if name == "[Content_Types].xml":
            data = data.replace(b"/xl/workbook.xml", b"/xl/workbook.bin")
        if name == "xl/workbook.xml":
            name = "xl/workbook.bin"
            data = data.replace(b"<sheets>", b"<!--" + b"x" * padding + b"--><sheets>")
        if name == "xl/_rels/workbook.xml.rels":
            name = "xl/_rels/workbook.bin.rels"
        yield name, data

    return _rewritten(_synonyms(), change)


def _never(*args, **kwargs):  # type: ignore[no-untyped-def]
    raise AssertionError("openpyxl was asked to read it")


@pytest.mark.parametrize("part", ["xl/sharedStrings.xml", "xl/worksheets/strs.xml", "xl/t.bin"])
def test_shared_strings_are_counted_wherever_the_manifest_puts_them(part, monkeypatch):
    upload = _strings_at(part, 400_000)
    assert len(upload) < 64 * 1024
    monkeypatch.setattr("openpyxl.load_workbook", _never)
    monkeypatch.setattr("openpyxl.reader.excel.load_workbook", _never)
    with pytest.raises(TableError) as refused:
        read_table(io.BytesIO(upload), "xlsx", max_rows=2_000, strings_per_row=4)
    assert "400,000" in str(refused.value)


def test_a_workbook_part_not_named_xml_counts_among_the_parts_parsed_whole(monkeypatch):
    upload = _workbook_part_named_bin(padding=5 * 1024 * 1024)
    monkeypatch.setattr("openpyxl.load_workbook", _never)
    monkeypatch.setattr("openpyxl.reader.excel.load_workbook", _never)
    with pytest.raises(TableError) as refused:
        read_table(io.BytesIO(upload), "xlsx", max_rows=20_000)
    assert "4 MB" in str(refused.value)


def test_the_same_workbooks_read_when_they_are_small():
    rows = [(2, {"词": "居住证", "同义词": "居住登记"})]
    for upload in (_strings_at("xl/worksheets/strs.xml", 4), _workbook_part_named_bin(100)):
        assert read_table(io.BytesIO(upload), "xlsx", max_rows=2_000).rows == rows
