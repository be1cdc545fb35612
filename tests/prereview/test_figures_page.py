"""The hall's pre-review page shows its figures for this month so far and last month, with the
links 12345 operators texted for the hall and the pre-reviews filed from them (they were computed
but shown nowhere). Olga texted two links on 2026-02-20 (陈丽 filed from hers the next day) and one
on 2026-03-09; 陈丽's neighbour filed a plain pre-review on 2026-03-09. Hugo reads the page at
16:00 that day."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.test import Client

from hotline.prereview import actions
from tests.conftest import PASSWORD, at
from tests.prereview.conftest import CHEN_PHONE, pdf

pytestmark = pytest.mark.django_db

SITE = "https://12345.example.cn/"


def _invite(pt, phone: str, when: str):
    olga = pt.ct.town.district.olga
    return actions.invite(olga, phone, pt.hall, pt.residence, site=SITE, now=at(when))


def _row(page: str, figure: str) -> list[str]:
    row = page.split(f'data-figure="{figure}"', 1)[1].split("</tr>", 1)[0]
    return re.findall(r"<td>(.*?)</td>", row)


def test_hugo_sees_the_links_sent_and_the_pre_reviews_filed_from_them(pt):
    chen = _invite(pt, CHEN_PHONE, "2026-02-20 10:00")
    _invite(pt, "13700001111", "2026-02-20 11:00")
    with time_machine.travel(at("2026-02-21 09:00"), tick=False):
        actions.submit(
            pt.hall, pt.residence, name="陈丽", phone=CHEN_PHONE,
            uploads={pt.id_card.pk: pdf()}, invitation=chen,
        )  # fmt: skip
    _invite(pt, "13600002222", "2026-03-09 10:00")
    with time_machine.travel(at("2026-03-09 11:00"), tick=False):
        actions.submit(
            pt.hall, pt.residence, name="李四", phone="13500003333",
            uploads={pt.id_card.pk: pdf()},
        )  # fmt: skip
    hugo = Client()
    hugo.login(username=pt.hugo.username, password=PASSWORD)
    with time_machine.travel(at("2026-03-09 16:00"), tick=False):
        zh = hugo.get("/prereview/").content.decode()
        en = hugo.get("/prereview/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # Columns: this month so far (03-01 – 03-09), last month (02-01 – 02-28).
    assert "03-01 – 03-09" in zh and "02-01 – 02-28" in zh
    assert _row(zh, "invited") == ["1", "2"]
    assert _row(zh, "from-hotline") == ["0", "1"]
    assert _row(zh, "submitted") == ["1", "1"]
    assert "12345发送的预审链接" in zh and "经12345链接提交的预审" in zh
    assert "Pre-review links texted from 12345" in en
    assert "Pre-reviews filed from a 12345 link" in en


def test_a_clerk_of_the_hall_sees_the_same_figures_and_nobody_else_any(pt):
    _invite(pt, CHEN_PHONE, "2026-03-02 10:00")
    wendy = Client()
    wendy.login(username=pt.wendy.username, password=PASSWORD)
    xavier = Client()
    xavier.login(username=pt.xavier.username, password=PASSWORD)
    with time_machine.travel(at("2026-03-09 16:00"), tick=False):
        assert _row(wendy.get("/prereview/").content.decode(), "invited") == ["1", "0"]
        # The other hall's page counts its own links: none.
        assert _row(xavier.get("/prereview/").content.decode(), "invited") == ["0", "0"]
