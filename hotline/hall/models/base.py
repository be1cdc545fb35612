"""What every hall event table shares: rows are appended, never changed or deleted."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyQuerySet(models.QuerySet[Any]):
    """Refuses bulk update and delete; on PostgreSQL a trigger refuses them in the database too."""

    def update(self, **kwargs: Any) -> int:
        raise ValidationError(_("Events are append-only: they cannot be changed."))

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ValidationError(_("Events are append-only: they cannot be deleted."))
