"""Knowledge-base articles, their append-only revisions and events, uses and upkeep tasks.

An :class:`Article` is the identity and the lifecycle state; its content lives in
:class:`Revision` rows, one per edit, never changed. The article points at its newest revision
(``head``) and at the revision the public and operators see (``published``): a unit proposing a
change to a published article works on a new head while the published revision stays live until
the reviewer publishes the change. Every state change is an :class:`ArticleEvent`. All writes go
through :mod:`hotline.kb.actions`.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hotline import clock
from hotline.appendonly import AppendOnly


class ArticleState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class ArticleAction(models.TextChoices):
    """Every kind of article event."""

    CREATE = "create", _("Create")
    EDIT = "edit", _("Edit")
    SUBMIT = "submit", _("Submit for review")
    PUBLISH = "publish", _("Publish")
    SEND_BACK = "send_back", _("Send back")
    RETIRE = "retire", _("Retire")
    RESTORE = "restore", _("Restore")
    ATTACH = "attach", _("Attach")
    DETACH = "detach", _("Remove attachment")
    URGE = "urge", _("Urge review")


class Article(models.Model):
    """A knowledge-base article (知识条目): who keeps it, where it is in its lifecycle, and which
    of its revisions is the newest and which is published."""

    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="kb_articles",
    )
    state = models.CharField(
        _("state"), max_length=16, choices=ArticleState.choices, default=ArticleState.DRAFT
    )
    # Denormalised from the head revision so lists filter without joining revisions.
    title = models.CharField(_("title"), max_length=200)
    public = models.BooleanField(_("public"), default=False)
    review_by = models.DateField(_("review by"), null=True, blank=True)
    head = models.ForeignKey(
        "Revision",
        verbose_name=_("newest revision"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published = models.ForeignKey(
        "Revision",
        verbose_name=_("published revision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("version"), default=0)
    created_at = models.DateTimeField(_("created at"), default=clock.now)
    updated_at = models.DateTimeField(_("updated at"), default=clock.now)
    last_urged_at = models.DateTimeField(_("last urged at"), null=True, blank=True)

    class Meta:
        verbose_name = _("knowledge article")
        verbose_name_plural = _("knowledge articles")
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["state", "review_by"], name="kb_article_state_review")]

    def __str__(self) -> str:
        return self.title


class Revision(AppendOnly):
    """One version of an article's content: a full snapshot, who wrote it, when and why."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.PROTECT, related_name="revisions"
    )
    number = models.PositiveIntegerField(_("revision"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), help_text=_("Sanitised HTML."))
    keywords = models.CharField(_("keywords"), max_length=300, blank=True)
    categories = models.ManyToManyField(
        "org.Category", verbose_name=_("categories"), blank=True, related_name="+"
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="+"
    )
    source_name = models.CharField(_("policy document"), max_length=200, blank=True)
    source_number = models.CharField(_("document number"), max_length=100, blank=True)
    effective_on = models.DateField(_("effective date"), null=True, blank=True)
    review_by = models.DateField(_("review by"), null=True, blank=True)
    public = models.BooleanField(_("public"), default=False)
    author = models.ForeignKey(
        "org.User", verbose_name=_("by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=clock.now)
    reason = models.TextField(_("reason for the change"), blank=True)
    changed = models.JSONField(_("fields changed"), default=list, blank=True)
    # The files are part of the content: a revision carries its own set, so a file added to a
    # published article waits, like a text change, for the reviewer to publish its revision.
    attachments: models.ManyToManyField[ArticleAttachment, Any] = models.ManyToManyField(
        "ArticleAttachment", verbose_name=_("attachments"), blank=True, related_name="revisions"
    )

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["article", "number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="kb_revision_number")
        ]

    def __str__(self) -> str:
        return f"{self.article_id} r{self.number}"


class ArticleEvent(AppendOnly):
    """One thing that happened to an article: who, when, from which state to which, why."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.PROTECT, related_name="events"
    )
    seq = models.PositiveIntegerField(_("sequence"))
    action = models.CharField(_("action"), max_length=16, choices=ArticleAction.choices)
    actor = models.ForeignKey(
        "org.User",
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty for the system (worker, import)."),
    )
    at = models.DateTimeField(_("at"), default=clock.now, db_index=True)
    from_state = models.CharField(_("from state"), max_length=16, blank=True)
    to_state = models.CharField(_("to state"), max_length=16, choices=ArticleState.choices)
    revision = models.ForeignKey(
        Revision,
        verbose_name=_("revision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The article's unit after this event: the upkeep KPI attributes by it."),
    )
    reason = models.TextField(_("reason"), blank=True)
    payload = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("article event")
        verbose_name_plural = _("article events")
        ordering = ["article", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["article", "seq"], name="kb_event_article_seq")
        ]

    def __str__(self) -> str:
        return f"{self.article_id}#{self.seq} {self.get_action_display()}"


def attachment_path(instance: ArticleAttachment, filename: str) -> str:
    return f"kb/{instance.article_id}/{filename}"


class ArticleAttachment(models.Model):
    """A file attached to an article (the policy PDF, a form to fill in). Which revisions carry
    it is ``revisions``: people see it once a revision carrying it is published."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path)
    name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size"), default=0)
    uploaded_by = models.ForeignKey(
        "org.User",
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=clock.now)
    event = models.ForeignKey(
        ArticleEvent, verbose_name=_("event"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("article attachment")
        verbose_name_plural = _("article attachments")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.name


class UseKind(models.TextChoices):
    CLICK = "click", _("Opened from a search")
    ANSWER = "answer", _("Used to answer an order")
    NOT_HELPFUL = "not_helpful", _("Did not help")


class ArticleUse(AppendOnly):
    """An article used: opened from a search, used to answer an order, or marked unhelpful.

    The search learns from these: an answer adds the order's wording to the article as evidence,
    clicks and answers give a small popularity prior (:mod:`hotline.kb.search.index`).
    """

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.PROTECT, related_name="uses"
    )
    revision = models.ForeignKey(
        Revision, verbose_name=_("revision"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=UseKind.choices)
    order = models.ForeignKey(
        "orders.WorkOrder",
        verbose_name=_("order"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    query = models.CharField(_("search words"), max_length=500, blank=True)
    user = models.ForeignKey(
        "org.User",
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=clock.now, db_index=True)

    class Meta:
        verbose_name = _("article use")
        verbose_name_plural = _("article uses")
        indexes = [models.Index(fields=["kind", "at"], name="kb_use_kind_at")]

    def __str__(self) -> str:
        return f"{self.article_id} {self.kind}"


class UpkeepState(models.TextChoices):
    # Not the shared "Open" (开放): a task waiting for its article's update.
    OPEN = "open", pgettext_lazy("a knowledge-base upkeep task", "Open")
    DONE = "done", _("Done")


class UpkeepTask(models.Model):
    """知识库更新: after closing a consultation order, its unit creates or updates an article.

    One task per order (created by the worker from closed consultation orders), done when the
    unit submits an article edit linked to it; the upkeep KPI counts tasks done in time.
    """

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="kb_tasks"
    )
    order = models.OneToOneField(
        "orders.WorkOrder", verbose_name=_("order"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=8, choices=UpkeepState.choices, default=UpkeepState.OPEN
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now)
    due_at = models.DateTimeField(_("due at"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("upkeep task")
        verbose_name_plural = _("upkeep tasks")
        ordering = ["due_at"]
        indexes = [models.Index(fields=["unit", "state"], name="kb_task_unit_state")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.order_id}"


class IndexStamp(models.Model):
    """One row: bumped whenever what search should find changes (publish, retire, answer).

    Each web process compares it with the stamp of its in-memory index and rebuilds when it moved,
    so a publish reaches every process without a restart, on SQLite and PostgreSQL alike.
    """

    version = models.PositiveBigIntegerField(_("version"), default=0)
    changed_at = models.DateTimeField(_("changed at"), default=clock.now)

    class Meta:
        verbose_name = _("search index stamp")
        verbose_name_plural = _("search index stamps")

    def __str__(self) -> str:
        return str(self.version)


class SynonymAction(models.TextChoices):
    """Every kind of synonym-group event."""

    CREATE = "create", _("Add")
    EDIT = "edit", _("Edit")
    REMOVE = "remove", _("Remove")


class SynonymGroup(models.Model):
    """同义词: terms a searcher means alike; a query with one of them also searches the others.

    Kept by the knowledge reviewer. ``one_way``: only the first term brings in the rest (a
    question phrase such as 带什么 → 检附, not back). A removed group stays (``active`` false) for
    its events. All writes go through :mod:`hotline.kb.actions.synonyms`.
    """

    terms = models.JSONField(_("terms"), default=list)
    one_way = models.BooleanField(
        _("one way"),
        default=False,
        help_text=_("Only the first term brings in the others."),
    )
    active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(_("version"), default=0)
    created_at = models.DateTimeField(_("created at"), default=clock.now)
    updated_at = models.DateTimeField(_("updated at"), default=clock.now)

    class Meta:
        verbose_name = _("synonym group")
        verbose_name_plural = _("synonym groups")
        ordering = ["pk"]

    def __str__(self) -> str:
        return "/".join(self.terms)


class SynonymEvent(AppendOnly):
    """One change to a synonym group: who, when, and the group's terms after it."""

    group = models.ForeignKey(
        SynonymGroup,
        verbose_name=_("synonym group"),
        on_delete=models.PROTECT,
        related_name="events",
    )
    seq = models.PositiveIntegerField(_("sequence"))
    action = models.CharField(_("action"), max_length=8, choices=SynonymAction.choices)
    actor = models.ForeignKey(
        "org.User",
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty for the system (the default list)."),
    )
    at = models.DateTimeField(_("at"), default=clock.now, db_index=True)
    terms = models.JSONField(_("terms"), default=list)
    one_way = models.BooleanField(_("one way"), default=False)
    before = models.JSONField(_("before"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("synonym event")
        verbose_name_plural = _("synonym events")
        ordering = ["group", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["group", "seq"], name="kb_synonym_event_seq")
        ]

    def __str__(self) -> str:
        return f"{self.group_id}#{self.seq} {self.get_action_display()}"
