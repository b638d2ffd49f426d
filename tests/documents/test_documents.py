"""Issue 14: the documents handed to the client — appointment slip, referral
letter, consent explanation — in every shipped language, the fallback to
やさしい日本語 + English, right-to-left, audit, access, and the PDF."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from consult.models import Language, Organisation
from core.models import AuditEvent
from documents.models import DocumentText, DocumentTranslation, OpeningHours
from tests.conftest import skip_or_fail
from tests.factories import ClientFactory, InterpreterFactory, as_user, make_case

from .conftest import SHIPPED, review_language

pytestmark = pytest.mark.django_db
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "documents"
DAY = date(2026, 12, 3)  # a Thursday


@pytest.fixture
def krs_case(hub_desk, hub_staff, document_texts):
    client = ClientFactory(
        registered_desk=hub_desk,
        name="グエン・ヴァン・アン",
        name_latin="Nguyen Van An",
        preferred_language=Language.objects.get(code="vi"),
    )
    return make_case(hub_desk, hub_staff, client=client, title="在留期間更新")


@pytest.fixture
def hellowork(reference_data):
    organisation = Organisation.objects.get(code="hellowork-kurashiki")
    organisation.address_ja = "岡山県倉敷市笹沖1378-1"
    organisation.phone = "086-424-3333"
    organisation.save()
    OpeningHours.objects.create(
        organisation=organisation, weekdays=[0, 1, 2, 3, 4], opens_at=time(8, 30), closes_at=time(17, 15)
    )
    return organisation


def slip_url(case, **params):
    params = {"language": "vi", "day": DAY.isoformat(), "at": "10:00", "bring": ["residence_card", "passport"]} | params
    return reverse("documents:case_document", args=[case.pk, "slip"]), params


def get(client, case, kind, **params):
    base = {"slip": {"day": DAY.isoformat(), "at": "10:00", "bring": ["residence_card"]}}.get(kind, {})
    return client.get(reverse("documents:case_document", args=[case.pk, kind]), base | params)


# --- every document in every shipped language ------------------------------------------
def test_every_document_renders_in_every_shipped_language_once_reviewed(
    client, krs_case, hub_staff, hellowork, reviewer
):
    as_user(client, hub_staff)
    for code in SHIPPED:
        review_language(code, reviewer)
        _check_documents(client, krs_case, hellowork, code)


def _check_documents(client, krs_case, hellowork, code):
    expected = {
        key: DocumentTranslation.objects.get(text__key=key, language_code=code).translation
        for key in ("slip.title", "referral.title", "consent.title", "common.bring", "consent.signature")
    }
    for kind, params in (("slip", {}), ("referral", {"organisation": hellowork.pk}), ("consent", {})):
        response = get(client, krs_case, kind, language=code, **params)
        assert response.status_code == 200, (kind, code)
        html = response.content.decode()
        assert 'data-mode="direct"' in html
        assert 'data-testid="fallback-notice"' not in html
        title = {"slip": "slip.title", "referral": "referral.title", "consent": "consent.title"}[kind]
        assert _escaped(expected[title]) in html, (kind, code)
        # side by side: the Japanese original is there too
        assert DocumentText.objects.get(key=title).japanese in html
        assert f'lang="{code}"' in html
    assert response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]


def _escaped(text: str) -> str:
    from django.utils.html import escape

    return escape(text)


def test_slip_dates_are_formatted_for_the_language_and_never_in_wareki(client, krs_case, hub_staff, reviewer):
    for code in ("vi", "pt", "en", "th", "ko"):
        review_language(code, reviewer)
    as_user(client, hub_staff)
    shown = {
        code: get(client, krs_case, "slip", language=code).content.decode() for code in ("vi", "pt", "en", "th", "ko")
    }
    assert "Thứ Năm, 3 tháng 12, 2026" in shown["vi"]
    assert "quinta-feira, 3 de dezembro de 2026" in shown["pt"]
    assert "Thursday, December 3, 2026" in shown["en"]
    assert "ค.ศ. 2026" in shown["th"]  # Western era, not the Buddhist one
    assert "2026년 12월 3일 목요일" in shown["ko"]
    for html in shown.values():
        assert "2026年12月3日（木）" in html  # the Japanese column: Western calendar too
        assert "令和" not in html


def test_unreviewed_translation_falls_back_to_easy_japanese_and_english_and_says_so(client, krs_case, hub_staff):
    as_user(client, hub_staff)
    html = get(client, krs_case, "slip", language="vi").content.decode()
    assert 'data-mode="fallback"' in html
    assert 'data-testid="fallback-notice"' in html
    assert "The Vietnamese translation has not been checked yet" in html
    assert "Your next appointment" in html  # English
    assert "<ruby>" in html and "<rt>" in html  # やさしい日本語 with furigana
    assert "Phiếu hẹn tư vấn lần sau" not in html  # the unreviewed words are not printed


def test_missing_translation_falls_back_visibly(client, krs_case, hub_staff, reviewer):
    review_language("vi", reviewer)
    DocumentTranslation.objects.filter(language_code="vi", text__key="slip.cannot_come").delete()
    as_user(client, hub_staff)
    html = get(client, krs_case, "slip", language="vi").content.decode()
    assert 'data-mode="fallback"' in html
    assert "There is no Vietnamese translation yet" in html
    html = get(client, krs_case, "consent", language="hi").content.decode()
    assert "There is no Hindi translation yet" in html


def test_easy_japanese_document_has_furigana_and_japanese_is_single_column(client, krs_case, hub_staff):
    as_user(client, hub_staff)
    html = get(client, krs_case, "consent", language="ja-x-easy").content.decode()
    assert 'data-mode="direct"' in html
    assert "<ruby>窓口<rp>(</rp><rt>まどぐち</rt>" in html
    html = get(client, krs_case, "consent", language="ja").content.decode()
    assert "document--single" in html and "<ruby>" not in html


def test_right_to_left_language_carries_dir_rtl(client, krs_case, hub_staff, reviewer):
    for text in DocumentText.objects.all():
        DocumentTranslation.objects.create(
            text=text,
            language_code="ur",
            translation=f"اردو {text.key}",
            reviewed=True,
            reviewed_by=reviewer,
            reviewed_at=timezone.now(),
        )
    as_user(client, hub_staff)
    html = get(client, krs_case, "consent", language="ur").content.decode()
    assert 'data-mode="direct"' in html
    assert re.search(r'<td class="col col--client" dir="rtl" lang="ur">', html)
    assert 'dir="rtl">اردو' in html


def test_appointment_slip_from_an_interpreter_booking(client, krs_case, hub_staff, reviewer):
    from interpreters.models import Booking

    review_language("vi", reviewer)
    start = datetime.combine(DAY, time(14, 30), tzinfo=timezone.get_current_timezone())
    booking = Booking.objects.create(
        desk=krs_case.handling_desk,
        case=krs_case,
        language=Language.objects.get(code="vi"),
        modality="onsite",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        place="倉敷市役所 本庁舎1階 相談室2",
        interpreter=InterpreterFactory(languages={"vi": 3}),
        status="confirmed",
        requested_by=hub_staff,
    )
    as_user(client, hub_staff)
    html = client.get(
        reverse("documents:case_document", args=[krs_case.pk, "slip"]), {"language": "vi", "booking": booking.pk}
    ).content.decode()
    assert "14:30" in html and "Thứ Năm, 3 tháng 12, 2026" in html
    assert "相談室2" in html
    assert "Đã sắp xếp phiên dịch (Tiếng Việt)." in html
    assert "ベトナム語の通訳を手配しました。" in html


def test_referral_letter_names_the_organisation_address_hours_and_purpose(
    client, krs_case, hub_staff, hellowork, reviewer
):
    review_language("pt", reviewer)
    as_user(client, hub_staff)
    html = get(client, krs_case, "referral", language="pt", organisation=hellowork.pk).content.decode()
    assert "ハローワーク倉敷中央" in html and "Hello Work Kurashiki Chuo" in html
    assert "岡山県倉敷市笹沖1378-1" in html
    assert "segunda-feira – sexta-feira 08:30–17:15" in html
    assert "月曜日〜金曜日 8:30〜17:15" in html
    assert "Procura de emprego e seguro-desemprego" in html
    assert "仕事探し・雇用保険についての相談" in html


def test_consent_explanation_lists_the_consortium_and_has_a_signature_line(client, krs_case, hub_staff):
    as_user(client, hub_staff)
    html = get(client, krs_case, "consent", language="en").content.decode()
    assert "倉敷市" in html and "井原市" in html
    assert html.count('class="signature-line"') >= 2


# --- bad input: form errors, never a 500 ------------------------------------------------
@pytest.mark.parametrize(
    ("kind", "params"),
    [
        ("slip", {"language": "xx"}),
        ("referral", {"language": "pt", "organisation": "1\x00"}),
        ("slip", {"language": "vi", "day": "not-a-date", "at": "25:99"}),
        ("slip", {"language": "vi"}),
        ("slip", {"language": "vi", "day": "2026-12-03", "at": "10:00", "bring": ["bogus"], "booking": "x"}),
        ("referral", {"language": "vi", "organisation": "999999"}),
        ("referral", {"language": "vi"}),
        ("consent", {}),
    ],
)
def test_bad_input_shows_form_errors(client, krs_case, hub_staff, kind, params):
    as_user(client, hub_staff)
    response = client.get(reverse("documents:case_document", args=[krs_case.pk, kind]), params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "field--invalid" in html or "form-errors" in html


def test_nul_characters_never_cause_a_server_error(client, krs_case, hub_staff):
    as_user(client, hub_staff)
    url = reverse("documents:case_document", args=[krs_case.pk, "slip"])
    params = {"language": "vi\x00", "day": "2026-12-03\x00", "at": "10:00\x00", "place": "a\x00b"}
    assert client.get(url, params).status_code == 200


# --- access ----------------------------------------------------------------------------------
def test_access_owner_colleague_outsider_stats_anonymous_method(
    client, krs_case, hub_staff, coordinator, outsider, hub_stats, ibara_clerk
):
    urls = [
        reverse("documents:case_documents", args=[krs_case.pk]),
        reverse("documents:case_document", args=[krs_case.pk, "consent"]) + "?language=en",
    ]
    for url in urls:
        assert as_user(client, hub_staff).get(url).status_code == 200
        assert as_user(client, coordinator).get(url).status_code == 200
        assert as_user(client, outsider).get(url).status_code == 404
        assert as_user(client, ibara_clerk).get(url).status_code == 404
        assert as_user(client, hub_stats).get(url).status_code == 404
        assert as_user(client, hub_staff).post(url).status_code == 405
        client.logout()
        assert client.get(url).status_code == 302
    assert (
        as_user(client, hub_staff).get(reverse("documents:case_document", args=[krs_case.pk, "x"])).status_code == 404
    )


def test_case_page_links_to_the_documents(client, krs_case, hub_staff):
    html = as_user(client, hub_staff).get(reverse("consult:case_detail", args=[krs_case.pk])).content.decode()
    assert reverse("documents:case_documents", args=[krs_case.pk]) in html


# --- audit: viewing, printing and the PDF ------------------------------------------------------------
def test_showing_printing_and_downloading_are_audited(client, krs_case, hub_staff):
    as_user(client, hub_staff)
    # The audit trail is append-only (the suite's role cannot delete): count what is new.
    since = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    new = AuditEvent.objects.filter(id__gt=since)
    get(client, krs_case, "consent", language="en")
    assert new.filter(action="view", case=krs_case, actor=hub_staff).exists()
    response = client.post(reverse("print_audit", args=["document", krs_case.pk]))
    assert response.status_code == 204
    assert new.filter(action="print", case=krs_case, actor=hub_staff).count() == 1
    response = get(client, krs_case, "consent", language="en", format="pdf")
    assert response["Content-Type"] == "application/pdf"
    event = new.filter(action="print", case=krs_case).order_by("-at", "-id").first()
    assert event.summary == "consent en"
    assert new.filter(action="print", case=krs_case).count() == 2


def test_print_audit_of_a_document_outside_scope_is_404(client, krs_case, outsider):
    response = as_user(client, outsider).post(reverse("print_audit", args=["document", krs_case.pk]))
    assert response.status_code == 404


# --- the PDF: text layer and fonts -------------------------------------------------------------------
@pytest.fixture
def poppler():
    if not shutil.which("pdftotext") or not shutil.which("pdffonts"):
        skip_or_fail("poppler-utils (pdftotext, pdffonts) is not installed")


def _pdf(client, case, kind, code, **params) -> bytes:
    response = get(client, case, kind, language=code, format="pdf", **params)
    assert response.status_code == 200, response.content[:500]
    assert response.content.startswith(b"%PDF")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{kind}-{code}.pdf").write_bytes(response.content)
    return response.content


def _pdftext(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _fonts(pdf: bytes, tmp_path) -> list[list[str]]:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


def _notdef_glyphs(pdf: bytes) -> int:
    """Characters drawn with glyph 0 (.notdef, the tofu box).  WeasyPrint
    writes text in codes that a CMap per font maps to glyph ids
    (`begincidchar`: <code> gid); a character no font covers maps to 0."""
    import zlib

    count = 0
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        try:
            content = zlib.decompress(stream)
        except zlib.error:
            continue
        for block in re.findall(rb"begincidchar(.*?)endcidchar", content, re.DOTALL):
            count += len(re.findall(rb"<[0-9a-fA-F]+>\s+0\s*$", block, re.MULTILINE))
        for block in re.findall(rb"begincidrange(.*?)endcidrange", content, re.DOTALL):
            count += len(re.findall(rb"<[0-9a-fA-F]+>\s*<[0-9a-fA-F]+>\s+0\s*$", block, re.MULTILINE))
    return count


SCRIPT_SAMPLES = {
    "zh-Hans": "下次咨询预约单",
    "zh-Hant": "下次諮詢預約單",
    "ko": "다음 상담 예약표",
    "vi": "Phiếu hẹn tư vấn lần sau",
    "pt": "Comprovante do próximo atendimento",
    "ne": "परामर्श",
    "th": "ใบนัดหมายการปรึกษา",  # pdftotext reorders some Thai marks; a run it keeps
    "my": "ဆိုမှု",  # pdftotext moves Myanmar pre-base vowels; a run it keeps
}


@pytest.mark.slow
def test_pdf_text_layer_and_every_glyph_in_an_embedded_font(client, krs_case, hub_staff, reviewer, tmp_path, poppler):
    as_user(client, hub_staff)
    for code in SHIPPED:
        review_language(code, reviewer)
        _check_pdf(client, krs_case, code, tmp_path)


def _check_pdf(client, krs_case, code, tmp_path):
    pdf = _pdf(client, krs_case, "slip", code)
    text = _pdftext(pdf, tmp_path)
    assert "次回相談の予約票" in text
    title = DocumentTranslation.objects.get(text__key="slip.title", language_code=code).translation
    sample = SCRIPT_SAMPLES.get(code, title)
    # pdftotext may break lines inside complex scripts; compare without white space
    assert re.sub(r"\s", "", sample) in re.sub(r"\s", "", text), (code, text[:400])
    fonts = _fonts(pdf, tmp_path)
    assert fonts, "no font in the PDF"
    assert all(row[-5] == "yes" for row in fonts), fonts  # emb column
    assert _notdef_glyphs(pdf) == 0


def test_pdf_of_the_fallback_and_of_the_consent_in_every_script(
    client, krs_case, hub_staff, hellowork, tmp_path, poppler
):
    as_user(client, hub_staff)
    pdf = _pdf(client, krs_case, "consent", "my")
    text = re.sub(r"\s", "", _pdftext(pdf, tmp_path))
    assert "TheBurmesetranslationhasnotbeencheckedyet" in text
    assert _notdef_glyphs(pdf) == 0
    # A referral letter whose organisation name and the client's name mix scripts.
    krs_case.client.name = "ラム・バハドゥル"
    krs_case.client.name_latin = "राम बहादुर"
    krs_case.client.save()
    pdf = _pdf(client, krs_case, "referral", "ne", organisation=hellowork.pk)
    text = _pdftext(pdf, tmp_path)
    assert "राम" in text and "ハローワーク倉敷中央" in text
    assert _notdef_glyphs(pdf) == 0


def test_notdef_detector_finds_tofu(poppler):
    """The no-tofu check can fail: a character no installed font has is a .notdef glyph."""
    from documents.pdf import render_pdf

    pdf = render_pdf("<html><body><p>A\U0001fbffB</p></body></html>")  # unassigned code point
    assert _notdef_glyphs(pdf) > 0
