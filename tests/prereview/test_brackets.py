"""The pre-review queue's tabs count in brackets: full width in zh-Hans (待决定（1）), half width
after a space in English (Waiting for a decision (1)). Chen Li has filed one pre-review."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_queue_tabs_count_in_each_languages_brackets(pt):
    pt.chen_files()
    client = Client()
    client.login(username=pt.wendy.username, password=PASSWORD)
    zh = client.get("/prereview/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "待决定（1）" in zh and "已审核（0）" in zh and " (1)" not in zh
    en = client.get("/prereview/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Waiting for a decision (1)" in en and "Decided (0)" in en
