import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# ASCII digits only and the whole value: `\d` would accept full-width and
# other Unicode digits (３３２０２０) and `$` a trailing newline, which the
# database's CHECK constraint then rejects with an unreadable error.
_CODE_RE = re.compile(r"[0-9]{6}")


def local_government_check_digit(first_five: str) -> int:
    """Check digit of a 全国地方公共団体コード: (11 - (6a+5b+4c+3d+2e) mod 11) mod 10."""
    if not re.fullmatch(r"[0-9]{5}", first_five):
        raise ValueError(f"expected the first 5 ASCII digits of a code, got {first_five!r}")
    total = sum(int(digit) * weight for digit, weight in zip(first_five, (6, 5, 4, 3, 2), strict=True))
    return (11 - total % 11) % 10


def validate_local_government_code(value: str) -> None:
    if not isinstance(value, str) or not _CODE_RE.fullmatch(value):
        raise ValidationError(_("A local government code has exactly 6 digits (for example 332020)."), code="format")
    expected = local_government_check_digit(value[:5])
    if int(value[5]) != expected:
        raise ValidationError(
            _("%(code)s has a wrong check digit: the last digit should be %(expected)s."),
            code="check_digit",
            params={"code": value, "expected": expected},
        )
