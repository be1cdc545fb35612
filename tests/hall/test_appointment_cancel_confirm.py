"""Hall staff and 12345 operators confirm before a citizen's booking is cancelled, as the citizen
does on their own page: a mis-click on the list or in the caller history changes nothing. From
the caller history (HTMX) the question replaces the booking's line and, once confirmed, the
caller history comes back with the booking cancelled — without a reload.

Booked on Thursday 2023-03-09 15:00 for Friday's 09:00 slot; Walt (clerk) and Olga (operator)
act at 16:00."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from hotline.hall.actions import appointments as booking
from hotline.hall.identity import holder_key
from hotline.hall.models import AppointmentEvent, AppointmentState
from hotline.orders.models import State as OrderState
from tests.conftest import at
from tests.hall.conftest import BOOKING_PHONE as PHONE
from tests.hall.conftest import open_slot

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def slot_for_two(town):
    return open_slot(town, dt.date(2023, 3, 13), capacity=2)


@pytest.fixture
def walts_cancel(client, town, appointment) -> str:
    """Walt logged in; the address of his cancel of 张三's booking (from the day's list)."""
    client.force_login(town.walt)
    return reverse("hall:cancel_appointment", args=[town.hall.code, appointment.code])


@pytest.fixture
def olgas_cancel(client, district, appointment) -> str:
    """Olga logged in; the address of her cancel of 张三's booking (from the caller history)."""
    client.force_login(district.olga)
    return reverse("hall:cancel_for_caller", args=[appointment.code])


def _state(appointment) -> str:
    appointment.refresh_from_db()
    return appointment.state


def test_walts_first_click_asks_and_only_the_confirmation_cancels(
    client, town, appointment, four_pm, walts_cancel
):
    listing = client.get(reverse("hall:appointments", args=[town.hall.code]) + "?day=2023-03-10")
    # A link to the question, not a POST.
    assert f'href="{walts_cancel}"' in listing.content.decode()
    # The link, or an old page's button: both ask.
    for first in (client.get(walts_cancel), client.post(walts_cancel)):
        page = first.content.decode()
        assert first.status_code == 200 and 'data-testid="cancel-confirm"' in page
        assert appointment.code in page and "张三" in page and 'name="confirm"' in page
        assert _state(appointment) == AppointmentState.BOOKED
    assert not AppointmentEvent.objects.filter(appointment=appointment, action="cancel").exists()
    done = client.post(walts_cancel, {"confirm": "1", "reason": "窗口停开"})
    assert done.status_code == 302 and done["Location"].endswith("?day=2023-03-10")
    assert _state(appointment) == AppointmentState.CANCELLED


def test_the_question_says_why_a_past_booking_cannot_be_cancelled(client, town, appointment):
    url = reverse("hall:cancel_appointment", args=[town.hall.code, appointment.code])
    with time_machine.travel(at("2023-03-10 09:05"), tick=False):
        client.force_login(town.walt)
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The appointment time has passed." in page and 'name="confirm"' not in page


def test_olga_confirms_in_the_caller_history_and_it_shows_cancelled_at_once(
    client, district, town, appointment, four_pm, olgas_cancel
):
    history = client.post(reverse("caller_history"), {"citizen_phone": PHONE}, **HTMX)
    text = history.content.decode()
    # The button asks in place (HTMX), no new tab; the number goes in the body.
    assert f'hx-post="{olgas_cancel}"' in text and 'target="_blank" class="inline-form"' not in text
    asked = client.post(olgas_cancel, {"caller_phone": PHONE}, **HTMX)
    fragment = asked.content.decode()
    assert asked.status_code == 200 and 'data-testid="cancel-for-caller-confirm"' in fragment
    assert 'hx-target="#caller-history"' in fragment and f'value="{PHONE}"' in fragment
    assert _state(appointment) == AppointmentState.BOOKED
    done = client.post(
        olgas_cancel, {"caller_phone": PHONE, "confirm": "1", "reason": "来电改期"}, **HTMX
    )
    refreshed = done.content.decode()
    assert done.status_code == 200 and 'data-testid="hall-visits"' in refreshed
    assert f"Appointment {appointment.code} at" in refreshed
    # The booking's line now reads cancelled and offers no cancel button.
    assert "Cancelled" in refreshed and 'data-testid="cancel-for-caller"' not in refreshed
    assert _state(appointment) == AppointmentState.CANCELLED


