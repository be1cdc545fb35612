"""Assessment settings: how KPIs are scored, weighted and ranked (docs/kpis.md)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings as django_settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class SatisfactionMeasure(models.TextChoices):
    """Which satisfaction figure enters the composite score (centres differ)."""

    RATE = "rate", _("Satisfaction rate (满意率)")
    SCORE = "score", _("Satisfaction score (满意度得分)")


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
    satisfaction_measure = models.CharField(
        _("satisfaction measure that carries the weight"),
        max_length=8,
        choices=SatisfactionMeasure.choices,
        default=SatisfactionMeasure.RATE,
        help_text=_(
            "满意率 (satisfied and basically satisfied ÷ callbacks reached), as centres publish "
            "it, or 满意度得分 (the average of the points per verdict). Both are always shown."
        ),
    )
    basically_satisfied_counts = models.BooleanField(
        _("basically satisfied counts as satisfied"),
        default=True,
        help_text=_("Whether 基本满意 counts in the numerator of the satisfaction rate (满意率)."),
    )
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

    sampling_pass_score = models.PositiveSmallIntegerField(
        _("sampling review pass mark"),
        default=80,
        validators=[MaxValueValidator(100)],
        help_text=_("A sampled order reviewed below this score (0-100) costs its unit points."),
    )
    sampling_deduction = models.DecimalField(
        _("deduction per failed sampled order"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(0)],
    )
    supervision_deduction = models.DecimalField(
        _("deduction per supervision"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0.50"),
        validators=[MinValueValidator(0)],
        help_text=_("Points taken from the composite score for each supervision (督办) opened."),
    )
    kb_upkeep_factor = models.DecimalField(
        _("knowledge-base upkeep deduction factor"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(0)],
        help_text=_(
            "The unit's knowledge-base upkeep deduction (late upkeep tasks, articles past their "
            "review date) is multiplied by this; 0 leaves it out of the score."
        ),
    )

    # Service centres (hall figures, hotline.assessment.hall): weights in the centre's composite
    # next to the hotline KPI weights above, which apply when a centre also receives orders.
    weight_hall_service_level = models.PositiveSmallIntegerField(
        _("weight: hall waits within the service level"),
        default=40,
        help_text=_(
            "Service centres: the share of called tickets that waited no longer than the "
            "hall's service level."
        ),
    )
    weight_hall_completion = models.PositiveSmallIntegerField(
        _("weight: hall tickets completed"),
        default=30,
        help_text=_("Service centres: 100 minus the no-show and abandon rates (tickets issued)."),
    )
    weight_hall_appointments_kept = models.PositiveSmallIntegerField(
        _("weight: hall appointments kept"),
        default=10,
        help_text=_("Service centres: appointments checked in ÷ checked in and no-shows."),
    )
    weight_hall_case_on_time = models.PositiveSmallIntegerField(
        _("weight: cases concluded on time"),
        default=20,
        help_text=_(
            "Service centres: cases concluded by their promised date ÷ cases whose promised "
            "date fell in the period (concluded, or past it)."
        ),
    )
    weight_hall_one_visit = models.PositiveSmallIntegerField(
        _("weight: cases done in one visit"),
        default=10,
        help_text=_(
            "Service centres: cases finished in the period that took at most one visit (一次办) "
            "÷ cases finished in the period."
        ),
    )
    weight_hall_good_rating = models.PositiveSmallIntegerField(
        _("weight: good ratings"),
        default=20,
        help_text=_("Service centres: 好评 (the three upper levels) ÷ ratings in the period."),
    )
    weight_hall_rectified_on_time = models.PositiveSmallIntegerField(
        _("weight: bad ratings rectified on time"),
        default=10,
        help_text=_(
            "Service centres: 差评 whose rectification order was replied by its deadline ÷ "
            "差评 replied or past that deadline."
        ),
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
            (
                "satisfaction"
                if self.satisfaction_measure == SatisfactionMeasure.RATE
                else "satisfaction_score"
            ): self.weight_satisfaction,
            "reopen": self.weight_reopen,
            "return": self.weight_return,
        }

    def hall_weights(self) -> dict[str, int]:
        """Hall KPI name → weight, for the service centres' composite (hotline.assessment.hall)."""
        return {
            "hall_within_level": self.weight_hall_service_level,
            "hall_completed": self.weight_hall_completion,
            "hall_appointments_kept": self.weight_hall_appointments_kept,
            "hall_case_on_time": self.weight_hall_case_on_time,
            "hall_one_visit": self.weight_hall_one_visit,
            "hall_good_rating": self.weight_hall_good_rating,
            "hall_rectified_on_time": self.weight_hall_rectified_on_time,
        }


class ReviewCriterion(models.Model):
    """One line of the sampling-review rubric (点评评分项), e.g. "reply addresses the request"."""

    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("what the reviewer checks"), blank=True)
    max_points = models.PositiveSmallIntegerField(
        _("maximum points"), default=10, validators=[MinValueValidator(1)]
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("review criterion")
        verbose_name_plural = _("review rubric")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.max_points})"


class SampleStrategy(models.TextChoices):
    SIMPLE = "simple", _("Simple random sample")
    STRATIFIED = "stratified", _("Stratified by unit (proportional)")
    PER_UNIT = "per_unit", _("The same number from each unit")


class SampleDraw(models.Model):
    """One random draw of orders for review (随机抽选工单点评), reproducible from its record:
    the same seed, strategy and filters over the same data draw the same orders."""

    drawn_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL,
        verbose_name=_("drawn by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    drawn_at = models.DateTimeField(_("drawn at"))
    seed = models.BigIntegerField(_("seed"))
    strategy = models.CharField(_("strategy"), max_length=16, choices=SampleStrategy.choices)
    size = models.PositiveIntegerField(
        _("sample size"), help_text=_("Orders in all (per unit for the per-unit strategy).")
    )
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    population = models.PositiveIntegerField(_("orders eligible"), default=0)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("sample draw")
        verbose_name_plural = _("sample draws")
        ordering = ["-drawn_at", "-pk"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.drawn_at:%Y-%m-%d} ({self.size})"


class SampleItem(models.Model):
    """An order drawn in a sample, with the unit it was drawn for (its lead unit then)."""

    draw = models.ForeignKey(
        SampleDraw, verbose_name=_("draw"), on_delete=models.CASCADE, related_name="items"
    )
    order = models.ForeignKey(
        "orders.WorkOrder", verbose_name=_("order"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    position = models.PositiveIntegerField(_("position"))

    class Meta:
        verbose_name = _("sampled order")
        verbose_name_plural = _("sampled orders")
        ordering = ["draw", "position"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "order"], name="sample_item_once_per_draw")
        ]

    def __str__(self) -> str:
        return f"{self.draw_id}:{self.position}"


class SampleReview(models.Model):
    """A reviewer's scores on the rubric and comment (点评) for one sampled order.

    ``scores`` keeps each criterion's name, points and maximum as they were, so a later rubric
    change does not rewrite past reviews; ``score`` is the total as a percentage (0-100).
    """

    item = models.OneToOneField(
        SampleItem, verbose_name=_("sampled order"), on_delete=models.CASCADE, related_name="review"
    )
    reviewer = models.ForeignKey(
        django_settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), db_index=True)
    scores = models.JSONField(_("scores"), default=list)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    comment = models.TextField(_("comment"))

    class Meta:
        verbose_name = _("sampling review")
        verbose_name_plural = _("sampling reviews")

    def __str__(self) -> str:
        return f"{self.item} {self.score}"
