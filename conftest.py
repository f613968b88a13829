"""Test set-up shared by every test and by the notebooks that nbval runs.

Saved work goes to a throwaway folder, so that running the tests never touches a student's real
work folder (nbval's kernels inherit this environment).
"""
import os
import tempfile
from pathlib import Path

import pytest

_WORK = tempfile.mkdtemp(prefix="samskabelse-test-work-")
os.environ["SAMSKABELSE_WORK_DIR"] = _WORK

ROOT = Path(__file__).resolve().parent
SHARED = ROOT.parent / "shared"


@pytest.fixture
def work_dir(tmp_path, monkeypatch):
    folder = tmp_path / "work"
    monkeypatch.setenv("SAMSKABELSE_WORK_DIR", str(folder))
    return folder


@pytest.fixture(scope="session")
def corpus():
    """The article's validated tables (loaded once)."""
    import course

    return course.load_corpus()


@pytest.fixture(autouse=True)
def danish():
    """Every test starts and ends with the Danish interface, so a test in English cannot leak."""
    from course import i18n

    i18n.set_language("da")
    yield
    i18n.set_language("da")
