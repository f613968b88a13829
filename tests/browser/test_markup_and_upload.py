"""Two ways in for hostile or broken input, as a browser sees them.

* A lecturer's own case folder whose texts hold HTML/JavaScript: the coder shows the markup as
  text and runs none of it.
* A corrupted save file uploaded through the widget's "restore" button: refused with a message,
  and the good save file on disk stays byte for byte as it was.
"""
from __future__ import annotations

import csv
import json
import re
from datetime import UTC, datetime

import pytest

from course.store import save_name

from .helpers import csv_header, expect, read_csv, strings, wait_until, work_dir_cell

pytestmark = pytest.mark.browser

IMG = '<img src=x onerror="window.__pwned=1">'
SCRIPT = "<script>window.__pwned=2</script>"
LABELS = {row["id"]: row["label_da"] for row in read_csv("codebook.csv")}
POLICE = [row for row in read_csv("excerpts.csv") if row["case"] == "police"]


def write_table(folder, name: str, rows: list[dict[str, str]]) -> None:
    """A CSV with exactly the columns of the course's own table of that name."""
    header = csv_header(name)
    with open(folder / name, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        for row in rows:
            unknown = set(row) - set(header)
            assert not unknown, f"{name} has no column(s) {unknown}"
            writer.writerow({column: row.get(column, "") for column in header})


def lecturer_case(folder):
    folder.mkdir(parents=True)
    write_table(folder, "cases.csv", [
        {"id": "egen", "label_da": f"Egen case {IMG}", "label_en": SCRIPT, "summary_da": SCRIPT, "summary_en": IMG},
    ])
    write_table(folder, "codebook.csv", [
        {"id": "MY_CODE", "uuid": "3F2504E0-4F89-11D3-9A0C-0305E82C3301", "group": "hands_off",
         "label_da": f"Min kode {IMG}", "brief_da": f"Kort {SCRIPT}", "definition_da": f"Definition {IMG}",
         "use_when_da": f"Brug {SCRIPT}", "dont_use_when_da": f"Ikke {IMG}", "colour": "#4477AA",
         "example_excerpt": "x1"},
        {"id": "OTHER", "uuid": "7C9E6679-7425-40DE-944B-E07FC1F90AE7", "group": "dilemma",
         "label_da": f"Anden {SCRIPT}", "brief_da": "Kort", "definition_da": "Def", "use_when_da": "Brug",
         "dont_use_when_da": "Ikke", "colour": "#EE6677"},
    ])
    write_table(folder, "excerpts.csv", [
        {"id": "x1", "case": "egen", "kind": "quote", "source": "interview", "speaker": f"Taler {IMG}",
         "section": "", "text_da": f"Citat {SCRIPT} og {IMG}", "text_en": IMG, "reference_codes": "MY_CODE",
         "rationale_da": f"Begrundelse {IMG} {SCRIPT}"},
        {"id": "x2", "case": "egen", "kind": "vignette", "source": "observation", "speaker": "Leder",
         "section": "", "text_da": "En almindelig tekst", "reference_codes": ""},
    ])
    return folder


def test_markup_in_a_lecturers_case_is_shown_as_text_and_never_run(lab):
    folder = lecturer_case(lab.tmp_path / "lecturer-case")
    notebook = lab.write_notebook("markup.ipynb", [
        work_dir_cell(lab.tmp_path / "work"),
        f"import course; course.setup(); coder = course.ExcerptCoder(corpus={str(folder)!r}); coder",
    ])
    lab.run_clean(notebook)
    coder = lab.panel(notebook).locator(".course-excerpt-coder")
    card = coder.locator(".course-card")
    expect(card).to_be_visible()
    expect(card).to_contain_text(f"Citat {SCRIPT} og {IMG}")
    expect(card).to_contain_text(f"Taler {IMG}")
    expect(card.locator("blockquote")).to_be_visible()
    expect(coder.locator("select option", has_text=f"Egen case {IMG}")).to_have_count(1)

    coder.locator("summary", has_text=f"Kort {SCRIPT}").click()  # open the definition
    expect(coder.get_by_text(f"Definition {IMG}")).to_be_visible()
    coder.get_by_role("checkbox", name=f"Min kode {IMG}", exact=True).check()
    expect(coder.get_by_role("checkbox", name=f"Anden {SCRIPT}", exact=True)).to_be_visible()
    coder.get_by_role("button", name=strings("compare")).click()
    feedback = coder.get_by_role("status").filter(has_text=strings("reference"))
    expect(feedback).to_contain_text(f"Begrundelse {IMG} {SCRIPT}")
    expect(feedback).to_contain_text(f"Min kode {IMG}")

    assert coder.locator("img, script").count() == 0, "markup from the data became elements"
    lab.page.wait_for_load_state("load")
    assert lab.page.evaluate("() => typeof window.__pwned") == "undefined", "markup from the data ran"


def test_a_corrupted_upload_is_refused_and_the_save_file_is_untouched(lab):
    work = lab.tmp_path / "work"
    save_file = work / save_name("article", "browser-test")
    notebook = lab.write_notebook("upload.ipynb", [
        work_dir_cell(work),
        'import course; course.setup(); coder = course.ExcerptCoder(student="browser-test", case="police"); coder',
    ])
    lab.run_clean(notebook)
    coder = lab.panel(notebook).locator(".course-excerpt-coder")
    first, second = POLICE[0]["id"], POLICE[1]["id"]

    # Good work, saved.
    box = coder.get_by_role("checkbox", name=LABELS["HOFF_DESIGN"], exact=True)
    box.check()
    wait_until(lambda: json.loads(save_file.read_text(encoding="utf-8"))["coding"][first]["first"] == ["HOFF_DESIGN"],
               what="the coding saved")
    good = save_file.read_bytes()
    files_before = sorted(p.name for p in work.iterdir())

    upload_button = coder.get_by_role("button", name=re.compile(re.escape(strings("upload"))))  # after an icon
    message = coder.get_by_role("alert")

    def upload(path):
        with lab.page.expect_file_chooser() as chooser:
            upload_button.click()
        chooser.value.set_files(str(path))

    doc = json.loads(good)
    broken = {
        "cut-off.json": good[: len(good) // 2],  # a file cut off half-way
        "bad-entry.json": json.dumps(dict(doc, coding={first: {"first": "HOFF_DESIGN"}})).encode(),
        "not-a-save.json": b'{"hello": "world"}',
    }
    reasons = {"cut-off.json": "JSON", "bad-entry.json": "'first'", "not-a-save.json": "format"}
    for name, raw in broken.items():
        path = lab.tmp_path / name
        path.write_bytes(raw)
        upload(path)
        expect(message).to_contain_text("Filen blev afvist")
        expect(message).to_contain_text(reasons[name])
        assert save_file.read_bytes() == good, f"uploading {name} changed the save file"
        assert sorted(p.name for p in work.iterdir()) == files_before, f"uploading {name} left files behind"
        expect(box).to_be_checked()

    # The same button still takes a good file: it is merged with the work already there.
    stamp = datetime.now(UTC).isoformat(timespec="milliseconds")
    entry = {"first": ["DEM_ACCESS"], "first_at": stamp, "revealed": False, "revealed_at": None,
             "revised": None, "revised_at": None, "memo": "fra en anden maskine", "updated": stamp}
    path = lab.tmp_path / "good.json"
    path.write_text(json.dumps(dict(doc, coding={**doc["coding"], second: entry})), encoding="utf-8")
    upload(path)
    expect(coder.get_by_text(strings("upload_ok").format(name="good.json"))).to_be_visible()
    restored = wait_until(lambda: (d := json.loads(save_file.read_text(encoding="utf-8")))["coding"].get(second) and d,
                          what="the uploaded coding saved")
    assert restored["coding"][first]["first"] == ["HOFF_DESIGN"]
    assert restored["coding"][second]["memo"] == "fra en anden maskine"
    expect(box).to_be_checked()
