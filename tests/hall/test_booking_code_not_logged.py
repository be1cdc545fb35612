"""The booking and ticket codes are the recipient's alone: the logging adapter (the demo's
"SMS", and the first name in docs/deploy.md's NOTIFIERS example) wrote them to the log, so
whoever read the logs could confirm a booking for any number (review, session 18). With DEBUG
off the code is masked there; in development it stays readable (the demo's way to see it)."""

from __future__ import annotations

import logging

import pytest

from hotline.orders import notify

pytestmark = pytest.mark.django_db


def _message() -> notify.Message:
    return notify.Message(
        order_number="",
        action="hall_booking_code",
        unit_name="大宁路街道社区事务受理服务中心",
        recipients_phone=("13912345678",),
        recipients_email=(),
        text="大宁路街道社区事务受理服务中心：您的预约验证码为295712，10分钟内有效。",
        secret="295712",
    )


def test_the_code_is_masked_in_the_log_in_production(settings, caplog):
    settings.DEBUG = False
    with caplog.at_level(logging.INFO, logger="hotline.notify"):
        notify.LoggingNotifier().send(_message())
    assert "295712" not in caplog.text and "******" in caplog.text


def test_in_development_the_log_shows_the_code(settings, caplog):
    settings.DEBUG = True
    with caplog.at_level(logging.INFO, logger="hotline.notify"):
        notify.LoggingNotifier().send(_message())
    assert "295712" in caplog.text
