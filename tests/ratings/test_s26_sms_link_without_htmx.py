"""A citizen on the QR page asks for the rating link by text before htmx has run on her phone
(a slow network): the browser posts the form itself and shows the answer as the page. It was
the box's bare fragment, without styles (session 26); it is a page now, saying the link is on
its way, or why not with the number she typed. htmx still gets the box alone."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client, override_settings

from tests.conftest import at
from tests.ratings.test_pages import Outbox

pytestmark = pytest.mark.django_db

NOW = "2023-03-09 10:01"
WHOLE_PAGE = "<!doctype html>"


@override_settings(NOTIFIERS=["tests.ratings.test_pages.Outbox"])
def test_the_link_asked_for_before_htmx_ran_is_said_sent_on_a_page(
    town, django_capture_on_commit_callbacks
):
    ticket = town.serve("2023-03-09 10:00")
    Outbox.sent.clear()
    url = f"/ratings/visit/{ticket.token}/sms"
    with time_machine.travel(at(NOW), tick=False), django_capture_on_commit_callbacks(execute=True):
        mistyped = Client().post(url, {"phone": "139 1234 567"})
        sent = Client().post(url, {"phone": "139 1234 5678"})

    assert mistyped.status_code == 422
    page = mistyped.content.decode()
    assert page.startswith(WHOLE_PAGE) and "ratings/ratings.css" in page
    assert ticket.number in page and 'value="139 1234 567"' in page  # why, with what she typed
    assert 'class="rate-errors" role="alert"><ul class="errorlist' in page

    assert sent.status_code == 200
    page = sent.content.decode()
    assert page.startswith(WHOLE_PAGE) and "评价链接已发送到您的手机。" in page
    assert len(Outbox.sent) == 1


@override_settings(NOTIFIERS=["tests.ratings.test_pages.Outbox"])
def test_with_htmx_the_box_alone_comes_back(town, django_capture_on_commit_callbacks):
    ticket = town.serve("2023-03-09 10:00")
    with time_machine.travel(at(NOW), tick=False), django_capture_on_commit_callbacks(execute=True):
        response = Client().post(
            f"/ratings/visit/{ticket.token}/sms", {"phone": "13912345678"}, HTTP_HX_REQUEST="true"
        )
    assert response.status_code == 200
    html = response.content.decode()
    assert WHOLE_PAGE not in html and "评价链接已发送到您的手机。" in html
