import factory
from django.contrib.auth import get_user_model

from municipalities.models import Membership

PASSWORD = "test-password-4711"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.invalid")
    display_name = factory.LazyAttribute(lambda o: f"Test {o.username}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = "counter_staff"


# --- Tenancy (municipalities/) ------------------------------------------------
# Synthetic municipalities use the prefix 90…: no prefecture has that code,
# so a test row can never be mistaken for a real one, yet every code carries
# a valid check digit.


def municipality_code(first_five: str) -> str:
    from municipalities.validators import local_government_check_digit

    return f"{first_five}{local_government_check_digit(first_five)}"


class ConsortiumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "municipalities.Consortium"
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"test-consortium-{n}")
    name_ja = factory.Sequence(lambda n: f"テスト連携圏{n}")
    name_en = factory.Sequence(lambda n: f"Test Consortium {n}")


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "municipalities.Municipality"
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: municipality_code(f"{90000 + n:05d}"))
    name_ja = factory.Sequence(lambda n: f"テスト市{n}")
    name_en = factory.Sequence(lambda n: f"Test City {n}")
    reading = "てすとし"
    kind = "city"
    consortium = factory.SubFactory(ConsortiumFactory)


class DeskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "municipalities.Desk"
        django_get_or_create = ("code",)

    municipality = factory.SubFactory(MunicipalityFactory)
    code = factory.Sequence(lambda n: f"T{n:04d}")
    name_ja = factory.LazyAttribute(lambda o: f"{o.municipality.name_ja} 相談窓口")
    name_en = factory.LazyAttribute(lambda o: f"{o.municipality.name_en} desk")


# --- Consultations (consult/) ---------------------------------------------------
# Synthetic people only.  Reference rows (languages, topics) come from the
# `reference_data` fixture; the factories look them up by code.


def _language(code: str):
    from consult.models import Language

    return Language.objects.get(code=code)


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "consult.Client"

    registered_desk = factory.SubFactory(DeskFactory)
    name = factory.Sequence(lambda n: f"テスト 相談者{n}")
    client_type = "self"


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "consult.Case"

    reference = factory.Sequence(lambda n: f"TST-2026-{n:05d}")
    handling_desk = factory.SubFactory(DeskFactory)
    created_by = factory.SubFactory(UserFactory)
    status = "open"


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "consult.Consultation"
        skip_postgeneration_save = True

    case = factory.SubFactory(CaseFactory)
    desk = factory.LazyAttribute(lambda o: o.case.handling_desk)
    channel = "walk_in"
    language = factory.LazyFunction(lambda: _language("vi"))
    created_by = factory.LazyAttribute(lambda o: o.case.created_by)

    @factory.post_generation
    def topics(obj, create, extracted, **kwargs):
        """topics=["residency.extension", …] (codes); default: one topic."""
        if not create:
            return
        from consult.models import ConsultationTopic, Topic

        codes = extracted or ["residency.extension"]
        ConsultationTopic.objects.bulk_create(
            [ConsultationTopic(consultation=obj, topic=t) for t in Topic.objects.filter(code__in=codes)]
        )


# --- helpers used across test modules -------------------------------------------
def make_case(desk, by, *, client=None, language="vi", topics=("residency.extension",), when=None, **fields):
    """A case with one consultation, as the intake would leave it."""
    from django.utils import timezone

    from consult.models import Case

    when = when or timezone.now()
    fields.setdefault("reference", f"{desk.code}-2026-{Case.objects.count() + 1:05d}")
    case = CaseFactory(
        handling_desk=desk,
        created_by=by,
        client=client,
        opened_at=when,
        last_activity_at=when,
        **fields,
    )
    ConsultationFactory(
        case=case,
        created_by=by,
        occurred_at=when,
        language=_language(language),
        topics=list(topics),
    )
    return case


def as_user(client, user, *, password: str = PASSWORD):
    """The test client, signed in as `user`.

    Someone whose role requires MFA (accounts/mfa.py) signs in for real:
    a TOTP authenticator is enrolled if they have none (allauth's API),
    then the sign-in form with the password and the second-factor step with
    a code computed from the secret.  Anyone else is logged in directly."""
    from django.urls import reverse

    from accounts.mfa import mfa_required
    from tests import mfa

    # As the portal will see this person (a test may have changed the row).
    user = type(user).objects.get(pk=user.pk)
    if not mfa_required(user):
        client.force_login(user)
        return client
    secret = mfa.totp_secret(user)
    client.logout()  # allauth sends a signed-in person away from the sign-in form
    mfa.clear_sign_in_rate_limit()
    response = client.post(reverse("account_login"), {"login": user.username, "password": password})
    assert response.status_code == 302 and response["Location"].startswith(reverse("mfa_authenticate")), (
        f"sign-in of {user.username} did not ask for the second factor ({response.status_code})"
    )
    response = client.post(reverse("mfa_authenticate"), {"code": mfa.fresh_code(user, secret)})
    assert response.status_code == 302, f"second factor of {user.username} refused"
    assert str(client.session.get("_auth_user_id")) == str(user.pk), f"{user.username} is not signed in"
    return client


# --- Interpreters (interpreters/) ---------------------------------------------------
# Synthetic people only.


class InterpreterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "interpreters.Interpreter"
        skip_postgeneration_save = True

    consortium = factory.LazyFunction(
        lambda: __import__("municipalities.models", fromlist=["Consortium"]).Consortium.objects.get(
            code="takahashi-river-basin"
        )
    )
    kind = "interpreter"
    name = factory.Sequence(lambda n: f"テスト 通訳者{n}")
    modalities = factory.LazyFunction(lambda: ["onsite", "video", "phone"])
    rate_per_minute = 50
    business_days_only = False

    @factory.post_generation
    def languages(obj, create, extracted, **kwargs):
        """languages={"vi": 3, "en": 2} (code → level)."""
        if not create or not extracted:
            return
        from interpreters.models import InterpreterLanguage

        for code, level in extracted.items():
            InterpreterLanguage.objects.create(interpreter=obj, language=_language(code), level=level)

    @factory.post_generation
    def hours(obj, create, extracted, **kwargs):
        """hours=[(weekday, "09:00", "17:00"), …]; default Mon–Sun 00:00–23:59
        so that a test only meets the rule it is about."""
        if not create:
            return
        from datetime import time

        from interpreters.models import WeeklySlot

        rows = extracted if extracted is not None else [(d, "00:00", "23:59") for d in range(7)]
        for weekday, starts, ends in rows:
            WeeklySlot.objects.create(
                interpreter=obj, weekday=weekday, starts=time.fromisoformat(starts), ends=time.fromisoformat(ends)
            )
