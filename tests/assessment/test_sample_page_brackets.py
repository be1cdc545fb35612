"""Sam's draw page names who reviewed an order and when, and each criterion's range, in each
language's own brackets: （孙倩，2023-03-09 10:00） and 答复质量（0–10） in zh-Hans, half-width in
English. The page wrote half-width ( , ) into the Chinese page (the brackets were not
translatable)."""

from __future__ import annotations

import re

from django.urls import reverse

from hotline.assessment import sampling
from hotline.assessment.models import ReviewCriterion
from tests.web.test_order_pages import page


def test_the_reviewer_and_the_range_are_in_each_languages_brackets(client, district, march):
    criterion = ReviewCriterion.objects.create(name="答复质量", max_points=10)
    draw = sampling.draw(district.sam, size=1, seed=3)
    sampling.review(draw.items.get(), district.sam, points={criterion.pk: 8}, comment="较好")
    url = reverse("sample_detail", args=[draw.pk])

    zh = page(client, district.sam, url).content.decode()
    assert re.search(r"（[^（）(),，]+，\d{4}-\d\d-\d\d \d\d:\d\d）", zh), "reviewer in （，）"
    assert "答复质量（0–10）" in zh
    assert re.search(r'data-testid="drawn-by">[^<,，]+，\d{4}-', zh), "drawn by 孙倩，…"

    en = page(client, district.sam, url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert re.search(r"\([^（）(),，]+, \d{4}-\d\d-\d\d \d\d:\d\d\)", en)
    assert "答复质量 (0–10)" in en
    assert re.search(r'data-testid="drawn-by">[^<,，]+, \d{4}-', en)
