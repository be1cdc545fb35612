from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from hotline import clock
from hotline.sla.models import CalendarDay, CalendarYear, DeadlinePolicy, DeadlineRule
from hotline.sla.year_days import source_label, year_days


class DeadlineRuleInline(admin.TabularInline):
    model = DeadlineRule
    extra = 0


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]
    inlines = [DeadlineRuleInline]


def _years_in_use() -> list[dict[str, Any]]:
    """This year and next as the deadlines count them (entered days over chinese-calendar)."""
    this_year = clock.now().year
    years = []
    for year in (this_year, this_year + 1):
        days = year_days(year)
        years.append({"days": days, "source": source_label(days.source)})
    return years


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """The entered days, above which the list shows every holiday and make-up working day the
    deadlines use this year and next, whichever source they come from: an admin checks the
    calendar in one place and sees at once when next year still needs entering."""

    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    search_fields = ["name"]
    date_hierarchy = "date"

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        return super().changelist_view(
            request, {**(extra_context or {}), "years_in_use": _years_in_use()}
        )


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "complete", "note"]
