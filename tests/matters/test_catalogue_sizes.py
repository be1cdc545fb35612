"""A tired or careless spreadsheet: time limits, copies and order numbers beyond what the
catalogue keeps (a statutory limit of 40000 working days, 100000 copies) are errors on their row
and column, and nothing is written. Before, they passed the checks; on PostgreSQL the write then
stopped the import with 'smallint out of range' and no row named, and on SQLite a matter promised
in 40000 working days was saved."""

from __future__ import annotations

import io

import pytest

from hotline.interchange.tables import read_table
from hotline.matters.interchange import import_materials, import_matters
from hotline.matters.models import Material, Matter

pytestmark = pytest.mark.django_db


def table(text: str):
    return read_table(io.BytesIO(text.encode()), "csv")


def test_a_time_limit_beyond_the_catalogues_is_an_error_on_its_row(district):
    report = import_matters(
        table(
            "code,name,statutory_days,promised_days,visits,service_minutes\n"
            "jzz,居住证办理,20,10,1,10\n"
            "lnjt,老年综合津贴,40000,40000,1,10\n"
            "sydj,生育登记,,70000,1,10\n"
        )
    )
    problems = {(e.row, e.column) for e in report.errors}
    assert problems == {(3, "statutory_days"), (3, "promised_days"), (4, "promised_days")}
    assert not Matter.objects.exists()


def test_copies_and_order_beyond_the_catalogues_are_errors_on_their_row(district):
    assert import_matters(table("code,name\njzz,居住证办理\n")).ok
    report = import_materials(
        table(
            "matter,name,copies,sort_order\n"
            "jzz,居民身份证,1,1\n"
            "jzz,居住登记表,100000,2\n"
            "jzz,照片,1,70000\n"
        )
    )
    assert {(e.row, e.column) for e in report.errors} == {(3, "copies"), (4, "sort_order")}
    assert not Material.objects.exists()
