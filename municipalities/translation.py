from modeltranslation.translator import TranslationOptions, register

from .models import Consortium, Desk, Municipality


@register(Consortium)
class ConsortiumTranslation(TranslationOptions):
    fields = ("name",)


@register(Municipality)
class MunicipalityTranslation(TranslationOptions):
    fields = ("name",)


@register(Desk)
class DeskTranslation(TranslationOptions):
    fields = ("name", "address")
