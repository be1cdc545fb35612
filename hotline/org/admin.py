from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm as BaseUserChangeForm
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from hotline.org.models import ApiToken, Category, Place, Role, Unit, User, UserRole


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent", "peer_group", "contact_person", "active"]
    list_filter = ["kind", "peer_group", "active"]
    search_fields = ["code", "name", "contact_person", "contact_phone"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "__str__", "level", "default_unit", "deadline_policy", "active"]
    list_filter = ["level", "active", "deadline_policy"]
    search_fields = ["code", "name", "parent__name"]
    autocomplete_fields = ["parent", "default_unit"]
    list_select_related = ["parent__parent", "default_unit", "deadline_policy"]


class UserRoleFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        """The roles as saved with the user's own fields: a unit handler needs a unit (the
        model's check reads the roles already saved, so one added with the user, or in the same
        save, went through unitless)."""
        super().clean()
        roles = {
            form.cleaned_data.get("role")
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        }
        if Role.UNIT_HANDLER in roles and self.instance.unit_id is None:
            raise ValidationError(_("A unit handler must belong to a unit."))


class UserChangeForm(BaseUserChangeForm):
    """The admin's user form: a unit handler's unit is judged with the roles as submitted, by
    :class:`UserRoleFormSet`, not by the model against the roles saved before this save."""

    def clean(self) -> dict[str, Any] | None:
        # Before the model's own clean, which Django runs after this one.
        self.instance.roles_judged_elsewhere = True
        return super().clean()


class UserRoleInline(admin.TabularInline):
    model = UserRole
    formset = UserRoleFormSet
    extra = 1


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserChangeForm
    inlines = [UserRoleInline]
    list_display = ["username", "first_name", "unit", "role_list", "is_active", "last_login"]
    list_filter = ["role_grants__role", "is_active", "unit__kind"]
    search_fields = ["username", "first_name", "last_name", "email", "phone", "unit__name"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        (_("Hotline"), {"fields": ("unit", "phone")}),
    )
    # The unit on the first page too: a unit handler is added with the unit it works for.
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Hotline"), {"fields": ("unit", "phone")}),
    )

    @admin.display(description=_("roles"))
    def role_list(self, obj: User) -> str:
        return "、".join(str(g.get_role_display()) for g in obj.role_grants.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("role_grants")


class ApiTokenForm(forms.ModelForm):
    """The scopes as the command takes them (``open311``, ``api:read``, ``api:write``, the
    shorthand ``api``; spaces or commas), stored in their known form: free text here stored a
    typo or a shorthand, a token that worked nowhere (review, session 20)."""

    class Meta:
        model = ApiToken
        fields = "__all__"  # noqa: DJ007 - the admin lists its own fields; this form cleans one

    def clean_scopes(self) -> str:
        typed = self.cleaned_data["scopes"].replace(",", " ").split()
        try:
            scopes = ApiToken.scopes_text(typed)
        except ValueError as unknown:
            raise ValidationError(
                _("Unknown scope %(scope)s: use %(known)s.")
                % {"scope": unknown, "known": ", ".join((*ApiToken.SCOPES, "api"))}
            ) from None
        if not scopes:
            raise ValidationError(_("Give the token at least one scope."))
        return scopes


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    form = ApiTokenForm
    list_display = ["prefix", "user", "name", "scopes", "created_at", "expires_at", "revoked_at"]
    list_filter = ["revoked_at", "expires_at"]
    search_fields = ["user__username", "name", "prefix"]
    readonly_fields = ["prefix", "created_at"]
    autocomplete_fields = ["user"]


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "number_from", "number_to", "street", "community"]
    list_filter = ["kind", "street"]
    search_fields = ["name", "street__name", "community__name"]
    autocomplete_fields = ["street", "community"]
    list_select_related = ["street", "community"]
