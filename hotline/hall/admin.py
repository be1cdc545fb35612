import datetime as dt

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
        """A week's slots made from the last: the same times and capacities seven days on. A slot
        already there is kept as it is; one that could not be kept (AppointmentSlot.clean: a
        day the windows are closed, a matter without appointments) is left out with why."""
        made, kept, refused = 0, 0, []
        with transaction.atomic():
            for slot in queryset.select_related("hall", "matter").order_by("day", "starts"):
                copy = AppointmentSlot(
                    hall=slot.hall,
                    matter=slot.matter,
                    day=slot.day + dt.timedelta(days=7),
                    starts=slot.starts,
                    ends=slot.ends,
                    capacity=slot.capacity,
                )
                if AppointmentSlot.objects.filter(
                    hall=slot.hall, matter=slot.matter, day=copy.day, starts=slot.starts
                ).exists():
                    kept += 1
                    continue
                try:
                    copy.full_clean()
                except ValidationError as exc:
                    reasons = " ".join(m for ms in exc.message_dict.values() for m in ms)
                    refused.append(f"{copy.day} {copy.starts:%H:%M} {slot.matter.name}: {reasons}")
                    continue
                copy.save()
                made += 1
        self.message_user(
            request,
            _("Slots copied: %(made)d; already there, kept: %(kept)d; left out: %(refused)d.")
            % {"made": made, "kept": kept, "refused": len(refused)},
            messages.SUCCESS if not refused else messages.WARNING,
        )
        for line in refused[:20]:
            self.message_user(request, line, messages.WARNING)


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
