"""The self-checks of sessions 1-3: `...` is "not answered", the right answer is right, a wrong one gets a
hint that teaches (points to what to look at), and nothing crashes on odd input."""
from __future__ import annotations

import pandas as pd
import pytest

import course
from course import fieldwork as fw
from course import vocab
from course.data import load_corpus
from course.selfcheck import session1, session2, session3

ODD = [None, "", "x", 3.5, [], {}, pd.DataFrame({"a": [1], "b": [2]})]



def _answers(corpus):
    """(check, right answer, a wrong answer, a word the wrong answer's hint must contain)."""
    ex, mv, fwk = corpus.excerpts, corpus.moves, corpus.fieldwork
    parts = ex.merge(corpus.sections[["id", "part"]].rename(columns={"id": "section"}), on="section")["part"]
    moves = mv.set_index("id")
    classified = {m: moves.loc[m, "reference_class"] for m in session2.MOVES_TO_CLASSIFY}
    wrong_classes = dict(classified, PM11="HOFF_DESIGN")  # the design/framing confusion
    dem_share = mv.assign(d=mv["reference_class"].str.startswith("DEM_")).groupby("case")["d"].mean()
    dates = fw.fieldwork_dates(corpus).query("case == 'police'")
    per_month = dates.groupby("month").size()
    per_year = dates["month"].str[:4].value_counts()
    printed = fwk.loc[fwk["case"] == "workshop", "number_printed"]
    return [
        (session1.q1, ex.groupby("case").size(), {"police": 1, "workshop": 1, "general": 1}, "vignetter"),
        (session1.q2, int((ex["kind"] == "quote").sum()), len(ex), "vignetterne"),
        (session1.q3, int((~parts.isin(["police", "workshop"])).sum()), int((ex["case"] == "general").sum()), "part"),
        (session1.q4, "b", "a", "New Public Management"),
        (session1.q5, "b", "c", "borgere"),
        (session1.q6, "c", "a", "problemformuleringens"),
        (session2.q1, corpus.codebook.groupby("group").size(), {"hands_off": 2, "hands_on": 2,
                                                                "democratic_anchoring": 3, "dilemma": 1}, "dilemma"),
        (session2.q2, classified, wrong_classes, "rigtig hovedform"),
        (session2.q4, dem_share.idxmax(), dem_share.idxmin(), "groupby"),
        (session2.q5, int((mv["explicitness"] == "inferred").sum()), int((mv["explicitness"] == "explicit").sum()),
         "inferred"),
        (session2.q6, "c", "b", "hands-on"),
        (session2.q7, "b", "a", "design"),
        (session3.q1, pd.crosstab(fwk["case"], fwk["type"]), pd.crosstab(fwk["case"], fwk["type"]).iloc[:, :1],
         "27 + 13"),
        (session3.q2, int(dates.loc[dates["n_dates"] > 1, "id"].nunique()), len(dates), "datoer"),
        (session3.q3, list(per_month.index[per_month == per_month.max()]), [per_month.idxmax()], "maksimum"),
        (session3.q4, int(per_year.idxmax()), int(per_year.idxmin()), "value_counts"),
        (session3.q5, sorted(int(n) for n in printed[printed.duplicated()]), [1], "number_printed"),
        (session3.q7, "b", "c", "tilfældigt"),
        (session3.q8, "c", "a", "Krause"),
    ]


def _cases():
    return [pytest.param(i, id=f"{check.__module__.rsplit('.', 1)[1]}.{check.__name__}")
            for i, (check, *_rest) in enumerate(_answers(course.load_corpus()))]



@pytest.mark.parametrize("index", range(len(_answers(course.load_corpus()))))
def test_unanswered_right_and_wrong(corpus, index):
    check, good, bad, word = _answers(corpus)[index]
    assert check(...).status == "unanswered"
    result = check(good)
    assert result.status == "right", result.message
    assert result.ok
    wrong = check(bad)
    assert wrong.status == "not_yet"
    assert not wrong.ok
    assert word.lower() in wrong.message.lower(), wrong.message
    assert len(wrong.message) > 40  # a teaching hint, not just "wrong"
    for odd in ODD:
        assert check(odd).status in ("unanswered", "not_yet")


def test_hints_point_to_sections_of_the_article(corpus):
    s01 = corpus.sections.set_index("id").loc["S01", "heading_da"]
    assert s01 in session1.q5("a").message
    assert "»" in session2.q2({m: "NONE" for m in session2.MOVES_TO_CLASSIFY}).message
    assert corpus.sections.set_index("id").loc["S22", "heading_da"] in session3.q5([9]).message


def test_mc_accepts_letters_loosely():
    assert session1.q4(" B) ").ok
    assert session1.q4("e").status == "not_yet" and "ét bogstav" in session1.q4("e").message


