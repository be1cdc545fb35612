"""好差评: the citizen's rating of one hall visit, its rectification and its append-only events.

A visit is a queue ticket (the cases opened at it are recorded by number when it is rated). Each
ticket is rated once (a unique constraint); a 差评 (the two lowest levels) opens a linked 12345
work order; the citizen's one follow-up rating (追评) after that order closes ends the loop. The
``state`` and ``appeal`` columns change only through :mod:`hotline.ratings.actions`, which writes a
:class:`RatingEvent` in the same transaction.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hotline import clock
from hotline.appendonly import AppendOnly
from hotline.hall.models.selfservice import DeviceEvent, EnrolledDevice


class Level(models.IntegerChoices):
    """The five levels of the national 好差评 scheme, best first."""

    VERY_SATISFIED = 5, _("Very satisfied")
    SATISFIED = 4, _("Satisfied")
    BASICALLY_SATISFIED = 3, _("Basically satisfied")
    DISSATISFIED = 2, _("Dissatisfied")
    VERY_DISSATISFIED = 1, _("Very dissatisfied")


#: 差评: the two lowest levels need a reason and open a rectification order.
BAD_LEVELS = frozenset({Level.DISSATISFIED, Level.VERY_DISSATISFIED})


class Reason(models.TextChoices):
    """Why a citizen rated a service badly (at least one is required for a 差评)."""

    ATTITUDE = "attitude", _("Staff attitude")
    WAITING = "waiting", _("Waited too long")
    MATERIALS = "materials", _("Asked for materials not on the list")
    TRIPS = "trips", _("Had to come more than once")
    NOT_DONE = "not_done", _("The matter was not done")
    RULES = "rules", _("Unclear rules or guidance")
    OTHER = "other", _("Other")


class Channel(models.TextChoices):
    PAD = "pad", _("Window rating pad")
    QR = "qr", _("Ticket QR code")
    SMS = "sms", _("Text message link")


class RatingState(models.TextChoices):
    RATED = "rated", _("Rated")
    RECTIFYING = "rectifying", _("Being rectified")
    FOLLOWED_UP = "followed_up", _("Follow-up rating given")


class AppealState(models.TextChoices):
    NONE = "", _("Not appealed")
    PENDING = "pending", _("Appeal waiting for review")
    APPROVED = "approved", _("Appeal approved: excluded from the figures")
    REJECTED = "rejected", _("Appeal rejected")


class RatingAction(models.TextChoices):
    RATE = "rate", _("Rated")
    RECTIFY = "rectify", _("Rectification order opened")
    FOLLOW_UP = "follow_up", _("Follow-up rating")
    APPEAL = "appeal", _("Appealed by the hall")
    APPROVE_APPEAL = "approve_appeal", _("Appeal approved")
    REJECT_APPEAL = "reject_appeal", _("Appeal rejected")


class Rating(models.Model):
    """A citizen's rating of one visit (a ticket): from the pad, the ticket's QR or an SMS link."""

    ticket = models.OneToOneField(
        "hall.Ticket", verbose_name=_("ticket"), on_delete=models.PROTECT, related_name="rating"
    )
    hall = models.ForeignKey(
        "hall.Hall", verbose_name=_("hall"), on_delete=models.PROTECT, related_name="ratings"
    )
    window = models.ForeignKey(
        "hall.Window",
        verbose_name=_("window"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    clerk = models.ForeignKey(
        "org.User",
        verbose_name=_("clerk"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    matter = models.ForeignKey(
        "matters.Matter", verbose_name=_("matter"), on_delete=models.PROTECT, related_name="+"
    )
    served_at = models.DateTimeField(_("served at"))
    level = models.PositiveSmallIntegerField(_("rating"), choices=Level.choices)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    # The citizen's own words (群众留言), not a reviewer's comment (点评意见).
    comment = models.TextField(pgettext_lazy("a citizen's rating", "comment"), blank=True)
    channel = models.CharField(_("rated through"), max_length=8, choices=Channel.choices)
    rated_at = models.DateTimeField(_("rated at"), default=clock.now, db_index=True)
    # Case numbers (办件) of the visit at the time of rating, so an export keyed by case number
    # needs nothing that may change later.
    case_numbers = models.JSONField(_("case numbers"), default=list, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=RatingState.choices, default=RatingState.RATED
    )
    order = models.OneToOneField(
        "orders.WorkOrder",
        verbose_name=_("rectification order"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hall_rating",
    )
    follow_up_level = models.PositiveSmallIntegerField(
        _("follow-up rating"), choices=Level.choices, null=True, blank=True
    )
    follow_up_comment = models.TextField(_("follow-up comment"), blank=True)
    follow_up_at = models.DateTimeField(_("follow-up at"), null=True, blank=True)
    appeal = models.CharField(
        _("appeal"), max_length=10, choices=AppealState.choices, default="", blank=True
    )
    appeal_reason = models.TextField(_("appeal reason"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("service rating")
        verbose_name_plural = _("service ratings")
        ordering = ["-rated_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=5), name="rating_level_range"
            ),
        ]
        indexes = [models.Index(fields=["hall", "rated_at"], name="rating_hall_rated")]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.get_level_display()}"

    @property
    def is_bad(self) -> bool:
        return self.level in BAD_LEVELS

    @property
    def excluded(self) -> bool:
        """An approved appeal takes the rating out of every figure."""
        return self.appeal == AppealState.APPROVED

    def reason_labels(self) -> list[str]:
        labels = dict(Reason.choices)
        return [str(labels.get(code, code)) for code in self.reasons]


class RatingEvent(AppendOnly):
    """One step of a rating: who (``None``: the citizen or the system), when, what. Append-only."""

    rating = models.ForeignKey(
        Rating, verbose_name=_("service rating"), on_delete=models.PROTECT, related_name="events"
    )
    seq = models.PositiveIntegerField(_("sequence"))
    action = models.CharField(_("action"), max_length=16, choices=RatingAction.choices)
    at = models.DateTimeField(_("at"), db_index=True)
    actor = models.ForeignKey(
        "org.User",
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    from_state = models.CharField(
        _("from state"), max_length=12, choices=RatingState.choices, blank=True
    )
    to_state = models.CharField(_("to state"), max_length=12, choices=RatingState.choices)
    reason = models.TextField(_("reason"), blank=True)
    payload = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("rating event")
        verbose_name_plural = _("rating events")
        ordering = ["rating", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["rating", "seq"], name="rating_event_seq_unique")
        ]

    def __str__(self) -> str:
        return f"{self.rating_id}#{self.seq} {self.get_action_display()}"


class HallReferral(models.Model):
    """办不成事: a citizen could not get their matter done at the hall; the hall's staff turned it
    into a 12345 work order in one step, carrying the ticket and case numbers. Written once."""

    hall = models.ForeignKey(
        "hall.Hall", verbose_name=_("hall"), on_delete=models.PROTECT, related_name="referrals"
    )
    ticket = models.ForeignKey(
        "hall.Ticket",
        verbose_name=_("ticket"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    case_numbers = models.JSONField(_("case numbers"), default=list, blank=True)
    order = models.OneToOneField(
        "orders.WorkOrder",
        verbose_name=_("work order"),
        on_delete=models.PROTECT,
        related_name="hall_referral",
    )
    reported_by = models.ForeignKey(
        "org.User", verbose_name=_("reported by"), on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(_("reported at"), default=clock.now)

    class Meta:
        verbose_name = _("could-not-get-it-done referral")
        verbose_name_plural = _("could-not-get-it-done referrals")
        ordering = ["-reported_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.hall_id} → {self.order_id}"


class Pad(EnrolledDevice):
    """The rating pad (评价器) at a window: the one browser the hall's manager enrolled as it,
    on the tablet itself (:mod:`hotline.ratings.pad`). Only that browser is shown the window's
    finished services and may post their ratings; the row exists from the first enrolment."""

    window = models.OneToOneField(
        "hall.Window", verbose_name=_("window"), on_delete=models.CASCADE, related_name="pad"
    )

    class Meta:
        verbose_name = _("rating pad")
        verbose_name_plural = _("rating pads")

    def __str__(self) -> str:
        return str(self.window)


class PadAction(models.TextChoices):
    ENROL = "enrol", _("Browser enrolled as the rating pad")
    REVOKE = "revoke", _("Enrolment revoked")


class PadEvent(DeviceEvent):
    """Who enrolled a browser as a window's rating pad, or revoked it, and when: append-only."""

    pad = models.ForeignKey(
        Pad, verbose_name=_("rating pad"), on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(_("action"), max_length=12, choices=PadAction.choices)

    class Meta(DeviceEvent.Meta):
        verbose_name = _("rating pad event")
        verbose_name_plural = _("rating pad events")

    def __str__(self) -> str:
        return f"{self.pad_id} {self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"
