"""The citizen's rating form (pad, QR, SMS), the follow-up rating and the hall's appeal."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hotline.ratings.models import Level, Reason


class RatingForm(forms.Form):
    """Five big choices; reasons and a number only matter for a 差评 (the action decides)."""

    level = forms.TypedChoiceField(
        label=_("How was your visit?"),
        choices=Level.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one of the five ratings.")},
    )
    reasons = forms.MultipleChoiceField(
        label=_("What went wrong? (required for the two lowest ratings)"),
        choices=Reason.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    comment = forms.CharField(
        label=_("Anything else?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    phone = forms.CharField(
        label=_("Mobile number, if the centre may tell you what was done (optional)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "numeric"}),
    )

    def action_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "level": data["level"],
            "reasons": data["reasons"],
            "comment": data["comment"],
            "phone": data["phone"],
        }


class FollowUpForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("How do you rate the rectification?"),
        choices=Level.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one of the five ratings.")},
    )
    comment = forms.CharField(
        label=_("Anything else?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReasonForm(forms.Form):
    """An appeal or the centre's decision on it."""

    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class SmsLinkForm(forms.Form):
    """ "Text me the link": shown on the visit's page below the rating form, whose own phone field
    is ``id_phone``; this one is ``id_sms_phone`` so that each label names its own input."""

    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_sms_%s")
        super().__init__(*args, **kwargs)


class ReferralForm(forms.Form):
    """办不成事: what the citizen came for, why it could not be done, and how to reach them."""

    ticket_number = forms.CharField(
        label=_("Ticket number (today, optional)"), max_length=20, required=False
    )
    what = forms.CharField(label=_("What the citizen came to get done"), max_length=200)
    why = forms.CharField(
        label=_("Why it could not be done"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    phone = forms.CharField(
        label=_("Citizen's mobile number (for the hotline's callback)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "numeric"}),
    )
    name = forms.CharField(label=_("Citizen's name (optional)"), max_length=50, required=False)
