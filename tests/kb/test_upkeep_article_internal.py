"""An article written from an upkeep task starts internal: it comes from a citizen's order, so
the unit (or the reviewer) makes it public only on purpose."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from hotline.kb.models import Article, UpkeepTask
from hotline.kb.upkeep import create_tasks
from tests.kb.test_upkeep import closed_consultation


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def public_box(page: str) -> str:
    return re.search(r'<input type="checkbox" name="public"[^>]*>', page).group(0)


def test_a_new_article_from_an_upkeep_task_is_internal_by_default(client, district):
    order = closed_consultation(district)
    create_tasks(order.closed_at)
    task = UpkeepTask.objects.get()
    client.force_login(district.una)
    page = client.get("/kb/new", {"task": task.pk}).content.decode()
    assert "checked" not in public_box(page)
    assert "默认仅内部可见" in page
    # Saved as the form came, unchanged: an internal draft.
    token = page.split('name="submission" value="')[1].split('"')[0]
    client.post(
        "/kb/new",
        {
            "title": order.title,
            "body": "<p>带身份证和户口簿到街道社区事务受理服务中心申请。</p>",
            "unit": district.street.pk,
            "task": task.pk,
            "submission": token,
        },
    )
    article = Article.objects.get()
    assert article.public is False and article.head.public is False


def test_a_new_article_without_a_task_still_offers_public(client, district):
    client.force_login(district.una)
    page = client.get("/kb/new").content.decode()
    assert "checked" in public_box(page)
