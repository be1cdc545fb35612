"""帮办 and 代办 at 大宁路街道社区事务受理服务中心: Wendy helps 张三 with two matters; Leo (a
leader) does 帮办 at the counter too; Hugo takes on a 代办 under a written authorisation and
moves it through its stages. Nobody from elsewhere may record either."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from hotline.assistance import actions
from hotline.assistance.models import AssistanceEvent, AssistState, Outcome
from hotline.hall import actions as hall
from hotline.hall.rules import InvalidInput, InvalidTransition, NotAllowed
from tests.conftest import at
from tests.hall.conftest import make_hall

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(district):
    return make_hall(district)


def test_wendy_helps_a_citizen_with_two_matters_and_ends_with_the_outcome(town):
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        ticket = hall.issue(town.hall, town.residence)
        help_ = actions.start_help(
            town.hall,
            town.wendy,
            matters=[town.residence, town.allowance],
            citizen_name="张三",
            ticket=ticket,
        )
    assert help_.state == AssistState.OPEN and help_.citizen_name == "张*"
    assert set(help_.matters.all()) == {town.residence, town.allowance}
    assert not help_.by_leader
    with time_machine.travel(at("2023-03-09 10:25"), tick=False):
        with pytest.raises(InvalidInput):
            actions.end_help(help_, town.wendy, outcome=Outcome.PARTLY)  # what is left?
        actions.end_help(help_, town.wendy, outcome=Outcome.PARTLY, note="津贴需补交银行卡复印件")
        with pytest.raises(InvalidTransition):
            actions.end_help(help_, town.wendy, outcome=Outcome.DONE)
    help_.refresh_from_db()
    assert help_.state == AssistState.ENDED and help_.ended_at == at("2023-03-09 10:25")
    assert [e.action for e in help_.events.all()] == ["start", "end"]


def test_a_leaders_help_is_recorded_as_such_but_a_leader_runs_no_proxy(town):
    leo = town.district.leo
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        record = actions.start_help(town.hall, leo, matters=[town.residence], citizen_name="李四")
        assert record.by_leader
        with pytest.raises(NotAllowed):
            actions.start_proxy(
                town.hall,
                leo,
                matters=[town.residence],
                applicant_name="李四",
                authoriser_name="李四",
                authorisation_ref="WT-001",
                authorised_until=dt.date(2023, 4, 1),
            )


def test_nobody_from_elsewhere_records_help_and_matters_are_required(town):
    with pytest.raises(NotAllowed):
        actions.start_help(town.hall, town.district.una, matters=[town.residence])
    with pytest.raises(InvalidInput):
        actions.start_help(town.hall, town.wendy, matters=[])


def test_hugo_runs_a_proxy_through_its_stages_under_a_valid_authorisation(town):
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        with pytest.raises(InvalidInput):
            actions.start_proxy(
                town.hall,
                town.hugo,
                matters=[town.allowance],
                applicant_name="王老伯",
                authoriser_name="王老伯",
                authorisation_ref="",
                authorised_until=dt.date(2023, 4, 1),
            )
        with pytest.raises(InvalidInput):
            actions.start_proxy(
                town.hall,
                town.hugo,
                matters=[town.allowance],
                applicant_name="王老伯",
                authoriser_name="王老伯",
                authorisation_ref="WT-2023-017",
                authorised_until=dt.date(2023, 3, 8),  # expired
            )
        proxy = actions.start_proxy(
            town.hall,
            town.hugo,
            matters=[town.allowance],
            applicant_name="王老伯",
            authoriser_name="王老伯",
            authorisation_ref="WT-2023-017",
            authorised_until=dt.date(2023, 3, 20),
            phone="13912345678",
        )
        assert proxy.state == AssistState.AUTHORISED and proxy.citizen_key
        with pytest.raises(InvalidTransition):
            actions.submit(proxy, town.hugo)  # accept first
        actions.accept(proxy, town.wendy)
        actions.submit(proxy, town.hugo, note="已代为提交老年综合津贴申请")
    with time_machine.travel(at("2023-03-21 10:00"), tick=False):
        actions.complete(proxy, town.hugo, note="已将结果告知申请人")
    proxy.refresh_from_db()
    assert proxy.state == AssistState.COMPLETED and proxy.outcome == Outcome.DONE
    assert [e.action for e in proxy.events.all()] == ["start", "accept", "submit", "complete"]


def test_a_proxy_is_withdrawn_with_a_reason_and_an_expired_one_cannot_move_on(town):
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        proxy = actions.start_proxy(
            town.hall,
            town.hugo,
            matters=[town.allowance],
            applicant_name="王老伯",
            authoriser_name="王小明",
            authorisation_ref="WT-2023-018",
            authorised_until=dt.date(2023, 3, 10),
        )
    with time_machine.travel(at("2023-03-13 10:00"), tick=False):
        with pytest.raises(InvalidInput):
            actions.accept(proxy, town.hugo)
        with pytest.raises(InvalidInput):
            actions.withdraw(proxy, town.hugo, note=" ")
        actions.withdraw(proxy, town.hugo, note="委托已过期，申请人本人前来办理")
    proxy.refresh_from_db()
    assert proxy.state == AssistState.WITHDRAWN


def test_assistance_events_cannot_be_changed(town):
    actions.start_help(town.hall, town.wendy, matters=[town.residence])
    with pytest.raises(ValidationError):
        AssistanceEvent.objects.update(note="x")


def test_on_postgresql_the_database_itself_refuses_deleting_assistance_events(town):
    from django.db import DatabaseError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only")
    actions.start_help(town.hall, town.wendy, matters=[town.residence])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM assistance_assistanceevent")
