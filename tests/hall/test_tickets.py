"""Taking a ticket: numbering per prefix with a daily reset, real-name keys, one active ticket per
person and matter, daily and hourly caps, who may give which priority."""

from __future__ import annotations

import pytest
import time_machine

from hotline.hall import actions
from hotline.hall.identity import holder_key, mask_name
from hotline.hall.models import Priority, Source, Ticket, TicketEvent
from hotline.security.phone_numbers import phone_key
from tests.conftest import at

pytestmark = pytest.mark.django_db


def test_numbers_run_per_prefix_and_start_again_next_day(town):
    with time_machine.travel(at("2023-03-09 09:00"), tick=False):
        a1 = actions.issue(town.hall, town.residence)
        b1 = actions.issue(town.hall, town.allowance)
        a2 = actions.issue(town.hall, town.residence)
    with time_machine.travel(at("2023-03-10 09:00"), tick=False):
        next_day = actions.issue(town.hall, town.residence)
    assert [a1.number, b1.number, a2.number, next_day.number] == ["A001", "B001", "A002", "A001"]
    assert TicketEvent.objects.filter(action="issue").count() == 4


def test_a_real_name_ticket_keeps_only_a_keyed_hash(town):
    key = holder_key(phone="139-1234-5678")
    ticket = actions.issue(town.hall, town.residence, holder_key=key, holder_name="张三")
    stored = Ticket.objects.filter(pk=ticket.pk).values().get()
    assert "13912345678" not in str(stored)
    assert stored["holder_key"] == phone_key("13912345678", purpose="hall-ticket")
    assert holder_key(id_number="31010619800101001x") == holder_key(id_number="31010619800101001X")
    assert mask_name("张三") == "张*" and mask_name("欧阳娜娜") == "欧***"


def test_one_active_ticket_per_person_per_matter(town):
    key = holder_key(phone="13912345678")
    # Proved holders (here the portal's, after the code texted to the number).
    proved = {"source": Source.PORTAL, "sms_phone": "13912345678"}
    first = actions.issue(town.hall, town.residence, holder_key=key, **proved)
    with pytest.raises(actions.InvalidInput):
        actions.issue(
            town.hall,
            town.residence,
            holder_key=holder_key(phone="+86 139 1234 5678"),
            **proved,
        )
    # Another matter is fine, and once the first ticket is over a new one is too.
    actions.issue(town.hall, town.allowance, holder_key=key, **proved)
    actions.cancel(first)
    actions.issue(town.hall, town.residence, holder_key=key, **proved)
    assert Ticket.objects.filter(holder_key=key).count() == 3


def test_bad_id_and_phone_are_refused_with_a_reason():
    with pytest.raises(actions.InvalidInput) as bad_id:
        holder_key(id_number="12345")
    assert bad_id.value.field == "id_number"
    # 31010619800101001X is a valid number; one digit mistyped, or two swapped, is refused.
    for typo in ("31010619800101002X", "31010619800110001X", "310106198001010010"):
        with pytest.raises(actions.InvalidInput) as mistyped:
            holder_key(id_number=typo)
        assert mistyped.value.field == "id_number"
    assert holder_key(id_number="310106800101001")  # the old 15-digit numbers have no check
    with pytest.raises(actions.InvalidInput):
        holder_key(phone="62345678")


def test_the_daily_cap_stops_tickets_and_gives_back_the_number(town):
    town.hall.daily_cap = 2
    town.hall.save()
    actions.issue(town.hall, town.residence)
    actions.issue(town.hall, town.residence)
    with pytest.raises(actions.CapReached):
        actions.issue(town.hall, town.residence)
    # The refused ticket did not use up a number.
    assert actions.issue(town.hall, town.allowance).number == "B001"


def test_the_hourly_cap_resets_on_the_hour(town):
    town.hall.hourly_cap = 1
    town.hall.save()
    with time_machine.travel(at("2023-03-09 09:10"), tick=False):
        actions.issue(town.hall, town.residence)
        with pytest.raises(actions.CapReached):
            actions.issue(town.hall, town.residence)
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        assert actions.issue(town.hall, town.residence).number == "A002"


def test_green_channel_only_from_the_reception_desk(town):
    with pytest.raises(actions.InvalidInput):
        actions.issue(town.hall, town.residence, priority=Priority.GREEN, source=Source.KIOSK)
    ticket = actions.issue(
        town.hall, town.residence, priority=Priority.GREEN, source=Source.RECEPTION, actor=town.hugo
    )
    assert ticket.priority == Priority.GREEN
    elderly = actions.issue(town.hall, town.residence, priority=Priority.ELDERLY)
    assert elderly.priority == Priority.ELDERLY


def test_a_matter_no_window_serves_is_refused(town, district):
    from hotline.matters.models import Matter

    other = Matter.objects.create(code="sydj", name="生育登记")
    with pytest.raises(actions.InvalidInput):
        actions.issue(town.hall, other)


def test_the_ticket_carries_its_wait_estimate(town):
    with time_machine.travel(at("2023-03-09 09:00"), tick=False):
        actions.sign_in(town.w2, town.walt)
        for _ in range(4):
            actions.issue(town.hall, town.residence)
        fifth = actions.issue(town.hall, town.residence)
    # Four ahead, one window open for 居住证 (10 minutes typical): roughly 45 minutes.
    assert fifth.estimate_low is not None and fifth.estimate_high is not None
    assert fifth.estimate_low < 45 < fifth.estimate_high
