"""UI labels follow the project glossary: one Japanese and one English word
per concept (case status 未着手/対応中/回答待ち/終了, topic = 相談分野,
due date = 期日, audit trail = 操作記録, 障がい …).  These tests read the
labels the code really shows (model choices and verbose names, rendered
screens) and scan the Japanese catalogue for words the glossary rules out."""

import csv
import re
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone, translation

from tests.factories import CaseFactory, ConsultationFactory, as_user

ROOT = Path(__file__).resolve().parent.parent
JA_PO = ROOT / "locale" / "ja" / "LC_MESSAGES" / "django.po"

# 障害 only inside official names (障害者手帳, 障害福祉サービス …); 外国人 only
# inside official names (外国人受入環境整備交付金 …); 期限 only for legal
# deadlines set by others (申請期限 …) and in 有効期限 (a session or link
# expiring, not a due date).
OFFICIAL_WITH_SHOGAI = re.compile(r"障害(者手帳|福祉サービス|者総合支援法|年金)")
OFFICIAL_NAMES = re.compile(
    r"障害(者手帳|福祉サービス|者総合支援法|年金)|外国人(受入環境整備交付金|在留支援センター|総合相談)"
    r"|(申請|提出|届出|納付|在留|有効)期限"
)


def _ja_entries() -> list[polib.POEntry]:
    return [e for e in polib.pofile(str(JA_PO)) if not e.obsolete]


def _labels(choices, language: str) -> list[str]:
    with translation.override(language):
        return [str(label) for label in choices.labels]


def _verbose(model: str, field: str, language: str) -> str:
    app, name = model.split(".")
    with translation.override(language):
        return str(apps.get_model(app, name)._meta.get_field(field).verbose_name)


def test_case_status_labels():
    CaseStatus = apps.get_model("consult", "Case")._meta.get_field("status").choices
    with translation.override("ja"):
        assert [str(label) for _, label in CaseStatus] == ["未着手", "対応中", "回答待ち", "終了"]
    with translation.override("en"):
        assert [str(label) for _, label in CaseStatus] == ["open", "in progress", "waiting", "closed"]


def test_outcome_labels():
    outcome = apps.get_model("consult", "Case")._meta.get_field("outcome").choices
    with translation.override("ja"):
        assert [str(label) for _, label in outcome] == ["窓口で完結", "他機関へ紹介", "継続"]
    with translation.override("en"):
        assert [str(label) for _, label in outcome] == ["resolved", "referred", "continuing"]


@pytest.mark.parametrize(
    ("model", "field", "ja", "en"),
    [
        ("consult.Consultation", "topics", "相談分野", "topics"),
        ("consult.Consultation", "notes", "相談内容", "notes"),
        ("consult.Consultation", "actions", "対応内容", "actions taken"),
        ("consult.Consultation", "interpretation_mode", "通訳方法", "interpretation mode"),
        ("consult.Case", "reference", "受付番号", "reference number"),
        ("consult.Case", "assignee", "担当者", "assignee"),
        ("consult.Case", "sensitive_notes", "要配慮個人情報メモ", "sensitive notes"),
        ("consult.Case", "client", "相談者", "client"),
        ("consult.FollowUp", "due_date", "期日", "due date"),
    ],
)
def test_field_labels(model, field, ja, en):
    assert _verbose(model, field, "ja") == ja
    assert _verbose(model, field, "en") == en


def test_model_names():
    with translation.override("ja"):
        assert str(apps.get_model("core", "AuditEvent")._meta.verbose_name) == "操作記録"
        assert str(apps.get_model("consult", "Case")._meta.verbose_name) == "相談案件"
        assert str(apps.get_model("consult", "Topic")._meta.verbose_name) == "相談分野"
        assert str(apps.get_model("consult", "FollowUp")._meta.verbose_name) == "フォローアップ"


def test_catalogue_has_no_word_the_glossary_rules_out():
    """監査記録, 利用者; 外国人, 障害 and 期限 outside official names and
    legal deadlines; 相談分類 and 案件番号 (old names of the topic and the
    reference number); 相談内容 for the topic."""
    problems = []
    for entry in _ja_entries():
        texts = [entry.msgstr, *(entry.msgstr_plural or {}).values()]
        for text in texts:
            plain = OFFICIAL_NAMES.sub("", text)
            for word in ("監査記録", "利用者", "外国人", "障害", "期限", "相談分類", "案件番号"):
                if word in plain:
                    problems.append((word, entry.msgid, text))
            if "topic" in entry.msgid.lower() and "相談内容" in text:
                problems.append(("相談内容 for a topic", entry.msgid, text))
    assert problems == []


def test_topic_reference_data_says_shogai_only_in_official_names():
    with (ROOT / "consult" / "data" / "topics.csv").open(encoding="utf-8", newline="") as fh:
        names = [row["name_ja"] for row in csv.DictReader(fh)]
    assert "障がい福祉" in names
    assert [name for name in names if "障害" in OFFICIAL_WITH_SHOGAI.sub("", name)] == []


def test_shipped_topic_label_after_loading(db):
    from core.reference import load_reference_data

    load_reference_data()
    Topic = apps.get_model("consult", "Topic")
    assert Topic.objects.get(code="welfare.disability").name_ja == "障がい福祉"


def test_case_list_speaks_the_glossary(client, hub_staff):
    as_user(client, hub_staff)
    html = client.get(reverse("consult:case_list")).content.decode()
    for text in ("相談案件一覧", "相談受付", "対応状況", "担当者", "相談分野", "未終了", "未着手"):
        assert text in html, text
    for text in ("相談内容", "期限", "受付日"):
        assert text not in html, text
    assert re.search("(?<!相談)案件一覧", html) is None


def test_case_list_in_english(client, hub_staff):
    as_user(client, hub_staff)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("consult:case_list")).content.decode()
    for text in ("Intake", "Assignee", "Topic", "Not closed"):
        assert text in html, text
    assert "Assigned to" not in html and "New consultation" not in html


def test_case_page_speaks_the_glossary(client, coordinator, hub_desk):
    from consult import services

    case = CaseFactory(handling_desk=hub_desk, created_by=coordinator)
    ConsultationFactory(case=case, notes="書類を案内した")
    services.follow_up_create(case=case, by=coordinator, due_date=timezone.localdate(), note="電話で確認")
    as_user(client, coordinator)
    html = client.get(reverse("consult:case_detail", args=[case.pk])).content.decode()
    for text in (
        "相談を追加",
        "対応状況",
        "未着手",
        "担当者",
        "開始日",
        "通訳方法",
        "操作記録",
        "期日",
        "関連案件を登録",
    ):
        assert text in html, text
    for text in ("再相談", "期限", "監査記録", "受付日"):
        assert text not in html, text


def test_adding_a_consultation_to_a_case_is_not_labelled_saiso(client, hub_staff, hub_desk):
    """再相談 is a statistic (2回目以降の相談), not the name of a screen or button."""
    case = CaseFactory(handling_desk=hub_desk, created_by=hub_staff)
    ConsultationFactory(case=case)
    as_user(client, hub_staff)
    html = client.get(reverse("consult:case_consultation_new", args=[case.pk])).content.decode()
    assert f"{case.reference} に相談を追加" in html
    for text in ("再相談", "相談内容を絞り込む"):
        assert text not in html, text
    assert "相談分野" in html
