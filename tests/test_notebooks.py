"""Notebook hygiene: outputs stripped, every notebook starts with course.setup(), exercises in sync."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(p for d in ("notebooks", "exercises", "solutions", "notebooks/en", "exercises/en", "solutions/en",
                                "materials/notebooks", "materials/exercises")
                   for p in (ROOT / d).glob("*.ipynb"))


def test_there_are_notebooks():
    assert (ROOT / "notebooks" / "00_start.ipynb") in NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_outputs_stripped_and_setup_first(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code, "a notebook without code"
    for cell in code:
        assert not cell.get("outputs") and cell.get("execution_count") is None, "commit notebooks without outputs"
    first = "".join(code[0]["source"])
    assert "course.setup(" in first, "the first code cell runs course.setup()"


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if p.parent.name == "notebooks"],
                         ids=lambda p: p.name)
def test_course_notebook_skeleton(path):
    text = "\n".join("".join(c["source"]) for c in json.loads(path.read_text(encoding="utf-8"))["cells"]
                     if c["cell_type"] == "markdown")
    for heading in ("Læringsmål", "Forudsætninger", "Tidsforbrug", "Opsummering", "Hvad nu"):
        assert heading in text, f"{path.name} lacks '{heading}'"


def test_generated_files_match_their_sources():
    """Every generated file (notebooks, exercises, solutions, guide, Danish and English) is in sync."""
    result = subprocess.run([sys.executable, "materials/generate.py", "--check"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    sources = {p.name for p in (ROOT / "materials" / "exercises").glob("*.ipynb")}
    assert sources == {p.name for p in (ROOT / "exercises").glob("*.ipynb")} == {p.name for p in (ROOT / "solutions").glob("*.ipynb")}
