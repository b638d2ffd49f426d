"""The audit trail becomes a table partitioned by month (issue 13 point 3).

Declarative range partitioning on `at`, one partition per calendar month in
Asia/Tokyo (so fiscal years, which start on 1 April, are whole partitions),
plus a DEFAULT partition for rows no month partition takes.  Retention then
DROPs whole expired partitions instead of deleting rows, which the
append-only trigger forbids anyway.

The partitions live in their own schema, `core_audit`, on which the
application's role gets no privilege at all: it reads and appends through
`core_auditevent` only (PostgreSQL checks privileges on the table a query
names, not on the partitions it reaches), and blanket grants on the tables
of `public` never reach a partition.

Creating next months' partitions and dropping expired ones is done by two
SECURITY DEFINER functions owned by the owner of the tables, which the
application's role may EXECUTE (granted by `grant_app_role`): they do
exactly those two jobs, take no table name, and the drop function reads the
number of years to keep from `core_audit_keep_years()`, which only the owner
can replace (core/retention_db.py writes it at every `migrate`), so a
compromised application cannot shorten the trail.  docs/decisions/0016.

The existing rows are copied into the partitioned table (same ids, same
identity sequence position); the append-only trigger is created on the
partitioned table, so PostgreSQL clones it onto every partition, present
and future.  Index and constraint names are kept, so Django's migration
state still matches the database.
"""

from django.db import migrations

