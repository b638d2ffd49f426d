"""The language card and the documents handed to the client.  Thin views:
check access, bind a form, build, render (HTML or PDF)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET

from consult.access import case_access, get_case_for_user
from consult.models import Language
from core.audit import audit_log, audit_views
from municipalities.roles import Capability
from municipalities.visibility import user_can

from .build import BUILDERS, client_display_name
from .forms import FORMS
from .furigana import furigana
from .models import DocumentText
from .pdf import render_pdf

START_CHOICES = ("quick", "intake")


@require_GET
def language_card(request):
    """ "Point at your language": the counter tablet's card.  Choosing a
    language starts a quick contact (or the intake) in it."""
    if not user_can(request.user, Capability.LOG_CONSULTATIONS):
        raise PermissionDenied
    start = request.GET.get("start", "quick")
    if start not in START_CHOICES:
        start = "quick"
    target = reverse("consult:consultation_quick" if start == "quick" else "consult:consultation_new")
    languages = [
        {"language": language, "url": f"{target}?language={language.code}"}
        for language in Language.objects.active().order_by("sort_order", "code")
    ]
    point = DocumentText.objects.filter(key="card.point").first()
    english = point.translations.filter(language_code="en").first() if point is not None else None
    context = {
        "languages": languages,
        "start": start,
        "point_easy": furigana(point.easy_japanese) if point is not None else "",
        "point_en": english.translation if english is not None else "Point at your language",
    }
    return render(request, "documents/card.html", context)


def _case_for_documents(request, pk: int):
    case = get_case_for_user(request.user, pk)
    if not case_access(request.user, case).can_see_details:
        raise PermissionDenied
    return case


def _initial_language(case) -> str:
    if case.client_id and case.client.preferred_language_id:
        return case.client.preferred_language.code
    last = case.consultations.order_by("-occurred_at").select_related("language").first()
    return last.language.code if last is not None else "ja"


def _forms_page(request, case, *, bound=None, status=200):
    language = _initial_language(case)
    forms = {
        kind: form_class(initial={"language": language}, case=case, auto_id=f"{kind}_%s")
        for kind, form_class in FORMS.items()
    }
    if bound is not None:
        forms[bound[0]] = bound[1]
    return render(
        request,
        "documents/case_documents.html",
        {"case": case, "forms": forms, "client_name": client_display_name(case)},
        status=status,
    )


@require_GET
def case_documents(request, pk: int):
    case = _case_for_documents(request, pk)
    audit_views(actor=request.user, shown=[(case, case, case.handling_desk)], summary="documents")
    return _forms_page(request, case)


@require_GET
def case_document(request, pk: int, kind: str):
    if kind not in BUILDERS:
        raise Http404
    case = _case_for_documents(request, pk)
    form = FORMS[kind](request.GET, case=case, auto_id=f"{kind}_%s")
    if not form.is_valid():
        return _forms_page(request, case, bound=(kind, form))
    language = form.cleaned_data["language"]
    document = BUILDERS[kind](case=case, language=language, data=form.cleaned_data)
    as_pdf = request.GET.get("format") == "pdf"
    context = {
        "case": case,
        "kind": kind,
        "language": language,
        "document": document,
        "texts": document["texts"],
        "pdf": as_pdf,
        "query": request.GET.urlencode(),
        "pdf_url": f"{request.path}?{_with_format(request.GET, 'pdf')}",
    }
    summary = f"{kind} {language.code}"
    if as_pdf:
        html = render_to_string("documents/document.html", context, request=request)
        pdf = render_pdf(html)
        # A downloaded PDF leaves the building like a printed page.
        audit_log(actor=request.user, action="print", obj=case, case=case, desk=case.handling_desk, summary=summary)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{case.reference}-{kind}-{language.code}.pdf"'
        return response
    audit_views(actor=request.user, shown=[(case, case, case.handling_desk)], summary=f"document {summary}")
    return render(request, "documents/document.html", context)


def _with_format(query, value: str) -> str:
    params = query.copy()
    params["format"] = value
    return params.urlencode()
