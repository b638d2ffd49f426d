from allauth.account.forms import LoginForm
from allauth.core import context
from allauth.mfa.totp.forms import ActivateTOTPForm

from .mfa import record_second_factor


class StaffLoginForm(LoginForm):
    """allauth's sign-in form with the cursor already in the user name field:
    staff sign in many times a day (issue 9)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].widget.attrs["autofocus"] = True


class StaffActivateTOTPForm(ActivateTOTPForm):
    """allauth's TOTP set-up.  The right code right after a password
    re-authentication (allauth asks for one first) is a second factor: the
    session then counts as signed in with MFA (accounts/mfa.py)."""

    def clean_code(self) -> str:
        code = super().clean_code()
        record_second_factor(context.request, self.user, type="totp")
        return code
