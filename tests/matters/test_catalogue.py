"""The matter catalogue from a spreadsheet: per-row errors and nothing written, or all written; a
bundle's one checklist."""

from __future__ import annotations

import io

import pytest

from hotline.interchange.tables import read_table, write_table
from hotline.matters.interchange import (
    export_matters,
    import_bundles,
    import_materials,
    import_matters,
)
from hotline.matters.models import Bundle, Material, Matter

pytestmark = pytest.mark.django_db


def table(text: str):
    return read_table(io.BytesIO(text.encode()), "csv")


MATTERS = """code,name,unit,kind,promised_days,statutory_days,visits,queue_group
shtt-zc,社会团体章程核准,mzj,promised,10,20,1,C
shtt-bg,社会团体变更登记,mzj,promised,10,20,1,C
shtt-yq,社会团体有效期延续,mzj,promised,5,20,1,C
"""


def test_a_good_file_creates_the_matters_and_round_trips(district):
    report = import_matters(table(MATTERS))
    assert report.ok and report.created == 3
    assert Matter.objects.get(code="shtt-bg").unit == district.bureau
    header, rows = export_matters()
    out = io.BytesIO()
    write_table(out, "xlsx", header, rows, title="matters")
    out.seek(0)
    again = import_matters(read_table(out, "xlsx"))
    assert again.ok and again.updated == 3 and again.created == 0


def test_every_bad_row_is_reported_and_nothing_is_written(district):
    bad = MATTERS + "bad code,名称,nowhere,sometimes,30,20,12,D\n,,,,,,,\nshtt-zc,重复,,,,,,\n"
    report = import_matters(table(bad))
    problems = {(e.row, e.column) for e in report.errors}
    assert {(5, "code"), (5, "unit"), (5, "kind"), (5, "visits"), (5, "promised_days")} <= problems
    assert (7, "code") in problems  # the code is already on row 2 (the empty row is skipped)
    assert not Matter.objects.exists()


def test_materials_and_a_bundle_give_one_checklist(district):
    import_matters(table(MATTERS))
    materials = """matter,name,required,form,copies
shtt-zc,法定代表人身份证,true,copy,1
shtt-bg,法定代表人身份证,true,copy,1
shtt-bg,变更登记申请表,true,original,2
shtt-yq,年检报告,否,original,1
nowhere,申请书,true,original,1
"""
    report = import_materials(table(materials))
    assert [(e.row, e.column) for e in report.errors] == [(6, "matter")]
    assert import_materials(table(materials.rsplit("nowhere", 1)[0])).ok
    report = import_bundles(
        table("code,name,matters\nshtt,社会团体登记三联办,shtt-zc;shtt-bg、shtt-yq\n")
    )
    assert report.ok
    names = [m.name for m in Bundle.objects.get(code="shtt").checklist()]
    assert sorted(names) == sorted(["法定代表人身份证", "变更登记申请表", "年检报告"])
    assert Material.objects.count() == 4
    lone = import_bundles(table("code,name,matters\nx,一个,shtt-zc\n"))
    assert not lone.ok
