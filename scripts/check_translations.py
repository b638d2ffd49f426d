#!/usr/bin/env python
"""Fail when the Japanese catalogue has an untranslated or fuzzy entry, or
when the code holds a string the catalogue does not (makemessages is run
into a temporary copy, so the working tree is not touched)."""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IGNORES = ["--ignore=.venv", "--ignore=node_modules", "--ignore=static/vendor", "--ignore=data", "--ignore=tests"]


def untranslated(po_path: Path) -> list[str]:
    import polib

    return [
        ("fuzzy: " if "fuzzy" in e.flags else "untranslated: ") + e.msgid
        for e in polib.pofile(str(po_path))
        if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)
    ]


def main() -> int:
    po = ROOT / "locale" / "ja" / "LC_MESSAGES" / "django.po"
    if not po.exists():
        print(f"missing {po}")
        return 1
    # makemessages also writes into ./locale (it adds the current folder's
    # locale/ to LOCALE_PATHS): keep the working tree as it was.
    originals = {path: path.read_bytes() for path in (ROOT / "locale").glob("*/LC_MESSAGES/django.po")}
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "locale"
        shutil.copytree(ROOT / "locale", copy)
        try:
            subprocess.run(
                [sys.executable, "manage.py", "makemessages", "-l", "ja", "--no-obsolete", *IGNORES],
                cwd=ROOT,
                check=True,
                capture_output=True,
                env={**__import__("os").environ, "MADOGUCHI_LOCALE_DIR": str(copy)},
            )
        finally:
            for path, content in originals.items():
                if path.read_bytes() != content:
                    path.write_bytes(content)
        problems = untranslated(copy / "ja" / "LC_MESSAGES" / "django.po")
    if problems:
        print(f"{len(problems)} Japanese strings need a translation (run `make messages`, then translate):")
        for line in problems[:50]:
            print("  ", line)
        return 1
    print("Japanese catalogue complete")
    return 0


if __name__ == "__main__":
    sys.exit(main())
