"""Writing articles: create, edit (a new revision each time), attach, replace and remove files
(a new revision too: the files are part of the content the reviewer publishes)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from hotline import clock
from hotline.kb.actions._core import apply
from hotline.kb.content import plain_text, sanitise
from hotline.kb.models import (
    Article,
    ArticleAction,
    ArticleAttachment,
    ArticleEvent,
    ArticleState,
    Revision,
    UpkeepState,
    UpkeepTask,
)
from hotline.kb.rules import InvalidInput, NotAllowed, check, may_create
from hotline.orders.actions.intake import upload_fields, upload_name
from hotline.org.models import Category, Unit, User

#: The fields a revision holds, in the order a diff lists them.
CONTENT_FIELDS = (
    "title",
    "body",
    "keywords",
    "categories",
    "unit",
    "source_name",
    "source_number",
    "effective_on",
    "review_by",
    "public",
)


@dataclass
class Content:
    """What an author writes: one revision's content, before it is checked and sanitised."""

    title: str
    body: str
    unit: Unit
    keywords: str = ""
    categories: list[Category] = field(default_factory=list)
    source_name: str = ""
    source_number: str = ""
    effective_on: dt.date | None = None
    review_by: dt.date | None = None
    public: bool = False

    def cleaned(self) -> Content:
        title = " ".join(self.title.split())
        if not title:
            raise InvalidInput(_("Give the article a title."), field="title")
        if len(title) > 200:
            raise InvalidInput(_("The title is too long (200 characters at most)."), field="title")
        body = sanitise(self.body)
        # Empty markup ("<p></p>", a non-breaking or full-width space) survives sanitising but
        # says nothing: an operator would answer a citizen with a blank article.
        if not plain_text(body).strip():
            raise InvalidInput(_("Write the article's text."), field="body")
        keywords = "，".join(k for k in _split_keywords(self.keywords))[:300]
        if self.effective_on and self.review_by and self.review_by < self.effective_on:
            raise InvalidInput(
                _("The review date cannot be before the effective date."), field="review_by"
            )
        return Content(
            title=title,
            body=body,
            unit=self.unit,
            keywords=keywords,
            categories=list(self.categories),
            source_name=self.source_name.strip()[:200],
            source_number=self.source_number.strip()[:100],
            effective_on=self.effective_on,
            review_by=self.review_by,
            public=bool(self.public),
        )


def _split_keywords(raw: str) -> list[str]:
    seen: list[str] = []
    for part in raw.replace("，", ",").replace("、", ",").replace(";", ",").split(","):
        part = part.strip()
        if part and part not in seen:
            seen.append(part)
    return seen


def snapshot(revision: Revision | Content) -> dict[str, Any]:
    """A revision's content as comparable values (categories as sorted ids, unit as its id)."""
    if isinstance(revision, Revision):
        categories = sorted(c.pk for c in revision.categories.all())
    else:
        categories = sorted(c.pk for c in revision.categories)
    values = {name: getattr(revision, name) for name in CONTENT_FIELDS if name != "categories"}
    values["unit"] = revision.unit.pk
    values["categories"] = categories
    return values


def _write_revision(
    article: Article, content: Content, actor: User | None, *, number: int, reason: str, now
) -> Revision:
    previous = article.head
    changed = (
        list(CONTENT_FIELDS)
        if previous is None
        else [k for k, v in snapshot(content).items() if snapshot(previous)[k] != v]
    )
    if previous is not None and not changed:
        raise InvalidInput(_("Nothing was changed."))
    revision = Revision.objects.create(
        article=article,
        number=number,
        title=content.title,
        body=content.body,
        keywords=content.keywords,
        unit=content.unit,
        source_name=content.source_name,
        source_number=content.source_number,
        effective_on=content.effective_on,
        review_by=content.review_by,
        public=content.public,
        author=actor,
        at=now,
        reason=reason,
        changed=[name for name in CONTENT_FIELDS if name in changed],
    )
    revision.categories.set(content.categories)
    # An edit of the text keeps the files the newest revision carries.
    if previous is not None:
        revision.attachments.set(previous.attachments.all())
    return revision


def _head_fields(revision: Revision) -> dict[str, Any]:
    return {
        "head": revision,
        "title": revision.title,
        "unit_id": revision.unit_id,
        "public": revision.public,
        "review_by": revision.review_by,
    }


def create(
    actor: User | None,
    content: Content,
    *,
    reason: str = "",
    task: UpkeepTask | None = None,
    now: dt.datetime | None = None,
) -> Article:
    """A new article, as a draft with its first revision (``actor=None``: an import)."""
    now = now or clock.now()
    content = content.cleaned()
    if actor is not None and not may_create(actor, content.unit.pk):
        raise NotAllowed(_("Only the responsible unit may change this article."))
    with transaction.atomic():
        article = Article.objects.create(
            unit=content.unit, title=content.title, created_at=now, updated_at=now
        )
        revision = _write_revision(article, content, actor, number=1, reason=reason, now=now)
        apply(
            article,
            actor,
            ArticleAction.CREATE,
            now=now,
            changes={**_head_fields(revision), "state": ArticleState.DRAFT},
            revision=revision,
            reason=reason,
            authorised=True,
        )
        _complete_task(task, article, actor, now)
    return article


