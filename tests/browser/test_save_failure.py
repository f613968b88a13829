"""A save that fails is visible in JupyterLab, in Danish, and the work comes back once it can be saved.

After the coder opened, the work folder is made read-only; when the tests run as root (who ignores
a folder's permissions), it is replaced by a regular file instead, on which every write fails too.
"""
from __future__ import annotations

import json
import os
import shutil

import pytest

from course.store import save_name

from .helpers import UI_TIMEOUT, expect, read_csv, strings, wait_until, work_dir_cell

pytestmark = pytest.mark.browser

LABELS = {row["id"]: row["label_da"] for row in read_csv("codebook.csv")}
CELL = ('import course; course.setup(); coder = course.ExcerptCoder(student="save-test", case="police"); coder')


def test_a_failed_save_is_shown_and_retried(lab):
    work = lab.tmp_path / "work"
    save_file = work / save_name("article", "save-test")
    notebook = lab.write_notebook("save_failure.ipynb", [work_dir_cell(work), CELL])
    lab.run_clean(notebook)
    coder = lab.panel(notebook).locator(".course-excerpt-coder")
    expect(coder).to_be_visible(timeout=UI_TIMEOUT)
    coder.get_by_role("checkbox", name=LABELS["HOFF_FRAMING"], exact=True).click()
    wait_until(lambda: save_file.exists(), what="the first save")
    expect(coder.get_by_text(strings("saved_at").format(time="")[:4])).to_be_visible()

    if hasattr(os, "geteuid") and os.geteuid() != 0:
        work.chmod(0o555)
        reason, undo = "ikke lov", lambda: work.chmod(0o755)
    else:
        shutil.rmtree(work)
        work.write_text("a file where the work folder was")
        reason, undo = "ikke en mappe", work.unlink
    coder.get_by_role("checkbox", name=LABELS["HOFF_DESIGN"], exact=True).click()
    alert = coder.locator(".course-save-problem").get_by_role("alert")
    expect(alert).to_be_visible(timeout=UI_TIMEOUT)
    expect(alert).to_contain_text("Dit arbejde blev ikke gemt")
    expect(alert).to_contain_text(reason)
    expect(alert).to_contain_text(strings("download"))
    expect(coder.get_by_text(strings("not_saved"), exact=True)).to_be_visible()

    undo()  # the folder can be written again: the next action saves everything
    coder.get_by_role("button", name=strings("next"), exact=True).click()
    expect(alert).to_have_count(0, timeout=UI_TIMEOUT)
    doc = wait_until(lambda: json.loads(save_file.read_text(encoding="utf-8")), what="the retried save")
    assert sorted(next(iter(doc["coding"].values()))["first"]) == ["HOFF_DESIGN", "HOFF_FRAMING"]
