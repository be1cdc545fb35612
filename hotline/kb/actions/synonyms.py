"""The synonyms list's write path: add, edit and remove a group, load the default list.

Each function authorises (the knowledge reviewer only, :func:`~hotline.kb.rules.may_edit_synonyms`),
validates the terms, changes the group with a conditional update on its ``version`` and appends a
:class:`~hotline.kb.models.SynonymEvent` in one transaction, then moves the index stamp: every web
process picks the new list up on its next search, as it does a publish, without a restart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from hotline import clock
from hotline.kb.actions._core import touch_index
from hotline.kb.models import SynonymAction, SynonymEvent, SynonymGroup
from hotline.kb.rules import Conflict, InvalidInput, NotAllowed, may_edit_synonyms
from hotline.kb.search import synonyms as kbsynonyms
from hotline.kb.search import text as kbtext
from hotline.org.models import User

MAX_TERMS = 20


def clean_terms(terms: Sequence[str] | str) -> list[str]:
    """The group's terms, each once, in order; refuse fewer than two or an overlong one."""
    raw = kbsynonyms.split_terms(terms) if isinstance(terms, str) else terms
    # Keyed by the folded form, as search matches them: 申請 and 申请 (or Ａ and A) are one term
    # there, so a "group" of the two would be accepted and then do nothing.
    cleaned: dict[str, str] = {}
    for term in raw:
        term = " ".join(str(term).split())
        if term and kbtext.fold(term).strip():
            cleaned.setdefault(kbtext.fold(term).strip(), term)
    out = list(cleaned.values())
    if len(out) < 2:
        raise InvalidInput(_("A synonym group needs at least two different terms."), field="terms")
    if len(out) > MAX_TERMS:
        raise InvalidInput(
            _("A synonym group has at most %(count)d terms.") % {"count": MAX_TERMS},
            field="terms",
        )
    for term in out:
        if len(term) > kbsynonyms.MAX_TERM_CHARS:
            raise InvalidInput(
                _("%(term)s: a term has at most %(count)d characters.")
                % {"term": term, "count": kbsynonyms.MAX_TERM_CHARS},
                field="terms",
            )
    return out


def _authorise(actor: User | None) -> None:
    if not may_edit_synonyms(actor):
        raise NotAllowed(_("Only the knowledge reviewer changes the synonyms list."))


def _event(
    group: SynonymGroup,
    actor: User | None,
    action: SynonymAction,
    now: dt.datetime,
    before: dict[str, Any],
    reason: str,
) -> SynonymEvent:
    return SynonymEvent.objects.create(
        group=group,
        seq=group.version,
        action=action,
        actor=actor,
        at=now,
        terms=group.terms,
        one_way=group.one_way,
        before=before,
        reason=reason.strip(),
    )


def create_group(
    actor: User | None,
    terms: Sequence[str] | str,
    *,
    one_way: bool = False,
    reason: str = "",
    now: dt.datetime | None = None,
) -> SynonymGroup:
    """Add a group to the list; search uses it from the next query on."""
    _authorise(actor)
    cleaned = clean_terms(terms)
    now = now or clock.now()
    with transaction.atomic():
        group = SynonymGroup.objects.create(
            terms=cleaned, one_way=one_way, version=1, created_at=now, updated_at=now
        )
        _event(group, actor, SynonymAction.CREATE, now, {}, reason)
        touch_index(now)
    return group


def _change(
    group: SynonymGroup,
    actor: User | None,
    action: SynonymAction,
    fields: dict[str, Any],
    *,
    reason: str,
    expected_version: int | None,
    now: dt.datetime,
) -> SynonymEvent:
    _authorise(actor)
    if not group.active:
        raise Conflict(_("This synonym group was removed."))
    current = group.version
    stale = Conflict(_("This synonym group was changed by someone else. Reload and try again."))
    if expected_version is not None and expected_version != current:
        raise stale
    before = {"terms": group.terms, "one_way": group.one_way}
    fields = {**fields, "version": current + 1, "updated_at": now}
    with transaction.atomic():
        if SynonymGroup.objects.filter(pk=group.pk, version=current).update(**fields) != 1:
            raise stale
        for name, value in fields.items():
            setattr(group, name, value)
        event = _event(group, actor, action, now, before, reason)
        touch_index(now)
    return event


def edit_group(
    group: SynonymGroup,
    actor: User | None,
    terms: Sequence[str] | str,
    *,
    one_way: bool = False,
    reason: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> SynonymEvent:
    """Change a group's terms or direction; the event keeps what it was before."""
    cleaned = clean_terms(terms)
    return _change(
        group,
        actor,
        SynonymAction.EDIT,
        {"terms": cleaned, "one_way": one_way},
        reason=reason,
        expected_version=expected_version,
        now=now or clock.now(),
    )


def remove_group(
    group: SynonymGroup,
    actor: User | None,
    *,
    reason: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> SynonymEvent:
    """Take a group out of search; the row and its events stay."""
    return _change(
        group,
        actor,
        SynonymAction.REMOVE,
        {"active": False},
        reason=reason,
        expected_version=expected_version,
        now=now or clock.now(),
    )


def create_groups(
    actor: User | None,
    groups: Iterable[kbsynonyms.Group],
    *,
    reason: str = "",
    now: dt.datetime | None = None,
) -> list[SynonymGroup]:
    """Add several groups at once, all or nothing (an import, the default list)."""
    now = now or clock.now()
    with transaction.atomic():
        return [
            create_group(actor, list(g.terms), one_way=g.one_way, reason=reason, now=now)
            for g in groups
        ]


def load_default_list(actor: User | None, *, now: dt.datetime | None = None) -> int:
    """Add the groups of the list shipped with the product that are not in the list yet."""
    have = {
        (tuple(terms), one_way)
        for terms, one_way in SynonymGroup.objects.filter(active=True).values_list(
            "terms", "one_way"
        )
    }
    missing = [g for g in kbsynonyms.read_file() if (g.terms, g.one_way) not in have]
    create_groups(actor, missing, reason=_("The default list"), now=now)
    return len(missing)
