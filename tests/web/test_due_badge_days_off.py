"""Una reads the deadline badges of her street's orders on a Friday afternoon. '剩余 2 天' for a
reply due on Monday at 09:00 read as two days of work; it is the weekend and an hour of Monday
morning. Where days off fall between now and the deadline (weekends, statutory holidays; a
make-up working day 调休 counts as work, as the deadlines themselves count), the badge says
how many."""

from __future__ import annotations

import time_machine
from django.urls import reverse

from hotline.orders.models import State, WorkOrder
from hotline.web.templatetags.hotline_tags import time_left
from tests.conftest import at
from tests.orders.factory import order_in
from tests.web.test_order_pages import page


def _due_on(order, moment):
    WorkOrder.objects.filter(pk=order.pk).update(reply_due=moment)


def test_friday_afternoon_badge_says_the_weekend_is_in_it(client, district):
    d = district
    with time_machine.travel(at("2026-12-02 10:00"), tick=False):
        order = order_in(State.ACCEPTED, d)
    _due_on(order, at("2026-12-07 09:00"))  # Monday morning

    with time_machine.travel(at("2026-12-04 16:00"), tick=False):  # Friday afternoon
        html = page(client, d.una, reverse("order_detail", args=[order.number])).content.decode()
        english = page(
            client,
            d.una,
            reverse("order_detail", args=[order.number]),
            HTTP_ACCEPT_LANGUAGE="en",
        ).content.decode()
    assert "剩余 2 天（含休息日 2 天）" in html
    assert "2 d left (incl. 2 d off work)" in english


def test_a_span_of_working_days_only_reads_as_before(client, district):
    d = district
    with time_machine.travel(at("2026-12-07 08:00"), tick=False):
        order = order_in(State.ACCEPTED, d)
    _due_on(order, at("2026-12-09 09:00"))  # Wednesday

    with time_machine.travel(at("2026-12-07 09:40"), tick=False):  # Monday
        html = page(client, d.una, reverse("order_detail", args=[order.number])).content.decode()
    assert "剩余 1 天<" in html
    assert "休息日" not in html


def test_national_day_counts_as_days_off_and_its_make_up_saturday_as_work(db):
    # 1-7 October 2026 off; Saturday 10 October is a make-up working day.
    assert time_left(at("2026-10-10 12:00"), at("2026-09-30 16:00")) == "剩余 9 天（含休息日 7 天）"
    # Overdue says its days off too (test_due_badge_overdue_days_off.py).
    assert time_left(at("2026-09-30 16:00"), at("2026-10-10 12:00")) == "超期 9 天（含休息日 7 天）"
