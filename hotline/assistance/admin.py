from django.contrib import admin

from hotline.assistance.models import Assistance, AssistanceEvent
from hotline.readonly_admin import ReadOnlyAdmin, ReadOnlyInline


class EventInline(ReadOnlyInline):
    model = AssistanceEvent
    fields = ("seq", "action", "at", "actor", "from_state", "to_state", "note")


@admin.register(Assistance)
class AssistanceAdmin(ReadOnlyAdmin):
    """Read-only: records change only through their actions."""

    list_display = ("kind", "hall", "helper", "by_leader", "citizen_name", "state", "started_at")
    list_filter = ("kind", "hall", "by_leader", "state", "outcome")
    inlines = [EventInline]
