"""Mangled numbers in a form or an address are refused, not a server error (attack, session 30,
h5 F2 and F3): Hugo's floor form with a clerk "²" (isdigit() says yes, int() says no), his
ratings page opened for rating "²", and Dan's dispatch desk polled with a mark at the
calendar's ends."""

from __future__ import annotations

import pytest
from django.test import Client

from hotline.hall.models import WindowState

pytestmark = pytest.mark.django_db


def _browser(user) -> Client:
    browser = Client(raise_request_exception=False)
    browser.force_login(user)
    return browser


def test_hugo_puts_clerk_superscript_two_at_window_3_and_is_told_to_choose(town):
    answer = _browser(town.hugo).post("/hall/dnl/manage/windows/3/clerk", {"clerk": "²"})
    assert answer.status_code == 302  # back to the floor, saying "choose a clerk of this hall"
    town.w3.refresh_from_db()
    assert (town.w3.clerk, town.w3.state) == (None, WindowState.CLOSED)


def test_hugo_opens_rating_superscript_two_and_gets_the_ratings_page(town):
    assert _browser(town.hugo).get("/ratings/hall/dnl/?rating=²").status_code == 200


@pytest.mark.parametrize("since", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"])
def test_dans_desk_polled_with_a_mark_at_the_calendars_ends_answers(district, since):
    answer = _browser(district.dan).get("/desk/dispatch/", {"since": since}, HTTP_HX_REQUEST="true")
    assert answer.status_code == 200
