from django.contrib import admin

from hotline.ratings.models import Pad, PadEvent, Rating, RatingEvent
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


class PadEventInline(ReadOnlyInline):
    """Who enrolled a tablet as the pad, or revoked it: appended by the actions only."""

    model = PadEvent
    fields = ("at", "action", "actor")


@admin.register(Pad)
class PadAdmin(ReadOnlyAdmin):
    """Read-only: a pad is enrolled and revoked on the hall's ratings page, on the tablet
    itself (ratings.actions.pads, each an event)."""

    list_display = ("window", "enrolled_at")
    list_filter = ("window__hall",)
    inlines = [PadEventInline]
