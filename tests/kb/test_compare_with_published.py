"""A proposed change made in several steps: the reviewer compares it with the published revision
(what publishing would change), not only with the step before."""

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
def two_step_change(district, rita):
    """Published at revision 1; Victor changes the standard (2), then the phone number (3)."""
    article = published(
        district.bureau, district.victor, rita, body="<p>标准1420元。</p><p>电话62470000。</p>"
    )
    steps = ("<p>标准1510元。</p><p>电话62470000。</p>", "<p>标准1510元。</p><p>电话62471111。</p>")
    for body in steps:
        actions.edit(
            article, district.victor, content(district.bureau, body=body), reason="标准调整"
        )
    actions.submit(article, district.victor)
    return article


def test_the_article_page_links_the_whole_change(client, rita, two_step_change):
    client.force_login(rita)
    page = client.get(f"/kb/{two_step_change.pk}/").content.decode()
    assert f"/kb/{two_step_change.pk}/diff?a=1&amp;b=3" in page
    assert 'data-testid="kb-compare-published"' in page


def test_the_diff_shows_every_step_since_the_published_revision(client, rita, two_step_change):
    client.force_login(rita)
    diff = client.get(f"/kb/{two_step_change.pk}/diff").content.decode()
    assert "标准1420元" in diff and "标准1510元" in diff  # revision 2's step
    assert "电话62471111" in diff  # revision 3's step


def test_an_operator_is_not_offered_the_comparison(client, district, two_step_change):
    client.force_login(district.olga)
    page = client.get(f"/kb/{two_step_change.pk}/").content.decode()
    assert 'data-testid="kb-pending"' in page
    assert 'data-testid="kb-compare-published"' not in page
