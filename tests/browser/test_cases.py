"""A 补正 case at 大宁路街道社区事务受理服务中心, in real Chromium under the production CSP.

张三 takes a real-name ticket for 居住证; Wendy starts service, opens the case from the window
desk, records the receipt with the rental contract missing and issues one correction notice (its
A4 page printed); the clock pauses. Two days' worth later — the same afternoon here — 张三 comes
back with a new ticket: the desk links it to the same case, the contract is received, the clock
runs again, Wendy accepts and prints the acceptance notice. The case counts two trips, the extra
one caused by the 补正.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hotline.cases.models import Case, CaseState
from tests.browser.conftest import TABLET, screenshot
from tests.browser.test_hall_story import act, sign_in
from tests.cases.conftest import make_case_town
from tests.hall.conftest import opening_hours

pytestmark = pytest.mark.browser


@pytest.fixture
def ct(transactional_db, district, live_server):
    made = make_case_town(district)
    made.town.wendy.first_name = "魏敏"
    made.town.wendy.save(update_fields=["first_name"])
    with opening_hours():  # tickets are given only while the windows are open
        yield made


def kiosk_ticket(kiosk, code: str) -> str:
    """A real-name ticket (name and mobile): the hall keeps only a keyed hash of the number."""
    kiosk.goto(f"/hall/{code}/kiosk/")
    kiosk.locator("input[name=name]").fill("张三")
    kiosk.locator("input[name=phone]").fill("13812345678")
    with kiosk.expect_navigation():
        kiosk.locator("button[data-matter=jzz]").click()
    return kiosk.locator("[data-testid=ticket-number]").inner_text()


def open_case(wendy) -> str:
    link = wendy.locator("[data-testid=case-link]").first
    number = link.inner_text()
    with wendy.expect_navigation():
        link.click()
    expect(wendy.locator("[data-testid=case-number]")).to_have_text(number)
    return number


def line_state(page, name: str, state: str) -> None:
    page.locator(f"tr[data-line='{name}'] select[name$='-state']").select_option(state)


def test_a_correction_notice_pauses_the_case_and_the_second_visit_completes_it(ct, open_as):
    code = ct.town.hall.code
    kiosk = open_as(None, viewport=TABLET)
    wendy = open_as(ct.town.wendy)

    # First visit: the contract is missing. Wendy sees 张三's ID as she starts: the case is his.
    kiosk_ticket(kiosk, code)
    sign_in(wendy, code, ct.town.w1.pk)
    act(wendy, "call_next")
    wendy.locator("[data-testid=holder-seen] input").check()
    act(wendy, "start")
    expect(wendy.locator("[data-testid=desk-case]")).to_be_visible()
    screenshot(wendy, "case-desk")
    number = open_case(wendy)
    # Nothing counts as received until the clerk says so: she ticks what 张三 handed in.
    for name in ("居民身份证", "居住登记表", "近期照片"):
        line_state(wendy, name, "received")
    wendy.locator("tr[data-line='房屋租赁合同'] input[name$='-note']").fill("未带原件复印件")
    act(wendy, "receive")
    # Bad input first: accepting with the contract missing is refused, nothing changes.
    act(wendy, "accept")
    expect(wendy.locator(".messages .error")).to_contain_text("房屋租赁合同")
    wendy.locator("input[name=note]").first.fill("请一次带齐后再来")
    act(wendy, "request_correction")
    case_card = wendy.locator(f"[data-testid=case-{number}]")
    expect(case_card).to_have_attribute("data-state", "correction")
    expect(case_card.locator("[data-testid=due]")).to_have_class("due paused")
    screenshot(wendy, "case-correction", full_page=True)

    notice = wendy.locator("[data-testid=doc-correction]").get_attribute("href")
    wendy.goto(notice)
    expect(wendy.locator("[data-testid=notice-items]")).to_contain_text("房屋租赁合同")
    expect(wendy.locator("[data-testid=sheet]")).to_contain_text("张三")
    screenshot(wendy, "case-correction-notice", full_page=True)
    wendy.goto(f"/hall/{code}/desk/")
    act(wendy, "finish")

    # Second visit: the same person (by the real-name ticket) is linked to the same case, once
    # Wendy has seen the ID (a number typed at the kiosk proves nothing by itself).
    kiosk_ticket(kiosk, code)
    act(wendy, "call_next")
    wendy.locator("[data-testid=holder-seen] input").check()
    act(wendy, "start")
    assert open_case(wendy) == number
    line_state(wendy, "房屋租赁合同", "received")
    act(wendy, "receive")
    expect(wendy.locator(".messages .success")).to_contain_text(number)
    act(wendy, "accept")
    case_card = wendy.locator(f"[data-testid=case-{number}]")
    expect(case_card).to_have_attribute("data-state", "accepted")
    trips = case_card.locator("[data-testid=trips]")
    expect(trips).to_have_attribute("data-count", "2")
    expect(trips.locator("[data-testid=trip-cause]")).to_have_attribute("data-cause", "correction")
    screenshot(wendy, "case-accepted", full_page=True)
    wendy.goto(wendy.locator("[data-testid=doc-acceptance]").get_attribute("href"))
    expect(wendy.locator("[data-testid=received]")).to_contain_text("房屋租赁合同")
    screenshot(wendy, "case-acceptance-notice", full_page=True)

    wendy.goto("/cases/")
    expect(wendy.locator("[data-testid=case-list]")).to_contain_text(number)
    screenshot(wendy, "case-list")

    case = Case.objects.get(number=number)
    assert case.state == CaseState.ACCEPTED
    assert list(case.events.filter(action="visit").values_list("ticket__number", flat=True)) == [
        "A001",
        "A002",
    ]


def test_a_three_in_one_bundle_on_one_ticket(ct, open_as):
    """一个社会团体的三联办: one ticket, one merged checklist, three linked cases, one receipt."""
    code = ct.town.hall.code
    kiosk = open_as(None, viewport=TABLET)
    kiosk.goto(f"/hall/{code}/kiosk/")
    kiosk.locator("input[name=name]").fill("李四")
    with kiosk.expect_navigation():
        kiosk.locator("button[data-matter=stt-zc]").click()
    wendy = open_as(ct.town.wendy)
    sign_in(wendy, code, ct.town.w1.pk)
    act(wendy, "call_next")
    act(wendy, "start")
    open_case(wendy)
    wendy.locator("select[name=bundle]").select_option(str(ct.bundle.pk))
    act(wendy, "bundle")
    expect(wendy.locator("[data-testid=bundle]")).to_have_text("社会团体三联办")
    cards = wendy.locator("[data-testid^=case-DNL]")
    expect(cards).to_have_count(3)
    expect(wendy.locator("[data-testid=bundle-trips]")).to_have_attribute("data-count", "1")
    # The registration certificate, written three ways by three matters, is asked for once.
    rows = wendy.locator("[data-testid=receipt-form] tbody tr")
    expect(rows).to_have_count(4)
    for name in ("法定代表人身份证", "社会团体法人登记证书（正本）", "章程草案", "变更登记申请表"):
        line_state(wendy, name, "received")
    act(wendy, "receive")
    for _ in range(3):
        act(wendy, "accept")
    expect(wendy.locator("[data-testid^=case-DNL][data-state=accepted]")).to_have_count(3)
    screenshot(wendy, "case-bundle", full_page=True)
    wendy.goto(wendy.locator("[data-testid=doc-receipt]").get_attribute("href"))
    expect(wendy.locator("[data-testid=received] tbody tr")).to_have_count(4)
    screenshot(wendy, "case-bundle-receipt", full_page=True)
