"""Dispatch models on record: which versions exist, which one is in use, what each predicted.

The model files stay under ``DATA_DIR/models/dispatch/<version>/`` (:mod:`hotline.dispatch.store`);
a :class:`DispatchModel` row records a version and whether it is the active one for its target.
A :class:`Prediction` keeps what the active model said about an order when it was registered, so
the report can compare it with the unit that finally kept the order.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from hotline import clock
from hotline.appendonly import AppendOnly
from hotline.dispatch import reasons
from hotline.dispatch.reasons import ChangeReason


class Target(models.TextChoices):
    UNIT = "unit", _("Lead unit")
    CATEGORY = "category", _("Category")


class DispatchModel(models.Model):
    """One trained classifier version; at most one per target is active (chosen in the admin)."""

    version = models.CharField(_("version"), max_length=64, unique=True)
    target = models.CharField(
        _("target"), max_length=16, choices=Target.choices, default=Target.UNIT
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now)
    training_size = models.PositiveIntegerField(_("training size"), default=0)
    metrics = models.JSONField(_("metrics"), default=dict, blank=True)
    threshold = models.FloatField(
        _("auto-dispatch threshold"),
        null=True,
        blank=True,
        help_text=_(
            "Confidence at or above which an order is dispatched automatically; "
            "empty: never automatically."
        ),
    )
    first_level_threshold = models.FloatField(
        _("first-level auto-dispatch threshold"),
        null=True,
        blank=True,
        help_text=_(
            "First-level confidence at or above which an order is dispatched automatically to "
            "the first-level unit (two-level dispatch); empty: never at the first level alone."
        ),
    )
    active = models.BooleanField(_("active"), default=False)
    trained_until = models.DateTimeField(
        _("trained until"),
        null=True,
        blank=True,
        help_text=_(
            "Learnt from orders registered before this time; empty: every order up to its creation."
        ),
    )
    comparison = models.JSONField(
        _("comparison with the active model"),
        default=dict,
        blank=True,
        help_text=_(
            "Scheduled retraining: both models' accuracy on the month held out, and the decision."
        ),
    )

    class Meta:
        verbose_name = _("dispatch model")
        verbose_name_plural = _("dispatch models")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["target"],
                condition=models.Q(active=True),
                name="dispatch_model_one_active_per_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.version} ({self.get_target_display()})"

    def activate(self) -> None:
        """Make this the active version for its target; the previous one steps down."""
        with transaction.atomic():
            DispatchModel.objects.filter(target=self.target, active=True).exclude(
                pk=self.pk
            ).update(active=False)
            DispatchModel.objects.filter(pk=self.pk).update(active=True)
        self.active = True
        # This process's answer to "which model is active?" (services.active_row) is stale now.
        cache.delete(active_cache_key(self.target))


class ModelChange(AppendOnly):
    """One change of the active dispatch model, or a candidate kept out: who, when, why.

    Append-only (on PostgreSQL a trigger refuses changing or deleting a row too). ``actor`` is
    the administrator; empty for the scheduled retraining and for the command line (``via`` says
    which).
    """

    class Kind(models.TextChoices):
        ACTIVATED = "activated", _("activated")
        ROLLED_BACK = "rolled_back", _("rolled back")
        REFUSED = "refused", _("not activated")

    class Via(models.TextChoices):
        ADMIN = "admin", _("administration site")
        COMMAND = "command", _("command line")
        SCHEDULE = "schedule", _("scheduled retraining")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    via = models.CharField(_("via"), max_length=16, choices=Via.choices)
    target = models.CharField(_("target"), max_length=16, choices=Target.choices)
    model = models.ForeignKey(
        DispatchModel,
        verbose_name=_("model"),
        on_delete=models.PROTECT,
        related_name="changes",
    )
    previous_version = models.CharField(_("previous version"), max_length=64, blank=True)
    actor = models.ForeignKey(
        "org.User",
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=clock.now)
    # An administrator's words; empty where the system gave the reason (``reason_code``).
    reason = models.TextField(_("reason"), blank=True)
    # The system's own reasons as codes, so the record reads in the reader's language
    # (hotline.dispatch.reasons); the guard's figures are the candidate's ``comparison``.
    reason_code = models.CharField(
        _("system reason"), max_length=32, choices=ChangeReason.choices, blank=True
    )

    class Meta:
        verbose_name = _("dispatch model change")
        verbose_name_plural = _("dispatch model changes")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.model.version}"

    @property
    def reason_shown(self) -> str:
        """The reason in the active language (a system reason translated, see ``reasons``)."""
        return reasons.shown(self.reason_code, self.reason, self.model.comparison)


class RetrainRun(models.Model):
    """The schedule's claim per target: when retraining last started and how it ended.

    One row per target; a worker claims a run with a conditional update of ``started_at``, so two
    worker processes never train at once.
    """

    target = models.CharField(_("target"), max_length=16, choices=Target.choices, unique=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        verbose_name = _("scheduled retraining")
        verbose_name_plural = _("scheduled retraining")

    def __str__(self) -> str:
        return f"{self.target}: {self.started_at}"


def active_cache_key(target: str) -> str:
    return f"hotline:dispatch:active:{target}"


class Prediction(models.Model):
    """What a model suggested for an order at registration, and whether it dispatched it."""

    order = models.ForeignKey(
        "orders.WorkOrder",
        verbose_name=_("order"),
        on_delete=models.CASCADE,
        related_name="predictions",
    )
    target = models.CharField(
        _("target"), max_length=16, choices=Target.choices, default=Target.UNIT
    )
    model_version = models.CharField(_("model version"), max_length=64, db_index=True)
    top = models.JSONField(
        _("suggestions"), default=list, help_text=_("[code, probability] pairs, best first.")
    )
    confidence = models.FloatField(_("confidence"))
    first_level = models.JSONField(
        _("first-level suggestions"),
        default=list,
        blank=True,
        help_text=_("[code, probability] pairs of first-level units, best first."),
    )
    first_level_confidence = models.FloatField(_("first-level confidence"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=clock.now)
    auto_dispatched = models.BooleanField(_("dispatched automatically"), default=False)

    class Meta:
        verbose_name = _("dispatch prediction")
        verbose_name_plural = _("dispatch predictions")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "target"], name="dispatch_prediction_order_target"
            )
        ]

    def __str__(self) -> str:
        return f"{self.order_id} → {self.predicted or '—'}"

    @property
    def predicted(self) -> str | None:
        return str(self.top[0][0]) if self.top else None
