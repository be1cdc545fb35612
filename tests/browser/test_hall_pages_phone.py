"""The hall staff's pages on a phone (390×844), in zh-Hans and in English: nothing is wider than
the screen (wide tables scroll inside their box; the manager's two columns stand one above the
other), and the brackets after a count or a pause reason are each language's own.

Hugo (manager) and Walt (clerk) of 大宁路, Thursday 10:00: three tickets, one served and rated
非常不满意, Walt's window 2 paused for lunch (午休), a pre-review filed from a link Olga texted,
赵六 booked for Friday 09:00."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from hotline.hall import actions
from hotline.hall.actions import appointments as booking
from hotline.hall.identity import holder_key
from hotline.hall.models import WindowState
from hotline.matters.models import Matter
from hotline.org.models import Role
from hotline.prereview import actions as prereview
from hotline.ratings import actions as ratings
from hotline.ratings.models import Channel
from tests.browser.conftest import screenshot
from tests.browser.test_intake_and_language import switch_language
from tests.cases.conftest import make_case_town
from tests.conftest import make_user
from tests.hall.conftest import opening_hours
from tests.prereview.conftest import pdf

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
CHEN = "13912345678"


@pytest.fixture
def busy(transactional_db, district, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ct = make_case_town(district)
    town = ct.town
    make_user("rita", town.hall.unit, Role.UNIT_HANDLER)  # the 差评's rectification goes to her
    Matter.objects.filter(pk=ct.residence.pk).update(prereview_allowed=True)
    ct.residence.refresh_from_db()
    with opening_hours():
        for _ in range(3):
            actions.issue(town.hall, town.residence)
        actions.sign_in(town.w1, town.wendy)
        served = actions.call_next(town.w1, town.wendy)
        actions.start(served, town.wendy)
        actions.finish(served, town.wendy)
        ratings.rate(served, None, level=1, channel=Channel.QR, reasons=["attitude"])
        actions.sign_in(town.w2, town.walt)
        actions.set_state(town.w2, town.walt, WindowState.PAUSED, reason="午休")
        link = prereview.invite(town.district.olga, CHEN, town.hall, ct.residence, site="/")
        id_card = ct.residence.materials.get(name="居民身份证")
        prereview.submit(
            town.hall, ct.residence, name="陈丽", phone=CHEN,
            uploads={id_card.pk: pdf()}, invitation=link,
        )  # fmt: skip
        (slot,) = booking.open_slots(
            town.hall, town.residence, dt.date(2023, 3, 10),
            starts=dt.time(9), ends=dt.time(9, 30), minutes=30, capacity=3,
        )  # fmt: skip
        booking.book(slot, holder_key=holder_key(phone="13800001111"), holder_name="赵六")
        yield town


PAGES = {
    "walt": ["/hall/dnl/desk/", "/hall/dnl/appointments/?day=2023-03-10"],
    "hugo": ["/hall/dnl/manage/", "/prereview/", "/ratings/hall/dnl/", "/cases/"],
}


def _fits(page, url: str) -> None:
    page.goto(url)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{url} is {width} px wide on a 390 px phone"


def _every_page_fits_and_walts_desk_reads(walt, hugo, *, paused: str, waiting: str) -> None:
    """Each staff page measured in the language the two are in, then Walt's desk: the pause
    reason and the count in that language's own brackets."""
    for page, urls in ((walt, PAGES["walt"]), (hugo, PAGES["hugo"])):
        for url in urls:
            _fits(page, url)
    walt.goto("/hall/dnl/desk/")
    expect(walt.locator("[data-testid=window-state]")).to_contain_text(paused)
    expect(walt.locator("main")).to_contain_text(waiting)


def test_hall_pages_fit_a_phone_in_both_languages(busy, open_as):
    walt = open_as(busy.walt, viewport=PHONE)
    hugo = open_as(busy.hugo, viewport=PHONE)
    _every_page_fits_and_walts_desk_reads(walt, hugo, paused="（午休）", waiting="本窗口等候（2）")
    hugo.goto("/prereview/")
    expect(hugo.locator("[data-figure=invited] td").first).to_have_text("1")
    expect(hugo.locator("[data-figure=from-hotline] td").first).to_have_text("1")
    screenshot(hugo, "prereview-figures-phone", full_page=True)
    for page in (walt, hugo):
        switch_language(page, "en")
    _every_page_fits_and_walts_desk_reads(
        walt, hugo, paused=" (午休)", waiting="Waiting for this window (2)"
    )
    hugo.goto("/hall/dnl/manage/")
    expect(hugo.locator("[data-window='2']")).to_contain_text("Paused (午休)")
    screenshot(hugo, "hall-manage-phone-en", full_page=True)
