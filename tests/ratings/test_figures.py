"""好差评 figures against a hand-counted week at 大宁路街道社区事务受理服务中心.

Eight visits are rated: 5, 5, 4, 3, 3, 2, 1, 1 (one of the 1s appealed and excluded).
Counted: 7 ratings — 好评 5 (71.4 %), 差评 2 (28.6 %).
Each visit is served on Thu 9 March 2023 (10:10, 10:22 … 11:46) and rated as it ends. The two
counted 差评 become orders whose reply is due 15 working days later (Thu 30 March):
- A001's unit replies on 20 March: on time;
- A002's unit never replies: due once 30 March has passed, late.
The excluded 差评's order is not counted whatever happens to it.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
import time_machine

from hotline.orders import actions as orders
from hotline.ratings import actions, figures
from hotline.ratings.models import Channel, Level, Rating
from tests.conftest import at

pytestmark = pytest.mark.django_db

LEVELS = [5, 5, 4, 3, 3, 2, 1, 1]


@pytest.fixture
def week(town):
    ratings = []
    for i, level in enumerate(LEVELS):
        ticket = town.serve(f"2023-03-09 {10 + i // 4}:{(i % 4) * 12 + 10:02d}")
        with time_machine.travel(ticket.events.get(action="finish").at, tick=False):
            ratings.append(
                actions.rate(
                    ticket,
                    None,
                    level=level,
                    channel=Channel.QR,
                    reasons=["waiting"] if level <= 2 else [],
                )
            )
    with time_machine.travel(at("2023-03-10 09:00"), tick=False):
        actions.appeal(ratings[-1], town.hall.hugo, reason="测试评价")
        actions.approve_appeal(ratings[-1], town.hall.district.sam)
    return ratings


def test_the_distribution_and_rates(week):
    levels = figures.distribution(Rating.objects.all())
    assert levels == {
        Level.VERY_SATISFIED: 2,
        Level.SATISFIED: 1,
        Level.BASICALLY_SATISFIED: 2,
        Level.DISSATISFIED: 1,
        Level.VERY_DISSATISFIED: 1,
    }
    s = figures.summary(Rating.objects.all())
    assert (s.total, s.good, s.bad) == (7, 5, 2)
    assert (s.good_rate, s.bad_rate) == (Decimal("71.4"), Decimal("28.6"))


def test_no_ratings_no_rates(db):
    s = figures.summary(Rating.objects.none())
    assert (s.total, s.good_rate, s.bad_rate) == (0, None, None)


def test_rectified_on_time(week, town):
    first, second = week[5].order, week[6].order
    with time_machine.travel(at("2023-03-20 09:00"), tick=False):
        orders.accept(first, town.rita)
        orders.first_contact(first, town.rita, way="phone")
        orders.reply(first, town.rita, result="resolved", text="已增开窗口")
    ratings = Rating.objects.all()
    before = figures.rectification(ratings, at("2023-03-21 09:00"))
    assert (before.due, before.on_time, before.pending) == (1, 1, 1)
    assert before.rate == Decimal("100.0")
    assert second.reply_due == at("2023-03-30 11:34")
    after = figures.rectification(ratings, at("2023-03-31 09:00"))
    assert (after.due, after.on_time, after.pending) == (2, 1, 0)
    assert after.rate == Decimal("50.0")
