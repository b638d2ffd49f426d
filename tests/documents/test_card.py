"""The counter's language card (/card/) and the intake it starts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from consult.models import Language
from tests.factories import as_user

pytestmark = pytest.mark.django_db


def test_card_lists_every_active_language_by_autonym_rtl_where_needed(client, hub_staff, document_texts):
    html = as_user(client, hub_staff).get(reverse("documents:language_card")).content.decode()
    for language in Language.objects.active():
        assert f'data-code="{language.code}"' in html
        assert f'lang="{language.code}" dir="{language.direction}">{language.autonym}<' in html
    assert html.count('dir="rtl"') >= 2
    assert f"{reverse('consult:consultation_quick')}?language=vi" in html
    assert "<ruby>" in html  # やさしい日本語 with furigana
    html = client.get(reverse("documents:language_card"), {"start": "intake"}).content.decode()
    assert f"{reverse('consult:consultation_new')}?language=vi" in html
    assert client.get(reverse("documents:language_card"), {"start": "bogus\x00"}).status_code == 200


def test_card_access(client, hub_staff, ibara_clerk, hub_stats, outsider, reference_data):
    url = reverse("documents:language_card")
    assert as_user(client, ibara_clerk).get(url).status_code == 200
    assert as_user(client, hub_stats).get(url).status_code == 403
    assert as_user(client, outsider).get(url).status_code == 403
    assert as_user(client, hub_staff).post(url).status_code == 405
    client.logout()
    assert client.get(url).status_code == 302


@pytest.mark.parametrize("path", ["consult:consultation_quick", "consult:consultation_new"])
def test_intake_starts_in_the_language_pointed_at(client, hub_staff, path):
    nepali = Language.objects.get(code="ne")
    html = as_user(client, hub_staff).get(reverse(path), {"language": "ne"}).content.decode()
    import re

    assert re.search(rf'<option value="{nepali.pk}" data-search="[^"]*" selected>', html)
    for bad in ("xx", "ne\x00", "'; drop"):
        assert client.get(reverse(path), {"language": bad}).status_code == 200
