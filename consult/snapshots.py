"""Filling the "what was true then" fields of consultations in bulk (DESIGN §3).

The intake copies the client's dimensions onto each consultation as it is
logged (`Consultation.snapshot_client`).  Rows written in bulk — the
migration that introduced the fields, the demo seeder — are filled here,
from the case's client as it is now: the best that can be known afterwards.

Idempotent: only rows whose case has a client and whose `client_type` is
still blank are touched (a client always has a type, so a filled row never
is blank), and only the latest consultation of a case whose outcome is
still blank receives the case's outcome.
"""

from __future__ import annotations

from django.db import connection

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


def consultation_snapshots_fill(*, case_ids: list[int] | None = None) -> int:
    """Fill blank snapshots (all, or those of `case_ids`); returns rows changed."""
    changed = 0
    with connection.cursor() as cursor:
        for sql in (SNAPSHOT_SQL, OUTCOME_SQL):
            if case_ids is not None:
                cursor.execute(sql + " AND co.case_id = ANY(%s)", [list(case_ids)])
            else:
                cursor.execute(sql)
            changed += cursor.rowcount
    return changed
