"""The demo district's assessment set-up: a review rubric, and clearing samples on reset."""

from __future__ import annotations

import random
from collections.abc import Callable

from hotline.assessment.models import ReviewCriterion, SampleDraw, SampleItem, SampleReview

#: A rubric like the ones hotline centres use for 工单点评 (points out of 100 in all).
DEMO_RUBRIC = [
    ("答复针对诉求", "答复是否回应了市民的全部诉求", 30),
    ("先行联系规范", "是否在时限内先行联系市民并记录方式", 20),
    ("办理时效", "签收、办结是否在时限内", 20),
    ("答复用语规范", "答复是否清楚、礼貌、无推诿", 15),
    ("群众满意", "回访结果与答复是否一致", 15),
]


def load_rubric(progress: Callable[[str], None]) -> None:
    if ReviewCriterion.objects.exists():
        return
    progress("Creating the review rubric …")
    ReviewCriterion.objects.bulk_create(
        ReviewCriterion(name=name, description=description, max_points=points, sort_order=i)
        for i, (name, description, points) in enumerate(DEMO_RUBRIC, start=1)
    )


def purge_samples(progress: Callable[[str], None]) -> None:
    """Sample draws point at orders and users: they go before either (demo reset only)."""
    progress("Deleting sample draws …")
    SampleReview.objects.all().delete()
    SampleItem.objects.all().delete()
    SampleDraw.objects.all().delete()


APPEAL_REASONS = [
    "市民诉求超出政策范围，已按规定解释，不满意原因与办理无关。",
    "超期系供电部门停电检修所致，已提供停电通知。",
    "已多次电话联系市民未接听，已发短信告知，附通话记录。",
    "该事项属物业合同纠纷，已引导市民通过司法途径解决。",
]
REVIEW_COMMENTS = [
    "答复针对诉求，用语规范。",
    "先行联系记录完整，办理及时。",
    "答复较笼统，未写明具体整改时间。",
    "未体现实地核查情况，建议补充现场照片。",
    "答复与回访结果不一致，需加强沟通。",
]


def load_activity(progress: Callable[[str], None]) -> None:
    """A few appeals (one approved, one rejected, two waiting) and a reviewed sample draw, so
    the dashboard, the appeal queue and the sampling pages have something to show."""
    from hotline import clock
    from hotline.assessment import kpis, periods, sampling
    from hotline.orders import actions
    from hotline.orders.models import State, WorkOrder
    from hotline.org.models import User

    supervisor = User.objects.filter(username="supervisor").first()
    if supervisor is None or not WorkOrder.objects.filter(state=State.CLOSED).exists():
        return
    progress("Creating demo appeals and a sampling review …")
    rng = random.Random(2023)
    appealed = 0
    closed = WorkOrder.objects.filter(state=State.CLOSED, lead_unit__isnull=False)
    for order in closed.select_related("lead_unit").order_by("-closed_at", "pk")[:400]:
        against = kpis.negative_kpis(order)
        unit = order.lead_unit
        handler = User.objects.filter(username=f"unit-{unit.code}").first() if unit else None
        if not against or handler is None:
            continue
        actions.appeal(order, handler, kpi=against[0], reason=APPEAL_REASONS[appealed])
        order.refresh_from_db()
        if appealed == 0:
            actions.approve_appeal(order, supervisor, note="理由成立，证明材料齐全。")
        elif appealed == 1:
            actions.reject_appeal(order, supervisor, reason="未提供证明材料。")
        appealed += 1
        if appealed == len(APPEAL_REASONS):
            break

    last_month = periods.months_back(clock.today(), 2)[0]
    first, last = periods.month_days(last_month)
    draw = sampling.draw(
        supervisor,
        size=12,
        strategy="stratified",
        filters=sampling.SampleFilters(start=first, end=last, states=("closed",)),
        seed=20231101,
        note=f"{last_month} 月度抽查",
    )
    criteria = list(ReviewCriterion.objects.filter(active=True))
    for item in list(draw.items.order_by("position"))[:8]:
        points = {c.pk: rng.randint(c.max_points // 2, c.max_points) for c in criteria}
        sampling.review(item, supervisor, points=points, comment=rng.choice(REVIEW_COMMENTS))
