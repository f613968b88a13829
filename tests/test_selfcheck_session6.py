"""The self-checks of session 6: `...` is "not answered", the right answer (computed here from the data
independently of the checks) is right, typical wrong answers get the hint that teaches, and odd input
never crashes."""
from __future__ import annotations

import altair as alt
import pandas as pd
import pytest

import course
from course.data import split_list
from course.selfcheck import Result
from course.selfcheck import session6 as check

ODD = [None, "", "x", 3.5, -1, [], {}, (1,), pd.DataFrame({"a": [1]}), True]



@pytest.fixture(autouse=True)
def danish():
    course.setup(lang="da")
    yield
    course.setup(lang="da")


def modes(corpus):
    groups = corpus.codebook.set_index("id")["group"]
    return corpus.moves["reference_class"].map(lambda c: "none" if c == "NONE" else groups[c])


def right_answers(corpus):
    mv = corpus.moves.assign(mode=modes(corpus))
    police, workshop = mv[mv["case"] == "police"], mv[mv["case"] == "workshop"]
    classified = workshop[workshop["mode"] != "none"]
    tl = corpus.timeline[corpus.timeline["case"] == "police"]
    discussion = corpus.sections[corpus.sections["part"] == "discussion"].sort_values("order")["id"].tolist()
    return {
        "q1": int((police["mode"] == "hands_on").sum()),
        "q2": float((classified["mode"] == "hands_off").sum() / len(classified)),
        "q3": int(sum(r.reference_class == "HON_MANAGEMENT" or "HON_MANAGEMENT" in split_list(r.also_accepted)
                      for r in workshop.itertuples())),
        "q5": (int(tl.loc[tl["leadership"] == "hands_on", "order_end"].max()),
               int(tl.loc[tl["when_da"] == "halvvejs", "order"].iloc[0])),
        "q6": dict(enumerate(discussion[1:], start=1)),
        "q7": "b",
        "q8": "d",
    }


def good_chart(corpus):
    per_phase = corpus.moves.groupby(["case", "phase"]).size().rename("n").reset_index()
    text = "Greb pr. fase. " + "; ".join(f"{r.case} {r.phase} {r.n}" for r in per_phase.itertuples())
    return alt.Chart(per_phase).mark_bar().encode(x="n:Q", y="phase:N", row="case:N").properties(description=text)


CHECKS = ["q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8"]


@pytest.mark.parametrize("name", CHECKS)
def test_unanswered(name):
    result = getattr(check, name)(...)
    assert isinstance(result, Result) and result.status == "unanswered" and not result.ok


@pytest.mark.parametrize("name", CHECKS)
@pytest.mark.parametrize("odd", ODD, ids=repr)
def test_odd_input_never_crashes(name, odd):
    result = getattr(check, name)(odd)
    assert isinstance(result, Result)
    assert result.message


def test_right_answers_are_right(corpus):
    answers = right_answers(corpus)
    for name, answer in answers.items():
        result = getattr(check, name)(answer)
        assert result.ok, (name, result)
    assert check.q4(good_chart(corpus)).ok


def test_expected_values_match_independent_counts(corpus):
    answers = right_answers(corpus)
    assert check.expected_q1(corpus) == answers["q1"]
    assert check.expected_q2(corpus) == pytest.approx(answers["q2"])
    assert check.expected_q3(corpus) == answers["q3"]
    assert check.expected_q5(corpus) == answers["q5"]
    assert check.expected_q6(corpus) == answers["q6"]
    assert set(answers["q6"].values()) == {"S15", "S16", "S17", "S18"}


def test_hints_that_teach(corpus):
    mv = corpus.moves.assign(mode=modes(corpus))
    police, workshop = mv[mv["case"] == "police"], mv[mv["case"] == "workshop"]
    answers = right_answers(corpus)
    only_management = int((police["reference_class"] == "HON_MANAGEMENT").sum())
    assert "HON_PARTICIPATION" in check.q1(only_management).message
    assert "police" in check.q1(int((mv["mode"] == "hands_on").sum())).message
    of_all = float((workshop["mode"] == "hands_off").mean())
    assert "NONE" in check.q2(of_all).message
    assert "procent" in check.q2(answers["q2"] * 100).message
    assert check.q2(round(answers["q2"], 2)).ok  # rounding is fine
    reference_only = int((workshop["reference_class"] == "HON_MANAGEMENT").sum())
    assert "also_accepted" in check.q3(reference_only).message
    last_on, change = answers["q5"]
    # The check teaches the true reading: the coordinator's hands-on leadership outlasts the director change.
    assert last_on > change and "2018" in check.q5((last_on, change)).message
    assert "byttet om" in check.q5((change, last_on)).message
    assert "halvvejs" in check.q5((last_on, change + 1)).message
    assert "not_yet" == check.q5([last_on]).status
    swapped = {**answers["q6"], 1: answers["q6"][2], 2: answers["q6"][1]}
    result = check.q6(swapped)
    assert result.status == "not_yet" and "2 af 4" in result.message and "Vigtigheden" in result.message
    assert "Udfyld også" in check.q6({1: answers["q6"][1]}).message
    assert check.q6({int(k): v.lower() for k, v in answers["q6"].items()}).ok  # case does not matter
    assert check.q6({str(k): v for k, v in answers["q6"].items()}).ok      # "1" is as good as 1
    assert "passiv" not in check.q7("a").message and "rammerne" in check.q7("a").message
    assert "hands-on" in check.q7("c").message
    assert "Adgang" in check.q8("a").message


def test_chart_hints(corpus):
    per_phase = corpus.moves.groupby(["case", "phase"]).size().rename("n").reset_index()
    bare = alt.Chart(per_phase).mark_bar().encode(x="n:Q", y="phase:N")
    assert "alt-tekst" in check.q4(bare).message.lower()
    assert "nævner ikke" in check.q4(bare.properties(description="Politiet: 3 greb")).message
    assert "tallene" in check.q4(bare.properties(description="politi og workshop")).message
    no_phase = alt.Chart(per_phase).mark_bar().encode(x="n:Q", y="case:N").properties(description="politi 1 workshop 2")
    assert "phase" in check.q4(no_phase).message
    assert "Altair" in check.q4("a chart").message


def test_english_feedback(corpus):
    course.setup(lang="en")
    assert check.q1(...).message.startswith("Not answered")
    assert check.q1(right_answers(corpus)["q1"]).message.startswith("Right")
    assert "The police dialogue initiative" in check.q4(
        alt.Chart(corpus.moves).mark_bar().encode(y="phase:N", x="count()").properties(description="workshop 3")
    ).message
