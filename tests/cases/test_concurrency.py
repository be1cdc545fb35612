"""Two clerks acting on one case, and two windows opening cases, at the same moment: real
threads on PostgreSQL."""

from __future__ import annotations

import pytest

from hotline.cases import actions
from hotline.cases.models import Case, CaseState, LineState
from hotline.hall import actions as hall
from tests.cases.conftest import serve
from tests.concurrency import race
from tests.conftest import at

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


REFUSED = (actions.CaseError, hall.HallError)


@pytest.mark.parametrize("repeat", range(3))
def test_accept_and_refuse_at_once_exactly_one_wins(ct, repeat):
    wendy, hugo = ct.town.wendy, ct.town.hugo
    _ticket, case = serve(ct, ct.residence, at("2025-03-04 10:00"))
    actions.receive(
        case.submission,
        wendy,
        {
            line.pk: actions.Received(LineState.RECEIVED, line.form, line.copies)
            for line in case.submission.lines.all()
        },
    )
    outcomes = race(
        lambda: actions.accept(Case.objects.get(pk=case.pk), wendy),
        lambda: actions.refuse(Case.objects.get(pk=case.pk), hugo, reason="重复申请"),
        refused=REFUSED,
    )
    assert outcomes.count("ok") == 1
    assert isinstance(next(o for o in outcomes if o != "ok"), actions.CaseError)
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.state in (CaseState.ACCEPTED, CaseState.REFUSED)
    assert fresh.events.filter(action__in=["accept", "refuse"]).count() == 1


def test_two_windows_starting_at_once_get_distinct_case_numbers(ct):
    town = ct.town
    # Real time on purpose (the threads share no frozen clock), so whatever the hour.
    first = hall.issue(town.hall, ct.residence, check_hours=False)
    second = hall.issue(town.hall, ct.residence, check_hours=False)
    hall.sign_in(town.w1, town.wendy)
    hall.sign_in(town.w3, town.walt)
    hall.call_ticket(town.w1, town.wendy, first, reason="测试")
    hall.call_ticket(town.w3, town.walt, second, reason="测试")
    outcomes = race(
        lambda: hall.start(first, town.wendy),
        lambda: hall.start(second, town.walt),
        refused=REFUSED,
    )
    assert outcomes == ["ok", "ok"]
    numbers = sorted(Case.objects.values_list("number", flat=True))
    year = numbers[0].split("-")[1]
    assert numbers == [f"DNL-{year}-000001", f"DNL-{year}-000002"]
