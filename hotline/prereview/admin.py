from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hotline.prereview.models import PreReview, PreReviewEvent, PreReviewFile, PreReviewInvitation

HIDDEN = ("phone_key", "id_key", "notify_phone", "token", "submission")


class PreReviewEventInline(admin.TabularInline):
    model = PreReviewEvent
    extra = 0
    can_delete = False
    fields = ("seq", "action", "at", "actor", "from_state", "to_state", "reason")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PreReviewFileInline(admin.TabularInline):
    model = PreReviewFile
    extra = 0
    can_delete = False
    fields = ("material", "round", "name", "content_type", "size", "uploaded_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PreReview)
class PreReviewAdmin(admin.ModelAdmin):
    list_display = ("number", "hall", "matter", "state", "submitted_at", "case")
    list_filter = ("hall", "state")
    search_fields = ("number", "matter__name")
    # Pre-reviews change only through the write path (each step an event): the admin reads.
    # The keys, the mobile kept for messages and the citizen's link are not shown at all (nor
    # the form's one-time token: it means nothing to a reader).
    exclude = HIDDEN
    readonly_fields = [f.name for f in PreReview._meta.fields if f.name not in HIDDEN]
    inlines = [PreReviewFileInline, PreReviewEventInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PreReviewInvitation)
class PreReviewInvitationAdmin(admin.ModelAdmin):
    """The links 12345 operators texted: read only (written once), without the keyed mobile or
    the link's token."""

    list_display = ("sent_at", "matter", "hall", "sent_by")
    list_filter = ("hall",)
    exclude = ("phone_key", "token")
    readonly_fields = ("hall", "matter", "sent_by", "sent_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
