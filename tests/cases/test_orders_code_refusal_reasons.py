"""A consent code not texted tells the clerk which limit refused it, and the log records it.

Wendy texts Mr Wang a code for his 12345 orders on his case. Before, every refusal of the
number's limits read the same ("this number has just had a code, or as many codes as it may
get for now… try again in a few minutes"), whether he had had a code twenty seconds ago or ten
today; now the page says which: text another in so many seconds, she has texted his number as
many codes as she may today, his number has had its codes for the hour (try again in so many
minutes) or for the day (try tomorrow). Her own hour is said as before. Nothing of his number
or of her address goes to the log, only the limit's name."""

from __future__ import annotations

import logging

import pytest
import time_machine

from hotline.cases import orders_consent
from hotline.cases.models import Case
from hotline.hall import identity
from hotline.security import texted_code
from tests.cases.conftest import serve
from tests.cases.test_citizen_orders import WANG, _text_code
from tests.conftest import at
from tests.hall.booking_by_code import use_up

pytestmark = pytest.mark.django_db
NOW = "2025-03-04 10:30"
LOG = "hotline.security.texted_code"


@pytest.fixture
def wang(ct) -> Case:
    """Mr Wang's case at Wendy's window (she saw his ID)."""
    _ticket, case = serve(
        ct, ct.residence, at("2025-03-04 10:00"), holder_key=identity.holder_key(phone=WANG)
    )
    return case


def _reached(ct, reason: str) -> None:
    """The limit of ``reason`` reached for Wendy texting Mr Wang's number."""
    key, wendy = texted_code.number_key(WANG), ct.town.wendy.pk
    use_up(
        *{
            "sender": (orders_consent.SENDS_PER_CLERK, str(wendy)),
            "number-from-sender": (texted_code.SENDS_PER_PHONE_FROM, f"{key}@staff-{wendy}"),
            "number-hour": (texted_code.SENDS_PER_PHONE, key),
            "number-day": (texted_code.SENDS_PER_PHONE_DAY, key),
        }[reason]
    )


@pytest.mark.parametrize(
    ("reason", "english", "chinese"),
    [
        (
            "sender",
            "You have texted as many codes as you may this hour (20). Try again later.",
            "您本小时发送的验证码已达上限（20条），请稍后再试。",
        ),
        (
            "number-from-sender",
            "You have texted this number as many codes as you may in a day (5). Try again "
            "tomorrow.",
            "您今日向该号码发送的验证码已达上限（5条），请明天再试。",
        ),
        (
            "number-hour",
            "This number has had as many codes as it may get in an hour (5, the hall's booking "
            "codes included). Try again in 60 minutes.",
            "该号码一小时内收到的验证码已达上限（5条，含大厅预约验证码），请 60 分钟后再试。",
        ),
        (
            "number-day",
            "This number has had as many codes as it may get in a day (10, the hall's booking "
            "codes included). Try again tomorrow.",
            "该号码今日收到的验证码已达上限（10条，含大厅预约验证码），请明天再试。",
        ),
    ],
)
def test_each_limit_is_told_to_the_clerk_and_logged(
    client, ct, wang, caplog, reason, english, chinese
):
    client.force_login(ct.town.wendy)
    with time_machine.travel(at(NOW), tick=False):
        _reached(ct, reason)
        with caplog.at_level(logging.INFO, logger=LOG):
            refused, code = _text_code(client, wang, HTTP_ACCEPT_LANGUAGE="en")
        assert code == ""
        assert refused.context["orders_problem"] == english
        assert f"orders code not sent: {reason}" in caplog.text
        assert WANG not in caplog.text
        zh, _code = _text_code(client, wang)
    assert zh.context["orders_problem"] == chinese


def test_a_second_code_within_the_minute_says_how_many_seconds_to_wait(client, ct, wang):
    client.force_login(ct.town.wendy)
    with time_machine.travel(at("2025-03-04 10:30:00"), tick=False):
        assert _text_code(client, wang)[1]
    with time_machine.travel(at("2025-03-04 10:30:25"), tick=False):
        again, code = _text_code(client, wang, HTTP_ACCEPT_LANGUAGE="en")
        assert code == ""
        assert again.context["orders_problem"] == (
            "A code was texted to this number less than a minute ago. You can text another in "
            "35 seconds."
        )
        zh, _code = _text_code(client, wang)
    assert zh.context["orders_problem"] == "一分钟内已向该号码发送过验证码，35 秒后可重新发送。"
