"""A 差评's rectification goes round to the citizen (walk-through, session 28, h8 F12).

Rita (the service centre's handler) signed for 20261204-000055, contacted, replied; Dan approved
the reply; then the order offered only 重办 / 归档, said "来电人 —" and nothing more, though its
dispatch note asks the unit to tell the citizen what was done, and the ratings page showed
"审核通过" as if that were the end. Now:

- the order says which rating it rectifies (with a link for those who may open the hall's
  ratings page) and, when the rating left no number, that no callback is possible;
- with a number, Cathy calls the citizen back with the ordinary callback (回访);
- archived without a callback, the order needs a note saying how the citizen was told;
- the hall's ratings page shows each rectification's stage and outcome, and counts a 差评 as
  rectified only once the citizen heard it (the callback, or the archive's stated reason).
"""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from hotline.orders import actions as orders
from hotline.orders.models import ContactWay, ReplyResult, Satisfaction, State
from hotline.ratings import actions
from hotline.ratings.models import Channel as RatingChannel
from hotline.ratings.models import Level
from tests.conftest import at
from tests.ratings.conftest import RatedTown, enrolled_pad

pytestmark = pytest.mark.django_db


def _rated_badly(town: RatedTown, *, phone: str = ""):
    ticket = town.serve("2026-12-03 10:00")  # Thursday
    with time_machine.travel(at("2026-12-03 10:02"), tick=False):
        rating = actions.rate(
            ticket,
            None,
            level=Level.DISSATISFIED,
            channel=RatingChannel.PAD,
            pad=enrolled_pad(town, town.hall.w1),
            reasons=["waiting"],
            comment="排了两个小时",
            phone=phone,
        )
    return rating


def _rectified_and_approved(town: RatedTown, district, rating):
    order = rating.order
    with time_machine.travel(at("2026-12-04 09:00"), tick=False):
        orders.accept(order, town.rita)
        orders.first_contact(order, town.rita, way=ContactWay.PHONE, note="已致电致歉")
        orders.reply(
            order,
            town.rita,
            result=ReplyResult.RESOLVED,
            text="已增开一个居住证窗口，高峰时段加派人手。",
        )
        orders.approve_reply(order, district.dan)
    order.refresh_from_db()
    return order


def _page(user, url, **headers):
    browser = Client()
    browser.force_login(user)
    response = browser.get(url, **headers)
    assert response.status_code == 200
    return response.content.decode()


def _stage(html: str) -> str:
    start = html.index('data-testid="rectification-stage"')
    return html[start : html.index("</span>", start)]


def test_cathy_calls_the_citizen_back_and_the_rating_counts_as_rectified(town, district):
    rating = _rated_badly(town, phone="13900001234")
    order = _rectified_and_approved(town, district, rating)
    hall_page = reverse("ratings:hall", args=[town.hall.hall.code])
    with time_machine.travel(at("2026-12-04 10:00"), tick=False):
        html = _page(district.cathy, reverse("order_detail", args=[order.number]))
        assert 'data-action="callback"' in html  # the ordinary 回访
        assert "13900001234" in html
        assert 'data-testid="no-contact"' not in html
        before = _page(town.hall.hugo, hall_page)
        assert "待回访群众" in _stage(before)
        assert 'data-testid="rectified">0 / 1<' in before
        orders.callback(order, district.cathy, resolved=True, satisfaction=Satisfaction.SATISFIED)
        after = _page(town.hall.hugo, hall_page)
    assert "已整改" in _stage(after)
    assert "回访：已解决，满意" in after
    assert 'data-testid="rectified">1 / 1<' in after


def test_without_a_number_the_order_says_so_and_archiving_needs_a_reason(town, district):
    rating = _rated_badly(town)
    order = _rectified_and_approved(town, district, rating)
    hall_page = reverse("ratings:hall", args=[town.hall.hall.code])
    with time_machine.travel(at("2026-12-04 10:00"), tick=False):
        for person in (town.rita, district.cathy):
            html = _page(person, reverse("order_detail", args=[order.number]))
            assert "群众评价时未留联系电话，无法回访" in html
        with pytest.raises(orders.InvalidInput) as refused:
            orders.close(order, district.cathy)
        assert refused.value.field == "note"
        order.refresh_from_db()
        assert order.state == State.REVIEWED
        assert "待回访群众" in _stage(_page(town.hall.hugo, hall_page))
        orders.close(order, district.cathy, note="已在大厅公告栏公示整改情况")
        after = _page(town.hall.hugo, hall_page)
    assert "已整改" in _stage(after)
    assert "归档说明：已在大厅公告栏公示整改情况" in after
    assert 'data-testid="rectified">1 / 1<' in after


def test_the_order_links_to_its_rating_for_those_who_may_open_the_hall_page(town, district):
    rating = _rated_badly(town)
    order = rating.order
    url = reverse("order_detail", args=[order.number])
    with time_machine.travel(at("2026-12-03 11:00"), tick=False):
        for person in (town.hall.hugo, district.sam):
            html = _page(person, url)
            assert "整改差评：" in html
            link = f"{reverse('ratings:hall', args=[town.hall.hall.code])}?rating={rating.pk}"
            assert f'href="{link}"' in html
            one = _page(person, link)
            assert f'id="rating-{rating.pk}"' in one
        rita = _page(town.rita, url)
        assert "整改差评：" in rita and 'data-testid="rating-link"' not in rita
        english = _page(town.hall.hugo, url, HTTP_ACCEPT_LANGUAGE="en")
    assert "Rectifies a bad rating:" in english
    assert "No number to call back" in english


def test_an_ordinary_order_is_archived_without_a_note_as_before(district):
    from tests.orders.factory import order_in

    with time_machine.travel(at("2026-12-04 10:00"), tick=False):
        order = order_in(State.REVIEWED, district)
        orders.close(order, district.cathy)
    order.refresh_from_db()
    assert order.state == State.CLOSED
