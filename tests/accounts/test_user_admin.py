"""accounts sits below municipalities: the memberships inline on the user's
admin page is added by municipalities/admin.py, and must still be there."""

import pytest
from django.contrib import admin

from accounts.models import User
from municipalities.admin import MembershipInline
from tests.factories import as_user

pytestmark = pytest.mark.django_db


def test_user_admin_page_edits_memberships(client):
    superuser = User.objects.create_superuser("t-root", "root@example.org", "pw-not-used-elsewhere-42")
    assert MembershipInline in admin.site._registry[User].inlines
    as_user(client, superuser, password="pw-not-used-elsewhere-42")
    response = client.get(f"/admin/accounts/user/{superuser.pk}/change/")
    assert response.status_code == 200
    assert "memberships-TOTAL_FORMS" in response.content.decode()
