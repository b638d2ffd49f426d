# Name search by trigrams for tokens of three characters or more (issue 13,
# docs/decisions/0018 fourth pass; 0005 for the bigram index it sits beside).
# Built CONCURRENTLY: clients are written at every intake.

import django.contrib.postgres.indexes
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("consult", "0014_case_open_desk_activity_idx"),
        ("core", "0002_postgres_extensions"),  # pg_trgm
    ]

    operations = [
        AddIndexConcurrently(
            model_name="client",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.indexes.OpClass("search_text", name="gin_trgm_ops"),
                "desk_ids",
                name="client_search_trgm_desks_gin",
            ),
        ),
    ]
