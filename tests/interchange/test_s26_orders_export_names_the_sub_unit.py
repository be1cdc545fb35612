"""``hotline export-data orders`` says which sub-unit holds each order (二级派单).

Walk-through, session 26 (h6, M2): the search page says "江宁路街道 ↳ 已派给 三和花园居委会"; the
export-data file had ``lead_unit`` only (``jnl``), so Una's street exporting its orders could not
tell which of its 居委会 had which. The new column, ``assigned_unit``, is optional on import: the
files exported before it keep reading.
"""

from __future__ import annotations

import csv
from io import StringIO

import pytest

from hotline.orders import actions
from hotline.orders.models import State, WorkOrder
from tests.interchange.conftest import read_xlsx, run
from tests.orders.factory import order_in


def _csv(path) -> list[list[str]]:
    return list(csv.reader(StringIO(path.read_text(encoding="utf-8-sig"))))


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_the_street_s_export_names_the_neighbourhood_holding_each_order(district, tmp_path, suffix):
    d = district
    inside = order_in(State.ACCEPTED, d, inside=d.neighbourhood)
    kept = order_in(State.ACCEPTED, d)
    out = tmp_path / f"orders.{suffix}"

    run("export_data", "orders", "--out", str(out), "--user", "una")

    rows = _csv(out) if suffix == "csv" else read_xlsx(out)
    header = list(rows[0])
    column = header.index("assigned_unit")
    assert header[column - 1] == "lead_unit"
    by_number = {r[0]: r for r in rows[1:]}
    assert (by_number[inside.number][column - 1], by_number[inside.number][column]) == (
        "jnl",
        "jnl-01",
    )
    assert by_number[kept.number][column] in ("", None)


def test_the_neighbourhood_exports_the_order_it_holds_and_no_other(district, tmp_path):
    d = district
    inside = order_in(State.ACCEPTED, d, inside=d.neighbourhood)
    kept = order_in(State.ACCEPTED, d)
    out = tmp_path / "orders.csv"

    run("export_data", "orders", "--out", str(out), "--user", "nina")

    rows = _csv(out)
    column = rows[0].index("assigned_unit")
    assert [(r[0], r[column]) for r in rows[1:]] == [(inside.number, "jnl-01")]
    assert kept.number not in out.read_text(encoding="utf-8-sig")


@pytest.mark.parametrize("with_the_column", [True, False], ids=["new file", "file from before"])
def test_an_export_with_its_numbers_cleared_registers_with_or_without_the_column(
    district, tmp_path, with_the_column
):
    # A batch a partner sent back: the export's columns, numbers cleared. A file exported before
    # the column existed reads as it did.
    d = district
    order_in(State.ACCEPTED, d, inside=d.neighbourhood)
    out = tmp_path / "orders.csv"
    run("export_data", "orders", "--out", str(out), "--user", "dan")
    header, *rows = _csv(out)
    keep = [i for i, name in enumerate(header) if with_the_column or name != "assigned_unit"]
    back = StringIO()
    writer = csv.writer(back)
    writer.writerow([header[i] for i in keep])
    for line in rows:
        writer.writerow(["" if header[i] == "number" else line[i] for i in keep])
    path = tmp_path / "back.csv"
    path.write_text(back.getvalue(), encoding="utf-8-sig")

    run("import_data", "orders", str(path))

    assert WorkOrder.objects.count() == 2
    fresh = WorkOrder.objects.order_by("-pk").first()
    assert (fresh.state, fresh.lead_unit, fresh.assigned_unit) == (State.REGISTERED, None, None)
    actions.dispatch(fresh, d.dan, lead_unit=d.street)  # an order like any other
