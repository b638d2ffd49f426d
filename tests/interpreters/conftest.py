from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

TOKYO = ZoneInfo("Asia/Tokyo")


def at(hour: int, minute: int = 0, day: int = 9) -> datetime:
    """A moment on Wednesday 2026-12-{day} (a business day), Tokyo time."""
    return datetime(2026, 12, day, hour, minute, tzinfo=TOKYO)


@pytest.fixture
def vietnamese(reference_data):
    from consult.models import Language

    return Language.objects.get(code="vi")


@pytest.fixture
def nepali(reference_data):
    from consult.models import Language

    return Language.objects.get(code="ne")


@pytest.fixture
def hub_case(hub_desk, hub_staff):
    from tests.factories import CaseFactory, ClientFactory

    return CaseFactory(handling_desk=hub_desk, created_by=hub_staff, client=ClientFactory(registered_desk=hub_desk))


@pytest.fixture
def ibara_case(ibara_desk, ibara_clerk):
    from tests.factories import CaseFactory, ClientFactory

    return CaseFactory(
        handling_desk=ibara_desk, created_by=ibara_clerk, client=ClientFactory(registered_desk=ibara_desk)
    )


@pytest.fixture
def vi_interpreter(reference_data):
    from tests.factories import InterpreterFactory

    return InterpreterFactory(name="グエン テスト", languages={"vi": 3})


def request_booking(*, case=None, desk=None, language, by, starts, ends, modality="video", **kwargs):
    from interpreters import services

    return services.booking_request(
        desk=desk or case.handling_desk,
        case=case,
        language=language,
        modality=modality,
        starts_at=starts,
        ends_at=ends,
        by=by,
        **kwargs,
    )


@pytest.fixture(autouse=True)
def english_outside_requests():
    """Services and selectors speak the active language; tests that call
    them directly read English.  Requests still switch per LocaleMiddleware."""
    from django.utils import translation

    with translation.override("en"):
        yield
