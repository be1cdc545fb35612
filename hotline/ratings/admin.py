from django.contrib import admin

from hotline.ratings.models import Rating, RatingEvent
from hotline.readonly_admin import ReadOnlyAdmin, ReadOnlyInline


class RatingEventInline(ReadOnlyInline):
    model = RatingEvent
    fields = ("seq", "action", "at", "actor", "from_state", "to_state", "reason")


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    """Read-only: ratings change only through their actions (the pad, the links, the appeal)."""

    list_display = ("ticket", "hall", "window", "matter", "level", "channel", "state", "appeal")
    list_filter = ("hall", "level", "channel", "state", "appeal")
    date_hierarchy = "rated_at"
    inlines = [RatingEventInline]
