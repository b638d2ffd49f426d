from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from municipalities.roles import Capability
from municipalities.visibility import user_can


def _nav(user) -> list[dict]:
    """The main navigation.  Later features add their entries here; an entry
    shows only to people holding its capability."""
    entries = [
        {"label": _("Home"), "url": reverse("home"), "name": "home", "cap": None},
        {
            "label": _("Intake"),
            "url": reverse("consult:consultation_new"),
            "name": "consultation_new",
            "cap": Capability.LOG_CONSULTATIONS,
        },
        {
            "label": _("Case list"),
            "url": reverse("consult:case_list"),
            "name": "case_list",
            "cap": Capability.VIEW_CASES,
        },
        {
            "label": _("Hand-offs"),
            "url": reverse("consult:handoff_inbox"),
            "name": "handoff_inbox",
            "cap": Capability.FORWARD_CASES,
        },
        {
            "label": _("Interpreters"),
            "url": reverse("interpreters:interpreter_list"),
            "name": "interpreter_list",
            "cap": Capability.VIEW_CASES,
        },
        {
            "label": _("Statistics"),
            "url": reverse("reports:dashboard"),
            "name": "dashboard",
            "cap": Capability.VIEW_STATISTICS,
        },
        {"label": _("Desks"), "url": reverse("desk_list"), "name": "desk_list", "cap": Capability.VIEW_DESKS},
        {
            "label": _("Audit trail"),
            "url": reverse("reports:audit_list"),
            "name": "audit_list",
            "cap": Capability.VIEW_AUDIT_TRAIL,
        },
    ]
    return [e for e in entries if e["cap"] is None or user_can(user, e["cap"])]


def portal(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    match = getattr(request, "resolver_match", None)
    return {
        "nav": _nav(user),
        "current_url_name": match.url_name if match else "",
        # static/js/session.js warns before the idle timeout (SESSION_IDLE_SECONDS).
        "session_idle_seconds": settings.SESSION_COOKIE_AGE,
        "session_warning_seconds": settings.SESSION_WARNING_SECONDS,
    }
