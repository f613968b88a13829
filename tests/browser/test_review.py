"""What a student and a lecturer see in JupyterLab (issue 14's real-browser review), item by item.

Each test names the review's items it covers: 1 download, 2 retry, 3 summaries per case, 4 no empty
chart / "Alle cases", 5 resume, 6 codebook, 9 upload label, 10 comparison colour, 11 class view,
13 axe, 14 keyboard, 15 contrast, 16 lang.
"""
from __future__ import annotations

import json
import re

import pytest

from course.store import save_name
from course.uikit import RESULT

from .helpers import expect, read_csv, strings, wait_until, work_dir_cell
from .review import STYLE_JS, axe_serious, colour_contrast, hex_of, output_scope
from .test_move_classifier import MOVES, label, mode, wrong_answer

pytestmark = pytest.mark.browser

LABELS = {row["id"]: row["label_da"] for row in read_csv("codebook.csv")}
POLICE = [row for row in read_csv("excerpts.csv") if row["case"] == "police"]
STUDENT = "browser-review"


def focused(lab) -> dict:
    return lab.page.evaluate("""() => {
        const e = document.activeElement;
        if (!e) return {};
        const label = e.closest('label');
        return {tag: e.tagName.toLowerCase(), type: e.type || '',
                text: ((label && label.textContent) || e.textContent || '').trim(),
                inCourse: !!e.closest('.course-widget')};
    }""")


def tabs_until(lab, wanted, limit: int = 80) -> int:
    """Press Tab until the focus satisfies ``wanted``; the number of presses."""
    for n in range(1, limit + 1):
        lab.page.keyboard.press("Tab")
        now = focused(lab)
        if now.get("inCourse") and wanted(now):
            return n
    raise AssertionError(f"{limit} presses of Tab did not get there; focus is on {focused(lab)}")


def saved(path):
    return json.loads(path.read_text(encoding="utf-8"))


def assert_axe_clean(lab, path: str) -> None:
    problems = axe_serious(lab.page, output_scope(lab, path))
    assert not problems, "axe: serious/critical violations in the course's output:\n" + "\n".join(problems)


