"""The top bar takes hall staff to their own hall: Hugo (大宁路's hall manager) finds 实时看板, the
live board he runs the hall from, and 窗口工作台, his own window desk; Wendy (a clerk there) finds
her desk only; Leo (leader), who may not open a hall's live board, finds neither. Before, the
manager's 窗口工作台 led to the live board, no item named it, and his own desk was reached by
typing its address (walk-through, session 28, h8 F11). A manager of a unit with no hall is
offered no hall link at all (the desk answered 403)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from hotline.org.models import Role, Unit, UnitKind
from tests.conftest import make_user
from tests.hall.conftest import make_hall
from tests.web.test_order_pages import page

pytestmark = pytest.mark.django_db


def _nav(client, user, url: str = "/", **headers) -> dict[str, str]:
    html = page(client, user, url, **headers).content.decode()
    nav = re.search(r'<nav class="topnav">(.*?)</nav>', html, re.S)
    assert nav, html[:500]
    return {
        re.sub(r"<[^>]+>", "", label).strip(): href
        for href, label in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', nav.group(1), re.S)
    }


def test_the_hall_manager_finds_the_live_board_and_his_own_desk(client, district):
    town = make_hall(district)
    links = _nav(client, town.hugo)
    assert links["实时看板"] == reverse("hall:manage", args=["dnl"])
    assert links["窗口工作台"] == reverse("hall:desk", args=["dnl"])
    assert page(client, town.hugo, links["窗口工作台"]).status_code == 200
    english = _nav(client, town.hugo, HTTP_ACCEPT_LANGUAGE="en")
    assert english["Live board"] == reverse("hall:manage", args=["dnl"])


def test_the_live_board_is_marked_current_on_the_board(client, district):
    town = make_hall(district)
    html = page(client, town.hugo, reverse("hall:manage", args=["dnl"])).content.decode()
    board = reverse("hall:manage", args=["dnl"])
    assert f'<a href="{board}" class="active" aria-current="page">实时看板' in html


def test_a_clerk_finds_her_desk_and_no_live_board(client, district):
    town = make_hall(district)
    links = _nav(client, town.wendy)
    assert links["窗口工作台"] == reverse("hall:desk", args=["dnl"])
    assert "实时看板" not in links


def test_the_leader_is_offered_no_hall_board(client, district):
    make_hall(district)
    links = _nav(client, district.leo)
    assert "实时看板" not in links and "窗口工作台" not in links


def test_a_manager_without_a_hall_is_offered_no_hall_links(client, district):
    office = Unit.objects.create(code="no-hall", name="无大厅的中心", kind=UnitKind.SERVICE_CENTRE)
    manager = make_user("mona", office, Role.HALL_MANAGER)
    links = _nav(client, manager)
    assert "实时看板" not in links and "窗口工作台" not in links
