"""The intake screen (相談受付): new consultation, quick contact, 再相談 and
promote — access for every view, double submit, validation that loses
nothing, the query budget, Japanese and English."""

import re
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from consult import services
from consult.models import Case, CaseOutcome, CaseStatus, Client, Consultation, FollowUp, Language, Topic
from core.models import AuditEvent
from tests.factories import ClientFactory, as_user

pytestmark = pytest.mark.django_db

NEW = reverse("consult:consultation_new")
QUICK = reverse("consult:consultation_quick")


def _topic(code):
    return Topic.objects.get(code=code)


def _form(desk=None, **overrides):
    """What the intake form posts when filled in by hand."""
    data = {
        "language": str(Language.objects.get(code="vi").pk),
        "channel": "walk_in",
        "interpretation_mode": "bilingual",
        "topics": [str(_topic("residency.extension").pk), str(_topic("social_insurance.health").pk)],
        "notes": "在留期間更新の必要書類を案内",
        "actions": ["information", "interpretation"],
        "minutes": "25",
        "outcome": "resolved",
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "intake_token": str(uuid.uuid4()),
        "client_choice": "",
        "q": "",
    }
    if desk is not None:
        data["desk"] = str(desk.pk)
    data.update(overrides)
    return data


def _new_client(**overrides):
    data = {
        "client_choice": "new",
        "name": "田中 太郎",
        "name_kana": "タナカ タロウ",
        "name_latin": "TANAKA Taro",
        "birth_year": "1988",
        "nationality": "VN",
        "client_type": "self",
        "age_band": "30-39",
    }
    data.update(overrides)
    return data


def _case_of(response):
    match = re.fullmatch(r"/cases/(\d+)/", response["Location"])
    assert match, response["Location"]
    return Case.objects.get(pk=int(match.group(1)))


def _logged_case(user, desk, *, client=None, quick=False, outcome=""):
    return services.consultation_log(
        by=user,
        desk=desk,
        channel="walk_in",
        language=Language.objects.get(code="vi"),
        topics=[_topic("residency.extension")],
        intake_token=uuid.uuid4(),
        client=client,
        quick=quick,
        outcome=outcome,
    ).case


# --- GET: the screen -----------------------------------------------------------
def test_intake_page_for_hub_staff(client, hub_staff, hub_desk):
    as_user(client, hub_staff)
    response = client.get(NEW)
    assert response.status_code == 200
    html = response.content.decode()
    # Languages show their autonyms, Japanese name alongside.
    assert "Tiếng Việt — ベトナム語" in html
    assert "Português — ポルトガル語" in html
    # A fresh intake token in a hidden field, the user's desk preselected.
    token = re.search(r'name="intake_token" value="([0-9a-f-]{36})"', html)
    assert token and uuid.UUID(token.group(1))
    assert re.search(rf'<option value="{hub_desk.pk}" selected>', html)
    # Sensitive notes are offered to counter staff (they may see them).
    assert 'name="sensitive_notes"' in html
    # Every topic is a labelled checkbox.
    for topic in Topic.objects.active():
        assert f'<label for="id_topics_{topic.pk}">' in html


def test_two_page_loads_get_different_tokens(client, hub_staff):
    as_user(client, hub_staff)
    tokens = {
        re.search(r'name="intake_token" value="([^"]+)"', client.get(NEW).content.decode()).group(1) for _ in range(2)
    }
    assert len(tokens) == 2


def test_partner_clerk_sees_only_own_desks_and_records_sensitive_notes(client, ibara_clerk, ibara_desk, hub_desk):
    as_user(client, ibara_clerk)
    response = client.get(NEW)
    desk_select = re.search(r'<select name="desk".*?</select>', response.content.decode(), re.S).group(0)
    assert f'<option value="{ibara_desk.pk}" selected>' in desk_select
    assert f'<option value="{hub_desk.pk}"' not in desk_select
    assert list(response.context["form"].fields["desk"].queryset) == [ibara_desk]
    # Partner clerks hold sensitive notes for their own desk's cases (DESIGN §3).
    assert 'name="sensitive_notes"' in response.content.decode()


@pytest.mark.parametrize("url", [NEW, QUICK])
def test_intake_refused_to_people_who_do_not_log_consultations(client, ibara_stats, outsider, url):
    for user in (ibara_stats, outsider):
        as_user(client, user)
        assert client.get(url).status_code == 403
        assert client.post(url, {}).status_code == 403
    assert Case.objects.count() == 0


