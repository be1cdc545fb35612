"""The HTTP SMS gateway adapter, against a real HTTP server on this machine (no mocks)."""

from __future__ import annotations

import hashlib
import hmac
import logging
import threading
from collections.abc import Iterator

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from hotline.env import env_sms_gateway_url
from hotline.orders import notify
from tests.sms_gateway import NOTIFIER, Gateway, running_gateway


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    with running_gateway() as gw:
        yield gw


def message(text: str = "您的验证码：482913", phones: tuple[str, ...] = ("13812345678",)):
    return notify.Message(
        order_number="A012",
        action="booking_code",
        unit_name="大宁路街道社区事务受理服务中心",
        recipients_phone=phones,
        recipients_email=(),
        text=text,
        secret="482913",
    )


def send(msg: notify.Message) -> None:
    for notifier in notify.notifiers():
        notifier.send(msg)
    notify.wait_for_texts()


def test_each_recipient_gets_one_signed_post(gateway):
    send(message(phones=("13812345678", "13900001111")))

    assert sorted(body["to"] for _, body in gateway.received) == ["13812345678", "13900001111"]
    headers, body = gateway.received[0]
    # The gateway gets the whole text, code and all: it is the one that delivers it.
    assert body["text"] == "您的验证码：482913"
    assert body["reference"] == "A012" and body["kind"] == "booking_code"
    assert headers["authorization"] == "Bearer gateway-token"
    assert headers["content-type"] == "application/json; charset=utf-8"
    expected = hmac.new(b"signing-secret", headers["body"].encode(), hashlib.sha256).hexdigest()
    assert headers["x-hotline-signature"] == f"sha256={expected}"


def test_the_sender_does_not_wait_for_the_gateway(gateway):
    # A request that texts a code answers while the gateway is still working: the citizen does
    # not wait on it, and the answer's timing does not tell whether a text went out. The
    # gateway answers a second after it is asked; a sender that waited would see the answer.
    gateway.hold.clear()
    threading.Timer(1.0, gateway.hold.set).start()
    with override_settings(SMS_GATEWAY_TIMEOUT=10):
        for notifier in notify.notifiers():
            notifier.send(message())
        assert not gateway.answered.is_set()
        notify.wait_for_texts()
    assert gateway.answered.is_set()
    assert len(gateway.received) == 1


@pytest.mark.parametrize("status", [500, 403, 302])
def test_a_refused_text_is_logged_masked_and_nothing_else_breaks(gateway, caplog, status):
    gateway.status = status
    gateway.location = "http://example.invalid/elsewhere" if status == 302 else ""
    with caplog.at_level(logging.WARNING, logger="hotline.notify"):
        send(message())
    # Only the one POST: a redirect is not followed.
    assert len(gateway.received) == 1
    logged = caplog.text
    assert "SMS gateway HttpSmsNotifier failed for A012" in logged
    assert "*******5678" in logged
    assert "13812345678" not in logged and "482913" not in logged


def test_no_answer_within_the_timeout_is_a_failure(gateway, caplog):
    gateway.hold.clear()
    with override_settings(SMS_GATEWAY_TIMEOUT=1), caplog.at_level(logging.WARNING):
        for notifier in notify.notifiers():
            notifier.send(message())
        notify.wait_for_texts()
    gateway.hold.set()
    assert "SMS gateway HttpSmsNotifier failed for A012" in caplog.text


def test_without_a_token_or_secret_no_such_headers(gateway):
    with override_settings(SMS_GATEWAY_TOKEN="", SMS_GATEWAY_SECRET=""):
        send(message())
    headers, _ = gateway.received[0]
    assert "authorization" not in headers and "x-hotline-signature" not in headers


def test_the_gateway_address_must_not_carry_texts_in_clear():
    assert env_sms_gateway_url("SMS_GATEWAY_URL", {}) == ""
    for good in ("https://sms.example.gov.cn/send", "http://127.0.0.1:9000/", "http://localhost/x"):
        assert env_sms_gateway_url("SMS_GATEWAY_URL", {"SMS_GATEWAY_URL": good}) == good
    for bad in ("http://sms.example.gov.cn/send", "file:///etc/passwd", "ftp://x/", "https://"):
        with pytest.raises(ImproperlyConfigured, match="SMS_GATEWAY_URL must be an https"):
            env_sms_gateway_url("SMS_GATEWAY_URL", {"SMS_GATEWAY_URL": bad})


def test_naming_the_adapter_without_a_gateway_stops_start_up(tmp_path):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import hotline.settings"],
        env={
            "DEBUG": "true",
            "PATH": "",
            "HOTLINE_DATA_DIR": str(tmp_path),
            "NOTIFIERS": NOTIFIER,
        },
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "NOTIFIERS names HttpSmsNotifier: set SMS_GATEWAY_URL" in result.stderr


class Recording(notify.SmsNotifier):
    """An operator's own adapter: only ``deliver`` written, the way the interface asks."""

    texts: list[tuple[str, str, str]] = []

    def deliver(self, phone: str, text: str) -> None:
        self.texts.append((phone, text, threading.current_thread().name))


def test_an_own_adapter_delivers_off_the_request_too():
    Recording.texts.clear()
    with override_settings(NOTIFIERS=["tests.orders.test_sms_gateway.Recording"]):
        send(message())
    [(phone, text, thread)] = Recording.texts
    assert phone == "13812345678" and text == "您的验证码：482913"
    assert thread.startswith("sms-gateway")