FUNCTIONS = r"""
CREATE SCHEMA IF NOT EXISTS core_audit;
REVOKE ALL ON SCHEMA core_audit FROM PUBLIC;

-- The years of audit trail kept, counted from the end of the fiscal year
-- (文書管理規程).  Replaced at every migrate from settings.RETENTION_YEARS by
-- the owner; the application's role cannot replace a function it does not own.
CREATE OR REPLACE FUNCTION core_audit_keep_years() RETURNS integer
    LANGUAGE sql IMMUTABLE AS 'SELECT 5';

-- Create the partition for the month that contains p_month (Asia/Tokyo),
-- moving any row the DEFAULT partition holds for that month into it.
CREATE OR REPLACE FUNCTION core_audit_create_month(p_month date) RETURNS boolean
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    first_day date := date_trunc('month', p_month)::date;
    name text := format('auditevent_y%sm%s', to_char(first_day, 'YYYY'), to_char(first_day, 'MM'));
    lower_bound timestamptz := (first_day::timestamp AT TIME ZONE 'Asia/Tokyo');
    upper_bound timestamptz := ((first_day + interval '1 month')::timestamp AT TIME ZONE 'Asia/Tokyo');
    stray bigint;
BEGIN
    IF to_regclass(format('core_audit.%I', name)) IS NOT NULL THEN
        RETURN false;
    END IF;
    SELECT count(*) INTO stray FROM core_audit.auditevent_default
        WHERE at >= lower_bound AND at < upper_bound;
    IF stray > 0 THEN
        -- A new partition may not overlap rows in the DEFAULT one.  Rows are
        -- never deleted (the trigger refuses it): the old DEFAULT partition
        -- is detached, a new empty one attached, the month created, every
        -- old row re-inserted (each lands where it now belongs) and the old
        -- table dropped.  All in this one transaction.
        ALTER TABLE public.core_auditevent DETACH PARTITION core_audit.auditevent_default;
        ALTER TABLE core_audit.auditevent_default RENAME TO auditevent_default_moving;
        CREATE TABLE core_audit.auditevent_default PARTITION OF public.core_auditevent DEFAULT;
    END IF;
    EXECUTE format(
        'CREATE TABLE core_audit.%I PARTITION OF public.core_auditevent FOR VALUES FROM (%L) TO (%L)',
        name, lower_bound, upper_bound
    );
    IF stray > 0 THEN
        INSERT INTO public.core_auditevent SELECT * FROM core_audit.auditevent_default_moving;
        -- A table with deferred foreign-key checks still pending (rows
        -- inserted earlier in this transaction) cannot be dropped: run them now.
        SET CONSTRAINTS ALL IMMEDIATE;
        DROP TABLE core_audit.auditevent_default_moving;
    END IF;
    RETURN true;
END;
$$;
REVOKE ALL ON FUNCTION core_audit_create_month(date) FROM PUBLIC;

-- Job 1: the partitions for this month and the next p_months_ahead (0–24).
CREATE OR REPLACE FUNCTION core_audit_ensure_partitions(p_months_ahead integer) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    this_month date := date_trunc('month', (now() AT TIME ZONE 'Asia/Tokyo'))::date;
    created integer := 0;
BEGIN
    IF p_months_ahead IS NULL OR p_months_ahead < 0 OR p_months_ahead > 24 THEN
        RAISE EXCEPTION 'months ahead must be between 0 and 24, not %', p_months_ahead;
    END IF;
    FOR i IN 0..p_months_ahead LOOP
        IF public.core_audit_create_month((this_month + make_interval(months => i))::date) THEN
            created := created + 1;
        END IF;
    END LOOP;
    RETURN created;
END;
$$;
REVOKE ALL ON FUNCTION core_audit_ensure_partitions(integer) FROM PUBLIC;

-- The first instant still kept: 1 April (Asia/Tokyo) of the fiscal year
-- core_audit_keep_years() before the current one.  A record of fiscal year
-- F kept N years (counted from the end of F) may go on 1 April of F+1+N.
CREATE OR REPLACE FUNCTION core_audit_retention_cutoff() RETURNS timestamptz
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT (make_date(
        (extract(year FROM (now() AT TIME ZONE 'Asia/Tokyo')
                 - interval '3 months'))::integer - public.core_audit_keep_years(), 4, 1
    )::timestamp AT TIME ZONE 'Asia/Tokyo')
$$;

-- Job 2: drop every month partition that ends on or before the cutoff.
-- Takes no argument: what is expired is decided by the owner's settings
-- and the database clock, never by the caller.
CREATE OR REPLACE FUNCTION core_audit_drop_expired_partitions() RETURNS SETOF text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    cutoff timestamptz := public.core_audit_retention_cutoff();
    part record;
BEGIN
    IF public.core_audit_keep_years() NOT IN (1, 3, 5, 10, 30) THEN
        RAISE EXCEPTION 'audit trail retention must be 1, 3, 5, 10 or 30 years';
    END IF;
    FOR part IN
        SELECT c.relname
        FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE i.inhparent = 'public.core_auditevent'::regclass
          AND n.nspname = 'core_audit'
          AND c.relname ~ '^auditevent_y[0-9]{4}m[0-9]{2}$'
          AND ((to_date(substr(c.relname, 13, 4) || substr(c.relname, 18, 2), 'YYYYMM')
                + interval '1 month')::timestamp AT TIME ZONE 'Asia/Tokyo') <= cutoff
        ORDER BY c.relname
    LOOP
        -- As in core_audit_create_month: pending deferred checks first.
        SET CONSTRAINTS ALL IMMEDIATE;
        EXECUTE format('DROP TABLE core_audit.%I', part.relname);
        RETURN NEXT part.relname;
    END LOOP;
END;
$$;
REVOKE ALL ON FUNCTION core_audit_drop_expired_partitions() FROM PUBLIC;
"""

DROP_FUNCTIONS = """
DROP FUNCTION IF EXISTS core_audit_drop_expired_partitions();
DROP FUNCTION IF EXISTS core_audit_retention_cutoff();
DROP FUNCTION IF EXISTS core_audit_ensure_partitions(integer);
DROP FUNCTION IF EXISTS core_audit_create_month(date);
DROP FUNCTION IF EXISTS core_audit_keep_years();
DROP SCHEMA IF EXISTS core_audit;
"""