@pytest.mark.parametrize("url", [NEW, QUICK])
def test_intake_wrong_method_and_anonymous(client, hub_staff, url):
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    as_user(client, hub_staff)
    assert client.put(url).status_code == 405
    assert client.delete(url).status_code == 405


# --- POST: a new case ---------------------------------------------------------
def test_walk_in_anonymous_creates_case_and_redirects_to_it(client, hub_staff, hub_desk):
    as_user(client, hub_staff)
    follow_up_day = timezone.localdate() + timedelta(days=7)
    data = _form(
        hub_desk,
        follow_up_due=follow_up_day.isoformat(),
        follow_up_note="更新許可の結果を確認する",
        sensitive_notes="通院中",
    )
    response = client.post(NEW, data)
    assert response.status_code == 302
    case = _case_of(response)
    assert case.handling_desk == hub_desk
    assert case.client is None
    assert case.status == CaseStatus.CLOSED and case.outcome == CaseOutcome.RESOLVED
    assert case.sensitive_notes == "通院中"
    consultation = case.consultations.get()
    assert consultation.language.code == "vi"
    assert consultation.interpretation_mode == "bilingual"
    assert consultation.minutes == 25
    assert sorted(consultation.actions) == ["information", "interpretation"]
    assert {t.code for t in consultation.topics.all()} == {"residency.extension", "social_insurance.health"}
    assert str(consultation.intake_token) == data["intake_token"]
    follow_up = FollowUp.objects.get(case=case)
    assert follow_up.due_date == follow_up_day and follow_up.assignee == hub_staff
    # The success message names the reference number.
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any(case.reference in m for m in messages)


def test_partner_clerk_logs_at_own_desk(client, ibara_clerk, ibara_desk):
    as_user(client, ibara_clerk)
    response = client.post(NEW, _form(ibara_desk))
    case = _case_of(response)
    assert case.handling_desk == ibara_desk
    assert case.reference.startswith("IBR-")


def test_partner_clerk_cannot_post_to_a_desk_outside_their_scope(client, ibara_clerk, hub_desk):
    as_user(client, ibara_clerk)
    response = client.post(NEW, _form(hub_desk))
    assert response.status_code == 200
    assert "desk" in response.context["form"].errors
    assert Case.objects.count() == 0


def test_walk_in_with_new_client(client, hub_staff, hub_desk, kurashiki):
    as_user(client, hub_staff)
    expiry = timezone.localdate() + timedelta(days=90)
    from consult.models import ResidenceStatus

    status = ResidenceStatus.objects.get(code="permanent")
    data = _form(
        hub_desk,
        **_new_client(
            residence_status=str(status.pk),
            period_of_stay_expiry=expiry.isoformat(),
            residence_municipality=str(kurashiki.pk),
            phone="086-000-0000",
        ),
    )
    case = _case_of(client.post(NEW, data))
    person = case.client
    assert person.name == "田中 太郎" and person.name_kana == "タナカ タロウ" and person.name_latin == "TANAKA Taro"
    assert person.birth_year == 1988 and person.nationality == "VN"
    assert person.residence_status == status and person.period_of_stay_expiry == expiry
    assert person.residence_municipality == kurashiki and not person.lives_outside_area
    assert person.registered_desk == hub_desk
    assert person.preferred_language.code == "vi"
    # Registering the person is in the audit trail too.
    assert AuditEvent.objects.filter(object_type="consult.client", object_id=str(person.pk), action="create").exists()


def test_new_client_living_outside_the_consortium(client, hub_staff, hub_desk):
    as_user(client, hub_staff)
    data = _form(hub_desk, **_new_client(residence_note="岡山市"))
    person = _case_of(client.post(NEW, data)).client
    assert person.lives_outside_area is True
    assert person.residence_municipality is None
    assert person.residence_note == "岡山市"


def test_walk_in_for_an_existing_client(client, hub_staff, hub_desk):
    person = ClientFactory(registered_desk=hub_desk, name="佐藤 花子")
    as_user(client, hub_staff)
    case = _case_of(client.post(NEW, _form(hub_desk, client_choice=str(person.pk))))
    assert case.client == person
    assert Client.objects.count() == 1


