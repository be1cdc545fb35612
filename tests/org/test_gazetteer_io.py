"""Gazetteer CSV import and export: every row checked, all or nothing, --dry-run, --replace."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from hotline.org.gazetteer import match_address
from hotline.org.models import Place, PlaceKind, Unit, UnitKind

HEADER = "kind,name,number_from,number_to,street,community\n"
GOOD = (
    HEADER
    + "road,江宁路,1,799,jnl,\n"
    + "road,昌平路,,,jnl,\n"
    + "estate,三和花园,,,jnl,jnl-01\n"
    + "landmark,静安体育中心,,,jnl,\n"
)


def write(tmp_path: Path, text: str, name: str = "places.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def cites(report: str, row: int, column: str) -> bool:
    """The report names the row and column (English or Chinese message catalogue)."""
    return f"row {row}, {column}:" in report or f"第 {row} 行，{column}：" in report


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_good_file_imports_and_match_address_finds_the_street(district, tmp_path):
    assert match_address("江宁路 500 号") is None  # cached before the import: empty
    output = run("import_gazetteer", write(tmp_path, GOOD))
    assert "4" in output
    assert Place.objects.count() == 4
    assert match_address("江宁路 500 号").street == district.street
    estate = match_address("三和花园 5 号楼")
    assert estate.street == district.street and estate.community == district.neighbourhood
    road = Place.objects.get(name="江宁路")
    assert (road.kind, road.number_from, road.number_to) == (PlaceKind.ROAD, 1, 799)


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ("lane,江宁路,,,jnl,", "kind"),
        ("road,,,,jnl,", "name"),
        ("road,江宁路,abc,,jnl,", "number_from"),
        ("road,江宁路,,1.5,jnl,", "number_to"),
        ("road,江宁路,-3,,jnl,", "number_from"),
        ("road,江宁路,800,10,jnl,", "number_to"),
        ("road,江宁路,,,nope,", "street"),
        ("road,江宁路,,,mzj,", "street"),
        ("road,江宁路,,,,", "street"),
        ("road,江宁路,,,jnl,nope", "community"),
        ("road,江宁路,,,jnl,mzj", "community"),
        ("road,江宁路,,,jnl,other-01", "community"),
    ],
)
def test_each_bad_row_is_reported_and_nothing_imported(district, tmp_path, row, column):
    other = Unit.objects.create(code="jas", name="静安寺街道", kind=UnitKind.STREET)
    Unit.objects.create(
        code="other-01", name="别处居委会", kind=UnitKind.NEIGHBOURHOOD, parent=other
    )
    out = StringIO()
    with pytest.raises(CommandError, match=r"Nothing was imported|未导入"):
        call_command("import_gazetteer", write(tmp_path, GOOD + row + "\n"), stdout=out)
    report = out.getvalue()
    # The bad row is the sixth line of the file (the header is row 1).
    assert cites(report, 6, column), report
    assert report.count("\n") == 1, report  # only the bad row is reported
    assert not Place.objects.exists()


def test_every_bad_row_is_reported(district, tmp_path):
    text = HEADER + "lane,江宁路,,,jnl,\nroad,,5,2,nope,\n"
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("import_gazetteer", write(tmp_path, text), stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 4  # kind on row 2; name, number_to and street on row 3
    assert cites(lines[0], 2, "kind")
    assert all(
        cites(line, 3, c)
        for line, c in zip(lines[1:], ("name", "number_to", "street"), strict=True)
    )


def test_missing_column_is_reported(district, tmp_path):
    with pytest.raises(CommandError):
        run("import_gazetteer", write(tmp_path, "kind,name,street\nroad,江宁路,jnl\n"))
    assert not Place.objects.exists()


def test_dry_run_writes_nothing(district, tmp_path):
    output = run("import_gazetteer", write(tmp_path, GOOD), "--dry-run")
    assert "4" in output
    assert not Place.objects.exists()


def test_replace_deletes_the_existing_places(district, tmp_path):
    Place.objects.create(kind=PlaceKind.ROAD, name="愚园路", street=district.street)
    run("import_gazetteer", write(tmp_path, GOOD), "--replace")
    assert Place.objects.count() == 4
    assert not Place.objects.filter(name="愚园路").exists()
    assert match_address("愚园路 1 号") is None


def test_without_replace_places_are_added(district, tmp_path):
    Place.objects.create(kind=PlaceKind.ROAD, name="愚园路", street=district.street)
    run("import_gazetteer", write(tmp_path, GOOD))
    assert Place.objects.count() == 5


def test_replace_with_a_bad_row_keeps_the_old_places(district, tmp_path):
    Place.objects.create(kind=PlaceKind.ROAD, name="愚园路", street=district.street)
    with pytest.raises(CommandError):
        run("import_gazetteer", write(tmp_path, GOOD + "lane,x,,,jnl,\n"), "--replace")
    assert list(Place.objects.values_list("name", flat=True)) == ["愚园路"]


def test_export_then_import_round_trips(district, tmp_path):
    run("import_gazetteer", write(tmp_path, GOOD))
    exported = run("export_gazetteer")
    assert exported.startswith(HEADER)
    out_file = tmp_path / "out.csv"
    call_command("export_gazetteer", "--out", str(out_file), stderr=StringIO())
    assert out_file.read_text(encoding="utf-8") == exported

    def rows():
        return sorted(
            Place.objects.values_list(
                "kind", "name", "number_from", "number_to", "street__code", "community__code"
            ),
            key=str,
        )

    before = rows()
    run("import_gazetteer", str(out_file), "--replace")
    assert rows() == before
    assert run("export_gazetteer") == exported


def test_unreadable_file(district, tmp_path):
    with pytest.raises(CommandError):
        run("import_gazetteer", str(tmp_path / "missing.csv"))


def test_the_export_carries_no_live_formula_and_reads_back(district, tmp_path):
    """The gazetteer's CSV export wrote a place named =HYPERLINK(…) as it was: opened in Excel
    or LibreOffice it is a live formula (CSV injection), as the other exports already prevent.
    Now it is written with the leading apostrophe of the product's cell writer, and the import
    reads it back as the name."""
    name = '=HYPERLINK("http://example.com","江宁路")'
    Place.objects.create(kind=PlaceKind.ROAD, name=name, street=Unit.objects.get(code="jnl"))
    exported = run("export_gazetteer")
    assert "\nroad,\"'=HYPERLINK(" in exported
    out_file = tmp_path / "out.csv"
    out_file.write_text(exported, encoding="utf-8")
    run("import_gazetteer", str(out_file), "--replace")
    assert list(Place.objects.values_list("name", flat=True)) == [name]
