from django.contrib import admin

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


@admin.register(Bundle)
class BundleAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "active")
    search_fields = ("code", "name")
    filter_horizontal = ("matters",)