def test_intake_from_the_client_page_starts_with_the_client_picked(client, hub_staff, ibara_clerk, hub_desk):
    person = ClientFactory(registered_desk=hub_desk, name="佐藤 花子")
    url = f"{NEW}?client={person.pk}"
    as_user(client, hub_staff)
    html = client.get(url).content.decode()
    assert re.search(rf'value="{person.pk}" id="client-choice-{person.pk}" checked', html)
    assert "佐藤 花子" in html
    # Someone who cannot see the client gets the ordinary empty form.
    as_user(client, ibara_clerk)
    html = client.get(url).content.decode()
    assert "佐藤" not in html
    assert re.search(r'id="client-choice-anonymous" checked', html)


def test_a_client_of_another_municipality_cannot_be_posted(client, ibara_clerk, ibara_desk, hub_desk):
    """A forged client id from a desk the clerk cannot see is refused, and
    the page does not reveal who it is."""
    person = ClientFactory(registered_desk=hub_desk, name="佐藤 花子")
    as_user(client, ibara_clerk)
    response = client.post(NEW, _form(ibara_desk, client_choice=str(person.pk)))
    assert response.status_code == 200
    assert "client_choice" in response.context["choice"].errors
    assert "佐藤" not in response.content.decode()
    assert Case.objects.count() == 0


# --- double submit --------------------------------------------------------------
def test_double_submit_creates_one_case(client, hub_staff, hub_desk):
    as_user(client, hub_staff)
    data = _form(hub_desk)
    first = client.post(NEW, data)
    second = client.post(NEW, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Case.objects.count() == 1
    assert Consultation.objects.count() == 1


def test_double_submit_with_a_new_client_creates_one_client(client, hub_staff, hub_desk):
    as_user(client, hub_staff)
    data = _form(hub_desk, **_new_client())
    client.post(NEW, data)
    client.post(NEW, data)
    assert Client.objects.count() == 1
    assert Case.objects.count() == 1
    assert Consultation.objects.count() == 1


# --- validation: clear messages, nothing lost -------------------------------------
def test_validation_errors_keep_everything_typed(client, hub_staff, hub_desk):
    as_user(client, hub_staff)
    topics = [str(_topic("tax.resident").pk), str(_topic("housing.public").pk)]
    data = _form(
        hub_desk,
        language="",
        topics=topics,
        minutes="2000",
        notes="住民税の通知書について",
        **_new_client(birth_year="1850", period_of_stay_expiry="2090-01-01", phone="090-1111-2222"),
    )
    response = client.post(NEW, data)
    assert response.status_code == 200
    assert Case.objects.count() == 0 and Client.objects.count() == 0
    html = response.content.decode()
    # The errors, in Japanese (the default interface language) …
    assert "相談で使った言語を選んでください。" in html
    assert "0〜1440" in html  # minutes
    assert "1900" in html and "年" in html  # birth year range
    # … linked to their fields for screen readers …
    assert re.search(r'<select name="language" id="id_language"[^>]*aria-describedby="[^"]*id_language_error', html)
    assert re.search(
        r'id="id_minutes"[^>]*aria-describedby="id_minutes_error"|aria-describedby="id_minutes_error"', html
    )
    assert 'aria-invalid="true"' in html
    # … and nothing typed is lost: topics still ticked, client fields filled.
    for pk in topics:
        assert re.search(rf'value="{pk}" id="id_topics_{pk}" checked', html)
    assert 'value="田中 太郎"' in html and 'value="タナカ タロウ"' in html and 'value="TANAKA Taro"' in html
    assert 'value="090-1111-2222"' in html
    assert "住民税の通知書について" in html
    assert 'value="2000"' in html
    assert re.search(r'id="client-choice-new" checked', html)
    assert f'value="{data["intake_token"]}"' in html  # the same token: a later save is still one case
    assert re.search(r'<option value="VN"[^>]* selected>', html)


def test_validation_messages_in_english(client, hub_staff, hub_desk):
    hub_staff.ui_language = "en"
    hub_staff.save(update_fields=["ui_language"])
    as_user(client, hub_staff)
    response = client.post(NEW, _form(hub_desk, topics=[], minutes="-5"))
    html = response.content.decode()
    assert "Choose at least one topic." in html
    assert "Enter a number of minutes between 0 and 1440." in html
    assert "Nothing you typed has been lost." in html


def test_new_client_needs_a_name(client, hub_staff, hub_desk):
    as_user(client, hub_staff)
    response = client.post(NEW, _form(hub_desk, **_new_client(name="", name_kana="", name_latin="")))
    assert response.status_code == 200
    assert response.context["client_form"].non_field_errors()
    assert Case.objects.count() == 0


def test_anonymous_choice_ignores_half_typed_client_fields(client, hub_staff, hub_desk):
    """Typing into the new-client fields and then choosing "anonymous" saves
    an anonymous case: the fields nobody asked for are not validated."""
    as_user(client, hub_staff)
    data = _form(hub_desk, **_new_client(client_choice="", birth_year="abc"))
    case = _case_of(client.post(NEW, data))
    assert case.client is None and Client.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("occurred_at", "2099-01-01T10:00"),
        ("follow_up_due", "2001-01-01"),
        ("period_of_stay_expiry", "1999-12-31"),
        ("nationality", "XX"),
        ("birth_year", "3000"),
    ],
)
def test_implausible_dates_and_codes_are_refused(client, hub_staff, hub_desk, field, value):
    as_user(client, hub_staff)
    data = _form(hub_desk, **_new_client(), follow_up_note="電話する")
    data[field] = value
    response = client.post(NEW, data)
    assert response.status_code == 200
    assert Case.objects.count() == 0


