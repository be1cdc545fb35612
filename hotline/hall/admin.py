from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hotline import clock
from hotline.hall import devices
from hotline.hall.actions import appointments as booking
from hotline.hall.actions import selfservice as kiosk_actions
from hotline.hall.actions import slots
from hotline.hall.forms import row_id
from hotline.hall.models import (
    Appointment,
    AppointmentEvent,
    AppointmentSlot,
    Hall,
    Kiosk,
    KioskEvent,
    SelfServiceUse,
    SlotEvent,
    Window,
    WindowMatter,
    remote_points,
)
from hotline.hall.rules import HallError
from hotline.orders.rules import UNIT_WORKERS
from hotline.org.models import Unit, UnitKind, User
from hotline.readonly_admin import ReadOnlyAdmin, ReadOnlyInline


class WindowMatterInline(admin.TabularInline):
    model = WindowMatter
    extra = 1
    autocomplete_fields = ("matter",)

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        # What a weight does, where the admin sets it (walk-through, session 24, L2/M8); on the
        # form, not the model, so no migration: actions.windows._tiered is the rule.
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "weight" and field is not None:
            field.help_text = WEIGHT_HELP
        return field


WEIGHT_HELP = gettext_lazy(
    "This window calls its matters of higher weight first; matters of equal weight follow the "
    "hall's queue rule. Anyone who has waited longer than the hall's service level is called "
    "with the highest weight."
)


def _units_of_kind(db_field: Any, kwargs: dict[str, Any], field: str, kind: str) -> None:
    """The unit choice of ``field`` lists only units of ``kind`` (walk-through, session 24, L1):
    the whole tree, ~160 units, was offered for a hall's service centre and a remote window's
    居委会, the wrong ones refused only on save (Hall.clean, Window.clean still check)."""
    if db_field.name == field:
        kwargs["queryset"] = (
            Unit.objects.filter(kind=kind).select_related("parent").order_by("sort_order", "code")
        )


@admin.register(Hall)
class HallAdmin(admin.ModelAdmin):
    list_display = ("code", "unit", "fairness", "service_level_minutes", "opens_at", "closes_at")
    search_fields = ("code", "unit__name")

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        _units_of_kind(db_field, kwargs, "unit", UnitKind.SERVICE_CENTRE)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        hall = self.get_object(request, object_id)
        if request.method == "GET" and hall is not None:
            _warn_if_unstaffed(request, hall)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request: HttpRequest, obj: Hall, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        _warn_if_unstaffed(request, obj)


def _warn_if_unstaffed(request: HttpRequest, hall: Hall) -> None:
    """A 差评's rectification is led by the street and assigned inside to the hall's centre unit
    (8993ebb), which holds it: without a hall manager or a unit handler there, it sits with the
    street and the manager's link to it led nowhere (walk-through, session 24, H1). Said where
    the admin sets the hall up. A 办不成事 order is not the centre's: it waits on the dispatch
    desk and goes where its matter belongs (ratings.actions.referral; review r1 L1)."""
    staffed = User.objects.filter(
        unit_id=hall.unit_id, is_active=True, role_grants__role__in=UNIT_WORKERS
    ).exists()
    if not staffed:
        messages.warning(
            request,
            _(
                "Nobody in %(unit)s can work the orders it holds (a poor rating's "
                "rectification, assigned to it through its street): give its hall manager an "
                "account in that unit with the Hall manager or Unit handler role."
            )
            % {"unit": hall.unit},
        )