def test_classification_accepts_defensible_alternatives(corpus):
    moves = corpus.moves.set_index("id")
    answer = {m: moves.loc[m, "reference_class"] for m in session2.MOVES_TO_CLASSIFY}
    alternative = next(m for m in session2.MOVES_TO_CLASSIFY if moves.loc[m, "also_accepted"])
    answer[alternative] = moves.loc[alternative, "also_accepted"].split(";")[0]
    assert session2.q2(answer).ok


def test_classification_partly_answered_and_unknown_classes(corpus):
    answer = {m: ... for m in session2.MOVES_TO_CLASSIFY}
    assert session2.q2(answer).status == "unanswered"
    answer["PM05"] = "HOFF_DESIGN"
    assert "Udfyld også" in session2.q2(answer).message
    answer = {m: "DESIGN" for m in session2.MOVES_TO_CLASSIFY}
    assert "HOFF_DESIGN" in session2.q2(answer).message


def test_classification_wrong_mode_gets_a_mode_question(corpus):
    answer = {m: corpus.moves.set_index("id").loc[m, "reference_class"] for m in session2.MOVES_TO_CLASSIFY}
    answer["PM20"] = "HOFF_DESIGN"  # facilitation during the meeting is not hands-off
    message = session2.q2(answer).message
    assert "ikke hands-off" in message and "før samskabelsen" in message


def test_widget_answers_check():
    empty = pd.DataFrame(columns=["student", "move", "case", "answer", "reference", "result", "attempts"])
    assert session2.q3(...).status == "unanswered"
    assert session2.q3(empty).status == "unanswered"
    three = pd.DataFrame({"move": ["PM01", "PM02", "PM03"], "result": ["correct", "partial", "wrong"]})
    result = session2.q3(three)
    assert result.status == "not_yet" and "mindst 5" in result.message
    six = pd.DataFrame({"move": [f"PM0{i}" for i in range(1, 7)], "result": ["correct"] * 4 + ["wrong"] * 2})
    result = session2.q3(six)
    assert result.ok and "4 rigtige" in result.message
    assert session2.q3("nonsense").status == "not_yet"


def test_chart_check(corpus):
    import altair as alt

    data = fw.fieldwork_stages(corpus)
    assert session3.q6(...).status == "unanswered"
    assert session3.q6("a chart").status == "not_yet"
    bare = alt.Chart(data).mark_bar().encode(x="stage:N", y="items:Q")
    assert "description" in session3.q6(bare).message
    wordy = bare.properties(description="Søjler efter fase.")
    assert "tallene" in session3.q6(wordy).message
    good = bare.properties(description=f"{int(data['items'].sum())} poster efter fase.")
    assert session3.q6(good).ok


def test_month_check_explains_the_tie(corpus):
    months = fw.fieldwork_months(corpus, case="police")
    top = list(months.index[months == months.max()])
    if len(top) > 1:
        assert "flere" in session3.q3(top[:1]).message
    assert session3.q3(list(reversed(top))).ok
    assert session3.q3(pd.Index(top)).ok


def test_expected_values_follow_the_data(tmp_path, corpus):
    """A lecturer's own fieldwork table gives its own answers: nothing is hard-coded."""
    import shutil

    folder = tmp_path / "own"
    shutil.copytree(course.paths.data_dir(), folder, ignore=shutil.ignore_patterns("_parts", "README.md"))
    table = pd.read_csv(folder / "fieldwork.csv", dtype=str, keep_default_na=False)
    table.loc[table["id"] == "F-P02", "dates"] = "2016-02;2016-03"
    table.to_csv(folder / "fieldwork.csv", index=False)
    own = course.load_corpus(folder)
    assert session3.q2(7, corpus=own).ok and not session3.q2(6, corpus=own).ok
    assert session3.q2(6, corpus=corpus).ok


def test_english_messages(corpus):
    course.i18n.set_language("en")
    assert session1.q2(...).message.startswith("Not answered yet")
    assert "vignettes" in session1.q2(len(corpus.excerpts)).message
    assert session3.q7("b").message.startswith("Right")


def test_odd_input_to_the_chart_and_month_checks():
    for odd in ODD:
        assert session3.q6(odd).status in ("unanswered", "not_yet")
    assert "tom" in session3.q3([]).message


def test_english_case_shares_name_the_cases_in_english(corpus):
    course.i18n.set_language("en")
    try:
        message = session2.q4("workshop", corpus=corpus).message
    finally:
        course.i18n.set_language("da")
    assert "The Future workshop" in message and "Fremtidsworkshoppen" not in message


def test_session2_q4_takes_the_case_label_in_either_language():
    """An English-track student may type the case's English label (before: only the Danish one)."""
    corpus = load_corpus()
    moves = corpus.moves.assign(dem=vocab.move_modes(corpus) == "democratic_anchoring")
    best = moves.groupby("case")["dem"].mean().idxmax()
    labels = corpus.cases.set_index("id").loc[best]
    assert session2.q4(labels["label_da"]).ok and session2.q4(labels["label_en"].upper()).ok
