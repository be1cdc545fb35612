"""Online pre-review (网上预审): a citizen's materials for a matter, checked before they come.

A :class:`PreReview` is filed on the portal for one matter at one hall, with a file per item of
the matter's material list (:class:`PreReviewFile`). A clerk of that hall passes it, or asks once
for everything missing (一次性告知); the citizen sends the missing items once more and the clerk
passes or rejects it. When the citizen later comes — a ticket served and a case opened for that
matter with the same real name — the pre-review is linked to the ticket and case, so the window
does not ask again. Every step is a :class:`PreReviewEvent` (append-only).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hotline import clock
from hotline.appendonly import AppendOnly


class PreReviewState(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for review")
    MORE_NEEDED = "more_needed", _("More materials needed")
    RESUBMITTED = "resubmitted", _("Resubmitted, waiting for review")
    PASSED = "passed", pgettext_lazy("prereview", "Passed")
    REJECTED = "rejected", pgettext_lazy("prereview", "Rejected")
    WITHDRAWN = "withdrawn", pgettext_lazy("prereview", "Withdrawn")


#: States a clerk still has to decide.
WAITING = (PreReviewState.SUBMITTED, PreReviewState.RESUBMITTED)
#: States a later ticket and case link to: anything the citizen did not withdraw and was not
#: refused (the window sees the uploads even if the clerk has not decided yet).
LINKABLE = (
    PreReviewState.PASSED,
    PreReviewState.SUBMITTED,
    PreReviewState.RESUBMITTED,
    PreReviewState.MORE_NEEDED,
)


class PreReviewAction(models.TextChoices):
    SUBMIT = "submit", pgettext_lazy("prereview", "Submitted")
    PASS = "pass", pgettext_lazy("prereview", "Passed")
    ASK_MORE = "ask_more", _("More materials asked for")
    RESUBMIT = "resubmit", pgettext_lazy("prereview", "Resubmitted")
    REJECT = "reject", pgettext_lazy("prereview", "Rejected")
    WITHDRAW = "withdraw", pgettext_lazy("prereview", "Withdrawn")
    LINK = "link", _("Linked to the visit")


class PreReviewCounter(models.Model):
    """Hands out the per-hall, per-year pre-review sequence (DNL-YS-2026-000123)."""

    hall = models.ForeignKey(
        "hall.Hall", verbose_name=_("hall"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("pre-review counter")
        verbose_name_plural = _("pre-review counters")
        constraints = [
            models.UniqueConstraint(fields=["hall", "year"], name="prereview_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.hall_id} {self.year}: {self.last}"


class PreReview(models.Model):
    """A pre-review (预审申请): one matter at one hall, the citizen's uploads and the decision.

    The citizen is known only by keyed hashes, as the hall's real-name tickets are
    (:mod:`hotline.hall.identity`): ``phone_key`` of the mobile and ``id_key`` of the resident ID
    number when given — a later ticket under either links here. The mobile itself is kept in
    ``notify_phone`` only while messages are still due, and cleared at the final decision.
    The citizen reaches the pre-review through ``token`` (the link in every message).
    """

    number = models.CharField(_("pre-review number"), max_length=32, unique=True)
    hall = models.ForeignKey(
        "hall.Hall", verbose_name=_("hall"), on_delete=models.PROTECT, related_name="prereviews"
    )
    matter = models.ForeignKey(
        "matters.Matter",
        verbose_name=_("matter"),
        on_delete=models.PROTECT,
        related_name="prereviews",
    )
    applicant_name = models.CharField(_("applicant"), max_length=60)
    phone_key = models.CharField(_("mobile key"), max_length=64, db_index=True)
    id_key = models.CharField(_("ID number key"), max_length=64, blank=True, db_index=True)
    notify_phone = models.CharField(_("mobile for messages"), max_length=30, blank=True)
    token = models.CharField(_("token"), max_length=43, unique=True)
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=PreReviewState.choices,
        default=PreReviewState.SUBMITTED,
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "org.User",
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The clerk's words to the citizen with the last decision (what to bring, why refused).
    note = models.CharField(_("note"), max_length=500, blank=True)
    # Material pks asked for with the one notice (一次性告知).
    missing = models.JSONField(_("missing materials"), default=list, blank=True)
    # Set when the citizen came: the served ticket (and the appointment it came from), the case.
    ticket = models.ForeignKey(
        "hall.Ticket",
        verbose_name=_("ticket"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="prereviews",
    )
    appointment = models.ForeignKey(
        "hall.Appointment",
        verbose_name=_("appointment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="prereviews",
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="prereviews",
    )
    # Filed from the link a 12345 operator texted (counted as "started from 12345").
    invitation = models.ForeignKey(
        "PreReviewInvitation",
        verbose_name=_("invitation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="prereviews",
    )
    # The portal form's one-time token (hotline/web/once.py): back and send again finds this
    # pre-review instead of filing a second one. Empty when filed without the form (the demo).
    submission = models.CharField(_("form submission key"), max_length=64, blank=True, default="")
    version = models.PositiveIntegerField(_("version"), default=0)

    class Meta:
        verbose_name = _("pre-review")
        verbose_name_plural = _("pre-reviews")
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["hall", "state"], name="prereview_hall_state")]
        constraints = [
            models.UniqueConstraint(
                fields=["submission"],
                condition=~Q(submission=""),
                name="prereview_submission_once",
            )
        ]

    def __str__(self) -> str:
        return self.number


def upload_path(instance: PreReviewFile, filename: str) -> str:
    review = instance.prereview
    return f"prereview/{review.number}/{instance.round}/{filename}"


class PreReviewFile(models.Model):
    """One uploaded file for one item of the matter's material list, in one round (the first
    submission is round 1, the resubmission round 2). Files are never replaced: a resubmitted
    item gets a new row, so the clerk can see what was sent when."""

    prereview = models.ForeignKey(
        PreReview, verbose_name=_("pre-review"), on_delete=models.PROTECT, related_name="files"
    )
    material = models.ForeignKey(
        "matters.Material",
        verbose_name=_("material"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    file = models.FileField(_("file"), upload_to=upload_path)
    name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size"), default=0)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=clock.now)

    class Meta:
        verbose_name = _("pre-review file")
        verbose_name_plural = _("pre-review files")
        ordering = ["prereview", "material__sort_order", "material_id", "round", "pk"]

    def __str__(self) -> str:
        return self.name


class PreReviewEvent(AppendOnly):
    """One step of a pre-review: append-only (model, queryset and a PostgreSQL trigger refuse
    changes). ``payload`` carries the materials asked for, the files of a round, the case linked.
    """

    prereview = models.ForeignKey(
        PreReview, verbose_name=_("pre-review"), on_delete=models.PROTECT, related_name="events"
    )
    seq = models.PositiveIntegerField(_("sequence"))
    action = models.CharField(_("action"), max_length=12, choices=PreReviewAction.choices)
    at = models.DateTimeField(_("at"), default=clock.now, db_index=True)
    actor = models.ForeignKey(
        "org.User",
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    from_state = models.CharField(
        _("from state"), max_length=12, choices=PreReviewState.choices, blank=True
    )
    to_state = models.CharField(_("to state"), max_length=12, choices=PreReviewState.choices)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    payload = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("pre-review event")
        verbose_name_plural = _("pre-review events")
        ordering = ["prereview", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["prereview", "seq"], name="prereview_event_seq_unique")
        ]

    def __str__(self) -> str:
        return f"{self.prereview_id}#{self.seq} {self.get_action_display()}"


class PreReviewInvitation(AppendOnly):
    """A pre-review link a 12345 operator texted to a caller from intake (issue 18 item 8).

    Written once, and it is its own event (who sent which matter at which hall to which mobile,
    when): append-only, with a PostgreSQL trigger. It lives here rather than as an event of a
    work order because the link is sent while the call is on, before any order is registered,
    and often none is (a caller who only asks what to bring is answered and the call ends); and
    what it leads to is a pre-review, not an order. The pre-review filed from the link points
    back at it (:attr:`PreReview.invitation`), so "pre-reviews started from 12345" is a count.

    The caller is known only by the hall's keyed hash of the mobile (``phone_key``), as a
    real-name ticket and a pre-review are; the number itself is not kept, nor put in the link.
    """

    token = models.CharField(_("token"), max_length=32, unique=True)
    hall = models.ForeignKey(
        "hall.Hall",
        verbose_name=_("hall"),
        on_delete=models.PROTECT,
        related_name="prereview_invitations",
    )
    matter = models.ForeignKey(
        "matters.Matter", verbose_name=_("matter"), on_delete=models.PROTECT, related_name="+"
    )
    phone_key = models.CharField(_("mobile key"), max_length=64, db_index=True)
    sent_by = models.ForeignKey(
        "org.User", verbose_name=_("sent by"), on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), default=clock.now, db_index=True)

    class Meta:
        verbose_name = _("pre-review invitation")
        verbose_name_plural = _("pre-review invitations")
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.matter_id}@{self.hall_id} {self.sent_at:%Y-%m-%d %H:%M}"
