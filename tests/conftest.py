import os

import pytest
from django.conf import global_settings
from django.core.management import call_command
from django.test import override_settings

from tests.factories import MembershipFactory, UserFactory

IN_CI = os.environ.get("CI", "").lower() == "true"


# --- The application's connections use the role that owns nothing (tests/app_role.py)
_APP_ROLE = {"role": None, "owner_test": False}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, request):
    """pytest-django has created and migrated the test database as owner;
    from here on the application connects as the app role."""
    from tests.app_role import AppRole

    with django_db_blocker.unblock():
        role = AppRole()
        role.set_up()
    _APP_ROLE["role"] = role
    if _APP_ROLE["owner_test"]:
        role.use_owner()
    yield
    with django_db_blocker.unblock():
        role.tear_down(keep=bool(request.config.getvalue("reuse_db")))
    _APP_ROLE["role"] = None


# --- Password hashing: fast in tests, as Django's testing docs advise ----------
# The production hasher (Django's PBKDF2, config/settings.py keeps Django's
# list) costs 0.4-0.6 s a password on this machine: every UserFactory user and
# every real sign-in through the form (MFA roles, as_user) paid it, minutes of
# the suite's run.  MD5 first makes new hashes cheap; Django's own list after
# it still checks a hash made the production way (tests/security/test_scan.py
# encodes one for its production server).  tests/accounts/test_password_hashing.py
# checks that the production settings keep the strong hashers.
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *global_settings.PASSWORD_HASHERS]


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    with override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS):
        yield


def pytest_runtest_setup(item):
    # Before any fixture, so before the test's transaction: owner work (the
    # benchmark dataset builders) signs in as the owner.
    _APP_ROLE["owner_test"] = item.get_closest_marker("table_owner") is not None
    if _APP_ROLE["owner_test"] and _APP_ROLE["role"] is not None:
        _APP_ROLE["role"].use_owner()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    result = yield  # the test's fixtures are finalised: its transaction is over
    if _APP_ROLE["owner_test"] and _APP_ROLE["role"] is not None:
        _APP_ROLE["role"].use_app_role()
    _APP_ROLE["owner_test"] = False
    return result


def skip_or_fail(reason: str):
    """Missing service or browser: skip on a laptop, fail under CI=true."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: a missing service is a failure, not a skip)")
    pytest.skip(reason)


@pytest.fixture
def reference_data(db):
    call_command("load_reference", verbosity=0)


@pytest.fixture
def consortium(reference_data):
    from municipalities.models import Consortium

    return Consortium.objects.get(code="takahashi-river-basin")


@pytest.fixture
def kurashiki(reference_data):
    from municipalities.models import Municipality

    return Municipality.objects.get(code="332020")


@pytest.fixture
def ibara(reference_data):
    from municipalities.models import Municipality

    return Municipality.objects.get(code="332071")


@pytest.fixture
def soja(reference_data):
    from municipalities.models import Municipality

    return Municipality.objects.get(code="332089")


def _member(municipality, role, **user_kwargs):
    user = UserFactory(**user_kwargs)
    MembershipFactory(user=user, municipality=municipality, role=role, desk=municipality.desks.first())
    return user


@pytest.fixture
def hub_staff(kurashiki):
    return _member(kurashiki, "counter_staff", username="t-staff-hub")


@pytest.fixture
def coordinator(kurashiki):
    return _member(kurashiki, "coordinator", username="t-coordinator")


@pytest.fixture
def ibara_clerk(ibara):
    return _member(ibara, "partner_clerk", username="t-clerk-ibara")


@pytest.fixture
def soja_clerk(soja):
    return _member(soja, "partner_clerk", username="t-clerk-soja")


@pytest.fixture
def ibara_stats(ibara):
    return _member(ibara, "statistics_viewer", username="t-stats-ibara")


@pytest.fixture
def outsider(db):
    return UserFactory(username="t-nobody")


# --- Added for the foundation's domain tests --------------------------------


@pytest.fixture
def hub_stats(kurashiki):
    return _member(kurashiki, "statistics_viewer", username="t-stats-hub")


@pytest.fixture
def superuser(db):
    return UserFactory(username="t-superuser", is_staff=True, is_superuser=True)


@pytest.fixture
def second_consortium(reference_data):
    """Another consortium with a hub and one partner, each with a desk, and a
    counter-staff member at its hub: the first consortium must never see it."""
    from tests.factories import ConsortiumFactory, DeskFactory, MunicipalityFactory

    consortium = ConsortiumFactory(code="test-second-area", name_ja="第二テスト圏", name_en="Second Test Area")
    hub = MunicipalityFactory(consortium=consortium, name_ja="第二中核市", name_en="Second Hub City")
    partner = MunicipalityFactory(consortium=consortium, kind="town", name_ja="第二町", name_en="Second Town")
    consortium.hub_municipality = hub
    consortium.save(update_fields=["hub_municipality"])
    DeskFactory(municipality=hub, is_hub=True)
    DeskFactory(municipality=partner)
    staff = _member(hub, "counter_staff", username="t-staff-second")
    return {"consortium": consortium, "hub": hub, "partner": partner, "staff": staff}


def _clear_allauth_rate_limits() -> None:
    from django.core.cache import caches
    from django.core.cache.backends.db import DatabaseCache
    from django.core.cache.backends.redis import RedisCache

    cache = caches["default"]
    if isinstance(cache, RedisCache):
        client = cache._cache.get_client(write=True)
        keys = list(client.scan_iter(match="*allauth:rl:*"))
        if keys:
            client.delete(*keys)
    elif isinstance(cache, DatabaseCache):
        # Without REDIS_URL the cache is a table that `make run` creates;
        # the test database needs it too.  Rows vanish with the test's
        # transaction, so nothing is left to clear.
        call_command("createcachetable", verbosity=0)


@pytest.fixture
def rate_limits_cleared(db):
    """allauth counts sign-in attempts in the cache, which outlives a test
    (Redis): start every test that signs in through a form from zero."""
    _clear_allauth_rate_limits()
    yield
    _clear_allauth_rate_limits()


@pytest.fixture
def redis_cache():
    """The real Redis cache of settings (REDIS_URL), or skip/fail."""
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    cache = caches["default"]
    if not isinstance(cache, RedisCache):
        skip_or_fail("REDIS_URL is not set: the rate-limit test needs the real Redis cache")
    try:
        cache._cache.get_client(write=True).ping()
    except Exception as exc:  # noqa: BLE001 - any failure means Redis is unusable
        skip_or_fail(f"Redis at REDIS_URL is not reachable: {type(exc).__name__}")
    return cache


@pytest.fixture
def hub_desk(kurashiki):
    return kurashiki.desks.get(is_hub=True)


@pytest.fixture
def ibara_desk(ibara):
    return ibara.desks.get()
