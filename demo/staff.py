"""Synthetic demo staff for every role of a consortium (never real people).

``seed_demo`` and ``bench_cases`` call :func:`seed_staff`: an administrator,
a coordinator and a counter staff member at the hub, a partner clerk for each
other municipality and a statistics viewer for each municipality.  Idempotent.
"""

from django.conf import settings
from django.contrib.auth import get_user_model

from accounts.mfa import mfa_required
from municipalities.models import Consortium, Desk, Membership, Municipality
from municipalities.roles import Role


def _demo_user(
    username: str, *, password: str, display_name: str, email: str, superuser: bool = False, reset: bool = False
):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"display_name": display_name, "email": email, "is_staff": superuser, "is_superuser": superuser},
    )
    if created or (reset and not user.check_password(password)):
        user.set_password(password)
        user.save(update_fields=["password"])
    return user, created


def _member(user, municipality: Municipality, role: str, desk: Desk | None) -> None:
    Membership.objects.get_or_create(user=user, municipality=municipality, role=role, defaults={"desk": desk})


def seed_staff(*, consortium: Consortium, password: str, reset_passwords: bool = False) -> int:
    hub = consortium.hub_municipality
    hub_desk = Desk.objects.filter(municipality=hub, is_hub=True).first()
    created_count = 0
    domain = "example.invalid"

    def _user(username: str, **kwargs):
        return _demo_user(username, password=password, reset=reset_passwords, **kwargs)

    admin, created = _user("admin", display_name="管理者（デモ）", email=f"admin@{domain}", superuser=True)
    created_count += created
    _member(admin, hub, Role.ADMINISTRATOR, None)

    for username, role, label in (
        (f"coordinator-{hub.code}", Role.COORDINATOR, "統括（デモ）"),
        (f"staff-{hub.code}", Role.COUNTER_STAFF, "相談員（デモ）"),
    ):
        user, created = _user(username, display_name=label, email=f"{username}@{domain}")
        created_count += created
        _member(user, hub, role, hub_desk)

    for municipality in consortium.municipalities.order_by("code"):
        desk = municipality.desks.order_by("code").first()
        if municipality.pk != hub.pk:
            user, created = _user(
                f"clerk-{municipality.code}",
                display_name=f"{municipality.name_ja} 担当（デモ）",
                email=f"clerk-{municipality.code}@{domain}",
            )
            created_count += created
            _member(user, municipality, Role.PARTNER_CLERK, desk)
        user, created = _user(
            f"stats-{municipality.code}",
            display_name=f"{municipality.name_ja} 統計（デモ）",
            email=f"stats-{municipality.code}@{domain}",
        )
        created_count += created
        _member(user, municipality, Role.STATISTICS_VIEWER, None)
    demo_authenticators(consortium=consortium)
    return created_count


def demo_authenticators(*, consortium: Consortium, secret: str | None = None) -> list[str]:
    """Demo users whose role requires MFA (administrator, coordinator, and
    any role MFA_REQUIRED_ROLES adds) get a TOTP authenticator with the one
    published demo secret, so that the demo stays usable.  A user who set
    up an authenticator of their own keeps it.  Returns the user names."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    secret = secret or settings.DEMO_TOTP_SECRET
    names = []
    users = get_user_model().objects.filter(memberships__municipality__consortium=consortium).distinct()
    for user in users.order_by("username"):
        if not _is_demo_username(user.username) or not mfa_required(user):
            continue
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, secret)
        names.append(user.username)
    return names


def _is_demo_username(username: str) -> bool:
    return username == "admin" or username.startswith(("coordinator-", "staff-", "clerk-", "stats-"))
