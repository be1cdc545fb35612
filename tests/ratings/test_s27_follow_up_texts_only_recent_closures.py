"""The worker's first pass after a deploy does not text every recent closure (r1 L4, session 27).

The follow-up link pass texted every rectification closed within RATING_LINK_DAYS (30) that had
not been texted: on its first pass after the feature was deployed, or after the worker had been
stopped, citizens whose rectification closed weeks ago were all texted "it is finished, rate it"
at once. Only orders closed in the last RATING_FOLLOW_UP_TEXT_DAYS are texted now; the others'
follow-up stays open on the visit's page."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client, override_settings

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
        PUBLIC_URL="https://12345.example.gov.cn",  # texted links are built on it (h6 F2)
    ):
        yield


def test_a_rectification_closed_a_fortnight_before_the_first_pass_is_not_texted(
    town, django_capture_on_commit_callbacks
):
    ticket, rating = _bad(town)
    _close(rating.order, town)  # closed on 13 March
    with (
        time_machine.travel(at("2023-03-27 09:00"), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert follow_up_links.step() == 0
        # The citizen may still give the follow-up on the visit's page.
        page = Client().get(f"/ratings/visit/{ticket.token}/").content.decode()
    assert Outbox.sent == []
    assert 'data-testid="follow-up-form"' in page


def test_one_closed_within_the_window_is_texted(town, django_capture_on_commit_callbacks):
    _ticket, rating = _bad(town)
    _close(rating.order, town)
    with (
        time_machine.travel(at("2023-03-15 09:00"), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert follow_up_links.step() == 1
    assert len(Outbox.sent) == 1
