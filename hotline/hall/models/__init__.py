"""The service hall: halls, windows, tickets and their append-only events (product.md).

A hall is a unit of kind SERVICE_CENTRE; its settings (fairness rule, service level, no-show
rules, caps) live on :class:`Hall`. Every ticket step is a :class:`TicketEvent` and every window
step a :class:`WindowEvent`; hall KPIs are computed from those rows only.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hotline import clock
from hotline.appendonly import AppendOnly

# Re-exported: the project imports every hall model from hotline.hall.models.
from hotline.hall.models.appointments import (  # noqa: F401
    Appointment,
    AppointmentAction,
    AppointmentChannel,
    AppointmentEvent,
    AppointmentSlot,
    AppointmentState,
    OpenSlots,
    SlotAction,
    SlotEvent,
)
from hotline.hall.models.selfservice import (  # noqa: F401
    Kiosk,
    KioskAction,
    KioskEvent,
    SelfServiceKind,
    SelfServiceUse,
)

if TYPE_CHECKING:
    from hotline.matters.models import Matter
    from hotline.org.models import Unit


class Fairness(models.TextChoices):
    """How priority visitors and the others share the windows (declared on the board)."""

    STRICT = "strict", _("Priority first")
    INTERLEAVE = "interleave", _("Interleave N priority : M regular")
    TIME_WEIGHTED = "time_weighted", _("Time-weighted")


class Hall(models.Model):
    """A service centre's hall (服务中心 / 大厅) and the rules its queue runs by."""

    unit = models.OneToOneField(
        "org.Unit", verbose_name=_("service centre"), on_delete=models.PROTECT, related_name="hall"
    )
    code = models.SlugField(_("code"), max_length=32, unique=True)
    fairness = models.CharField(
        _("fairness rule"), max_length=16, choices=Fairness.choices, default=Fairness.INTERLEAVE
    )
    interleave_priority = models.PositiveSmallIntegerField(
        _("interleave: priority calls (N)"), default=2, validators=[MinValueValidator(1)]
    )
    interleave_regular = models.PositiveSmallIntegerField(
        _("interleave: regular calls (M)"), default=1, validators=[MinValueValidator(1)]
    )
    priority_boost_minutes = models.PositiveSmallIntegerField(
        _("time-weighted: minutes a priority visitor is moved ahead"), default=15
    )
    service_level_minutes = models.PositiveSmallIntegerField(
        _("service level (minutes of waiting)"), default=20, validators=[MinValueValidator(1)]
    )
    recalls_before_no_show = models.PositiveSmallIntegerField(
        _("recalls before a no-show"), default=2, validators=[MaxValueValidator(9)]
    )
    no_show_minutes = models.PositiveSmallIntegerField(
        _("minutes after the call before a no-show"), default=5, validators=[MinValueValidator(1)]
    )
    reactivate_minutes = models.PositiveSmallIntegerField(
        _("minutes a no-show ticket can be reactivated"), default=30
    )
    daily_cap = models.PositiveIntegerField(_("tickets per matter per day (0: no cap)"), default=0)
    hourly_cap = models.PositiveIntegerField(
        _("tickets per matter per hour (0: no cap)"), default=0
    )
    sms_position = models.PositiveSmallIntegerField(
        _("text the citizen when this many are ahead"), default=3
    )
    opens_at = models.TimeField(_("opens at"), default=dt.time(9))
    closes_at = models.TimeField(_("closes at"), default=dt.time(17))
    # Lunch break (午休): the windows close between these on every day they open, Saturday's
    # hours apart; both empty for a hall that serves through lunch (午间不打烊).
    lunch_starts = models.TimeField(
        _("lunch break starts"),
        null=True,
        blank=True,
        help_text=_("Empty with the next field when the windows serve through lunch."),
    )
    lunch_ends = models.TimeField(_("lunch break ends"), null=True, blank=True)
    # Saturday service (周六延时/预约服务): the hours on an ordinary Saturday, both empty when the
    # hall is closed then. A Saturday inside a statutory holiday stays closed; a make-up
    # working Saturday (调休) has the weekday hours, lunch break included.
    saturday_opens_at = models.TimeField(
        _("Saturday: opens at"),
        null=True,
        blank=True,
        help_text=_(
            "Empty with the next field when the hall is closed on Saturdays. A Saturday in a "
            "statutory holiday is closed; a make-up working Saturday has the weekday hours."
        ),
    )
    saturday_closes_at = models.TimeField(_("Saturday: closes at"), null=True, blank=True)
    # Appointments (预约): how far ahead, how many per person, the check-in tolerance.
    booking_days_ahead = models.PositiveSmallIntegerField(
        _("appointments: days ahead"), default=7, validators=[MinValueValidator(1)]
    )
    bookings_per_person = models.PositiveSmallIntegerField(
        _("appointments: open bookings per person"), default=2, validators=[MinValueValidator(1)]
    )
    checkin_early_minutes = models.PositiveSmallIntegerField(
        _("check-in: minutes early"), default=30
    )
    checkin_late_minutes = models.PositiveSmallIntegerField(_("check-in: minutes late"), default=15)
    # Alert thresholds for the manager's live board (three levels: notice, warning, critical).
    saturation_per_window = models.PositiveSmallIntegerField(
        _("alert: waiting tickets per open window"), default=6
    )
    abandon_rate_percent = models.PositiveSmallIntegerField(
        _("alert: no-show and abandon rate (%)"), default=15
    )

    class Meta:
        verbose_name = _("hall")
        verbose_name_plural = _("halls")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.unit.name

    def clean(self) -> None:
        from hotline.org.models import UnitKind

        if self.unit_id and self.unit.kind != UnitKind.SERVICE_CENTRE:
            raise ValidationError({"unit": _("A hall belongs to a service centre unit.")})
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            # Opening and closing on the same day is how hall_open reads them: a hall open
            # 17:00–09:00 would give no ticket at all.
            raise ValidationError({"closes_at": _("The hall's windows close after they open.")})
        errors = self._check_lunch_and_saturday()
        # The alert thresholds (hall.alerts): 0 reads like "off" but alerted at the first ticket
        # waiting (a notice and an SMS with one person in the hall), or at the first no-show.
        if self.saturation_per_window is not None and self.saturation_per_window < 1:
            errors["saturation_per_window"] = _("At least 1 waiting ticket per open window.")
        if self.abandon_rate_percent is not None and not 1 <= self.abandon_rate_percent <= 100:
            errors["abandon_rate_percent"] = _("A rate from 1 to 100 %.")
        if errors:
            raise ValidationError(errors)

    def _check_lunch_and_saturday(self) -> dict[str, Any]:
        """The lunch break lies inside the weekday hours and Saturday's range is a range: each
        pair is given whole or left empty (one time alone says nothing hall_open can read)."""
        errors: dict[str, Any] = {}
        if (self.lunch_starts is None) != (self.lunch_ends is None):
            field = "lunch_ends" if self.lunch_ends is None else "lunch_starts"
            errors[field] = _("Give both ends of the lunch break, or neither.")
        elif self.lunch_starts is not None and self.lunch_ends is not None:
            if self.lunch_ends <= self.lunch_starts:
                errors["lunch_ends"] = _("The lunch break ends after it starts.")
            elif (
                self.opens_at
                and self.closes_at
                and not (self.opens_at < self.lunch_starts and self.lunch_ends < self.closes_at)
            ):
                errors["lunch_starts"] = _(
                    "The lunch break lies inside the windows' hours (%(opens)s–%(closes)s)."
                ) % {"opens": f"{self.opens_at:%H:%M}", "closes": f"{self.closes_at:%H:%M}"}
        if (self.saturday_opens_at is None) != (self.saturday_closes_at is None):
            field = "saturday_closes_at" if self.saturday_closes_at is None else "saturday_opens_at"
            errors[field] = _("Give both Saturday times, or neither (closed on Saturdays).")
        elif (
            self.saturday_opens_at is not None
            and self.saturday_closes_at is not None
            and self.saturday_closes_at <= self.saturday_opens_at
        ):
            errors["saturday_closes_at"] = _("On Saturdays the windows close after they open.")
        return errors


