"""The Django admin for operators (is_staff); organisation admins use the product's own pages."""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from champion.accounts.models import (
    Membership,
    Organisation,
    SsoSignIn,
    StaffImport,
    Unit,
    User,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "organisation", "is_active", "is_staff"]
    list_filter = ["organisation", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("full_name", "job_title", "organisation")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "organisation", "password1", "password2"),
            },
        ),
    )


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "password_sign_in", "created_at"]
    search_fields = ["name"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "organisation", "path"]
    list_filter = ["organisation", "kind"]
    search_fields = ["name"]


@admin.register(StaffImport)
class StaffImportAdmin(admin.ModelAdmin):
    list_display = ["filename", "organisation", "uploaded_by", "status", "created_at"]
    readonly_fields = ["rows", "summary"]


@admin.register(SsoSignIn)
class SsoSignInAdmin(admin.ModelAdmin):
    """Single sign-on outcomes, read-only: what the identity provider said and what we did."""

    list_display = ["at", "protocol", "email", "outcome", "reason", "organisation", "ip_address"]
    list_filter = ["protocol", "outcome", "reason"]
    search_fields = ["email"]
    date_hierarchy = "at"

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False
