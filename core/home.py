"""The home page is a work queue made of panels (issue 9, §1).

Core is the lowest layer: it may not import consult, interpreters or
reports, yet the home page must show their work.  So core keeps the page
and a registry of panels; each app registers the panels it owns in its
AppConfig.ready() (consult: follow-ups due, my open cases, waiting cases,
recent consultations at my desk; forwarding later: hand-offs waiting for my
desk; reports: the statistics entry).  Why not move the home view up to
consult: then administrators' and statistics viewers' home pages — which
show nothing of consult — would live in consult, and every later app would
have to edit consult's view to add its panel.  See
docs/decisions/0008-home-work-queue.md.

A panel is a function `(request) -> Panel | None` (None: not for this
person).  It must cost a constant number of queries, whatever the number of
items (a count and one short list), on indexes that lead with the user or
the desk, so the page stays cheap at 1,000,000 consultations.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from municipalities.roles import Capability
from municipalities.visibility import user_can

LIST_LENGTH = 5


@dataclass
class Item:
    label: str
    url: str
    meta: str = ""
    badge: str = ""  # "danger" | "warning" | "info" | ""
    badge_text: str = ""


@dataclass
class Panel:
    key: str
    title: str
    items: list[Item] = field(default_factory=list)
    count: int | None = None  # None: no count shown (a list of links)
    more_url: str = ""
    more_label: str = ""
    empty: str = ""
    lead: str = ""


@dataclass(frozen=True)
class _Registered:
    key: str
    order: int
    build: Callable


_PANELS: dict[str, _Registered] = {}


def register_panel(key: str, build: Callable, *, order: int = 100) -> None:
    """Add (or replace) a home panel; lower `order` comes first."""
    _PANELS[key] = _Registered(key, order, build)


def panels_for(request) -> list[Panel]:
    out = []
    for registered in sorted(_PANELS.values(), key=lambda r: (r.order, r.key)):
        panel = registered.build(request)
        if panel is not None:
            out.append(panel)
    return out


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


# --- core's own panels ---------------------------------------------------------
def administration_panel(request) -> Panel | None:
    """Administrators: what they administer, in the admin site."""
    user = request.user
    can_users = user_can(user, Capability.MANAGE_USERS)
    can_reference = user_can(user, Capability.MANAGE_REFERENCE_DATA)
    can_audit = user_can(user, Capability.VIEW_AUDIT_TRAIL)
    if not (can_users or can_reference or (can_audit and user.is_staff)):
        return None
    links = []
    if can_users:
        links += [
            (_("Staff users"), "admin:accounts_user_changelist"),
            (_("Memberships and roles"), "admin:municipalities_membership_changelist"),
        ]
    if can_reference:
        links += [
            (_("Municipalities"), "admin:municipalities_municipality_changelist"),
            (_("Desks"), "admin:municipalities_desk_changelist"),
            (_("Languages"), "admin:consult_language_changelist"),
            (_("Topics"), "admin:consult_topic_changelist"),
            (_("Residence statuses"), "admin:consult_residencestatus_changelist"),
            (_("Organisations"), "admin:consult_organisation_changelist"),
        ]
    if can_audit:
        links.append((_("Audit trail"), "admin:core_auditevent_changelist"))
    links.append((_("Admin site"), "admin:index"))
    items = [Item(label=str(label), url=url) for label, name in links if (url := _url(name))]
    return Panel(
        key="administration",
        title=_("Administration"),
        items=items,
        lead=_("Users, roles, reference data and the audit trail are kept in the admin site."),
    )


# The reports app names its dashboard "statistics"; until it exists the
# panel says so instead of linking to nothing.
STATISTICS_URL_NAME = "statistics"


def statistics_panel(request) -> Panel | None:
    if not user_can(request.user, Capability.VIEW_STATISTICS):
        return None
    url = _url(STATISTICS_URL_NAME)
    return Panel(
        key="statistics",
        title=_("Statistics"),
        items=[Item(label=str(_("Open the statistics")), url=url)] if url else [],
        empty=_("The statistics pages are not available yet."),
        lead=_("Consultations counted by month, language, topic and municipality for the municipalities you may see."),
    )


register_panel("administration", administration_panel, order=900)
register_panel("statistics", statistics_panel, order=800)