class WindowKind(models.TextChoices):
    COMPREHENSIVE = "comprehensive", _("Comprehensive")
    SPECIALIST = "specialist", _("Specialist")
    REMOTE = "remote", _("Remote (neighbourhood point)")


class WindowState(models.TextChoices):
    # Contexts: "Closed" is also an order state (已归档), a window is 关闭.
    OPEN = "open", pgettext_lazy("window", "Open")
    PAUSED = "paused", pgettext_lazy("window", "Paused")
    CLOSED = "closed", pgettext_lazy("window", "Closed")


class Window(models.Model):
    """A counter (窗口) serving matters with weights; remote windows sit at a 居委会 point."""

    hall = models.ForeignKey(
        Hall, verbose_name=_("hall"), on_delete=models.CASCADE, related_name="windows"
    )
    number = models.PositiveSmallIntegerField(_("window number"))
    name = models.CharField(_("name"), max_length=60, blank=True)
    kind = models.CharField(
        _("kind"), max_length=16, choices=WindowKind.choices, default=WindowKind.COMPREHENSIVE
    )
    place = models.ForeignKey(
        "org.Unit",
        verbose_name=_("remote point"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The neighbourhood committee of a remote window."),
    )
    state = models.CharField(
        _("state"), max_length=8, choices=WindowState.choices, default=WindowState.CLOSED
    )
    pause_reason = models.CharField(_("pause reason"), max_length=100, blank=True)
    clerk = models.ForeignKey(
        "org.User",
        verbose_name=_("clerk"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hall_windows",
    )
    matters: models.ManyToManyField[Matter, WindowMatter] = models.ManyToManyField(
        "matters.Matter", through="WindowMatter", verbose_name=_("matters"), related_name="windows"
    )
    # Changed only through actions.set_auto_call (a window event each time), like state and clerk.
    auto_call = models.BooleanField(
        _("auto-call"),
        default=False,
        help_text=_("Call the next ticket as soon as the window finishes or skips one."),
    )
    # 午间不打烊: the window keeps serving through the hall's lunch break (午休), its matters
    # ticketed, called and booked then while the other windows rest. Changed only through
    # actions.set_serves_lunch (a window event each time).
    serves_lunch = models.BooleanField(
        _("serves through lunch"),
        default=False,
        help_text=_(
            "During the hall's lunch break this window keeps calling, and its matters are "
            "ticketed and booked then."
        ),
    )

    class Meta:
        verbose_name = _("window")
        verbose_name_plural = _("windows")
        ordering = ["hall", "number"]
        constraints = [
            models.UniqueConstraint(fields=["hall", "number"], name="window_hall_number_unique"),
            # A clerk sits at one window at a time.
            models.UniqueConstraint(
                fields=["clerk"], condition=models.Q(clerk__isnull=False), name="window_one_clerk"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hall} · {self.number}"

    @property
    def label(self) -> str:
        """What the staff's pages call it after its number: the name the admin gave it (医保窗口),
        else its kind (综合窗口); the name was shown nowhere (walk-through, session 24, L3)."""
        return self.name or str(self.get_kind_display())

    def clean(self) -> None:
        """A remote window, and only one, sits at a neighbourhood committee (the point's list
        offers every unit of the district)."""
        from hotline.org.models import UnitKind

        if self.kind == WindowKind.REMOTE and self.place_id is None:
            raise ValidationError(
                {"place": _("A remote window names the neighbourhood committee it sits at.")}
            )
        if self.place_id is not None and self.kind != WindowKind.REMOTE:
            raise ValidationError({"place": _("Only a remote window sits at a remote point.")})
        if self.place is not None and self.place.kind != UnitKind.NEIGHBOURHOOD:
            raise ValidationError({"place": _("A remote point is a neighbourhood committee.")})
        if (
            self.place is not None
            and self.hall_id is not None
            and not remote_points(self.hall).filter(pk=self.place.pk).exists()
        ):
            # A street's centre runs remote windows at its own 居委会; the picker listed the
            # district's 59 (leftover of session 24, h5 L1).
            raise ValidationError(
                {
                    "place": _(
                        "A remote point of %(hall)s is one of the neighbourhood "
                        "committees it serves."
                    )
                    % {"hall": self.hall}
                }
            )


def remote_points(hall: Hall) -> models.QuerySet[Unit]:
    """The neighbourhood committees where ``hall`` may have a remote window: those of the area
    its centre serves (the units under the centre's parent: a street's 居委会 for a street's
    centre, the district's for the district's centre)."""
    from hotline.org.models import Unit, UnitKind, subtree_ids

    points = Unit.objects.filter(kind=UnitKind.NEIGHBOURHOOD)
    area = hall.unit.parent_id
    return points if area is None else points.filter(pk__in=subtree_ids([area]))


class WindowMatter(models.Model):
    """A matter a window serves; a window calls its heaviest matters first, the rest as backup."""

    window = models.ForeignKey(
        Window, verbose_name=_("window"), on_delete=models.CASCADE, related_name="served"
    )
    matter = models.ForeignKey(
        "matters.Matter", verbose_name=_("matter"), on_delete=models.CASCADE, related_name="+"
    )
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(9)]
    )

    class Meta:
        verbose_name = _("matter served")
        verbose_name_plural = _("matters served")
        constraints = [
            models.UniqueConstraint(fields=["window", "matter"], name="window_matter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.window} · {self.matter} ×{self.weight}"


class WindowAction(models.TextChoices):
    SIGN_IN = "sign_in", _("Clerk signed in")
    SIGN_OUT = "sign_out", _("Clerk signed out")
    OPEN = "open", _("Opened")
    PAUSE = "pause", _("Paused")
    CLOSE = "close", _("Closed")
    AUTO_CALL_ON = "auto_call_on", _("Auto-call switched on")
    AUTO_CALL_OFF = "auto_call_off", _("Auto-call switched off")
    LUNCH_ON = "lunch_on", _("Set to serve through lunch")
    LUNCH_OFF = "lunch_off", _("Set to rest at lunch")


class WindowEvent(AppendOnly):
    """One window step (sign-in, open, pause with reason, close): the source of idle time."""

    window = models.ForeignKey(
        Window, verbose_name=_("window"), on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(_("action"), max_length=16, choices=WindowAction.choices)
    at = models.DateTimeField(_("at"), default=clock.now, db_index=True)
    clerk = models.ForeignKey(
        "org.User",
        verbose_name=_("clerk"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("window event")
        verbose_name_plural = _("window events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.window} {self.get_action_display()} {self.at:%H:%M}"


class Priority(models.TextChoices):
    """Priority categories (优先): every one but REGULAR shares the priority lane."""

    REGULAR = "regular", _("Regular")
    ELDERLY = "elderly", _("Elderly")
    DISABLED = "disabled", pgettext_lazy("priority", "Disabled")
    PREGNANT = "pregnant", _("Pregnant")
    GREEN = "green", _("Green channel")
    APPOINTMENT = "appointment", _("Appointment")


class Source(models.TextChoices):
    KIOSK = "kiosk", _("Kiosk")
    RECEPTION = "reception", _("Reception desk")
    PORTAL = "portal", _("Portal")
    APPOINTMENT = "appointment", _("Appointment check-in")
    REMOTE = "remote", _("Remote point")


class TicketState(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    CALLED = "called", _("Called")
    SERVING = "serving", _("Being served")
    HELD = "held", _("On hold")
    # "Service finished", not "concluded" (已办结): a case served on it may still wait for
    # corrected materials (walk-through, session 25, B-M1); an assistance's outcome keeps "Done".
    DONE = "done", pgettext_lazy("ticket state", "Done")
    NO_SHOW = "no_show", _("No-show")
    CANCELLED = "cancelled", _("Cancelled")
    # Neither served nor abandoned: the hall's day ended with the ticket still open, or an
    # appointment checked in for the same matter took its place (the event says which).
    ENDED = "ended", pgettext_lazy("ticket", "Ended")


#: A person may hold one ticket per matter in these states.
ACTIVE_STATES = (
    TicketState.WAITING,
    TicketState.CALLED,
    TicketState.SERVING,
    TicketState.HELD,
)


class HolderProof(models.TextChoices):
    """How a ticket's holder showed the phone or ID number it is keyed to is theirs; set by the
    actions only. A number typed at the kiosk proves nothing (anyone who knows it can type it):
    that ticket is unproved, ``""``, and is to the one-ticket rule, the appointment check-in and
    the 12345 caller history what an anonymous ticket is — a ticket, just not that person's."""

    NONE = "", _("Not proved (typed at the kiosk)")
    SMS = "sms", _("Code texted to the number")
    BOOKING = "booking", _("Appointment checked in")
    STAFF = "staff", _("Seen by hall staff")


class TicketCounter(models.Model):
    """Hands out the per-day sequence of one prefix in one hall (A001, A002 …; reset daily)."""

    hall = models.ForeignKey(
        Hall, verbose_name=_("hall"), on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day"))
    prefix = models.CharField(_("prefix"), max_length=16)
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("ticket counter")
        verbose_name_plural = _("ticket counters")
        constraints = [
            models.UniqueConstraint(fields=["hall", "day", "prefix"], name="ticket_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.prefix}: {self.last}"


class Ticket(models.Model):
    """A queue ticket (取号): the number keeps through transfers; every step is a TicketEvent."""

    hall = models.ForeignKey(
        Hall, verbose_name=_("hall"), on_delete=models.PROTECT, related_name="tickets"
    )
    day = models.DateField(_("day"))
    number = models.CharField(_("ticket number"), max_length=20)
    matter = models.ForeignKey(
        "matters.Matter", verbose_name=_("matter"), on_delete=models.PROTECT, related_name="+"
    )
    priority = models.CharField(
        _("priority"), max_length=12, choices=Priority.choices, default=Priority.REGULAR
    )
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=TicketState.choices, default=TicketState.WAITING
    )
    # Keyed hashes only (phone_key / id_key): the hall never stores a number in clear.
    holder_key = models.CharField(_("holder"), max_length=64, blank=True, db_index=True)
    holder_name = models.CharField(
        _("name shown masked"), max_length=30, blank=True, help_text=_("Shown as 张* on boards.")
    )
    holder_proof = models.CharField(
        _("holder proved by"),
        max_length=8,
        choices=HolderProof.choices,
        default=HolderProof.NONE,
        blank=True,
    )
    # A key of the real-name phone for the near-the-front SMS; kept only as the notify target.
    sms_phone = models.CharField(_("number for the SMS"), max_length=30, blank=True)
    # The language of the page the number was given on (one of LANGUAGES), for the SMS to be
    # in it (hotline.hall.sms); set and erased with ``sms_phone``, empty without it.
    sms_language = models.CharField(
        _("language of the SMS"), max_length=16, blank=True, editable=False
    )
    token = models.CharField(
        _("token"), max_length=32, unique=True, help_text=_("The my-place link's key.")
    )
    target_window = models.ForeignKey(
        Window,
        verbose_name=_("requested window"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    window = models.ForeignKey(
        Window,
        verbose_name=_("window"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
    )
    clerk = models.ForeignKey(
        "org.User",
        verbose_name=_("clerk"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued at"))
    queued_at = models.DateTimeField(_("in the queue since"), db_index=True)
    called_at = models.DateTimeField(_("called at"), null=True, blank=True)
    recalls = models.PositiveSmallIntegerField(_("recalls"), default=0)
    estimate_low = models.PositiveIntegerField(_("estimated wait from (minutes)"), null=True)
    estimate_high = models.PositiveIntegerField(_("estimated wait to (minutes)"), null=True)
    sms_sent = models.BooleanField(_("SMS sent"), default=False)
    version = models.PositiveIntegerField(_("version"), default=0)

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["hall", "day", "queued_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["hall", "day", "number"], name="ticket_number_unique"),
            # One active ticket per person per matter and day, enforced by the database too (a
            # ticket left waiting when the hall closed must not refuse its holder the next day).
            # Proved holders only: a number typed at the kiosk by a stranger must not refuse the
            # number's owner their ticket (attack, session 19).
            models.UniqueConstraint(
                fields=["hall", "day", "matter", "holder_key"],
                condition=models.Q(state__in=[s.value for s in ACTIVE_STATES])
                & ~models.Q(holder_key="")
                & ~models.Q(holder_proof=""),
                name="ticket_one_active_per_holder",
            ),
        ]
        indexes = [
            # Also call-next's heads (ROW_NUMBER per priority class and target window, by queue
            # time): an index range read in that order, no sort (a superset of the old index).
            models.Index(
                fields=["hall", "state", "day", "priority", "target_window", "queued_at", "id"],
                name="ticket_queue_heads",
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def proved_key(self) -> str:
        """The holder key when the holder proved the number theirs (:class:`HolderProof`), else
        ``""``: what links a visit to the person's open case, pre-review and 12345 orders. A
        number typed at the kiosk is no one's until staff at the window see the person."""
        return self.holder_key if self.holder_proof else ""


class TicketAction(models.TextChoices):
    ISSUE = "issue", _("Issued")
    CALL = "call", _("Called")
    RECALL = "recall", _("Called again")
    START = "start", _("Service started")
    FINISH = "finish", _("Finished")
    NO_SHOW = "no_show", _("No-show")
    REACTIVATE = "reactivate", _("Reactivated")
    HOLD = "hold", _("Put on hold")
    CALL_BACK = "call_back", _("Called back")
    TRANSFER = "transfer", _("Transferred")
    CANCEL = "cancel", _("Cancelled")
    DAY_END = "day_end", _("Closed at the day's end")
    REPLACE = "replace", _("Replaced by an appointment")
    REPRINT = "reprint", _("Printed again")
    MERGE = "merge", _("Ended: its holder was served on another ticket")


class TicketEvent(AppendOnly):
    """One step of a ticket: append-only; the source of every hall KPI and of the queue order."""

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.PROTECT, related_name="events"
    )
    hall = models.ForeignKey(
        Hall, verbose_name=_("hall"), on_delete=models.PROTECT, related_name="+"
    )
    seq = models.PositiveIntegerField(_("sequence"))
    action = models.CharField(_("action"), max_length=12, choices=TicketAction.choices)
    at = models.DateTimeField(_("at"), db_index=True)
    actor = models.ForeignKey(
        "org.User",
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    window = models.ForeignKey(
        Window,
        verbose_name=_("window"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    matter = models.ForeignKey(
        "matters.Matter", verbose_name=_("matter"), on_delete=models.PROTECT, related_name="+"
    )
    priority = models.CharField(_("priority"), max_length=12, choices=Priority.choices)
    from_state = models.CharField(
        _("from state"), max_length=10, choices=TicketState.choices, blank=True
    )
    to_state = models.CharField(_("to state"), max_length=10, choices=TicketState.choices)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    payload = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "seq"], name="ticket_event_seq_unique")
        ]
        indexes = [models.Index(fields=["hall", "action", "at"], name="ticket_event_hall_at")]

    def __str__(self) -> str:
        return f"{self.ticket_id}#{self.seq} {self.get_action_display()}"


class AlertLevel(models.IntegerChoices):
    NOTICE = 1, pgettext_lazy("alert level", "Notice")
    WARNING = 2, pgettext_lazy("alert level", "Warning")
    CRITICAL = 3, pgettext_lazy("alert level", "Critical")


class AlertKind(models.TextChoices):
    WAIT = "wait", _("Waiting over the service level")
    SATURATION = "saturation", _("Too many waiting per open window")
    ABANDON = "abandon", _("No-show and abandon rate")
    # A ticket transferred to a window that then paused or closed (a close sends them back to
    # their queue; one transferred as it closed, or to a paused window, still waits there).
    NOT_OPEN = "not_open", _("Waiting for a window that is not open")


class Alert(models.Model):
    """A condition on the manager's live board: raised once, acknowledged, cleared when it ends."""

    hall = models.ForeignKey(
        Hall, verbose_name=_("hall"), on_delete=models.CASCADE, related_name="alerts"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=AlertKind.choices)
    level = models.PositiveSmallIntegerField(_("alert level"), choices=AlertLevel.choices)
    message = models.CharField(_("message"), max_length=200)
    raised_at = models.DateTimeField(_("raised at"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        "org.User",
        verbose_name=_("acknowledged by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cleared_at = models.DateTimeField(_("cleared at"), null=True, blank=True)

    class Meta:
        verbose_name = _("hall alert")
        verbose_name_plural = _("hall alerts")
        ordering = ["-raised_at"]
        constraints = [
            # One live alert per kind and hall: a condition that persists is not raised again.
            models.UniqueConstraint(
                fields=["hall", "kind"],
                condition=models.Q(cleared_at__isnull=True),
                name="alert_one_live_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.hall} {self.kind} {self.level}"
