"""Another hall's records are not found: a clerk or manager of 静安区政务服务中心 (jazw, Xena and
Xavier) who types the number or id of a 大宁路 (dnl) case, ticket, rating or 帮办 record gets 404,
exactly as for a number that does not exist, so trying numbers tells them nothing. Someone who is
no hall staff at all (Una, a street's handler) is refused (403) before any lookup: that says
nothing about the number either. (Pre-reviews: tests/prereview/test_pages.py, Xavier gets 404.)"""

from __future__ import annotations

import pytest
import time_machine

from hotline.assistance import actions as assistance
from hotline.assistance.models import Assistance, AssistState
from hotline.hall import actions as hall
from hotline.hall.models import Ticket, TicketEvent, TicketState
from hotline.hall.rules import own_hall_only
from hotline.org.models import Role
from hotline.ratings import actions as ratings
from hotline.ratings.models import AppealState, Channel, Rating
from tests.cases.conftest import make_case_town, serve
from tests.conftest import at, make_user
from tests.forms import logged_in
from tests.hall.conftest import make_hall

pytestmark = pytest.mark.django_db


@pytest.fixture
def ct(district):
    return make_case_town(district)


@pytest.fixture
def jazw(district):
    """The other hall: Xena is its clerk, Xavier its manager."""
    other = make_hall(district, code="jazw")
    return other


def test_another_halls_case_is_not_found_and_an_outsider_is_refused(ct, jazw, district):
    _ticket, case = serve(ct, ct.residence, at("2025-03-04 10:00"))
    for person in (jazw.wendy, jazw.hugo):
        client = logged_in(person)
        assert client.get(f"/cases/{case.number}/").status_code == 404
        assert client.get(f"/cases/{case.number}/print/receipt/").status_code == 404
        acted = client.post(f"/cases/{case.number}/act", {"action": "accept", "case": case.pk})
        assert acted.status_code == 404
        # The same answer as for a number nobody has.
        assert client.get("/cases/2025-DNL-999999/").status_code == 404
    assert logged_in(district.una).get(f"/cases/{case.number}/").status_code == 403
    assert logged_in(district.una).get("/cases/2025-DNL-999999/").status_code == 403
    # The hall's own clerk still opens it.
    assert logged_in(ct.town.wendy).get(f"/cases/{case.number}/").status_code == 200


def test_another_halls_ticket_is_not_found_at_the_desk(district, jazw):
    town = make_hall(district)
    ticket = hall.issue(town.hall, town.residence)
    hall.sign_in(jazw.w1, jazw.wendy)
    client = logged_in(jazw.wendy)
    for action in ("call_ticket", "recall", "start", "no_show"):
        response = client.post(
            "/hall/jazw/desk/act", {"action": action, "ticket": ticket.pk, "reason": "测试"}
        )
        assert response.status_code == 404, action
    ticket.refresh_from_db()
    assert ticket.state == TicketState.WAITING


def _rated(town) -> Rating:
    ticket = hall.issue(town.hall, town.residence)
    hall.sign_in(town.w1, town.wendy)
    called = hall.call_next(town.w1, town.wendy)
    hall.start(called, town.wendy)
    hall.finish(called, town.wendy)
    ratings.rate(called, None, level=2, channel=Channel.QR, reasons=["attitude"])
    assert called.pk == ticket.pk
    return Rating.objects.get(ticket=ticket)


def test_another_halls_manager_cannot_find_a_rating_to_appeal(district, jazw):
    town = make_hall(district)
    make_user("rita", town.hall.unit, Role.UNIT_HANDLER)
    with time_machine.travel(at("2023-03-09 10:30"), tick=False):
        rating = _rated(town)
        appealed = logged_in(jazw.hugo).post(f"/ratings/{rating.pk}/appeal", {"reason": "非本厅"})
        assert appealed.status_code == 404
        missing = logged_in(jazw.hugo).post("/ratings/999999/appeal", {"reason": "非本厅"})
        assert missing.status_code == 404
        rating.refresh_from_db()
        assert rating.appeal == AppealState.NONE
        # Its own manager may.
        own = logged_in(town.hugo).post(f"/ratings/{rating.pk}/appeal", {"reason": "非本窗口业务"})
    assert own.status_code == 302
    rating.refresh_from_db()
    assert rating.appeal == AppealState.PENDING


def test_another_halls_clerk_cannot_find_a_help_record(district, jazw):
    town = make_hall(district)
    record = assistance.start_help(
        town.hall, town.wendy, matters=[town.residence], citizen_name="张三"
    )
    xena = logged_in(jazw.wendy)
    assert xena.post(f"/assistance/{record.pk}/end", {}).status_code == 404
    assert xena.post("/assistance/999999/end", {}).status_code == 404
    record.refresh_from_db()
    assert record.state == AssistState.OPEN
    assert Assistance.objects.count() == 1


def test_own_hall_only_scopes_hall_staff_and_no_one_else(district, jazw):
    """The one rule the case, rating and 帮办 pages share (hotline.hall.rules.own_hall_only)."""
    town = make_hall(district)
    dnl_ticket = hall.issue(town.hall, town.residence)
    jazw_ticket = hall.issue(jazw.hall, jazw.residence)
    tickets = Ticket.objects.all()
    for clerk in (jazw.wendy, jazw.hugo):
        assert list(own_hall_only(tickets, clerk)) == [jazw_ticket]
    assert list(own_hall_only(tickets, town.wendy)) == [dnl_ticket]
    # The path to the hall may be longer: a ticket's events by their ticket's hall.
    assert own_hall_only(TicketEvent.objects.all(), town.wendy, hall="ticket__hall").exists()
    assert not own_hall_only(
        TicketEvent.objects.filter(ticket=jazw_ticket), town.wendy, hall="ticket__hall"
    ).exists()
    # Hall staff without a unit find nothing, rather than everything.
    unplaced = make_user("nobody-clerk", jazw.hall.unit, Role.HALL_CLERK)
    unplaced.unit = None
    assert list(own_hall_only(tickets, unplaced)) == []
    # Who is not hall staff is not scoped here (the view decides whether they come in at all).
    assert set(own_hall_only(tickets, district.una)) == {dnl_ticket, jazw_ticket}
    # A leader who is also a clerk: scoped, unless the page lets leaders see every hall.
    both = make_user("lena-clerk", jazw.hall.unit, Role.HALL_CLERK, Role.LEADER)
    assert list(own_hall_only(tickets, both)) == [jazw_ticket]
    assert set(own_hall_only(tickets, both, also_sees_all=[Role.LEADER])) == {
        dnl_ticket,
        jazw_ticket,
    }
