from modeltranslation.translator import TranslationOptions, register

from .models import FollowUpTemplate, Language, Organisation, ResidenceStatus, Topic


@register(Language)
class LanguageTranslation(TranslationOptions):
    fields = ("name",)


@register(Topic)
class TopicTranslation(TranslationOptions):
    fields = ("name",)


@register(ResidenceStatus)
class ResidenceStatusTranslation(TranslationOptions):
    fields = ("name",)


@register(Organisation)
class OrganisationTranslation(TranslationOptions):
    fields = ("name", "address")


@register(FollowUpTemplate)
class FollowUpTemplateTranslation(TranslationOptions):
    fields = ("note",)