def test_without_script_olga_gets_the_question_as_a_page(
    client, district, appointment, four_pm, olgas_cancel
):
    asked = client.post(olgas_cancel, {"caller_phone": PHONE})
    assert asked.status_code == 200 and b'data-testid="cancel-confirm"' in asked.content
    assert _state(appointment) == AppointmentState.BOOKED
    done = client.post(
        olgas_cancel, {"caller_phone": PHONE, "confirm": "1", "reason": "来电改期"}, follow=True
    )
    assert done.redirect_chain[0][1] == 302  # the booking's page, not the POST's own answer
    assert done.status_code == 200 and b'data-testid="cancelled"' in done.content
    assert _state(appointment) == AppointmentState.CANCELLED


def test_a_second_confirmation_says_why_and_still_refreshes(
    client, district, appointment, four_pm, olgas_cancel
):
    confirmed = {"caller_phone": PHONE, "confirm": "1", "reason": "来电改期"}
    client.post(olgas_cancel, confirmed, **HTMX)
    again = client.post(olgas_cancel, confirmed, **HTMX)
    assert again.status_code == 200 and b'data-testid="cancel-error"' in again.content
    assert AppointmentEvent.objects.filter(appointment=appointment, action="cancel").count() == 1


def _cancel_event(appointment) -> AppointmentEvent:
    return AppointmentEvent.objects.get(appointment=appointment, action="cancel")


def test_walts_reason_is_stored_on_the_event_and_shown_in_the_list(
    client, town, appointment, four_pm, walts_cancel
):
    question = client.get(walts_cancel).content.decode()
    assert 'name="reason"' in question and "required" in question
    client.post(walts_cancel, {"confirm": "1", "reason": "  窗口 停开\n改约下周 "})
    # Spaces and line breaks fold into one: the reason is one line in the lists.
    assert _cancel_event(appointment).reason == "窗口 停开 改约下周"
    listing = client.get(reverse("hall:appointments", args=[town.hall.code]) + "?day=2023-03-10")
    assert 'data-testid="cancel-reason">窗口 停开 改约下周</span>' in listing.content.decode()


def test_walt_without_a_reason_is_asked_again_and_nothing_is_cancelled(
    client, town, appointment, four_pm, walts_cancel
):
    for blank in ({"confirm": "1"}, {"confirm": "1", "reason": "   "}):
        refused = client.post(walts_cancel, blank, HTTP_ACCEPT_LANGUAGE="en")
        page = refused.content.decode()
        assert refused.status_code == 422 and 'data-testid="cancel-confirm"' in page
        assert 'data-testid="reason-error"' in page
        assert "Give the reason for cancelling." in page
        assert 'name="confirm"' in page  # the question is still there to answer
    too_long = client.post(
        walts_cancel, {"confirm": "1", "reason": "长" * 201}, HTTP_ACCEPT_LANGUAGE="en"
    )
    text = too_long.content.decode()
    # What was typed comes back in the box, with the limit.
    assert too_long.status_code == 422 and "Keep the reason to 200 characters or fewer." in text
    assert "长" * 201 in text
    assert _state(appointment) == AppointmentState.BOOKED
    assert not AppointmentEvent.objects.filter(appointment=appointment, action="cancel").exists()


def test_olga_without_a_reason_gets_the_question_back_in_place(
    client, district, appointment, four_pm, olgas_cancel
):
    refused = client.post(
        olgas_cancel, {"caller_phone": PHONE, "confirm": "1", "reason": ""}, **HTMX
    )
    fragment = refused.content.decode()
    # Only the booking's line is replaced by the question again, not the whole caller history.
    assert (
        refused.status_code == 200
        and refused["HX-Retarget"] == f"#cancel-for-caller-{appointment.code}"
    )
    assert refused["HX-Reswap"] == "outerHTML"
    assert f'id="cancel-for-caller-{appointment.code}"' in fragment
    assert 'data-testid="reason-error"' in fragment and f'value="{PHONE}"' in fragment
    assert _state(appointment) == AppointmentState.BOOKED
    without_script = client.post(olgas_cancel, {"caller_phone": PHONE, "confirm": "1"})
    assert without_script.status_code == 422
    assert b'data-testid="reason-error"' in without_script.content
    assert _state(appointment) == AppointmentState.BOOKED
    client.post(olgas_cancel, {"caller_phone": PHONE, "confirm": "1", "reason": "来电改期"}, **HTMX)
    event = _cancel_event(appointment)
    assert event.reason == "来电改期" and event.actor == district.olga
    # The caller history shows the reason beside the cancelled booking.
    history = client.post(reverse("caller_history"), {"citizen_phone": PHONE}, **HTMX)
    assert 'data-testid="cancel-reason">来电改期</span>' in history.content.decode()


def test_the_citizen_may_cancel_without_a_reason_or_give_one(town, appointment, four_pm):
    booking.cancel(appointment)
    assert _cancel_event(appointment).reason == ""


