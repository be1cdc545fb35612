"""Brackets around a count or note after a label on the hall's pages: full width and no space in
zh-Hans (本窗口等候（1）, GB/T 15834), a space and half-width in English (Waiting for this window
(1)). One translatable pattern does it (hotline/hall/templatetags/hall_tags.py: ``aside``).

Walt signs in at window 2 and pauses it for lunch (午休) with one citizen waiting; Hugo reads the
manager's page and the hall's ratings; the board shows the interleave rule 2:1."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from hotline.cases import actions as cases
from hotline.cases.models import LineState
from hotline.hall import actions
from hotline.hall.models import Hall, WindowState
from hotline.org.models import Role
from hotline.ratings import actions as ratings
from hotline.ratings.models import Channel
from tests.cases.conftest import make_case_town, serve
from tests.conftest import PASSWORD, at, make_user

pytestmark = pytest.mark.django_db


def _get(user, url: str, language: str) -> str:
    client = Client()
    if user is not None:
        client.login(username=user.username, password=PASSWORD)
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def paused(town):
    actions.issue(town.hall, town.residence)
    actions.sign_in(town.w2, town.walt)
    actions.set_state(town.w2, town.walt, WindowState.PAUSED, reason="午休")
    return town


def test_the_desk_counts_the_waiting_and_names_the_pause_in_each_language(paused):
    zh = _get(paused.walt, "/hall/dnl/desk/", "zh-hans")
    assert "本窗口等候（1）" in zh and "（午休）" in zh
    assert "本窗口等候 (1)" not in zh and "(午休)" not in zh
    en = _get(paused.walt, "/hall/dnl/desk/", "en")
    assert "Waiting for this window (1)" in en and " (午休)" in en


def test_the_managers_page_names_the_pause_and_the_board_the_rule(paused):
    zh = _get(paused.hugo, "/hall/dnl/manage/", "zh-hans")
    assert "（午休）" in zh and "(午休)" not in zh
    assert " (午休)" in _get(paused.hugo, "/hall/dnl/manage/", "en")
    Hall.objects.filter(pk=paused.hall.pk).update(fairness="interleave")
    # The board says the rule as a sentence since 0e9ac0f: no brackets left to get wrong.
    zh = _get(None, "/hall/dnl/board/", "zh-hans")
    assert "按2∶1交替叫号" in zh and "(2:1)" not in zh
    assert "called in turn, 2 to 1" in _get(None, "/hall/dnl/board/", "en")


def test_the_ratings_page_puts_its_rates_in_full_width_brackets(town):
    make_user("rita", town.hall.unit, Role.UNIT_HANDLER)
    with time_machine.travel(at("2023-03-09 10:30"), tick=False):
        ticket = actions.issue(town.hall, town.residence)
        actions.sign_in(town.w1, town.wendy)
        actions.call_next(town.w1, town.wendy)
        actions.start(ticket, town.wendy)
        actions.finish(ticket, town.wendy)
        ratings.rate(ticket, None, level=5, channel=Channel.QR)
        zh = _get(town.hugo, "/ratings/hall/dnl/", "zh-hans")
        en = _get(town.hugo, "/ratings/hall/dnl/", "en")
    # One 非常满意 of one: 好评 100 %, 差评 0 %.
    assert "1（100.0 %）" in zh or "1（100 %）" in zh
    assert "(100" in en and "（" not in en.split("<main", 1)[-1].split("</main>")[0]


def test_a_promised_material_says_by_when_in_brackets(district):
    ct = make_case_town(district)
    _ticket, case = serve(ct, ct.residence, at("2025-03-04 10:00"))
    line = case.submission.lines.get(name="近期照片")
    assert line.state == LineState.MISSING
    with time_machine.travel(at("2025-03-04 10:05"), tick=False):
        cases.promise(line, ct.town.wendy, text="下周带来", due=at("2025-03-10").date())
        zh = _get(ct.town.wendy, f"/cases/{case.number}/", "zh-hans")
        en = _get(ct.town.wendy, f"/cases/{case.number}/", "en")
    assert "下周带来（2025-03-10前）" in zh
    assert "下周带来 (by 2025-03-10)" in en
