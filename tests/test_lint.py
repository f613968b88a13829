"""The code passes ruff (its configuration is in pyproject.toml), so the test command runs the linter."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _ruff() -> list[str]:
    beside = Path(sys.executable).with_name("ruff")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("ruff")
    if found is None:
        pytest.fail("ruff is not installed: it is pinned in the 'test' extra of pyproject.toml")
    return [found]


def test_ruff_passes_on_course_and_tests():
    result = subprocess.run([*_ruff(), "check", "course", "tests"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
