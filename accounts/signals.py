"""Receivers for sign-in, MFA, password and account changes: the session
policy marks (accounts/sessions.py) and the audit trail (accounts/audit.py).
Connected in AccountsConfig.ready."""

from __future__ import annotations

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.contrib.auth import get_user_model
from django.contrib.auth import signals as auth_signals
from django.db.models.signals import post_save

from . import mfa, sessions
from .audit import Action, audit_auth, known_user


def on_django_login(sender, request, user, **kwargs) -> None:
    # Every sign-in, however made, starts the absolute session clock.
    if request is not None and hasattr(request, "session"):
        sessions.stamp_sign_in(request)


def on_login(sender, request, user, **kwargs) -> None:
    from allauth.account.internal.flows.login import get_authentication_records

    methods = [record.get("type") or record.get("method") for record in get_authentication_records(request, user)]
    audit_auth(action=Action.LOGIN, user=user, actor=user, changes={"methods": methods})


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    # Only whether the name is known; never the name or password typed.
    user = known_user(credentials.get("username") or credentials.get("login"))
    audit_auth(action=Action.LOGIN_FAILED, user=user, summary="wrong password" if user else "unknown user name")


def on_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit_auth(action=Action.LOGOUT, user=user, actor=user)


def on_password(sender, request, user, **kwargs) -> None:
    how = {
        account_signals.password_changed: "changed",
        account_signals.password_set: "set",
        account_signals.password_reset: "reset by e-mail link",
    }.get(kwargs.get("signal"), "changed")
    audit_auth(action=Action.PASSWORD, user=user, actor=user if user.is_authenticated else None, summary=how)


def on_email_changed(sender, request, user, **kwargs) -> None:
    audit_auth(action=Action.UPDATE, user=user, actor=user, summary="e-mail address changed")


def on_authenticator_added(sender, request, user, authenticator, **kwargs) -> None:
    mfa.record_second_factor(request, user, type=authenticator.type, id=authenticator.pk)
    audit_auth(action=Action.MFA_ADDED, user=user, actor=user, summary=authenticator.type)


def on_authenticator_removed(sender, request, user, authenticator, **kwargs) -> None:
    audit_auth(action=Action.MFA_REMOVED, user=user, actor=user, summary=authenticator.type)


def on_authenticator_reset(sender, request, user, authenticator, **kwargs) -> None:
    audit_auth(action=Action.MFA_RESET, user=user, actor=user, summary=authenticator.type)


def on_mfa_failed(sender, request, user, authenticator, reauthentication=False, **kwargs) -> None:
    audit_auth(
        action=Action.MFA_FAILED,
        user=user,
        actor=user if reauthentication else None,
        summary="re-authentication" if reauthentication else "sign-in",
    )


def on_mfa_authenticated(sender, request, user, authenticator, reauthenticated=False, **kwargs) -> None:
    # A second factor at sign-in is part of the sign-in event; here only
    # the re-authentication before a sensitive change or an export.
    if reauthenticated:
        audit_auth(action=Action.REAUTH, user=user, actor=user, summary=authenticator.type)


def on_user_saved(sender, instance, created, update_fields=None, **kwargs) -> None:
    """A deactivated account loses every session at once."""
    if created or instance.is_active:
        return
    if update_fields is not None and "is_active" not in update_fields:
        return
    if sessions.end_all_sessions(instance):
        audit_auth(action=Action.SESSION_END, user=instance, summary="account deactivated")


def connect() -> None:
    auth_signals.user_logged_in.connect(on_django_login, dispatch_uid="accounts.stamp_sign_in")
    auth_signals.user_login_failed.connect(on_login_failed, dispatch_uid="accounts.audit_login_failed")
    account_signals.user_logged_in.connect(on_login, dispatch_uid="accounts.audit_login")
    account_signals.user_logged_out.connect(on_logout, dispatch_uid="accounts.audit_logout")
    for signal in (account_signals.password_changed, account_signals.password_set, account_signals.password_reset):
        signal.connect(on_password, dispatch_uid=f"accounts.audit_password_{id(signal)}")
    account_signals.email_changed.connect(on_email_changed, dispatch_uid="accounts.audit_email")
    mfa_signals.authenticator_added.connect(on_authenticator_added, dispatch_uid="accounts.mfa_added")
    mfa_signals.authenticator_removed.connect(on_authenticator_removed, dispatch_uid="accounts.mfa_removed")
    mfa_signals.authenticator_reset.connect(on_authenticator_reset, dispatch_uid="accounts.mfa_reset")
    mfa_signals.authentication_failed.connect(on_mfa_failed, dispatch_uid="accounts.mfa_failed")
    mfa_signals.authenticator_used.connect(on_mfa_authenticated, dispatch_uid="accounts.mfa_reauth")
    post_save.connect(on_user_saved, sender=get_user_model(), dispatch_uid="accounts.end_sessions_on_deactivation")
