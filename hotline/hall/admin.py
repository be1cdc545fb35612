from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hotline.hall.actions import slots
from hotline.hall.models import (
    Appointment,
    AppointmentEvent,
    AppointmentSlot,
    Hall,
    Kiosk,
    SelfServiceUse,
    Window,
    WindowMatter,
)
from hotline.readonly_admin import ReadOnlyAdmin, ReadOnlyInline


class WindowMatterInline(admin.TabularInline):
    model = WindowMatter
    extra = 1
    autocomplete_fields = ("matter",)


@admin.register(Hall)
class HallAdmin(admin.ModelAdmin):
    list_display = ("code", "unit", "fairness", "service_level_minutes", "opens_at", "closes_at")
    search_fields = ("code", "unit__name")


@admin.register(Window)
class WindowAdmin(admin.ModelAdmin):
    list_display = ("hall", "number", "name", "kind", "state", "clerk")
    list_filter = ("hall", "kind", "state")
    inlines = [WindowMatterInline]
    # State and clerk change only through the window actions (each writes a window event).
    readonly_fields = ("state", "pause_reason", "clerk", "auto_call")


@admin.register(AppointmentSlot)
class AppointmentSlotAdmin(admin.ModelAdmin):
    list_display = ("hall", "matter", "day", "starts", "ends", "capacity")
    list_filter = ("hall", "day")
    date_hierarchy = "day"
    actions = ["copy_to_next_week"]

    @admin.action(description=gettext_lazy("Copy the selected slots to the following week"))
    def copy_to_next_week(self, request: HttpRequest, queryset: QuerySet[AppointmentSlot]) -> None:
        """A week's slots made from the last (hall.actions.slots.copy_to_next_week, as on the
        manager's slot page): a slot already there is kept, one that could not be kept is left
        out with why."""
        result = slots.copy_to_next_week(
            queryset.select_related("hall", "matter").order_by("day", "starts")
        )
        self.message_user(
            request,
            _("Slots copied: %(made)d; already there, kept: %(kept)d; left out: %(refused)d.")
            % {"made": len(result.made), "kept": result.kept, "refused": len(result.refused)},
            messages.SUCCESS if not result.refused else messages.WARNING,
        )
        for line in result.refused[:20]:
            self.message_user(request, str(line), messages.WARNING)


class AppointmentEventInline(ReadOnlyInline):
    """The appointment's history, read-only: events are appended by the write path only."""

    model = AppointmentEvent
    fields = ("at", "action", "actor", "channel", "from_state", "to_state")


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    list_display = ("code", "slot", "state", "booked_at", "booked_by")
    list_filter = ("state",)
    # State changes only through the appointment actions (each appends an event).
    readonly_fields = ("holder_key", "ticket", "state", "changed_at")
    inlines = [AppointmentEventInline]


@admin.register(Kiosk)
class KioskAdmin(admin.ModelAdmin):
    """Register a self-service kiosk: its hall, place, hours and the matters it completes."""

    list_display = ("code", "name", "hall", "place", "round_the_clock", "active")
    list_filter = ("hall", "active")
    search_fields = ("code", "name", "place")
    filter_horizontal = ("matters",)


@admin.register(SelfServiceUse)
class SelfServiceUseAdmin(ReadOnlyAdmin):
    """The uses, to read: they are recorded by the kiosk page and never edited."""

    list_display = ("at", "hall", "kiosk", "matter", "kind", "hall_open")
    list_filter = ("hall", "kind", "hall_open")
    date_hierarchy = "at"
