"""The definitions of issue 14, each on a hand-computed story (docs/kpis.md).

Deadlines are the test district's normal terms: first contact 1 working day, reply 5 working
days, both from the moment the order reaches the unit (or is reopened). March 2023 starts on a
Wednesday and has no holidays.
"""

from __future__ import annotations

import pytest
from django.test import override_settings

from hotline.assessment import kpis
from hotline.assessment.models import KpiSettings, SatisfactionMeasure
from hotline.orders.models import CallbackOutcome, ContactWay, Satisfaction
from hotline.org.models import Unit
from tests.assessment.conftest import MARCH, Story
from tests.assessment.test_kpis import ratio
from tests.conftest import at


def replied_and_reviewed(d, unit_user, day: str) -> Story:
    """Dispatched at 10:00, signed for at 11:00, contacted at 12:00, replied the next morning."""
    story = Story(d, f"{day} 09:00").handled(unit_user, f"{day} 10:00", f"{day} 11:00")
    story.do(f"{day} 12:00", "first_contact", unit_user, way=ContactWay.PHONE)
    next_day = f"{day[:-2]}{int(day[-2:]) + 1:02d}"
    return story.replied(unit_user, f"{next_day} 10:00", f"{next_day} 11:00")


def test_order_20261010_000029s_story_counts_one_reopen(district):
    # The bureau's order of the issue: called back dissatisfied, reopened, then marked overdue
    # and supervised while reopened. The old count took every event ending in "reopened": 3.
    story = replied_and_reviewed(district, district.victor, "2023-03-01")
    story.called_back("2023-03-03 10:00", resolved=False, satisfaction=Satisfaction.DISSATISFIED)
    story.do("2023-03-03 11:00", "reopen", district.sam, reason="市民反映仍未解决")
    story.order.refresh_from_db()
    story.do("2023-03-13 09:00", "mark_overdue")  # the reopened round was due 03-10 11:00
    story.do("2023-03-13 10:00", "supervise", district.sam, working_days=2)

    report = kpis.compute(*MARCH)
    assert ratio(report, "mzj", kpis.REOPEN) == (1, 1)  # one conclusion, and it was a reopen
    assert kpis.order_ids(kpis.REOPEN, district.bureau, *MARCH) == [story.order.pk]
    # Two rounds: the first contacted and replied in time, the reopened one neither.
    assert ratio(report, "mzj", kpis.FIRST_CONTACT) == (1, 2)
    assert ratio(report, "mzj", kpis.ON_TIME_REPLY) == (1, 2)
    assert ratio(report, "mzj", kpis.RESOLUTION) == (0, 1)
    assert ratio(report, "mzj", kpis.SATISFACTION) == (0, 1)
    bureau = report.unit("mzj")
    assert (bureau.overdue, bureau.supervisions) == (1, 1)
    # docs/kpis.md's worked example: (10·100 + 10·50 + 20·50 + 5·100) / 100, less one supervision.
    assert (bureau.base_score, bureau.deduction, bureau.score) == (30.0, 0.5, 29.5)


def test_an_order_counts_for_first_contact_once_its_deadline_passes(district):
    d = district
    # Sent to the bureau, which asks to give it back: still the bureau's when the deadline
    # (03-07 10:00) passes, so it counts against it; then the street's own round.
    returned = Story(d, "2023-03-06 09:00").do(
        "2023-03-06 10:00", "dispatch", d.dan, lead_unit=d.bureau
    )
    returned.do("2023-03-06 11:00", "request_return", d.victor, reason="属街道管理")
    returned.do("2023-03-08 09:00", "approve_return", d.dan, lead_unit=d.street)
    # Sent to the bureau and redispatched an hour later: the bureau never held it at the deadline.
    moved = Story(d, "2023-03-13 09:00").do(
        "2023-03-13 10:00", "dispatch", d.dan, lead_unit=d.bureau
    )
    moved.do("2023-03-13 11:00", "redispatch", d.dan, lead_unit=d.street, reason="派错单位")
    moved.do("2023-03-13 15:00", "accept", d.una)
    moved.do("2023-03-14 09:00", "first_contact", d.una, way=ContactWay.PHONE)
    # Dispatched on the 31st: its deadline is in April, not March.
    Story(d, "2023-03-31 09:00").do("2023-03-31 10:00", "dispatch", d.dan, lead_unit=d.street)

    report = kpis.compute(*MARCH)
    assert ratio(report, "mzj", kpis.FIRST_CONTACT) == (0, 1)
    # The street: the returned order's round (due 03-09 09:00, never contacted) and the moved
    # one (due 03-14 11:00, contacted 09:00).
    assert ratio(report, "jnl", kpis.FIRST_CONTACT) == (1, 2)
    assert kpis.order_ids(kpis.FIRST_CONTACT, d.street, *MARCH) == [moved.order.pk]
    april = kpis.compute(at("2023-04-01 00:00"), at("2023-05-01 00:00"))
    assert ratio(april, "jnl", kpis.FIRST_CONTACT) == (0, 1)


