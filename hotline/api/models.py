"""What the API keeps between calls: idempotency keys."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hotline import clock


class IdempotencyKey(models.Model):
    """A client's ``Idempotency-Key`` and the order its registration created.

    A client that sent a registration and got no answer (a timeout, a dropped connection, a 503)
    cannot know whether the order was stored. Sending the same request again with the same key
    returns the first registration's order instead of registering the call twice. The key is
    written in the registration's own transaction, so it exists exactly when the order does;
    ``fingerprint`` (a hash of the request) tells a true retry from another request that reuses
    the key by mistake. Keys are the client's own (one per token user) and last 24 hours.
    """

    client = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("client"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    key = models.CharField(_("key"), max_length=255)
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    order = models.ForeignKey(
        "orders.WorkOrder", verbose_name=_("order"), on_delete=models.CASCADE, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=clock.now, db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["client", "key"], name="api_idempotency_key_once")
        ]

    def __str__(self) -> str:
        return f"{self.key} → {self.order_id}"
