"""The 差评 form's mobile number gets one follow-up link a day at most (session 28, h6).

A rater types any mobile number on the 差评 form: it becomes the rectification order's number,
which the worker texts the follow-up link to once the order closes. Nothing proves it is the
rater's: it may be a stranger's. One text per 差评, and each 差评 needs a served visit, so one
text per visit; but two visits rated badly under 139 1234 5678 and closed the same day texted
that phone twice in one pass. Now the second waits for the next day's pass (within
RATING_FOLLOW_UP_TEXT_DAYS); both follow-ups stay open on their visits' pages.
"""

from __future__ import annotations

import pytest
import time_machine
from django.test import override_settings

from hotline.ratings import follow_up_links
from tests.conftest import at
from tests.ratings.test_rectification import _bad, _close
from tests.ratings.test_s25_follow_up_link import Outbox

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _outbox():
    Outbox.sent.clear()
    with override_settings(
        NOTIFIERS=["tests.ratings.test_s25_follow_up_link.Outbox"],
        RATING_FOLLOW_UP_TEXT_DAYS=3,
        PUBLIC_URL="https://12345.example.gov.cn",
    ):
        yield


def _pass(when: str, capture) -> int:
    with time_machine.travel(at(when), tick=False), capture(execute=True):
        return follow_up_links.step()


def test_two_closures_under_one_number_are_texted_a_day_apart(
    town, django_capture_on_commit_callbacks
):
    _t1, first = _bad(town, "2023-03-09 10:00", "2023-03-09 10:02")
    _t2, second = _bad(town, "2023-03-09 10:30", "2023-03-09 10:32")
    _close(first.order, town)
    _close(second.order, town)

    assert _pass("2023-03-13 10:00", django_capture_on_commit_callbacks) == 1
    assert _pass("2023-03-13 18:00", django_capture_on_commit_callbacks) == 0
    assert _pass("2023-03-14 10:01", django_capture_on_commit_callbacks) == 1
    assert len(Outbox.sent) == 2
