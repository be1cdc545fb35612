"""Admin: articles to look at, never to edit — every change goes through the actions (pages)."""

from __future__ import annotations

from django.contrib import admin

from hotline.kb.models import (
    Article,
    ArticleEvent,
    Revision,
    SynonymEvent,
    SynonymGroup,
    UpkeepTask,
)
from hotline.readonly_admin import ReadOnlyAdmin, ReadOnlyInline


class RevisionInline(ReadOnlyInline):
    model = Revision
    fields = ("number", "title", "author", "at", "reason", "changed")


class EventInline(ReadOnlyInline):
    model = ArticleEvent
    fields = ("seq", "action", "actor", "at", "from_state", "to_state", "reason")


@admin.register(Article)
class ArticleAdmin(ReadOnlyAdmin):
    list_display = ("title", "unit", "state", "public", "review_by", "updated_at")
    list_filter = ("state", "public")
    search_fields = ("title",)
    inlines = [RevisionInline, EventInline]


@admin.register(UpkeepTask)
class UpkeepTaskAdmin(ReadOnlyAdmin):
    list_display = ("order", "unit", "state", "due_at", "done_at", "article")
    list_filter = ("state",)


class SynonymEventInline(ReadOnlyInline):
    model = SynonymEvent
    fields = ("seq", "action", "actor", "at", "terms", "one_way", "before", "reason")


@admin.register(SynonymGroup)
class SynonymGroupAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "one_way", "active", "updated_at")
    list_filter = ("active", "one_way")
    inlines = [SynonymEventInline]
