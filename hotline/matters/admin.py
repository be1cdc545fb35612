from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _

from hotline.matters.models import Bundle, Material, Matter


class MaterialInline(admin.TabularInline):
    model = Material
    extra = 1


@admin.register(Matter)
class MatterAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "unit",
        "kind",
        "promised_days",
        "visits",
        "queue_group",
        "active",
    )
    list_filter = ("kind", "queue_group", "appointment_allowed", "remote_ticket_allowed", "active")
    search_fields = ("code", "name")
    inlines = [MaterialInline]


class BundleForm(forms.ModelForm):
    class Meta:
        model = Bundle
        fields = ("code", "name", "matters", "active")

    def clean_matters(self) -> Any:
        """As the import checks: a bundle (一件事) joins at least two matters."""
        matters = self.cleaned_data["matters"]
        if len(matters) < 2:
            raise forms.ValidationError(_("a bundle joins at least two matters"))
        return matters


@admin.register(Bundle)
class BundleAdmin(admin.ModelAdmin):
    form = BundleForm
    list_display = ("code", "name", "active")
    search_fields = ("code", "name")
    filter_horizontal = ("matters",)
