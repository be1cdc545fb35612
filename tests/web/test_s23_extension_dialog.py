"""The extension decision says what is approved: the days the unit asked for and the reply
deadline before and after, as approving will set it (h5, session 23, L3: the dialog held only
a note box; the days were in the timeline further down)."""

from __future__ import annotations

import re

import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hotline.orders import actions
from hotline.orders.models import State
from tests.conftest import at
from tests.orders.factory import order_in


def _dialog(html: str, action: str) -> str:
    found = re.search(rf'<details[^>]*data-action="{action}"[^>]*>.*?</details>', html, re.S)
    assert found, f"no {action} dialog"
    return found.group(0)


def _shown(when) -> str:
    return timezone.localtime(when).strftime("%Y-%m-%d %H:%M")


def test_the_approval_dialog_names_the_days_and_both_deadlines(district):
    with time_machine.travel(at("2026-11-30 10:00"), tick=False):
        order = order_in(State.ACCEPTED, district)
        before = order.reply_due
        actions.request_extension(order, district.una, days=7, reason="需协调电力公司更换电缆")
        dan = Client()
        dan.force_login(district.dan)
        html = dan.get(reverse("order_detail", args=[order.number])).content.decode()
        said = re.search(
            r"申请延期 7 个工作日，办结时限将由 (\S+ \S+) 改为 (\S+ \S+)。",
            _dialog(html, "approve_extension"),
        )
        assert said, _dialog(html, "approve_extension")
        assert said.group(1) == _shown(before)

        # What it said is what approving does.
        order.refresh_from_db()
        dan.post(
            reverse("order_act", args=[order.number, "approve_extension"]),
            {"version": order.version, "note": ""},
        )
        order.refresh_from_db()
        assert order.extension_days is None
        assert _shown(order.reply_due) == said.group(2) != said.group(1)


def test_english_too(district):
    with time_machine.travel(at("2026-11-30 10:00"), tick=False):
        order = order_in(State.ACCEPTED, district)
        actions.request_extension(order, district.una, days=3, reason="需协调物业")
        dan = Client(HTTP_ACCEPT_LANGUAGE="en")
        dan.force_login(district.dan)
        html = dan.get(reverse("order_detail", args=[order.number])).content.decode()
        assert re.search(
            r"Extension of 3 working days asked for: the reply deadline moves from \S+ \S+ to "
            r"\S+ \S+\.",
            _dialog(html, "approve_extension"),
        )
