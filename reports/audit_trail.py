"""The audit trail for the auditor (issue 12 point 10): who did what to which
case, when and from where — filtered, paged newest first, exported.

Why here: reading the trail means naming cases (consult), desks and people
(municipalities, accounts) — a higher layer than core, which only writes it
(core/audit.py) — and exporting it uses the exporter registry; reports is the
layer that reads everything (docs/decisions/0016).

Scope: what the person holds `view_audit_trail` for — events at the desks
they see with it, events about cases those desks handle, and desk-less
events (sign-ins, account changes) of people who are members of those
desks' municipalities.  Anything else stays out, as every list does."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django import forms
from django.apps import apps
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import AuditEvent
from municipalities.models import Membership
from municipalities.roles import Capability
from municipalities.visibility import visible_desk_ids

PER_PAGE = 50
# Far enough back for any audit, and no year Python cannot add a day to.
OLDEST, NEWEST = date(2000, 1, 1), date(2100, 12, 31)
# Object types the trail records, labelled by their model's verbose name.
AUDITED_APPS = ("consult", "interpreters", "reports", "accounts", "municipalities", "core")


def object_type_choices() -> list[tuple[str, str]]:
    choices = [
        (model._meta.label_lower, str(model._meta.verbose_name))
        for app in AUDITED_APPS
        for model in apps.get_app_config(app).get_models()
    ]
    return [("", _("all")), *sorted(choices, key=lambda c: c[1])]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class AuditFilterForm(forms.Form):
    """Every field optional; an invalid one is reported and ignored."""

    who = forms.CharField(label=_("Who (user name or name)"), required=False, max_length=100)
    action = forms.ChoiceField(label=_("What was done"), required=False)
    object_type = forms.ChoiceField(label=_("Record type"), required=False)
    case = forms.CharField(label=_("Case (reference number)"), required=False, max_length=32)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Until"), required=False, widget=DateInput())
    address = forms.CharField(
        label=_("From where (IP address or network)"),
        required=False,
        max_length=50,
        help_text=_("e.g. 10.20.0.15 or 10.20.0.0/16"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("all")), *AuditEvent.Action.choices]
        self.fields["object_type"].choices = object_type_choices()

    def clean_address(self) -> str:
        value = self.cleaned_data["address"].strip()
        if value:
            try:
                return str(ipaddress.ip_network(value, strict=False))
            except ValueError:
                raise forms.ValidationError(_("Enter an IP address or a network such as 10.20.0.0/16.")) from None
        return value

    def _clean_day(self, name: str) -> date | None:
        value = self.cleaned_data.get(name)
        if value and not OLDEST <= value <= NEWEST:
            raise forms.ValidationError(_("Enter a date between 2000 and 2100."))
        return value

    def clean_date_from(self):
        return self._clean_day("date_from")

    def clean_date_to(self):
        return self._clean_day("date_to")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned

    def filters(self) -> AuditFilters:
        data = self.cleaned_data if self.is_bound and self.is_valid() else getattr(self, "cleaned_data", {})
        return AuditFilters(**{name: data.get(name) or None for name in AuditFilters.__dataclass_fields__})


@dataclass(frozen=True)
class AuditFilters:
    who: str | None = None
    action: str | None = None
    object_type: str | None = None
    case: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    address: str | None = None

    def as_params(self) -> dict[str, str]:
        return {k: v.isoformat() if isinstance(v, date) else v for k, v in self.__dict__.items() if v}


def audit_scope_q(user) -> Q:
    desks = visible_desk_ids(user, Capability.VIEW_AUDIT_TRAIL)
    if not desks:
        return Q(pk__in=[])
    members = Membership.objects.filter(municipality__desks__in=desks).values("user_id")
    return (
        Q(desk_id__in=desks)
        | Q(desk__isnull=True, case__handling_desk_id__in=desks)
        | Q(desk__isnull=True, case__isnull=True, actor_id__in=members)
    )


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


def audit_events(user, filters: AuditFilters) -> QuerySet[AuditEvent]:
    """The events `user` may see, narrowed by `filters`, newest first."""
    qs = AuditEvent.objects.filter(audit_scope_q(user))
    if filters.who:
        qs = qs.filter(Q(actor__username__icontains=filters.who) | Q(actor__display_name__icontains=filters.who))
    if filters.action:
        qs = qs.filter(action=filters.action)
    if filters.object_type:
        qs = qs.filter(object_type=filters.object_type)
    if filters.case:
        qs = qs.filter(case__reference__istartswith=filters.case.strip())
    if filters.date_from:
        qs = qs.filter(at__gte=_day_start(filters.date_from))
    if filters.date_to:
        qs = qs.filter(at__lt=_day_start(filters.date_to + timedelta(days=1)))
    if filters.address:
        qs = qs.alias(
            in_network=RawSQL("core_auditevent.ip_address <<= %s::inet", [filters.address], output_field=BooleanField())
        ).filter(in_network=True)
    return qs.order_by("-at", "-id")


def with_labels(qs: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
    return qs.select_related("actor", "case", "desk")


def page_after(qs: QuerySet[AuditEvent], cursor: str | None) -> tuple[list[AuditEvent], str | None]:
    """Keyset paging on (at, id), newest first: a page costs the same however
    deep (the trail grows by millions of rows).  `cursor` is "<iso at>|<id>"."""
    if cursor:
        try:
            at_text, id_text = cursor.split("|", 1)
            at, pk = datetime.fromisoformat(at_text), int(id_text)
        except ValueError:
            at = pk = None
        if at is not None and timezone.is_aware(at):
            qs = qs.filter(Q(at__lt=at) | Q(at=at, id__lt=pk))
    rows = list(with_labels(qs)[: PER_PAGE + 1])
    more = len(rows) > PER_PAGE
    rows = rows[:PER_PAGE]
    next_cursor = f"{rows[-1].at.isoformat()}|{rows[-1].pk}" if more else None
    return rows, next_cursor
