"""A co-unit's notes tell the units holding the order at most three times an hour (h4, session 28).

Victor of 区民政局, a co-unit (协办) on Una's order at 江宁路街道, writes notes on it. Each note
texted the street's contact phone and e-mailed its members, with no limit: one handler could
flood the street. Now three notices an hour per co-unit and order; a fourth note is kept on the
order all the same, marked as held, and Victor is told that no text or e-mail went with it. Time
is frozen at Monday 2026-12-07 09:40 in Shanghai.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from hotline.orders import actions
from hotline.orders.models import Event
from hotline.org.models import PeerGroup, Role, Unit, UnitKind
from tests.conftest import at, make_user
from tests.orders.factory import new_order

MORNING = at("2026-12-07 09:40")


@pytest.fixture
def told(caplog, django_capture_on_commit_callbacks):
    def run(step) -> list[tuple[str, str]]:
        caplog.clear()
        with (
            caplog.at_level("INFO", logger="hotline.notify"),
            django_capture_on_commit_callbacks(execute=True),
        ):
            step()
        return sorted((r.args[0], r.args[1]) for r in caplog.records if r.name == "hotline.notify")

    return run


@pytest.fixture
def order(district):
    d = district
    with time_machine.travel(MORNING - dt.timedelta(hours=1), tick=False):
        order = new_order(d)
        actions.dispatch(order, d.dan, lead_unit=d.street, co_units=[d.bureau])
        actions.accept(order, d.una)
    return order


def _note(order, who, text):
    return lambda: actions.comment(order, who, text=text)


def test_victors_fourth_note_in_the_hour_is_kept_without_a_notice(district, order, told):
    d = district
    with time_machine.travel(MORNING, tick=False):
        for n in range(3):
            assert told(_note(order, d.victor, f"第{n + 1}次：名单已核对。")) == [
                ("江宁路街道", "comment")
            ]
        assert told(_note(order, d.victor, "第4次：补充说明。")) == []
    fourth = Event.objects.filter(order=order, action="comment").order_by("seq").last()
    assert fourth.reason == "第4次：补充说明。" and actions.co_unit_notice_held(fourth)


def test_an_hour_later_his_note_tells_the_street_again(district, order, told):
    d = district
    with time_machine.travel(MORNING, tick=False):
        for n in range(4):
            told(_note(order, d.victor, f"第{n + 1}次"))
    with time_machine.travel(MORNING + dt.timedelta(hours=1, seconds=1), tick=False):
        assert told(_note(order, d.victor, "一小时后")) == [("江宁路街道", "comment")]


def test_the_limit_is_per_co_unit_and_per_order(district, order, told):
    d = district
    housing = Unit.objects.create(
        code="fgj", name="区房管局", kind=UnitKind.BUREAU, peer_group=PeerGroup.BUREAUS
    )
    hao = make_user("hao", housing, Role.UNIT_HANDLER)
    with time_machine.travel(MORNING - dt.timedelta(minutes=30), tick=False):
        both = new_order(d)
        actions.dispatch(both, d.dan, lead_unit=d.street, co_units=[d.bureau, housing])
    with time_machine.travel(MORNING, tick=False):
        for _n in range(3):
            told(_note(both, d.victor, "民政意见"))
        assert told(_note(both, d.victor, "民政意见")) == []
        # Hao's unit has its own three; Victor's notes on another order have theirs.
        assert told(_note(both, hao, "房管意见")) == [("江宁路街道", "comment")]
        assert told(_note(order, d.victor, "另一工单")) == [("江宁路街道", "comment")]


def test_the_streets_own_notes_are_not_counted(district, order, told):
    d = district
    with time_machine.travel(MORNING, tick=False):
        for _n in range(5):
            told(_note(order, d.una, "已安排人员现场查看。"))
        assert told(_note(order, d.victor, "民政意见")) == [("江宁路街道", "comment")]
    assert not any(
        actions.co_unit_notice_held(e) for e in Event.objects.filter(order=order, action="comment")
    )


def test_victor_is_told_on_the_page_that_no_text_went(district, order):
    d = district
    client = Client()
    client.force_login(d.victor)
    url = f"/orders/{order.number}/act/comment"
    with time_machine.travel(MORNING, tick=False):
        for n in range(3):
            client.post(url, {"text": f"第{n + 1}次"}, HTTP_ACCEPT_LANGUAGE="en")
        page = client.post(url, {"text": "第4次"}, HTTP_ACCEPT_LANGUAGE="en", follow=True)
    said = page.content.decode()
    assert "were told of 3 notes of your unit in the last hour" in said
    assert "without another text or e-mail" in said
    assert Event.objects.filter(order=order, action="comment").count() == 4
