"""The case page and its correction notice with the longest note a clerk may type (300
characters of unbroken Chinese): the timeline keeps the time, case number and clerk on one line
each, and the printed notice keeps the material's name readable beside it."""

from __future__ import annotations

import pytest

from hotline.cases import actions
from tests.browser.conftest import screenshot
from tests.cases.conftest import make_case_town, serve
from tests.conftest import at
from tests.hall.conftest import opening_hours

pytestmark = pytest.mark.browser

# How many lines a cell's text takes: the distinct tops of its text's line boxes.
LINES = """e => { const r = document.createRange(); r.selectNodeContents(e);
  return new Set(Array.from(r.getClientRects(), b => Math.round(b.top))).size; }"""
A4_TEXT_WIDTH = {"width": 658, "height": 930}  # 210 mm less 2 × 18 mm margins, at 96 dpi


@pytest.fixture
def ct(transactional_db, district, live_server):
    made = make_case_town(district)
    made.town.wendy.first_name = "魏敏"
    made.town.wendy.save(update_fields=["first_name"])
    with opening_hours():
        yield made


def test_a_long_correction_note_leaves_the_timeline_and_the_notice_readable(ct, open_as):
    _ticket, case = serve(ct, ct.residence, at("2023-03-09 10:00"))
    actions.request_correction(case.submission, ct.town.wendy, note="请" + "带齐材料" * 75)
    wendy = open_as(ct.town.wendy)
    wendy.goto(f"/cases/{case.number}/")
    row = wendy.locator("[data-testid=timeline] tr").last
    for cell in range(4):  # time, case number, step, clerk: one line each
        lines = row.locator("td").nth(cell).evaluate(LINES)
        assert lines == 1, f"timeline cell {cell} wraps over {lines} lines"
    screenshot(wendy, "case-long-note", full_page=True)

    wendy.set_viewport_size(A4_TEXT_WIDTH)
    wendy.emulate_media(media="print")
    wendy.goto(f"/cases/{case.number}/print/correction/")
    name = wendy.locator("[data-testid=notice-items] td.material").first
    size = name.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert name.evaluate("e => e.clientWidth") >= 6 * size
