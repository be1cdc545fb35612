"""The demo district comes with a review rubric; a demo reset clears sample draws first."""

from __future__ import annotations

import pytest

from hotline.assessment import sampling
from hotline.assessment.models import ReviewCriterion, SampleDraw
from hotline.orders import actions
from hotline.org import demo
from hotline.org.models import Unit, User


@pytest.mark.django_db
def test_the_demo_has_a_rubric_and_a_reset_clears_sample_draws():
    demo.load_district()
    criteria = list(ReviewCriterion.objects.all())
    assert sum(c.max_points for c in criteria) == 100 and len(criteria) == 5

    operator = User.objects.get(username="operator")
    order = actions.register(
        operator, title="路灯不亮", description="连续三晚不亮", citizen_phone="13800000000"
    )
    actions.dispatch(
        order, User.objects.get(username="dispatcher"), lead_unit=Unit.objects.get(code="jnl")
    )
    supervisor = User.objects.get(username="supervisor")
    draw = sampling.draw(supervisor, size=1, seed=1)
    sampling.review(
        draw.items.get(), supervisor, points={c.pk: c.max_points for c in criteria}, comment="规范"
    )

    demo.reset()
    assert not SampleDraw.objects.exists() and not User.objects.exists()
