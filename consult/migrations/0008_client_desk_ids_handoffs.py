from django.db import migrations

# Client.desk_ids (migration 0004) also lists the desks that received one of
# the client's cases by an accepted referral carrying the client's details,
# so that their name search finds the person (DESIGN §2: "accepted: full
# case, per consent").  A pending, declined or cancelled hand-off, an
# anonymous one, one without client details and one whose personal data
# stopped after a withdrawal of consent add nothing.  A trigger on the
# hand-off table touches the client whenever any of that changes.
FUNCTION_WITH_HANDOFFS = """
CREATE OR REPLACE FUNCTION consult_client_desk_ids(p_client_id bigint, p_registered_desk_id bigint)
RETURNS bigint[] LANGUAGE sql STABLE AS $$
    SELECT ARRAY(
        SELECT p_registered_desk_id
        UNION
        SELECT handling_desk_id FROM consult_case WHERE client_id = p_client_id
        UNION
        SELECT h.to_desk_id
          FROM consult_handoff h JOIN consult_case c ON c.id = h.case_id
         WHERE c.client_id = p_client_id
           AND h.to_desk_id IS NOT NULL
           AND h.status IN ('accepted', 'completed')
           AND h.shares_client
           AND h.basis IN ('consent', 'override', 'same_municipality')
           AND h.personal_data_stopped_at IS NULL
        ORDER BY 1
    )
$$;

CREATE OR REPLACE FUNCTION consult_handoff_touch_client() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE consult_client SET desk_ids = '{}'
     WHERE id IN (SELECT client_id FROM consult_case
                   WHERE id IN (NEW.case_id, OLD.case_id) AND client_id IS NOT NULL);
    RETURN NULL;
END;
$$;

CREATE TRIGGER consult_handoff_client_desks
    AFTER INSERT OR DELETE OR UPDATE OF status, shares_client, basis, personal_data_stopped_at, to_desk_id
    ON consult_handoff
    FOR EACH ROW EXECUTE FUNCTION consult_handoff_touch_client();
"""

FUNCTION_WITHOUT_HANDOFFS = """
DROP TRIGGER IF EXISTS consult_handoff_client_desks ON consult_handoff;
DROP FUNCTION IF EXISTS consult_handoff_touch_client();
CREATE OR REPLACE FUNCTION consult_client_desk_ids(p_client_id bigint, p_registered_desk_id bigint)
RETURNS bigint[] LANGUAGE sql STABLE AS $$
    SELECT ARRAY(
        SELECT p_registered_desk_id
        UNION
        SELECT handling_desk_id FROM consult_case WHERE client_id = p_client_id
        ORDER BY 1
    )
$$;
UPDATE consult_client SET desk_ids = '{}'
 WHERE id IN (SELECT c.client_id FROM consult_handoff h JOIN consult_case c ON c.id = h.case_id);
"""


class Migration(migrations.Migration):
    dependencies = [("consult", "0007_consent_and_handoffs")]

    operations = [migrations.RunSQL(FUNCTION_WITH_HANDOFFS, FUNCTION_WITHOUT_HANDOFFS)]
