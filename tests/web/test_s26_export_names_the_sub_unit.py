"""Una's street exports its orders to chase its 居委会: each row says which sub-unit holds the
order (二级派单), as the search page does under the lead unit.

Walk-through, session 26 (h6, M2): the export had the lead unit only ("江宁路街道"), where the page
said "江宁路街道 ↳ 已派给 海防村居委会".
"""

from __future__ import annotations

import csv
import io

from django.urls import reverse

from hotline.orders.models import State
from tests.orders.factory import order_in


def _exported(client, user) -> list[list[str]]:
    client.force_login(user)
    response = client.get(reverse("order_export") + "?format=csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_street_s_export_names_the_neighbourhood_holding_each_order(client, district):
    d = district
    inside = order_in(State.ACCEPTED, d, inside=d.neighbourhood)
    kept = order_in(State.ACCEPTED, d)
    rows = _exported(client, d.una)
    header, lines = rows[0], {r[0]: r for r in rows[1:]}
    column = header.index("承办子单位")
    assert header[column - 1] == "主办单位"
    assert lines[inside.number][column] == "三和花园居委会"
    assert lines[kept.number][column] == ""


def test_the_excel_file_names_it_too_and_nina_exports_only_her_own(client, district):
    # Both formats write the same columns; the neighbourhood's own export is its orders only,
    # as its search is (walk-through, session 26, M2, h8).
    from openpyxl import load_workbook

    d = district
    inside = order_in(State.ACCEPTED, d, inside=d.neighbourhood)
    order_in(State.ACCEPTED, d)
    client.force_login(d.nina)
    response = client.get(reverse("order_export") + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    header, *lines = [list(r) for r in sheet.iter_rows(values_only=True)]
    column = header.index("承办子单位")
    assert [(line[0], line[column - 1], line[column]) for line in lines] == [
        (inside.number, "江宁路街道", "三和花园居委会")
    ]
