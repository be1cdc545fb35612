"""The case page told a clerk whether a typed number is the applicant's — the number the hall does
not keep — at once and without limit: "not the number this case was opened under" for a wrong
one, "text a code" for the right one. A clerk found a known applicant's number in 124 guesses in
6.5 s, unrecorded (attack, session 23). Now no number is compared without consent on the listing,
and the send path compares no more numbers than the clerk may ask codes for in an hour."""

from __future__ import annotations

import pytest
import time_machine

from hotline.cases import orders_consent
from tests.cases.test_citizen_orders import WANG, _text_code, _url
from tests.cases.test_orders_code_clerk_limit import wang  # noqa: F401 - the fixture
from tests.conftest import at

pytestmark = pytest.mark.django_db

WRONG_NUMBER = "这不是该办件登记时使用的手机号码"


def test_without_consent_a_listing_compares_no_number(client, ct, wang):  # noqa: F811
    client.force_login(ct.town.wendy)
    with time_machine.travel(at("2025-03-04 10:30"), tick=False):
        wrong = client.post(_url(wang), {"phone": "13900000000", "step": "show"})
        right = client.post(_url(wang), {"phone": WANG, "step": "show"})
    # Both say the same: consent first. Before, the wrong one said it was the wrong number.
    for response in (wrong, right):
        page = response.content.decode()
        assert WRONG_NUMBER not in page
        assert "同意" in page or "验证码" in page


def test_the_send_path_compares_no_more_numbers_than_the_clerks_hour(client, ct, wang):  # noqa: F811
    client.force_login(ct.town.wendy)
    allowed = orders_consent.SENDS_PER_CLERK.count
    with time_machine.travel(at("2025-03-04 10:30"), tick=False):
        for i in range(allowed):
            response, code = _text_code(client, wang, phone=f"1390000{i:04d}")
            assert WRONG_NUMBER in response.content.decode() and code == ""
        # The right number, guessed next: refused by the clerk's hour, not compared.
        response, code = _text_code(client, wang, phone=WANG)
    page = response.content.decode()
    assert code == "" and WRONG_NUMBER not in page
    assert "您本小时发送的验证码" in page
