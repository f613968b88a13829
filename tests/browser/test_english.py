"""The English track in a real browser: the English start notebook, a case notebook and the
lecturer's notebook, opened in JupyterLab and run with Run All (issue 12).

Beyond running clean (tests/browser/test_notebooks_in_lab.py runs every notebook that way), what an
English reader sees in the widgets is English: the English interface strings are on the page, and no
Danish interface string is (the Danish quotations themselves are shown in the original, by design,
so only the interface catalogue's Danish strings are looked for).
"""
from __future__ import annotations

import importlib

import pytest

from .helpers import ROOT

pytestmark = pytest.mark.browser

#: notebook -> English interface strings that must be on its page after Run All
NOTEBOOKS = {
    "notebooks/en/00_start.ipynb": ["Download your file", "Restore from file", "Your name or pseudonym"],
    "notebooks/en/04_police_case.ipynb": ["Download your file", "Compare with the course's coding"],
    "notebooks/en/lecturer_class_view.ipynb": ["Choose files", "Analyse", "Hide names (pseudonyms)"],
}


def interface_strings() -> list[tuple[str, str]]:
    """(Danish, English) pairs of every interface string table in the course."""
    pairs = []
    for name in ("course.i18n", "course.classroom", "course.compare", "course.dotvote", "course.fieldwork",
                 "course.timeline"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        table = getattr(module, "STRINGS", None)
        if isinstance(table, dict):
            pairs += [(e["da"], e.get("en", "")) for e in table.values() if isinstance(e, dict) and "da" in e]
    return pairs


def danish_markers() -> list[str]:
    """Danish interface text that cannot be mistaken for English: the fixed part (before any
    placeholder) of a Danish string that differs from its English, two words or more."""
    markers = set()
    for da, en in interface_strings():
        fixed = da.split("{")[0].strip(" :·(")
        if da != en and len(fixed) >= 10 and " " in fixed and fixed not in en:
            markers.add(fixed)
    return sorted(markers)


@pytest.mark.parametrize("notebook", list(NOTEBOOKS), ids=lambda p: p.removeprefix("notebooks/"))
def test_english_notebook_speaks_english(lab, notebook):
    if not (ROOT / notebook).exists():
        pytest.skip(f"{notebook} is not generated yet (its source has no English on this branch)")
    lab.run_clean(notebook)  # no error, every cell run, no traceback or broken widget
    panel = lab.panel(notebook)
    panel.locator(".jp-OutputArea-output .jupyter-widgets").first.wait_for(state="attached", timeout=120_000)
    widgets = panel.locator(".jp-OutputArea-output .jupyter-widgets")
    text = "\n".join(widgets.all_inner_texts())
    values = panel.locator(".jp-OutputArea-output .jupyter-widgets :is(input, textarea, button)")
    text += "\n" + "\n".join(values.evaluate_all(
        "els => els.map(e => [e.value, e.placeholder, e.title, e.textContent].filter(Boolean).join(' '))"))
    missing = [s for s in NOTEBOOKS[notebook] if s not in text]
    assert not missing, f"{notebook}: English interface text not on the page: {missing}"
    danish = [m for m in danish_markers() if m in text]
    assert not danish, f"{notebook}: Danish interface text in the widgets: {danish[:10]}"
