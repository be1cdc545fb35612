"""Assessment settings: how KPIs are scored, weighted and ranked (docs/kpis.md)."""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class KpiSettings(models.Model):
    """The one row of assessment settings, edited in the admin.

    Weights are relative: the composite score divides by the sum of the weights of the KPIs a unit
    has figures for, so a unit with no callbacks in the period is not punished for the empty cell.
    """

    SINGLETON_PK = 1

    score_satisfied = models.PositiveSmallIntegerField(
        _("points for satisfied"), default=100, validators=[MaxValueValidator(100)]
    )
    score_basically_satisfied = models.PositiveSmallIntegerField(
        _("points for basically satisfied"), default=80, validators=[MaxValueValidator(100)]
    )
    score_dissatisfied = models.PositiveSmallIntegerField(
        _("points for dissatisfied"), default=0, validators=[MaxValueValidator(100)]
    )
    weight_sign_for = models.PositiveSmallIntegerField(_("weight: sign-for on time"), default=10)
    weight_first_contact = models.PositiveSmallIntegerField(_("weight: first contact"), default=10)
    weight_on_time_reply = models.PositiveSmallIntegerField(
        _("weight: replied on time"), default=20
    )
    weight_resolution = models.PositiveSmallIntegerField(_("weight: resolution"), default=20)
    weight_satisfaction = models.PositiveSmallIntegerField(_("weight: satisfaction"), default=30)
    weight_reopen = models.PositiveSmallIntegerField(
        _("weight: not reopened"),
        default=5,
        help_text=_("Scored as 100 minus the reopen rate."),
    )
    weight_return = models.PositiveSmallIntegerField(
        _("weight: not returned"),
        default=5,
        help_text=_("Scored as 100 minus the return rate."),
    )
    minimum_volume = models.PositiveIntegerField(
        _("minimum volume to be ranked"),
        default=10,
        help_text=_("Units that received fewer orders in the period are shown but not ranked."),
    )

    class Meta:
        verbose_name = _("KPI settings")
        verbose_name_plural = _("KPI settings")

    def __str__(self) -> str:
        return str(_("KPI settings"))

    def save(self, *args: Any, **kwargs: Any) -> None:
        # One row only: whatever the admin submits lands on the singleton.
        self.pk = self.SINGLETON_PK
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> KpiSettings:
        """The settings row, created with the documented defaults on first use."""
        settings, _created = cls.objects.get_or_create(pk=cls.SINGLETON_PK)
        return settings

    def weights(self) -> dict[str, int]:
        """KPI name → weight, for the KPIs that enter the composite score."""
        return {
            "sign_for": self.weight_sign_for,
            "first_contact": self.weight_first_contact,
            "on_time_reply": self.weight_on_time_reply,
            "resolution": self.weight_resolution,
            "satisfaction": self.weight_satisfaction,
            "reopen": self.weight_reopen,
            "return": self.weight_return,
        }
