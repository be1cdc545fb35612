"""Admin pages that only read: records every app writes through its own actions (product.md:
one write path per change, each step an event), shown to administrators, never edited by hand.

:class:`ReadOnlyAdmin` for a model's own pages and :class:`ReadOnlyInline` for rows listed under
their parent (an article's revisions, a case's events): nothing is added, changed or deleted
there, and every column shows as text. ``exclude`` still hides columns the admin must not show
(a pre-review's keys and link).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest


class _ReadOnly:
    model: type[models.Model]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Every column but the row's id, including those a form leaves out (non-editable ones).
        opts = self.model._meta
        hidden = set(getattr(self, "exclude", None) or ())
        return [
            f.name
            for f in [*opts.fields, *opts.many_to_many]
            if not f.auto_created and f.name not in hidden
        ]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(_ReadOnly, admin.ModelAdmin):
    """A model's list and pages, to read."""


class ReadOnlyInline(_ReadOnly, admin.TabularInline):
    """Rows under their parent's page, to read."""

    extra = 0
    can_delete = False
