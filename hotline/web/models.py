"""What the staff web keeps of its own: one-time tokens of registration forms, desk visits."""

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


class DeskVisit(models.Model):
    """When a person last looked at one of their desks, and since when its orders count as new
    to them (新): the unit inbox and the dispatch desk mark what arrived since the previous visit
    (h5, session 28, F6: after a night nothing told the overnight orders from the rest).

    One row per person and desk, moved by the desk's page itself (:func:`hotline.web.desks.
    new_since`): a load within ``VISIT_GAP`` of the last is the same visit and keeps ``since``
    (a reload, another tab, back from an order: the marks stay while the person works through
    them); a load after a longer break starts a new visit, whose ``since`` is the last load of
    the one before."""

    user = models.ForeignKey(
        "org.User", verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    desk = models.CharField(_("desk"), max_length=32)
    since = models.DateTimeField(_("new since"))
    last_seen = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("desk visit")
        verbose_name_plural = _("desk visits")
        constraints = [
            models.UniqueConstraint(fields=["user", "desk"], name="desk_visit_one_per_desk")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.desk} {self.last_seen:%Y-%m-%d %H:%M}"
