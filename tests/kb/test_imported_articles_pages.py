"""Articles and synonyms written by the system (an import, the demo, the worker) have no author:
the reviewer's pages name "system" for them instead of failing.

The demo knowledge base is imported this way, so before this every demo article's page, the
review queue, the diff and the synonyms page answered 500 to the reviewer.
"""

from __future__ import annotations

import pytest
from django.utils import translation

from hotline.kb import actions
from tests.kb.factory import content


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def imported(district):
    """An imported article (no author), proposed for review by the import itself."""
    article = actions.create(None, content(district.bureau, title="临时救助申请渠道"))
    actions.submit(article, None)
    return article


def test_it_shows_the_review_queue_with_an_imported_article(client, district, rita, imported):
    client.force_login(rita)
    page = client.get("/kb/review/")
    assert page.status_code == 200
    row = page.content.decode().split(f'data-article="{imported.pk}"')[1].split("</tr>")[0]
    assert "临时救助申请渠道" in row
    assert "系统" in row


def test_it_shows_an_imported_articles_revisions_and_history(client, district, rita, imported):
    client.force_login(rita)
    page = client.get(f"/kb/{imported.pk}/")
    assert page.status_code == 200
    revisions = page.content.decode().split('data-testid="kb-revisions"')[1].split("</ol>")[0]
    assert "系统" in revisions


def test_it_compares_a_revision_with_an_imported_one(client, district, rita, imported):
    client.force_login(rita)
    page = client.get(f"/kb/{imported.pk}/diff", {"a": 1, "b": 1})
    assert page.status_code == 200
    assert "系统" in page.content.decode()


def test_it_shows_the_synonyms_page_after_the_default_list_came_from_the_system(client, rita):
    actions.create_group(None, "低保/最低生活保障", reason="默认同义词")
    client.force_login(rita)
    page = client.get("/kb/synonyms/")
    assert page.status_code == 200
    changes = page.content.decode().split('data-testid="synonym-events"')[1].split("</ul>")[0]
    assert "低保/最低生活保障" in changes
    assert "系统" in changes
