from allauth.account.adapter import DefaultAccountAdapter


class StaffAccountAdapter(DefaultAccountAdapter):
    """Staff portal: nobody signs themselves up.  Administrators create or
    invite staff (admin site or `manage.py`); password reset is by e-mail."""

    def is_open_for_signup(self, request) -> bool:
        return False
