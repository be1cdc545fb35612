"""A first contact is judged by when it was recorded, within a short backdating window (issue 13,
item 5). Una recorded a call three days late, dated back to the dispatch day: the event said
on_time, which the 先行联系率 reads. Now a time given more than FIRST_CONTACT_BACKDATE_HOURS
(default 4) before the recording counts as made that long before it, and the event is flagged.
"""

from __future__ import annotations

import datetime as dt

import time_machine
from django.test import override_settings

from hotline.assessment import kpis, periods
from hotline.orders import actions
from hotline.orders.models import Action, ContactWay, State
from tests.conftest import at
from tests.orders.factory import order_in


def moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def accepted_on_monday(district):
    with time_machine.travel(at("2023-03-06 10:00"), tick=False):
        return order_in(State.ACCEPTED, district)


def test_a_contact_recorded_three_days_late_is_not_on_time(district):
    order = accepted_on_monday(district)
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        event = actions.first_contact(
            order, district.una, way=ContactWay.PHONE, contacted_at=at("2023-03-06 11:00")
        )
    assert event.payload["on_time"] is False
    assert event.payload["late_entry"] is True
    assert moment(event.payload["contacted_at"]) == at("2023-03-06 11:00")
    assert moment(event.payload["recorded_at"]) == at("2023-03-09 10:00")
    assert moment(event.payload["judged_at"]) == at("2023-03-09 06:00")
    rate = kpis.compute(*periods.month("2023-03")).unit("jnl").ratios[kpis.FIRST_CONTACT]
    assert (rate.numerator, rate.denominator) == (0, 1)


def test_a_contact_recorded_within_the_window_keeps_its_time(district):
    order = accepted_on_monday(district)
    with time_machine.travel(at("2023-03-06 15:00"), tick=False):
        event = actions.first_contact(
            order, district.una, way=ContactWay.PHONE, contacted_at=at("2023-03-06 11:30")
        )
    assert (event.payload["on_time"], event.payload["late_entry"]) == (True, False)
    order.refresh_from_db()
    assert order.first_contact_at == at("2023-03-06 11:30")


@override_settings(FIRST_CONTACT_BACKDATE_HOURS=0)
def test_with_no_window_only_the_recording_time_counts(district):
    order = accepted_on_monday(district)
    with time_machine.travel(at("2023-03-06 12:00"), tick=False):
        event = actions.first_contact(
            order, district.una, way=ContactWay.VISIT, contacted_at=at("2023-03-06 11:00")
        )
    assert event.payload["late_entry"] is True
    assert moment(event.payload["judged_at"]) == at("2023-03-06 12:00")
    assert order.events.filter(action=Action.FIRST_CONTACT).count() == 1
