"""The record of every time someone was shown a citizen's phone number unmasked."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from hotline import clock
from hotline.appendonly import AppendOnly


class Where(models.TextChoices):
    ORDER_PAGE = "order_page", _("Order page")
    CALLER_HISTORY = "caller_history", _("Caller history at intake")
    ORDER_SEARCH = "order_search", _("Order search by phone")
    API_ORDER = "api_order", _("API: one order")
    API_LIST = "api_list", _("API: order list")
    API_REGISTER = "api_register", _("API: registration")
    API_ACTION = "api_action", _("API: action on an order")
    EXPORT = "export", _("Export")


class PhoneView(AppendOnly):
    """Someone saw a citizen's phone unmasked: who, when, which order, where.

    Written by the pages, API endpoints and exports that show the full number (only hotline-centre
    staff see it; units see it masked). Append-only, like the order events. An export of many
    orders is one row without an order, its ``detail`` saying what was exported.
    """

    user = models.ForeignKey(
        "org.User",
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty for a command run on the server (e.g. an export)."),
    )
    at = models.DateTimeField(_("when"), default=clock.now, db_index=True)
    order = models.ForeignKey(
        "orders.WorkOrder",
        verbose_name=_("order"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    where = models.CharField(_("where"), max_length=24, choices=Where.choices)
    path = models.CharField(_("address"), max_length=200, blank=True)
    client = models.CharField(_("client address"), max_length=64, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("phone view")
        verbose_name_plural = _("phone views")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["order", "at"], name="phoneview_order_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.where}"
