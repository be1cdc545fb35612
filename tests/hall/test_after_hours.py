"""Outside the windows' hours (大宁路 opens 09:00–17:00 on working days) nobody would call a ticket,
so none is given: not at the kiosk, the reception desk, the portal or a remote point. The ticket
kiosk then offers what needs no clerk, as the 24-hour self-service kiosk does. Zhang's
appointment at 09:00 may still be checked in from 08:30, its early tolerance."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from hotline.hall import actions
from hotline.hall.actions import appointments as booking
from hotline.hall.identity import holder_key
from hotline.hall.models import (
    Priority,
    SelfServiceUse,
    Source,
    Ticket,
    TicketCounter,
    TicketEvent,
)
from hotline.hall.rules import InvalidTransition
from hotline.matters.models import Material
from tests.conftest import at

pytestmark = pytest.mark.django_db

# 2023-03-09 is a Thursday, 2023-03-11 a Saturday; 2023-04-05 is Qingming (a holiday, Wednesday).
EVENING = at("2023-03-09 20:30")
ZHANG = holder_key(phone="13912345678")


@pytest.mark.parametrize(
    "when",
    ["2023-03-09 08:59", "2023-03-09 17:00", "2023-03-09 20:30", "2023-03-11 10:00",
     "2023-04-05 10:00"],
)  # fmt: skip
@pytest.mark.parametrize("source", [Source.KIOSK, Source.RECEPTION, Source.PORTAL, Source.REMOTE])
def test_no_ticket_is_given_outside_the_windows_hours(town, when, source):
    priority = Priority.GREEN if source in (Source.RECEPTION, Source.REMOTE) else Priority.REGULAR
    with pytest.raises(InvalidTransition) as refused:
        actions.issue(
            town.hall, town.residence, source=source, priority=priority, actor=town.hugo,
            now=at(when),
        )  # fmt: skip
    assert refused.value.field == "hours" and "09:00" in refused.value.message
    # Nothing taken: no ticket, no event, and no number used up.
    assert not Ticket.objects.exists() and not TicketEvent.objects.exists()
    assert not TicketCounter.objects.exists()


@pytest.mark.parametrize("when", ["2023-03-09 09:00", "2023-03-09 16:59"])
def test_tickets_are_given_from_opening_to_just_before_closing(town, when):
    ticket = actions.issue(town.hall, town.residence, now=at(when))
    assert ticket.number == "A001"


def test_the_refusal_says_when_the_windows_open_again(town):
    with pytest.raises(InvalidTransition) as refused:
        actions.issue(town.hall, town.residence, now=at("2023-03-10 18:00"))  # a Friday
    assert "03-13 09:00" in refused.value.message  # Monday


def test_zhang_checks_in_before_opening_within_his_early_tolerance(town):
    slot = booking.open_slots(
        town.hall, town.residence, dt.date(2023, 3, 10), starts=dt.time(9), ends=dt.time(9, 30),
        minutes=30, capacity=1,
    )[0]  # fmt: skip
    appointment = booking.book(slot, holder_key=ZHANG, now=at("2023-03-09 15:00"))
    ticket = booking.check_in(appointment, now=at("2023-03-10 08:35"))
    assert (ticket.source, ticket.priority) == (Source.APPOINTMENT, Priority.APPOINTMENT)
    # The early tolerance opens the door to appointments only, not to ordinary tickets.
    with pytest.raises(InvalidTransition):
        actions.issue(town.hall, town.allowance, now=at("2023-03-10 08:35"))


def test_after_hours_the_ticket_kiosk_offers_what_needs_no_clerk(client, town):
    town.residence.appointment_allowed = True
    town.residence.save(update_fields=["appointment_allowed"])
    with time_machine.travel(EVENING, tick=False):
        page = client.get(f"/hall/{town.hall.code}/kiosk/").content.decode()
    assert 'data-testid="hall-closed"' in page and "03-10 09:00" in page
    assert 'data-testid="kiosk-form"' not in page  # no ticket buttons tonight
    assert 'data-testid="go-check-in"' not in page  # no appointment to check in at night
    for choice in ("book", "track", "materials"):
        assert f'data-choice="{choice}"' in page
    assert "/portal/track/" in page and f"/hall/{town.hall.code}/kiosk/materials/" in page


def test_a_kiosk_page_left_open_past_closing_refuses_and_offers_the_rest(client, town):
    with time_machine.travel(at("2023-03-09 16:58"), tick=False):
        page = client.get(f"/hall/{town.hall.code}/kiosk/").content.decode()
    assert 'data-testid="kiosk-form"' in page and 'data-testid="go-check-in"' in page
    with time_machine.travel(at("2023-03-09 17:01"), tick=False):
        refused = client.post(f"/hall/{town.hall.code}/kiosk/", {"matter": town.residence.pk})
    body = refused.content.decode()
    assert refused.status_code == 422
    assert 'data-testid="kiosk-errors"' in body and "03-10 09:00" in body
    assert 'data-testid="self-service-choices"' in body
    assert not Ticket.objects.exists()


def test_the_ticket_kiosks_material_lists_record_nothing(client, town):
    Material.objects.create(matter=town.residence, name="居住证明", required=False)
    url = f"/hall/{town.hall.code}/kiosk/materials/"
    with time_machine.travel(EVENING, tick=False):
        response = client.post(url, {"matter": town.residence.pk})
        assert response.status_code == 302
        page = client.get(response["Location"]).content.decode()
    assert 'data-testid="material-list"' in page
    assert "居民身份证" in page and "居住证明" in page
    assert f'href="/hall/{town.hall.code}/kiosk/"' in page  # back to the ticket kiosk
    assert not SelfServiceUse.objects.exists()
    assert client.get("/hall/no-such-hall/kiosk/materials/").status_code == 404
