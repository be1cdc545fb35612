from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from hotline.assessment.models import (
    KpiSettings,
    ReviewCriterion,
    SampleDraw,
    SampleItem,
    SampleReview,
)


@admin.register(KpiSettings)
class KpiSettingsAdmin(admin.ModelAdmin):
    fieldsets = [
        (None, {"fields": ["minimum_volume"]}),
        (
            _("Satisfaction"),
            {
                "fields": [
                    "satisfaction_measure",
                    "basically_satisfied_counts",
                    "score_satisfied",
                    "score_basically_satisfied",
                    "score_dissatisfied",
                ]
            },
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
        (
            _("Service centres (hall figures)"),
            {
                "fields": [
                    "weight_hall_service_level",
                    "weight_hall_completion",
                    "weight_hall_appointments_kept",
                    "weight_hall_case_on_time",
                    "weight_hall_one_visit",
                    "weight_hall_good_rating",
                    "weight_hall_rectified_on_time",
                ]
            },
        ),
        (
            _("Deductions"),
            {
                "fields": [
                    "supervision_deduction",
                    "sampling_pass_score",
                    "sampling_deduction",
                    "kb_upkeep_factor",
                ]
            },
        ),
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not KpiSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: KpiSettings | None = None) -> bool:
        return False


@admin.register(ReviewCriterion)
class ReviewCriterionAdmin(admin.ModelAdmin):
    list_display = ["name", "max_points", "sort_order", "active"]
    list_editable = ["max_points", "sort_order", "active"]
    list_filter = ["active"]


class SampleItemInline(admin.TabularInline):
    model = SampleItem
    fields = ["position", "order", "unit"]
    readonly_fields = ["position", "order", "unit"]
    extra = 0
    can_delete = False


@admin.register(SampleDraw)
class SampleDrawAdmin(admin.ModelAdmin):
    """Draws are records: read here, made on the sampling page (so the seed is honest)."""

    list_display = ["number", "drawn_at", "drawn_by", "strategy", "size", "population", "seed"]
    list_filter = ["strategy"]
    readonly_fields = [
        "drawn_by",
        "drawn_at",
        "seed",
        "strategy",
        "size",
        "filters",
        "population",
        "note",
    ]
    inlines = [SampleItemInline]

    @admin.display(description=_("draw number"), ordering="pk")
    def number(self, draw: SampleDraw) -> int:
        return draw.pk

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(SampleReview)
class SampleReviewAdmin(admin.ModelAdmin):
    list_display = ["item", "reviewer", "reviewed_at", "score"]
    search_fields = ["item__order__number", "comment"]
    readonly_fields = ["item", "reviewer", "reviewed_at", "scores", "score", "comment"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
