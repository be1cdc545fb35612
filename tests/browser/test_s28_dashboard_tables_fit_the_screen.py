"""Leo (leader) reads the dashboard on his 1366 laptop and on the 1920 wall screen of the meeting
room: every KPI table shows all its columns, the score and the rank last among them, without
scrolling it sideways (walk-through, session 28, h8 F1: the tables needed 1341-1471 px in a box
capped at 1198 px on both screens, so 得分 and 排名 were off their right edge)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.assessment.hall_morning import morning
from tests.browser.conftest import DESKTOP
from tests.hall.conftest import make_hall

pytestmark = pytest.mark.browser

WALL = {"width": 1920, "height": 1080}
TABLES = ("kpi-table", "hall-table", "hall-cases-table")


def overflow(page, testid: str) -> int:
    """How many pixels of the table lie beyond its scroll box's right edge (0: all shown)."""
    return page.get_by_test_id(testid).evaluate(
        "t => Math.max(0, t.scrollWidth - t.parentElement.clientWidth)"
    )


@pytest.mark.parametrize("screen", [DESKTOP, WALL], ids=["laptop-1366", "wall-1920"])
def test_the_leader_sees_every_column_of_the_kpi_tables(town, open_as, screen):
    morning(make_hall(town.d))
    leo = open_as(town.d.leo, viewport=screen)
    leo.goto("/dashboard/?month=2023-03")
    for testid in TABLES:
        expect(leo.get_by_test_id(testid)).to_be_visible()
    leo.evaluate("document.fonts.ready.then(() => true)")
    assert {testid: overflow(leo, testid) for testid in TABLES} == dict.fromkeys(TABLES, 0)
    # The unit's rank, the table's last column, is on the screen.
    rank = leo.get_by_test_id("kpi-table").locator("thead th").last
    box = rank.bounding_box()
    assert box is not None and box["x"] + box["width"] <= screen["width"]


def test_the_dashboard_prints_for_the_meeting_without_its_navigation_and_with_whole_tables(
    town, open_as
):
    """Printed on landscape A4 (about 1047 px inside its margins): the tables' right half was cut
    at their scroll box's edge and the top bar and the period form printed (h8 F2)."""
    morning(make_hall(town.d))
    leo = open_as(town.d.leo, viewport={"width": 1047, "height": 740})
    leo.goto("/dashboard/?month=2023-03")
    leo.emulate_media(media="print")
    expect(leo.locator("header.topbar")).to_be_hidden()
    expect(leo.locator(".dash-head form.filters").first).to_be_hidden()
    expect(leo.locator(".dash-head h1")).to_contain_text("2023-03-01")  # the period, on paper
    for testid in TABLES:
        right = leo.get_by_test_id(testid).evaluate("t => t.getBoundingClientRect().right")
        assert right <= 1047, (testid, right)
