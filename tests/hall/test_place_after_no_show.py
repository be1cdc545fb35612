"""A citizen who missed the call sees on "my place" how to get the place back.

张三 was in the corridor when A001 was called twice; her phone then read only "过号" (no-show),
though the hall gives the place back within its tolerance (reactivate_minutes) at a window."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.conftest import at
from tests.hall.conftest import a_no_show

pytestmark = pytest.mark.django_db


def test_my_place_after_a_no_show_says_how_to_get_the_place_back(client, town):
    ticket = a_no_show(town)
    place = f"/hall/place/{ticket.token}/"
    with time_machine.travel(at("2023-03-09 09:50"), tick=False):
        page = client.get(place, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        assert "10:10前到窗口说明，可恢复排队。" in page
        english = client.get(place, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "Missed your call? Ask at a window before 10:10 to get your place back." in english
    with time_machine.travel(at("2023-03-09 09:40") + dt.timedelta(minutes=31), tick=False):
        page = client.get(place, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        assert "可恢复排队" not in page and "已过恢复排队时限，请重新取号。" in page
