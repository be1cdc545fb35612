"""The day simulator keeps a hall's lunch break and Saturday hours (session 29).

大宁路 closes for lunch 11:30–13:30; Wendy's window 1 (居住证 and 老年综合津贴) rests
then and Walt's window 2 (居住证 only) serves through lunch. A simulated Thursday
gives no 老年综合津贴 ticket at lunch and only window 2 calls then; a simulated
Saturday (the hall open 09:00–12:00) gives tickets in those hours only.
2023-03-09 is a Thursday, 2023-03-11 a Saturday."""

from __future__ import annotations

import datetime as dt

import pytest

from hotline.hall import actions, simulate
from hotline.hall.models import Ticket, TicketAction, TicketEvent
from hotline.hall.rules import InvalidInput
from tests.conftest import at

pytestmark = pytest.mark.django_db

T = dt.time


@pytest.fixture
def lunch(town):
    town.hall.lunch_starts, town.hall.lunch_ends = T(11, 30), T(13, 30)
    town.hall.save()
    actions.set_serves_lunch(town.w2, town.hugo, True, now=at("2023-03-08 16:00"))
    return town


def _volumes(town):
    return {town.residence.pk: 60.0, town.allowance.pk: 40.0}


def _in_lunch(moment):
    return at("2023-03-09 11:30") <= moment < at("2023-03-09 13:30")


def test_a_simulated_thursday_rests_at_lunch_but_window_2(lunch):
    town = lunch
    day = dt.date(2023, 3, 9)
    simulate.run_day(town.hall, day, 7, _volumes(town))
    tickets = Ticket.objects.filter(hall=town.hall, day=day)
    at_lunch = [t for t in tickets if _in_lunch(t.issued_at)]
    assert at_lunch, "居住证 is ticketed at lunch"
    assert {t.matter_id for t in at_lunch} == {town.residence.pk}
    calls = TicketEvent.objects.filter(hall=town.hall, action=TicketAction.CALL)
    lunch_calls = [c for c in calls if _in_lunch(c.at)]
    assert lunch_calls and {c.window_id for c in lunch_calls} == {town.w2.pk}
    assert any(c.window_id == town.w1.pk and c.at >= at("2023-03-09 13:30") for c in calls)
    # Those who came for 老年综合津贴 at lunch came at 13:30–14:00 instead.
    allowance = sorted(t.issued_at for t in tickets if t.matter_id == town.allowance.pk)
    assert any(at("2023-03-09 13:30") <= a < at("2023-03-09 14:00") for a in allowance)


def test_a_simulated_saturday_keeps_saturdays_hours(town):
    town.hall.saturday_opens_at, town.hall.saturday_closes_at = T(9), T(12)
    town.hall.save()
    saturday = dt.date(2023, 3, 11)
    simulate.run_day(town.hall, saturday, 7, _volumes(town))
    issued = [t.issued_at for t in Ticket.objects.filter(hall=town.hall, day=saturday)]
    assert issued
    assert at("2023-03-11 09:00") <= min(issued) and max(issued) < at("2023-03-11 11:30")


def test_a_day_the_hall_is_closed_is_refused(town):
    with pytest.raises(InvalidInput):
        simulate.run_day(town.hall, dt.date(2023, 3, 11), 7, _volumes(town))
