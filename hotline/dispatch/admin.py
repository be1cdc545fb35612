from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from hotline.dispatch import services
from hotline.dispatch.models import DispatchModel, Prediction


@admin.register(DispatchModel)
class DispatchModelAdmin(admin.ModelAdmin):
    list_display = ["version", "target", "created_at", "training_size", "threshold", "active"]
    list_filter = ["target", "active"]
    search_fields = ["version"]
    readonly_fields = ["version", "target", "created_at", "training_size", "metrics", "active"]
    actions = ["activate"]

    @admin.action(description=_("Activate the selected model"))
    def activate(self, request: HttpRequest, queryset: QuerySet[DispatchModel]) -> None:
        chosen = list(queryset)
        if len({m.target for m in chosen}) != len(chosen):
            self.message_user(
                request, _("Choose one model per target to activate."), messages.ERROR
            )
            return
        for model in chosen:
            services.activate(model)
        self.message_user(request, _("Activated: %s") % ", ".join(m.version for m in chosen))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # versions come from ``hotline dispatch train``


@admin.register(Prediction)
class PredictionAdmin(admin.ModelAdmin):
    list_display = [
        "order",
        "target",
        "model_version",
        "confidence",
        "auto_dispatched",
        "created_at",
    ]
    list_filter = ["target", "auto_dispatched", "model_version"]
    search_fields = ["order__number", "model_version"]
    list_select_related = ["order"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
