"""The matter catalogue (事项): what citizens apply for at a hall, its materials and bundles."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

#: The longest time limit a matter may declare, in working days: past it a figure is a typing
#: slip (the admin and the spreadsheet import refuse it).
DAYS_MAX = 999


# The ticket number begins with the queue group (A012) and the board says it letter by letter:
# capital letters only, without I and O (read as 1 and 0; hall.voice has no clip for them). A
# lower-case "a" was a queue of its own whose a001 the board announced as A001, a ticket of "A".
QUEUE_GROUP = re.compile(r"[A-HJ-NP-Z]{1,3}")


def queue_group_error(value: str) -> str:
    """Why ``value`` cannot be a queue group, or ``""``; the admin and the import both ask."""
    if QUEUE_GROUP.fullmatch(value or ""):
        return ""
    return str(
        _("One to three capital letters, not I or O (the ticket numbers begin with it), e.g. A.")
    )


def limit_errors(statutory: int | None, promised: int | None) -> dict[str, str]:
    """field → what is wrong with a matter's time limits (working days): each at most
    :data:`DAYS_MAX`, the promised one not longer than the statutory one. Read by the admin
    (:meth:`Matter.clean`) and the spreadsheet import (hotline.matters.interchange)."""
    errors: dict[str, str] = {}
    for field, value in (("statutory_days", statutory), ("promised_days", promised)):
        if (value or 0) > DAYS_MAX:
            errors[field] = str(_("at most %(n)d working days") % {"n": DAYS_MAX})
    if statutory and (promised or 0) > statutory and "promised_days" not in errors:
        errors["promised_days"] = str(_("the promised time cannot exceed the statutory one"))
    return errors


class HandlingKind(models.TextChoices):
    """即办件 are done at the window; 承诺件 are accepted and done within the promised time."""

    INSTANT = "instant", _("Done on the spot")
    PROMISED = "promised", _("Done within a promised time")


class Matter(models.Model):
    """A service citizens apply for (事项), with its time limits, declared visits and materials.

    ``queue_group`` names the hall queue it is called in (the ticket prefix comes from the hall's
    group of that name), so one catalogue serves several halls with their own windows.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("handling unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="matters",
    )
    kind = models.CharField(
        _("handling kind"),
        max_length=16,
        choices=HandlingKind.choices,
        default=HandlingKind.INSTANT,
    )
    statutory_days = models.PositiveSmallIntegerField(
        _("statutory time limit (working days)"), default=0
    )
    promised_days = models.PositiveSmallIntegerField(
        _("promised time limit (working days)"), default=0
    )
    visits = models.PositiveSmallIntegerField(
        _("declared visits"),
        default=1,
        validators=[MaxValueValidator(9)],
        help_text=_("How many times a citizen must come to the hall (0: none)."),
    )
    appointment_allowed = models.BooleanField(_("appointment allowed"), default=True)
    prereview_allowed = models.BooleanField(_("online pre-review allowed"), default=False)
    remote_ticket_allowed = models.BooleanField(
        _("remote ticket allowed"),
        default=False,
        help_text=_(
            "Citizens may take today's ticket on the portal and come when their turn is near."
        ),
    )
    queue_group = models.CharField(
        _("queue group"),
        max_length=16,
        default="A",
        help_text=_("The hall queue this matter is called in (e.g. A, B)."),
    )
    service_minutes = models.PositiveSmallIntegerField(
        _("typical service minutes"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
        help_text=_("Used for wait estimates until the hall has served this matter."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("matter")
        verbose_name_plural = _("matters")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """The time limits' checks, as the spreadsheet import makes them."""
        errors = limit_errors(self.statutory_days, self.promised_days)
        if problem := queue_group_error(self.queue_group):
            errors["queue_group"] = problem
        if errors:
            raise ValidationError(errors)


class MaterialForm(models.TextChoices):
    ORIGINAL = "original", _("Original")
    COPY = "copy", _("Copy")
    BOTH = "both", _("Original and copy")
    ELECTRONIC = "electronic", _("Electronic")


class Material(models.Model):
    """One item on a matter's material list (申请材料)."""

    matter = models.ForeignKey(
        Matter, verbose_name=_("matter"), on_delete=models.CASCADE, related_name="materials"
    )
    name = models.CharField(_("name"), max_length=200)
    required = models.BooleanField(_("required"), default=True)
    form = models.CharField(
        _("form"), max_length=16, choices=MaterialForm.choices, default=MaterialForm.ORIGINAL
    )
    copies = models.PositiveSmallIntegerField(_("copies"), default=1)
    note = models.CharField(_("note"), max_length=300, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["matter", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["matter", "name"], name="material_matter_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Bundle(models.Model):
    """A named set of matters handled together with one checklist and one visit (一件事 / 联办)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    matters = models.ManyToManyField(Matter, verbose_name=_("matters"), related_name="bundles")
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("bundle")
        verbose_name_plural = _("bundles")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def checklist(self) -> list[Material]:
        """One material list for the whole bundle: a material named in two matters is asked once."""
        seen: dict[str, Material] = {}
        for material in Material.objects.filter(matter__bundles=self).order_by(
            "matter__code", "sort_order", "pk"
        ):
            kept = seen.get(material.name)
            if kept is None or (material.required and not kept.required):
                seen[material.name] = material
        return list(seen.values())
