"""An appeal, its decision and a 帮办's closing note over their length (1,000 characters) are
refused with what is wrong, named by the box; they were dropped without a word (the appeal then
said no reason was given, the 帮办 ended without its note)."""

from __future__ import annotations

import pytest
import time_machine

from hotline.assistance import actions as assistance
from hotline.assistance.models import Assistance, AssistState
from hotline.ratings import actions
from hotline.ratings.models import AppealState, Channel, Level
from tests.conftest import at
from tests.forms import logged_in

pytestmark = pytest.mark.django_db

LONG = "理" * 1001


def test_hugos_endless_appeal_is_refused_as_too_long_and_changes_nothing(town):
    ticket = town.serve("2023-03-09 10:00")
    with time_machine.travel(at("2023-03-09 10:02"), tick=False):
        rating = actions.rate(
            ticket, None, level=Level.VERY_DISSATISFIED, channel=Channel.QR, reasons=["not_done"]
        )
    hugo = logged_in(town.hall.hugo)
    page = hugo.post(f"/ratings/{rating.pk}/appeal", {"reason": LONG}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 422
    assert "Reason: Ensure this value has at most 1000 characters" in page.content.decode()
    rating.refresh_from_db()
    assert rating.appeal != AppealState.PENDING


def test_sams_endless_decision_is_refused_as_too_long(town):
    ticket = town.serve("2023-03-09 10:00")
    with time_machine.travel(at("2023-03-09 10:02"), tick=False):
        rating = actions.rate(
            ticket, None, level=Level.VERY_DISSATISFIED, channel=Channel.QR, reasons=["not_done"]
        )
        actions.appeal(rating, town.hall.hugo, reason="非本中心事项")
    sam = logged_in(town.hall.district.sam)
    page = sam.post(f"/ratings/{rating.pk}/appeal/reject", {"reason": LONG})
    assert page.status_code == 422 and "1000" in page.content.decode()
    rating.refresh_from_db()
    assert rating.appeal == AppealState.PENDING


def test_wendys_endless_closing_note_is_refused_and_the_help_stays_open(town):
    record = assistance.start_help(
        town.hall.hall, town.hall.wendy, matters=[town.hall.residence], citizen_name="张三"
    )
    wendy = logged_in(town.hall.wendy)
    page = wendy.post(f"/assistance/{record.pk}/end", {"outcome": "done", "note": LONG})
    assert page.status_code == 422 and "1000" in page.content.decode()
    record = Assistance.objects.get(pk=record.pk)
    assert record.state not in (AssistState.ENDED,)
