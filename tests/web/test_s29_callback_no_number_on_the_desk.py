"""A 差评's rectification with no number to call, on the callback desk (h6's leftover, session 29).

A citizen rated 大宁路's window 1 不满意 at the pad and left no number. Rita (the service centre)
rectified and replied, Dan approved: the order waits on Cathy's callback desk. The order page
says 无回访电话 since 2ccb18e, and archiving it needs a note saying how the citizen was told; but
the desk's row did not say so, and the order page offered Cathy 回访 ("called, satisfied" …) and
回访未果 as if a call were possible — three "failed" calls even closed it as unreachable, with no
note. Now the row says 无回访电话, the callback and the failed call are refused for it (pages
and API alike: the rule is the order rules'), and the order page offers the archive with its
note. Another rectification, whose citizen left a number, is called back as before.
"""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from hotline.orders import actions as orders
from hotline.orders.models import CallbackOutcome, Satisfaction, State
from tests.conftest import at
from tests.ratings.conftest import approved_rectification
from tests.ratings.conftest import town as town  # the fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def silent(town, district):
    """The citizen who left no number."""
    return approved_rectification(town, district, "10:00", "10:02")


@pytest.fixture
def reachable(town, district):
    """The citizen who left 139 0000 1234."""
    return approved_rectification(town, district, "11:00", "11:02", phone="13900001234")


def _get(user, url: str, language: str = "zh-hans") -> str:
    browser = Client()
    browser.force_login(user)
    with time_machine.travel(at("2026-12-04 10:00"), tick=False):
        response = browser.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def _row(html: str, number: str) -> str:
    start = html.index(number)
    return html[start : html.index("</tr>", start)]


@pytest.mark.parametrize(
    ("language", "words"), [("zh-hans", "无回访电话"), ("en", "No number to call back")]
)
def test_cathys_desk_says_which_order_has_no_number_to_call(
    district, silent, reachable, language, words
):
    desk = _get(district.cathy, reverse("callback_desk"), language)
    assert 'data-testid="no-number"' in _row(desk, silent.number)
    assert words in _row(desk, silent.number)
    assert 'data-testid="no-number"' not in _row(desk, reachable.number)


def test_the_order_page_offers_cathy_the_archive_not_a_call(district, silent, reachable):
    html = _get(district.cathy, reverse("order_detail", args=[silent.number]))
    assert 'data-action="callback"' not in html
    assert 'data-action="callback_attempt"' not in html
    assert 'data-action="close"' in html
    other = _get(district.cathy, reverse("order_detail", args=[reachable.number]))
    assert 'data-action="callback"' in other and 'data-action="callback_attempt"' in other


def test_no_verdict_or_failed_call_is_recorded_for_it(district, silent):
    with time_machine.travel(at("2026-12-04 10:00"), tick=False):
        with pytest.raises(orders.InvalidTransition):
            orders.callback(
                silent, district.cathy, resolved=True, satisfaction=Satisfaction.SATISFIED
            )
        for _try in range(3):
            with pytest.raises(orders.InvalidTransition):
                orders.callback_attempt(silent, district.cathy, outcome=CallbackOutcome.NOT_REACHED)
    silent.refresh_from_db()
    assert (silent.state, silent.satisfaction) == (State.REVIEWED, "")
    assert not silent.events.filter(action__startswith="callback").exists()


def test_cathy_archives_it_saying_how_the_citizen_was_told(district, silent):
    with time_machine.travel(at("2026-12-04 10:00"), tick=False):
        orders.close(silent, district.cathy, note="群众再次来厅时当面告知整改结果")
    silent.refresh_from_db()
    assert silent.state == State.CLOSED


def test_the_citizen_who_left_a_number_is_called_back_as_before(district, reachable):
    with time_machine.travel(at("2026-12-04 10:00"), tick=False):
        orders.callback(
            reachable, district.cathy, resolved=True, satisfaction=Satisfaction.SATISFIED
        )
    reachable.refresh_from_db()
    assert (reachable.state, reachable.satisfaction) == (State.CLOSED, Satisfaction.SATISFIED)
