"""全国地方公共団体コード: 6 digits, the last a check digit (DESIGN §2)."""

import csv
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from municipalities.models import Membership, Municipality
from municipalities.validators import local_government_check_digit, validate_local_government_code
from tests.factories import DeskFactory, MunicipalityFactory, UserFactory, as_user, municipality_code

CSV = Path(__file__).resolve().parents[2] / "municipalities" / "data" / "municipalities.csv"


def shipped_codes() -> list[str]:
    with CSV.open(encoding="utf-8", newline="") as fh:
        return [row["code"] for row in csv.DictReader(fh)]


def test_the_ten_shipped_codes_are_valid():
    codes = shipped_codes()
    assert len(codes) == 10
    for code in codes:
        assert local_government_check_digit(code[:5]) == int(code[5]), code
        validate_local_government_code(code)  # raises on a bad one


@pytest.mark.parametrize(
    ("first_five", "digit"),
    [
        ("33202", 0),  # 倉敷市: 45 mod 11 = 1 → 10 → 0
        ("33207", 1),  # 井原市: 55 mod 11 = 0 → 11 → 1
        ("33208", 9),  # 総社市
        ("33423", 5),  # 早島町
        ("13101", 6),  # 千代田区
        ("01100", 2),  # 札幌市
    ],
)
def test_check_digit_of_known_codes(first_five, digit):
    assert local_government_check_digit(first_five) == digit


def test_check_digit_formula_wraps_eleven_to_a_single_digit():
    assert local_government_check_digit("00000") == 1  # 11 - 0 = 11 → 1
    assert local_government_check_digit("00003") == 5  # 6 → 11-6 = 5
    assert local_government_check_digit("10001") == 3  # 6+2 = 8 → 3


@pytest.mark.parametrize("bad", ["3320", "332020", "３３２０２", "3320a"])
def test_check_digit_function_wants_exactly_five_ascii_digits(bad):
    with pytest.raises(ValueError):
        local_government_check_digit(bad)


def test_one_wrong_digit_is_invalid():
    validate_local_government_code("332020")
    with pytest.raises(ValidationError) as exc:
        validate_local_government_code("332021")
    assert exc.value.code == "check_digit"


def _messages(code: str, language: str) -> list[str]:
    municipality = Municipality(code=code, name_ja="テスト市", name_en="Test", kind="city")
    with translation.override(language):
        with pytest.raises(ValidationError) as exc:
            municipality.full_clean()
        # Messages are lazy: render them while the language is active.
        return exc.value.message_dict["code"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "ja", "en"),
    [
        (
            "332021",
            "332021 は検査数字が誤っています。最後の桁は 0 のはずです。",
            "332021 has a wrong check digit: the last digit should be 0.",
        ),
        (
            "33202",
            "全国地方公共団体コードは6桁の数字です（例：332020）。",
            "A local government code has exactly 6 digits (for example 332020).",
        ),
        (
            "33202a",
            "全国地方公共団体コードは6桁の数字です（例：332020）。",
            "A local government code has exactly 6 digits (for example 332020).",
        ),
        # Full-width digits (an IME's default) look right but are not ASCII:
        # the database CHECK would refuse them with an unreadable error.
        (
            "３３２０２０",
            "全国地方公共団体コードは6桁の数字です（例：332020）。",
            "A local government code has exactly 6 digits (for example 332020).",
        ),
    ],
)
def test_full_clean_explains_a_bad_code_in_japanese_and_english(code, ja, en):
    assert _messages(code, "ja") == [ja]
    assert _messages(code, "en") == [en]


@pytest.mark.django_db
def test_full_clean_accepts_a_valid_code():
    Municipality(code=municipality_code("90123"), name_ja="テスト市", name_en="Test", kind="city").full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["33202", "33202a", "３３２０２０", "abcdef"])
def test_database_rejects_a_code_that_is_not_six_ascii_digits(code):
    with pytest.raises(IntegrityError) as exc, transaction.atomic():
        Municipality.objects.create(code=code, name_ja="テスト市", name_en="Test", kind="city")
    assert "municipality_code_six_digits" in str(exc.value)


@pytest.mark.django_db
def test_database_accepts_six_digits():
    Municipality.objects.create(code=municipality_code("90124"), name_ja="テスト市", name_en="Test", kind="city")
    assert Municipality.objects.filter(code=municipality_code("90124")).exists()


def _admin_add(client, code: str):
    return client.post(
        reverse("admin:municipalities_municipality_add"),
        {"code": code, "name_ja": "テスト町", "name_en": "Test Town", "reading": "てすとちょう", "kind": "town"},
    )


@pytest.mark.django_db
def test_admin_form_shows_the_check_digit_error(client, superuser):
    as_user(client, superuser)
    response = _admin_add(client, "332021")
    assert response.status_code == 200  # the form again, not a redirect
    assert "332021 は検査数字が誤っています。最後の桁は 0 のはずです。" in response.content.decode()
    assert not Municipality.objects.filter(code="332021").exists()


@pytest.mark.django_db
def test_admin_form_shows_the_format_error_in_english(client, superuser):
    as_user(client, superuser)
    client.cookies["django_language"] = "en"
    response = _admin_add(client, "33202")
    assert response.status_code == 200
    assert "A local government code has exactly 6 digits (for example 332020)." in response.content.decode()


@pytest.mark.django_db
def test_admin_form_saves_a_valid_code(client, superuser):
    """The same form with a good code saves: the error above comes from the code."""
    as_user(client, superuser)
    code = municipality_code("90125")
    response = _admin_add(client, code)
    assert response.status_code == 302
    assert Municipality.objects.get(code=code).name_ja == "テスト町"


@pytest.mark.django_db
def test_membership_desk_must_belong_to_the_membership_municipality():
    ibara_like, soja_like = MunicipalityFactory(), MunicipalityFactory()
    elsewhere = DeskFactory(municipality=soja_like)
    membership = Membership(user=UserFactory(), municipality=ibara_like, role="partner_clerk", desk=elsewhere)
    with translation.override("en"):
        with pytest.raises(ValidationError) as exc:
            membership.full_clean()
        assert exc.value.message_dict["desk"] == ["The usual desk must be one of this municipality's desks."]
    membership.desk = DeskFactory(municipality=ibara_like)
    membership.full_clean()
