"""The shared cache's keys are the same in every process: the task worker stores a PDF under the
key the app's processes look for. Python seeds string hashes afresh in each process, so a set's
order (and its repr) differs from one to the next; the fingerprint does not."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SECTORS = "{'business', 'other', 'police_fire_justice', 'health', 'other_public'}"
CODE = f"""
import dataclasses
from lib.fingerprint import fingerprint

@dataclasses.dataclass(frozen=True)
class Cell:
    label: str
    sectors: frozenset

cell = Cell("Other sectors together", frozenset({SECTORS}))
print(repr(cell), fingerprint([cell, {{"k": 5}}]))
"""


def run(seed: int) -> tuple[str, str]:
    out = subprocess.run(  # noqa: S603 - this Python on our own code
        [sys.executable, "-c", CODE],
        cwd=ROOT,
        env={"PYTHONHASHSEED": str(seed), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    text, digest = out.rsplit(" ", 1)
    return text, digest.strip()


def test_a_reports_fingerprint_is_the_same_in_every_process():
    runs = [run(seed) for seed in range(1, 9)]
    assert len({text for text, _ in runs}) > 1  # repr alone would give several keys
    assert len({digest for _, digest in runs}) == 1
