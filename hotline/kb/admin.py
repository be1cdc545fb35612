"""Admin: articles to look at, never to edit — every change goes through the actions (pages)."""

from __future__ import annotations

from django.contrib import admin

from hotline.kb.models import Article, ArticleEvent, Revision, UpkeepTask


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class RevisionInline(admin.TabularInline):
    model = Revision
    fields = ("number", "title", "author", "at", "reason", "changed")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class EventInline(admin.TabularInline):
    model = ArticleEvent
    fields = ("seq", "action", "actor", "at", "from_state", "to_state", "reason")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


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
