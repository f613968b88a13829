"""The move classifier in JupyterLab: right, wrong and partly right answers, feedback and score.

The expected answers are read from data/moves.csv and data/codebook.csv, not from the course package.
"""
from __future__ import annotations

import json

import pytest

from course.store import save_name

from .helpers import expect, read_csv, strings, wait_until, work_dir_cell

pytestmark = pytest.mark.browser

CASE = "police"
CLASSIFIER_CELL = (f'import course; course.setup(); clf = course.MoveClassifier(student="browser-test", case="{CASE}"); '
                   "clf")
CODEBOOK = read_csv("codebook.csv")
GROUP = {row["id"]: row["group"] for row in CODEBOOK}
LABEL = {row["id"]: row["label_da"] for row in CODEBOOK}
CLASSES = [row["id"] for row in CODEBOOK if row["group"] in ("hands_off", "hands_on", "democratic_anchoring")] + ["NONE"]
MOVES = [row for row in read_csv("moves.csv") if row["case"] == CASE]


def mode(cls: str) -> str:
    return "none" if cls == "NONE" else GROUP[cls]


def label(cls: str) -> str:
    return strings("class_NONE") if cls == "NONE" else LABEL[cls]


def accepted(move: dict) -> set[str]:
    return {move["reference_class"], *[c for c in move["also_accepted"].split(";") if c]}


def wrong_answer(move: dict) -> str:
    return next(c for c in CLASSES if mode(c) != mode(move["reference_class"]) and c not in accepted(move))


def partial_answer(move: dict) -> str | None:
    return next((c for c in CLASSES if mode(c) == mode(move["reference_class"]) and c not in accepted(move)), None)


def test_right_wrong_and_partial_answers_give_feedback_and_score(lab):
    work = lab.tmp_path / "work"
    notebook = lab.write_notebook("classifier.ipynb", [work_dir_cell(work), CLASSIFIER_CELL])
    lab.run_clean(notebook)
    clf = lab.panel(notebook).locator(".course-move-classifier")
    expect(clf).to_be_visible()
    card = clf.locator(".course-card")
    radios = clf.locator(".widget-radio")
    answer_button = clf.get_by_role("button", name=strings("answer"), exact=True)
    n = len(MOVES)
    score = {"correct": 0, "partial": 0, "wrong": 0, "answered": 0, "n": n}
    expect(clf.get_by_text(strings("score").format(**score), exact=True)).to_be_visible()

    # Answering with nothing chosen asks for a choice first.
    answer_button.click()
    expect(clf.get_by_role("alert")).to_have_text(strings("choose_first"))

    partial_at = next(i for i, m in enumerate(MOVES) if i >= 2 and partial_answer(m))
    plan = [(0, MOVES[0]["reference_class"], "correct", "Rigtigt."),
            (1, wrong_answer(MOVES[1]), "wrong", "Ikke kursets læsning."),
            (partial_at, partial_answer(MOVES[partial_at]), "partial", strings("result_partial"))]
    position = 0
    for index, answer, result, verdict in plan:
        while position < index:
            clf.get_by_role("button", name=strings("next"), exact=True).click()
            position += 1
            expect(clf.get_by_text(strings("progress").format(i=position + 1, n=n), exact=True)).to_be_visible()
        move = MOVES[index]
        expect(card).to_contain_text(move["id"])
        radios.nth(0).get_by_role("radio", name=strings("mode_" + mode(answer)), exact=True).check()
        tool = radios.nth(1).get_by_role("radio", name=label(answer), exact=True)
        if len([c for c in CLASSES if mode(c) == mode(answer)]) == 1:
            expect(tool).to_be_checked()  # the only tool of that kind is chosen for the student
        else:
            tool.check()
        answer_button.click()
        feedback = clf.get_by_role("status").filter(has_text=verdict)
        expect(feedback).to_be_visible()
        reference = move["reference_class"]
        expect(feedback).to_contain_text(strings("reference_class").format(
            ref=label(reference), explicitness=strings("explicitness_" + move["explicitness"])))
        expect(feedback).to_contain_text(f"{strings('answer')}: {label(answer)}")
        score[result] += 1
        score["answered"] += 1
        expect(clf.get_by_text(strings("score").format(**score), exact=True)).to_be_visible()

    save_file = work / save_name("article", "browser-test")
    moves = wait_until(lambda: (m := json.loads(save_file.read_text(encoding="utf-8"))["moves"]) and len(m) == 3 and m,
                       what="three answers saved")
    assert {k: [a["result"] for a in v["attempts"]] for k, v in moves.items()} == {
        MOVES[i]["id"]: [result] for i, _, result, _ in plan}
