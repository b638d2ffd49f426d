from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from accounts.admin import UserAdmin

from .models import Consortium, Desk, Membership, MunicipalClosure, Municipality


@admin.register(Consortium)
class ConsortiumAdmin(TranslationAdmin):
    list_display = ("code", "name", "hub_municipality")
    search_fields = ("code", "name_ja", "name_en")


@admin.register(Municipality)
class MunicipalityAdmin(TranslationAdmin):
    list_display = ("code", "name", "reading", "kind", "consortium", "active")
    list_filter = ("kind", "consortium", "active")
    search_fields = ("code", "name_ja", "name_en", "reading")


@admin.register(Desk)
class DeskAdmin(TranslationAdmin):
    list_display = ("code", "name", "municipality", "is_hub", "active")
    list_filter = ("is_hub", "active", "municipality__consortium")
    search_fields = ("code", "name_ja", "name_en")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "municipality", "role", "desk", "active")
    list_filter = ("role", "active", "municipality")
    search_fields = ("user__username", "user__display_name", "municipality__name_ja")
    autocomplete_fields = ("user", "municipality", "desk")


@admin.register(MunicipalClosure)
class MunicipalClosureAdmin(admin.ModelAdmin):
    list_display = ("date", "municipality", "reason")
    list_filter = ("municipality",)
    date_hierarchy = "date"
    search_fields = ("reason", "municipality__name_ja", "municipality__code")
    autocomplete_fields = ("municipality",)


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["municipality"]


# A user's memberships are edited on the user's admin page.  accounts sits
# below municipalities, so the inline is added from here (accounts' admin
# module is loaded first: INSTALLED_APPS order).
UserAdmin.inlines = [*UserAdmin.inlines, MembershipInline]