# ------------------------------------------------------------------------------------------------
def test_student_coder_download_upload_keyboard_contrast_lang_and_resume(lab):
    """Items 1, 5, 6, 9, 10, 13, 14, 15, 16 on the excerpt coder."""
    work = lab.tmp_path / "work"
    save_file = work / save_name("article", STUDENT)
    cell = (f'import course; course.setup(); coder = course.ExcerptCoder(student="{STUDENT}", case="police"); '
            "coder")
    notebook = lab.write_notebook("review_coder.ipynb", [work_dir_cell(work), cell])
    lab.run_clean(notebook)
    page = lab.page
    coder = lab.panel(notebook).locator(".course-excerpt-coder")
    expect(coder).to_be_visible()
    card = coder.locator(".course-card")
    expect(card).to_contain_text(POLICE[0]["id"])

    # 16: the widget is marked Danish (the page itself is lang="en")
    expect(coder).to_have_attribute("lang", "da")

    # 6: every code visible in the codebook, no scroll box inside the notebook
    codebook = coder.locator(".course-codebook")
    boxes = codebook.get_by_role("checkbox")
    expect(boxes).to_have_count(len(LABELS))
    box = codebook.evaluate("el => ({sh: el.scrollHeight, ch: el.clientHeight, oy: getComputedStyle(el).overflowY})")
    assert box["oy"] not in ("auto", "scroll") or box["sh"] <= box["ch"] + 1, box
    for k in range(boxes.count()):
        assert boxes.nth(k).bounding_box()["height"] > 0
    definitions = codebook.locator("details")
    expect(definitions).to_have_count(len(LABELS))
    definitions.first.locator("summary").click()
    expect(definitions.first).to_have_attribute("open", "")

    # 14: "Engelsk oversættelse" is reached with Tab and opens with Enter
    coder.get_by_role("button", name=strings("next"), exact=True).focus()
    tabs_until(lab, lambda f: f["tag"] == "summary" and f["text"] == strings("translation"))
    translation = coder.locator("details.course-translation")
    summary = translation.locator("summary")
    # 15: its text has 4.5:1 against what is behind it
    style = summary.evaluate(STYLE_JS)
    assert colour_contrast(style["color"], style["background"]) >= 4.5, style
    # 14: a visible focus ring of at least 3:1 against what surrounds it
    assert style["outlineStyle"] != "none" and float(style["outlineWidth"].rstrip("px")) >= 2, style
    assert colour_contrast(style["outlineColor"], style["behind"]) >= 3, style
    page.keyboard.press("Enter")
    expect(translation).to_have_attribute("open", "")

    # 14: tick a code with the keyboard; from the codebook, "compare" is ahead (no tabbing back)
    tabs_until(lab, lambda f: f["type"] == "checkbox" and f["text"] == LABELS["HOFF_FRAMING"])
    page.keyboard.press("Space")
    expect(coder.get_by_role("checkbox", name=LABELS["HOFF_FRAMING"], exact=True)).to_be_checked()
    coder.get_by_role("checkbox", name=list(LABELS.values())[-1], exact=True).focus()
    presses = tabs_until(lab, lambda f: f["tag"] == "button" and f["text"] == strings("compare"), limit=6)
    assert presses <= 3, f"{presses} presses from the last code to 'compare'"
    compare = coder.get_by_role("button", name=strings("compare"))
    style = compare.evaluate(STYLE_JS)
    assert colour_contrast(style["color"], style["background"]) >= 4.5, style  # 15 (was 3.51:1)
    assert style["outlineStyle"] != "none" and colour_contrast(style["outlineColor"], style["behind"]) >= 3, style
    page.keyboard.press("Enter")

    # 10: the comparison's colour follows the result, the words carry it too
    feedback = coder.get_by_role("status").filter(has_text=strings("reference"))
    expect(feedback).to_be_visible()
    reference = [c for c in POLICE[0]["reference_codes"].split(";") if c]
    level = "good" if reference == ["HOFF_FRAMING"] else "partial" if "HOFF_FRAMING" in reference else "poor"
    words = {"good": "God enighed", "partial": "Delvis enighed", "poor": "Lille eller ingen enighed"}[level]
    expect(feedback).to_contain_text(words)
    border = feedback.evaluate("el => getComputedStyle(el).borderLeftColor")
    assert hex_of(border) == RESULT[level].upper()

    # 1: one button delivers the save as it is now, and again after a later change
    download = coder.get_by_role("button", name=strings("download"))
    expect(download).to_be_visible()
    with page.expect_download() as info:
        download.click()
    first_file = info.value
    doc = json.loads(open(first_file.path(), encoding="utf-8").read())
    assert first_file.suggested_filename.startswith(f"article__{STUDENT}") and doc["student"] == STUDENT
    assert doc["coding"][POLICE[0]["id"]]["first"] == ["HOFF_FRAMING"]
    coder.get_by_role("textbox", name=strings("memo")).fill("senere ændring")
    coder.get_by_role("textbox", name=strings("memo")).press("Tab")
    wait_until(lambda: saved(save_file)["coding"][POLICE[0]["id"]]["memo"] == "senere ændring", what="memo saved")
    with page.expect_download() as info:
        download.click()
    later = json.loads(open(info.value.path(), encoding="utf-8").read())
    assert later["coding"][POLICE[0]["id"]]["memo"] == "senere ændring"
    expect(coder.get_by_text(re.compile(r"^Hent article__"))).to_have_count(0)  # no stale link left

    # 9: the restore button has no "(0)" and restores a chosen file
    upload = coder.get_by_role("button", name=strings("upload"))
    expect(upload).to_have_text(re.compile(re.escape(strings("upload")) + r"$"))
    restored = dict(later)
    restored["coding"] = dict(later["coding"])
    restored["coding"][POLICE[1]["id"]] = {"first": ["DIL_CARE"], "memo": "fra fil", "revealed": False,
                                           "updated": "2999-01-01T00:00:00+00:00"}
    upload_path = lab.tmp_path / "min-fil.json"
    upload_path.write_text(json.dumps(restored), encoding="utf-8")
    with page.expect_file_chooser() as chooser:
        upload.click()
    chooser.value.set_files(str(upload_path))
    expect(coder).to_contain_text(strings("upload_ok").format(name="min-fil.json"))
    wait_until(lambda: saved(save_file)["coding"].get(POLICE[1]["id"], {}).get("memo") == "fra fil",
               what="the restored file saved")

    # 13: axe finds nothing serious in the coder's output
    assert_axe_clean(lab, notebook)

    # 5: a new kernel resumes at the first excerpt not coded yet; the notice goes once work changes
    lab.server.shutdown_kernels()
    page.reload(wait_until="domcontentloaded")
    lab.wait_ready(notebook)
    lab.run_all(notebook)
    assert not lab.problems(notebook)
    coder = lab.panel(notebook).locator(".course-excerpt-coder")
    expect(coder.locator(".course-card")).to_contain_text(POLICE[2]["id"])
    expect(coder).to_contain_text("Dit tidligere arbejde er hentet")
    coder.get_by_role("checkbox", name=LABELS["DIL_EARLY"], exact=True).click()
    expect(coder).not_to_contain_text("Dit tidligere arbejde er hentet")


