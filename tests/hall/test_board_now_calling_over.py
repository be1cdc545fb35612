"""The wall board's "now calling" lists the visits a window is calling or serving now.

张三 was called to window 2 and served, 李四 was called and did not come: the board still listed
both under "now calling" beside the ticket just called, so a latecomer read A001 at window 2 and
went there for nothing. A visit that is over is called no more; the one called now, and the one
being served, still show.
"""

from __future__ import annotations

import re

import pytest
import time_machine

from hotline.hall import actions
from tests.conftest import at

pytestmark = pytest.mark.django_db

SHOWN = r'<li data-call data-event-id="\d+" data-number="(\w+)"[^>]*?>'


def board(client, town) -> str:
    return client.get(f"/hall/{town.hall.code}/board/", HTTP_HX_REQUEST="true").content.decode()


def test_finished_and_missed_visits_are_not_now_calling(client, town):
    actions.sign_in(town.w2, town.walt)
    actions.sign_in(town.w1, town.wendy)
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        served = actions.issue(town.hall, town.residence, holder_name="张三")
        missed = actions.issue(town.hall, town.residence, holder_name="李四")
        serving = actions.issue(town.hall, town.residence, holder_name="王五")
        called = actions.issue(town.hall, town.residence, holder_name="赵六")
    with time_machine.travel(at("2023-03-09 10:01"), tick=False):
        actions.call_next(town.w2, town.walt)
        actions.start(served, town.walt)
        actions.finish(served, town.walt)
    with time_machine.travel(at("2023-03-09 10:05"), tick=False):
        actions.call_next(town.w2, town.walt)
    with time_machine.travel(at("2023-03-09 10:11"), tick=False):  # called 6 minutes ago
        actions.no_show(missed, town.walt)
    with time_machine.travel(at("2023-03-09 10:12"), tick=False):
        actions.call_next(town.w2, town.walt)
        actions.start(serving, town.walt)
        actions.call_next(town.w1, town.wendy)
    shown = re.findall(SHOWN, board(client, town))
    assert shown == [called.number, serving.number]
    assert served.number not in shown and missed.number not in shown


def test_the_queue_rule_reads_as_a_sentence_not_the_setting(client, town):
    town.hall.fairness, town.hall.interleave_priority, town.hall.interleave_regular = (
        "interleave", 2, 1,
    )  # fmt: skip
    town.hall.save()
    page = board(client, town)
    rule = re.search(r'data-testid="queue-rule">(.*?)</p>', page, re.S)
    assert rule is not None
    assert "N priority" not in rule.group(1) and "2" in rule.group(1)
    assert "优先" in rule.group(1)  # zh-Hans, the default language
    english = client.get(
        f"/hall/{town.hall.code}/board/", HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Priority and other visitors are called in turn, 2 to 1." in english
    town.hall.fairness = "time_weighted"
    town.hall.priority_boost_minutes = 15
    town.hall.save()
    english = client.get(
        f"/hall/{town.hall.code}/board/", HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "as if they had come 15 min earlier" in english
