"""Before opening, the reception desk says once that the windows are closed: a ticket form
sent then (a page left from the evening before) showed the closed notice and, below it, the same
sentence again as the form's error. Closed, no ticket form is offered (as at the kiosk); the
appointment check-in stays."""

from __future__ import annotations

import pytest
import time_machine

from tests.conftest import at

pytestmark = pytest.mark.django_db

CLOSED = "窗口现未开放，将于03-09 09:00开放，现在不能取号。"


def test_before_opening_the_closed_notice_shows_once(client, town):
    client.force_login(town.hugo)
    url = f"/hall/{town.hall.code}/reception/"
    with time_machine.travel(at("2023-03-09 07:00"), tick=False):
        shown = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        sent = client.post(
            url,
            {"matter": town.residence.pk, "priority": "regular"},
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
    assert sent.status_code == 422
    for page in (shown, sent.content.decode()):
        assert page.count("现未开放") == 1, page.count("现未开放")
        assert CLOSED in page
        assert 'data-testid="reception-form"' not in page
        assert 'data-testid="reception-check-in"' in page
