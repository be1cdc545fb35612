"""KPIs hand-computed from March 2023's story (tests/assessment/conftest.py)."""

from __future__ import annotations

import pytest
import time_machine
from django.test import override_settings

from hotline.assessment import kpis
from hotline.assessment.models import KpiSettings
from hotline.orders import actions
from hotline.orders.models import ReplyResult, Satisfaction
from hotline.org.models import PeerGroup, Unit, UnitKind
from tests.assessment.conftest import MARCH, Story
from tests.conftest import at
from tests.orders.factory import new_order


def ratio(report: kpis.KpiReport, unit: str, kpi: str) -> tuple[int, int]:
    r = report.unit(unit).ratios[kpi]
    return r.numerator, r.denominator


def test_it_counts_each_kpi_for_the_street(district, march):
    report = kpis.compute(*MARCH)
    street = report.unit("jnl")
    # A, B, C, D (returned to it), H (its 居委会); E cancelled, F merged, G dispatched in February.
    assert street.volume == 5
    assert ratio(report, "jnl", kpis.SIGN_FOR) == (4, 5)  # B signed for a day late
    # Rounds whose first-contact deadline (1 working day) fell in March: A, C contacted in time;
    # B (twice: dispatched 03-06, reopened 03-21), D (the street's round after the return) and H
    # never contacted. G's deadline was in February.
    assert ratio(report, "jnl", kpis.FIRST_CONTACT) == (2, 6)
    # Reply deadlines (5 working days) in March: A, C (extended), G, H on time; B's first round
    # late, its reopened round (due 03-28) and D (due 03-17) not replied.
    assert ratio(report, "jnl", kpis.ON_TIME_REPLY) == (4, 7)
    assert ratio(report, "jnl", kpis.RESOLUTION) == (2, 3)  # A, B, C called back; B unresolved
    assert ratio(report, "jnl", kpis.SATISFACTION) == (2, 3)  # 满意 A + 基本满意 C
    assert ratio(report, "jnl", kpis.SATISFACTION_SCORE) == (100 + 0 + 80, 3)
    assert street.ratios[kpis.SATISFACTION_SCORE].value == 60.0
    # Conclusions: A and C closed at callback, B reopened.
    assert ratio(report, "jnl", kpis.REOPEN) == (1, 3)
    assert ratio(report, "jnl", kpis.RETURN) == (0, 5)
    assert street.overdue == 1


def test_an_approved_extension_makes_a_late_looking_reply_on_time(district, march):
    # C's reply on 03-17 is after its original deadline (03-16 10:00) but before the extended one.
    assert kpis.order_ids(kpis.ON_TIME_REPLY, district.street, *MARCH) == sorted(
        [march.a.pk, march.c.pk, march.g.pk, march.h.pk]
    )


def test_an_approved_return_moves_the_order_and_counts_a_return_for_the_old_unit(district, march):
    report = kpis.compute(*MARCH)
    assert ratio(report, "mzj", kpis.RETURN) == (1, 1)
    assert ratio(report, "mzj", kpis.SIGN_FOR) == (1, 1)
    assert report.unit("mzj").volume == 1
    assert march.d.pk in kpis.order_ids(kpis.VOLUME, district.street, *MARCH)
    assert kpis.order_ids(kpis.RETURN, district.bureau, *MARCH) == [march.d.pk]
    assert kpis.order_ids(kpis.RETURN, district.street, *MARCH) == []


def test_merged_and_cancelled_orders_are_left_out(district, march):
    volume = kpis.order_ids(kpis.VOLUME, district.street, *MARCH)
    assert march.e.pk not in volume
    assert march.f.pk not in volume
    assert kpis.order_ids(kpis.SIGN_FOR, district.street, *MARCH, part="denominator") == sorted(
        [march.a.pk, march.b.pk, march.c.pk, march.d.pk, march.h.pk]
    )


def test_events_outside_the_period_are_ignored(district, march):
    # G was dispatched in February and called back in April: only its March reply counts.
    g = march.g.pk
    assert g not in kpis.order_ids(kpis.VOLUME, district.street, *MARCH)
    assert g in kpis.order_ids(kpis.ON_TIME_REPLY, district.street, *MARCH, part="denominator")
    assert g not in kpis.order_ids(kpis.SATISFACTION, district.street, *MARCH)
    april = kpis.compute(at("2023-04-01 00:00"), at("2023-05-01 00:00"))
    assert ratio(april, "jnl", kpis.SATISFACTION_SCORE) == (100, 1)
    assert april.unit("jnl").volume == 0


def test_a_neighbourhood_committees_orders_count_for_its_street(district, march):
    # H was dispatched naming the 居委会: since 8993ebb the centre deals with the street (the lead
    # unit, whose volume it is) and the 居委会 is assigned inside, its handling figures its own.
    report = kpis.compute(*MARCH)
    assert report.unit("jnl-01").volume == 0
    assert ratio(report, "jnl-01", kpis.ON_TIME_REPLY) == (1, 1)
    assert ratio(report, "jnl-01", kpis.FIRST_CONTACT) == (0, 1)
    assert march.h.pk in kpis.order_ids(kpis.VOLUME, district.street, *MARCH)
    assert kpis.order_ids(
        kpis.ON_TIME_REPLY, district.neighbourhood, *MARCH, part="denominator"
    ) == [march.h.pk]