def test_classifier_retry_hides_answers_and_summaries_follow_the_case(lab):
    """Items 2, 3, 4, 13, 16 on the move classifier and the session-5 summaries."""
    from course import store as st
    from course.widgets import ExcerptCoder

    work = lab.tmp_path / "work"
    # Session-4 work already saved: two police excerpts coded.
    st._OPEN.clear()
    police = ExcerptCoder(student=STUDENT, case="police", folder=work)
    police.boxes["HOFF_DESIGN"].value = True
    police.next_button.click()
    police.boxes["DIL_EARLY"].value = True
    st._OPEN.clear()
    cells = [
        work_dir_cell(work),
        f'import course; course.setup(); clf = course.MoveClassifier(student="{STUDENT}"); clf',
        "confusion = clf.confusion_chart(); confusion",
        f'ws = course.ExcerptCoder(student="{STUDENT}", case="workshop")\n'
        'print("workshop-uddrag kodet:", int(ws.agreement()["n"].max()), "rækker:", len(ws.summary()))',
        f'wclf = course.MoveClassifier(student="{STUDENT}", case="workshop")\n'
        'print("workshop-greb besvaret:", len(wclf.answers()))',
    ]
    notebook = lab.write_notebook("review_classifier.ipynb", cells)
    lab.run_clean(notebook)
    panel = lab.panel(notebook)
    clf = panel.locator(".course-move-classifier")
    expect(clf).to_have_attribute("lang", "da")  # 16

    # 4: the case filter reads "Alle cases"; the confusion chart says what to do, no NaN chart
    selected = clf.locator("select").first.evaluate("s => s.options[s.selectedIndex].text").replace("\xa0", " ")
    assert selected == strings("all_cases")
    charts = panel.locator(".jp-OutputArea-output .vega-embed")
    expect(charts.first.locator("svg")).to_be_attached()
    expect(charts.first).to_contain_text("Du har ikke svaret på nogen greb endnu")
    assert "NaN" not in charts.first.inner_text()

    # 3: the workshop summaries do not count the police work
    expect(panel.get_by_text("workshop-uddrag kodet: 0 rækker: 0")).to_be_visible()
    expect(panel.get_by_text("workshop-greb besvaret: 0")).to_be_visible()

    # 2: two wrong answers, then "retry": the classification stays hidden, the score is this round's
    radios = clf.locator(".widget-radio")
    for index in range(2):
        move = MOVES[index]
        expect(clf.locator(".course-card")).to_contain_text(move["id"])
        answer = wrong_answer(move)
        radios.nth(0).get_by_role("radio", name=strings("mode_" + mode(answer)), exact=True).check()
        tool = radios.nth(1).get_by_role("radio", name=label(answer), exact=True)
        if not tool.is_checked():
            tool.check()
        clf.get_by_role("button", name=strings("answer"), exact=True).click()
        expect(clf.get_by_role("status").filter(has_text="Ikke kursets læsning.")).to_be_visible()
        if index == 0:
            clf.get_by_role("button", name=strings("next"), exact=True).click()
    clf.get_by_role("button", name=strings("retry_wrong")).click()
    expect(clf).to_contain_text("Ny runde")
    expect(clf.locator(".course-card")).to_contain_text(MOVES[0]["id"])
    expect(clf).not_to_contain_text("Kursets klassifikation:")
    expect(clf.get_by_text(strings("score").format(correct=0, partial=0, wrong=0, answered=0, n=2),
                           exact=True)).to_be_visible()
    expect(clf).not_to_contain_text("Du har besvaret alle greb")

    # 13
    assert_axe_clean(lab, notebook)


