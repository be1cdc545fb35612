"""A code not sent says which limit refused it, on the booking page and in the log.

Zhang asks for a booking code from home (10.6.6.6). Each of the code limits, reached, tells him
what to do: a code went to his number less than a minute ago (ask again in so many seconds); his
address asked for too many codes this hour; his number had its five codes a day from his address,
its five an hour, or its ten a day (try tomorrow, within the hour). The log records which limit
refused, with neither number nor address. Before, the minute's refusal said only "wait a minute"
and nothing was logged."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
import time_machine

from hotline.security import texted_code
from tests.conftest import at
from tests.hall.booking_by_code import ask_for_code, use_up
from tests.hall.conftest import open_slot

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
HOME = "10.6.6.6"
URL = "/hall/dnl/book/"
NOW = "2023-03-09 10:00:20"


def _form(town, slot):
    return {"matter": town.residence.pk, "slot": slot.pk, "phone": PHONE, "name": "张三"}


KEY = texted_code.number_key(PHONE)
SENDER = (texted_code.SENDS_PER_ADDRESS, HOME)
FROM_SENDER = (texted_code.SENDS_PER_PHONE_FROM, f"{KEY}@{HOME}")
HOUR = (texted_code.SENDS_PER_PHONE, KEY)
DAY = (texted_code.SENDS_PER_PHONE_DAY, KEY)


@pytest.mark.parametrize(
    ("reason", "reached", "english", "chinese"),
    [
        (
            "sender",
            SENDER,
            "Too many codes asked for. Try again later, or ask at reception.",
            "获取验证码次数过多，请稍后再试，或到服务台咨询。",
        ),
        (
            "number-from-sender",
            FROM_SENDER,
            "A number gets at most 5 codes a day from one address. Try again tomorrow",
            "同一地址每天最多向一个号码发送 5 条验证码。请明天再试",
        ),
        (
            "number-hour",
            HOUR,
            "A number gets at most 5 codes an hour. Try again within the hour",
            "每个号码每小时最多接收 5 条验证码。",
        ),
        (
            "number-day",
            DAY,
            "A number gets at most 10 codes a day. Try again tomorrow",
            "每个号码每天最多接收 10 条验证码。请明天再试",
        ),
    ],
)
def test_each_limit_says_itself_on_the_page_and_in_the_log(
    client, town, caplog, reason, reached, english, chinese
):
    slot = open_slot(town, dt.date(2023, 3, 10), capacity=2)
    with time_machine.travel(at(NOW), tick=False):
        use_up(*reached)
        with caplog.at_level(logging.INFO, logger="hotline.security.texted_code"):
            refused, code = ask_for_code(
                client, URL, _form(town, slot), REMOTE_ADDR=HOME, HTTP_ACCEPT_LANGUAGE="en"
            )
        assert refused.status_code == 422 and not code
        assert english in refused.content.decode()
        assert f"book code not sent: {reason}" in caplog.text
        assert PHONE not in caplog.text and HOME not in caplog.text
        zh, _code = ask_for_code(client, URL, _form(town, slot), REMOTE_ADDR=HOME)
    assert chinese in zh.content.decode()


def test_a_code_asked_again_within_the_minute_says_how_many_seconds_to_wait(client, town, caplog):
    slot = open_slot(town, dt.date(2023, 3, 10), capacity=2)
    with time_machine.travel(at("2023-03-09 10:00:00"), tick=False):
        assert ask_for_code(client, URL, _form(town, slot), REMOTE_ADDR=HOME)[1]
    with time_machine.travel(at(NOW), tick=False):
        # A fresh form (another tab): not the same sending, so it is refused, not found again.
        with caplog.at_level(logging.INFO, logger="hotline.security.texted_code"):
            refused, code = ask_for_code(
                client, URL, _form(town, slot), REMOTE_ADDR=HOME, HTTP_ACCEPT_LANGUAGE="en"
            )
        assert refused.status_code == 422 and not code
        assert "You can ask for another in 40 seconds." in refused.content.decode()
        assert "book code not sent: gap" in caplog.text
    with time_machine.travel(at("2023-03-09 10:00:45"), tick=False):
        zh, _code = ask_for_code(client, URL, _form(town, slot), REMOTE_ADDR=HOME)
    assert "请 15 秒后再重新获取" in zh.content.decode()
    with time_machine.travel(at("2023-03-09 10:00:59"), tick=False):
        last, _code = ask_for_code(
            client, URL, _form(town, slot), REMOTE_ADDR=HOME, HTTP_ACCEPT_LANGUAGE="en"
        )
    assert "You can ask for another in 1 second." in last.content.decode()
