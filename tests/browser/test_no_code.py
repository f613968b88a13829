""""Ingen af koderne passer" in JupyterLab: one click clears the codes, is saved, and lets the
student compare (issue 16)."""
from __future__ import annotations

import json

import pytest

from course.store import save_name

from .helpers import UI_TIMEOUT, expect, read_csv, strings, wait_until, work_dir_cell

pytestmark = pytest.mark.browser

CODER_CELL = ('import course; course.setup(); coder = course.ExcerptCoder(student="browser-test", case="police"); '
              "coder")
LABELS = {row["id"]: row["label_da"] for row in read_csv("codebook.csv")}
POLICE = [row for row in read_csv("excerpts.csv") if row["case"] == "police"]


def saved(path):
    return json.loads(path.read_text(encoding="utf-8"))


def test_no_code_applies_is_one_exclusive_click(lab):
    work = lab.tmp_path / "work"
    save_file = work / save_name("article", "browser-test")
    notebook = lab.write_notebook("no_code.ipynb", [work_dir_cell(work), CODER_CELL])
    lab.run_clean(notebook)
    coder = lab.panel(notebook).locator(".course-excerpt-coder")
    expect(coder).to_be_visible(timeout=UI_TIMEOUT)
    first = POLICE[0]["id"]
    code = coder.get_by_role("checkbox", name=LABELS["HOFF_FRAMING"], exact=True)
    none = coder.get_by_role("checkbox", name=strings("no_code"), exact=True)
    code.click()
    expect(code).to_be_checked()
    none.click()
    expect(none).to_be_checked()
    expect(code).not_to_be_checked()
    wait_until(lambda: saved(save_file)["coding"][first].get("first_no_code") is True
               and saved(save_file)["coding"][first]["first"] == [], what="'no code applies' saved")
    expect(coder.get_by_text(strings("done_count").format(k=1, n=len(POLICE)), exact=True)).to_be_visible()
    coder.get_by_role("button", name="Sammenlign med kursets kodning").click()
    expect(coder.get_by_role("status").filter(has_text=strings("reference"))).to_be_visible()
