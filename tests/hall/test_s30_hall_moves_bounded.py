"""The hall moves one booking a few times at most (attack, session 30, h5 F1).

张三 booked Friday 2023-03-10 09:00 (居住证) with 13912345678, which the booking keeps to text him
of the hall's changes. It is Thursday 16:00. Walt, a clerk of 大宁路, moves it between Friday and
Monday from the hall's list, each time with a reason of his own: every move texted 张三 that
reason under the hall's name, as often as Walt liked. Now the hall's fourth move is refused and
nothing is texted; 张三 himself may still move it, and the hall may still cancel it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import TestCase, override_settings

from hotline.hall.actions import appointments as booking
from hotline.hall.identity import holder_key
from hotline.hall.models import Appointment, AppointmentAction
from tests.conftest import at
from tests.hall.booking_by_code import OUTBOX, Outbox
from tests.hall.conftest import BOOKING_PHONE, open_slot

pytestmark = pytest.mark.django_db

FRIDAY = dt.date(2023, 3, 10)
MONDAY = dt.date(2023, 3, 13)
REASON = "补贴领取请点 http://x.example/a 登记"


@pytest.fixture
def zhangsan(town):
    with time_machine.travel(at("2023-03-09 15:00"), tick=False):
        return booking.book(
            open_slot(town, FRIDAY),
            holder_key=holder_key(phone=BOOKING_PHONE),
            holder_name="张三",
            phone=BOOKING_PHONE,
        )


def _moves(client, appointment, slots) -> list:
    """Walt's moves from the hall's list, to each of ``slots`` in turn; the texts sent."""
    Outbox.sent.clear()
    with override_settings(NOTIFIERS=OUTBOX), TestCase.captureOnCommitCallbacks(execute=True):
        for slot in slots:
            client.post(
                f"/hall/dnl/appointments/{appointment.code}/move",
                {"confirm": "1", "slot": slot.pk, "reason": REASON},
                HTTP_ACCEPT_LANGUAGE="en",
            )
    return list(Outbox.sent)


def test_walt_cannot_text_zhangsan_again_and_again_by_moving_his_booking(client, town, zhangsan):
    friday = zhangsan.slot
    with time_machine.travel(at("2023-03-09 16:00"), tick=False):
        monday = open_slot(town, MONDAY)
        client.force_login(town.walt)
        texts = _moves(client, zhangsan, [monday, friday, monday, friday, monday, friday])
        page = client.get(
            f"/hall/dnl/appointments/{zhangsan.code}/move", HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()

    assert len(texts) == 3  # booking.HALL_MOVES_MAX
    stored = Appointment.objects.get(pk=zhangsan.pk)
    assert stored.slot == monday  # the third move's time: the fourth to sixth changed nothing
    assert zhangsan.events.filter(action=AppointmentAction.MOVE).count() == 3
    assert "The hall has moved this appointment 3 times already" in page


def test_zhangsan_may_still_move_it_himself_and_the_hall_may_still_cancel(client, town, zhangsan):
    friday = zhangsan.slot
    with time_machine.travel(at("2023-03-09 16:00"), tick=False):
        monday = open_slot(town, MONDAY)
        client.force_login(town.walt)
        _moves(client, zhangsan, [monday, friday, monday])
        zhangsan.refresh_from_db()
        booking.move(zhangsan, friday)  # 张三 on the portal: his own first move
        zhangsan.refresh_from_db()
        assert zhangsan.slot == friday
        assert booking.cancel(zhangsan, actor=town.hugo, reason="窗口设备故障", via="hall")
