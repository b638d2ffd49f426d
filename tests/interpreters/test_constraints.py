"""The database itself refuses double-booking (DESIGN §5): direct SQL, no
service or form in between."""

import pytest
from django.db import IntegrityError, connection, transaction
from psycopg import errors

from tests.factories import InterpreterFactory
from tests.interpreters.conftest import at

pytestmark = pytest.mark.django_db


def insert(
    *, interpreter, desk, language, user, starts, ends, modality="video", buffer=0, status="confirmed", remote=False
):
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO interpreters_booking
              (desk_id, language_id, min_level, modality, starts_at, ends_at, place, interpreter_id,
               interpreter_is_remote, travel_buffer_minutes, status, notes, cancel_reason,
               attributed_outside_area, requested_by_id, created_at, updated_at)
            VALUES (%s, %s, 2, %s, %s, %s, '', %s, %s, %s, %s, '', '', false, %s, now(), now())
            RETURNING id
            """,
            [desk.pk, language.pk, modality, starts, ends, interpreter.pk, remote, buffer, status, user.pk],
        )
        return cursor.fetchone()[0]


def refused(**kwargs) -> IntegrityError:
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        insert(**kwargs)
    return caught.value


def test_direct_sql_insert_that_overlaps_fails_with_an_exclusion_violation(hub_desk, hub_staff, vietnamese):
    person = InterpreterFactory(languages={"vi": 3})
    common = {"interpreter": person, "desk": hub_desk, "language": vietnamese, "user": hub_staff}
    insert(starts=at(10), ends=at(11), **common)
    error = refused(starts=at(10, 30), ends=at(11, 30), **common)
    assert isinstance(error.__cause__, errors.ExclusionViolation)
    assert error.__cause__.diag.constraint_name == "booking_no_double_booking"
    # Back to back is fine: the range is half-open.
    insert(starts=at(11), ends=at(12), **common)


def test_completed_bookings_hold_the_time_too_but_requested_and_cancelled_do_not(hub_desk, hub_staff, vietnamese):
    person = InterpreterFactory(languages={"vi": 3})
    common = {"interpreter": person, "desk": hub_desk, "language": vietnamese, "user": hub_staff}
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    insert(starts=at(10), ends=at(11), status="requested", **common)
    insert(starts=at(10), ends=at(11), status="no_show", **common)
    insert(starts=at(10), ends=at(11), status="confirmed", **common)
    assert isinstance(
        refused(starts=at(10), ends=at(11), status="confirmed", **common).__cause__, errors.ExclusionViolation
    )


def test_travel_buffer_around_an_onsite_job(hub_desk, hub_staff, vietnamese, settings):
    person = InterpreterFactory(languages={"vi": 3})
    common = {"interpreter": person, "desk": hub_desk, "language": vietnamese, "user": hub_staff}
    insert(starts=at(10), ends=at(11), modality="onsite", buffer=30, **common)
    # A video call starting 15 minutes after the on-site job ends: inside the buffer.
    error = refused(starts=at(11, 15), ends=at(12), **common)
    assert isinstance(error.__cause__, errors.ExclusionViolation)
    # …and one ending 20 minutes before it starts.
    assert isinstance(refused(starts=at(9), ends=at(9, 40), **common).__cause__, errors.ExclusionViolation)
    # 30 minutes after: free.
    insert(starts=at(11, 30), ends=at(12), **common)
    # Another on-site job needs both buffers: 11:30 + 30 min.
    assert isinstance(
        refused(starts=at(12, 15), ends=at(13), modality="onsite", buffer=30, **common).__cause__,
        errors.ExclusionViolation,
    )
    insert(starts=at(12, 30), ends=at(13), modality="onsite", buffer=30, **common)


def test_a_buffer_is_only_for_onsite_jobs(hub_desk, hub_staff, vietnamese):
    person = InterpreterFactory(languages={"vi": 3})
    error = refused(
        interpreter=person,
        desk=hub_desk,
        language=vietnamese,
        user=hub_staff,
        starts=at(10),
        ends=at(11),
        modality="video",
        buffer=30,
    )
    assert isinstance(error.__cause__, errors.CheckViolation)


def test_other_interpreters_and_remote_services_are_not_constrained(hub_desk, hub_staff, vietnamese):
    first, second = InterpreterFactory(), InterpreterFactory()
    service = InterpreterFactory(kind="remote_service", modalities=["video", "phone"])
    common = {"desk": hub_desk, "language": vietnamese, "user": hub_staff, "starts": at(10), "ends": at(11)}
    insert(interpreter=first, **common)
    insert(interpreter=second, **common)
    # A video service answers many calls at once.
    insert(interpreter=service, remote=True, **common)
    insert(interpreter=service, remote=True, **common)


def test_a_booking_cannot_pretend_its_interpreter_is_a_remote_service(hub_desk, hub_staff, vietnamese):
    """The constraint leaves services out; the composite foreign key makes
    sure a person's booking cannot claim to be one to dodge it."""
    person = InterpreterFactory()
    common = {"interpreter": person, "desk": hub_desk, "language": vietnamese, "user": hub_staff}
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    insert(starts=at(10), ends=at(11), **common)
    error = refused(starts=at(10), ends=at(11), remote=True, **common)
    assert isinstance(error.__cause__, errors.ForeignKeyViolation)
    assert error.__cause__.diag.constraint_name == "booking_interpreter_kind_fk"


def test_a_booking_is_at_most_a_day_long(hub_desk, hub_staff, vietnamese):
    """What lets "overlaps this window" be a bounded index range scan."""
    person = InterpreterFactory()
    error = refused(
        interpreter=person,
        desk=hub_desk,
        language=vietnamese,
        user=hub_staff,
        starts=at(10),
        ends=at(10, day=10) + (at(0, 1) - at(0)),
    )
    assert isinstance(error.__cause__, errors.CheckViolation)
    assert error.__cause__.diag.constraint_name == "booking_at_most_one_day"
