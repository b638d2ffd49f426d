from django.db import migrations, models


class Migration(migrations.Migration):
    """Indexes for the case list (consult/selectors.py):

    * case_opened_idx — sort by opening date (either direction) with the
      keyset condition (opened_at, id) < (…) as an index condition;
    * case_reference_prefix_idx — reference search "KRS-2026-000…" as
      LIKE 'prefix%', which the unique index cannot serve unless the
      database collation is C.
    """

    dependencies = [("consult", "0002_cases")]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["-opened_at", "-id"], name="case_opened_idx"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["reference"], name="case_reference_prefix_idx", opclasses=["varchar_pattern_ops"]
            ),
        ),
    ]
