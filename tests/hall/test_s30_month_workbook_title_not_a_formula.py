"""The month workbook's title cell is text, whatever the hall's name (attack, session 30, h5 F4).

An administrator named 大宁路's centre ``=HYPERLINK("http://x.example","点我")`` (a paste gone
wrong, or worse). Hugo downloads March's figures: the title row (the hall's name and the days)
was written as it came, so Excel read it as a live formula; every row below already went through
the exports' cell writer."""

from __future__ import annotations

import io

import pytest
import time_machine
from openpyxl import load_workbook

from hotline.hall import actions
from tests.conftest import at

pytestmark = pytest.mark.django_db

NAME = '=HYPERLINK("http://x.example","点我")'


def test_the_title_cell_holds_the_name_as_text(client, town):
    town.hall.unit.name = NAME
    town.hall.unit.save()
    client.force_login(town.hugo)
    with time_machine.travel(at("2023-03-09 16:00"), tick=False):
        actions.issue(town.hall, town.residence)
        answer = client.get("/hall/dnl/manage/month/hall.xlsx?month=2023-03")
    assert answer.status_code == 200
    book = load_workbook(io.BytesIO(answer.content))
    for sheet in book.worksheets:
        title = sheet["A1"]
        assert title.data_type == "s"
        assert title.value.startswith(NAME)
