"""References a student can follow: no line numbers and no internal ids in student-facing text.

Students read the printed article, not the course's text file, so a line number ("l. 614-622",
"linje 1269") points nowhere, and neither do ids that no widget or table shows: section ids (S03),
timeline ids (T-P12) and, in the data shown in the widgets, code ids (DIL_EARLY, DEM_ACCOUNT: the
coder and the classifier show a code's *label*). Text should cite the article's heading instead.

Student-facing text here is: the data texts the widgets and notebooks show (excerpts, moves,
codebook, timeline, cases, fieldwork), the markdown of the notebooks, exercises and solutions, the
lecturer guide, and the messages of the self-checks. Ids a student types or sees in a table may stand
in `backticks` (an answer format such as `HOFF_DESIGN`, a column value); a move's number (PM14) and an
excerpt's id (pol-q03) are shown on screen and are allowed. The `lines` columns stay as data for
maintainers and are not shown.

The test reads the files only (csv, json, ast), so it can be pointed at an older checkout:
``COURSE_ROOT=/path/to/old/tree pytest tests/test_references.py --noconftest``.
"""
from __future__ import annotations

import ast
import csv
import json
import os
import re
from pathlib import Path

import pytest

ROOT = Path(os.environ.get("COURSE_ROOT") or Path(__file__).resolve().parents[1])

LINE_REF = re.compile(r"(?<![\w.])(?:ll?\.|linje[rn]?|lines?)\s*\d{1,4}(?:\s*[-–]\s*\d{1,4})?", re.IGNORECASE)
SECTION_ID = re.compile(r"\bS\d{2}\b")
TIMELINE_ID = re.compile(r"\bT-[PW]\d{2}\b")
CODE_ID = re.compile(r"\b(?:HOFF|HON|DEM|DIL)_[A-Z]+\b")
INLINE_CODE = re.compile(r"`[^`\n]*`")
ANSWER_FORMAT = re.compile(r"\{\{.*?\}\}")

#: The columns of each table that a widget, a quote or a chart shows to students.
SHOWN = {
    "excerpts.csv": ("speaker", "speaker_en", "text_da", "text_en", "context_da", "context_en", "rationale_da", "rationale_en"),
    "moves.csv": ("actor", "actor_en", "description_da", "description_en", "rationale_da", "rationale_en"),
    "codebook.csv": ("label_da", "label_en", "brief_da", "brief_en", "definition_da", "definition_en",
                     "use_when_da", "use_when_en", "dont_use_when_da", "dont_use_when_en"),
    "timeline.csv": ("when_da", "when_en", "event_da", "event_en"),
    "cases.csv": ("label_da", "label_en", "summary_da", "summary_en"),
    "fieldwork.csv": ("text_da", "text_en"),
}


def problems_in(text: str, ids_in_backticks_allowed: bool = True) -> list[str]:
    """The line references and internal ids in ``text`` (with a little context each)."""
    found = [m for m in LINE_REF.finditer(text)]
    prose = INLINE_CODE.sub(lambda m: " " * len(m.group(0)), text) if ids_in_backticks_allowed else text
    for pattern in (SECTION_ID, TIMELINE_ID, CODE_ID):
        found += list(pattern.finditer(prose))
    return [repr(text[max(0, m.start() - 40): m.end() + 20]) for m in sorted(found, key=lambda m: m.start())]


def data_texts():
    for name, columns in SHOWN.items():
        path = ROOT / "data" / name
        if not path.exists():
            continue
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                for column in columns:
                    if row.get(column):
                        yield f"data/{name} {row.get('id', '?')}.{column}", row[column]


def markdown_texts():
    for folder in ("notebooks", "materials/exercises", "exercises", "solutions",
                   "notebooks/en", "exercises/en", "solutions/en"):
        for path in sorted((ROOT / folder).glob("*.ipynb")):
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
            for number, cell in enumerate(cells):
                if cell["cell_type"] == "markdown":
                    yield f"{folder}/{path.name} cell {number}", "".join(cell["source"])
    for guide in (ROOT / "docs" / "lecturer_guide.md", ROOT / "docs" / "en" / "lecturer_guide.md"):
        if guide.exists():
            yield str(guide.relative_to(ROOT)), guide.read_text(encoding="utf-8")


def selfcheck_texts():
    for path in sorted((ROOT / "course" / "selfcheck").glob("session*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body
                      and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            # Messages are sentences; a bare id such as "T-P12" in code is data, not a message.
            if (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
                    and len(node.value.split()) >= 3):
                yield f"course/selfcheck/{path.name} line {node.lineno}", node.value


def catalogue_texts():
    """Every interface string in the catalogues (self-check messages, widget and error texts)."""
    from babel.messages.pofile import read_po

    for po in sorted((ROOT / "course" / "locale").glob("*/LC_MESSAGES/*.po")):
        with po.open("rb") as fh:
            catalogue = read_po(fh)
        for message in catalogue:
            # data_*: messages to the lecturer who edits the data files, where ids are what she types.
            if message.id and isinstance(message.string, str) and message.string and not message.id.startswith("data_"):
                # An answer format shown as a literal ({"PM01": "HOFF_DESIGN"}) is what the student types.
                yield f"{po.relative_to(ROOT)} {message.id}", ANSWER_FORMAT.sub(" ", message.string)


def _report(texts) -> list[str]:
    return [f"{where}: {hit}" for where, text in texts for hit in problems_in(text)]


def test_the_patterns_catch_what_they_should():
    assert problems_in("(S08, l. 461-467)") and problems_in("S16 (ll. 1233-1237)")
    assert problems_in("trykfejl (linje 1269 i kursets kopi)") and problems_in("før T-P12 og efter")
    assert problems_in("jf. DIL_PERSON") and not problems_in("koden `DIL_PERSON`")
    assert problems_in("koden `DIL_PERSON`", ids_in_backticks_allowed=False)
    for fine in ("kl. 10 til 15", "bl.a. 40 brugere", "på linje med direktørens besøg", "PM14 og pol-q03",
                 "»Modig metastyring i design og framing af netværket«"):
        assert not problems_in(fine), fine


def test_data_shown_in_the_widgets_cites_headings_and_labels():
    found = [f"{where}: {hit}" for where, text in data_texts() for hit in problems_in(text, False)]
    assert not found, "line numbers or internal ids in data the widgets show:\n" + "\n".join(found[:40])


def test_notebooks_exercises_and_guide_cite_headings():
    found = _report(markdown_texts())
    assert not found, "line numbers or internal ids in markdown:\n" + "\n".join(found[:40])


def test_selfcheck_messages_cite_headings():
    found = _report(selfcheck_texts()) + _report(catalogue_texts())
    assert not found, "line numbers or internal ids in self-check messages:\n" + "\n".join(found[:40])


@pytest.mark.parametrize("texts", [data_texts, markdown_texts, catalogue_texts])
def test_there_is_text_to_check(texts):
    assert sum(1 for _ in texts()) > 10
