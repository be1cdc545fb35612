"""'Comment' is an order's 备注 (the comment action); a sample review's comment is the reviewer's
点评意见 and a citizen's rating comment is 群众留言. Sam's review form on the draw page, the
draw's CSV and the monthly report's sheet said 备注 for the review, the ratings export for the
citizen's words: they now take the message with its context."""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils import translation

from hotline.assessment import sampling
from hotline.assessment.models import ReviewCriterion
from hotline.ratings import export
from tests.web.test_order_pages import page


def test_the_review_form_asks_for_the_reviewers_comment(client, district, march):
    ReviewCriterion.objects.create(name="答复质量", max_points=10)
    draw = sampling.draw(district.sam, size=1, seed=3)
    url = reverse("sample_detail", args=[draw.pk])
    zh = page(client, district.sam, url).content.decode()
    assert re.search(r"<label>点评意见 <textarea name=\"comment\"", zh)
    en = page(client, district.sam, url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert re.search(r"<label>Comment <textarea name=\"comment\"", en)


def test_the_ratings_export_heads_the_citizens_words_as_their_message():
    with translation.override("zh-hans"):
        headers = [str(h) for h in export.StandardFormat().headers()]
    assert "群众留言" in headers and "备注" not in headers