def test_class_view_fits_a_projector(lab):
    """Item 11 (and 13, 16): the class view after "Analysér" at 1280×720."""
    lab.page.set_viewport_size({"width": 1280, "height": 720})
    cells = [
        "import tempfile, pathlib\nimport course\ncourse.setup()\nfrom course import classroom\n"
        "folder = pathlib.Path(tempfile.mkdtemp(prefix='hold-'))\n"
        "classroom.simulate_class(n_students=40, seed=5, folder=folder)\n"
        "view = classroom.ClassView(folder=folder)\nview",
    ]
    notebook = lab.write_notebook("review_class_view.ipynb", cells)
    lab.run_clean(notebook)
    panel = lab.panel(notebook)
    widget = panel.locator(".course-class-view")
    expect(widget).to_have_attribute("lang", "da")
    expect(widget.get_by_role("button", name="Vælg filer")).to_have_text(re.compile(r"Vælg filer$"))  # 9
    widget.get_by_role("button", name="Analysér").click()
    views = widget.locator(".course-classview")
    expect(views).to_have_count(2)
    expect(widget.locator(".vega-embed svg")).to_be_attached()
    text = widget.inner_text()
    # Danish headings, in the order a lecturer needs them
    order = ["Enighed pr. kode", "De 5 uddrag, holdet var mest uenige om", "De 5 greb", "Filer, der er sprunget over"]
    positions = [text.find(h) for h in order]
    assert all(p >= 0 for p in positions) and positions == sorted(positions), positions
    band = widget.locator(".course-band li")
    assert band.count() == len(LABELS)
    headers = widget.locator("th").all_inner_texts()
    raw = {"code", "group", "alpha", "reading", "applications", "split_code", "matches_reference", "share_wrong",
           "common_answer", "description", "excerpt", "reference"}
    assert headers and not raw & set(headers) and "" not in [h.strip() for h in headers], headers
    # the heatmap comes before the tables of the disputed excerpts
    heat_y = widget.locator(".vega-embed").first.bounding_box()["y"]
    top_y = widget.get_by_text("De 5 uddrag, holdet var mest uenige om").bounding_box()["y"]
    assert heat_y < top_y
    # nothing cut off on the right, no tall blank rows
    for k in range(views.count()):
        size = views.nth(k).evaluate("el => ({sw: el.scrollWidth, cw: el.clientWidth})")
        assert size["sw"] <= size["cw"] + 1, f"class view block {k} is cut off: {size}"
    area = panel.locator(".jp-OutputArea-output").first.bounding_box()
    for table in widget.locator("table").all():
        box = table.bounding_box()
        assert box["x"] + box["width"] <= area["x"] + area["width"] + 1, "a table is cut off on the right"
    heights = widget.locator("tbody tr").evaluate_all("rows => rows.map(r => r.getBoundingClientRect().height)")
    assert heights and max(heights) < 130, f"rows up to {max(heights):.0f} px tall"
    assert_axe_clean(lab, notebook)


@pytest.mark.parametrize("notebook", ["notebooks/02_theory_metagovernance.ipynb", "notebooks/04_police_case.ipynb",
                                      "notebooks/05_future_workshop.ipynb"],
                         ids=lambda p: p.split("/")[-1])
def test_course_notebooks_are_axe_clean(lab, notebook):
    """Item 13: 0 serious/critical axe violations in the output of the notebooks with widgets and charts."""
    lab.run_clean(notebook)
    panel = lab.panel(notebook)
    panel.locator(".jp-OutputArea-output .vega-embed svg").first.wait_for(state="attached")
    expect(panel.locator("details.vega-actions, .vega-embed summary")).to_have_count(0)  # no "..." menu
    expect(panel.locator(".jp-OutputArea-output footer")).to_have_count(0)
    assert panel.locator(".jp-OutputArea-output figure.course-quote[lang='da']").count() > 0  # 16
    assert_axe_clean(lab, notebook)
