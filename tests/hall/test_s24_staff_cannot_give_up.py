"""A hall clerk reprints any waiting ticket of her hall by its row (the reception desk's
"reprint") and is sent to its page, token and all; its give-up page cancelled it as if its holder
had given it up: no actor, ``{"by": "holder"}``, counted as the citizen's abandonment (attack,
session 24, J). A signed-in member of staff is refused there; the holder still gives it up."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from hotline.hall import actions
from hotline.hall.models import Source, TicketAction, TicketEvent, TicketState
from hotline.web import once

pytestmark = pytest.mark.django_db


@pytest.fixture
def remote(town):
    return actions.issue(town.hall, town.residence, source=Source.REMOTE, holder_name="李四")


def test_a_clerk_who_reprinted_a_ticket_cannot_give_it_up_as_its_holder(town, remote):
    wendy = Client()
    wendy.force_login(town.wendy)
    reprint = wendy.post(
        f"/hall/{town.hall.code}/reception/",
        {"action": "reprint", "ticket": str(remote.pk), once.FIELD: once.new_token()},
    )
    assert reprint.status_code == 302 and remote.token in reprint["Location"]
    with translation.override("zh-hans"):
        page = wendy.get(f"/hall/place/{remote.token}/give-up/")
    assert page.status_code == 403
    text = page.content.decode()
    assert 'data-testid="give-up-form"' not in text and "只能由持号人本人" in text
    answer = wendy.post(f"/hall/place/{remote.token}/give-up/")
    assert answer.status_code == 403
    remote.refresh_from_db()
    assert remote.state == TicketState.WAITING
    assert not TicketEvent.objects.filter(ticket=remote, action=TicketAction.CANCEL).exists()


def test_the_holder_still_gives_it_up(town, remote):
    answer = Client().post(f"/hall/place/{remote.token}/give-up/")
    assert answer.status_code == 302
    remote.refresh_from_db()
    assert remote.state == TicketState.CANCELLED
