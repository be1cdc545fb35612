"""With the logging adapter in NOTIFIERS beside a gateway (docs/deploy.md's sample kept it), every
texted link was written whole to the log with DEBUG off: the rating holder's key link (whoever
reads the logs rated the visit as its holder) and the pre-review links (attack, session 24, F).
Their keys now travel as the message's secret, which the logger masks as it masks codes."""

from __future__ import annotations

import logging
from types import SimpleNamespace

import pytest
from django.test import override_settings

from hotline.prereview.actions._core import text_citizen
from hotline.prereview.actions.inviting import _text as text_invitation
from tests.ratings.test_one_clerk_hall import (
    ZHANG,
    Outbox,
    _ask_for_the_link,
    _served_by_the_one_clerk,
)

pytestmark = pytest.mark.django_db

LOGGED = ["hotline.orders.notify.LoggingNotifier", "tests.ratings.test_one_clerk_hall.Outbox"]
TOKEN = "Pq7xZ2mK9vLr3TnW5yHb1A"


@override_settings(DEBUG=False, NOTIFIERS=LOGGED)
def test_the_rating_holders_link_is_not_logged(town, django_capture_on_commit_callbacks, caplog):
    Outbox.sent.clear()
    ticket = _served_by_the_one_clerk(town)
    with caplog.at_level(logging.INFO, logger="hotline.notify"):
        _ask_for_the_link(ticket, ZHANG, django_capture_on_commit_callbacks)
    (message,) = Outbox.sent
    key = message.text.rstrip("/").rsplit("/", 1)[-1]
    assert "/ratings/r/" in message.text and message.secret == key
    assert "[hall_rating_link]" in caplog.text and "/ratings/r/" in caplog.text
    assert key not in caplog.text


def _hall():
    return SimpleNamespace(code="dnl", unit=SimpleNamespace(name="大宁路街道社区事务受理服务中心"))


@override_settings(DEBUG=False, NOTIFIERS=LOGGED)
def test_the_pre_review_links_are_not_logged(django_capture_on_commit_callbacks, caplog):
    Outbox.sent.clear()
    review = SimpleNamespace(number="YS-0001", hall=_hall(), token=TOKEN)
    invitation = SimpleNamespace(
        hall=_hall(), matter=SimpleNamespace(code="jzz", name="居住证"), token=TOKEN
    )
    logged = caplog.at_level(logging.INFO, logger="hotline.notify")
    with logged, django_capture_on_commit_callbacks(execute=True):
        text_citizen(review, ZHANG, f"status: https://12345.example/pr/s/{TOKEN}/", "submit")
        text_invitation(invitation, ZHANG, "https://12345.example")
    assert len(Outbox.sent) == 2 and all(TOKEN in m.text for m in Outbox.sent)
    assert "[prereview_submit]" in caplog.text and "[prereview_invite]" in caplog.text
    assert TOKEN not in caplog.text


def test_deploy_md_production_sample_does_not_log_texts():
    from pathlib import Path

    deploy = (Path(__file__).resolve().parents[2] / "docs" / "deploy.md").read_text()
    (sample,) = [line for line in deploy.splitlines() if line.startswith("NOTIFIERS=")]
    assert "LoggingNotifier" not in sample and "HttpSmsNotifier" in sample
