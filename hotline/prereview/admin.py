from django.contrib import admin

from hotline.prereview.models import PreReview, PreReviewEvent, PreReviewFile, PreReviewInvitation
from hotline.readonly_admin import ReadOnlyAdmin, ReadOnlyInline


class PreReviewEventInline(ReadOnlyInline):
    model = PreReviewEvent
    fields = ("seq", "action", "at", "actor", "from_state", "to_state", "reason")


class PreReviewFileInline(ReadOnlyInline):
    model = PreReviewFile
    fields = ("material", "round", "name", "content_type", "size", "uploaded_at")


@admin.register(PreReview)
class PreReviewAdmin(ReadOnlyAdmin):
    list_display = ("number", "hall", "matter", "state", "submitted_at", "case")
    list_filter = ("hall", "state")
    search_fields = ("number", "matter__name")
    # Pre-reviews change only through the write path (each step an event): the admin reads.
    # The keys, the mobile kept for messages and the citizen's link are not shown at all (nor
    # the form's one-time token: it means nothing to a reader).
    exclude = ("phone_key", "id_key", "notify_phone", "token", "submission")
    inlines = [PreReviewFileInline, PreReviewEventInline]


@admin.register(PreReviewInvitation)
class PreReviewInvitationAdmin(ReadOnlyAdmin):
    """The links 12345 operators texted: read only (written once), without the keyed mobile or
    the link's token."""

    list_display = ("sent_at", "matter", "hall", "sent_by")
    list_filter = ("hall",)
    exclude = ("phone_key", "token")
