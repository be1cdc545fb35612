"""What the staff web keeps of its own: one-time tokens of registration forms."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from hotline import clock


class FormSubmission(models.Model):
    """One registration form's one-time token and the order it registered.

    The intake page and the portal's submit form carry a random token; the first submission
    claims it and registers the order, a second one (back and submit again, a double click, a
    retry after a lost answer) finds the claim and is sent to the same order instead of
    registering a duplicate. Rows older than a day are deleted as new ones come in."""

    token = models.CharField(_("token"), max_length=64, unique=True)
    order = models.ForeignKey(
        "orders.WorkOrder",
        verbose_name=_("order"),
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=clock.now, db_index=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def __str__(self) -> str:
        return f"{self.token[:8]}… → {self.order_id}"
