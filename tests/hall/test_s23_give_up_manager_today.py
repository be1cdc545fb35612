"""The manager's "today" line counts the tickets that ended without service (h5 L11): after four
tickets (one served, one no-show, one given up by its holder, one waiting) it read "4 tickets,
1 served, 1 waiting now", two tickets unaccounted for; no-shows are a KPI the manager watches."""

from __future__ import annotations

import re

import pytest
import time_machine

from hotline.hall import actions
from hotline.hall.actions.tickets import give_up
from tests.conftest import at

pytestmark = pytest.mark.django_db


def _board(client, town, when: str, language: str = "en") -> str:
    with time_machine.travel(at(when), tick=False):
        response = client.get(f"/hall/{town.hall.code}/manage/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def test_the_today_line_counts_no_shows_and_tickets_given_up(client, town):
    with time_machine.travel(at("2023-03-09 09:10"), tick=False):
        actions.sign_in(town.w1, town.wendy)
        served, absent, gone, _waiting = (
            actions.issue(town.hall, town.residence) for _ in range(4)
        )
        actions.call_next(town.w1, town.wendy)
        actions.start(served, town.wendy)
        actions.finish(served, town.wendy)
    with time_machine.travel(at("2023-03-09 09:20"), tick=False):
        actions.call_next(town.w1, town.wendy)
    with time_machine.travel(at("2023-03-09 09:35"), tick=False):
        actions.no_show(absent, town.wendy)
        give_up(gone)
    client.force_login(town.hugo)
    page = _board(client, town, "2023-03-09 09:40")
    assert "4 tickets, 1 served, 1 waiting now; " in page
    assert "1 no-shows, 1 given up or cancelled" in page
    zh = _board(client, town, "2023-03-09 09:40", "zh-hans")
    assert "取号4个，办结1个，当前等候1人；过号1个，放弃或取消1个" in re.sub(r"<[^>]+>", "", zh)


def test_nothing_more_is_said_while_every_ticket_is_served_or_waiting(client, town):
    actions.issue(town.hall, town.residence, now=at("2023-03-09 09:10"))
    client.force_login(town.hugo)
    page = _board(client, town, "2023-03-09 09:40")
    assert "1 tickets, 0 served, 1 waiting now</p>" in page
    assert 'data-testid="today-not-served"' not in page
