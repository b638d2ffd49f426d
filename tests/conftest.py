import os

import pytest
from django.core.management import call_command

from tests.factories import MembershipFactory, UserFactory

IN_CI = os.environ.get("CI", "").lower() == "true"


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
