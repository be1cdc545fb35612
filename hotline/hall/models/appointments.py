"""Appointments (预约): bookable slots, the bookings, and every change of a booking as an event.

The write path is :mod:`hotline.hall.actions.appointments`; it appends an
:class:`AppointmentEvent` with each change so the list of appointments can show who did what.
"""

from __future__ import annotations

import itertools

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hotline.appendonly import AppendOnly


class OpenSlots(models.Manager["AppointmentSlot"]):
    """The slots still offered: a closed slot is history (its cancelled and missed bookings, its
    events) and is read through ``AppointmentSlot.history``; booking, the booking page and the
    week's figures see only these."""

    def get_queryset(self) -> models.QuerySet[AppointmentSlot]:
        return super().get_queryset().filter(closed_at__isnull=True)


class AppointmentSlot(models.Model):
    """A bookable time slot for one matter in one hall, with a capacity.

    Opened, changed and closed only through :mod:`hotline.hall.actions.slots` (the manager's
    page and the admin), each step a :class:`SlotEvent`. Closing keeps the row (``closed_at``)
    with the bookings it had: the same time may be opened again as a new slot."""

    hall = models.ForeignKey(
        "hall.Hall", verbose_name=_("hall"), on_delete=models.CASCADE, related_name="slots"
    )
    matter = models.ForeignKey(
        "matters.Matter", verbose_name=_("matter"), on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day"))
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("to"))
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=4)
    closed_at = models.DateTimeField(
        pgettext_lazy("slot", "closed at"), null=True, blank=True, editable=False
    )

    history = models.Manager()  # every slot, closed ones too
    objects = OpenSlots()

    class Meta:
        verbose_name = _("appointment slot")
        verbose_name_plural = _("appointment slots")
        ordering = ["day", "starts"]
        default_manager_name = "objects"
        # Related objects (an appointment's slot) are read whether the slot is closed or not.
        base_manager_name = "history"
        constraints = [
            models.UniqueConstraint(
                fields=["hall", "matter", "day", "starts"],
                condition=models.Q(closed_at__isnull=True),
                name="slot_unique_open_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.starts:%H:%M}-{self.ends:%H:%M}"

    def clean(self) -> None:
        """A slot a citizen can keep: it ends after it starts, holds somebody, lies on a day and
        within the hours the hall's windows are open (a check-in is a ticket, given only then),
        and its matter takes appointments (booking refuses the others)."""
        errors: dict[str, object] = {}
        if self.capacity is not None and self.capacity < 1:
            errors["capacity"] = _("A slot holds at least one appointment.")
        if self.starts and self.ends and self.ends <= self.starts:
            errors["ends"] = _("A slot ends after it starts.")
        if self.matter_id and not self.matter.appointment_allowed:
            errors["matter"] = _("This matter takes no appointments (see the matter catalogue).")
        if self.hall_id and self.day:
            errors.update(self.outside_hours(errors))
        if errors:
            raise ValidationError(errors)

    def _closed_day(self) -> object:
        """Why no slot lies on a day the windows do not open: a Saturday the hall does not
        serve (no 周六延时服务, or one inside a statutory holiday), or a day off."""
        if self.day.weekday() == 5:
            if self.hall.saturday_opens_at is None:
                return _("The hall does not serve on Saturdays.")
            return _("The hall does not serve that Saturday (a public holiday).")
        return _("The hall's windows are closed that day (not a working day).")

    def outside_hours(self, errors: dict[str, object] | None = None) -> dict[str, object]:
        """Where the slot falls outside the windows' hours that day (hours.day_hours): a day
        they do not open, the lunch break (午休) unless a window serves the matter through it
        (午间不打烊), or past the day's or Saturday's closing."""
        from hotline.hall.hours import day_hours, served_through_lunch

        ranges = day_hours(self.hall, self.day)
        if not ranges:
            return {"day": self._closed_day()}
        if not (self.starts and self.ends):
            return {}
        hours = {"opens": f"{ranges[0][0]:%H:%M}", "closes": f"{ranges[-1][1]:%H:%M}"}
        for (_opens, closes), (reopens, _closes) in itertools.pairwise(ranges):
            overlaps = self.starts < reopens and self.ends > closes
            if overlaps and ranges[0][0] <= self.starts < ranges[-1][1]:
                if served_through_lunch(self.hall, self.matter_id):
                    continue  # a window serves the matter through lunch (午间不打烊)
                return {
                    "starts": _(
                        "The windows close for lunch %(starts)s–%(ends)s; no slot lies in it."
                    )
                    % {"starts": f"{closes:%H:%M}", "ends": f"{reopens:%H:%M}"}
                }
        if self.starts < ranges[0][0] or self.starts >= ranges[-1][1]:
            return {
                "starts": _(
                    "The hall's windows are open %(opens)s–%(closes)s; a slot lies within them."
                )
                % hours
            }
        if "ends" not in (errors or {}) and self.ends > ranges[-1][1]:
            return {
                "ends": _("The hall's windows close at %(closes)s; a slot ends by then.") % hours
            }
        return {}


# "Cancelled" alone is a work order's or a ticket's (zh-Hans 已作废, void); a booking the
# citizen or staff called off reads 已取消, hence the context. "No-show" alone is a ticket's
# (过号, called and not answering); a booking nobody came for is 爽约.
class AppointmentState(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CANCELLED = "cancelled", pgettext_lazy("appointment", "Cancelled")
    CHECKED_IN = "checked_in", _("Checked in")
    NO_SHOW = "no_show", pgettext_lazy("appointment", "No-show")
    # Came, but outside the check-in tolerance (too early and not back, too late): no no-show.
    TURNED_AWAY = "turned_away", _("Came, turned away at check-in")


class Appointment(models.Model):
    """A booked slot (预约); checked in at the kiosk by code or phone, it becomes a ticket."""

    slot = models.ForeignKey(
        AppointmentSlot,
        verbose_name=_("appointment slot"),
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    code = models.CharField(_("appointment code"), max_length=8, unique=True)
    holder_key = models.CharField(_("holder key"), max_length=64, db_index=True)
    holder_name = models.CharField(_("holder's name"), max_length=30, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=AppointmentState.choices, default=AppointmentState.BOOKED
    )
    booked_at = models.DateTimeField(_("booked at"))
    booked_by = models.ForeignKey(
        "org.User",
        verbose_name=_("booked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The 12345 operator who booked for a caller; empty when booked on the portal."),
    )
    ticket = models.OneToOneField(
        "hall.Ticket",
        verbose_name=_("ticket"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointment",
    )
    changed_at = models.DateTimeField(_("changed at"), null=True, blank=True)
    # The number the booking was made with, kept only to text its holder if the hall cancels or
    # moves it (hotline.hall.sms): erased when the booking leaves "booked" (checked
    # in, cancelled, missed) and by the worker's pass once its day has passed. Shown on no page.
    notify_phone = models.CharField(
        _("number to text about a change"), max_length=30, blank=True, editable=False
    )
    # The language the booking was made in (one of LANGUAGES; a 12345 operator's choice for the
    # caller), for those texts to be in it: set and erased with ``notify_phone``.
    notify_language = models.CharField(
        _("language to text in"), max_length=16, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["slot__day", "slot__starts", "pk"]

    def __str__(self) -> str:
        return self.code


class AppointmentAction(models.TextChoices):
    BOOK = "book", _("Booked")
    CANCEL = "cancel", pgettext_lazy("appointment", "Cancelled")
    CHECK_IN = "check_in", _("Checked in")
    NO_SHOW = "no_show", pgettext_lazy("appointment", "No-show")
    # The citizen came and the check-in refused them (the state stays, or a no-show marked
    # before they arrived becomes turned away); the reason holds what they were told.
    REFUSE = "refuse", _("Check-in refused")
    TURNED_AWAY = "turned_away", _("Came, turned away at check-in")
    # Staff corrected the holder's name (the admin); the reason holds the name before and after.
    RENAME = "rename", _("Holder's name changed")
    # Moved to another time of the same matter and hall (改约): the code is kept; the event
    # names both slots.
    MOVE = "move", _("Moved to another time")


class AppointmentChannel(models.TextChoices):
    PORTAL = "portal", _("Portal")
    OPERATOR = "operator", _("12345 operator")
    KIOSK = "kiosk", _("Kiosk")
    HALL = "hall", _("Hall staff")
    SYSTEM = "system", _("System")


class AppointmentEvent(AppendOnly):
    """One change of an appointment (booked, cancelled, checked in, no-show) and who made it.

    Append-only like the ticket events; ``actor`` is empty when the citizen acted themselves
    (portal, kiosk) or the worker marked the no-show, and ``channel`` says which."""

    appointment = models.ForeignKey(
        Appointment, verbose_name=_("appointment"), on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(_("action"), max_length=12, choices=AppointmentAction.choices)
    at = models.DateTimeField(_("at"), db_index=True)
    actor = models.ForeignKey(
        "org.User",
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    channel = models.CharField(_("channel"), max_length=12, choices=AppointmentChannel.choices)
    from_state = models.CharField(
        _("from state"), max_length=12, choices=AppointmentState.choices, blank=True
    )
    to_state = models.CharField(_("to state"), max_length=12, choices=AppointmentState.choices)
    # Why hall staff or an operator cancelled someone's booking (required of them, optional for
    # the citizen): the citizen who calls about a booking gone missing is owed the answer.
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    # A move (改约): the time left and the time taken.
    from_slot = models.ForeignKey(
        AppointmentSlot,
        verbose_name=_("moved from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_slot = models.ForeignKey(
        AppointmentSlot,
        verbose_name=_("moved to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("appointment event")
        verbose_name_plural = _("appointment events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.appointment_id} {self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


class SlotAction(models.TextChoices):
    OPEN = "open", pgettext_lazy("slot", "Opened")
    COPY = "copy", _("Copied from the week before")
    CAPACITY = "capacity", _("Capacity changed")
    CLOSE = "close", pgettext_lazy("slot", "Closed")


class SlotEvent(AppendOnly):
    """One change of an appointment slot (opened, copied, capacity changed, closed): who, when,
    the capacity before and after, and the reason when one was given. Appended by
    :mod:`hotline.hall.actions.slots` only; shown on the manager's slot page and in the admin."""

    slot = models.ForeignKey(
        AppointmentSlot,
        verbose_name=_("appointment slot"),
        on_delete=models.PROTECT,
        related_name="events",
    )
    action = models.CharField(_("action"), max_length=12, choices=SlotAction.choices)
    at = models.DateTimeField(_("at"), db_index=True)
    actor = models.ForeignKey(
        "org.User",
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    from_capacity = models.PositiveSmallIntegerField(_("capacity before"), null=True, blank=True)
    to_capacity = models.PositiveSmallIntegerField(_("capacity after"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    copied_from = models.ForeignKey(
        AppointmentSlot,
        verbose_name=_("copied from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("slot event")
        verbose_name_plural = _("slot events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.slot_id} {self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"
