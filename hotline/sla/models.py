"""Deadline policies and the working-day calendar's admin-entered days."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")
    CRITICAL = "critical", _("Critical")


class Basis(models.TextChoices):
    """How a rule's amounts are counted."""

    WORKING_DAYS = "working_days", _("Working days")
    WORKING_HOURS = "working_hours", _("Working hours")
    HOURS = "hours", _("Wall-clock hours")


class DeadlinePolicy(models.Model):
    """A named set of deadlines, one :class:`DeadlineRule` per urgency, attached to categories."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("deadline policy")
        verbose_name_plural = _("deadline policies")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def rule_for(self, urgency: str) -> DeadlineRule | None:
        return self.rules.filter(urgency=urgency).first()


class DeadlineRule(models.Model):
    """The deadlines of one policy at one urgency. Each amount is counted in ``basis`` from the
    moment its clock starts (dispatch for accept, accept for first contact and reply, reply
    approval for callback). Zero means "no deadline"."""

    policy = models.ForeignKey(
        DeadlinePolicy, verbose_name=_("policy"), on_delete=models.CASCADE, related_name="rules"
    )
    urgency = models.CharField(_("urgency"), max_length=16, choices=Urgency.choices)
    basis = models.CharField(_("counted in"), max_length=16, choices=Basis.choices)
    accept = models.PositiveIntegerField(_("sign for within"), default=1)
    first_contact = models.PositiveIntegerField(_("first contact within"), default=1)
    reply = models.PositiveIntegerField(_("reply within"), default=5)
    return_window = models.PositiveIntegerField(_("return allowed within"), default=2)
    callback = models.PositiveIntegerField(_("call back within"), default=2)

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        ordering = ["policy", "urgency"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "urgency"], name="deadline_rule_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.policy} · {self.get_urgency_display()}"

    def clean(self) -> None:
        # Both count from the unit's signing for: a first contact due after the reply is due
        # (a tired 15 typed in the wrong column) would never be asked for in time.
        if self.first_contact and self.reply and self.first_contact > self.reply:
            raise ValidationError(
                {"first_contact": _("The first contact is due no later than the reply.")}
            )


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Holiday (no work)")
    WORKDAY = "workday", _("Working day (make-up day 调休)")


class CalendarDay(models.Model):
    """An admin-entered exception to the weekly pattern: a statutory holiday or a make-up working
    day. Entries override the bundled chinese-calendar data, so a year it does not know yet can be
    entered by hand as soon as the State Council publishes it."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}".strip()

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        _invalidate_calendar()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        _invalidate_calendar()
        return result


class CalendarYear(models.Model):
    """Marks a year whose holidays an admin has entered completely, so it counts as known."""

    year = models.PositiveIntegerField(_("year"), unique=True)
    complete = models.BooleanField(_("all holidays entered"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        _invalidate_calendar()


def _invalidate_calendar() -> None:
    # This process sees an admin's change at once; other processes within a minute.
    from hotline.sla import calendar

    calendar.invalidate()
