"""A per-unit draw that multiplies into a large sample asks first (walk-through, session 24, M9).

"抽取数量 20" with "每个单位抽取相同数量" drew 478 orders: the number is per unit for that strategy
and in all for the others, the form did not say so, and the supervisor cannot withdraw a draw.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from hotline.assessment import sampling
from hotline.assessment.models import SampleDraw, SampleStrategy
from hotline.orders.rules import InvalidInput
from tests.assessment.test_sampling import many  # noqa: F401  (fixture)
from tests.forms import logged_in, one_time_token


@pytest.fixture
def small_limit(monkeypatch):
    # The fixture's 18 drawable orders stand for a district's thousands.
    monkeypatch.setattr(sampling, "LARGE_DRAW", 4)


def test_a_per_unit_draw_over_the_limit_is_drawn_only_when_confirmed(district, many, small_limit):  # noqa: F811
    with pytest.raises(InvalidInput) as refused:
        sampling.draw(district.sam, size=3, strategy=SampleStrategy.PER_UNIT, seed=5)
    assert refused.value.field == "confirm_large"
    assert SampleDraw.objects.count() == 0

    draw = sampling.draw(
        district.sam, size=3, strategy=SampleStrategy.PER_UNIT, seed=5, confirm_large=True
    )
    assert draw.items.count() == 6


def test_a_draw_of_the_number_typed_needs_no_confirmation(district, many, small_limit):  # noqa: F811
    assert sampling.draw(district.sam, size=10, strategy=SampleStrategy.SIMPLE, seed=1)
    assert sampling.draw(district.sam, size=2, strategy=SampleStrategy.PER_UNIT, seed=1)


def test_the_page_says_what_the_number_means_and_asks_before_a_large_draw(
    district,
    many,  # noqa: F811
    small_limit,
):
    sam = logged_in(district.sam)
    url = reverse("sample_draws")
    page = sam.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = page.content.decode()
    assert "每个单位" in text and "单位数" in text  # the number's help
    form = {"size": 3, "strategy": "per_unit", "submission": one_time_token(page)}

    refused = sam.post(url, form, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert refused.status_code == 422
    assert "本次将抽取6张工单：2个单位各3张" in refused.content.decode()
    assert SampleDraw.objects.count() == 0

    drawn = sam.post(url, {**form, "confirm_large": "on"})
    assert drawn.status_code == 302
    assert SampleDraw.objects.get().items.count() == 6
