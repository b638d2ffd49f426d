"""Load the shipped texts and translations (documents/data/texts.json).

Called by the data migration and idempotent: a missing text or translation
is created; one that exists is left as it is, so an administrator's edits
and reviews are never overwritten by an upgrade.  Shipped translations are
unreviewed until an administrator reviews them."""

from __future__ import annotations

import json
from pathlib import Path

TEXTS_FILE = Path(__file__).resolve().parent / "data" / "texts.json"


def load_shipped_texts(text_model, translation_model) -> tuple[int, int]:
    rows = json.loads(TEXTS_FILE.read_text(encoding="utf-8"))
    texts_created = translations_created = 0
    for row in rows:
        text, created = text_model.objects.get_or_create(
            key=row["key"],
            defaults={
                "document": row["document"],
                "japanese": row["japanese"],
                "easy_japanese": row["easy_japanese"],
                "sort_order": row["sort_order"],
            },
        )
        texts_created += created
        for code, translation in row["translations"].items():
            _, created = translation_model.objects.get_or_create(
                text=text, language_code=code, defaults={"translation": translation, "reviewed": False}
            )
            translations_created += created
    return texts_created, translations_created
