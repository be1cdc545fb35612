"""The reviewer publishes what a unit submitted: a unit's draft that was never submitted (a new
article, or a change to a published one) cannot be published from under it. The reviewer's own
draft (they wrote its newest revision) may be published directly."""

from __future__ import annotations

import pytest

from hotline.kb import actions
from hotline.kb.models import ArticleAction, ArticleState
from hotline.kb.rules import allowed_actions
from tests.kb.factory import content, published


def test_the_reviewer_cannot_publish_a_units_unsubmitted_draft(client, district, rita):
    draft = actions.create(district.una, content(district.street))
    assert ArticleAction.PUBLISH not in allowed_actions(draft, rita)
    with pytest.raises(actions.InvalidTransition):
        actions.publish(draft, rita)
    draft.refresh_from_db()
    assert draft.state == ArticleState.DRAFT and draft.published_id is None
    # Nor by posting the button's form from a stale page.
    client.force_login(rita)
    client.post(f"/kb/{draft.pk}/act/publish", {"version": draft.version})
    draft.refresh_from_db()
    assert draft.state == ArticleState.DRAFT and draft.published_id is None
    page = client.get(f"/kb/{draft.pk}/").content.decode()
    assert 'data-action="publish"' not in page and 'data-testid="kb-awaiting-unit"' in page
    # Once the unit submits it, the reviewer publishes it.
    actions.submit(draft, district.una)
    assert "kb-awaiting-unit" not in client.get(f"/kb/{draft.pk}/").content.decode()
    actions.publish(draft, rita)
    assert draft.state == ArticleState.PUBLISHED


def test_a_units_unsubmitted_change_to_a_published_article_stays_unpublished(district, rita):
    article = published(district.street, district.una, rita)
    live = article.published_id
    actions.edit(
        article,
        district.una,
        content(district.street, title="低保申请条件（2027）"),
        reason="新标准",
    )
    with pytest.raises(actions.InvalidTransition):
        actions.publish(article, rita)
    article.refresh_from_db()
    assert article.published_id == live


def test_the_reviewer_publishes_their_own_draft_directly(district, rita):
    own = actions.create(rita, content(district.street))
    assert ArticleAction.PUBLISH in allowed_actions(own, rita)
    actions.publish(own, rita)
    assert own.state == ArticleState.PUBLISHED
    # Their own change on top of a unit's draft is theirs to publish too.
    article = actions.create(district.una, content(district.street, title="医保报销"))
    actions.edit(article, rita, content(district.street, title="医保报销流程"))
    actions.publish(article, rita)
    assert article.state == ArticleState.PUBLISHED


def test_the_reviewer_cannot_submit_a_units_draft_on_its_behalf(district, rita):
    # Submitting it for the unit and then publishing would be the same thing by two clicks.
    draft = actions.create(district.una, content(district.street))
    assert ArticleAction.SUBMIT not in allowed_actions(draft, rita)
    with pytest.raises(actions.InvalidTransition):
        actions.submit(draft, rita)
    draft.refresh_from_db()
    assert draft.state == ArticleState.DRAFT
    # A colleague in the unit submits it: the unit's word.
    assert ArticleAction.SUBMIT in allowed_actions(draft, district.una)
    # The reviewer's own draft they may still submit (and publish).
    own = actions.create(rita, content(district.street, title="医保报销"))
    actions.submit(own, rita)
    assert own.state == ArticleState.IN_REVIEW
