"""Review: a unit submits, the knowledge reviewer publishes, sends back, retires or restores."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from hotline import clock
from hotline.kb.actions._core import apply, touch_index
from hotline.kb.models import Article, ArticleAction, ArticleEvent
from hotline.kb.rules import InvalidInput
from hotline.org.models import User


def submit(
    article: Article,
    actor: User | None,
    *,
    note: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> ArticleEvent:
    """Ask the knowledge reviewer to publish the newest revision."""
    return apply(
        article,
        actor,
        ArticleAction.SUBMIT,
        now=now or clock.now(),
        revision=article.head,
        reason=note.strip(),
        expected_version=expected_version,
    )


def publish(
    article: Article,
    actor: User | None,
    *,
    note: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> ArticleEvent:
    """Make the newest revision the one operators and (if public) citizens see."""
    now = now or clock.now()
    with transaction.atomic():
        event = apply(
            article,
            actor,
            ArticleAction.PUBLISH,
            now=now,
            changes={"published": article.head},
            revision=article.head,
            reason=note.strip(),
            expected_version=expected_version,
        )
        touch_index(now)
    return event


def send_back(
    article: Article,
    actor: User | None,
    *,
    reason: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> ArticleEvent:
    """Return a submitted revision to its unit with what to change."""
    if not reason.strip():
        raise InvalidInput(_("Say what the unit should change."), field="reason")
    return apply(
        article,
        actor,
        ArticleAction.SEND_BACK,
        now=now or clock.now(),
        revision=article.head,
        reason=reason.strip(),
        expected_version=expected_version,
    )


def retire(
    article: Article,
    actor: User | None,
    *,
    reason: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> ArticleEvent:
    """Take an article out of use (the policy ended); its revisions stay."""
    if not reason.strip():
        raise InvalidInput(_("Say why the article is retired."), field="reason")
    now = now or clock.now()
    with transaction.atomic():
        event = apply(
            article,
            actor,
            ArticleAction.RETIRE,
            now=now,
            reason=reason.strip(),
            expected_version=expected_version,
        )
        touch_index(now)
    return event


def restore(
    article: Article,
    actor: User | None,
    *,
    reason: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> ArticleEvent:
    """Bring a retired article back as a draft (to be reviewed and published again)."""
    return apply(
        article,
        actor,
        ArticleAction.RESTORE,
        now=now or clock.now(),
        changes={"published": None},
        reason=reason.strip(),
        expected_version=expected_version,
    )
