"""An order with the longest fields people really type, on a 390 px phone: a long address, a
pasted link and a 50-digit number in the description, a title of one unbroken run, a long
category path and a 居委会 with a long name. Nothing is wider than the screen on the order page,
the dispatcher's desk, the street's and the 居委会's inboxes, the order search and the citizen's
track page; the order tables scroll inside their own box, and the actions stay on the screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hotline.assessment import kpis, sampling
from hotline.orders import actions
from hotline.orders.models import Satisfaction, State
from hotline.org.models import Category, Unit
from tests.browser.conftest import screenshot
from tests.orders.factory import new_order, order_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LINK = "https://zwdt.sh.gov.cn/govPortals/bsfw/item/" + "a1b2c3d4e5" * 12
DIGITS = "1234567890" * 5
ADDRESS = "静安区江宁路" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789" * 4
TITLE = "http://" + "x" * 150
CITIZEN = "13912340000"


def _wide(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def _fits(page, url: str) -> None:
    page.goto(url)
    width = _wide(page)
    assert width <= PHONE["width"], f"{url} is {width} px wide on a 390 px phone"


@pytest.fixture
def long_order(town):
    d = town.d
    Unit.objects.filter(pk=d.neighbourhood.pk).update(
        name="三和花园第一第二第三联合居民委员会物业管理与综合治理工作站ABCDEFGHIJKLMNOP"
    )
    Category.objects.filter(pk=town.road.pk).update(
        name="城市道路人行道及非机动车道路面破损坑洼积水与井盖缺失"
    )
    order = new_order(
        d,
        title=TITLE,
        description=f"请看{LINK}，编号{DIGITS}。",
        address=ADDRESS,
        category=Category.objects.get(pk=town.road.pk),
        citizen_phone=CITIZEN,
    )
    actions.dispatch(order, d.dan, lead_unit=d.street)
    actions.accept(order, d.una)
    actions.assign_inside(order, d.una, unit=d.neighbourhood)
    new_order(d, title=TITLE, description=DIGITS * 4, address=ADDRESS)  # on the dispatch desk
    return order


def test_long_order_fields_fit_a_phone(town, long_order, open_as):
    d = town.d
    order = long_order
    dan = open_as(d.dan, PHONE)
    for url in (f"/orders/{order.number}/", "/desk/dispatch/", "/orders/?q=http"):
        _fits(dan, url)
    dan.goto(f"/orders/{order.number}/")
    expect(dan.locator(".description")).to_contain_text(LINK)
    screenshot(dan, "order-long-fields-phone", full_page=True)

    una = open_as(d.una, PHONE)
    for url in ("/desk/unit/?tab=assigned", f"/orders/{order.number}/"):
        _fits(una, url)
    nina = open_as(d.nina, PHONE)
    for url in ("/desk/unit/?tab=handling", f"/orders/{order.number}/"):
        _fits(nina, url)
    # Nina's actions are on the screen: the dialogs' summaries end inside its width.
    for summary in nina.locator(".actions summary").all():
        box = summary.bounding_box()
        assert box is not None and box["x"] + box["width"] <= PHONE["width"]

    # Sam's draws, one noted with a pasted link: the table scrolls in its box, the page fits.
    draw = sampling.draw(d.sam, size=3, seed=7, note=LINK)
    # … and the street's appeal of a dissatisfied verdict, its reason a pasted link.
    closed = order_in(State.REVIEWED, d)
    actions.callback(closed, d.cathy, resolved=False, satisfaction=Satisfaction.DISSATISFIED)
    actions.appeal(closed, d.una, kpi=kpis.SATISFACTION, reason=LINK)
    sam = open_as(d.sam, PHONE)
    for url in (
        "/assessment/samples/",
        f"/assessment/samples/{draw.pk}/",
        "/assessment/appeals/",
        "/desk/supervision/?tab=dissatisfied",
    ):
        _fits(sam, url)

    citizen = open_as(None, PHONE)
    citizen.goto("/portal/track/")
    citizen.locator("input[name=number]").fill(order.number)
    citizen.locator("input[name=phone]").fill(CITIZEN)
    with citizen.expect_navigation():  # measured once the answer's page (and its CSS) is in
        citizen.locator("main form button[type=submit]").click()
    expect(citizen.locator("main")).to_contain_text(order.number)
    assert _wide(citizen) <= PHONE["width"], "the track page is wider than the phone"
    screenshot(citizen, "portal-track-long-fields", full_page=True)
