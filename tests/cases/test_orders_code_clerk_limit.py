"""A clerk's consent codes do not use up the citizens' code asks from the hall's address.

Every clerk of a hall leaves through one office address, the one the hall's Wi-Fi shares; the
code texted to an applicant for their 12345 orders (143e07c) counted against that address's 20
code asks an hour (booking and ticket codes), so after 20 asks a citizen at the window got no
code, and the clerk was told to "ask at reception" (review, session 21). Now a clerk's sends
count against a limit of their own, and still against the number's limits; the refusal speaks
to a clerk.
"""

from __future__ import annotations

import pytest
import time_machine

from hotline.cases import orders_consent
from hotline.cases.models import Case
from hotline.hall import booking_code, identity
from hotline.portal import limits
from tests.cases.conftest import serve
from tests.cases.test_citizen_orders import WANG, _text_code
from tests.conftest import at

pytestmark = pytest.mark.django_db
HALL_ADDRESS = "127.0.0.1"  # the test client's: the office's, and the hall's Wi-Fi


@pytest.fixture
def wang(ct) -> Case:
    """Mr Wang's case at Wendy's window (she saw his ID)."""
    _ticket, case = serve(
        ct, ct.residence, at("2025-03-04 10:00"), holder_key=identity.holder_key(phone=WANG)
    )
    return case


def _citizens_ask_twenty_codes() -> None:
    for i in range(booking_code.SENDS_PER_ADDRESS.count):
        assert booking_code.send_refusal(f"1391234{i:04d}", HALL_ADDRESS) == ""


def test_after_twenty_citizen_asks_from_the_hall_the_clerk_still_texts_a_code(client, ct, wang):
    with time_machine.travel(at("2025-03-04 10:30"), tick=False):
        _citizens_ask_twenty_codes()
        client.force_login(ct.town.wendy)
        sent, code = _text_code(client, wang)
    assert not sent.context.get("orders_problem")
    assert code


def test_the_clerks_codes_leave_the_citizens_asks_from_the_hall_alone(client, ct, wang):
    with time_machine.travel(at("2025-03-04 10:30"), tick=False):
        client.force_login(ct.town.wendy)
        _sent, code = _text_code(client, wang)
        assert code
        hits = limits.hits(booking_code.SENDS_PER_ADDRESS, HALL_ADDRESS)
    assert hits == 0


def test_a_clerk_who_texted_too_many_codes_is_told_so_as_a_clerk(client, ct, wang):
    with time_machine.travel(at("2025-03-04 10:30"), tick=False):
        for _ in range(orders_consent.SENDS_PER_CLERK.count):
            limits.exceeded([orders_consent.SENDS_PER_CLERK], {"clerk": str(ct.town.wendy.pk)})
        client.force_login(ct.town.wendy)
        sent, code = _text_code(client, wang)
    assert code == ""
    problem = sent.context["orders_problem"]
    assert "服务台" not in problem  # not "ask at reception": she is the hall
    assert "您本小时发送的验证码" in problem


def test_the_numbers_limits_still_hold_for_a_clerk(client, ct, wang):
    client.force_login(ct.town.wendy)
    with time_machine.travel(at("2025-03-04 10:30"), tick=False):
        _first, code = _text_code(client, wang)
        assert code
        again, second = _text_code(client, wang)  # within the minute
    assert second == ""
    assert "服务台" not in again.context["orders_problem"]
