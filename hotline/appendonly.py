"""Append-only rows: the one guard every event table uses (product.md: events are never edited or
deleted — they are the audit trail and the source of every KPI).

A model whose rows are written once inherits :class:`AppendOnly`: saving a stored row again,
deleting it, and the queryset's bulk ``update()`` / ``delete()`` are refused with a
``ValidationError``. A model that cannot change its base class keeps ``objects =
AppendOnlyQuerySet.as_manager()`` for the bulk half. The model layer is not the whole guard: raw
SQL, an admin script or a future code path bypass it, so on PostgreSQL each event table also gets a
trigger from its migration.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

_M = TypeVar("_M", bound=models.Model)

CHANGE_REFUSED = _("This record is append-only: it cannot be changed.")
DELETE_REFUSED = _("This record is append-only: it cannot be deleted.")


class AppendOnlyQuerySet(models.QuerySet[_M]):
    """Refuses bulk update and delete; on PostgreSQL a trigger refuses them in the database too."""

    def update(self, **kwargs: Any) -> int:
        raise ValidationError(CHANGE_REFUSED)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ValidationError(DELETE_REFUSED)


class AppendOnly(models.Model):
    """A row written once: saving it again or deleting it is refused, one by one or in bulk."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValidationError(CHANGE_REFUSED)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValidationError(DELETE_REFUSED)
