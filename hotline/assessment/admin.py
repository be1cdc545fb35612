from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from hotline.assessment.models import KpiSettings


@admin.register(KpiSettings)
class KpiSettingsAdmin(admin.ModelAdmin):
    fieldsets = [
        (None, {"fields": ["minimum_volume"]}),
        (
            _("Satisfaction points"),
            {"fields": ["score_satisfied", "score_basically_satisfied", "score_dissatisfied"]},
        ),
        (
            _("Weights in the composite score"),
            {
                "fields": [
                    "weight_sign_for",
                    "weight_first_contact",
                    "weight_on_time_reply",
                    "weight_resolution",
                    "weight_satisfaction",
                    "weight_reopen",
                    "weight_return",
                ]
            },
        ),
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not KpiSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: KpiSettings | None = None) -> bool:
        return False
