"""Typed input for the hall's pages; the actions do the business checks."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hotline.hall import identity
from hotline.hall.models import Hall, Priority, WindowMatter
from hotline.hall.rules import InvalidInput
from hotline.matters.models import Matter

KIOSK_PRIORITIES = [
    (Priority.REGULAR, Priority.REGULAR.label),
    (Priority.ELDERLY, Priority.ELDERLY.label),
    (Priority.DISABLED, Priority.DISABLED.label),
    (Priority.PREGNANT, Priority.PREGNANT.label),
]


_ROW_ID = re.compile(r"[0-9]{1,18}")


def row_id(value: object) -> int | None:
    """A row id from a form field or a link, or None for anything else (letters, "²", forty
    digits): a mangled or tampered form then finds nothing instead of failing in the database."""
    return int(value) if isinstance(value, str) and _ROW_ID.fullmatch(value) else None


def form_problem(form: forms.Form) -> str:
    """What is wrong with a small form, each refusal named by its box: a note or reason over its
    length used to be dropped without a word (an appeal then asked for a reason it had been
    given; a 帮办's closing note was lost)."""
    return " ".join(
        gettext("%(label)s: %(error)s") % {"label": form[name].label, "error": error}
        for name, errors in form.errors.items()
        for error in errors
    )


def hall_matters(hall: Hall) -> Any:
    ids = WindowMatter.objects.filter(window__hall=hall).values_list("matter_id", flat=True)
    return Matter.objects.filter(pk__in=ids, active=True).order_by("queue_group", "code")


class KioskForm(forms.Form):
    matter = forms.ModelChoiceField(queryset=Matter.objects.none(), label=_("Matter"))
    priority = forms.ChoiceField(
        label=_("Priority"), choices=KIOSK_PRIORITIES, initial=Priority.REGULAR, required=False
    )
    phone = forms.CharField(label=_("Mobile number (optional)"), max_length=30, required=False)
    id_number = forms.CharField(label=_("ID number (optional)"), max_length=20, required=False)
    name = forms.CharField(label=_("Name (optional)"), max_length=30, required=False)
    sms = forms.BooleanField(label=_("Text me when my turn is near"), required=False)

    def __init__(self, hall: Hall, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["matter"].queryset = hall_matters(hall)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            data["holder_key"] = identity.holder_key(
                phone=data.get("phone", ""), id_number=data.get("id_number", "")
            )
            data["sms_phone"] = (
                identity.mobile(data["phone"]) if data.get("sms") and data.get("phone") else ""
            )
        except InvalidInput as exc:
            self.add_error(exc.field or None, exc.message)
        if data.get("sms") and not data.get("phone") and not self.has_error("phone"):
            # A number typed but refused above has its message already.
            self.add_error("phone", _("Give a mobile number for the text message."))
        return data

    def issue_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "matter": data["matter"],
            "priority": data.get("priority") or Priority.REGULAR,
            "holder_key": data.get("holder_key", ""),
            "holder_name": data.get("name", ""),
            "sms_phone": data.get("sms_phone", ""),
        }


class CodeForm(forms.Form):
    """The confirm step of a booking or today's ticket on the portal: the code texted to the
    phone, and what it confirms (signed, hotline.hall.booking_code)."""

    pending = forms.CharField(widget=forms.HiddenInput, max_length=2000)
    code = forms.CharField(label=_("Code from the text message"), max_length=12)

    @classmethod
    def refused(cls, message: str) -> CodeForm:
        """An empty code step that says ``message`` ("send again" too soon)."""
        form = cls()
        form.full_clean()  # unbound: no errors of its own, only this one
        form.cleaned_data = {}
        form.add_error(None, message)
        return form
