"""The suite hashes passwords with a fast hasher (tests/conftest.py,
_fast_password_hashing); the portal itself must not."""

from __future__ import annotations

import subprocess
import sys

from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher, check_password, make_password

from tests.test_ops_deploy import ROOT, production_env

# One process with the production settings: the configured hashers, then a new hash and its check.
_PRODUCTION_HASHING = (
    "import django; django.setup(); "
    "from django.conf import settings; "
    "from django.contrib.auth.hashers import make_password, check_password; "
    "encoded = make_password('pw-2026'); "
    "print(*settings.PASSWORD_HASHERS); print(encoded.split('$')[0]); print(check_password('pw-2026', encoded))"
)


def test_production_settings_hash_with_pbkdf2_and_know_no_md5():
    result = subprocess.run(
        [sys.executable, "-c", _PRODUCTION_HASHING], cwd=ROOT, env=production_env(), capture_output=True,
        text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    hashers, algorithm, checked = result.stdout.splitlines()
    assert not any("MD5" in hasher for hasher in hashers.split())
    assert algorithm == "pbkdf2_sha256"
    assert checked == "True"


def test_the_suite_hashes_fast_and_still_checks_a_production_hash():
    assert settings.PASSWORD_HASHERS[0].endswith("MD5PasswordHasher")
    assert make_password("pw-2026").startswith("md5$")
    hasher = PBKDF2PasswordHasher()
    production_hash = hasher.encode("pw-2026", hasher.salt(), iterations=1_000)
    assert check_password("pw-2026", production_hash)
