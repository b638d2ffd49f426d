"""Administrators keep the document texts and their translations, and mark
translations reviewed (who and when are recorded)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import DocumentText, DocumentTranslation, OpeningHours
from .services import translation_edited, translation_review


class DocumentTranslationInline(admin.TabularInline):
    model = DocumentTranslation
    extra = 0
    fields = ("language_code", "translation", "reviewed", "reviewed_by", "reviewed_at")
    readonly_fields = ("reviewed_by", "reviewed_at")


@admin.register(DocumentText)
class DocumentTextAdmin(admin.ModelAdmin):
    list_display = ("key", "document", "japanese")
    list_filter = ("document",)
    search_fields = ("key", "japanese", "easy_japanese")
    inlines = [DocumentTranslationInline]

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            if inline_form.has_changed() and not inline_form.cleaned_data.get("DELETE"):
                translation_edited(
                    translation=inline_form.instance,
                    by=request.user,
                    text_changed="translation" in inline_form.changed_data,
                    reviewed=inline_form.cleaned_data.get("reviewed", False),
                )
        super().save_formset(request, form, formset, change)


@admin.register(DocumentTranslation)
class DocumentTranslationAdmin(admin.ModelAdmin):
    list_display = ("text", "language_code", "translation", "reviewed", "reviewed_by", "reviewed_at")
    list_filter = ("language_code", "reviewed", "text__document")
    search_fields = ("text__key", "translation")
    readonly_fields = ("reviewed_by", "reviewed_at")
    actions = ["mark_reviewed", "mark_unreviewed"]

    def save_model(self, request, obj, form, change):
        translation_edited(
            translation=obj,
            by=request.user,
            text_changed="translation" in form.changed_data,
            reviewed=form.cleaned_data.get("reviewed", False),
        )
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Mark as reviewed by me"))
    def mark_reviewed(self, request, queryset):
        for translation in queryset.select_related("text"):
            translation_review(translation=translation, by=request.user)

    @admin.action(description=_("Mark as not reviewed"))
    def mark_unreviewed(self, request, queryset):
        for translation in queryset.select_related("text"):
            translation_review(translation=translation, by=request.user, reviewed=False)


@admin.register(OpeningHours)
class OpeningHoursAdmin(admin.ModelAdmin):
    list_display = ("organisation", "weekdays", "opens_at", "closes_at")
