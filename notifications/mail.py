"""E-mail for notifications: rendered from templates in the recipient's UI
language, with times in Asia/Tokyo (CONVENTIONS "Language")."""

from __future__ import annotations

import email.policy
import hashlib
from email.headerregistry import HeaderRegistry
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.template.loader import render_to_string
from django.utils import timezone, translation

OFFICE_TZ = ZoneInfo("Asia/Tokyo")


class _CachingHeaderRegistry(HeaderRegistry):
    """The standard library's header registry builds a new class for every
    header it parses (`type(...)` in `HeaderRegistry.__getitem__`): some 25
    per message, most of the cost of building one.  The classes are
    stateless, so one per header name does the same work; the bytes on the
    wire are identical (tests/notifications/test_delivery.py)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._classes: dict[str, type] = {}

    def map_to_type(self, name, cls):
        super().map_to_type(name, cls)
        self._classes.clear()

    def __getitem__(self, name):
        key = name.lower()
        cls = self._classes.get(key)
        if cls is None:
            cls = self._classes[key] = super().__getitem__(name)
        return cls


_fast_policies: dict[int, tuple[email.policy.Policy, email.policy.Policy]] = {}


def fast_policy(policy: email.policy.Policy) -> email.policy.Policy:
    """`policy` with the caching header registry (the same policy otherwise);
    a policy with a header factory of its own is left alone."""
    known = _fast_policies.get(id(policy))
    if known is not None and known[0] is policy:
        return known[1]
    factory = getattr(policy, "header_factory", None)
    if type(factory) is not HeaderRegistry:
        return policy
    registry = _CachingHeaderRegistry(factory.base_class, factory.default_class, use_default_map=False)
    registry.registry.update(factory.registry)
    fast = policy.clone(header_factory=registry)
    _fast_policies[id(policy)] = (policy, fast)
    return fast


class NotificationEmail(EmailMultiAlternatives):
    """A notification e-mail: built by the mail backend (SMTP, locmem, …)
    with the policy it asks for, through the caching header registry."""

    def message(self, *, policy=email.policy.default):
        return super().message(policy=fast_policy(policy))


def absolute(url: str) -> str:
    if url.startswith(("http://", "https://")):
        return url
    return settings.PORTAL_BASE_URL.rstrip("/") + url


def message_id(key: str) -> str:
    """The Message-ID of the e-mail for one occurrence: a function of its
    occurrence key only (no time, no attempt, no host), so a message sent
    again after a crash (docs/decisions/0021) carries the same Message-ID as
    the first copy and the recipient's mailbox folds the two into one."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "madoguchi.local"
    return f"<notification-{digest}@{domain}>"


def digest_message_id(occurrence_keys: list[str]) -> str:
    """A digest's: a function of the occurrences it carries, in order.  The
    same digest sent again carries the same Message-ID; a digest that
    carries one more occurrence is a different message."""
    return message_id("digest:" + ",".join(occurrence_keys))


def item_context(notification, obj, kind) -> dict:
    url = kind.url(notification, obj) if kind.url else ""
    context = {
        "notification": notification,
        "object": obj,
        "kind": kind,
        "url": absolute(url) if url else "",
        "recipient": notification.recipient,
    }
    if kind.context:
        context.update(kind.context(notification, obj))
    return context


def render_subject(notification, obj, kind) -> str:
    return " ".join(render_to_string(kind.subject_template(), item_context(notification, obj, kind)).split())


def _render(notification, obj, kind) -> tuple[str, str, str]:
    context = item_context(notification, obj, kind)
    context["inbox_url"] = absolute("/notifications/")
    subject = " ".join(render_to_string(kind.subject_template(), context).split())
    context["subject"] = subject
    return subject, render_to_string(kind.text_template(), context), render_to_string(kind.html_template(), context)


def _send(message, connection) -> None:
    (connection or mailers.default).send_messages([message])


def send_one(notification, obj, kind, *, connection=None) -> None:
    with translation.override(notification.email_language), timezone.override(OFFICE_TZ):
        subject, text, html = _render(notification, obj, kind)
        message = NotificationEmail(
            subject=subject,
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[notification.email_address],
            headers={"Message-ID": message_id(notification.occurrence_key)},
        )
        message.attach_alternative(html, "text/html")
    _send(message, connection)


def send_digest(recipient, items, *, connection=None) -> None:
    """`items`: (notification, object, kind) rows, oldest first."""
    with translation.override(recipient.ui_language or settings.LANGUAGE_CODE), timezone.override(OFFICE_TZ):
        entries = []
        for notification, obj, kind in items:
            context = item_context(notification, obj, kind)
            entries.append({"subject": render_subject(notification, obj, kind), "url": context["url"]})
        context = {
            "recipient": recipient,
            "entries": entries,
            "inbox_url": absolute("/notifications/"),
            "today": timezone.localdate(),
        }
        subject = " ".join(render_to_string("emails/notifications/digest/subject.txt", context).split())
        context["subject"] = subject
        message = NotificationEmail(
            subject=subject,
            body=render_to_string("emails/notifications/digest/body.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[recipient.email],
            headers={"Message-ID": digest_message_id([n.occurrence_key for n, _o, _k in items])},
        )
        message.attach_alternative(render_to_string("emails/notifications/digest/body.html", context), "text/html")
    _send(message, connection)
