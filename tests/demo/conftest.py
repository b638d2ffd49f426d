import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(fast_password_hasher):
    """Every test here creates demo users; see tests/conftest.py."""
