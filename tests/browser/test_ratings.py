"""好差评 in real Chromium under the production CSP: Hugo enrols the tablet at window 1 as its
pad (a phone that is not enrolled is told so); the tablet waits; Wendy finishes
a service at her desk and the pad shows the rating form by itself; the citizen rates 不满意,
is asked for a reason, gives one and sees the 12345 order number; Rita (the service centre's unit
handler) finds the rectification order in her inbox."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hotline.orders import actions as orders
from hotline.org.models import Role
from hotline.ratings.models import Rating
from tests.browser.conftest import TABLET, screenshot
from tests.conftest import make_user
from tests.hall.conftest import make_hall, opening_hours

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def hall(transactional_db, district, live_server):
    town = make_hall(district)
    town.wendy.first_name = "魏敏"
    town.wendy.save(update_fields=["first_name"])
    rita = make_user("rita", town.hall.unit, Role.UNIT_HANDLER)
    rita.first_name = "任婷"
    rita.save(update_fields=["first_name"])
    with opening_hours():  # tickets are given only while the windows are open
        yield town, rita


def act(page, action: str) -> None:
    with page.expect_navigation():
        page.locator(f"button[data-action={action}]").first.click()


def test_a_finished_service_is_rated_badly_on_the_pad_and_reaches_the_units_inbox(hall, open_as):
    town, rita = hall
    code = town.hall.code
    # Hugo (the hall's manager) enrols the tablet at window 1 on the tablet itself, then logs
    # out there: only that browser is the window's pad (a copied link or a clerk's phone is not).
    stranger = open_as(None, viewport=PHONE)
    stranger.goto("/ratings/pad/")
    expect(stranger.locator("[data-testid=pad-not-enrolled]")).to_be_visible()
    expect(stranger.locator("[data-testid=pad-form]")).to_have_count(0)
    screenshot(stranger, "rating-pad-not-enrolled")
    pad = open_as(town.hugo, viewport=TABLET)
    pad.goto(f"/ratings/hall/{code}/")
    expect(pad.locator("[data-testid=pad-1] [data-testid=pad-state]")).to_have_text("未登记")
    with pad.expect_navigation():
        pad.locator("[data-testid=pad-1] [data-testid=enrol-pad]").click()
    expect(pad.locator("[data-testid=pad-signed-in]")).to_be_visible()
    screenshot(pad, "rating-pad-enrolled-signed-in")
    with pad.expect_navigation():
        pad.locator("[data-testid=pad-sign-out]").click()
    expect(pad.locator("[data-testid=pad-signed-in]")).to_have_count(0)
    expect(pad.locator("[data-testid=pad-idle]")).to_be_visible()
    screenshot(pad, "rating-pad-idle")

    kiosk = open_as(None, viewport=TABLET)
    kiosk.goto(f"/hall/{code}/kiosk/")
    with kiosk.expect_navigation():
        kiosk.locator("button[data-matter=jzz]").click()
    number = kiosk.locator("[data-testid=ticket-number]").inner_text()

    wendy = open_as(town.wendy)
    wendy.goto(f"/hall/{code}/desk/")
    wendy.locator("select[name=window]").select_option(str(town.w1.pk))
    act(wendy, "sign_in")
    act(wendy, "call_next")
    expect(wendy.locator("[data-testid=current-number]")).to_have_text(number)
    act(wendy, "start")
    # The pad stays idle while the citizen is served: nothing to rate yet.
    expect(pad.locator("[data-testid=pad-idle]")).to_be_visible()
    act(wendy, "finish")

    # Nobody touches the pad: the form comes up by itself within a few seconds.
    form = pad.locator("[data-testid=pad-form]")
    expect(form).to_be_visible()
    expect(form).to_contain_text(number)
    screenshot(pad, "rating-pad-form")
    form.locator("[data-testid=level-2]").click()
    form.locator("button[type=submit]").click()
    expect(pad.locator("[data-testid=reasons-error]")).to_be_visible()
    assert not Rating.objects.exists()
    form = pad.locator("[data-testid=pad-form]")
    expect(form.locator("[data-testid=level-2] input")).to_be_checked()
    form.locator("[data-testid=reason-waiting]").click()
    form.locator("[data-testid=reason-materials]").click()
    form.locator("textarea[name=comment]").fill("等了四十分钟，又被要求提供清单以外的复印件")
    form.locator("input[name=phone]").fill("139 1234 5678")
    screenshot(pad, "rating-pad-reasons")
    form.locator("button[type=submit]").click()
    thanks = pad.locator("[data-testid=pad-thanks]")
    expect(thanks).to_be_visible()
    order = Rating.objects.get().order
    # The service centre sits under its street: the street leads, the centre is assigned (8993ebb).
    assert order is not None and order.assigned_unit == town.hall.unit
    assert order.lead_unit == town.hall.unit.first_level()
    expect(thanks).to_contain_text(order.number)
    screenshot(pad, "rating-pad-thanks")
    # A few seconds later the pad goes back to waiting for the next service.
    expect(pad.locator("[data-testid=pad-idle]")).to_be_visible(timeout=12_000)

    inbox = open_as(rita)
    inbox.goto("/desk/unit/")
    expect(inbox.locator("main")).to_contain_text(order.number)
    expect(inbox.locator("main")).to_contain_text(number)
    screenshot(inbox, "rating-unit-inbox")

    hugo = open_as(town.hugo)
    hugo.goto(f"/ratings/hall/{code}/")
    expect(hugo.locator("[data-testid=ratings]")).to_contain_text(order.number)
    pad_state = hugo.locator("[data-testid=pad-1] [data-testid=pad-state]")
    expect(pad_state).to_contain_text(town.hugo.get_full_name() or town.hugo.username)
    screenshot(hugo, "rating-hall", full_page=True)

    # The centre works the order to closure through the hotline's own actions (the unit's and
    # the centre's pages are tested elsewhere); then the citizen gives the follow-up rating from
    # the ticket's QR code on a phone, which ends the loop.
    d = town.district
    orders.accept(order, rita)
    orders.first_contact(order, rita, way="phone", note="已致电道歉")
    orders.reply(order, rita, result="resolved", text="已增开居住证窗口，并更新材料清单")
    orders.approve_reply(order, d.dan)
    orders.callback(order, d.cathy, resolved=True, satisfaction="satisfied")
    ticket = Rating.objects.get().ticket
    phone = open_as(None, viewport=PHONE)
    phone.goto(f"/hall/place/{ticket.token}/")
    with phone.expect_navigation():
        phone.locator("[data-testid=rate-visit]").click()
    follow = phone.locator("[data-testid=follow-up-form]")
    expect(follow).to_contain_text(order.number)
    follow.locator("[data-testid=level-4]").click()
    follow.locator("textarea[name=comment]").fill("整改及时，谢谢")
    screenshot(phone, "rating-follow-up")
    with phone.expect_navigation():
        follow.locator("button[type=submit]").click()
    expect(phone.locator("[data-testid=rated]")).to_contain_text("满意")
    rating = Rating.objects.get()
    assert rating.state == "followed_up" and rating.follow_up_level == 4


def test_could_not_get_it_done_becomes_an_order_and_intake_shows_the_hall_visit(hall, open_as):
    from hotline.hall import actions as hall_actions
    from hotline.hall import identity
    from hotline.hall.models import Source

    town, _rita = hall
    # Given at the reception desk (staff saw him): a proved holder, whom the caller history finds.
    ticket = hall_actions.issue(
        town.hall,
        town.residence,
        holder_key=identity.holder_key(phone="13912345678"),
        source=Source.RECEPTION,
        actor=town.hugo,
    )
    wendy = open_as(town.wendy)
    wendy.goto("/ratings/cannot-do/")
    form = wendy.locator("[data-testid=referral-form]")
    form.locator("input[name=ticket_number]").fill(ticket.number)
    form.locator("input[name=what]").fill("居住证办理")
    form.locator("button[type=submit]").click()
    # The reason is required: the browser keeps the form until it is given.
    expect(form.locator("textarea[name=why]:invalid")).to_have_count(1)
    form.locator("textarea[name=why]").fill("房屋租赁合同未备案，窗口无法受理")
    form.locator("input[name=phone]").fill("13912345678")
    with wendy.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(wendy.locator("[data-testid=referral-made]")).to_be_visible()
    screenshot(wendy, "hall-cannot-do", full_page=True)

    olga = open_as(town.district.olga)
    olga.goto("/intake/")
    olga.locator("input[name=citizen_phone]").fill("139 1234 5678")
    visits = olga.locator("[data-testid=hall-visits]")
    expect(visits).to_contain_text(ticket.number)
    expect(olga.locator("[data-testid=book-for-caller]")).to_contain_text(str(town.hall.unit))
    screenshot(olga, "intake-hall-visits")


def test_wendy_records_a_help_and_hugo_a_proxy_on_the_assistance_page(hall, open_as):
    town, _rita = hall
    wendy = open_as(town.wendy)
    wendy.goto("/assistance/")
    start = wendy.locator("[data-testid=start-help]")
    start.locator(f"input[name=help-matters][value='{town.residence.pk}']").check()
    start.locator("input[name=help-citizen_name]").fill("张三")
    with wendy.expect_navigation():
        start.locator("button[type=submit]").click()
    expect(wendy.locator("[data-testid=assistance-open]")).to_contain_text("张*")
    proxy = wendy.locator("[data-testid=start-proxy]")
    proxy.locator(f"input[name=proxy-matters][value='{town.allowance.pk}']").check()
    proxy.locator("input[name=proxy-applicant_name]").fill("王老伯")
    proxy.locator("input[name=proxy-authoriser_name]").fill("王小明")
    proxy.locator("input[name=proxy-authorisation_ref]").fill("WT-2099-001")
    proxy.locator("input[name=proxy-authorised_until]").fill("2099-12-31")
    with wendy.expect_navigation():
        proxy.locator("button[type=submit]").click()
    expect(wendy.locator("[data-testid=assistance-open] tr[data-state=authorised]")).to_be_visible()
    screenshot(wendy, "assistance", full_page=True)
    with wendy.expect_navigation():
        wendy.locator("button[data-action=end]").click()
    expect(wendy.locator("[data-testid=assistance-open] tr[data-state=open]")).to_have_count(0)
