"""The hall manager's lunch service page (午间不打烊), session 29: Hugo, 大宁路's manager, ticks
the windows that serve through the lunch break (11:30–13:30); Walt, a clerk, may not."""

from __future__ import annotations

import datetime as dt

import pytest

from hotline.hall.models import WindowAction, WindowEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall(town):
    town.hall.lunch_starts, town.hall.lunch_ends = dt.time(11, 30), dt.time(13, 30)
    town.hall.save()
    return town.hall


def test_hugo_ticks_window_2_on_the_lunch_page(client, town, hall):
    client.force_login(town.hugo)
    page = client.get("/hall/dnl/manage/lunch/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "with a lunch break 11:30–13:30" in page
    client.post("/hall/dnl/manage/lunch/", {"serves_lunch": ["2"]})
    assert [w.serves_lunch for w in town.hall.windows.order_by("number")] == [False, True, False]
    (event,) = WindowEvent.objects.all()
    assert (event.window, event.action) == (town.w2, WindowAction.LUNCH_ON)


def test_walt_cannot_open_the_lunch_page(client, town, hall):
    client.force_login(town.walt)
    assert client.get("/hall/dnl/manage/lunch/").status_code == 403
    assert client.post("/hall/dnl/manage/lunch/", {"serves_lunch": ["2"]}).status_code == 403
    assert not WindowEvent.objects.exists()
