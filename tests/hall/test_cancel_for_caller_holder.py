"""Olga (12345 operator) cancels a booking for the caller on the line only if it was booked with
that caller's number. Before, the booking code was enough: posting any ``caller_phone`` with
another person's code cancelled their booking (attack report, session 19). Booked on Thursday
2023-03-09 15:00 for Friday's 09:00 slot by 张三 (BOOKING_PHONE)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hotline.hall.models import AppointmentAction, AppointmentEvent, AppointmentState
from tests.hall.conftest import BOOKING_PHONE

pytestmark = pytest.mark.django_db

STRANGER = "13800000000"
REFUSAL = "so it cannot be cancelled for them"  # (the apostrophe before it is escaped)


def _still_booked(appointment) -> bool:
    appointment.refresh_from_db()
    cancelled = AppointmentEvent.objects.filter(
        appointment=appointment, action=AppointmentAction.CANCEL
    )
    return appointment.state == AppointmentState.BOOKED and not cancelled.exists()


@pytest.mark.parametrize("caller", [STRANGER, "", "62345678", "not a number"])
def test_another_caller_s_number_cancels_nothing(client, district, appointment, four_pm, caller):
    client.force_login(district.olga)
    url = reverse("hall:cancel_for_caller", args=[appointment.code])
    # The question says why, and offers no "Yes, cancel it".
    for htmx in ({}, {"HTTP_HX_REQUEST": "true"}):
        asked = client.post(url, {"caller_phone": caller}, HTTP_ACCEPT_LANGUAGE="en", **htmx)
        page = asked.content.decode()
        assert REFUSAL in page and 'data-action="confirm-cancel"' not in page
    # Posting the confirmation anyway (a script, a stale page) is refused too.
    posted = {"caller_phone": caller, "confirm": "1", "reason": "来电改期"}
    plain = client.post(url, posted, HTTP_ACCEPT_LANGUAGE="en")
    assert plain.status_code == 409 and REFUSAL in plain.content.decode()
    line = client.post(url, posted, HTTP_ACCEPT_LANGUAGE="en", HTTP_HX_REQUEST="true")
    # In place of the booking's line, not the whole caller history (which a number without
    # visits shows without its list, nor the error).
    assert REFUSAL in line.content.decode()
    assert line["HX-Retarget"] == f"#cancel-for-caller-{appointment.code}"
    assert _still_booked(appointment)


def test_the_holder_on_the_line_gets_it_cancelled_however_the_number_is_written(
    client, district, appointment, four_pm
):
    client.force_login(district.olga)
    url = reverse("hall:cancel_for_caller", args=[appointment.code])
    written = "+86 " + BOOKING_PHONE.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    asked = client.post(url, {"caller_phone": written}).content.decode()
    assert 'data-action="confirm-cancel"' in asked
    client.post(url, {"caller_phone": written, "confirm": "1", "reason": "来电改期"})
    assert not _still_booked(appointment)


def test_the_refusal_reads_in_zh_hans_by_default(client, district, appointment, four_pm):
    client.force_login(district.olga)
    url = reverse("hall:cancel_for_caller", args=[appointment.code])
    page = client.post(url, {"caller_phone": STRANGER}).content.decode()
    assert "该预约不是用来电号码预约的" in page