def test_follow_up_needs_both_date_and_note(client, hub_staff, hub_desk):
    as_user(client, hub_staff)
    due = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client.post(NEW, _form(hub_desk, follow_up_due=due))
    assert "follow_up_note" in response.context["form"].errors
    response = client.post(NEW, _form(hub_desk, follow_up_note="書類を確認"))
    assert "follow_up_due" in response.context["form"].errors
    assert Case.objects.count() == 0


# --- quick contact ------------------------------------------------------------------
def test_quick_contact_with_language_topic_and_channel_only(client, hub_staff, hub_desk):
    as_user(client, hub_staff)
    data = {
        "language": str(Language.objects.get(code="pt").pk),
        "topics": [str(_topic("daily_life.garbage").pk)],
        "channel": "phone",
        "intake_token": str(uuid.uuid4()),
    }
    response = client.post(QUICK, data)
    case = _case_of(response)
    assert case.is_quick_contact is True
    assert case.client is None
    assert case.handling_desk == hub_desk  # the person's usual desk
    assert case.outcome == CaseOutcome.RESOLVED
    consultation = case.consultations.get()
    assert consultation.channel == "phone"
    assert consultation.language.code == "pt"
    assert abs(consultation.occurred_at - timezone.now()) < timedelta(minutes=1)


def test_quick_contact_page_is_short(client, hub_staff):
    as_user(client, hub_staff)
    html = client.get(QUICK).content.decode()
    assert 'name="language"' in html and 'name="topics"' in html and 'name="channel"' in html
    for absent in ('name="client_choice"', 'name="notes"', 'name="sensitive_notes"', 'name="follow_up_due"'):
        assert absent not in html


def test_quick_contact_double_submit(client, hub_staff):
    as_user(client, hub_staff)
    data = {
        "language": str(Language.objects.get(code="en").pk),
        "topics": [str(_topic("other").pk)],
        "channel": "walk_in",
        "intake_token": str(uuid.uuid4()),
    }
    client.post(QUICK, data)
    client.post(QUICK, data)
    assert Case.objects.filter(is_quick_contact=True).count() == 1


# --- another consultation in a case (再相談) -------------------------------------------
def test_add_consultation_to_case_owner_and_colleague(client, hub_staff, coordinator, hub_desk):
    case = _logged_case(hub_staff, hub_desk, outcome="resolved")
    url = reverse("consult:case_consultation_new", args=[case.pk])
    for n, user in enumerate((hub_staff, coordinator), start=2):
        as_user(client, user)
        assert client.get(url).status_code == 200
        response = client.post(url, _form(hub_desk, outcome=""))
        assert response.status_code == 302 and _case_of(response) == case
        assert case.consultations.count() == n
    case.refresh_from_db()
    # The closed case was reopened by the new contact; the version moved on.
    assert case.status == CaseStatus.IN_PROGRESS
    assert case.version == 3


