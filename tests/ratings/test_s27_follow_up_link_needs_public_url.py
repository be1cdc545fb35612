"""The follow-up link waits for PUBLIC_URL in production (attack, session 27, h6 F2).

The worker builds the 追评 link without a request, on PUBLIC_URL. Production without it is
allowed (``hotline check --deploy`` only warns), and the citizen was texted a bare path,
'/ratings/r/…/', which opens nothing on a phone; the order was marked as texted, so setting
PUBLIC_URL afterwards sent nothing either. Now the pass texts nothing and marks nothing until
PUBLIC_URL is set, and says so in the log."""

from __future__ import annotations

import logging

import pytest
import time_machine
from django.test import override_settings

from hotline.orders.models import Action
from hotline.ratings import follow_up_links, links
from tests.conftest import at
from tests.ratings.test_rectification import _bad, _close
from tests.ratings.test_s25_follow_up_link import Outbox

pytestmark = pytest.mark.django_db

OUTBOX = ["tests.ratings.test_s25_follow_up_link.Outbox"]


@pytest.fixture(autouse=True)
def _outbox():
    Outbox.sent.clear()
    yield


def test_no_dead_link_is_texted_and_the_citizen_gets_it_once_public_url_is_set(
    town, caplog, django_capture_on_commit_callbacks
):
    ticket, rating = _bad(town)
    _close(rating.order, town)

    with (
        override_settings(NOTIFIERS=OUTBOX, PUBLIC_URL=""),
        time_machine.travel(at("2023-03-13 09:05"), tick=False),
        django_capture_on_commit_callbacks(execute=True),
        caplog.at_level(logging.WARNING, logger="hotline.ratings"),
    ):
        assert follow_up_links.step() == 0
    assert Outbox.sent == []
    assert not rating.order.events.filter(action=Action.COMMENT).exists()
    assert "PUBLIC_URL is not set" in caplog.text

    with (
        override_settings(NOTIFIERS=OUTBOX, PUBLIC_URL="https://12345.example.gov.cn"),
        time_machine.travel(at("2023-03-13 10:05"), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert follow_up_links.step() == 1
    (message,) = Outbox.sent
    assert f"https://12345.example.gov.cn/ratings/r/{links.sms_token(ticket)}/" in message.text
