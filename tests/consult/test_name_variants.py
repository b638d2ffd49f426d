"""consult.names: the searchable forms of a name come out in one order in every process."""

from __future__ import annotations

import subprocess
import sys

from consult import names
from tests.test_ops_deploy import ROOT


def test_a_kana_name_gives_its_romaji_before_the_simplified_spelling():
    assert names.name_variants("たろう") == ["たろう", "tarou", "taro"]


def test_the_variants_do_not_depend_on_the_process_hash_seed():
    """A set ordered tarou/taro differently from one process to the next;
    the stored search text and the intake's data-search attributes with it."""
    script = "from consult import names; print(names.search_text('田中 たろう', 'ゆうき'))"
    outputs = set()
    for seed in range(1, 9):
        result = subprocess.run(
            [sys.executable, "-c", script], cwd=ROOT, env={"PYTHONHASHSEED": str(seed), "PATH": "/usr/bin:/bin"},
            capture_output=True, text=True, check=True, timeout=60,
        )  # fmt: skip
        outputs.add(result.stdout)
    assert len(outputs) == 1, outputs
    assert "tarou" in outputs.pop()
