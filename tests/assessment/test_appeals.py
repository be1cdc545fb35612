"""申诉: Una appeals B's dissatisfied callback and overdue mark; Sam decides.

B is the street's troubled March order of tests/assessment/conftest.py."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hotline.assessment import kpis
from hotline.orders import actions
from hotline.orders.models import Action, Event
from hotline.orders.rules import InvalidInput, InvalidTransition, NotAllowed, allowed_actions
from tests.assessment.conftest import MARCH
from tests.assessment.test_kpis import ratio
from tests.conftest import at


def test_an_approved_appeal_leaves_only_that_kpi(district, march):
    before = kpis.compute(*MARCH)
    assert ratio(before, "jnl", kpis.SATISFACTION_SCORE) == (180, 3)
    b = march.b
    b.refresh_from_db()
    actions.appeal(b, district.una, kpi=kpis.SATISFACTION, reason="诉求超出政策范围，已解释")
    # Pending appeals change nothing.
    assert ratio(kpis.compute(*MARCH), "jnl", kpis.SATISFACTION_SCORE) == (180, 3)
    b.refresh_from_db()
    actions.approve_appeal(b, district.sam, note="理由成立")

    after = kpis.compute(*MARCH)
    assert ratio(after, "jnl", kpis.SATISFACTION) == (2, 2)  # B's dissatisfied verdict gone
    assert ratio(after, "jnl", kpis.SATISFACTION_SCORE) == (180, 2)  # the same verdict's points
    assert after.unit("jnl").ratios[kpis.SATISFACTION_SCORE].value == 90.0
    # Every other KPI still counts B.
    for kpi in (kpis.RESOLUTION, kpis.ON_TIME_REPLY, kpis.SIGN_FOR, kpis.REOPEN):
        assert ratio(after, "jnl", kpi) == ratio(before, "jnl", kpi)
    assert after.unit("jnl").overdue == before.unit("jnl").overdue == 1
    called_back = kpis.order_ids(kpis.SATISFACTION, district.street, *MARCH, part="denominator")
    assert b.pk not in called_back
    assert b.pk in kpis.order_ids(kpis.RESOLUTION, district.street, *MARCH, part="denominator")


def test_a_rejected_appeal_changes_no_figure(district, march):
    before = kpis.compute(*MARCH).unit("jnl").as_dict()
    b = march.b
    b.refresh_from_db()
    actions.appeal(b, district.una, kpi=kpis.OVERDUE, reason="系统故障")
    b.refresh_from_db()
    actions.reject_appeal(b, district.sam, reason="无证据")
    assert kpis.compute(*MARCH).unit("jnl").as_dict() == before
    b.refresh_from_db()
    assert b.appeal_pending == ""


def test_every_step_of_an_appeal_is_an_event_with_its_evidence(district, march):
    b = march.b
    b.refresh_from_db()
    photo = SimpleUploadedFile("现场照片.jpg", b"\xff\xd8\xff" + b"0" * 100, "image/jpeg")
    event = actions.appeal(
        b, district.una, kpi=kpis.OVERDUE, reason="停电导致无法施工", attachment=photo
    )
    assert event.payload == {"kpi": "overdue", "attachment": "现场照片.jpg"}
    assert event.attachments.get().name == "现场照片.jpg"
    b.refresh_from_db()
    assert b.appeal_pending == "overdue"
    actions.approve_appeal(b, district.sam, now=at("2023-04-02 10:00"))
    steps = list(
        Event.objects.filter(order=b, action__in=[Action.APPEAL, Action.APPROVE_APPEAL])
        .order_by("seq")
        .values_list("action", "actor__username", "payload__kpi")
    )
    assert steps == [("appeal", "una", "overdue"), ("approve_appeal", "sam", "overdue")]
    assert kpis.compute(*MARCH).unit("jnl").overdue == 0


def test_one_appeal_waits_at_a_time_and_a_kpi_is_approved_once(district, march):
    b = march.b
    b.refresh_from_db()
    actions.appeal(b, district.una, kpi=kpis.OVERDUE, reason="停电")
    b.refresh_from_db()
    with pytest.raises(InvalidTransition):
        actions.appeal(b, district.una, kpi=kpis.REOPEN, reason="另一事项")
    actions.approve_appeal(b, district.sam)
    b.refresh_from_db()
    with pytest.raises(InvalidTransition):
        actions.appeal(b, district.una, kpi=kpis.OVERDUE, reason="再次申诉")
    with pytest.raises(InvalidTransition):
        actions.approve_appeal(b, district.sam)


def test_appeals_need_a_reason_and_a_known_kpi(district, march):
    b = march.b
    b.refresh_from_db()
    with pytest.raises(InvalidInput):
        actions.appeal(b, district.una, kpi=kpis.OVERDUE, reason="  ")
    with pytest.raises(InvalidInput):
        actions.appeal(b, district.una, kpi="volume", reason="工单量太大")


def test_only_the_lead_unit_appeals_and_only_a_supervisor_decides(district, march):
    b = march.b
    b.refresh_from_db()
    with pytest.raises(NotAllowed):
        actions.appeal(b, district.victor, kpi=kpis.OVERDUE, reason="不是我的")
    actions.appeal(b, district.una, kpi=kpis.OVERDUE, reason="停电")
    b.refresh_from_db()
    for person in (district.dan, district.leo, district.una):
        with pytest.raises(NotAllowed):
            actions.approve_appeal(b, person)


def test_appeal_is_offered_only_for_orders_that_count_against_the_unit(district, march):
    a, b = march.a, march.b
    a.refresh_from_db()
    b.refresh_from_db()
    assert kpis.negative_kpis(a) == []  # on time, contacted, resolved, satisfied
    assert Action.APPEAL not in allowed_actions(a, district.una)
    assert set(kpis.negative_kpis(b)) >= {kpis.SIGN_FOR, kpis.OVERDUE, kpis.SATISFACTION}
    assert Action.APPEAL in allowed_actions(b, district.una)
    assert Action.APPROVE_APPEAL not in allowed_actions(b, district.sam)
    actions.appeal(b, district.una, kpi=kpis.OVERDUE, reason="停电")
    b.refresh_from_db()
    assert Action.APPEAL not in allowed_actions(b, district.una)
    assert {Action.APPROVE_APPEAL, Action.REJECT_APPEAL} <= set(allowed_actions(b, district.sam))
