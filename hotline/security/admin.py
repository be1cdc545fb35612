from django.contrib import admin

from hotline.readonly_admin import ReadOnlyAdmin
from hotline.security.models import PhoneView


@admin.register(PhoneView)
class PhoneViewAdmin(ReadOnlyAdmin):
    """Read-only: the record is written by the application, never by hand."""

    list_display = ("at", "user", "order", "where", "path", "client", "detail")
    list_filter = ("where",)
    search_fields = ("user__username", "order__number")
    date_hierarchy = "at"
    list_select_related = ("user", "order")
