"""The demo district's assessment set-up: a review rubric, and clearing samples on reset."""

from __future__ import annotations

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
