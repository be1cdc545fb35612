"""A morning at 大宁路街道社区事务受理服务中心, in real Chromium under the production CSP.

Citizens take tickets at the kiosk (each printed as an 80 mm page with a QR code), Walt and Wendy
call from windows 2 and 1, the wall board shows and announces each call; Walt marks a no-show
after two recalls, and Wendy transfers a ticket to Walt's window, where it keeps its number.
"""

from __future__ import annotations

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from hotline.hall.models import Ticket, TicketState
from tests.browser.conftest import TABLET, screenshot
from tests.hall.conftest import make_hall, opening_hours

pytestmark = pytest.mark.browser


@pytest.fixture
def hall(transactional_db, district, live_server):
    town = make_hall(district)
    for user, name in [(town.walt, "王涛"), (town.wendy, "魏敏"), (town.hugo, "胡刚")]:
        user.first_name = name
        user.save(update_fields=["first_name"])
    with opening_hours():  # tickets are given only while the windows are open
        yield town


def take_ticket(page, code: str, matter: str, name: str = "") -> str:
    page.goto(f"/hall/{code}/kiosk/")
    if name:
        page.locator("input[name=name]").fill(name)
    with page.expect_navigation():
        page.locator(f"button[data-matter={matter}]").click()
    number = page.locator("[data-testid=ticket-number]").inner_text()
    expect(page.locator("[data-testid=ticket-qr]")).to_be_visible()
    return number


def act(page, action: str) -> None:
    # Sign-out and no-show ask first (a disclosure): open the question, then press its "yes".
    ask = page.locator(f"[data-testid=confirm-{action}]")
    if ask.count():
        ask.first.click()
    with page.expect_navigation():
        page.locator(f"button[data-action={action}]").first.click()


def sign_in(page, code: str, window_pk: int) -> None:
    page.goto(f"/hall/{code}/desk/")
    page.locator("select[name=window]").select_option(str(window_pk))
    act(page, "sign_in")
    expect(page.locator("[data-testid=window-state]")).to_have_attribute("data-state", "open")


def test_tickets_calls_board_voice_no_show_and_transfer(hall, open_as):
    code = hall.hall.code
    display = open_as(None)
    display.goto(f"/hall/{code}/board/")
    display.locator("[data-enable-voice]").click()

    kiosk = open_as(None, viewport=TABLET)
    first = take_ticket(kiosk, code, "jzz", name="张三")
    screenshot(kiosk, "hall-ticket")
    kiosk.goto(f"/hall/{code}/kiosk/")
    screenshot(kiosk, "hall-kiosk")
    second = take_ticket(kiosk, code, "lnjt", name="李四")
    third = take_ticket(kiosk, code, "jzz")
    assert (first, second, third) == ("A001", "B001", "A002")

    walt = open_as(hall.walt)
    wendy = open_as(hall.wendy)
    sign_in(walt, code, hall.w2.pk)
    sign_in(wendy, code, hall.w1.pk)
    act(walt, "call_next")
    expect(walt.locator("[data-testid=current-number]")).to_have_text("A001")
    act(wendy, "call_next")  # window 1 weighs the allowance higher
    expect(wendy.locator("[data-testid=current-number]")).to_have_text("B001")

    announced = display.locator("[data-testid=announced]")
    expect(announced).to_contain_text("请A001号到2号窗口")
    expect(announced).to_contain_text("请B001号到1号窗口")
    live = display.locator("[data-testid=board-live]")
    expect(live).to_contain_text("张*")
    expect(live).not_to_contain_text("张三")
    screenshot(display, "hall-board")

    # Nobody answers A001: two recalls (each announced again), then a no-show.
    act(walt, "recall")
    act(walt, "recall")
    expect(announced.locator("li", has_text="请A001号到2号窗口")).to_have_count(3)
    act(walt, "no_show")
    assert Ticket.objects.get(number="A001").state == TicketState.NO_SHOW

    # B001 also needs a residence permit: Wendy sends it to window 2, keeping its number.
    act(wendy, "start")
    wendy.locator("[data-testid=transfer] select[name=matter]").select_option(
        str(hall.residence.pk)
    )
    wendy.locator("[data-testid=transfer] select[name=window]").select_option(str(hall.w2.pk))
    wendy.locator("[data-testid=transfer] input[name=reason]").fill("另需办理居住证")
    act(wendy, "transfer")
    act(walt, "call_next")
    expect(walt.locator("[data-testid=current-number]")).to_have_text("B001")
    expect(announced).to_contain_text("请B001号到2号窗口")
    screenshot(walt, "hall-desk")
    assert Ticket.objects.get(number="A002").state == TicketState.WAITING


