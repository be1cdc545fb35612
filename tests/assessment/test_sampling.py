"""随机抽选工单点评: Sam draws reproducible samples and reviews them on the rubric."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from hotline.assessment import kpis, sampling
from hotline.assessment.models import KpiSettings, ReviewCriterion, SampleStrategy
from hotline.assessment.sampling import SampleFilters
from hotline.kb.models import UpkeepTask
from hotline.kb.search import index
from hotline.orders import actions
from hotline.orders.models import State
from hotline.orders.rules import InvalidInput, NotAllowed
from hotline.org.models import Role
from tests.assessment.conftest import MARCH
from tests.conftest import at, make_user
from tests.kb.factory import published
from tests.orders.factory import order_in


@pytest.fixture
def many(district):
    """12 orders at the street, 6 at 区民政局, 2 answered at intake (never drawn)."""
    orders = [order_in(State.CLOSED, district) for _ in range(12)]
    for _ in range(6):
        order = order_in(State.REGISTERED, district)
        actions.dispatch(order, district.dan, lead_unit=district.bureau)
        orders.append(order)
    order_in(State.ANSWERED, district)
    order_in(State.ANSWERED, district)
    return orders


@pytest.fixture
def rubric(db):
    return [
        ReviewCriterion.objects.create(name="答复针对诉求", max_points=40, sort_order=1),
        ReviewCriterion.objects.create(name="先行联系规范", max_points=30, sort_order=2),
        ReviewCriterion.objects.create(name="办理时效", max_points=30, sort_order=3),
        ReviewCriterion.objects.create(name="已停用", max_points=10, active=False),
    ]


def ids(draw) -> list[int]:
    return list(draw.items.order_by("position").values_list("order_id", flat=True))


def test_the_same_seed_and_filters_draw_the_same_orders(district, many):
    first = sampling.draw(district.sam, size=5, strategy=SampleStrategy.SIMPLE, seed=20230331)
    again = sampling.draw(district.sam, size=5, strategy=SampleStrategy.SIMPLE, seed=20230331)
    other = sampling.draw(district.sam, size=5, strategy=SampleStrategy.SIMPLE, seed=7)
    assert ids(first) == ids(again)
    assert ids(first) != ids(other)
    assert sampling.redraw(first) == ids(first)
    assert first.population == 18  # the answered orders have no unit


def test_a_draw_records_who_when_and_how(district, many):
    draw = sampling.draw(
        district.sam,
        size=4,
        strategy=SampleStrategy.STRATIFIED,
        filters=SampleFilters(unit="jnl", states=("closed",)),
        now=at("2023-04-01 09:00"),
        note="三月抽查",
    )
    assert draw.drawn_by == district.sam
    assert draw.drawn_at == at("2023-04-01 09:00")
    assert 0 <= draw.seed < 2**63
    assert draw.filters["unit"] == "jnl" and draw.filters["states"] == ["closed"]
    assert draw.population == 12
    assert sampling.redraw(draw) == ids(draw)


def test_stratified_draws_give_each_unit_its_fair_share(district, many):
    draw = sampling.draw(district.sam, size=6, strategy=SampleStrategy.STRATIFIED, seed=1)
    by_unit = sorted(draw.items.values_list("unit__code", flat=True))
    assert by_unit.count("jnl") == 4 and by_unit.count("mzj") == 2  # 12:6 of 6


def test_per_unit_draws_take_the_same_number_from_each_unit(district, many):
    draw = sampling.draw(district.sam, size=3, strategy=SampleStrategy.PER_UNIT, seed=5)
    by_unit = sorted(draw.items.values_list("unit__code", flat=True))
    assert by_unit == ["jnl", "jnl", "jnl", "mzj", "mzj", "mzj"]


def test_filters_restrict_the_population(district, many):
    bureau_only = sampling.draw(district.sam, size=50, filters=SampleFilters(unit="mzj"), seed=3)
    assert bureau_only.population == 6 and bureau_only.items.count() == 6
    dispatched = SampleFilters(states=("dispatched",))
    assert sampling.eligible(dispatched).count() == 6
    satisfied = SampleFilters(satisfaction=("satisfied",))
    assert sampling.eligible(satisfied).count() == 12
    assert sampling.eligible(SampleFilters(start=at("2030-01-01 00:00").date())).count() == 0


def test_a_sub_units_sample_holds_the_orders_assigned_to_it(district, many):
    inside = [order_in(State.CLOSED, district, inside=district.neighbourhood) for _ in range(3)]
    committee = SampleFilters(unit=district.neighbourhood.code)

    assert set(sampling.eligible(committee).values_list("pk", flat=True)) == {o.pk for o in inside}
    # The street's sample still holds them: they are its orders, handled below it.
    assert sampling.eligible(SampleFilters(unit="jnl")).count() == 12 + 3


def test_only_supervisors_draw_and_bad_input_is_refused(district, many):
    with pytest.raises(NotAllowed):
        sampling.draw(district.leo, size=3)
    with pytest.raises(InvalidInput):
        sampling.draw(district.sam, size=0)
    with pytest.raises(InvalidInput):
        sampling.draw(district.sam, size=3, filters=SampleFilters(states=("merged",)))
    with pytest.raises(InvalidInput):
        sampling.draw(district.sam, size=3, filters=SampleFilters(unit="nope"))


def test_a_review_scores_the_active_rubric_as_a_percentage(district, many, rubric):
    draw = sampling.draw(district.sam, size=2, seed=11)
    item = draw.items.first()
    points = {rubric[0].pk: 30, rubric[1].pk: 30, rubric[2].pk: 15}
    review = sampling.review(item, district.sam, points=points, comment="答复较完整，时效偏慢")
    assert review.score == Decimal("75.00")
    assert [s["criterion"] for s in review.scores] == ["答复针对诉求", "先行联系规范", "办理时效"]
    with pytest.raises(InvalidInput):
        sampling.review(item, district.sam, points={**points, rubric[0].pk: 41}, comment="x")
    with pytest.raises(InvalidInput):
        sampling.review(item, district.sam, points={rubric[0].pk: 40}, comment="x")
    with pytest.raises(InvalidInput):
        sampling.review(item, district.sam, points=points, comment=" ")
    with pytest.raises(NotAllowed):
        sampling.review(item, district.una, points=points, comment="自评")


def test_failed_reviews_and_supervisions_are_deducted_from_the_score(district, march, rubric):
    before = kpis.compute(*MARCH).unit("jnl")
    assert before.deduction == 0 and before.score == before.base_score
    settings = KpiSettings.current()
    draw = sampling.draw(
        district.sam, size=2, filters=SampleFilters(unit="jnl", states=("closed",)), seed=2
    )
    low = {rubric[0].pk: 10, rubric[1].pk: 10, rubric[2].pk: 10}  # 30 %
    high = {rubric[0].pk: 40, rubric[1].pk: 30, rubric[2].pk: 30}  # 100 %
    first, second = draw.items.order_by("position")
    sampling.review(first, district.sam, points=low, comment="答非所问", now=at("2023-03-31 10:00"))
    sampling.review(second, district.sam, points=high, comment="规范", now=at("2023-03-31 11:00"))
    after = kpis.compute(*MARCH, settings=settings).unit("jnl")
    assert after.sampling_failed == 1
    assert after.deduction == float(settings.sampling_deduction) == 1.0
    assert after.score == round(after.base_score - 1.0, 2)
    # A review made in April counts in April, not March.
    sampling.review(first, district.sam, points=low, comment="复评", now=at("2023-04-02 10:00"))
    assert kpis.compute(*MARCH).unit("jnl").sampling_failed == 0


def test_each_supervision_costs_its_deduction(district):
    order = order_in(State.ACCEPTED, district)
    actions.supervise(order, district.sam, working_days=2, now=at("2023-03-10 10:00"))
    unit = kpis.compute(*MARCH).unit("jnl")
    assert unit.supervisions == 1
    assert unit.deduction == 0.5


def test_knowledge_base_upkeep_is_deducted_by_its_factor(district, march):
    """Una's neighbourhood committee misses an upkeep task due in March (0.50 points, rolled up
    into 江宁路街道's), 区民政局 leaves two articles past their review date (2 × 0.20); the
    KPI settings' factor scales the points, 0 leaves them out."""
    rita = make_user("rita", district.centre, Role.KNOWLEDGE_REVIEWER)
    march, april = order_in(State.CLOSED, district), order_in(State.CLOSED, district)
    UpkeepTask.objects.create(
        unit=district.neighbourhood, order=march, due_at=at("2023-03-20 10:00")
    )
    UpkeepTask.objects.create(unit=district.street, order=april, due_at=at("2023-04-03 10:00"))
    for title in ("低保申请", "临时救助"):
        published(
            district.bureau,
            district.victor,
            rita,
            title=title,
            effective_on=dt.date(2023, 1, 1),
            review_by=dt.date(2023, 3, 1),
        )
    index.forget()

    report = kpis.compute(*MARCH)
    street, bureau = report.unit("jnl"), report.unit("mzj")
    assert (street.kb_upkeep, street.deduction) == (0.5, 0.5)
    assert report.unit("jnl-01").kb_upkeep == 0.5
    assert (bureau.kb_upkeep, bureau.deduction) == (0.4, 0.4)
    assert street.score == round(max(0.0, street.base_score - 0.5), 2)
    assert street.as_dict()["kb_upkeep"] == 0.5

    settings = KpiSettings.current()
    settings.kb_upkeep_factor = Decimal("2.00")
    assert kpis.compute(*MARCH, settings=settings).unit("jnl").deduction == 1.0
    settings.kb_upkeep_factor = Decimal("0")
    off = kpis.compute(*MARCH, settings=settings).unit("jnl")
    assert (off.kb_upkeep, off.deduction, off.score) == (0.0, 0.0, off.base_score)
