from django.contrib import admin

from hotline.ratings.models import Rating, RatingEvent


class RatingEventInline(admin.TabularInline):
    model = RatingEvent
    extra = 0
    can_delete = False
    fields = ("seq", "action", "at", "actor", "from_state", "to_state", "reason")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    """Read-only: ratings change only through their actions (the pad, the links, the appeal)."""

    list_display = ("ticket", "hall", "window", "matter", "level", "channel", "state", "appeal")
    list_filter = ("hall", "level", "channel", "state", "appeal")
    date_hierarchy = "rated_at"
    inlines = [RatingEventInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
