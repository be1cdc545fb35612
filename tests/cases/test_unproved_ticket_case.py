"""A number typed at the kiosk is no proof (f6cec6b): a stranger's kiosk ticket under 张三's
number, served, opened a case that was still read as 张三's — in his 12345 caller history, its
page listing his 12345 orders, as the next visit of his open case, with his pre-review shown at
the desk and linked to it (review, session 20). Now only a proved holder links; the clerk who
sees the citizen's ID at the window confirms the number as service starts."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from hotline.cases.models import Case, CaseAction
from hotline.hall import actions as hall
from hotline.hall.identity import holder_key
from hotline.hall.models import HolderProof, Source, TicketAction
from hotline.hall.rules import InvalidInput
from hotline.prereview.templatetags.prereview_tags import prereview_for_ticket
from hotline.ratings import actions as ratings
from hotline.ratings import hotline_link
from tests.cases.conftest import CaseTown, serve
from tests.conftest import at
from tests.hall.conftest import BOOKING_PHONE

pytestmark = pytest.mark.django_db

KEY = holder_key(phone=BOOKING_PHONE)
MORNING = at("2026-03-10 09:30")


def _owners_visit(ct: CaseTown):
    """张三 was at the reception desk this morning (staff saw him) and a 12345 order was made
    for his visit: his case of 老年综合津贴 is open."""
    town = ct.town
    with time_machine.travel(MORNING - dt.timedelta(minutes=20), tick=False):
        own = hall.issue(
            town.hall, town.allowance, source=Source.RECEPTION, actor=town.hugo, holder_key=KEY
        )
        ratings.refer(
            town.hall,
            town.wendy,
            what="老年综合津贴",
            why="系统故障，窗口无法受理",
            ticket_number=own.number,
            phone=BOOKING_PHONE,
            name="张三",
        )
    return own


def test_a_strangers_kiosk_ticket_opens_a_case_that_is_no_ones(ct):
    _owners_visit(ct)
    ticket, case = serve(ct, ct.residence, MORNING, holder_key=KEY, holder_seen=False)
    assert ticket.holder_proof == HolderProof.NONE
    assert case.submission.applicant_key == ""
    assert case not in hotline_link.visits_for_phone(BOOKING_PHONE).cases
    assert hotline_link.orders_for_case(case, ct.town.wendy) == []


def test_a_strangers_kiosk_ticket_does_not_join_the_owners_open_case(ct):
    first, owners = serve(ct, ct.residence, MORNING, holder_key=KEY)  # seen: his case
    with time_machine.travel(MORNING + dt.timedelta(minutes=5), tick=False):
        hall.finish(first, ct.town.wendy)
    _ticket, case = serve(
        ct, ct.residence, MORNING + dt.timedelta(minutes=10), holder_key=KEY, holder_seen=False
    )
    assert case != owners
    assert not owners.events.filter(action=CaseAction.VISIT).exclude(ticket=first).exists()


def test_the_clerk_who_sees_the_id_confirms_the_number_and_the_visit_joins(ct):
    first, owners = serve(ct, ct.residence, MORNING, holder_key=KEY)
    with time_machine.travel(MORNING + dt.timedelta(minutes=5), tick=False):
        hall.finish(first, ct.town.wendy)
    again, case = serve(ct, ct.residence, MORNING + dt.timedelta(minutes=10), holder_key=KEY)
    again.refresh_from_db()
    assert case == owners
    assert again.holder_proof == HolderProof.STAFF
    started = again.events.get(action=TicketAction.START)
    assert (started.payload, started.actor) == ({"proof": "staff"}, ct.town.wendy)


def test_the_desk_shows_no_pre_review_for_a_typed_number(ct, monkeypatch):
    with time_machine.travel(MORNING, tick=False):
        ticket = hall.issue(ct.town.hall, ct.residence, holder_key=KEY)
    seen: list[str] = []
    monkeypatch.setattr(
        "hotline.prereview.templatetags.prereview_tags.find_for",
        lambda hall_id, matter_id, key: seen.append(key),
    )
    prereview_for_ticket(ticket)
    assert seen == [""]


def test_confirming_a_number_that_holds_another_ticket_is_refused_and_changes_nothing(ct):
    town = ct.town
    with time_machine.travel(MORNING, tick=False):
        hall.issue(
            town.hall, ct.residence, source=Source.RECEPTION, actor=town.hugo, holder_key=KEY
        )
        typed = hall.issue(town.hall, ct.residence, holder_key=KEY)  # the kiosk: no proof
        hall.sign_in(town.w1, town.wendy)
        hall.call_ticket(town.w1, town.wendy, typed, reason="测试")
        with pytest.raises(InvalidInput) as refused:
            hall.start(typed, town.wendy, holder_seen=True)
    assert refused.value.field == "holder_seen"
    typed.refresh_from_db()
    assert (typed.state, typed.holder_proof) == ("called", HolderProof.NONE)
    assert not Case.objects.filter(events__ticket=typed).exists()


def test_the_desk_offers_id_seen_for_a_typed_number_and_its_start_records_it(ct, client):
    town = ct.town
    with time_machine.travel(MORNING, tick=False):
        typed = hall.issue(town.hall, ct.residence, holder_key=KEY)
        hall.sign_in(town.w1, town.wendy)
        hall.call_ticket(town.w1, town.wendy, typed, reason="测试")
        client.force_login(town.wendy)
        desk = client.get(f"/hall/{town.hall.code}/desk/").content.decode()
        assert 'data-testid="holder-seen"' in desk
        client.post(
            f"/hall/{town.hall.code}/desk/act",
            {"action": "start", "ticket": typed.pk, "holder_seen": "1"},
        )
    typed.refresh_from_db()
    assert (typed.state, typed.holder_proof) == ("serving", HolderProof.STAFF)
    # A proved holder's desk has nothing to confirm.
    with time_machine.travel(MORNING + dt.timedelta(minutes=5), tick=False):
        hall.finish(typed, town.wendy)
        seen = hall.issue(
            town.hall, ct.residence, source=Source.RECEPTION, actor=town.hugo, holder_key=KEY
        )
        hall.call_ticket(town.w1, town.wendy, seen, reason="测试")
        assert (
            'data-testid="holder-seen"'
            not in client.get(f"/hall/{town.hall.code}/desk/").content.decode()
        )
