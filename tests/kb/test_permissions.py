"""A unit edits only its remit; the reviewer publishes; citizens see only published public."""

from __future__ import annotations

import pytest

from hotline.kb import actions
from hotline.kb.models import ArticleState
from hotline.kb.rules import allowed_actions, can_view, visible_articles
from tests.kb.factory import content, published


def test_a_unit_cannot_write_for_another_unit(district, rita):
    with pytest.raises(actions.NotAllowed):
        actions.create(district.una, content(district.bureau))
    article = published(district.bureau, district.victor, rita)
    with pytest.raises(actions.NotAllowed, match="responsible unit"):
        actions.edit(article, district.una, content(district.bureau, title="改"), reason="x")


def test_a_street_keeps_the_articles_of_its_neighbourhood_committees(district):
    article = actions.create(district.una_nb, content(district.neighbourhood))
    actions.edit(article, district.una, content(district.neighbourhood, title="新标题"))
    with pytest.raises(actions.NotAllowed):
        actions.create(district.una_nb, content(district.street))


def test_only_the_reviewer_publishes(district, rita):
    article = actions.create(district.victor, content(district.bureau))
    actions.submit(article, district.victor)
    for person in (district.victor, district.olga, district.sam):
        with pytest.raises(actions.NotAllowed):
            actions.publish(article, person)
    actions.publish(article, rita)
    assert article.state == ArticleState.PUBLISHED
    assert "publish" not in allowed_actions(article, district.victor)


def test_operators_cannot_edit(district, rita):
    article = published(district.bureau, district.victor, rita)
    with pytest.raises(actions.NotAllowed, match="role"):
        actions.edit(article, district.olga, content(district.bureau, title="改"), reason="x")


def test_citizens_see_only_published_public_articles(district, rita):
    public = published(district.bureau, district.victor, rita)
    internal = published(district.bureau, district.victor, rita, title="内部口径", public=False)
    draft = actions.create(district.victor, content(district.bureau, title="草稿"))
    retired = published(district.bureau, district.victor, rita, title="已废止")
    actions.retire(retired, rita, reason="政策废止")

    assert list(visible_articles(None)) == [public]
    assert not can_view(None, internal) and not can_view(None, draft)
    staff = set(visible_articles(district.olga))
    assert staff == {public, internal}
    assert draft in visible_articles(district.victor) and draft not in visible_articles(
        district.una
    )
    assert set(visible_articles(rita)) == {public, internal, draft, retired}


def test_a_proposed_change_to_hide_an_article_does_not_hide_it_before_publication(district, rita):
    article = published(district.bureau, district.victor, rita)
    actions.edit(article, district.victor, content(district.bureau, public=False), reason="仅内部")
    assert can_view(None, article)
    actions.submit(article, district.victor)
    actions.publish(article, rita)
    assert not can_view(None, article)


def test_sending_back_needs_a_reason_and_returns_to_draft(district, rita):
    article = actions.create(district.victor, content(district.bureau))
    actions.submit(article, district.victor)
    with pytest.raises(actions.InvalidInput):
        actions.send_back(article, rita, reason=" ")
    actions.send_back(article, rita, reason="请补充文号")
    assert article.state == ArticleState.DRAFT
    with pytest.raises(actions.InvalidTransition):
        actions.send_back(article, rita, reason="再退一次")


def test_a_stale_version_is_refused(district, rita):
    article = actions.create(district.victor, content(district.bureau))
    version = article.version
    actions.submit(article, district.victor, expected_version=version)
    with pytest.raises(actions.Conflict):
        actions.send_back(article, rita, reason="x", expected_version=version)
