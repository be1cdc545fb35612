"""A 差评 given on a page in English opens a rectification order in Chinese (session 30, h4).

张三 rates his visit 不满意 on the window's pad, which a visitor before him switched to English.
The 12345 order the 差评 opens — its title, its description and the dispatch note to the hall's
service centre — was written in the rater's page language, so the street and the callback desk
read an English order. The order is for staff: it is written in the hall's language."""

from __future__ import annotations

import pytest
from django.utils import translation

from hotline.orders.models import Action
from tests.ratings.test_rectification import _bad

pytestmark = pytest.mark.django_db


def test_a_bad_rating_on_an_english_page_opens_a_chinese_order(town):
    with translation.override("en"):  # the rater's page, as the request activates it
        ticket, rating = _bad(town)
    order = rating.order
    hall = "大宁路街道社区事务受理服务中心"
    assert order.title == f"差评整改：{hall}，排队号 {ticket.number}"
    assert order.description.splitlines()[0] == f"{hall} 好差评：不满意。"
    note = order.events.get(action=Action.DISPATCH).reason
    assert note == "请对群众差评的服务进行整改，并向群众反馈整改情况。"
