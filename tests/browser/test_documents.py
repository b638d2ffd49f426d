"""Issue 14 end to end, in a real browser: from a case, staff-332020 prints
the appointment slip in Vietnamese (with the interpreter booked) and the
referral letter to ハローワーク in Portuguese, downloads both PDFs, and the
counter's language card shows every language of the table on a 768 px
tablet; choosing one starts a quick contact in it.  axe finds nothing
serious.  Artifacts: test-artifacts/screenshots/test_documents_*.png and
test-artifacts/documents/browser-*.pdf"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import time, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from tests.browser.conftest import TABLET
from tests.browser.helpers import assert_page_sound
from tests.conftest import skip_or_fail

pytestmark = pytest.mark.browser
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "documents"


def _setup():
    from django.contrib.auth import get_user_model

    from consult.models import Language, Organisation
    from documents.loading import load_shipped_texts
    from documents.models import DocumentText, DocumentTranslation, OpeningHours
    from documents.services import translation_review
    from interpreters.models import Booking
    from municipalities.models import Desk
    from tests.factories import CaseFactory, ClientFactory, ConsultationFactory, InterpreterFactory, UserFactory

    load_shipped_texts(DocumentText, DocumentTranslation)
    reviewer = UserFactory(username="t-doc-reviewer", is_staff=True, is_superuser=True)
    for translation in DocumentTranslation.objects.filter(language_code__in=["vi", "pt"]).select_related("text"):
        translation_review(translation=translation, by=reviewer)

    staff = get_user_model().objects.get(username="staff-332020")
    hub = Desk.objects.get(code="KRS")
    vietnamese = Language.objects.get(code="vi")
    case = CaseFactory(
        handling_desk=hub,
        created_by=staff,
        client=ClientFactory(
            registered_desk=hub, name="グエン・ティ・マイ", name_latin="Nguyen Thi Mai", preferred_language=vietnamese
        ),
        reference=f"KRS-2026-{91000 + hub.pk:05d}",
    )
    ConsultationFactory(case=case, created_by=staff, language=vietnamese)
    start = timezone.localtime(timezone.now()).replace(hour=10, minute=0, second=0, microsecond=0) + timedelta(days=7)
    booking = Booking.objects.create(
        desk=hub,
        case=case,
        language=vietnamese,
        modality="onsite",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        place="倉敷市役所 本庁舎1階 相談室2",
        interpreter=InterpreterFactory(name="ファム・ヴァン・ナム", languages={"vi": 3}, modalities=["onsite"]),
        status="confirmed",
        requested_by=staff,
    )
    hellowork = Organisation.objects.get(code="hellowork-kurashiki")
    hellowork.address_ja = "岡山県倉敷市笹沖1378-1"
    hellowork.save()
    OpeningHours.objects.update_or_create(
        organisation=hellowork,
        defaults={"weekdays": [0, 1, 2, 3, 4], "opens_at": time(8, 30), "closes_at": time(17, 15)},
    )
    return case, booking, hellowork


def _pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _download_pdf(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with page.expect_download() as download:
        page.get_by_test_id("download-pdf").click()
    target = ARTIFACTS / name
    download.value.save_as(target)
    assert target.read_bytes().startswith(b"%PDF")
    return target


def test_documents_slip_in_vietnamese_referral_in_portuguese_and_the_language_card(
    live_server, demo_staff, new_page, sign_in, screenshot
):
    if not shutil.which("pdftotext"):
        skip_or_fail("poppler-utils (pdftotext) is not installed")
    from consult.models import Language
    from core.models import AuditEvent

    case, booking, hellowork = _setup()
    page = new_page(locale="ja-JP")
    sign_in(page, "staff-332020")

    # From the case page to its documents.
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.get_by_test_id("client-documents").click()
    page.wait_for_url(re.compile(rf"/cases/{case.pk}/documents/$"))
    assert_page_sound(page)
    screenshot(page, "documents")

    # The appointment slip in Vietnamese, from the interpreter booking.
    slip = page.get_by_test_id("document-form-slip")
    assert slip.locator("select[name=language]").input_value() == "vi"  # the client's language
    slip.locator("select[name=booking]").select_option(str(booking.pk))
    slip.locator("input[name=bring][value=residence_card]").check()
    slip.locator("input[name=bring][value=passport]").check()
    slip.get_by_test_id("show-slip").click()
    page.wait_for_selector('[data-testid="document"][data-language="vi"]')
    body = page.locator("body")
    assert body.get_attribute("data-mode") == "direct"
    text = body.inner_text()
    assert "Phiếu hẹn tư vấn lần sau" in text and "次回相談の予約票" in text
    assert "Đã sắp xếp phiên dịch (Tiếng Việt)." in text
    assert "Thẻ cư trú" in text and "Hộ chiếu" in text
    assert "相談室2" in text
    assert_page_sound(page)
    screenshot(page, "slip-vi")
    page.emulate_media(media="print")
    screenshot(page, "slip-vi-print")
    page.emulate_media(media="screen")
    # The print dialog's beforeprint event is what the audit trail hears.
    before = AuditEvent.objects.filter(action="print", case=case).count()
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    page.wait_for_timeout(500)
    assert AuditEvent.objects.filter(action="print", case=case).count() == before + 1
    pdf = _download_pdf(page, "browser-slip-vi.pdf")
    pdf_text = re.sub(r"\s", "", _pdf_text(pdf))
    assert "Phiếuhẹntưvấnlầnsau" in pdf_text and "次回相談の予約票" in pdf_text
    assert AuditEvent.objects.filter(action="print", case=case).count() == before + 2

    # The referral letter to ハローワーク in Portuguese.
    page.goto(f"{live_server.url}/cases/{case.pk}/documents/")
    referral = page.get_by_test_id("document-form-referral")
    referral.locator("select[name=language]").select_option("pt")
    referral.locator("select[name=organisation]").select_option(str(hellowork.pk))
    referral.locator("input[name=bring][value=letters]").check()
    referral.get_by_test_id("show-referral").click()
    page.wait_for_selector('[data-testid="document"][data-language="pt"]')
    text = page.locator("body").inner_text()
    assert "Carta de encaminhamento" in text and "紹介状" in text
    assert "ハローワーク倉敷中央" in text and "Procura de emprego e seguro-desemprego" in text
    assert "segunda-feira – sexta-feira 08:30–17:15" in text
    assert_page_sound(page)
    screenshot(page, "referral-pt")
    pdf = _download_pdf(page, "browser-referral-pt.pdf")
    pdf_text = re.sub(r"\s", "", _pdf_text(pdf))
    assert "Cartadeencaminhamento" in pdf_text and "ハローワーク倉敷中央" in pdf_text

    # The language card on the counter tablet.
    tablet = new_page(locale="ja-JP", viewport=TABLET)
    sign_in(tablet, "staff-332020")
    tablet.goto(f"{live_server.url}/card/")
    tiles = tablet.get_by_test_id("language-tile")
    languages = list(Language.objects.active().order_by("sort_order", "code"))
    assert tiles.count() == len(languages)
    for language in languages:
        tile = tablet.locator(f'[data-testid="language-tile"][data-code="{language.code}"]')
        assert tile.is_visible()
        assert language.autonym in tile.inner_text()
        box = tile.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44
    assert tablet.locator('.language-tile__autonym[dir="rtl"]').count() == 2  # ar, ur
    assert_page_sound(tablet)
    screenshot(tablet, "language-card-768")
    tablet.locator('[data-testid="language-tile"][data-code="ne"]').click()
    tablet.wait_for_url(re.compile(r"/consultations/quick/\?language=ne"))
    nepali = Language.objects.get(code="ne")
    assert tablet.locator("select[name=language]").input_value() == str(nepali.pk)
    screenshot(tablet, "quick-contact-ne")
