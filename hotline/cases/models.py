"""Cases (办件): what a citizen applied for at a hall, what they handed in, when it is promised.

A :class:`Case` is opened when a window starts service for a matter (one per matter; a bundle's
matters share one :class:`Submission` — one checklist, one receipt). Every step is a
:class:`CaseEvent`: the promised date is a pure function of those events and the working-day
calendar (:mod:`hotline.cases.deadlines`), and so are trips (:mod:`hotline.cases.trips`).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hotline import clock
from hotline.appendonly import AppendOnly
from hotline.matters.models import MaterialForm


class CaseState(models.TextChoices):
    # Contexts: an order is "accepted" when a unit signs for it (已签收); a case is 受理.
    OPENED = "opened", _("Materials being checked")
    CORRECTION = "correction", _("Awaiting corrected materials")
    ACCEPTED = "accepted", pgettext_lazy("case", "Accepted")
    SPECIAL = "special", _("Special procedure")
    REFUSED = "refused", _("Not accepted")
    CONCLUDED = "concluded", _("Concluded")
    DELIVERED = "delivered", _("Delivered")
    # The ticket moved to another matter before anything was received or decided.
    WITHDRAWN = "withdrawn", _("Withdrawn: moved to another matter")


#: States in which the promised-time clock runs (it pauses for 补正, stops for 特别程序).
CLOCK_RUNNING = (CaseState.OPENED, CaseState.ACCEPTED)
#: States of a case still in the hall's hands.
OPEN_STATES = (CaseState.OPENED, CaseState.CORRECTION, CaseState.ACCEPTED, CaseState.SPECIAL)


class CaseAction(models.TextChoices):
    OPEN = "open", pgettext_lazy("case", "Opened")
    VISIT = "visit", pgettext_lazy("case", "Visit")
    RECEIVE = "receive", _("Materials received")
    ACCEPT = "accept", pgettext_lazy("case", "Accepted")
    REFUSE = "refuse", _("Not accepted")
    REQUEST_CORRECTION = "request_correction", _("Correction notice issued")
    CORRECTION_COMPLETE = "correction_complete", _("Corrected materials complete")
    START_SPECIAL = "start_special", _("Special procedure started")
    END_SPECIAL = "end_special", _("Special procedure ended")
    CONCLUDE = "conclude", _("Concluded")
    DELIVER = "deliver", _("Delivered")
    PROMISE = "promise", _("Missing item accepted under a written promise")
    FULFIL_PROMISE = "fulfil_promise", _("Promised item received")
    RETURN_ASKED = "return_asked", _("Asked to come again")
    URGE = "urge", _("Urged")
    WITHDRAW = "withdraw", _("Withdrawn: moved to another matter")
    # Staff corrected the name on the booking the case came from (hall.actions.rename_holder).
    RENAME = "rename", _("Applicant's name corrected")
    # The applicant read the clerk the code texted to their number: their 12345 orders may be
    # listed on the case for a while (hotline.cases.orders_consent).
    ORDERS_CONSENT = "orders_consent", _("Applicant agreed to show their 12345 orders")
    # The code typed for that consent was not taken (wrong, expired, too many tries, not the
    # newest): the timeline shows the tries as well as the consent. No number, no code is kept.
    ORDERS_CONSENT_REFUSED = (
        "orders_code_refused",
        _("Code for the applicant's 12345 orders not accepted"),
    )


class Outcome(models.TextChoices):
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", pgettext_lazy("case", "Refused")


class Delivery(models.TextChoices):
    WINDOW = "window", _("At the window")
    POST = "post", _("By post")
    LOCKER = "locker", _("Pick-up locker")
    ONLINE = "online", _("Online")


class VisitKind(models.TextChoices):
    """How a citizen came: each is a trip (跑动) of the case."""

    TICKET = "ticket", _("Served at a window")
    REMOTE = "remote", _("Remote session")
    PICKUP = "pickup", _("Pick-up")


class TripCause(models.TextChoices):
    """Why a citizen had to come again (the cause of an extra trip)."""

    CORRECTION = "correction", _("Correction (补正)")
    MISSING_MATERIAL = "missing_material", _("Missing material")
    SYSTEM_FAILURE = "system_failure", _("System failure")
    PICKUP = "pickup", _("Pick-up")
    OTHER = "other", _("Other")


class Submission(models.Model):
    """One application at a window (一次申请): one checklist and one receipt for its cases.

    A single matter gives a submission with one case; a bundle (一件事 / 联办) gives one
    submission whose merged checklist asks for a shared material once, and a case per matter.
    """

    hall = models.ForeignKey(
        "hall.Hall", verbose_name=_("hall"), on_delete=models.PROTECT, related_name="submissions"
    )
    bundle = models.ForeignKey(
        "matters.Bundle",
        verbose_name=_("bundle"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ticket = models.ForeignKey(
        "hall.Ticket",
        verbose_name=_("first ticket"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submissions",
    )
    applicant_name = models.CharField(_("applicant"), max_length=60, blank=True)
    # A keyed hash (phone_key / the ticket's holder key): links a returning citizen's ticket.
    applicant_key = models.CharField(_("applicant key"), max_length=64, blank=True, db_index=True)
    opened_at = models.DateTimeField(_("opened at"))

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-opened_at", "-pk"]

    def __str__(self) -> str:
        first = self.cases.order_by("pk").first()
        return first.number if first else f"#{self.pk}"


class LineState(models.TextChoices):
    MISSING = "missing", _("Not received")
    RECEIVED = "received", pgettext_lazy("material", "Received")
    PROMISED = "promised", _("Missing, under a written promise")
    WAIVED = "waived", _("Not needed")


class ReceiptLine(models.Model):
    """One material of a submission's checklist and what was actually received (收件凭证)."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.CASCADE, related_name="lines"
    )
    key = models.CharField(
        _("normalised name"), max_length=200, help_text=_("The normalised name materials merge by.")
    )
    name = models.CharField(_("name"), max_length=200)
    required = models.BooleanField(_("required"), default=True)
    form = models.CharField(
        _("form"), max_length=16, choices=MaterialForm.choices, default=MaterialForm.ORIGINAL
    )
    copies = models.PositiveSmallIntegerField(_("copies asked"), default=1)
    state = models.CharField(
        _("state"), max_length=10, choices=LineState.choices, default=LineState.MISSING
    )
    received_form = models.CharField(
        _("received as"), max_length=16, choices=MaterialForm.choices, blank=True
    )
    received_count = models.PositiveSmallIntegerField(_("count received"), default=0)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    promise_text = models.CharField(_("written promise"), max_length=300, blank=True)
    promise_due = models.DateField(_("promised by"), null=True, blank=True)
    matters = models.CharField(
        _("matters"), max_length=300, blank=True, help_text=_("Codes of the matters asking for it.")
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("receipt line")
        verbose_name_plural = _("receipt lines")
        ordering = ["submission", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "key"], name="receipt_line_key_unique")
        ]

    def __str__(self) -> str:
        return self.name


