from allauth.account.forms import LoginForm


class StaffLoginForm(LoginForm):
    """allauth's sign-in form with the cursor already in the user name field:
    staff sign in many times a day (issue 9)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].widget.attrs["autofocus"] = True
