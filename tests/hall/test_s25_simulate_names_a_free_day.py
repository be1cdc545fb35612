"""`hotline hall simulate` on a day that already has tickets (the README's command on the demo it
just loaded, walk-through session 25, A-M1): the refusal names the nearest free working day
before today, and without --date the command takes the latest such day itself."""

from __future__ import annotations

import json

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from hotline.hall.models import Ticket
from tests.conftest import at
from tests.hall.test_simulate import staffed  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def simulate(*args: str) -> None:
    call_command("hall", "simulate", "--hall", "dnl", "--seed", "5", "--json", *args)


def test_the_refusal_names_the_nearest_free_working_day_and_no_date_takes_it(staffed, capsys):  # noqa: F811
    # Wednesday 15 March 2023; the history fills Monday and Tuesday.
    with time_machine.travel(at("2023-03-15 08:00"), tick=False):
        simulate("--date", "2023-03-13")
        simulate("--date", "2023-03-14")
        capsys.readouterr()
        before = Ticket.objects.count()
        with pytest.raises(CommandError, match="2023-03-13") as refused:
            simulate("--date", "2023-03-13")
        # Sunday 12, Saturday 11 and today are no choice: Friday 10 March.
        assert "2023-03-10" in str(refused.value)
        assert Ticket.objects.count() == before
        simulate()
    result = json.loads(capsys.readouterr().out)
    assert result["day"] == "2023-03-10"