def test_the_citizen_s_own_reason_is_kept(town, slot_for_two, four_pm):
    own = booking.book(slot_for_two, holder_key=holder_key(phone="13800001111"))
    booking.cancel(own, reason="出差")
    assert _cancel_event(own).reason == "出差"


def test_staff_cancel_through_the_action_needs_a_reason(town, appointment, four_pm):
    with pytest.raises(booking.InvalidInput) as refused:
        booking.cancel(appointment, actor=town.walt, reason=" ")
    assert refused.value.field == "reason"
    assert _state(appointment) == AppointmentState.BOOKED


def test_a_cancelled_booking_reads_yi_qu_xiao_and_a_work_order_still_yi_zuo_fei(
    client, town, appointment, four_pm
):
    booking.cancel(appointment, actor=town.walt, reason="窗口停开")
    appointment.refresh_from_db()
    event = _cancel_event(appointment)
    with translation.override("zh-hans"):
        assert appointment.get_state_display() == "已取消"
        assert event.get_action_display() == "已取消"
        assert str(OrderState.CANCELLED.label) == "已作废"  # the shared msgid keeps its meaning
    with translation.override("en"):
        assert appointment.get_state_display() == "Cancelled"
    client.force_login(town.walt)
    listing = client.get(
        reverse("hall:appointments", args=[town.hall.code]) + "?day=2023-03-10",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    ).content.decode()
    row = listing[listing.index(f'data-code="{appointment.code}"') :].split("</tr>")[0]
    assert "<td>已取消</td>" in row and "已作废" not in row


def test_the_citizen_s_page_asks_for_a_reason_but_does_not_need_one(
    client, town, appointment, four_pm
):
    url = reverse("hall:cancel_booking", args=[town.hall.code])
    found = client.post(url, {"booking": appointment.code, "phone": PHONE})
    text = found.content.decode()
    assert 'name="reason"' in text and 'name="reason" maxlength="200" required' not in text
    confirmed = {"booking": appointment.code, "phone": PHONE, "confirm": "1", "reason": "改天再来"}
    assert client.post(url, confirmed).status_code == 302  # to the booking's page
    assert _cancel_event(appointment).reason == "改天再来"


def test_the_caller_history_reads_cancel_reasons_as_the_day_list_does_in_one_query(
    client, district, town, appointment, slot_for_two, four_pm
):
    monday = booking.book(slot_for_two, holder_key=holder_key(phone=PHONE), holder_name="张三")
    booking.cancel(appointment, actor=town.walt, reason="窗口停开")
    booking.cancel(monday)  # the citizen's own, without a reason
    client.force_login(district.olga)
    with CaptureQueriesContext(connection) as queries:
        history = client.post(reverse("caller_history"), {"citizen_phone": PHONE}, **HTMX)
    text = history.content.decode()
    assert text.count('data-testid="cancel-reason"') == 1
    assert 'data-testid="cancel-reason">窗口停开</span>' in text
    events = [q for q in queries.captured_queries if '"hall_appointmentevent"' in q["sql"]]
    assert len(events) == 1  # the events of both bookings at once
    client.force_login(town.walt)
    listing = client.get(reverse("hall:appointments", args=[town.hall.code]) + "?day=2023-03-10")
    assert 'data-testid="cancel-reason">窗口停开</span>' in listing.content.decode()


def test_the_citizen_s_over_long_reason_stays_on_the_confirm_step_with_what_they_typed(
    client, town, appointment, four_pm
):
    """A pasted reason past the limit (or a client without the box's maxlength): the question
    comes back with the reason's error and the text in the box, not the first step empty."""
    url = reverse("hall:cancel_booking", args=[town.hall.code])
    typed = "明天临时出差，" * 30  # 210 characters
    confirmed = {"booking": appointment.code, "phone": PHONE, "confirm": "1"}
    refused = client.post(url, {**confirmed, "reason": typed}, HTTP_ACCEPT_LANGUAGE="en")
    text = refused.content.decode()
    assert refused.status_code == 422
    assert 'data-testid="cancel-confirm"' in text and 'data-testid="cancel-form"' not in text
    assert 'data-testid="reason-error"' in text
    assert "Keep the reason to 200 characters or fewer." in text
    assert f'value="{typed}"' in text and 'aria-invalid="true"' in text
    assert _state(appointment) == AppointmentState.BOOKED
    in_chinese = client.post(url, {**confirmed, "reason": typed}).content.decode()
    assert "原因不超过200个字。" in in_chinese and f'value="{typed}"' in in_chinese
    # Shortened to the limit, it goes through with that reason.
    done = client.post(url, {**confirmed, "reason": typed[:200]}, follow=True)
    assert done.status_code == 200 and b'data-testid="cancelled"' in done.content
    assert _cancel_event(appointment).reason == typed[:200]
