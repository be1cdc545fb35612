"""What a citizen types and uploads for a pre-review, and a clerk's decision: checked shape only;
the write path checks the rest (types and sizes of files, the transition table)."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from hotline.hall import identity
from hotline.hall.rules import InvalidInput as HallInvalidInput
from hotline.matters.models import Material
from hotline.prereview.actions.filing import field_name
from hotline.prereview.actions.uploads import EXTENSIONS

ACCEPT = ",".join(sorted(EXTENSIONS)) + ",image/*,application/pdf"


def _file_fields(form: forms.Form, materials: Iterable[Material], *, asked: set[int]) -> None:
    for material in materials:
        help_text: str = material.note or ""
        if material.pk in asked:
            help_text = str(_("Asked for again."))
        form.fields[field_name(material.pk)] = forms.FileField(
            label=material.name,
            required=material.pk in asked,
            help_text=help_text,
            widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        )


class FilesForm(forms.Form):
    """A file input per material of the matter's list."""

    def __init__(self, *args: object, materials: list[Material], asked: Iterable[int] = (), **kw):
        super().__init__(*args, **kw)  # type: ignore[arg-type]
        self.materials = materials
        _file_fields(self, materials, asked=set(asked))

    def uploads(self) -> dict[int, UploadedFile]:
        return {
            m.pk: self.cleaned_data[field_name(m.pk)]
            for m in self.materials
            if self.cleaned_data.get(field_name(m.pk))
        }

    def material_fields(self) -> list[tuple[Material, forms.BoundField]]:
        return [(m, self[field_name(m.pk)]) for m in self.materials]


class SubmitForm(FilesForm):
    """The first submission: who the citizen is, and their files."""

    name = forms.CharField(label=_("Your name"), max_length=60)
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        help_text=_("We text you the outcome. Take your ticket with this number or your ID."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    id_number = forms.CharField(
        label=_("Resident ID number (optional)"),
        max_length=18,
        required=False,
        help_text=_("If you take your ticket with your ID card, it links to this pre-review."),
    )

    def identity_fields(self) -> list[forms.BoundField]:
        return [self["name"], self["phone"], self["id_number"]]


class LookupForm(forms.Form):
    """Asking for one's link again: the pre-review's number and the mobile given. A matching
    pair has the link texted to that mobile; the page never opens the pre-review."""

    number = forms.CharField(label=_("Pre-review number"), max_length=32)
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )

    def clean_number(self) -> str:
        return str(self.cleaned_data["number"]).strip().upper()

    def clean_phone(self) -> str:
        """A number that is no mobile is said so (a typo, not a wrong pair: that tells nothing
        of any pre-review)."""
        try:
            return identity.mobile(str(self.cleaned_data["phone"]))
        except HallInvalidInput as exc:
            raise forms.ValidationError(exc.message) from None