@admin.register(Window)
class WindowAdmin(admin.ModelAdmin):
    list_display = ("hall", "number", "name", "kind", "state", "clerk")
    list_filter = ("hall", "kind", "state")
    inlines = [WindowMatterInline]
    # State, clerk, auto-call and lunch service change only through the window actions (each
    # writes a window event).
    readonly_fields = ("state", "pause_reason", "clerk", "auto_call", "serves_lunch")

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        _units_of_kind(db_field, kwargs, "place", UnitKind.NEIGHBOURHOOD)
        if db_field.name == "place":
            kwargs["form_class"] = _PointChoiceField
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(
        self, request: HttpRequest, obj: Any | None = None, change: bool = False, **kwargs: Any
    ) -> Any:
        """The remote point's choices are the 居委会 of the area the window's hall serves, once
        the hall is known (the window's own, or the add page's ``?hall=`` or posted hall): a
        street's centre was offered the district's 59 (leftover of session 24, h5 L1).
        Window.clean refuses another area's 居委会 whichever way the form was filled."""
        form = super().get_form(request, obj, change, **kwargs)
        hall = obj.hall if obj is not None else _hall_asked(request)
        place = form.base_fields.get("place")
        if hall is not None and place is not None:
            points = remote_points(hall).select_related("parent").order_by("sort_order", "code")
            place.queryset = points  # type: ignore[attr-defined]
        return form


class _PointChoiceField(forms.ModelChoiceField):
    """Before a hall is chosen every 居委会 is a choice: each says its street."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.parent} · {obj}" if obj.parent_id else str(obj)


def _hall_asked(request: HttpRequest) -> Hall | None:
    """The hall the add page was opened for (``?hall=``) or posted with."""
    pk = row_id(request.POST.get("hall") or request.GET.get("hall") or "")
    return Hall.objects.select_related("unit").filter(pk=pk).first() if pk is not None else None


class SlotEventInline(ReadOnlyInline):
    """The slot's history, read-only: appended by hall.actions.slots only."""

    model = SlotEvent
    fk_name = "slot"
    fields = ("at", "action", "actor", "from_capacity", "to_capacity", "reason", "copied_from")


class AppointmentSlotForm(forms.ModelForm):
    """The admin's slot form checks what the action checks before it is sent: a time that has
    not begun, and a capacity not below the bookings held."""

    class Meta:
        model = AppointmentSlot
        fields = ("hall", "matter", "day", "starts", "ends", "capacity")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        day, starts = data.get("day"), data.get("starts")
        if self.instance.pk is None and day and starts:
            probe = AppointmentSlot(day=day, starts=starts)
            if slots.begun(probe, clock.now()):
                raise ValidationError({"starts": _("This time has begun.")})
            # The open-slot constraint hangs on closed_at, which the form leaves out, so the
            # form's own uniqueness check misses it and the action's refusal was a 500 (review).
            hall, matter = data.get("hall"), data.get("matter")
            if hall and matter:
                same = AppointmentSlot.objects.filter(hall=hall, matter=matter, day=day)
                if same.filter(starts=starts).exists():
                    raise ValidationError(
                        {"starts": _("This time is already open for this matter.")}
                    )
        capacity = data.get("capacity")
        # At most what the windows serving the matter could see in the slot (the action's cap;
        # refused there, it was a server error here). A change form shows only the capacity.
        known = self.instance if self.instance.pk is not None else None
        hall = data.get("hall") or (known.hall if known else None)
        matter = data.get("matter") or (known.matter if known else None)
        starts = starts or (known.starts if known else None)
        ends = data.get("ends") or (known.ends if known else None)
        if (
            hall
            and matter
            and starts
            and ends
            and ends > starts
            and capacity
            and (refusal := slots.capacity_refusal(hall, matter, starts, ends, capacity))
        ):
            raise ValidationError({"capacity": refusal})
        if self.instance.pk is not None and capacity is not None:
            taken = slots.held(self.instance)
            if capacity < taken:
                raise ValidationError(
                    {
                        "capacity": _(
                            "%(n)d people have booked this time: the capacity cannot be below "
                            "that. Cancel bookings first (appointments list) if it must be."
                        )
                        % {"n": taken}
                    }
                )
        return data


