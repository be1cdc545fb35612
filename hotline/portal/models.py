"""What the portal keeps of its own: the recent requests of each client, for its abuse limits."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from hotline import clock


class PortalHit(models.Model):
    """One limited thing done on the portal (a submission, a tracking query, a rating) by one
    client key (``submit:ip:203.0.113.9``, ``submit:phone:`` and the number's ``phone_key``, never
    the number). Kept in the database so every web process — and SQLite or PostgreSQL alike —
    counts the same hits; rows older than a day are deleted as new ones come in."""

    key = models.CharField(_("key"), max_length=120)
    at = models.DateTimeField(_("at"), default=clock.now)

    class Meta:
        verbose_name = _("portal request")
        verbose_name_plural = _("portal requests")
        indexes = [models.Index(fields=["key", "at"], name="portal_hit_key_at")]

    def __str__(self) -> str:
        return f"{self.key} @ {self.at:%Y-%m-%d %H:%M}"
