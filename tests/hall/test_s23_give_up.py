"""A citizen who took a ticket (online, 网上取号, or at the kiosk) and cannot come gives it up on
"my place" (h5 M7): before, the page had no way to, the ticket stayed in the queue until a window
called it, and its holder counted as a no-show the windows had called and recalled."""

from __future__ import annotations

import pytest
from django.utils import translation

from hotline import clock
from hotline.hall import actions, board, kpis
from hotline.hall.models import Source, TicketAction, TicketEvent, TicketState

pytestmark = pytest.mark.django_db


@pytest.fixture
def remote(town):
    return actions.issue(town.hall, town.residence, source=Source.REMOTE, holder_name="李四")


def test_my_place_offers_to_give_up_a_waiting_ticket(client, remote):
    page = client.get(f"/hall/place/{remote.token}/").content.decode()
    assert 'data-testid="give-up"' in page and f"/hall/place/{remote.token}/give-up/" in page
    confirm = client.get(f"/hall/place/{remote.token}/give-up/")
    assert confirm.status_code == 200
    assert 'data-testid="give-up-form"' in confirm.content.decode()
    remote.refresh_from_db()
    assert remote.state == TicketState.WAITING  # asking is not doing


def test_giving_up_cancels_the_ticket_with_its_event_and_the_page_says_so(client, town, remote):
    answer = client.post(f"/hall/place/{remote.token}/give-up/")
    assert answer.status_code == 302 and answer["Location"] == f"/hall/place/{remote.token}/"
    remote.refresh_from_db()
    assert remote.state == TicketState.CANCELLED
    event = TicketEvent.objects.get(ticket=remote, action=TicketAction.CANCEL)
    assert event.actor is None and event.payload == {"by": "holder"}
    assert event.from_state == TicketState.WAITING
    with translation.override("zh-hans"):
        page = client.get(f"/hall/place/{remote.token}/").content.decode()
    assert 'data-testid="place-given-up"' in page and 'data-testid="give-up"' not in page
    assert "您已放弃此号" in page
    # The KPIs count a ticket given up as cancelled (abandoned), never a no-show.
    day = board.today(clock.now())
    facts = kpis.ticket_facts(town.hall, day, day)
    assert [f.outcome for f in facts] == ["cancelled"]
    figures = kpis.figures(facts, 15)
    assert figures.abandon_rate == 1.0 and figures.no_show_rate == 0.0


def test_a_called_or_served_ticket_cannot_be_given_up(client, town, remote):
    actions.sign_in(town.w1, town.walt)
    actions.call_next(town.w1, town.walt)
    remote.refresh_from_db()
    assert remote.state == TicketState.CALLED
    page = client.get(f"/hall/place/{remote.token}/").content.decode()
    assert 'data-testid="give-up"' not in page
    answer = client.post(f"/hall/place/{remote.token}/give-up/")
    assert answer.status_code == 409
    html = answer.content.decode()
    assert 'data-testid="give-up-refused"' in html and 'data-testid="give-up-form"' not in html
    actions.start(remote, town.walt)
    assert client.post(f"/hall/place/{remote.token}/give-up/").status_code == 409
    remote.refresh_from_db()
    assert remote.state == TicketState.SERVING
    assert not TicketEvent.objects.filter(ticket=remote, action=TicketAction.CANCEL).exists()


def test_a_ticket_given_up_cannot_be_given_up_twice(client, remote):
    client.post(f"/hall/place/{remote.token}/give-up/")
    assert client.post(f"/hall/place/{remote.token}/give-up/").status_code == 409
    assert TicketEvent.objects.filter(ticket=remote, action=TicketAction.CANCEL).count() == 1


def test_an_unknown_token_gives_up_nothing(client, remote):
    assert client.post("/hall/place/not-a-token/give-up/").status_code == 404