class CaseCounter(models.Model):
    """The per-hall, per-year case sequence (DNL-2026-000123): on SQLite ``last`` is the
    sequence; on PostgreSQL the row registers a ``SEQUENCE`` named after it, which hands out the
    numbers without a lock held to commit, and ``last`` is the number it started after
    (:mod:`hotline.cases.numbering`)."""

    hall = models.ForeignKey(
        "hall.Hall", verbose_name=_("hall"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("case counter")
        verbose_name_plural = _("case counters")
        constraints = [models.UniqueConstraint(fields=["hall", "year"], name="case_counter_unique")]

    def __str__(self) -> str:
        return f"{self.hall_id} {self.year}: {self.last}"


class Case(models.Model):
    """A case (办件): one matter applied for at a hall, from the window to delivery.

    ``due_at`` is a stored copy of :func:`hotline.cases.deadlines.due_at` over the case's events
    (refreshed by every action), kept so the worker and the lists can filter on it.
    """

    number = models.CharField(_("case number"), max_length=32, unique=True)
    hall = models.ForeignKey(
        "hall.Hall", verbose_name=_("hall"), on_delete=models.PROTECT, related_name="cases"
    )
    matter = models.ForeignKey(
        "matters.Matter", verbose_name=_("matter"), on_delete=models.PROTECT, related_name="cases"
    )
    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.PROTECT, related_name="cases"
    )
    # The ticket it was opened at; later visits (their tickets) are VISIT events.
    ticket = models.ForeignKey(
        "hall.Ticket",
        verbose_name=_("opened at ticket"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    state = models.CharField(
        _("state"), max_length=12, choices=CaseState.choices, default=CaseState.OPENED
    )
    promised_days = models.PositiveSmallIntegerField(_("promised time limit (working days)"))
    declared_visits = models.PositiveSmallIntegerField(_("declared visits"))
    opened_at = models.DateTimeField(_("opened at"))
    due_at = models.DateTimeField(_("promised by"), null=True, blank=True, db_index=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    delivery = models.CharField(_("delivery"), max_length=10, choices=Delivery.choices, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    urge_level = models.PositiveSmallIntegerField(_("urge level"), default=0)
    version = models.PositiveIntegerField(_("version"), default=0)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_at", "-pk"]
        indexes = [models.Index(fields=["hall", "state"], name="case_hall_state")]

    def __str__(self) -> str:
        return self.number


class CaseEvent(AppendOnly):
    """One step of a case: append-only (model, queryset and a PostgreSQL trigger refuse changes).

    ``payload`` carries what the step is about: the materials of a correction notice, the
    ticket and kind of a visit, the days of a special procedure.
    """

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="events"
    )
    seq = models.PositiveIntegerField(_("sequence"))
    action = models.CharField(_("action"), max_length=20, choices=CaseAction.choices)
    at = models.DateTimeField(_("at"), default=clock.now, db_index=True)
    actor = models.ForeignKey(
        "org.User",
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ticket = models.ForeignKey(
        "hall.Ticket",
        verbose_name=_("ticket"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    from_state = models.CharField(
        _("from state"), max_length=12, choices=CaseState.choices, blank=True
    )
    to_state = models.CharField(_("to state"), max_length=12, choices=CaseState.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    payload = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["case", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["case", "seq"], name="case_event_seq_unique")
        ]
        indexes = [models.Index(fields=["action", "at"], name="case_event_action_at")]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.seq} {self.get_action_display()}"
