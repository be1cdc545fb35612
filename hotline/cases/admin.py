from django.contrib import admin

from hotline.cases.models import Case, CaseEvent, ReceiptLine, Submission
from hotline.readonly_admin import ReadOnlyAdmin, ReadOnlyInline


class CaseEventInline(ReadOnlyInline):
    model = CaseEvent
    fields = ("seq", "action", "at", "actor", "ticket", "from_state", "to_state", "reason")


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("number", "hall", "matter", "state", "opened_at", "due_at")
    list_filter = ("hall", "state")
    search_fields = ("number", "matter__name")
    # Cases change only through the write path (each step an event): the admin reads.
    inlines = [CaseEventInline]


class ReceiptLineInline(ReadOnlyInline):
    model = ReceiptLine


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "hall", "bundle", "opened_at")
    list_filter = ("hall",)
    inlines = [ReceiptLineInline]
