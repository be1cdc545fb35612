from django.contrib import admin

from hotline.assistance.models import Assistance, AssistanceEvent


class EventInline(admin.TabularInline):
    model = AssistanceEvent
    extra = 0
    can_delete = False
    fields = ("seq", "action", "at", "actor", "from_state", "to_state", "note")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Assistance)
class AssistanceAdmin(admin.ModelAdmin):
    """Read-only: records change only through their actions."""

    list_display = ("kind", "hall", "helper", "by_leader", "citizen_name", "state", "started_at")
    list_filter = ("kind", "hall", "by_leader", "state", "outcome")
    inlines = [EventInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