@pytest.mark.parametrize(("redone", "on_time"), [("2023-03-03 10:00", 1), ("2023-03-09 10:00", 0)])
def test_a_rejected_and_redone_reply_is_one_round(district, redone, on_time):
    story = Story(district, "2023-03-01 09:00").handled(
        district.una, "2023-03-01 10:00", "2023-03-01 11:00"
    )
    story.do("2023-03-02 10:00", "reply", district.una, result="resolved", text="已处理。")
    story.do("2023-03-02 11:00", "reject_reply", district.dan, reason="未说明处理结果")
    # Due 03-08 10:00: redone in time, or a day late.
    story.do(redone, "reply", district.una, result="resolved", text="已更换灯具。")
    assert ratio(kpis.compute(*MARCH), "jnl", kpis.ON_TIME_REPLY) == (on_time, 1)


def three_callbacks(d) -> None:
    for day, verdict in (
        ("2023-03-01", Satisfaction.SATISFIED),
        ("2023-03-06", Satisfaction.BASICALLY_SATISFIED),
        ("2023-03-13", Satisfaction.DISSATISFIED),
    ):
        story = replied_and_reviewed(d, d.una, day)
        story.called_back(
            f"{day[:-2]}{int(day[-2:]) + 2:02d} 10:00", resolved=True, satisfaction=verdict
        )


def test_the_satisfaction_rate_counts_satisfied_and_basically_satisfied(district):
    three_callbacks(district)
    report = kpis.compute(*MARCH)
    assert report.unit("jnl").ratios[kpis.SATISFACTION].as_dict() == {
        "numerator": 2,
        "denominator": 3,
        "value": 66.67,
    }
    assert ratio(report, "jnl", kpis.SATISFACTION_SCORE) == (180, 3)  # 100 + 80 + 0
    settings = KpiSettings.current()
    settings.basically_satisfied_counts = False  # a centre that counts only 满意
    settings.save()
    assert ratio(kpis.compute(*MARCH), "jnl", kpis.SATISFACTION) == (1, 3)


def test_either_satisfaction_figure_can_carry_the_weight(district):
    three_callbacks(district)
    settings = KpiSettings.current()
    for field in settings.weights():
        setattr(settings, f"weight_{field}", 0)
    settings.weight_satisfaction = 30
    settings.save()
    assert settings.weights()[kpis.SATISFACTION] == 30
    assert kpis.compute(*MARCH).unit("jnl").base_score == 66.67  # the rate, by default
    settings.satisfaction_measure = SatisfactionMeasure.SCORE
    settings.save()
    assert settings.weights() == {**dict.fromkeys(settings.weights(), 0), "satisfaction_score": 30}
    assert kpis.compute(*MARCH).unit("jnl").base_score == 60.0


@override_settings(CALLBACK_MAX_ATTEMPTS=3)
def test_unreachable_callbacks_are_left_out_of_resolution_and_satisfaction(district):
    d = district
    reached = replied_and_reviewed(d, d.una, "2023-03-01")
    reached.called_back("2023-03-03 10:00", resolved=True, satisfaction=Satisfaction.SATISFIED)
    never = replied_and_reviewed(d, d.una, "2023-03-06")
    for hour in ("09", "14", "18"):
        never.do(
            f"2023-03-08 {hour}:00",
            "callback_attempt",
            d.cathy,
            outcome=CallbackOutcome.NOT_REACHED,
        )
    refused = replied_and_reviewed(d, d.una, "2023-03-13")
    refused.do("2023-03-15 10:00", "callback_attempt", d.cathy, outcome=CallbackOutcome.REFUSED)
    never.order.refresh_from_db()
    refused.order.refresh_from_db()
    assert never.order.state == refused.order.state == "closed"

    report = kpis.compute(*MARCH)
    assert ratio(report, "jnl", kpis.RESOLUTION) == (1, 1)
    assert ratio(report, "jnl", kpis.SATISFACTION) == (1, 1)
    assert ratio(report, "jnl", kpis.UNREACHABLE) == (2, 3)
    assert kpis.order_ids(kpis.UNREACHABLE, d.street, *MARCH) == sorted(
        [never.order.pk, refused.order.pk]
    )
    assert ratio(report, "jnl", kpis.REOPEN) == (0, 3)  # three orders closed, none reopened


def test_every_numerator_is_part_of_its_denominator(district, march):
    report = kpis.compute(*MARCH)
    for unit in Unit.objects.exclude(code="centre"):
        figures = report.unit(unit.code)
        for name, value in figures.ratios.items():
            if name == kpis.SATISFACTION_SCORE:
                continue  # points over callbacks
            assert value.numerator <= value.denominator, (unit.code, name)
            top = kpis.order_ids(name, unit, *MARCH)
            bottom = kpis.order_ids(name, unit, *MARCH, part="denominator")
            assert set(top) <= set(bottom), (unit.code, name)
