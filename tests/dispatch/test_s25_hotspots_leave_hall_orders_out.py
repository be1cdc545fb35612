"""Hotspots leave a service hall's own orders out (walk-through, session 25, B-M7): the leader's
top "hot issue" was every 差评 rectification order of both halls — one templated title — named
after one ticket at one hall ("差评整改：大宁路…，排队号 D002 · 53"), read as 53 complaints about
one ticket. Rectification orders (RATING_CATEGORY) and 办不成事 referrals have their own figures
per hall; the clusters are the citizens' issues."""

from __future__ import annotations

import io

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command

from hotline.dispatch.hotspots import hotspots
from hotline.org.models import Category
from hotline.ratings.actions import refer
from tests.conftest import at
from tests.dispatch.test_hotspots import NOISE
from tests.hall.conftest import make_hall
from tests.orders.factory import new_order

pytestmark = pytest.mark.django_db
MARCH = (at("2023-03-01 00:00"), at("2023-04-01 00:00"))


def test_rectification_orders_and_referrals_make_no_hotspot(district):
    rectify = Category.objects.create(code=settings.RATING_CATEGORY, name="好差评整改")
    noise = Category.objects.create(code="hjbh-zs", name="施工噪音")
    town = make_hall(district)
    for day, ticket in enumerate(["D002", "A013", "C007", "B001"], 3):
        new_order(
            district,
            title=f"差评整改：大宁路街道社区事务受理服务中心，排队号 {ticket}",
            description=f"好差评 非常不满意。排队号 {ticket}。原因：等候时间过长",
            street=district.street,
            category=rectify,
            now=at(f"2023-03-{day:02d} 10:00"),
        )
    for day in (10, 11, 12):
        with time_machine.travel(at(f"2023-03-{day:02d} 10:00"), tick=False):
            refer(town.hall, town.wendy, what="办理居住证", why="系统故障，无法受理")
    for day, (title, text) in enumerate(NOISE[:3], 20):
        new_order(
            district,
            title=title,
            description=text,
            street=district.street,
            category=noise,
            now=at(f"2023-03-{day:02d} 10:00"),
        )
    found = hotspots(*MARCH)
    assert [(h.size, h.category_code) for h in found] == [(3, "hjbh-zs")]
    out = io.StringIO()
    call_command("hotspots", "--from", "2023-03-01", "--to", "2023-03-31", stdout=out)
    assert "差评整改" not in out.getvalue() and "办不成事" not in out.getvalue()


def test_the_leaders_hotspots_panel_says_what_it_leaves_out(client, district):
    """Leo, the leader, looking for the halls' complaints among the hotspots, is told where they
    are instead (session 26)."""
    client.force_login(district.leo)
    panel = client.get("/dashboard/hotspots?month=2023-03").content.decode()
    assert 'data-testid="hotspots-scope"' in panel
    assert "服务中心自身的工单（差评整改、办不成事转办）不计入热点" in panel
