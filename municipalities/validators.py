import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_CODE_RE = re.compile(r"^\d{6}$")


def local_government_check_digit(first_five: str) -> int:
    """Check digit of a 全国地方公共団体コード: (11 - (6a+5b+4c+3d+2e) mod 11) mod 10."""
    total = sum(int(digit) * weight for digit, weight in zip(first_five, (6, 5, 4, 3, 2), strict=True))
    return (11 - total % 11) % 10


def validate_local_government_code(value: str) -> None:
    if not _CODE_RE.match(value or ""):
        raise ValidationError(_("A local government code has exactly 6 digits (for example 332020)."), code="format")
    expected = local_government_check_digit(value[:5])
    if int(value[5]) != expected:
        raise ValidationError(
            _("%(code)s has a wrong check digit: the last digit should be %(expected)s."),
            code="check_digit",
            params={"code": value, "expected": expected},
        )
