"""An order's merged children (重复件) are links only for those who may open them: a unit sent
the parent saw its children as links that answered 404 (h5, session 23, M3). Who sees what is
unchanged: the child stays closed to the unit."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from hotline.orders import actions
from tests.orders.factory import new_order


def _merged_and_dispatched(district):
    parent = new_order(district, street=district.street)
    child = new_order(district, street=district.street, title="路灯又不亮了")
    actions.merge(child, district.olga, parent=parent)
    actions.dispatch(parent, district.dan, lead_unit=district.street)
    return parent, child


def _duplicates_line(html: str) -> str:
    # The line that lists the merged children (重复件), as the page shows it.
    found = re.search(r"<p[^>]*>重复件：.*?</p>", html, re.S)
    assert found, "no duplicates line"
    return found.group(0)


def test_a_unit_handler_sees_the_childs_number_without_a_link(district):
    parent, child = _merged_and_dispatched(district)
    una = Client()
    una.force_login(district.una)
    line = _duplicates_line(una.get(reverse("order_detail", args=[parent.number])).content.decode())
    assert child.number in line
    assert reverse("order_detail", args=[child.number]) not in line
    # Still closed to her: the number is shown, the order is not.
    assert una.get(reverse("order_detail", args=[child.number])).status_code == 404


def test_those_who_open_the_child_keep_the_link(district):
    parent, child = _merged_and_dispatched(district)
    dan = Client()
    dan.force_login(district.dan)
    line = _duplicates_line(dan.get(reverse("order_detail", args=[parent.number])).content.decode())
    assert f'href="{reverse("order_detail", args=[child.number])}"' in line
    page = dan.get(reverse("order_detail", args=[child.number])).content.decode()
    assert f'href="{reverse("order_detail", args=[parent.number])}"' in page
