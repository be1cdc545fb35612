"""An upkeep task's "Find one to update": the search, the article and its edit page carry the
task, so the change the unit saves completes it (before, the task was lost after the search and
stayed open however the unit updated the article)."""

from __future__ import annotations

import html
import re

import pytest
from django.utils import translation

from hotline.kb.models import UpkeepState, UpkeepTask
from hotline.kb.upkeep import create_tasks
from tests.kb.factory import published
from tests.kb.test_upkeep import closed_consultation


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def hrefs(page: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="([^"]+)"', page)]


def test_the_unit_finds_an_article_to_update_and_saving_completes_the_task(client, district, rita):
    article = published(district.street, district.una, rita, title="低保怎么申请")
    order = closed_consultation(district)
    create_tasks(order.closed_at)
    task = UpkeepTask.objects.get()
    client.force_login(district.una)

    inbox = client.get("/kb/").content.decode()
    find = next(h for h in hrefs(inbox) if h.startswith("?q=") and f"task={task.pk}" in h)
    results = client.get("/kb/" + find).content.decode()
    opened = next(h for h in hrefs(results) if h.startswith(f"/kb/{article.pk}/?"))
    assert f"task={task.pk}" in opened
    detail = client.get(opened).content.decode()
    assert 'data-testid="kb-upkeep-for"' in detail and order.number in detail
    edit = next(h for h in hrefs(detail) if h.startswith(f"/kb/{article.pk}/edit"))
    assert edit == f"/kb/{article.pk}/edit?task={task.pk}"
    page = client.get(edit).content.decode()
    assert f'name="task" value="{task.pk}"' in page

    client.post(
        edit,
        {
            "title": "低保怎么申请",
            "body": "<p>带身份证、户口簿到街道社区事务受理服务中心申请。</p>",
            "unit": district.street.pk,
            "public": "on",
            "reason": f"工单{order.number}：补充所需材料",
            "task": task.pk,
            "version": article.version,
        },
    )
    task.refresh_from_db()
    assert task.state == UpkeepState.DONE and task.article == article


def test_another_units_task_is_not_carried(client, district, rita):
    article = published(district.street, district.una, rita, title="低保怎么申请")
    order = closed_consultation(district)
    create_tasks(order.closed_at)
    task = UpkeepTask.objects.get()
    client.force_login(district.victor)  # 区民政局: not the task's unit
    page = client.get(f"/kb/{article.pk}/", {"task": task.pk}).content.decode()
    assert "kb-upkeep-for" not in page and f"edit?task={task.pk}" not in page
    listing = client.get("/kb/", {"q": "低保", "task": task.pk}).content.decode()
    assert not [h for h in hrefs(listing) if h.startswith("/kb/") and "task=" in h]
    assert 'name="task"' not in listing