def edit(
    article: Article,
    actor: User,
    content: Content,
    *,
    reason: str = "",
    task: UpkeepTask | None = None,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Revision:
    """A new revision of ``article`` (nothing is overwritten). On a published article this is a
    proposed change: the published revision stays live until the reviewer publishes the new one."""
    now = now or clock.now()
    check(article, actor, ArticleAction.EDIT)
    content = content.cleaned()
    if content.unit.pk != article.unit_id and not may_create(actor, content.unit.pk):
        raise NotAllowed(_("You may only hand an article to a unit in your own remit."))
    if not reason.strip() and article.published_id:
        raise InvalidInput(_("Say why the published article should change."), field="reason")
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        if expected_version is None:
            expected_version = article.version
        number = locked.revisions.count() + 1
        revision = _write_revision(
            locked, content, actor, number=number, reason=reason.strip(), now=now
        )
        apply(
            article,
            actor,
            ArticleAction.EDIT,
            now=now,
            changes=_head_fields(revision),
            revision=revision,
            reason=reason.strip(),
            payload={"changed": revision.changed},
            expected_version=expected_version,
        )
        _complete_task(task, article, actor, now)
    return revision


def _complete_task(task: UpkeepTask | None, article: Article, actor: User | None, now) -> None:
    if task is None:
        return
    if (
        actor is not None
        and task.unit_id != article.unit_id
        and not may_create(actor, task.unit_id)
    ):
        raise NotAllowed(_("This upkeep task belongs to another unit."))
    UpkeepTask.objects.filter(pk=task.pk, state=UpkeepState.OPEN).update(
        state=UpkeepState.DONE, done_at=now, article=article
    )


def attach(
    article: Article,
    actor: User,
    *,
    upload: UploadedFile,
    note: str = "",
    replaces: int | None = None,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> ArticleAttachment:
    """Attach a file (a policy PDF, a form) to an article, or put it in place of one of its
    files (``replaces``: that file's id). Same file types and size limit as order attachments.

    The files are content: this writes a new revision carrying them and, like an edit, makes
    the article a draft to be submitted and published. On a published article people keep
    seeing the published revision and its files until the reviewer publishes this one.
    """
    now = now or clock.now()
    check(article, actor, ArticleAction.ATTACH)
    name = upload_name(upload)
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        files = list(locked.head.attachments.all()) if locked.head else []
        old = _one_of(files, replaces)
        if old is not None:
            files.remove(old)
            why = _("Replace %(old)s with %(new)s") % {"old": old.name, "new": name}
        else:
            why = _("Attach %(name)s") % {"name": name}
        payload: dict[str, Any] = {"attachment": name, "size": upload.size}
        if old is not None:
            payload["replaces"] = old.name
        revision, event = _files_revision(
            article,
            locked,
            actor,
            ArticleAction.ATTACH,
            note.strip() or why,
            payload,
            expected_version=expected_version,
            now=now,
        )
        added = ArticleAttachment.objects.create(
            article=article, event=event, **upload_fields(upload, name=name, actor=actor, now=now)
        )
        revision.attachments.set([*files, added])
    return added


def detach(
    article: Article,
    actor: User,
    *,
    attachment: int,
    note: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Revision:
    """Take a file off an article (the policy it reproduces was replaced): a new revision
    without it, reviewed like any change; earlier revisions keep it, and so does the published
    one until this is published."""
    now = now or clock.now()
    check(article, actor, ArticleAction.DETACH)
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        files = list(locked.head.attachments.all()) if locked.head else []
        old = _one_of(files, attachment)
        if old is None:
            raise InvalidInput(_("This file is not attached to the article's newest revision."))
        files.remove(old)
        revision, _event = _files_revision(
            article,
            locked,
            actor,
            ArticleAction.DETACH,
            note.strip() or _("Remove %(name)s") % {"name": old.name},
            {"attachment": old.name},
            expected_version=expected_version,
            now=now,
        )
        revision.attachments.set(files)
    return revision


def _one_of(files: list[ArticleAttachment], pk: int | None) -> ArticleAttachment | None:
    if pk is None:
        return None
    for found in files:
        if found.pk == pk:
            return found
    raise InvalidInput(_("This file is not attached to the article's newest revision."))


def _files_revision(
    article: Article,
    locked: Article,
    actor: User,
    action: ArticleAction,
    reason: str,
    payload: dict[str, Any],
    *,
    expected_version: int | None,
    now: dt.datetime,
) -> tuple[Revision, ArticleEvent]:
    """The newest revision's content again under a new number, its files changed (the caller
    sets them), and the event that makes it the article's head."""
    head = locked.head
    assert head is not None  # every article has a first revision from create
    # The head's content as it is (the fields an edit writes: CONTENT_FIELDS), categories below.
    same = {name: getattr(head, name) for name in CONTENT_FIELDS if name != "categories"}
    revision = Revision.objects.create(
        article=locked,
        number=locked.revisions.count() + 1,
        **same,
        author=actor,
        at=now,
        reason=reason[:1000],
        changed=["attachments"],
    )
    revision.categories.set(head.categories.all())
    event = apply(
        article,
        actor,
        action,
        now=now,
        changes=_head_fields(revision),
        revision=revision,
        reason=reason[:1000],
        payload=payload,
        expected_version=article.version if expected_version is None else expected_version,
    )
    return revision, event