@admin.register(AppointmentSlot)
class AppointmentSlotAdmin(admin.ModelAdmin):
    """Slots are opened, changed and closed through hall.actions.slots, as on the manager's page
    (each step a slot event, listed below the slot). Once its time has begun, or once closed, a
    slot is history: read here, not changed. Nothing is deleted: closing keeps the slot and its
    bookings."""

    form = AppointmentSlotForm
    # In this order whether a column is read-only or not (the capacity stood first on a change).
    fields = ("hall", "matter", "day", "starts", "ends", "capacity", "closed_at")
    list_display = ("hall", "matter", "day", "starts", "ends", "capacity", "closed_at")
    list_filter = ("hall", "day")
    date_hierarchy = "day"
    actions = ["copy_to_next_week", "close_slots"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[AppointmentSlot]:
        # Closed slots too (the default manager is the open ones): their history is read here.
        return AppointmentSlot.history.select_related("hall", "matter").order_by("day", "starts")

    def get_inlines(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        return [] if obj is None else [SlotEventInline]  # a slot being opened has no history

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        if obj is None:
            return ("closed_at",)
        return ("hall", "matter", "day", "starts", "ends", "closed_at")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and (obj.closed_at is not None or slots.begun(obj, clock.now())):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # closing keeps the slot: the "close" action

    def save_model(
        self, request: HttpRequest, obj: AppointmentSlot, form: Any, change: bool
    ) -> None:
        user = request.user
        assert isinstance(user, User)
        if not change:
            slots.open_slot(obj, actor=user)
        elif "capacity" in form.changed_data:
            slots.change_capacity(obj, obj.capacity, actor=user)

    @admin.action(description=gettext_lazy("Copy the selected slots to the following week"))
    def copy_to_next_week(self, request: HttpRequest, queryset: QuerySet[AppointmentSlot]) -> None:
        """A week's slots made from the last (hall.actions.slots.copy_to_next_week, as on the
        manager's slot page): a slot already there is kept, one that could not be kept is left
        out with why."""
        user = request.user
        assert isinstance(user, User)
        try:
            result = slots.copy_to_next_week(
                queryset.select_related("hall", "matter").order_by("day", "starts"), actor=user
            )
        except HallError as exc:  # every day copied to is past
            self.message_user(request, exc.message, messages.ERROR)
            return
        self.message_user(
            request,
            _("Slots copied: %(made)d; already there, kept: %(kept)d; left out: %(refused)d.")
            % {"made": len(result.made), "kept": result.kept, "refused": len(result.refused)},
            messages.SUCCESS if not result.refused else messages.WARNING,
        )
        for line in result.refused[:20]:
            self.message_user(request, str(line), messages.WARNING)

    @admin.action(description=gettext_lazy("Close the selected slots"))
    def close_slots(self, request: HttpRequest, queryset: QuerySet[AppointmentSlot]) -> None:
        """Close each through hall.actions.slots.close: one with live bookings, or whose time
        has begun, is left open with why."""
        user = request.user
        assert isinstance(user, User)
        closed = 0
        for slot in queryset.select_related("hall", "matter").filter(closed_at__isnull=True):
            try:
                slots.close(slot, actor=user)
            except HallError as exc:
                self.message_user(request, f"{slot} {slot.matter}: {exc.message}", messages.WARNING)
            else:
                closed += 1
        self.message_user(request, _("Slots closed: %(n)d.") % {"n": closed}, messages.SUCCESS)


class AppointmentEventInline(ReadOnlyInline):
    """The appointment's history, read-only: events are appended by the write path only."""

    model = AppointmentEvent
    # The reason too: why staff cancelled (required of them) or why a check-in was refused.
    fields = ("at", "action", "actor", "channel", "from_state", "to_state", "reason")


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    list_display = ("code", "slot", "state", "booked_at", "booked_by")
    list_filter = ("state",)
    # State changes only through the appointment actions (each appends an event).
    readonly_fields = ("holder_key", "ticket", "state", "changed_at")
    inlines = [AppointmentEventInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # A booking's slot, code and booking facts are history too: moving it to another slot
        # here passed the slot's capacity with no event, and a booking whose slot was closed
        # could not be saved at all (the drop-down offers open slots only) — review.
        if obj is None:
            return tuple(self.readonly_fields)
        return (*self.readonly_fields, "slot", "code", "booked_at", "booked_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Booked on the booking page or by an operator (hall.actions.appointments.book, with
        # its event and the slot's capacity), not written here.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # cancelled through the action (with a reason), never deleted

    def save_model(self, request: HttpRequest, obj: Appointment, form: Any, change: bool) -> None:
        # The one field left to change here, the holder's name, goes through the action: the
        # admin's save wrote it with no event of the booking (review, session 17).
        user = request.user
        assert isinstance(user, User)
        if change and "holder_name" in form.changed_data:
            booking.rename_holder(obj, obj.holder_name, actor=user)


class KioskEventInline(ReadOnlyInline):
    """Who enrolled a browser as the kiosk, or revoked it: appended by the actions only."""

    model = KioskEvent
    fields = ("at", "action", "actor")


@admin.register(Kiosk)
class KioskAdmin(admin.ModelAdmin):
    """Register a self-service kiosk: its hall, place, hours and the matters it completes; and
    enrol the browser in front of you as the kiosk, or revoke the one enrolled (as the hall
    manager's page does, through hall.actions.selfservice, each an event)."""

    list_display = ("code", "name", "hall", "place", "round_the_clock", "active", "enrolled_at")
    list_filter = ("hall", "active")
    search_fields = ("code", "name", "place")
    filter_horizontal = ("matters",)
    readonly_fields = ("enrolled_at",)
    actions = ["enrol_this_browser", "revoke_enrolment"]

    def get_inlines(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        return [] if obj is None else [KioskEventInline]

    def save_model(self, request: HttpRequest, obj: Kiosk, form: Any, change: bool) -> None:
        """A kiosk made inactive is no longer enrolled (with its event): else making it active
        again would silently bring back whichever browser held its cookie."""
        super().save_model(request, obj, form, change)
        user = request.user
        if change and not obj.active and obj.enrolment_token and isinstance(user, User):
            kiosk_actions.revoke(obj, actor=user)

    @admin.action(description=gettext_lazy("Enrol this browser as the selected kiosk"))
    def enrol_this_browser(
        self, request: HttpRequest, queryset: QuerySet[Kiosk]
    ) -> HttpResponse | None:
        user = request.user
        assert isinstance(user, User)
        chosen = list(queryset.select_related("hall__unit")[:2])
        if len(chosen) != 1:
            self.message_user(request, _("Choose one kiosk to enrol."), messages.WARNING)
            return None
        try:
            token = kiosk_actions.enrol(chosen[0], actor=user, was=devices.enrolled_kiosk(request))
        except HallError as exc:
            self.message_user(request, exc.message, messages.WARNING)
            return None
        self.message_user(
            request,
            _("This browser is now the kiosk %(kiosk)s; a browser enrolled before no longer is.")
            % {"kiosk": chosen[0].code},
            messages.SUCCESS,
        )
        response = HttpResponseRedirect(request.get_full_path())
        devices.set_cookie(response, request, chosen[0], token)
        return response

    @admin.action(description=gettext_lazy("Revoke the selected kiosks' enrolment"))
    def revoke_enrolment(self, request: HttpRequest, queryset: QuerySet[Kiosk]) -> None:
        user = request.user
        assert isinstance(user, User)
        revoked = sum(
            kiosk_actions.revoke(kiosk, actor=user)
            for kiosk in queryset.select_related("hall__unit")
        )
        self.message_user(
            request, _("Enrolments revoked: %(n)d.") % {"n": revoked}, messages.SUCCESS
        )


@admin.register(SelfServiceUse)
class SelfServiceUseAdmin(ReadOnlyAdmin):
    """The uses, to read: they are recorded by the kiosk page and never edited."""

    list_display = ("at", "hall", "kiosk", "matter", "kind", "hall_open")
    list_filter = ("hall", "kind", "hall_open")
    date_hierarchy = "at"
