"""The portal's forms: what a citizen types, checked before anything is written."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from hotline.open311.services import leaves
from hotline.orders.models import Satisfaction
from hotline.org.models import Category
from hotline.security.phone_numbers import (
    ascii_digits,
    mistyped_mobile,
    mistyped_mobile_message,
    normalise_phone,
)
from hotline.web.forms import DescriptionField

PHONE = re.compile(r"^\+?[0-9]{5,20}$")
#: The order number's date and serial without the dash (hotline/orders/actions/_core.py).
ORDER_DIGITS = re.compile(r"[0-9]{8}[0-9]{6,}")
PHOTO_EXTENSIONS = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic"}
# What the first bytes of each kind of image look like: an extension alone is only a name.
_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a")


def _is_image(upload: UploadedFile) -> bool:
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(_MAGIC):
        return True
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return True
    return head[4:8] == b"ftyp"  # HEIC/HEIF, as phones take them


class FocusFirstError(forms.Form):
    """A form sent back with errors puts the focus on the first box refused (``autofocus``): the
    page came back with the focus at its top, so a screen reader said nothing of the error and, on
    a phone, the refused box could be below the fold (walk-through, session 27, h7 F5). Django's
    aria-describedby then reads the error out with the box's label."""

    def full_clean(self) -> None:
        super().full_clean()
        for name, field in self.fields.items():
            if name in self.errors:
                field.widget.attrs["autofocus"] = True
                break


class LeafCategoryField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Category) -> str:
        return obj.path_name


class PhoneField(forms.CharField):
    """A number to reach someone on. A mobile number missing a digit or with one too many is
    refused (:func:`~hotline.security.phone_numbers.mistyped_mobile`) unless ``lookup``: a
    number only compared with one given earlier (tracking) must still find an order registered
    under a typo before the check existed."""

    def __init__(self, *args, lookup: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lookup = lookup

    def clean(self, value: str | None) -> str:
        phone = normalise_phone(super().clean(value))
        if phone and not PHONE.match(phone):
            raise forms.ValidationError(_("Enter a valid phone number."))
        if phone and not self.lookup and mistyped_mobile(phone):
            raise forms.ValidationError(mistyped_mobile_message(phone))
        return phone


class SubmitForm(FocusFirstError):
    category = LeafCategoryField(
        queryset=Category.objects.none(),
        label=_("What is it about?"),
        empty_label=_("Choose a category"),
    )
    # The orders' one cap, as at intake: checked on the server and said beside the box (a
    # maxlength attribute would cut a paste silently), a line break counted as one character.
    description = DescriptionField(
        label=_("Describe your request"),
        min_length=10,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    address = forms.CharField(label=_("Where?"), max_length=200)
    phone = PhoneField(
        label=_("Your phone number"),
        max_length=30,
        help_text=_("We call you about your request. Only the hotline and its units see it."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    photo = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The limit is stated on the form and checked by the browser before the upload
        # (portal-photo.js reads data-max-bytes); the server checks again.
        limit = settings.PORTAL_PHOTO_MB
        photo = self.fields["photo"]
        photo.help_text = _("JPEG, PNG, GIF, WebP or HEIC, at most %(mb)d MB.") % {"mb": limit}
        photo.widget.attrs.update(
            {
                "data-max-bytes": str(limit * 1024 * 1024),
                "data-too-large": self.photo_too_large(),
            }
        )
        ids = [c.pk for c in leaves()]
        field = self.fields["category"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Category.objects.filter(pk__in=ids).order_by(
            "parent__parent__sort_order", "parent__sort_order", "sort_order", "code"
        )

    @property
    def photo_dropped(self) -> bool:
        """A photo came with a form sent back for another box: the browser never puts a file
        back in its box, so the order went in without it unless the citizen was told to choose it
        again (walk-through, session 27, h7 F3)."""
        return bool(
            self.is_bound and self.errors and "photo" not in self.errors and self.files.get("photo")
        )

    def clean_photo(self) -> UploadedFile | None:
        photo = self.cleaned_data.get("photo")
        if not photo:
            return None
        if photo.size > settings.PORTAL_PHOTO_MB * 1024 * 1024:
            raise forms.ValidationError(self.photo_too_large())
        if Path(photo.name or "").suffix.lower() not in PHOTO_EXTENSIONS or not _is_image(photo):
            raise forms.ValidationError(_("Send a photo (JPEG, PNG, GIF, WebP or HEIC)."))
        return photo

    @staticmethod
    def photo_too_large() -> str:
        return str(
            _("The photo is too large: at most %(mb)d MB.") % {"mb": settings.PORTAL_PHOTO_MB}
        )


class TrackForm(FocusFirstError):
    number = forms.CharField(
        label=_("Order number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "20230309-000123"}),
    )
    phone = PhoneField(
        label=_("The phone number you gave"),
        max_length=30,
        lookup=True,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )

    def clean_number(self) -> str:
        return normalise_number(self.cleaned_data["number"])


def normalise_number(raw: str) -> str:
    """An order number as people copy or read it out: ``20230309000123``, ``2023 0309 000123``,
    full-width digits or dashes, other scripts' digits (as a phone's keyboard may type them, read
    as the phone numbers are) all become ``20230309-000123``; anything else is left to not
    match."""
    text = re.sub(r"[\s\-–—_.]", "", ascii_digits(unicodedata.normalize("NFKC", raw)))
    if ORDER_DIGITS.fullmatch(text):
        return f"{text[:8]}-{text[8:]}"
    return raw.strip()


class RateForm(FocusFirstError):
    resolved = forms.TypedChoiceField(
        label=_("Was your request resolved?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    satisfaction = forms.ChoiceField(
        label=_("How satisfied are you with how it was handled?"),
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything else you want to tell us (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
