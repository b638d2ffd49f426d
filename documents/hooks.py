"""What documents contributes to lower apps (registered in DocumentsConfig.ready())."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from consult.access import get_case_for_user


def case_documents_link(*, case, user) -> list[dict]:
    """The case page's link to the documents handed to the client.  Asks
    nothing of the database (the case page keeps its query budget); the
    documents page itself asks case_access."""
    return [
        {
            "label": _("Documents for the client"),
            "url": reverse("documents:case_documents", args=[case.pk]),
            "testid": "client-documents",
        }
    ]


def fetch_case_for_print(user, pk):
    """core.printing: a printed document is recorded against its case (404 outside scope)."""
    case = get_case_for_user(user, pk)
    return case, case, case.handling_desk
