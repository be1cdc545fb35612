"""The portal's "提交诉求" page asked the database twice per category to name each one (its
parent, then its parent's parent) — 404 queries and over a second a load with the demo's ~200
categories (h5 M9). The list is read in one query: adding categories adds no query."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hotline.org.models import Category

pytestmark = pytest.mark.django_db


def submit_page_queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/portal/submit/")
    assert page.status_code == 200
    return len(queries), page.content.decode()


def test_more_categories_ask_the_database_nothing_more(client, district):
    before, _html = submit_page_queries(client)
    top = Category.objects.create(code="sh", name="社会管理")
    for i in range(6):
        mid = Category.objects.create(code=f"sh-{i}", name=f"中类{i}", parent=top)
        for j in range(5):
            Category.objects.create(code=f"sh-{i}-{j}", name=f"小类{i}{j}", parent=mid)
    after, html = submit_page_queries(client)
    assert "社会管理 / 中类5 / 小类54" in html  # still named by its whole path
    assert "城乡建设 / 市政设施 / 路灯损坏" in html
    assert after == before


def test_the_submit_page_stays_within_a_few_queries(
    client, district, django_assert_max_num_queries
):
    top = Category.objects.create(code="sh", name="社会管理")
    for i in range(40):
        Category.objects.create(code=f"sh-{i}", name=f"小类{i}", parent=top)
    with django_assert_max_num_queries(10):
        assert client.get("/portal/submit/").status_code == 200
