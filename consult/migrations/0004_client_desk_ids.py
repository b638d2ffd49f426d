import django.contrib.postgres.fields
import django.contrib.postgres.indexes
from django.db import migrations, models

# Client.desk_ids = the registered desk + every desk handling one of the
# client's cases.  The database keeps it right whatever writes the rows
# (services, bulk loads, merges, later transfers): a BEFORE trigger on
# consult_client recomputes it on every insert/update (so a stale value
# written from Python is corrected), and an AFTER trigger on consult_case
# touches the clients whose cases moved.
FORWARD = """
CREATE OR REPLACE FUNCTION consult_client_desk_ids(p_client_id bigint, p_registered_desk_id bigint)
RETURNS bigint[] LANGUAGE sql STABLE AS $$
    SELECT ARRAY(
        SELECT p_registered_desk_id
        UNION
        SELECT handling_desk_id FROM consult_case WHERE client_id = p_client_id
        ORDER BY 1
    )
$$;

CREATE OR REPLACE FUNCTION consult_client_set_desk_ids() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.desk_ids := consult_client_desk_ids(NEW.id, NEW.registered_desk_id);
    RETURN NEW;
END;
$$;

CREATE TRIGGER consult_client_desk_ids
    BEFORE INSERT OR UPDATE ON consult_client
    FOR EACH ROW EXECUTE FUNCTION consult_client_set_desk_ids();

CREATE OR REPLACE FUNCTION consult_case_touch_client() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.client_id IS NOT NULL THEN
        UPDATE consult_client SET desk_ids = '{}' WHERE id = OLD.client_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.client_id IS NOT NULL
       AND (TG_OP = 'INSERT' OR NEW.client_id IS DISTINCT FROM OLD.client_id
            OR NEW.handling_desk_id IS DISTINCT FROM OLD.handling_desk_id) THEN
        UPDATE consult_client SET desk_ids = '{}' WHERE id = NEW.client_id;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER consult_case_client_desks
    AFTER INSERT OR DELETE OR UPDATE OF client_id, handling_desk_id ON consult_case
    FOR EACH ROW EXECUTE FUNCTION consult_case_touch_client();

-- Backfill (the BEFORE trigger computes the value).
UPDATE consult_client SET desk_ids = '{}';
"""

BACKWARD = """
DROP TRIGGER IF EXISTS consult_case_client_desks ON consult_case;
DROP FUNCTION IF EXISTS consult_case_touch_client();
DROP TRIGGER IF EXISTS consult_client_desk_ids ON consult_client;
DROP FUNCTION IF EXISTS consult_client_set_desk_ids();
DROP FUNCTION IF EXISTS consult_client_desk_ids(bigint, bigint);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("consult", "0003_case_list_indexes"),
        ("municipalities", "0001_initial"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="client", name="client_name_grams_gin"),
        migrations.AddField(
            model_name="client",
            name="desk_ids",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.BigIntegerField(),
                default=list,
                editable=False,
                help_text="Registered desk and every desk handling one of the client's cases. Maintained by triggers (migration 0004) so that name search can lead with the tenant in one GIN index; never set it in Python.",
            ),
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
        migrations.AddIndex(
            model_name="client",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["name_grams", "desk_ids"], name="client_name_desks_gin"
            ),
        ),
    ]
