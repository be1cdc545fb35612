"""The write path every article action shares: authorise, conditional update, append the event."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from hotline import clock
from hotline.kb.models import (
    Article,
    ArticleAction,
    ArticleEvent,
    ArticleState,
    IndexStamp,
    Revision,
)
from hotline.kb.rules import Conflict, check
from hotline.org.models import User


def _stale() -> Conflict:
    return Conflict(_("This article was changed by someone else. Reload it and try again."))


def apply(
    article: Article,
    actor: User | None,
    action: ArticleAction,
    *,
    now: dt.datetime,
    changes: dict[str, Any] | None = None,
    revision: Revision | None = None,
    reason: str = "",
    payload: dict[str, Any] | None = None,
    expected_version: int | None = None,
    authorised: bool = False,
) -> ArticleEvent:
    """Move ``article`` and append its event atomically; refuse a stale version.

    ``authorised``: the caller ran :func:`~hotline.kb.rules.check` itself (create has no article
    to check against yet).
    """
    rule = None if authorised else check(article, actor, action)
    new_state = (rule.target if rule and rule.target else None) or ArticleState(article.state)
    if authorised and "state" in (changes or {}):
        new_state = (changes or {})["state"]
    current = article.version
    if expected_version is not None and expected_version != current:
        raise _stale()
    fields: dict[str, Any] = dict(changes or {})
    fields.update(state=new_state, version=current + 1, updated_at=now)
    with transaction.atomic():
        if Article.objects.filter(pk=article.pk, version=current).update(**fields) != 1:
            raise _stale()
        try:
            with transaction.atomic():
                event = ArticleEvent.objects.create(
                    article=article,
                    seq=current + 1,
                    action=action,
                    actor=actor,
                    at=now,
                    from_state=article.state,
                    to_state=new_state,
                    revision=revision,
                    unit_id=fields.get("unit_id", article.unit_id),
                    reason=reason,
                    payload=payload or {},
                )
        except IntegrityError:
            raise _stale() from None
    for name, value in fields.items():
        setattr(article, name, value)
    return event


def touch_index(now: dt.datetime | None = None) -> None:
    """Tell every web process that search results changed (they rebuild on their next search)."""
    now = now or clock.now()
    if not IndexStamp.objects.filter(pk=1).update(version=F("version") + 1, changed_at=now):
        try:
            with transaction.atomic():
                IndexStamp.objects.create(pk=1, version=1, changed_at=now)
        except IntegrityError:  # another process created it first
            IndexStamp.objects.filter(pk=1).update(version=F("version") + 1, changed_at=now)
