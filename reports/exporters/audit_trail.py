"""The audit trail export (issue 12 point 10): the rows of /reports/audit/
under the same filters and the same scope.  Personal data (the values typed
into changed fields) only with the personal-data export capability; the
summary names no person, by the audit trail's own rule (core/models.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import AuditEvent
from municipalities.roles import Capability

from ..audit_trail import AuditFilterForm, audit_events
from . import Exporter, register

CHUNK = 2000


@register
class AuditTrailExporter(Exporter):
    identifier = "audit_trail"
    label = gettext_lazy("Audit trail")
    required_capability = Capability.VIEW_AUDIT_TRAIL
    form_class = AuditFilterForm

    def _queryset(self):
        form = AuditFilterForm(self.params)
        form.is_valid()
        return audit_events(self.user, form.filters())

    def count(self) -> int:
        return self._queryset().count()

    def header(self) -> list[str]:
        columns = [
            _("when"),
            _("user name"),
            _("who"),
            _("action"),
            _("record type"),
            _("record id"),
            _("reference number"),
            _("desk"),
            _("IP address"),
            _("summary"),
        ]
        if self.personal:
            columns.append(_("changes"))
        return columns

    def rows(self) -> Iterator[list]:
        actions = dict(AuditEvent.Action.choices)
        qs = self._queryset().values_list(
            "pk",
            "at",
            "actor__username",
            "actor__display_name",
            "action",
            "object_type",
            "object_id",
            "case__reference",
            "desk__name",
            "ip_address",
            "summary",
            "changes",
        )
        tz = timezone.get_default_timezone()
        # Keyset pages on (at, id), newest first: constant memory.
        cursor = None
        while True:
            page = qs.filter(Q(at__lt=cursor[0]) | Q(at=cursor[0], id__lt=cursor[1])) if cursor else qs
            page = list(page[:CHUNK])
            if not page:
                return
            for _pk, at, username, name, action, otype, oid, ref, desk, ip, summary, changes in page:
                row = [
                    timezone.localtime(at, tz).strftime("%Y-%m-%d %H:%M:%S"),
                    username or "",
                    name or "",
                    str(actions.get(action, action)),
                    otype,
                    oid,
                    ref or "",
                    desk or "",
                    ip or "",
                    summary,
                ]
                if self.personal:
                    row.append(json.dumps(changes, ensure_ascii=False) if changes else "")
                yield row
            cursor = (page[-1][1], page[-1][0])
