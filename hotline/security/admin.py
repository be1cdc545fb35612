from django.contrib import admin
from django.http import HttpRequest

from hotline.security.models import PhoneView


@admin.register(PhoneView)
class PhoneViewAdmin(admin.ModelAdmin):
    """Read-only: the record is written by the application, never by hand."""

    list_display = ("at", "user", "order", "where", "path", "client", "detail")
    list_filter = ("where",)
    search_fields = ("user__username", "order__number")
    date_hierarchy = "at"
    list_select_related = ("user", "order")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
