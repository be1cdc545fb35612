"""The text near the front: once, when few enough are ahead, and the number is then forgotten."""

from __future__ import annotations

import logging

import pytest

from hotline.hall import actions
from hotline.hall.identity import holder_key
from hotline.hall.models import Ticket

pytestmark = pytest.mark.django_db(transaction=True)  # messages go out on commit


def test_the_citizen_is_texted_once_near_the_front(town, caplog):
    caplog.set_level(logging.INFO, logger="hotline.notify")
    town.hall.sms_position = 1
    town.hall.save()
    actions.sign_in(town.w2, town.walt)
    for _ in range(3):
        actions.issue(town.hall, town.residence)
    mine = actions.issue(
        town.hall,
        town.residence,
        holder_key=holder_key(phone="13912345678"),
        sms_phone="13912345678",
    )
    texts = lambda: [r.getMessage() for r in caplog.records if "hall_near_front" in r.getMessage()]  # noqa: E731
    first = actions.call_next(town.w2, town.walt)  # two ahead of A004 now: no text yet
    assert texts() == []
    actions.start(first, town.walt)
    actions.finish(first, town.walt)
    actions.call_next(town.w2, town.walt)  # one ahead: the text goes out
    assert len(texts()) == 1 and "A004" in texts()[0]
    stored = Ticket.objects.get(pk=mine.pk)
    assert stored.sms_sent and stored.sms_phone == ""