MOBILE = {"width": 390, "height": 844}


def _texted_code(phone: str) -> str:
    """The booking code the notifier was given for ``phone`` last (the SMS gateway's stand-in)."""
    import re

    from tests.hall.booking_by_code import Outbox

    (message, *_rest) = [m for m in reversed(Outbox.sent) if m.recipients_phone == (phone,)]
    return re.search(r"(?<!\d)(\d{6})(?!\d)", message.text).group(1)


@override_settings(NOTIFIERS=["tests.hall.booking_by_code.Outbox"])
def test_an_appointment_booked_on_a_phone_and_checked_in_at_the_kiosk(hall, open_as):
    import datetime as dt

    import time_machine
    from django.utils import timezone

    from hotline import clock
    from hotline.hall.actions import appointments as booking
    from hotline.hall.models import Appointment, AppointmentState, Priority

    # Booking and check-in happen in the morning whatever the hour the suite runs at (late in
    # the evening "10 minutes from now" would fall on tomorrow). The live server runs in this
    # process, so it travels too.
    tomorrow = clock.today() + dt.timedelta(days=1)
    morning = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(9, 30)))
    with time_machine.travel(morning, tick=True):
        code = hall.hall.code
        start = timezone.localtime(clock.now() + dt.timedelta(minutes=10)).replace(
            second=0, microsecond=0
        )
        booking.open_slots(
            hall.hall,
            hall.residence,
            start.date(),
            starts=start.time(),
            ends=(start + dt.timedelta(minutes=30)).time(),
            minutes=30,
            capacity=2,
        )
        phone = open_as(None, viewport=MOBILE)
        phone.goto(f"/hall/{code}/book/")
        with phone.expect_navigation():
            phone.locator("select[name=matter]").select_option(str(hall.residence.pk))
        phone.locator("input[name=slot]").first.check()
        phone.locator("input[name=phone]").fill("138 0000 1111")
        phone.locator("input[name=name]").fill("赵六")
        screenshot(phone, "hall-book")
        with phone.expect_navigation():
            phone.locator("button[data-action=book]").click()
        # Session 18: the portal books only once the code texted to the number is typed back.
        assert not Appointment.objects.exists()
        expect(phone.locator("[data-testid=code-sent]")).to_contain_text("*******1111")
        send_again = phone.locator("button[data-action=send-again]")
        expect(send_again).to_be_disabled()  # offered after a minute
        screenshot(phone, "hall-book-code")
        phone.locator("[data-testid=booking-sms-code]").fill(_texted_code("13800001111"))
        with phone.expect_navigation():
            phone.locator("button[data-action=confirm-code]").click()
        booked_code = phone.locator("[data-testid=booking-code]").inner_text()
        assert Appointment.objects.get().code == booked_code

        kiosk = open_as(None, viewport=TABLET)
        kiosk.goto(f"/hall/{code}/kiosk/")
        with kiosk.expect_navigation():
            kiosk.locator("[data-testid=go-check-in]").click()
        kiosk.locator("input[name=code]").fill("WRONG1")
        with kiosk.expect_navigation():
            kiosk.locator("button[data-action=check_in]").click()
        expect(kiosk.locator("[data-testid=check-in-errors]")).to_be_visible()
        kiosk.locator("input[name=code]").fill("")
        kiosk.locator("input[name=phone]").fill("13800001111")
        with kiosk.expect_navigation():
            kiosk.locator("button[data-action=check_in]").click()
        # By number, the kiosk shows the booking's time and matter, never the name, and asks
        # for the name given when booking (or the code's last four): a wrong one is refused.
        proof = kiosk.locator("[data-testid=check-in-proof]")
        expect(proof).to_contain_text("居住证")
        expect(proof).not_to_contain_text("赵")
        screenshot(kiosk, "hall-check-in-proof")
        kiosk.locator("[data-testid=proof]").fill("王五")
        with kiosk.expect_navigation():
            kiosk.locator("button[data-action=check_in]").click()
        expect(kiosk.locator("[data-testid=check-in-errors]")).to_be_visible()
        assert Appointment.objects.get().state == AppointmentState.BOOKED
        kiosk.locator("[data-testid=proof]").fill("赵六")
        with kiosk.expect_navigation():
            kiosk.locator("button[data-action=check_in]").click()
        expect(kiosk.locator("[data-testid=ticket-number]")).to_have_text("A001")
        appointment = Appointment.objects.get()
        assert appointment.state == AppointmentState.CHECKED_IN
        assert appointment.ticket.priority == Priority.APPOINTMENT

        # Another citizen books the slot's other place, then cancels it from the confirmation
        # page: code carried over, phone typed, a confirmation step, the result page.
        phone.goto(f"/hall/{code}/book/?matter={hall.residence.pk}")
        phone.locator("input[name=slot]").first.check()
        phone.locator("input[name=phone]").fill("13912345678")
        with phone.expect_navigation():
            phone.locator("button[data-action=book]").click()
        phone.locator("[data-testid=booking-sms-code]").fill(_texted_code("13912345678"))
        with phone.expect_navigation():
            phone.locator("button[data-action=confirm-code]").click()
        second = phone.locator("[data-testid=booking-code]").inner_text()
        with phone.expect_navigation():
            phone.locator("[data-testid=cancel-booking]").click()
        phone.locator("input[name=phone]").fill("13912345678")
        with phone.expect_navigation():
            phone.locator("button[data-action=find-booking]").click()
        with phone.expect_navigation():
            phone.locator("button[data-action=confirm-cancel]").click()
        expect(phone.locator("[data-testid=cancelled]")).to_be_visible()
        assert Appointment.objects.get(code=second).state == AppointmentState.CANCELLED


