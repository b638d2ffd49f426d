"""The shipped document texts and their translations (documents/data/texts.json),
loaded unreviewed.  Idempotent: what exists is left alone (loading.py)."""

from django.db import migrations


def load(apps, schema_editor):
    from documents.loading import load_shipped_texts

    load_shipped_texts(apps.get_model("documents", "DocumentText"), apps.get_model("documents", "DocumentTranslation"))


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
