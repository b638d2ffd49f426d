from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Documents for the client")

    def ready(self) -> None:
        # consult sits below this app: the case page shows our link and the
        # print audit finds our documents through registries (CONVENTIONS "Layout").
        from consult import timeline
        from core import printing

        from . import hooks

        timeline.register_case_link(hooks.case_documents_link)
        printing.register("document", hooks.fetch_case_for_print)