def test_add_consultation_page_shows_the_case(client, hub_staff, hub_desk):
    person = ClientFactory(registered_desk=hub_desk, name="山田 花子")
    case = _logged_case(hub_staff, hub_desk, client=person)
    as_user(client, hub_staff)
    html = client.get(reverse("consult:case_consultation_new", args=[case.pk])).content.decode()
    assert case.reference in html and "山田 花子" in html
    assert 'name="client_choice"' not in html  # the case already says who it is for


def test_add_consultation_outsider_gets_404(client, hub_staff, ibara_clerk, outsider, hub_desk, ibara_desk):
    case = _logged_case(hub_staff, hub_desk)
    url = reverse("consult:case_consultation_new", args=[case.pk])
    for user in (ibara_clerk, outsider):
        as_user(client, user)
        assert client.get(url).status_code in (403, 404)
        response = client.post(url, _form(ibara_desk))
        assert response.status_code in (403, 404)
    as_user(client, ibara_clerk)
    assert client.get(url).status_code == 404
    assert case.consultations.count() == 1
    assert client.get(reverse("consult:case_consultation_new", args=[999999])).status_code == 404


def test_add_consultation_wrong_method_and_anonymous(client, hub_staff, hub_desk):
    case = _logged_case(hub_staff, hub_desk)
    url = reverse("consult:case_consultation_new", args=[case.pk])
    assert "/accounts/login/" in client.get(url)["Location"]
    as_user(client, hub_staff)
    assert client.put(url).status_code == 405


# --- promote a quick contact ----------------------------------------------------------
def test_promote_quick_contact_with_new_client(client, hub_staff, hub_desk):
    case = _logged_case(hub_staff, hub_desk, quick=True)
    url = reverse("consult:case_promote", args=[case.pk])
    as_user(client, hub_staff)
    assert client.get(url).status_code == 200
    response = client.post(url, _new_client(name="Maria Santos", name_kana="", name_latin="", nationality="BR"))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.is_quick_contact is False
    assert case.client.name == "Maria Santos" and case.client.nationality == "BR"
    assert case.client.registered_desk == hub_desk
    assert AuditEvent.objects.filter(case=case, summary="promoted to a full case").exists()


def test_promote_with_existing_client_by_colleague(client, hub_staff, coordinator, hub_desk):
    case = _logged_case(hub_staff, hub_desk, quick=True)
    person = ClientFactory(registered_desk=hub_desk, name="グエン・ヴァン・ア", name_latin="NGUYEN Van A")
    as_user(client, coordinator)
    response = client.post(reverse("consult:case_promote", args=[case.pk]), {"client_choice": str(person.pk)})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.client == person and not case.is_quick_contact


def test_promote_needs_a_client(client, hub_staff, hub_desk):
    case = _logged_case(hub_staff, hub_desk, quick=True)
    as_user(client, hub_staff)
    response = client.post(reverse("consult:case_promote", args=[case.pk]), {"client_choice": ""})
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.is_quick_contact


def test_promote_outsider_wrong_method_anonymous(client, hub_staff, ibara_clerk, hub_desk):
    case = _logged_case(hub_staff, hub_desk, quick=True)
    url = reverse("consult:case_promote", args=[case.pk])
    assert "/accounts/login/" in client.get(url)["Location"]
    as_user(client, ibara_clerk)
    assert client.get(url).status_code == 404
    assert client.post(url, _new_client()).status_code == 404
    as_user(client, hub_staff)
    assert client.put(url).status_code == 405
    case.refresh_from_db()
    assert case.is_quick_contact and case.client is None


