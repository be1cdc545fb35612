"""Exporting the gazetteer and importing the file back (the obvious "export, fix a row in Excel,
import" workflow) doubled every place (walk-through, session 25, A-M3): rows equal to a place
already there are skipped, and the import says how many, in a dry run too."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from hotline.org.models import Place
from tests.interchange.conftest import run as run_data
from tests.interchange.conftest import xlsx
from tests.org.test_gazetteer_io import GOOD, run, write

SKIPPED = ("skipped: 4", "跳过：4")


def test_importing_an_export_back_adds_only_the_new_rows(district, tmp_path):
    run("import_gazetteer", write(tmp_path, GOOD))
    out_file = tmp_path / "out.csv"
    call_command("export_gazetteer", "--out", str(out_file), stderr=StringIO())
    edited = out_file.read_text(encoding="utf-8") + "road,常德路,,,jnl,\n"
    path = write(tmp_path, edited, "edited.csv")

    dry = run("import_gazetteer", path, "--dry-run")
    assert any(s in dry for s in SKIPPED), dry
    assert "1" in dry.splitlines()[0]
    assert Place.objects.count() == 4

    real = run("import_gazetteer", path)
    assert any(s in real for s in SKIPPED), real
    assert Place.objects.count() == 5
    assert Place.objects.filter(name="常德路").count() == 1
    # A row repeated in the file itself is one place.
    run("import_gazetteer", write(tmp_path, GOOD + "road,愚园路,,,jnl,\n" * 2, "twice.csv"))
    assert Place.objects.filter(name="愚园路").count() == 1


def test_import_data_gazetteer_skips_the_same_rows(district, tmp_path):
    header = ("kind", "name", "number_from", "number_to", "street", "community")
    rows = [
        header,
        ("road", "江宁路", 1, 799, "jnl", None),
        ("road", "昌平路", None, None, "jnl", None),
    ]
    run_data("import_data", "gazetteer", xlsx(tmp_path / "a.xlsx", rows))
    again = xlsx(tmp_path / "b.xlsx", [*rows, ("road", "常德路", None, None, "jnl", None)])
    dry = run_data("import_data", "gazetteer", again, "--dry-run")
    assert "skipped: 2" in dry or "跳过：2" in dry, dry
    run_data("import_data", "gazetteer", again)
    assert Place.objects.count() == 3
