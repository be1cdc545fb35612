"""The desk's list of today's no-shows offers "Reactivate" only while the hall's tolerance runs.

At 15:00 the desk listed the 09:30 no-show with its button; the click was refused ("more than
30 minutes since the no-show: take a new ticket"). The page offered what the server refuses."""

from __future__ import annotations

import re

import pytest
import time_machine

from hotline.hall import actions
from tests.conftest import at
from tests.hall.conftest import a_no_show

pytestmark = pytest.mark.django_db


def _no_shows(client, town) -> dict[str, bool]:
    """number → whether the desk offers to reactivate it."""
    page = client.get(f"/hall/{town.hall.code}/desk/").content.decode()
    rows = re.findall(r'<li data-no-show="(\w+)">(.*?)</li>', page, re.S)
    return {number: 'data-action="reactivate"' in row for number, row in rows}


def test_the_desk_offers_to_reactivate_a_no_show_only_within_the_tolerance(client, town):
    ticket = a_no_show(town)
    client.force_login(town.walt)
    with time_machine.travel(at("2023-03-09 10:05"), tick=False):
        assert _no_shows(client, town) == {"A001": True}
    with time_machine.travel(at("2023-03-09 10:15"), tick=False):
        assert _no_shows(client, town) == {"A001": False}
        with pytest.raises(actions.InvalidTransition):
            actions.reactivate(ticket, town.walt)
