"""The kinds of notification, registered by the features that produce them.

notifications sits below consult and interpreters (docs/decisions/0007), so
it cannot import them; each feature registers its kinds from its own
`AppConfig.ready()` (as pretix registers exporters):

    from notifications.registry import Kind, kinds

    kinds.register(Kind(
        key="consult.follow_up_due",
        label=_("Follow-up due"),
        template="follow_up_due",          # templates/emails/notifications/follow_up_due/…
        produce=produce_follow_ups_due,    # run by the periodic tick
        still_due=follow_up_still_open,    # asked again just before sending
        select_related=("case",),          # loaded with the objects, per batch
        preload=None,                      # or: load what still_due reads, per batch
    ))

A kind says *how* to tell (templates, link, whether it still matters); the
rows say *whom* and *when*.  `produce(now)` returns `Draft`s; the tick
inserts them, and the unique `occurrence_key` makes a second insert a no-op —
so a producer may run every minute and still create each reminder once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .models import Channel

if TYPE_CHECKING:
    from .models import Notification


@dataclass(frozen=True)
class Draft:
    """One reminder occurrence a producer wants told."""

    recipient_id: int | None  # a staff member, or None with `email` for someone outside the portal
    occurrence_key: str
    obj: Any = None
    desk_id: int | None = None
    at: datetime | None = None  # when it becomes due; now when None
    email: str = ""  # someone outside the portal (an interpreter): always by e-mail
    language: str = ""  # …in this language (default: the site's)


@dataclass(frozen=True)
class Kind:
    key: str
    label: Any
    template: str
    produce: Callable[[datetime], Iterable[Draft]] | None = None
    still_due: Callable[[Notification, Any], bool] | None = None
    context: Callable[[Notification, Any], dict] | None = None
    url: Callable[[Notification, Any], str] | None = None
    default_channel: str = Channel.EMAIL
    description: Any = ""
    # Relations of the object that `context` and `url` read, loaded with it
    # (a batch of deliveries loads its objects in one query per kind).
    select_related: tuple[str, ...] = ()
    # Called once per delivery batch with the objects of this kind's rows
    # (already loaded with select_related): loads what `still_due` and
    # `context` would otherwise query row by row (a consent, …), in a few
    # queries for the whole batch, and keeps it on the objects.
    preload: Callable[[list[Any]], None] | None = None
    extra: dict = field(default_factory=dict)

    def subject_template(self) -> str:
        return f"emails/notifications/{self.template}/subject.txt"

    def text_template(self) -> str:
        return f"emails/notifications/{self.template}/body.txt"

    def html_template(self) -> str:
        return f"emails/notifications/{self.template}/body.html"


class KindRegistry:
    def __init__(self) -> None:
        self._kinds: dict[str, Kind] = {}

    def register(self, kind: Kind) -> Kind:
        existing = self._kinds.get(kind.key)
        if existing is not None and existing != kind:
            raise ValueError(f"notification kind {kind.key!r} is already registered")
        self._kinds[kind.key] = kind
        return kind

    def unregister(self, key: str) -> None:
        self._kinds.pop(key, None)

    def get(self, key: str) -> Kind | None:
        return self._kinds.get(key)

    def __contains__(self, key: str) -> bool:
        return key in self._kinds

    def all(self) -> list[Kind]:
        return sorted(self._kinds.values(), key=lambda kind: kind.key)

    def choices(self) -> list[tuple[str, Any]]:
        return [(kind.key, kind.label) for kind in self.all()]


kinds = KindRegistry()
