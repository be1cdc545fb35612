from django.contrib import admin

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
