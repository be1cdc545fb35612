"""The gazetteer from Excel goes through the gazetteer's own checks, with Excel's row numbers."""

from __future__ import annotations

from hotline.org.gazetteer import match_address
from hotline.org.models import Place
from tests.interchange.conftest import cites, read_xlsx, run, run_refused, xlsx

HEADER = ("kind", "name", "number_from", "number_to", "street", "community")


def test_places_from_excel_route_addresses_to_the_street(district, tmp_path):
    path = xlsx(
        tmp_path / "g.xlsx",
        [
            HEADER,
            ("road", "江宁路", 1, 799, "jnl", None),
            ("estate", "三和花园", None, None, "jnl", "jnl-01"),
        ],
    )
    run("import_data", "gazetteer", path)
    assert Place.objects.count() == 2
    assert match_address("江宁路 500 号").street == district.street


def test_a_bad_place_after_a_blank_row_is_reported_on_its_excel_row(district, tmp_path):
    path = xlsx(
        tmp_path / "g.xlsx",
        [
            HEADER,
            ("road", "江宁路", 1, 799, "jnl", None),
            (None,) * 6,
            ("road", "昌平路", 9, 3, "jnl", None),
        ],
    )
    report = run_refused("import_data", "gazetteer", path)
    assert cites(report, 4, "number_to"), report
    assert Place.objects.count() == 0


def test_gazetteer_round_trip_through_excel(district, tmp_path):
    path = xlsx(tmp_path / "g.xlsx", [HEADER, ("road", "江宁路", 1, 799, "jnl", None)])
    run("import_data", "gazetteer", path)
    out = tmp_path / "out.xlsx"
    run("export_data", "gazetteer", "--out", str(out))
    assert read_xlsx(out) == [list(HEADER), ["road", "江宁路", 1, 799, "jnl", None]]
    run("import_data", "gazetteer", str(out), "--replace")
    assert Place.objects.count() == 1
