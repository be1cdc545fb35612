"""My place stops asking once the ticket's story is over.

张三's phone stays on his "my place" page after he was served (or his ticket ended at the day's
end, or was cancelled): the page asked the server every 10 seconds for as long as the browser
kept it open, all day, every one of the hall's citizens. The live part now answers 286 (HTMX's
"stop polling") for a ticket nothing can follow, with the last word shown; a waiting ticket, a
called one, and a no-show that may still get its place back keep being followed."""

from __future__ import annotations

import pytest
import time_machine

from hotline.hall import actions
from hotline.hall.actions import tickets
from tests.conftest import at
from tests.hall.conftest import a_no_show

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _live(client, ticket) -> int:
    return client.get(f"/hall/place/{ticket.token}/", **HTMX).status_code


def test_a_served_or_ended_ticket_stops_the_polling(client, town):
    with time_machine.travel(at("2023-03-09 16:00"), tick=False):
        served = actions.issue(town.hall, town.residence)
        left = actions.issue(town.hall, town.residence)
        actions.sign_in(town.w2, town.walt)
        assert _live(client, served) == 200  # waiting: followed
        actions.call_next(town.w2, town.walt)
        assert _live(client, served) == 200  # called: followed
        actions.start(served, town.walt)
        actions.finish(served, town.walt)
        assert _live(client, served) == 286
    tickets.end_days(town.hall, now=at("2023-03-09 18:00"))
    with time_machine.travel(at("2023-03-09 18:01"), tick=False):
        assert _live(client, left) == 286
        # The whole page (not the live part) is an ordinary page.
        assert client.get(f"/hall/place/{left.token}/").status_code == 200


def test_a_no_show_is_followed_while_it_may_get_its_place_back(client, town):
    ticket = a_no_show(town)  # missed at 09:40, 30 minutes to get the place back
    with time_machine.travel(at("2023-03-09 10:05"), tick=False):
        assert _live(client, ticket) == 200
    with time_machine.travel(at("2023-03-09 10:11"), tick=False):
        assert _live(client, ticket) == 286