def test_promote_a_full_case_just_goes_back_to_it(client, hub_staff, hub_desk):
    case = _logged_case(hub_staff, hub_desk)
    as_user(client, hub_staff)
    response = client.get(reverse("consult:case_promote", args=[case.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("consult:case_detail", args=[case.pk])


# --- languages ------------------------------------------------------------------------------
def test_intake_in_japanese(client, hub_staff):
    as_user(client, hub_staff)  # ui_language defaults to ja
    html = client.get(NEW).content.decode()
    assert '<html lang="ja">' in html
    for text in (
        "相談受付",
        "相談言語",
        "相談分野",
        "相談内容",
        "通訳方法",
        "相談者",
        "在留資格",
        "在留期間満了日",
        "対応内容",
        "フォローアップ",
    ):
        assert text in html, text
    assert "来所" in html
    assert "Language used" not in html


def test_intake_in_english(client, hub_staff):
    as_user(client, hub_staff)
    client.cookies["django_language"] = "en"
    html = client.get(NEW).content.decode()
    assert '<html lang="en">' in html
    for text in ("Intake", "Language used", "Topics", "Interpretation mode", "Residence status", "Follow-up"):
        assert text in html, text
    # Autonyms stay as they are, the other name follows the interface language.
    assert "Tiếng Việt — Vietnamese" in html
    with translation.override("en"):
        assert str(CaseOutcome.RESOLVED.label) in html


# --- the query budget -------------------------------------------------------------------------
TRANSACTION_CONTROL = re.compile(
    r"^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT)\b", re.I
)


def _split(captured):
    """(SQL queries, transaction-control statements) of a captured request.
    Django 6.x logs BEGIN/COMMIT (and SAVEPOINT/RELEASE) too; the budget of
    issue 3 counts queries, the transaction statements are capped apart."""
    sql = [q["sql"] for q in captured]
    control = [s for s in sql if TRANSACTION_CONTROL.match(s)]
    return [s for s in sql if not TRANSACTION_CONTROL.match(s)], control


@pytest.mark.django_db(transaction=True)
def test_intake_post_takes_at_most_15_queries(client, hub_staff, hub_desk, kurashiki, django_assert_max_num_queries):
    """The heaviest intake: a new client with residence status and
    municipality, two topics, a follow-up and sensitive notes.

    transaction=True: the POST runs as in production (BEGIN/COMMIT, not the
    SAVEPOINT pairs a test inside a transaction adds)."""
    from consult.models import ResidenceStatus

    as_user(client, hub_staff)
    client.get(NEW)  # warm the per-process reference data, as any earlier request would
    data = _form(
        hub_desk,
        follow_up_due=(timezone.localdate() + timedelta(days=5)).isoformat(),
        follow_up_note="結果を電話で確認",
        sensitive_notes="通院中",
        **_new_client(
            residence_status=str(ResidenceStatus.objects.active().first().pk),
            residence_municipality=str(kurashiki.pk),
            period_of_stay_expiry=(timezone.localdate() + timedelta(days=200)).isoformat(),
        ),
    )
    # Two transactions: the intake's and the session's (saved on every request).
    with django_assert_max_num_queries(15 + 4) as captured:
        response = client.post(NEW, data)
    queries, control = _split(captured.captured_queries)
    print(f"intake POST, new client: {len(queries)} queries + {len(control)} transaction statements")
    assert len(queries) <= 15, "\n".join(queries)
    assert len(control) <= 4, control
    assert response.status_code == 302
    assert Client.objects.count() == 1 and Consultation.objects.count() == 1 and FollowUp.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_intake_for_existing_client_takes_at_most_15_queries(
    client, hub_staff, hub_desk, django_assert_max_num_queries
):
    person = ClientFactory(registered_desk=hub_desk, name="佐藤 花子")
    as_user(client, hub_staff)
    client.get(NEW)
    data = _form(
        hub_desk,
        client_choice=str(person.pk),
        follow_up_due=(timezone.localdate() + timedelta(days=5)).isoformat(),
        follow_up_note="結果を電話で確認",
        sensitive_notes="通院中",
    )
    with django_assert_max_num_queries(15 + 4) as captured:
        response = client.post(NEW, data)
    queries, control = _split(captured.captured_queries)
    print(f"intake POST, existing client: {len(queries)} queries + {len(control)} transaction statements")
    assert len(queries) <= 15, "\n".join(queries)
    assert response.status_code == 302
    assert Case.objects.get().client == person


@pytest.mark.django_db(transaction=True)
def test_quick_contact_post_is_cheap(client, hub_staff, django_assert_max_num_queries):
    as_user(client, hub_staff)
    client.get(QUICK)
    data = {
        "language": str(Language.objects.get(code="ne").pk),
        "topics": [str(_topic("tax.resident").pk)],
        "channel": "walk_in",
        "intake_token": str(uuid.uuid4()),
    }
    with django_assert_max_num_queries(15) as captured:
        assert client.post(QUICK, data).status_code == 302
    queries, control = _split(captured.captured_queries)
    print(f"quick contact POST: {len(queries)} queries + {len(control)} transaction statements")
    assert len(queries) <= 11, "\n".join(queries)
