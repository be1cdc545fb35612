"""A citizen refused at check-in came: the booking is not marked a no-show.

张三's booking is for Friday 09:00 (15 minutes' tolerance either way). He arrives at 09:20; the
kiosk refuses him ("too late: take an ordinary ticket"), and he is served on an ordinary ticket.
Before, nothing recorded that he came: the worker's pass marked his booking a no-show, and the
hall's "appointments kept" counted him with the people who never came. The refusal is now an
event of the booking (refuse, who saw what), and the worker's pass marks a booking refused at
check-in "came, turned away" instead of no-show — or turns the no-show it already marked
(before he arrived) into that. The figures' no-shows are the bookings nobody came for;
appointments kept leaves the turned-away out of both sides. 李四, who never came, is a no-show."""

from __future__ import annotations

import pytest
import time_machine

from hotline.hall import kpis
from hotline.hall.actions import appointments as booking
from hotline.hall.identity import holder_key
from hotline.hall.models import Appointment, AppointmentAction, AppointmentState
from tests.conftest import at
from tests.hall.conftest import BOOKING_PHONE

pytestmark = pytest.mark.django_db

URL = "/hall/dnl/kiosk/check-in/"


def _at_kiosk(client, when: str, code: str) -> int:
    with time_machine.travel(at(when), tick=False):
        return client.post(URL, {"code": code}).status_code


def _actions(appointment: Appointment) -> list[tuple[str, str, str]]:
    return list(appointment.events.values_list("action", "from_state", "to_state"))


def _counts(town) -> tuple[int, int]:
    day = at("2023-03-10 09:00").date()
    return kpis.appointment_counts(town.hall, day, day)


def test_too_late_before_the_worker_marked_it(client, town, appointment):
    assert _at_kiosk(client, "2023-03-10 09:20", appointment.code) == 422
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.BOOKED
    refused = appointment.events.get(action=AppointmentAction.REFUSE)
    assert (refused.from_state, refused.to_state, refused.channel) == ("booked", "booked", "kiosk")
    assert "已超过预约签到时间" in refused.reason

    assert booking.mark_no_shows(town.hall, now=at("2023-03-10 09:30")) == 1
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.TURNED_AWAY
    assert _actions(appointment)[-1] == ("turned_away", "booked", "turned_away")
    assert _counts(town) == (0, 0)
    assert kpis.appointments_kept(town.hall, *[at("2023-03-10 09:00").date()] * 2) is None


def test_too_late_after_the_worker_marked_it_missed(client, town, appointment):
    booking.mark_no_shows(town.hall, now=at("2023-03-10 09:16"))
    assert _counts(town) == (0, 1)
    assert _at_kiosk(client, "2023-03-10 09:20", appointment.code) == 422
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.TURNED_AWAY
    assert _actions(appointment)[-1] == ("refuse", "no_show", "turned_away")
    assert _counts(town) == (0, 0)
    # By mobile number the same, and a second try records nothing more.
    with time_machine.travel(at("2023-03-10 09:21"), tick=False):
        assert client.post(URL, {"phone": BOOKING_PHONE}).status_code == 422
    assert appointment.events.count() == 3  # book, no-show, refuse


def test_too_early_and_never_back_came_all_the_same(client, town, appointment):
    assert _at_kiosk(client, "2023-03-10 08:00", appointment.code) == 422
    booking.mark_no_shows(town.hall, now=at("2023-03-10 09:16"))
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.TURNED_AWAY


def test_too_early_then_back_in_time_is_checked_in(client, town, appointment):
    assert _at_kiosk(client, "2023-03-10 08:00", appointment.code) == 422
    assert _at_kiosk(client, "2023-03-10 08:50", appointment.code) == 302
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.CHECKED_IN
    assert [a for a, _f, _t in _actions(appointment)] == ["book", "refuse", "check_in"]
    assert _counts(town) == (1, 0)


def test_someone_who_never_came_is_still_a_no_show(client, town, slot):
    slot.capacity = 2
    slot.save()
    with time_machine.travel(at("2023-03-09 15:00"), tick=False):
        li = booking.book(slot, holder_key=holder_key(phone="13900000002"), holder_name="李四")
    booking.mark_no_shows(town.hall, now=at("2023-03-10 09:16"))
    li.refresh_from_db()
    assert li.state == AppointmentState.NO_SHOW
    assert [a for a, _f, _t in _actions(li)] == ["book", "no_show"]


def test_coming_the_day_before_records_nothing(client, town, appointment):
    assert _at_kiosk(client, "2023-03-09 16:00", appointment.code) == 422
    assert [a for a, _f, _t in _actions(appointment)] == ["book"]


def test_a_refusal_racing_the_no_show_pass_turns_the_booking_away(town, appointment):
    """Review: the kiosk found the booking, the worker's pass marked it a no-show, then the
    refusal wrote 'refuse booked → booked' on a no-show, which stayed a no-show."""
    stale = Appointment.objects.get(pk=appointment.pk)  # as the kiosk found it
    booking.mark_no_shows(town.hall, now=at("2023-03-10 09:20"))
    booking.refuse_check_in(stale, "太晚了", now=at("2023-03-10 09:21"))
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.TURNED_AWAY
    assert stale.state == AppointmentState.TURNED_AWAY


def test_a_stranger_typing_the_number_after_a_no_show_leaves_it_a_no_show(
    client, town, appointment
):
    """Review: after 张三's no-show, anyone who knows his mobile number typed it at the kiosk,
    was told "too late" and the refusal turned the no-show into "came, turned away" — the
    number is no evidence that its holder came. By number at the kiosk nothing is recorded,
    before the worker's pass or after it; his code still is (above)."""
    booking.mark_no_shows(town.hall, now=at("2023-03-10 09:16"))
    with time_machine.travel(at("2023-03-10 09:20"), tick=False):
        assert client.post(URL, {"phone": BOOKING_PHONE}).status_code == 422
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.NO_SHOW
    assert [a for a, _f, _t in _actions(appointment)] == ["book", "no_show"]
    assert _counts(town) == (0, 1)


@pytest.mark.parametrize("when", ["2023-03-10 08:00", "2023-03-10 09:20"])
def test_a_number_typed_before_the_worker_marks_it_records_nothing(client, town, appointment, when):
    with time_machine.travel(at(when), tick=False):
        assert client.post(URL, {"phone": BOOKING_PHONE}).status_code == 422
    booking.mark_no_shows(town.hall, now=at("2023-03-10 09:30"))
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.NO_SHOW
