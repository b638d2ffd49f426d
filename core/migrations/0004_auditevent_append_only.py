from django.db import migrations

FORBID = """
CREATE OR REPLACE FUNCTION core_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'core_auditevent is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER core_auditevent_no_update_delete
    BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION core_auditevent_append_only();
"""

ALLOW = """
DROP TRIGGER IF EXISTS core_auditevent_no_update_delete ON core_auditevent;
DROP FUNCTION IF EXISTS core_auditevent_append_only();
"""


class Migration(migrations.Migration):
    """The audit trail is append-only, enforced by PostgreSQL itself.

    TRUNCATE stays possible for the table owner: test isolation (flush) and
    an operator's deliberate, documented purge need it; row-level UPDATE and
    DELETE from the application are refused."""

    dependencies = [("core", "0003_auditevent")]

    operations = [migrations.RunSQL(FORBID, ALLOW)]
