"""The 差评 loop in real Chromium, every step on its page: Mr Wang (mobile 13816200101) applied
for a 居住证 at Wendy's window and rated the visit 不满意, leaving his number (the pad itself is in
test_ratings.py).
Rita, who handles the service centre's 12345 orders, signs for the rectification order in her
inbox, calls him and replies; Dan approves the reply; Cathy calls him back — satisfied, the order
closes; Mr Wang gives his 追评 from the ticket's QR page on his phone. On the case page Wendy
sees the order, and with the code texted to his number (he reads it to her) she sees the lamp
order he once called in, masked."""

from __future__ import annotations

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from hotline.cases.models import Case
from hotline.hall import actions as hall_actions
from hotline.hall import identity
from hotline.orders import actions as orders
from hotline.org.models import Role
from hotline.ratings import actions as ratings
from hotline.ratings.models import Channel, Rating
from tests.browser.conftest import screenshot
from tests.browser.test_story import open_action, open_desk, panel
from tests.conftest import make_user
from tests.hall.booking_by_code import OUTBOX, Outbox
from tests.hall.conftest import make_hall, opening_hours

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
WANG = "13816200101"


@pytest.fixture
def visit(transactional_db, district, live_server):
    town = make_hall(district)
    rita = make_user("rita", town.hall.unit, Role.UNIT_HANDLER)
    orders.register(
        district.olga, title="路灯不亮", description="小区门口路灯坏了一周", citizen_phone=WANG
    )
    with opening_hours():
        ticket = hall_actions.issue(
            town.hall, town.residence, holder_key=identity.holder_key(phone=WANG)
        )
        hall_actions.sign_in(town.w1, town.wendy)
        hall_actions.call_next(town.w1, town.wendy)
        hall_actions.start(ticket, town.wendy, holder_seen=True)  # Wendy saw his ID
        hall_actions.finish(ticket, town.wendy)
        rating = ratings.rate(
            ticket,
            None,
            level=2,
            channel=Channel.QR,
            reasons=["waiting"],
            comment="排队等了四十分钟",
            # He leaves his number: Rita calls him and Cathy calls him back on it. Without one
            # no callback is possible and the order is archived with a note (session 29, h10).
            phone=WANG,
        )
        yield town, rita, ticket, rating


def test_a_bad_rating_is_handled_to_closure_on_the_pages_and_followed_up(visit, open_as):
    town, rita, ticket, rating = visit
    d = town.district
    number = rating.order.number

    # Rita signs for it, calls Mr Wang and replies, from her inbox and the order page.
    page = open_as(rita)
    open_desk(page, "/desk/unit/", "to_accept", number)
    open_action(page, "accept").locator("button[type=submit]").click()
    expect(panel(page, "accepted")).to_be_visible()
    dialog = open_action(page, "first_contact")
    dialog.locator("input[name=way][value=phone]").check()
    dialog.locator("textarea[name=note]").fill("已电话联系王先生致歉，了解排队情况。")
    dialog.locator("button[type=submit]").click()
    expect(page.locator("ol.events li[data-action=first_contact]")).to_have_count(1)
    dialog = open_action(page, "reply")
    dialog.locator("input[name=result][value=resolved]").check()
    dialog.locator("textarea[name=text]").fill("高峰时段增开两个居住证窗口，已向王先生致歉。")
    dialog.locator("button[type=submit]").click()
    expect(panel(page, "replied")).to_be_visible()

    # Dan approves; Cathy calls back: satisfied closes the order.
    dan = open_as(d.dan)
    open_desk(dan, "/desk/dispatch/", "review", number)
    open_action(dan, "approve_reply").locator("button[type=submit]").click()
    expect(panel(dan, "reviewed")).to_be_visible()
    cathy = open_as(d.cathy)
    open_desk(cathy, "/desk/callback/", "due", number)
    dialog = open_action(cathy, "callback")
    dialog.locator("input[name=resolved][value=yes]").check()
    dialog.locator("input[name=satisfaction][value=satisfied]").check()
    dialog.locator("button[type=submit]").click()
    expect(panel(cathy, "closed")).to_be_visible()

    # Mr Wang's 追评 from the QR page on his phone ends the loop.
    phone = open_as(None, viewport=PHONE)
    phone.goto(f"/hall/place/{ticket.token}/")
    with phone.expect_navigation():
        phone.locator("[data-testid=rate-visit]").click()
    follow = phone.locator("[data-testid=follow-up-form]")
    expect(follow).to_contain_text(number)
    follow.locator("[data-testid=level-4]").click()
    with phone.expect_navigation():
        follow.locator("button[type=submit]").click()
    rating.refresh_from_db()
    assert rating.state == "followed_up" and rating.follow_up_level == 4

    # Wendy's case page: the rectification order at once; his number shows the lamp order too.
    case = Case.objects.get(ticket=ticket)
    wendy = open_as(town.wendy)
    wendy.goto(f"/cases/{case.number}/")
    section = wendy.locator("[data-testid=citizen-orders]")
    expect(section.locator(f"tr[data-order='{number}']")).to_be_visible()
    section.locator("[data-testid=citizen-phone]").fill(WANG)
    Outbox.sent.clear()
    with override_settings(NOTIFIERS=OUTBOX):
        section.locator("[data-testid=orders-send]").click()
        expect(wendy.locator("[data-testid=orders-code-sent]")).to_contain_text("*******0101")
    (text,) = [m for m in Outbox.sent if m.action == "case_orders_code"]
    assert text.recipients_phone == (WANG,) and text.secret in text.text
    screenshot(wendy, "case-citizen-orders-code", full_page=True)
    section.locator("[data-testid=orders-code]").fill(text.secret)
    section.locator("[data-testid=orders-show]").click()
    listed = wendy.locator("[data-testid=citizen-order-list]")
    expect(listed).to_contain_text("路灯不亮")
    expect(listed).to_contain_text("*******0101")
    expect(listed).not_to_contain_text(WANG)
    screenshot(wendy, "case-citizen-orders", full_page=True)
    assert Rating.objects.get().order.state == "closed"


def test_a_wrong_number_is_refused_in_place(visit, open_as):
    town, _rita, ticket, _rating = visit
    case = Case.objects.get(ticket=ticket)
    wendy = open_as(town.wendy)
    wendy.goto(f"/cases/{case.number}/")
    section = wendy.locator("[data-testid=citizen-orders]")
    section.locator("[data-testid=citizen-phone]").fill("13900000000")
    section.locator("[data-testid=orders-send]").click()
    expect(wendy.locator("[data-testid=orders-problem]")).to_contain_text("不是该办件登记时")