def test_satisfaction_points_come_from_the_settings(district, march):
    settings = KpiSettings.current()
    settings.score_basically_satisfied = 60
    settings.save()
    report = kpis.compute(*MARCH)
    assert ratio(report, "jnl", kpis.SATISFACTION_SCORE) == (160, 3)
    assert report.unit("jnl").ratios[kpis.SATISFACTION_SCORE].value == 53.33


def test_an_approved_appeal_leaves_the_order_out_of_that_kpi_only(district, march):
    report = kpis.compute(*MARCH, exclusions=[(march.b.pk, kpis.ON_TIME_REPLY)])
    assert ratio(report, "jnl", kpis.ON_TIME_REPLY) == (4, 5)  # both of B's rounds gone
    assert ratio(report, "jnl", kpis.SIGN_FOR) == (4, 5)
    assert ratio(report, "jnl", kpis.REOPEN) == (1, 3)
    appealed = kpis.compute(*MARCH, exclusions=[(march.d.pk, kpis.RETURN)])
    assert ratio(appealed, "mzj", kpis.RETURN) == (0, 0)
    assert appealed.unit("mzj").volume == 1
    with pytest.raises(ValueError):
        kpis.compute(*MARCH, exclusions=[(march.b.pk, "happiness")])


def test_a_reopen_inside_the_callback_counts(district):
    with override_settings(CALLBACK_DISSATISFIED="reopen"):
        story = Story(district, "2023-03-01 09:00").handled(
            district.una, "2023-03-01 10:00", "2023-03-01 11:00"
        )
        story.replied(district.una, "2023-03-02 10:00", "2023-03-02 11:00")
        story.called_back(
            "2023-03-03 10:00", resolved=False, satisfaction=Satisfaction.DISSATISFIED
        )
    report = kpis.compute(*MARCH)
    assert ratio(report, "jnl", kpis.REOPEN) == (1, 1)
    assert kpis.order_ids(kpis.REOPEN, district.street, *MARCH) == [story.order.pk]


def test_units_are_ranked_within_their_peer_group_with_a_minimum_volume(district):
    other = Unit.objects.create(
        code="cjl", name="曹家渡街道", kind=UnitKind.STREET, peer_group=PeerGroup.STREETS
    )
    tiny = Unit.objects.create(
        code="jajs", name="静安寺街道", kind=UnitKind.STREET, peer_group=PeerGroup.STREETS
    )
    settings = KpiSettings.current()
    settings.minimum_volume = 2
    settings.save()
    # Dispatched on the month's last day: their contact and reply deadlines fall in April.
    with time_machine.travel(at("2023-03-31 09:00"), tick=False):
        for unit, count in ((district.street, 2), (other, 2), (tiny, 1)):
            for _ in range(count):
                order = new_order(district)
                actions.dispatch(order, district.dan, lead_unit=unit)
    report = kpis.compute(*MARCH)
    # Nothing signed for yet: every rate that exists is equal, so the two big streets tie.
    assert report.unit("jnl").score == report.unit("cjl").score == 100.0
    assert (report.unit("jnl").rank, report.unit("cjl").rank) == (1, 1)
    assert report.unit("jajs").rank is None  # below the minimum volume
    assert report.unit("mzj").rank is None  # no volume at all
    assert report.unit("jnl-01").rank is None  # no peer group: ranked within its street

    order = new_order(district)
    with time_machine.travel(at("2023-03-01 10:00"), tick=False):
        actions.dispatch(order, district.dan, lead_unit=district.street)
    actions.accept(order, district.una, now=at("2023-03-03 10:00"))  # late
    report = kpis.compute(*MARCH)
    assert report.unit("jnl").ratios[kpis.SIGN_FOR].as_dict() == {
        "numerator": 0,
        "denominator": 1,
        "value": 0.0,
    }
    assert (report.unit("cjl").rank, report.unit("jnl").rank) == (1, 2)


def test_computing_all_units_takes_a_fixed_number_of_queries(
    district, march, django_assert_max_num_queries
):
    KpiSettings.current()
    for i in range(30):
        Unit.objects.create(
            code=f"u{i}", name=f"单位{i}", kind=UnitKind.BUREAU, peer_group="bureaus"
        )
    # Six reads, four for the handling rounds (rounds, categories, deadline rules, orders with an
    # approved extension) and one more for those orders' events (order C), two for the working
    # calendar (cached per process afterwards), the transaction's savepoint and release, and on
    # PostgreSQL "SET LOCAL jit".
    with django_assert_max_num_queries(16):
        report = kpis.compute(*MARCH)
    assert len(report.units) == 33


def test_replies_late_without_an_extension_are_late(district):
    story = Story(district, "2023-03-09 09:00").handled(
        district.una, "2023-03-09 10:00", "2023-03-09 11:00"
    )
    story.do(
        "2023-03-17 10:00", "reply", district.una, result=ReplyResult.EXPLAINED, text="已解释。"
    )
    assert ratio(kpis.compute(*MARCH), "jnl", kpis.ON_TIME_REPLY) == (0, 1)
