"""Sam the supervisor reads the overdue badges the morning after a holiday. '超期 9 天' for a
reply due the day before National Day read as nine days of neglect: seven of them were days off
(deadlines count working days on the official calendar, 调休 as work). As the 'left' badge does,
the overdue badge now says how many days off are in it; a span of working days reads as before."""

from __future__ import annotations

import time_machine
from django.urls import reverse

from hotline.orders.models import State, WorkOrder
from hotline.web.templatetags.hotline_tags import time_left
from tests.conftest import at
from tests.orders.factory import order_in
from tests.web.test_order_pages import page


def test_the_badge_after_national_day_says_seven_of_the_nine_days_were_off(db):
    # 1-7 October 2026 off; Saturday 10 October is a make-up working day.
    assert time_left(at("2026-09-30 16:00"), at("2026-10-10 12:00")) == "超期 9 天（含休息日 7 天）"


def test_monday_mornings_badge_for_fridays_deadline_says_the_weekend_is_in_it(client, district):
    d = district
    with time_machine.travel(at("2026-12-02 10:00"), tick=False):
        order = order_in(State.ACCEPTED, d)
    WorkOrder.objects.filter(pk=order.pk).update(reply_due=at("2026-12-04 17:00"))  # Friday
    url = reverse("order_detail", args=[order.number])
    with time_machine.travel(at("2026-12-07 09:30"), tick=False):  # Monday
        html = page(client, d.una, url).content.decode()
        english = page(client, d.una, url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "超期 2 天（含休息日 2 天）" in html
    assert "2 d overdue (incl. 2 d off work)" in english


def test_overdue_over_working_days_only_reads_as_before(db):
    assert time_left(at("2026-12-07 09:00"), at("2026-12-09 10:00")) == "超期 2 天"


def test_never_more_days_off_than_days(db):
    """Review, session 22: both end days count in the dates while the amount is whole days
    floored; read on Sunday morning, Friday morning's deadline was '1 d overdue (incl. 2 d off)'."""
    assert time_left(at("2026-12-04 09:00"), at("2026-12-06 08:00")) == "超期 1 天（含休息日 1 天）"
    # The same for time left: Saturday morning, due Monday 07:00.
    assert time_left(at("2026-12-07 07:00"), at("2026-12-05 08:00")) == "剩余 1 天（含休息日 1 天）"
