"""The hall's ratings page lists its ratings a page at a time (50; 2 here, so three ratings make
two pages), newest first, and the period chosen (``days``) stays on every page link and on the
export links. Hugo manages 大宁路; citizens rated on 03-09, 03-08 and 03-07, and once on 02-20."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.test import Client

from hotline.ratings import actions
from hotline.ratings.models import Channel
from hotline.ratings.views import staff
from tests.conftest import PASSWORD, at

pytestmark = pytest.mark.django_db

NOW = "2023-03-09 16:00"


@pytest.fixture
def rated(town, monkeypatch):
    monkeypatch.setattr(staff, "PAGE_SIZE", 2)
    # Each day's ticket is A001 (numbers restart daily): a rating is told by its time.
    stamps = {}
    for day in ("2023-02-20", "2023-03-07", "2023-03-08", "2023-03-09"):
        ticket = town.serve(f"{day} 10:30")
        with time_machine.travel(at(f"{day} 10:31"), tick=False):
            actions.rate(ticket, None, level=5, channel=Channel.QR)
        stamps[day] = f"{day[5:]} 10:31"
    client = Client()
    client.login(username=town.hall.hugo.username, password=PASSWORD)
    return client, stamps


def _rows(page: str) -> int:
    table = page.split('data-testid="ratings"', 1)[1].split("</table>", 1)[0]
    return len(re.findall(r"<tr class=", table))


def test_the_list_pages_and_keeps_the_period(rated):
    client, _numbers = rated
    with time_machine.travel(at(NOW), tick=False):
        first = client.get("/ratings/hall/dnl/?days=7", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert _rows(first) == 2 and "1 / 2" in first and "Ratings (3)" in first
        assert 'href="?days=7&amp;page=2"' in first
        for export in ("xlsx", "csv"):
            assert f'href="?days=7&amp;format={export}"' in first
        second = client.get("/ratings/hall/dnl/?days=7&page=2").content.decode()
        assert _rows(second) == 1 and "2 / 2" in second
        assert 'href="?days=7&amp;page=1"' in second
        # The figures above the list count the whole period, not the page.
        assert "3（100.0 %）" in second
        wide = client.get("/ratings/hall/dnl/?days=30").content.decode()
        assert _rows(wide) == 2 and "1 / 2" in wide and "4（100.0 %）" in wide


def test_newest_first_and_the_older_one_on_the_next_page(rated):
    client, stamps = rated
    with time_machine.travel(at(NOW), tick=False):
        first = client.get("/ratings/hall/dnl/?days=30").content.decode()
        last = client.get("/ratings/hall/dnl/?days=30&page=2").content.decode()
        beyond = client.get("/ratings/hall/dnl/?days=30&page=99").content.decode()
        mangled = client.get("/ratings/hall/dnl/?days=30&page=x")
    table = first.split('data-testid="ratings"', 1)[1]
    assert table.index(stamps["2023-03-09"]) < table.index(stamps["2023-03-08"])
    assert stamps["2023-02-20"] in last and stamps["2023-02-20"] not in first
    assert stamps["2023-02-20"] in beyond  # past the end: the last page
    assert mangled.status_code == 200
