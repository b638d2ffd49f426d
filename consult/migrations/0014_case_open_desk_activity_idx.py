# The case list's "active" filter on its own partial index (issue 13).
# Built CONCURRENTLY: at a million cases a plain CREATE INDEX would block
# intake (every INSERT into consult_case) for the seconds the build takes.

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("consult", "0013_consent_contact_by_desk"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="case",
            index=models.Index(
                condition=~models.Q(status="closed"),
                fields=["handling_desk", "-last_activity_at", "-id"],
                name="case_open_desk_activity_idx",
            ),
        ),
    ]
