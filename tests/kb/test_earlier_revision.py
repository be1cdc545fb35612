"""An earlier revision opened from the list of revisions is for reading: the page says so and
offers no button, because publishing, sending back and editing act on the newest revision."""

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
def two_revisions(district):
    """Victor's draft in review, its text changed once after the first revision."""
    article = actions.create(
        district.victor, content(district.bureau, body="<p>旧标准1420元。</p>")
    )
    actions.edit(article, district.victor, content(district.bureau, body="<p>新标准1510元。</p>"))
    actions.submit(article, district.victor)
    return article


def test_the_reviewer_reading_revision_1_gets_no_publish_button(client, rita, two_revisions):
    client.force_login(rita)
    page = client.get(f"/kb/{two_revisions.pk}/", {"revision": 1}).content.decode()
    assert "旧标准1420元" in page
    assert 'data-testid="kb-earlier-revision"' in page and "这是较早的版本" in page
    assert 'data-action="publish"' not in page and f"/kb/{two_revisions.pk}/edit" not in page


def test_the_newest_revision_keeps_its_buttons(client, rita, two_revisions):
    client.force_login(rita)
    for params in ({}, {"revision": 2}):
        page = client.get(f"/kb/{two_revisions.pk}/", params).content.decode()
        assert "新标准1510元" in page
        assert 'data-action="publish"' in page
        assert 'data-testid="kb-earlier-revision"' not in page
