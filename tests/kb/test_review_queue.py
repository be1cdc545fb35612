"""The review queue shows a proposed change (its title, author and reason) only to those who may
read it on the article page: the reviewer, and the unit whose remit the article is in."""

from __future__ import annotations

import pytest
from django.utils import translation

from hotline.kb import actions
from tests.kb.factory import content, published


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def proposed_change(district, rita):
    """Victor's bureau proposes a change to its published article and asks for review."""
    article = published(district.bureau, district.victor, rita)
    actions.edit(
        article,
        district.victor,
        content(district.bureau, title="低保标准调整（征求意见稿）"),
        reason="内部讨论中的新标准",
    )
    actions.submit(article, district.victor)
    return article


def test_the_reviewer_and_the_unit_see_the_proposed_change(client, district, rita, proposed_change):
    for person in (rita, district.victor):
        client.force_login(person)
        queue = client.get("/kb/review/").content.decode()
        assert f'data-article="{proposed_change.pk}"' in queue
        assert "内部讨论中的新标准" in queue


def test_another_unit_and_an_operator_do_not_see_it(client, district, proposed_change):
    for person in (district.una, district.olga):
        client.force_login(person)
        queue = client.get("/kb/review/")
        assert queue.status_code == 200
        assert f'data-article="{proposed_change.pk}"' not in queue.content.decode()
        assert "征求意见稿" not in queue.content.decode()
        # The article page shows them the published revision only, as before.
        page = client.get(f"/kb/{proposed_change.pk}/").content.decode()
        assert "征求意见稿" not in page and "低保申请条件和办理流程" in page


def test_an_operator_is_not_pointed_to_the_queue(client, district):
    client.force_login(district.olga)
    assert "/kb/review/" not in client.get("/kb/").content.decode()
    client.force_login(district.una)
    assert "/kb/review/" in client.get("/kb/").content.decode()
