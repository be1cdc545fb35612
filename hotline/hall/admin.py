from django.contrib import admin

from hotline.hall.models import Appointment, AppointmentSlot, Hall, Window, WindowMatter


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
    readonly_fields = ("state", "pause_reason", "clerk")


@admin.register(AppointmentSlot)
class AppointmentSlotAdmin(admin.ModelAdmin):
    list_display = ("hall", "matter", "day", "starts", "ends", "capacity")
    list_filter = ("hall", "day")
    date_hierarchy = "day"


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    list_display = ("code", "slot", "state", "booked_at", "booked_by")
    list_filter = ("state",)
    readonly_fields = ("holder_key", "ticket")
