from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from municipalities.models import Membership

from .models import User


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["municipality"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, (_("Madoguchi"), {"fields": ("display_name", "ui_language")}))
    list_display = ("username", "display_name", "email", "is_active", "last_login")
    inlines = [MembershipInline]
