from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from .models import FollowUpTemplate, Language, Organisation, ResidenceStatus, Topic


@admin.register(Language)
class LanguageAdmin(TranslationAdmin):
    list_display = ("code", "autonym", "name", "direction", "isa_core_2019", "active", "sort_order")
    list_filter = ("direction", "isa_core_2019", "active")
    search_fields = ("code", "autonym", "name_ja", "name_en")


@admin.register(Topic)
class TopicAdmin(TranslationAdmin):
    list_display = ("code", "name", "parent", "active", "sort_order")
    list_filter = ("active", "parent")
    search_fields = ("code", "name_ja", "name_en")


@admin.register(ResidenceStatus)
class ResidenceStatusAdmin(TranslationAdmin):
    list_display = ("code", "name", "group", "valid_from", "valid_to", "active")
    list_filter = ("group", "active")
    search_fields = ("code", "name_ja", "name_en")


@admin.register(Organisation)
class OrganisationAdmin(TranslationAdmin):
    list_display = ("code", "name", "kind", "phone", "active")
    list_filter = ("kind", "active")
    search_fields = ("code", "name_ja", "name_en")


@admin.register(FollowUpTemplate)
class FollowUpTemplateAdmin(TranslationAdmin):
    list_display = ("topic", "note", "business_days", "active")
    list_filter = ("active",)
    search_fields = ("topic__code", "topic__name_ja", "note_ja", "note_en")
    autocomplete_fields = ("topic",)
