"""Demo consents and hand-offs: every state, several municipalities, outside
organisations, a partial and a withdrawn consent; idempotent."""

import pytest
from django.core.management import call_command

from consult.models import Consent, ConsentBasis, HandOff, HandOffKind, HandOffStatus

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_consents_and_handoffs_in_every_state(reference_data):
    call_command("seed_demo", "--cases", "300", verbosity=0)
    statuses = set(HandOff.objects.values_list("status", flat=True))
    assert statuses == set(HandOffStatus.values)
    assert set(HandOff.objects.values_list("kind", flat=True)) == set(HandOffKind.values)
    assert HandOff.objects.filter(basis=ConsentBasis.OVERRIDE).exists()
    assert HandOff.objects.filter(basis=ConsentBasis.NOT_NEEDED).exists()
    assert HandOff.objects.values("from_desk__municipality").distinct().count() >= 3
    assert Consent.objects.filter(withdrawn_on__isnull=False).exists()
    assert Consent.objects.filter(municipalities__code="332020").count() >= 3
    count = HandOff.objects.count()
    call_command("seed_demo", "--cases", "300", verbosity=0)
    assert HandOff.objects.count() == count
