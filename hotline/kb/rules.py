"""Who may do what to an article, in which state: the knowledge base's transition table.

Units draft and propose changes for their own remit (the article's unit or a unit below the
user's); the centre's knowledge reviewer publishes, sends back and retires, for any unit. The write
path (:mod:`hotline.kb.actions`) enforces this; pages ask :func:`allowed_actions`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from hotline.kb.models import Article, ArticleAction, ArticleState
from hotline.orders.rules import (
    CENTRE_ROLES,
    ActionError,
    Conflict,
    InvalidInput,
    InvalidTransition,
    NotAllowed,
    NotFound,
    unit_scope,
)
from hotline.org.models import Role, User

__all__ = [
    "ActionError",
    "Conflict",
    "InvalidInput",
    "InvalidTransition",
    "NotAllowed",
    "NotFound",
]

REVIEWER = frozenset({Role.KNOWLEDGE_REVIEWER})
EDITORS = frozenset({Role.UNIT_HANDLER, Role.KNOWLEDGE_REVIEWER})


class Scope(Enum):
    """Whose articles an actor may act on."""

    REMIT = "remit"  # a unit handler for their unit's subtree; the reviewer for any unit
    CENTRE = "centre"  # the reviewer only


@dataclass(frozen=True)
class Rule:
    sources: frozenset[ArticleState]
    roles: frozenset[str]
    scope: Scope
    target: ArticleState | None = None  # None: the state does not change
    # States in which an actor who does not speak for the article's unit (is not a unit handler
    # of its remit) may take the action only on a newest revision they wrote themselves: a unit's
    # draft becomes the unit's word when the unit submits it, not when the reviewer does.
    own_only: frozenset[ArticleState] = frozenset()


S = ArticleState
_EDITABLE = frozenset({S.DRAFT, S.IN_REVIEW, S.PUBLISHED})

RULES: dict[ArticleAction, Rule] = {
    # Editing a published article starts a proposed change (state draft); the published revision
    # stays what people see until the reviewer publishes the change.
    ArticleAction.EDIT: Rule(_EDITABLE, EDITORS, Scope.REMIT, S.DRAFT),
    ArticleAction.SUBMIT: Rule(
        frozenset({S.DRAFT}), EDITORS, Scope.REMIT, S.IN_REVIEW, own_only=frozenset({S.DRAFT})
    ),
    # The reviewer publishes what a unit submitted (in review), and may publish a draft directly
    # only when they wrote its newest revision: a unit's draft (a new article, or a change to a
    # published one) is not the unit's word until the unit submits it.
    ArticleAction.PUBLISH: Rule(
        frozenset({S.DRAFT, S.IN_REVIEW}),
        REVIEWER,
        Scope.CENTRE,
        S.PUBLISHED,
        own_only=frozenset({S.DRAFT}),
    ),
    ArticleAction.SEND_BACK: Rule(frozenset({S.IN_REVIEW}), REVIEWER, Scope.CENTRE, S.DRAFT),
    ArticleAction.RETIRE: Rule(_EDITABLE, REVIEWER, Scope.CENTRE, S.RETIRED),
    ArticleAction.RESTORE: Rule(frozenset({S.RETIRED}), REVIEWER, Scope.CENTRE, S.DRAFT),
    # A file added, replaced or removed is a change of content like an edit: a new revision,
    # reviewed before people see it.
    ArticleAction.ATTACH: Rule(_EDITABLE, EDITORS, Scope.REMIT, S.DRAFT),
    ArticleAction.DETACH: Rule(_EDITABLE, EDITORS, Scope.REMIT, S.DRAFT),
    # The worker urges published articles past their review date (no state change).
    ArticleAction.URGE: Rule(frozenset({S.PUBLISHED}), REVIEWER, Scope.CENTRE),
}


def in_remit(user: User, unit_id: int) -> bool:
    """Whether ``user`` may write for ``unit_id``: the reviewer always, a unit handler for their
    own unit and the units below it."""
    if user.has_role(Role.KNOWLEDGE_REVIEWER):
        return True
    return user.has_role(Role.UNIT_HANDLER) and unit_id in unit_scope(user)


def check(article: Article, actor: User | None, action: ArticleAction) -> Rule:
    """Refuse an action the actor may not take on this article now; ``None`` is the system."""
    rule = RULES[action]
    if actor is not None:
        if not actor.has_role(*rule.roles):
            raise NotAllowed(_("Your role may not do this."))
        if rule.scope is Scope.REMIT and not in_remit(actor, article.unit_id):
            raise NotAllowed(_("Only the responsible unit may change this article."))
    if article.state not in rule.sources:
        raise InvalidTransition(
            _("Cannot %(action)s an article that is %(state)s.")
            % {"action": ArticleAction(action).label, "state": ArticleState(article.state).label}
        )
    if (
        actor is not None
        and article.state in rule.own_only
        and not _speaks_for_unit(actor, article)
        and not _wrote_head(actor, article)
    ):
        raise InvalidTransition(
            _("This draft was not submitted for review: its unit submits it first.")
        )
    return rule


def _speaks_for_unit(actor: User, article: Article) -> bool:
    return actor.has_role(Role.UNIT_HANDLER) and article.unit_id in unit_scope(actor)


def _wrote_head(actor: User, article: Article) -> bool:
    return article.head is not None and article.head.author_id == actor.pk


def allowed_actions(article: Article, user: User) -> list[ArticleAction]:
    allowed = []
    for action in RULES:
        try:
            check(article, user, action)
        except (NotAllowed, InvalidTransition):
            continue
        allowed.append(action)
    return allowed


def may_create(user: User, unit_id: int) -> bool:
    return user.has_role(*EDITORS) and in_remit(user, unit_id)


# --- visibility ------------------------------------------------------------------------------


def is_staff_reader(user: User) -> bool:
    return user.has_role(*CENTRE_ROLES, *EDITORS)


def visible_articles(
    user: User | None, queryset: QuerySet[Article] | None = None
) -> QuerySet[Article]:
    """Articles ``user`` may open. Citizens (``None``): published public ones. Staff: every
    published article; the reviewer and the admin: everything; a unit handler also their remit's
    drafts and retired articles."""
    qs = Article.objects.all() if queryset is None else queryset
    live = Q(published__isnull=False) & ~Q(state=S.RETIRED)
    if user is None or not is_staff_reader(user):
        return qs.filter(live, published__public=True)
    if user.has_role(Role.KNOWLEDGE_REVIEWER, Role.ADMIN):
        return qs
    if user.has_role(Role.UNIT_HANDLER):
        return qs.filter(live | Q(unit__in=unit_scope(user)))
    return qs.filter(live)


def can_view(user: User | None, article: Article) -> bool:
    return visible_articles(user, Article.objects.filter(pk=article.pk)).exists()


def sees_drafts(user: User, article: Article) -> bool:
    """Whether ``user`` sees the article's unpublished head (not just its published revision)."""
    return user.has_role(Role.KNOWLEDGE_REVIEWER, Role.ADMIN) or in_remit(user, article.unit_id)


def drafts_seen(user: User, articles: QuerySet[Article]) -> QuerySet[Article]:
    """:func:`sees_drafts` for a list: the articles whose unpublished head ``user`` sees."""
    if user.has_role(Role.KNOWLEDGE_REVIEWER, Role.ADMIN):
        return articles
    if user.has_role(Role.UNIT_HANDLER):
        return articles.filter(unit__in=unit_scope(user))
    return articles.none()


# --- synonyms --------------------------------------------------------------------------------


def may_edit_synonyms(user: User | None) -> bool:
    """Only the centre's knowledge reviewer keeps the synonyms list (``None``: the system)."""
    return user is None or user.has_role(Role.KNOWLEDGE_REVIEWER)
