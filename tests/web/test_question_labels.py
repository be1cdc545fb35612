"""A field whose label is a question ends in its question mark, not in a colon after it: Nina's
hand-back dialog read 为什么退回上级？： and Una's return dialog 为什么不属于本单位？：
(Django adds the label suffix unless the label ends in one of its catalogue's ":?.!", and the
zh-Hans suffix is the full-width ：)."""

from __future__ import annotations

from django.urls import reverse

from hotline.orders.models import State
from tests.orders.factory import order_in
from tests.web.test_order_pages import page


def test_question_labels_take_no_colon_in_zh_hans(client, district):
    d = district
    inside = order_in(State.ACCEPTED, d, inside=d.neighbourhood)
    html = page(client, d.nina, reverse("order_detail", args=[inside.number])).content.decode()
    assert "为什么退回上级？" in html
    assert "？：" not in html

    own = order_in(State.ACCEPTED, d)
    html = page(client, d.una, reverse("order_detail", args=[own.number])).content.decode()
    assert "？" in html and "？：" not in html
    # An ordinary label keeps its full-width colon.
    assert "备注：" in html


def test_the_intake_category_label_has_its_colon_like_the_others(client, district):
    # Every intake label ended in ： but 诉求分类, whose label is written by hand beside its filter.
    html = page(client, district.olga, reverse("intake")).content.decode()
    assert 'for="category-filter">诉求分类：</label>' in html
    en = page(client, district.olga, reverse("intake"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'for="category-filter">Category:</label>' in en
