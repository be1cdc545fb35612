"""An administrator corrects a place's street in the exported gazetteer and imports it back: the
import adds the corrected row and keeps the wrong one (a road may run through two streets, so it
cannot tell a correction from a second stretch). It used to say nothing, and the correction looked
done (review, session 25, L5); now it names the row and says how to correct the place."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from hotline.org.models import Place, Unit, UnitKind
from tests.interchange.conftest import run as run_data
from tests.interchange.conftest import xlsx
from tests.org.test_gazetteer_io import GOOD, HEADER, run, write


def _other_street(district) -> Unit:
    return Unit.objects.create(name="石门二路街道", code="smel", kind=UnitKind.STREET)


def test_a_corrected_row_is_named_and_the_way_to_correct_it_said(district, tmp_path):
    _other_street(district)
    run("import_gazetteer", write(tmp_path, GOOD))
    out_file = tmp_path / "out.csv"
    call_command("export_gazetteer", "--out", str(out_file), stderr=StringIO())
    edited = out_file.read_text(encoding="utf-8").replace(
        "landmark,静安体育中心,,,jnl,", "landmark,静安体育中心,,,smel,"
    )
    path = write(tmp_path, edited, "edited.csv")

    dry = run("import_gazetteer", path, "--dry-run")
    row = edited.splitlines().index("landmark,静安体育中心,,,smel,") + 1
    assert f"row {row}, street:" in dry or f"第 {row} 行，street：" in dry, dry
    assert "--replace" in dry and district.street.name in dry
    assert Place.objects.count() == 4

    real = run("import_gazetteer", path)
    assert "--replace" in real
    assert Place.objects.filter(name="静安体育中心").count() == 2  # still added: said, not refused

    # The way it says corrects it: the whole export with --replace leaves one place, in smel.
    run("import_gazetteer", path, "--replace")
    assert list(
        Place.objects.filter(name="静安体育中心").values_list("street__code", flat=True)
    ) == ["smel"]


def test_a_new_place_and_an_equal_row_say_nothing_more(district, tmp_path):
    run("import_gazetteer", write(tmp_path, GOOD))
    out = run("import_gazetteer", write(tmp_path, GOOD + "road,常德路,,,jnl,\n", "more.csv"))
    assert "--replace" not in out


def test_import_data_names_the_row_too(district, tmp_path):
    _other_street(district)
    run("import_gazetteer", write(tmp_path, HEADER + "road,昌平路,,,jnl,\n"))
    header = ("kind", "name", "number_from", "number_to", "street", "community")
    out = run_data(
        "import_data",
        "gazetteer",
        xlsx(tmp_path / "a.xlsx", [header, ("road", "昌平路", None, None, "smel", None)]),
    )
    assert "--replace" in out and ("row 2, street:" in out or "第 2 行，street：" in out), out
