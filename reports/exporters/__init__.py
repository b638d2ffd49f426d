"""The exporter registry (pretix's pattern): one module per exporter in this
package, each a subclass of `Exporter` decorated with `@register`.

An exporter names itself (`identifier`, `label`), the capability it needs,
the form its parameters come from, and yields rows — the same rows for CSV
and XLSX (reports/writers.py).  `personal` is decided by the caller from the
`export_personal_data` capability; an exporter must leave out names,
contact details and notes when it is False."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from django import forms

from municipalities.roles import Capability

EXPORTERS: dict[str, type[Exporter]] = {}


class Exporter:
    identifier: ClassVar[str]
    label: ClassVar[str]
    required_capability: ClassVar[str] = Capability.EXPORT_ANONYMISED
    form_class: ClassVar[type[forms.Form]] = forms.Form

    def __init__(self, *, user, params: dict, personal: bool):
        self.user = user
        self.params = params
        self.personal = personal

    def header(self) -> list[str]:
        raise NotImplementedError

    def rows(self) -> Iterator[list]:
        raise NotImplementedError

    def count(self) -> int:
        raise NotImplementedError


def register(cls: type[Exporter]) -> type[Exporter]:
    if cls.identifier in EXPORTERS:
        raise ValueError(f"exporter {cls.identifier!r} registered twice")
    EXPORTERS[cls.identifier] = cls
    return cls


def get_exporter(identifier: str) -> type[Exporter]:
    return EXPORTERS[identifier]


from . import audit_trail, case_list, cost_share  # noqa: E402,F401  (register themselves)
