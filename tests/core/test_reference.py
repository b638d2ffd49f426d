"""Reference data shipped by the project and `manage.py load_reference`."""

import csv
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from consult.models import Language, Organisation, ResidenceStatus, Topic
from core.reference import load_reference_data
from municipalities.models import Consortium, Desk, Municipality

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
MODELS = [Consortium, Municipality, Desk, Language, Topic, ResidenceStatus, Organisation]


def csv_rows(app: str, name: str) -> list[dict[str, str]]:
    with (ROOT / app / "data" / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def run_command() -> str:
    out = StringIO()
    call_command("load_reference", stdout=out)
    return out.getvalue()


# --- idempotence -------------------------------------------------------------


def test_loading_twice_creates_no_duplicates_and_reports_nothing_changed():
    first = run_command()
    after_first = counts()
    assert "reference data already up to date" not in first
    assert "municipality: 10 created" in first

    second = run_command()
    assert counts() == after_first
    assert "reference data already up to date" in second
    assert "created" in second  # it does print its tally…
    assert all(" 0 created, 0 updated" in line for line in second.splitlines() if "created" in line)  # …of zeros


def test_second_load_reports_no_change_in_the_service_too():
    load_reference_data()
    report = load_reference_data()
    assert not report.changed
    assert not any(report.created.values())
    assert not any(report.updated.values())


def test_loading_puts_back_what_the_files_carry(reference_data):
    """A column the file carries is the file's: a changed English name is restored."""
    Topic.objects.filter(code="residency").update(name_en="Visa stuff")
    report = load_reference_data()
    assert report.updated["topic"] == 1
    assert Topic.objects.get(code="residency").name_en == "Residence procedures"


# --- the consortium and its municipalities ------------------------------------


def test_ten_municipalities_in_the_consortium_with_hub_kurashiki(consortium):
    assert consortium.hub_municipality.code == "332020"
    assert consortium.municipalities.count() == 10
    assert set(consortium.municipalities.values_list("code", flat=True)) == {
        row["code"] for row in csv_rows("municipalities", "municipalities.csv")
    }
    assert Municipality.objects.get(code="332020").is_hub
    assert not Municipality.objects.get(code="332071").is_hub
    assert Municipality.objects.get(code="334618").kind == "town"
    assert Municipality.objects.get(code="334618").district == "小田郡"


def test_every_municipality_has_one_desk_and_only_the_hub_desk_is_the_hub(consortium):
    for municipality in consortium.municipalities.all():
        assert municipality.desks.count() == 1, municipality.code
    assert list(Desk.objects.filter(is_hub=True).values_list("code", flat=True)) == ["KRS"]
    assert Desk.objects.get(code="KRS").name_ja == "倉敷市役所本庁舎1階 外国人相談窓口"


def test_municipality_names_are_translated(kurashiki):
    with translation.override("ja"):
        assert Municipality.objects.get(code="332020").name == "倉敷市"
    with translation.override("en"):
        assert Municipality.objects.get(code="332020").name == "Kurashiki"
        assert Consortium.objects.get().name == "Takahashi River Basin Regional Cooperation Area"


# --- languages ---------------------------------------------------------------


def test_every_language_with_autonym_and_direction(reference_data):
    rows = csv_rows("consult", "languages.csv")
    assert Language.objects.count() == len(rows) >= 25
    for row in rows:
        language = Language.objects.get(code=row["code"])
        assert language.autonym == row["autonym"]
        assert language.direction == row["direction"]
        assert language.name_ja == row["name_ja"] and language.name_en == row["name_en"]
    assert set(Language.objects.filter(direction="rtl").values_list("code", flat=True)) == {"ar", "ur"}
    assert Language.objects.get(code="ar").autonym == "العربية"
    assert Language.objects.get(code="ja-x-easy").autonym == "やさしい日本語"


def test_languages_keep_the_file_order(reference_data):
    assert [lang.code for lang in Language.objects.all()] == [
        row["code"] for row in csv_rows("consult", "languages.csv")
    ]


# --- topics ------------------------------------------------------------------


def test_full_two_level_topic_tree(reference_data):
    rows = csv_rows("consult", "topics.csv")
    assert len(rows) == Topic.objects.count() == 57
    for row in rows:
        topic = Topic.objects.get(code=row["code"])
        assert (topic.parent.code if topic.parent else "") == row["parent"], row["code"]
        assert topic.name_ja == row["name_ja"] and topic.name_en == row["name_en"]
    assert Topic.objects.get(code="residency.extension").parent == Topic.objects.get(code="residency")
    # Two levels: no child has children of its own.
    assert not Topic.objects.filter(parent__parent__isnull=False).exists()


def test_topic_name_with_a_comma_is_intact(reference_data):
    childcare = Topic.objects.get(code="childcare")
    assert childcare.name_en == "Pregnancy, childbirth and childcare"
    assert childcare.name_ja == "出産・子育て"
    with translation.override("en"):
        assert Topic.objects.get(code="childcare").name == "Pregnancy, childbirth and childcare"


# --- residence statuses ------------------------------------------------------


def test_residence_statuses_with_validity(reference_data):
    assert ResidenceStatus.objects.count() == len(csv_rows("consult", "residence_statuses.csv"))
    esd = ResidenceStatus.objects.get(code="esd")
    assert esd.name_ja == "育成就労"
    assert esd.valid_from == date(2027, 4, 1)
    assert esd.valid_to is None
    assert not esd.is_valid_on(date(2027, 3, 31))
    assert esd.is_valid_on(date(2027, 4, 1))
    assert not ResidenceStatus.objects.valid_on(date(2027, 3, 31)).filter(code="esd").exists()
    assert ResidenceStatus.objects.valid_on(date(2027, 4, 1)).filter(code="esd").exists()
    # A status without dates is valid on both days.
    assert ResidenceStatus.objects.valid_on(date(2027, 3, 31)).filter(code="professor").exists()


# --- organisations -----------------------------------------------------------


def test_organisations_with_japanese_and_english_names(reference_data):
    rows = csv_rows("consult", "organisations.csv")
    assert Organisation.objects.count() == len(rows) >= 10
    for row in rows:
        organisation = Organisation.objects.get(code=row["code"])
        assert organisation.name_ja == row["name_ja"] and organisation.name_en == row["name_en"]
        assert organisation.kind == row["kind"]
    immigration = Organisation.objects.get(code="immigration-okayama")
    assert immigration.name_en == "Hiroshima Regional Immigration Services Bureau, Okayama Branch"
    with translation.override("ja"):
        assert Organisation.objects.get(code="fresc").name == "外国人在留支援センター（FRESC）"
    with translation.override("en"):
        assert Organisation.objects.get(code="fresc").name == "Foreign Residents Support Center (FRESC)"
    assert Organisation.objects.get(code="hellowork-kurashiki").municipality.code == "332020"


# --- modeltranslation ---------------------------------------------------------


def test_names_are_japanese_by_default_and_english_under_override(reference_data):
    topic = Topic.objects.get(code="residency.extension")
    assert topic.name == "在留期間更新"
    with translation.override("en"):
        assert Topic.objects.get(code="residency.extension").name == "Extension of period of stay"
        assert Language.objects.get(code="vi").name == "Vietnamese"
    with translation.override("ja"):
        assert Language.objects.get(code="vi").name == "ベトナム語"


# --- administrators' work survives a reload ----------------------------------


def test_admin_edits_of_columns_the_files_do_not_carry_survive_a_reload(reference_data):
    Desk.objects.filter(code="IBR").update(phone="0866-00-0000", active=False)
    Municipality.objects.filter(code="334618").update(active=False)
    Language.objects.filter(code="km").update(active=False)
    Organisation.objects.filter(code="fresc").update(url="https://example.invalid/fresc")
    load_reference_data()
    assert Desk.objects.get(code="IBR").phone == "0866-00-0000"
    assert not Desk.objects.get(code="IBR").active
    assert not Municipality.objects.get(code="334618").active
    assert not Language.objects.get(code="km").active
    assert Organisation.objects.get(code="fresc").url == "https://example.invalid/fresc"


def test_admin_entries_in_columns_the_files_leave_empty_survive_a_reload(reference_data):
    """organisations.csv has a phone column, empty everywhere; desks.csv has no
    address for the partner desks.  An administrator who fills them in must
    not lose them the next time `make run` or `seed_demo` reloads."""
    Organisation.objects.filter(code="hellowork-kurashiki").update(phone="086-000-0000")
    Desk.objects.filter(code="IBR").update(address_ja="井原市テスト町1-1", address_en="1-1 Test-cho, Ibara")
    report = load_reference_data()
    assert Organisation.objects.get(code="hellowork-kurashiki").phone == "086-000-0000"
    desk = Desk.objects.get(code="IBR")
    assert (desk.address_ja, desk.address_en) == ("井原市テスト町1-1", "1-1 Test-cho, Ibara")
    assert not report.changed


def test_admin_reordering_survives_a_reload(reference_data):
    Language.objects.filter(code="vi").update(sort_order=1)
    load_reference_data()
    assert Language.objects.first().code == "vi"


def test_rows_added_by_an_administrator_survive_a_reload(reference_data):
    Topic.objects.create(code="residency.local-extra", parent=Topic.objects.get(code="residency"), name_ja="独自項目")
    Organisation.objects.create(code="test-ngo", kind="other", name_ja="テスト支援団体", name_en="Test NGO")
    Language.objects.create(code="tl-x-test", autonym="Test", name_ja="テスト語", name_en="Test language")
    before = counts()
    load_reference_data()
    assert counts() == before
    assert Topic.objects.get(code="residency.local-extra").parent.code == "residency"
    assert Organisation.objects.get(code="test-ngo").name_en == "Test NGO"
    assert Language.objects.filter(code="tl-x-test").exists()
