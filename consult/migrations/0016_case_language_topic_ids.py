# Case.language_ids and Case.topic_ids: the languages and topics of a case's
# consultations, kept on the case so that the case list's language and topic
# filters read one array (GIN-indexed, migration 0017) instead of checking
# every counted case against its consultations (issue 13, docs/decisions/0018
# fifth pass: a topic filter's count took 36–113 ms of database time under
# load at 1,000,000 consultations).
#
# The database keeps them right whatever writes the rows (services, merges,
# moves, bulk loads, the admin), as it keeps Client.desk_ids (migration
# 0004): a BEFORE trigger on consult_case recomputes both arrays on every
# insert and update (so a stale value saved from Python is corrected), and
# AFTER triggers on consult_consultation and consult_consultationtopic touch
# the cases whose consultations changed.
import django.contrib.postgres.fields
from django.db import migrations, models

FORWARD = """
CREATE OR REPLACE FUNCTION consult_case_set_filter_ids() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.language_ids := ARRAY(
        SELECT DISTINCT language_id FROM consult_consultation
        WHERE case_id = NEW.id AND language_id IS NOT NULL ORDER BY 1
    );
    NEW.topic_ids := ARRAY(
        SELECT DISTINCT t.topic_id FROM consult_consultationtopic t
        JOIN consult_consultation c ON c.id = t.consultation_id
        WHERE c.case_id = NEW.id ORDER BY 1
    );
    RETURN NEW;
END;
$$;

CREATE TRIGGER consult_case_filter_ids
    BEFORE INSERT OR UPDATE ON consult_case
    FOR EACH ROW EXECUTE FUNCTION consult_case_set_filter_ids();

CREATE OR REPLACE FUNCTION consult_consultation_touch_case() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.case_id IS NOT NULL THEN
        UPDATE consult_case SET topic_ids = '{}' WHERE id = OLD.case_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.case_id IS NOT NULL
       AND (TG_OP = 'INSERT' OR NEW.case_id IS DISTINCT FROM OLD.case_id
            OR NEW.language_id IS DISTINCT FROM OLD.language_id) THEN
        UPDATE consult_case SET topic_ids = '{}' WHERE id = NEW.case_id;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER consult_consultation_case_filter_ids
    AFTER INSERT OR DELETE OR UPDATE OF case_id, language_id ON consult_consultation
    FOR EACH ROW EXECUTE FUNCTION consult_consultation_touch_case();

CREATE OR REPLACE FUNCTION consult_consultationtopic_touch_case() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE consult_case SET topic_ids = '{}'
        WHERE id = (SELECT case_id FROM consult_consultation WHERE id = OLD.consultation_id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE consult_case SET topic_ids = '{}'
        WHERE id = (SELECT case_id FROM consult_consultation WHERE id = NEW.consultation_id);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER consult_consultationtopic_case_filter_ids
    AFTER INSERT OR DELETE OR UPDATE ON consult_consultationtopic
    FOR EACH ROW EXECUTE FUNCTION consult_consultationtopic_touch_case();

-- Backfill (the BEFORE trigger computes the values).
UPDATE consult_case SET topic_ids = '{}';
"""

BACKWARD = """
DROP TRIGGER IF EXISTS consult_consultationtopic_case_filter_ids ON consult_consultationtopic;
DROP FUNCTION IF EXISTS consult_consultationtopic_touch_case();
DROP TRIGGER IF EXISTS consult_consultation_case_filter_ids ON consult_consultation;
DROP FUNCTION IF EXISTS consult_consultation_touch_case();
DROP TRIGGER IF EXISTS consult_case_filter_ids ON consult_case;
DROP FUNCTION IF EXISTS consult_case_set_filter_ids();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("consult", "0015_client_search_trgm_desks_gin"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="language_ids",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.BigIntegerField(), default=list, editable=False, size=None
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="topic_ids",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.BigIntegerField(), default=list, editable=False, size=None
            ),
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
    ]
