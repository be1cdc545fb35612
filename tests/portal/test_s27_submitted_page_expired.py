"""The "request registered" page reopened after its hour says the request was registered and how
to find it: it redirected to the empty tracking form without a word, as if nothing had been sent
(walk-through, session 27, h7)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import signing
from django.test import Client

from hotline.portal.views import SUBMITTED_SALT

pytestmark = pytest.mark.django_db


def test_the_registered_page_an_hour_later_says_it_was_registered():
    start = dt.datetime(2023, 3, 9, 10, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        token = signing.dumps("20230309-000123", salt=SUBMITTED_SALT)
    with time_machine.travel(start + dt.timedelta(hours=2), tick=False):
        answer = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get(f"/portal/submitted/?t={token}")

    assert answer.status_code == 410
    page = answer.content.decode()
    assert "已过期" in page and "12345" in page


def test_a_forged_confirmation_still_goes_to_the_tracking_form():
    answer = Client().get("/portal/submitted/?t=forged")

    assert answer.status_code == 302 and answer["Location"] == "/portal/track/"
