from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hotline.cases.models import Case, CaseEvent, ReceiptLine, Submission


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    fields = ("seq", "action", "at", "actor", "ticket", "from_state", "to_state", "reason")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ("number", "hall", "matter", "state", "opened_at", "due_at")
    list_filter = ("hall", "state")
    search_fields = ("number", "matter__name")
    # Cases change only through the write path (each step an event): the admin reads.
    readonly_fields = [f.name for f in Case._meta.fields]
    inlines = [CaseEventInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class ReceiptLineInline(admin.TabularInline):
    model = ReceiptLine
    extra = 0
    can_delete = False
    readonly_fields = [f.name for f in ReceiptLine._meta.fields]


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ("__str__", "hall", "bundle", "opened_at")
    list_filter = ("hall",)
    readonly_fields = [f.name for f in Submission._meta.fields]
    inlines = [ReceiptLineInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
