from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, (_("Madoguchi"), {"fields": ("display_name", "ui_language")}))
    list_display = ("username", "display_name", "email", "is_active", "last_login")
    # municipalities/admin.py adds the memberships inline: accounts sits
    # below municipalities and does not import it.
    inlines = []
