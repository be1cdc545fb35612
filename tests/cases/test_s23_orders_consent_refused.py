"""A consent code not taken is on the case's timeline, as the consent is (brief, session 23).

Wendy texts Mr Wang a code to list his 12345 orders on his case. When the code she types back is
wrong, has expired or was superseded, the refusal was only said to her; now each one is a case
event (by her, with why), shown in the case's timeline. Neither his number nor a code is kept
in it. A code taken writes the consent, and no refusal."""

from __future__ import annotations

import json

import pytest
import time_machine
from django.urls import reverse

from hotline.cases.models import Case, CaseAction, CaseEvent
from hotline.hall import identity
from tests.cases.conftest import serve
from tests.cases.test_citizen_orders import WANG, _show, _text_code
from tests.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def wang(ct) -> Case:
    """Mr Wang's case at Wendy's window (she saw his ID)."""
    _ticket, case = serve(
        ct, ct.residence, at("2025-03-04 10:00"), holder_key=identity.holder_key(phone=WANG)
    )
    return case


def _refusals(case: Case) -> list[CaseEvent]:
    return list(case.events.filter(action=CaseAction.ORDERS_CONSENT_REFUSED).order_by("seq"))


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_each_wrong_code_is_one_event_with_nothing_personal(client, ct, wang):
    client.force_login(ct.town.wendy)
    with time_machine.travel(at("2025-03-04 10:30"), tick=False):
        sent, code = _text_code(client, wang)
        first = _show(client, wang, sent, _wrong(code))
        assert first.context["orders_problem"]
        _show(client, wang, sent, _wrong(_wrong(code)))

    refusals = _refusals(wang)
    assert len(refusals) == 2
    assert {e.actor for e in refusals} == {ct.town.wendy}
    assert [e.payload for e in refusals] == [{"why": "wrong"}, {"why": "wrong"}]
    stored = json.dumps([e.payload for e in refusals]) + "".join(e.reason for e in refusals)
    for secret in (WANG, WANG[-4:], code, _wrong(code), _wrong(_wrong(code))):
        assert secret not in stored
    assert not wang.events.filter(action=CaseAction.ORDERS_CONSENT).exists()


def test_an_expired_code_is_recorded_as_expired(client, ct, wang):
    client.force_login(ct.town.wendy)
    with time_machine.travel(at("2025-03-04 10:30"), tick=False):
        sent, code = _text_code(client, wang)
    with time_machine.travel(at("2025-03-04 10:45"), tick=False):
        _show(client, wang, sent, code)

    assert [e.payload for e in _refusals(wang)] == [{"why": "expired"}]


def test_the_code_taken_records_the_consent_and_no_refusal(client, ct, wang):
    client.force_login(ct.town.wendy)
    with time_machine.travel(at("2025-03-04 10:30"), tick=False):
        sent, code = _text_code(client, wang)
        response = _show(client, wang, sent, code)

    assert not response.context.get("orders_problem")
    assert wang.events.filter(action=CaseAction.ORDERS_CONSENT).count() == 1
    assert _refusals(wang) == []


def test_the_timeline_shows_the_refusal_in_both_languages(client, ct, wang):
    client.force_login(ct.town.wendy)
    with time_machine.travel(at("2025-03-04 10:30"), tick=False):
        sent, code = _text_code(client, wang)
        _show(client, wang, sent, _wrong(code))
        page = client.get(reverse("cases:detail", args=[wang.number])).content.decode()
        english = client.get(
            reverse("cases:detail", args=[wang.number]), HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()

    assert "申请人12345工单查询验证码未通过" in page
    assert "Code for the applicant&#x27;s 12345 orders not accepted" in english
