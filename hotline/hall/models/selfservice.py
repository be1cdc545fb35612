"""The 24-hour self-service area (24小时自助区): registered kiosks and every use of them.

A :class:`Kiosk` stands in a hall's self-service area with its own opening hours (usually round
the clock) and the matters it completes without a clerk. Each use is a
:class:`SelfServiceUse` row, appended and never changed, counted by matter in the hall figures.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from hotline.appendonly import AppendOnly


class EnrolledDevice(models.Model):
    """A machine of the hall that one browser is enrolled as (a kiosk, a window's rating pad).

    The browser enrolled as the device holds a signed cookie naming the device and this token
    (:mod:`hotline.hall.devices`); enrolling again or revoking replaces or clears it, so the old
    cookies no longer name the device. Written only by the device's actions (with an event)."""

    enrolment_token = models.CharField(
        _("enrolment token"), max_length=64, blank=True, editable=False
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), null=True, blank=True, editable=False)

    class Meta:
        abstract = True


class Kiosk(EnrolledDevice):
    """A self-service machine (自助终端) registered to a hall: where, when, and what it does."""

    hall = models.ForeignKey(
        "hall.Hall", verbose_name=_("hall"), on_delete=models.CASCADE, related_name="kiosks"
    )
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=60)
    place = models.CharField(
        _("place"),
        max_length=100,
        help_text=_("Where it stands, e.g. the 24-hour area by the east door."),
    )
    round_the_clock = models.BooleanField(_("open 24 hours"), default=True)
    opens_at = models.TimeField(_("opens at"), default=dt.time(0))
    closes_at = models.TimeField(_("closes at"), default=dt.time(23, 59))
    matters = models.ManyToManyField(
        "matters.Matter",
        verbose_name=_("matters completed here"),
        blank=True,
        related_name="kiosks",
        help_text=_("Matters a citizen completes at this kiosk without a clerk."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("self-service kiosk")
        verbose_name_plural = _("self-service kiosks")
        ordering = ["hall", "code"]

    def __str__(self) -> str:
        return f"{self.name} · {self.place}"

    def clean(self) -> None:
        if not self.round_the_clock and self.opens_at >= self.closes_at:
            raise ValidationError({"closes_at": _("A kiosk closes after it opens.")})


class KioskAction(models.TextChoices):
    ENROL = "enrol", _("Browser enrolled as the kiosk")
    REVOKE = "revoke", _("Enrolment revoked")


class DeviceEvent(AppendOnly):
    """Who enrolled a browser as an :class:`EnrolledDevice`, or revoked it, and when:
    append-only. Each kind of device names its device and its actions' choices."""

    at = models.DateTimeField(_("at"), db_index=True)
    actor = models.ForeignKey(
        "org.User", verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True
        ordering = ["at", "pk"]


class KioskEvent(DeviceEvent):
    """Who enrolled a browser as a kiosk, or revoked it, and when: append-only."""

    kiosk = models.ForeignKey(
        Kiosk, verbose_name=_("kiosk"), on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(_("action"), max_length=12, choices=KioskAction.choices)

    class Meta(DeviceEvent.Meta):
        verbose_name = _("kiosk event")
        verbose_name_plural = _("kiosk events")

    def __str__(self) -> str:
        return f"{self.kiosk_id} {self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


class SelfServiceKind(models.TextChoices):
    DONE = "done", _("Matter completed")
    MATERIALS = "materials", _("Material list looked up")


class SelfServiceUse(AppendOnly):
    """One use of a kiosk for one matter: append-only, the source of the self-service figures."""

    kiosk = models.ForeignKey(
        Kiosk, verbose_name=_("kiosk"), on_delete=models.PROTECT, related_name="uses"
    )
    # The hall is copied from the kiosk so the figures group by hall without a join.
    hall = models.ForeignKey(
        "hall.Hall", verbose_name=_("hall"), on_delete=models.PROTECT, related_name="+"
    )
    matter = models.ForeignKey(
        "matters.Matter", verbose_name=_("matter"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=SelfServiceKind.choices)
    at = models.DateTimeField(_("at"))
    hall_open = models.BooleanField(
        _("during the hall's hours"), help_text=_("Whether the hall's windows were open then.")
    )

    class Meta:
        verbose_name = _("self-service use")
        verbose_name_plural = _("self-service uses")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["hall", "kind", "at"], name="selfservice_hall_kind_at")]

    def __str__(self) -> str:
        return f"{self.kiosk_id} {self.matter_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"
