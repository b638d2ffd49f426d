from __future__ import annotations

import pytest

SHIPPED = ["en", "zh-Hans", "zh-Hant", "ko", "vi", "pt", "es", "fil", "ne", "id", "th", "my"]


@pytest.fixture
def document_texts(db):
    """The shipped texts as `migrate` loads them (a transactional test before
    this one may have flushed the tables)."""
    from documents.loading import load_shipped_texts
    from documents.models import DocumentText, DocumentTranslation

    load_shipped_texts(DocumentText, DocumentTranslation)


@pytest.fixture
def reviewer(db):
    from tests.factories import UserFactory

    return UserFactory(username="t-translation-reviewer", is_staff=True, is_superuser=True)


def review_language(code: str, by) -> None:
    """An administrator reviews every text of `code` (documents.services)."""
    from documents.models import DocumentTranslation
    from documents.services import translation_review

    for translation in DocumentTranslation.objects.filter(language_code=code).select_related("text"):
        translation_review(translation=translation, by=by)
