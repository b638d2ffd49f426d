"""Backfill the "what was true then" fields of existing consultations from
their case's client as it is now, and the latest consultation's outcome from
its case.  Idempotent (see consult/snapshots.py; the SQL is copied here so
that later edits there never change what this migration did)."""

from django.db import migrations

SNAPSHOT_SQL = """
UPDATE consult_consultation AS co
   SET client_residence_municipality_id = cl.residence_municipality_id,
       client_outside_area = cl.lives_outside_area,
       client_residence_status_id = cl.residence_status_id,
       client_nationality = cl.nationality,
       client_age_band = cl.age_band,
       client_type = cl.client_type
  FROM consult_case AS ca
  JOIN consult_client AS cl ON cl.id = ca.client_id
 WHERE ca.id = co.case_id AND co.client_type = ''
"""

OUTCOME_SQL = """
UPDATE consult_consultation AS co
   SET outcome = ca.outcome
  FROM consult_case AS ca
 WHERE ca.id = co.case_id AND co.outcome = '' AND ca.outcome <> ''
   AND co.id = (SELECT c2.id FROM consult_consultation AS c2 WHERE c2.case_id = co.case_id
                 ORDER BY c2.occurred_at DESC, c2.id DESC LIMIT 1)
"""


class Migration(migrations.Migration):
    dependencies = [("consult", "0011_consultation_snapshot")]

    operations = [
        # Reversing leaves the values; 0008's reversal drops the columns.
        migrations.RunSQL(SNAPSHOT_SQL, reverse_sql=migrations.RunSQL.noop),
        migrations.RunSQL(OUTCOME_SQL, reverse_sql=migrations.RunSQL.noop),
    ]
