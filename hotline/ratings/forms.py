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
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "numeric"}),
    )