def test_the_managers_board_raises_and_acknowledges_an_alert(hall, open_as):
    from hotline.hall import actions

    code = hall.hall.code
    hugo = open_as(hall.hugo)
    with hugo.expect_navigation():
        hugo.goto("/hall/")  # the navigation's link lands a manager on the live board
    assert hugo.url.endswith(f"/hall/{code}/manage/")
    expect(hugo.locator("[data-alert]")).to_have_count(0)
    # Citizens arrive while every window is still closed: the next poll raises a critical alert.
    actions.issue(hall.hall, hall.residence)
    actions.issue(hall.hall, hall.allowance)
    alert = hugo.locator("[data-alert=saturation]")
    expect(alert).to_have_attribute("data-level", "3")
    expect(alert).to_have_attribute("data-acknowledged", "no")
    alert.locator("button[data-action=acknowledge]").click()
    expect(alert).to_have_attribute("data-acknowledged", "yes")
    expect(alert).to_contain_text("胡刚")
    screenshot(hugo, "hall-manage")
    # Walt opens window 2: the condition ends and the alert goes from the board.
    actions.sign_in(hall.w2, hall.walt)
    expect(hugo.locator("[data-alert=saturation]")).to_have_count(0)


@override_settings(NOTIFIERS=["tests.hall.booking_by_code.Outbox"])
def test_todays_ticket_taken_on_a_phone_with_the_code_texted_to_it(hall, open_as):
    from hotline.hall.identity import holder_key

    # Session 18: the portal's ticket is taken only once the code texted to the number is typed
    # back; before, any well-formed number took one, and its "your turn is near" went to it.
    hall.residence.remote_ticket_allowed = True
    hall.residence.save(update_fields=["remote_ticket_allowed"])
    phone = open_as(None, viewport=MOBILE)
    phone.goto(f"/hall/{hall.hall.code}/today/")
    phone.locator("select[name=matter]").select_option(str(hall.residence.pk))
    phone.locator("input[name=phone]").fill("139 0000 2222")
    phone.locator("input[name=name]").fill("钱七")
    with phone.expect_navigation():
        phone.locator("button[data-action=take]").click()
    assert not Ticket.objects.exists()
    expect(phone.locator("[data-testid=code-sent]")).to_contain_text("*******2222")
    expect(phone.locator("[data-testid=code-ticket]")).to_contain_text("钱七")
    code_box = phone.locator("[data-testid=booking-sms-code]")
    expect(code_box).to_have_attribute("inputmode", "numeric")
    expect(code_box).to_have_attribute("autocomplete", "one-time-code")
    expect(phone.locator("button[data-action=send-again]")).to_be_disabled()  # after a minute
    code = _texted_code("13900002222")
    code_box.fill(f"{(int(code) + 1) % 10**6:06d}")
    with phone.expect_navigation():
        phone.locator("button[data-action=confirm-code]").click()
    expect(phone.locator("[data-testid=remote-errors]")).to_be_visible()
    assert not Ticket.objects.exists()
    screenshot(phone, "hall-remote-code")
    phone.locator("[data-testid=booking-sms-code]").fill(code)
    with phone.expect_navigation():
        phone.locator("button[data-action=confirm-code]").click()
    ticket = Ticket.objects.get()
    assert (ticket.source, ticket.holder_name) == ("portal", "钱七")
    assert ticket.holder_key == holder_key(phone="13900002222")
    assert phone.url.endswith(f"/hall/place/{ticket.token}/")
    expect(phone.locator("body")).to_contain_text(ticket.number)
