"""The excerpt coder as a student uses it in JupyterLab: mouse, keyboard, memo, compare, reload.

The scratch notebooks are written by the tests; their first cell points the kernel's saved work
at a folder of the test's own (SAMSKABELSE_WORK_DIR), the next is what a student would write.
"""
from __future__ import annotations

import json

import pytest

from course.store import save_name

from .helpers import UI_TIMEOUT, expect, read_csv, strings, wait_until, work_dir_cell

pytestmark = pytest.mark.browser

CODER_CELL = ('import course; course.setup(); coder = course.ExcerptCoder(student="browser-test", case="police"); '
              "coder")
# Letters that are JupyterLab command-mode shortcuts (a, b, m, d d, y, x, c, v, z): typed into the
# memo they must land in the memo, not change the notebook.
MEMO = "Koordinatoren bliver gatekeeper; ba dd my xcvz – æøå «citat» <b>fed</b>"

LABELS = {row["id"]: row["label_da"] for row in read_csv("codebook.csv")}
POLICE = [row for row in read_csv("excerpts.csv") if row["case"] == "police"]


def focused(lab) -> dict:
    """What has the keyboard focus: tag, type, checked, its label text, whether it is in the coder."""
    return lab.page.evaluate("""() => {
        const e = document.activeElement;
        if (!e) return {};
        const label = e.closest('label');
        return {tag: e.tagName.toLowerCase(), type: e.type || '', checked: !!e.checked,
                text: ((label && label.textContent) || e.textContent || '').trim(),
                inCoder: !!e.closest('.course-excerpt-coder')};
    }""")


def tab_to(lab, wanted, backwards: bool = False, limit: int = 80) -> dict:
    """Press Tab (or Shift+Tab) until the focused element satisfies ``wanted``; keyboard only."""
    for _ in range(limit):
        lab.page.keyboard.press("Shift+Tab" if backwards else "Tab")
        now = focused(lab)
        if now.get("inCoder") and wanted(now):
            return now
    raise AssertionError(f"{limit} presses of {'Shift+' if backwards else ''}Tab did not reach the element; "
                         f"focus is on {focused(lab)}")


def saved(path):
    return json.loads(path.read_text(encoding="utf-8"))


def test_code_with_mouse_and_keyboard_memo_compare_and_restore(lab):
    work = lab.tmp_path / "work"
    save_file = work / save_name("article", "browser-test")
    notebook = lab.write_notebook("coder.ipynb", [work_dir_cell(work), CODER_CELL])
    lab.run_clean(notebook)
    coder = lab.panel(notebook).locator(".course-excerpt-coder")
    expect(coder).to_be_visible(timeout=UI_TIMEOUT)
    first, second = POLICE[0]["id"], POLICE[1]["id"]
    code_mouse, code_keys = "HOFF_FRAMING", "HOFF_DESIGN"
    card = coder.locator(".course-card")
    expect(card).to_contain_text(first)
    n = len(POLICE)

    # 1. The mouse: tick a code on the first excerpt.
    coder.get_by_role("checkbox", name=LABELS[code_mouse], exact=True).click()
    expect(coder.get_by_text(strings("done_count").format(k=1, n=n), exact=True)).to_be_visible()
    wait_until(lambda: saved(save_file)["coding"][first]["first"] == [code_mouse], what="the first coding saved")

    # 2. The keyboard alone: back to "Next" with Shift+Tab, Enter, then Tab to a code and Space.
    tab_to(lab, lambda f: f["tag"] == "button" and f["text"] == strings("next"), backwards=True)
    lab.page.keyboard.press("Enter")
    expect(card).to_contain_text(second)
    expect(coder.get_by_text(strings("progress").format(i=2, n=n), exact=True)).to_be_visible()
    box = tab_to(lab, lambda f: f["type"] == "checkbox" and f["text"] == LABELS[code_keys])
    assert not box["checked"]
    lab.page.keyboard.press("Space")
    expect(coder.get_by_role("checkbox", name=LABELS[code_keys], exact=True)).to_be_checked()
    expect(coder.get_by_text(strings("done_count").format(k=2, n=n), exact=True)).to_be_visible()

    # 3. A memo, typed, committed by tabbing away; then compare with the course's coding.
    cells_before = lab.progress(notebook)["cells"]
    tab_to(lab, lambda f: f["tag"] == "textarea")  # the memo comes after the codebook
    lab.page.keyboard.type(MEMO)
    lab.page.keyboard.press("Tab")
    assert lab.progress(notebook)["cells"] == cells_before, "typing in the memo changed the notebook"
    wait_until(lambda: saved(save_file)["coding"][second]["memo"] == MEMO, what="the memo saved")
    coder.get_by_role("button", name="Sammenlign med kursets kodning").click()
    feedback = coder.get_by_role("status").filter(has_text=strings("reference"))
    expect(feedback).to_be_visible()
    reference = [c for c in POLICE[1]["reference_codes"].split(";") if c]
    for code in reference:
        expect(feedback).to_contain_text(LABELS[code])

    doc = wait_until(lambda: (d := saved(save_file))["coding"].get(second, {}).get("revealed") and d,
                     what="revealed=true saved")
    assert doc["coding"][first]["first"] == [code_mouse]
    assert doc["coding"][second]["first"] == [code_keys]
    assert doc["coding"][second]["memo"] == MEMO
    assert doc["coding"][second]["revealed"] is True and doc["coding"][first]["revealed"] is False
    assert doc["student"] == "browser-test"

    # 4. Reload the page with a fresh kernel: the work comes back from the save file.
    lab.server.shutdown_kernels()
    lab.page.evaluate("() => { window.__before_reload = true; }")
    lab.page.reload(wait_until="domcontentloaded")
    lab.wait_ready(notebook)
    assert lab.page.evaluate("() => window.__before_reload") is None, "the page was not reloaded"
    lab.run_all(notebook)
    assert not lab.problems(notebook)
    coder = lab.panel(notebook).locator(".course-excerpt-coder")
    expect(coder).to_contain_text("Dit tidligere arbejde er hentet")
    card = coder.locator(".course-card")
    expect(card).to_contain_text(POLICE[2]["id"])  # it resumes at the first excerpt not coded yet
    coder.get_by_role("button", name=strings("previous"), exact=True).click()
    expect(card).to_contain_text(second)
    expect(coder.get_by_role("checkbox", name=LABELS[code_keys], exact=True)).to_be_checked()
    expect(coder.get_by_role("textbox", name=strings("memo"))).to_have_value(MEMO)
    expect(coder.get_by_role("status").filter(has_text=strings("reference"))).to_be_visible()
    coder.get_by_role("button", name=strings("previous"), exact=True).click()
    expect(card).to_contain_text(first)
    expect(coder.get_by_role("checkbox", name=LABELS[code_mouse], exact=True)).to_be_checked()
    expect(coder.get_by_role("checkbox", name=LABELS[code_keys], exact=True)).not_to_be_checked()