# Index and constraint names as Django created them (migration 0003), so
# that the migration state and the database agree.
INDEXES = """
CREATE INDEX audit_actor_at_idx ON core_auditevent (actor_id, at DESC);
CREATE INDEX audit_case_at_idx ON core_auditevent (case_id, at DESC);
CREATE INDEX audit_object_idx ON core_auditevent (object_type, object_id);
CREATE INDEX core_auditevent_actor_id_3bd0c673 ON core_auditevent (actor_id);
CREATE INDEX core_auditevent_at_3d5eb007 ON core_auditevent (at);
CREATE INDEX core_auditevent_case_id_ed35489c ON core_auditevent (case_id);
CREATE INDEX core_auditevent_desk_id_4a922b60 ON core_auditevent (desk_id);
ALTER TABLE core_auditevent ADD CONSTRAINT core_auditevent_actor_id_3bd0c673_fk_accounts_user_id
    FOREIGN KEY (actor_id) REFERENCES accounts_user (id) DEFERRABLE INITIALLY DEFERRED;
CREATE TRIGGER core_auditevent_no_update_delete
    BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION core_auditevent_append_only();
"""

_CONVERT = """
SET CONSTRAINTS ALL IMMEDIATE;
ALTER TABLE core_auditevent RENAME TO core_auditevent_unpartitioned;
ALTER SEQUENCE core_auditevent_id_seq RENAME TO core_auditevent_unpartitioned_id_seq;
CREATE TABLE core_auditevent (LIKE core_auditevent_unpartitioned INCLUDING DEFAULTS INCLUDING IDENTITY)
    PARTITION BY RANGE (at);
CREATE TABLE core_audit.auditevent_default PARTITION OF core_auditevent DEFAULT;
DO $$
DECLARE
    first_month date := date_trunc(
        'month', coalesce((SELECT min(at) FROM core_auditevent_unpartitioned), now()) AT TIME ZONE 'Asia/Tokyo');
    last_month date := date_trunc('month', now() AT TIME ZONE 'Asia/Tokyo') + interval '3 months';
BEGIN
    -- Every month that holds rows, and three ahead (the nightly task keeps
    -- three ahead from then on), before the rows arrive.
    WHILE first_month <= last_month LOOP
        PERFORM core_audit_create_month(first_month);
        first_month := first_month + interval '1 month';
    END LOOP;
END;
$$;
INSERT INTO core_auditevent SELECT * FROM core_auditevent_unpartitioned;
SELECT setval(pg_get_serial_sequence('core_auditevent', 'id'),
              greatest((SELECT max(id) FROM core_auditevent_unpartitioned), 1),
              (SELECT max(id) FROM core_auditevent_unpartitioned) IS NOT NULL);
DROP TABLE core_auditevent_unpartitioned;
ALTER TABLE core_auditevent ADD CONSTRAINT core_auditevent_pkey PRIMARY KEY (id, at);
"""
PARTITION = "".join([FUNCTIONS, _CONVERT, INDEXES])

_REVERT = """
SET CONSTRAINTS ALL IMMEDIATE;
ALTER TABLE core_auditevent RENAME TO core_auditevent_partitioned;
ALTER SEQUENCE core_auditevent_id_seq RENAME TO core_auditevent_partitioned_id_seq;
CREATE TABLE core_auditevent (LIKE core_auditevent_partitioned INCLUDING DEFAULTS INCLUDING IDENTITY);
INSERT INTO core_auditevent SELECT * FROM core_auditevent_partitioned;
SELECT setval(pg_get_serial_sequence('core_auditevent', 'id'),
              greatest((SELECT max(id) FROM core_auditevent_partitioned), 1),
              (SELECT max(id) FROM core_auditevent_partitioned) IS NOT NULL);
DROP TABLE core_auditevent_partitioned CASCADE;
ALTER TABLE core_auditevent ADD CONSTRAINT core_auditevent_pkey PRIMARY KEY (id);
"""
UNPARTITION = "".join([_REVERT, INDEXES, DROP_FUNCTIONS])


class Migration(migrations.Migration):
    dependencies = [("core", "0005_draft_store_and_print_audit")]

    operations = [migrations.RunSQL(PARTITION, UNPARTITION)]
