"""Starting a 帮办 or a 代办, and ending or moving one on."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hotline.assistance.models import Outcome
from hotline.hall.forms import hall_matters
from hotline.hall.models import Hall
from hotline.matters.models import Matter
from hotline.web.widgets import DateBox


class _Start(forms.Form):
    matters = forms.ModelMultipleChoiceField(
        queryset=Matter.objects.none(),
        label=_("Matters"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose the matters the citizen is helped with.")},
    )
    # The citizen's ticket of the day ties the record to the visit: its cases, the wait, the
    # trips and the materials received (resolved by the view, as the 办不成事 form's).
    ticket_number = forms.CharField(
        label=_("Ticket number (today, optional)"), max_length=20, required=False
    )
    phone = forms.CharField(
        label=_("Mobile number (optional)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "numeric"}),
    )

    def __init__(self, hall: Hall, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["matters"].queryset = hall_matters(hall)  # type: ignore[attr-defined]


class HelpForm(_Start):
    citizen_name = forms.CharField(
        label=_("Citizen's name (optional)"), max_length=30, required=False
    )


class ProxyForm(_Start):
    applicant_name = forms.CharField(label=_("Applicant"), max_length=30)
    authoriser_name = forms.CharField(label=_("Authorised by"), max_length=30)
    authorisation_ref = forms.CharField(label=_("Authorisation reference"), max_length=60)
    authorised_until = forms.DateField(label=_("Authorisation valid until"), widget=DateBox())


class StepForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, required=False)
    note = forms.CharField(label=_("Note"), max_length=1000, required=False)
