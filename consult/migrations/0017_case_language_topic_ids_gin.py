# The GIN indexes of the case list's language and topic filters (migration
# 0016).  Built CONCURRENTLY: cases are written at every intake.

import django.contrib.postgres.indexes
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("consult", "0016_case_language_topic_ids"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="case",
            index=django.contrib.postgres.indexes.GinIndex(fields=["language_ids"], name="case_language_ids_gin"),
        ),
        AddIndexConcurrently(
            model_name="case",
            index=django.contrib.postgres.indexes.GinIndex(fields=["topic_ids"], name="case_topic_ids_gin"),
        ),
    ]
