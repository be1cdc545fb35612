"""The manager's live board as Hugo reads it: today's share of waits over the service level as a
percentage (it read "0.33"), and the labels' colons in the reader's language."""

from __future__ import annotations

import pytest
import time_machine

from hotline.hall import actions
from tests.conftest import at

pytestmark = pytest.mark.django_db


def test_hugo_reads_the_share_over_the_service_level_as_a_percentage(client, town):
    town.hall.service_level_minutes = 20
    town.hall.save(update_fields=["service_level_minutes"])
    actions.sign_in(town.w1, town.wendy)
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        actions.issue(town.hall, town.residence)
    # Called after 25 minutes: over the 20-minute service level, the only wait today.
    with time_machine.travel(at("2023-03-09 10:25"), tick=False):
        assert actions.call_next(town.w1, town.wendy) is not None
    client.force_login(town.hugo)
    with time_machine.travel(at("2023-03-09 10:26"), tick=False):
        en = client.get(f"/hall/{town.hall.code}/manage/", HTTP_ACCEPT_LANGUAGE="en")
        zh = client.get(f"/hall/{town.hall.code}/manage/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "100% over the service level" in en.content.decode()
    page = zh.content.decode()
    assert "100%超出服务时限" in page
    assert "当前最长等候：" in page and "当前最长等候:" not in page
