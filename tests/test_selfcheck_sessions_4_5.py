"""The self-checks of sessions 4 and 5: `...` is "not answered", the right answer (computed here from the
data, the way a student would) is right, a wrong one gets a hint that teaches, and odd input never crashes."""
from __future__ import annotations

import itertools
import shutil
from collections import Counter

import altair as alt
import pandas as pd
import pytest

import course
from course import dotvote
from course.coding import reference_table
from course.selfcheck import session4, session5

ODD = [None, "", "x", 3.5, [], {}, pd.DataFrame({"a": [1], "b": [2]}), ("A",), {"PM13": 3}]




def _classes(corpus, moves):
    table = corpus.moves.set_index("id")
    return {m: table.loc[m, "reference_class"] for m in moves}


def _pairs(ref, case):
    return Counter(pair for _, g in ref[ref["case"] == case].groupby("excerpt")
                   for pair in itertools.combinations(sorted(g["code"]), 2))


def _answers(corpus):
    """(check, right answer, a wrong answer, a word the wrong answer's hint must contain)."""
    ref = reference_table(corpus)
    police = ref.loc[ref["case"] == "police", "code"].value_counts()
    timeline = corpus.timeline[corpus.timeline["case"] == "police"].copy()
    shift = timeline.loc[timeline["id"] == session4.SHIFT_EVENT, "order"].item()
    # What is going on in each period: spans that outlast the change count in both periods.
    before = timeline[timeline["order"] < shift].assign(period="før skiftet")
    after = timeline[(timeline["order"] >= shift) | (timeline["order_end"].fillna(-1) > shift)].assign(period="efter skiftet")
    both = pd.concat([before, after])
    shift_table = pd.crosstab(both["period"], both["leadership"])
    # The old misreading: every event counted once, at its start, so no hands-on seems to outlast the change.
    timeline["period"] = timeline["order"].map(lambda o: "efter skiftet" if o >= shift else "før skiftet")
    wrong_shift = pd.crosstab(timeline["period"], timeline["leadership"])
    assert shift_table.loc["efter skiftet", "hands_on"] == 2
    pairs = _pairs(ref, "police")
    top_pair = max(pairs, key=pairs.get)
    low_pair = min(pairs, key=pairs.get)
    two = ref[ref["case"].isin(["police", "workshop"])]
    by_case = pd.crosstab(two["code"], two["case"])
    difference = by_case["workshop"] - by_case["police"]
    workshop_moves = corpus.moves.loc[corpus.moves["case"] == "workshop", "reference_class"].value_counts()
    police_classes = _classes(corpus, session4.MOVES_TO_CLASSIFY)
    workshop_classes = _classes(corpus, session5.MOVES_TO_CLASSIFY)
    return [
        (session4.q2, police_classes, dict(police_classes, PM15="HOFF_DESIGN"), "PM15"),
        (session4.q3, police, police.drop(police.index[0]), "mangler"),
        (session4.q4, police.idxmax(), police.idxmin(), "idxmax"),
        (session4.q5, shift_table, wrong_shift, "order_end"),
        (session4.q7, top_pair, low_pair, "itertools.combinations"),
        (session5.q2, workshop_classes, dict(workshop_classes, WM13="DEM_ACCESS"), "WM13"),
        (session5.q3, by_case, by_case[["police"]], "workshop"),
        (session5.q4, difference.idxmax(), difference.idxmin(), "workshop - police"),
        (session5.q6, workshop_moves, workshop_moves.head(2), "mangler"),
    ]


def _ids():
    return [f"{check.__module__.rsplit('.', 1)[1]}.{check.__name__}" for check, *_ in _answers(course.load_corpus())]


@pytest.mark.parametrize("index", range(len(_answers(course.load_corpus()))), ids=_ids())
def test_unanswered_right_and_wrong(corpus, index):
    check, good, bad, word = _answers(corpus)[index]
    assert check(...).status == "unanswered"
    result = check(good)
    assert result.status == "right" and result.ok, result.message
    wrong = check(bad)
    assert wrong.status == "not_yet" and not wrong.ok
    assert word.lower() in wrong.message.lower(), wrong.message
    assert len(wrong.message) > 40
    for odd in ODD:
        assert check(odd).status in ("unanswered", "not_yet")


def test_classification_accepts_defensible_readings_and_names_sections(corpus):
    moves = corpus.moves.set_index("id")
    answer = _classes(corpus, session4.MOVES_TO_CLASSIFY)
    alternative = next(m for m in session4.MOVES_TO_CLASSIFY if moves.loc[m, "also_accepted"])
    answer[alternative] = moves.loc[alternative, "also_accepted"].split(";")[0]
    assert session4.q2(answer).ok
    wrong = {m: "NONE" for m in session4.MOVES_TO_CLASSIFY}
    message = session4.q2(wrong).message
    assert "»" in message and "ikke ikke metastyring" not in message and "ikke »ikke metastyring«" in message
    partly = dict(_classes(corpus, session4.MOVES_TO_CLASSIFY), PM13=...)
    assert "Udfyld også PM13" in session4.q2(partly).message
    assert "HOFF_DESIGN" in session4.q2({m: "design" for m in session4.MOVES_TO_CLASSIFY}).message
    # same mode, other tool: says so
    same_mode = dict(_classes(corpus, session4.MOVES_TO_CLASSIFY), PM31="DEM_EQUAL")
    assert "rigtig hovedform" in session4.q2(same_mode).message
    # case and spaces in class ids are forgiven
    assert session5.q2({m: f" {c.lower()} " for m, c in _classes(corpus, session5.MOVES_TO_CLASSIFY).items()}).ok


@pytest.mark.parametrize("session, case, ids", [
    (session4, "police", ["pol-v04", "pol-q06", "pol-v07", "pol-v09", "pol-v13"]),
    (session5, "workshop", ["ws-q04", "ws-v05", "ws-v09", "ws-v12", "ws-v16"]),
])
def test_coding_progress_check(tmp_path, corpus, session, case, ids):
    coder = course.ExcerptCoder(student="test", case=case, folder=tmp_path)
    assert session.q1(coder.summary()).status == "unanswered"
    reference = corpus.reference_codes()
    for excerpt_id in ids[:3]:
        coder.model.set_codes(reference[excerpt_id], excerpt_id)
    result = session.q1(coder.summary())
    assert result.status == "not_yet" and "3 uddrag" in result.message and "mindst 5" in result.message
    for excerpt_id in ids[3:]:
        coder.model.set_codes(reference[excerpt_id], excerpt_id)
    assert "sammenlignet nogen" in session.q1(coder.summary()).message
    for excerpt_id in ids:
        coder.model.reveal(excerpt_id)
    result = session.q1(coder.summary())
    assert result.ok and "5 uddrag kodet, 5 af dem sammenlignet" in result.message
    # excerpts from the other case do not count
    other = session4 if session is session5 else session5
    assert other.q1(coder.summary()).status == "unanswered"
    assert session.q1("not a table").status == "not_yet"


def test_shift_table_and_chart_check(corpus):
    table = session4.shift_table(corpus)
    # The dialogue meetings and the coordinator's facilitation go on after the change (the old table said 0).
    assert table.loc["efter skiftet"].get("hands_on", 0) == 2
    police = corpus.timeline[corpus.timeline["case"] == "police"]
    change = police.loc[police["when_da"] == "halvvejs", "order"].item()
    outlasting = int(((police["order"] < change) & (police["order_end"].fillna(-1) > change)).sum())
    assert outlasting == 2 and table.to_numpy().sum() == len(police) + outlasting
    renamed = table.rename(index={"før skiftet": "before"})
    assert "før skiftet" in session4.q5(renamed).message
    long = table.reset_index().melt(id_vars="period", var_name="leadership", value_name="events")
    bare = alt.Chart(long).mark_bar().encode(x="period:N", y="events:Q", color="leadership:N")
    assert session4.q6(...).status == "unanswered"
    assert "description" in session4.q6(bare).message
    assert "tallene" in session4.q6(bare.properties(description="Søjler før og efter.")).message
    good = bare.properties(description=f"Før skiftet: hands-on {int(table.loc['før skiftet', 'hands_on'])}.")
    assert session4.q6(good).ok
    assert session4.q6("a chart").status == "not_yet"
    counts = session5.moves_per_class(corpus)
    chart = alt.Chart(pd.DataFrame({"c": list(counts), "n": list(counts.values())})).mark_bar().encode(x="n:Q", y="c:N")
    assert session5.q7(chart.properties(description=", ".join(f"{k} {v}" for k, v in counts.items()))).ok
    for odd in ODD:
        assert session4.q6(odd).status in ("unanswered", "not_yet")
        assert session5.q7(odd).status in ("unanswered", "not_yet")


def test_care_partners_ties_need_all(corpus):
    ref = reference_table(corpus)
    pairs = _pairs(ref, "workshop")
    partners = {(set(p) - {"DIL_CARE"}).pop(): n for p, n in pairs.items() if "DIL_CARE" in p}
    top = max(partners.values())
    best = sorted(c for c, n in partners.items() if n == top)
    assert session5.q5(best).ok and session5.q5(list(reversed(best))).ok
    if len(best) > 1:
        partial = session5.q5(best[0])
        assert partial.status == "not_yet" and "står lige" in partial.message
    else:
        assert session5.q5(best[0]).ok
    wrong = next(c for c, n in partners.items() if n < top)
    assert "DIL_CARE" in session5.q5(wrong).message
    for odd in ODD:
        assert session5.q5(odd).status in ("unanswered", "not_yet")


def test_dot_vote_checks():
    table = dotvote.sweep("hours", [3, 5], runs=dotvote.POPULATIONS)
    drop = table["share_winners_vulnerable"].iloc[0] - table["share_winners_vulnerable"].iloc[1]
    assert drop > 0
    assert session5.q8(...).status == "unanswered"
    assert session5.q8(drop).ok and session5.q8(100 * drop).ok
    assert "Fortegnet" in session5.q8(-drop).message
    assert "sweep" in session5.q8(drop + 0.2).message
    assert session5.q8(True).status == "not_yet" and session5.q8("0.05").status == "not_yet"
    assert session5.q9(...).status == "unanswered"
    assert session5.q9({"early_vote": True}).ok
    assert session5.q9({"points": 1}).ok
    assert "målet" in session5.q9({"points": 10}).message
    assert "5 timer" in session5.q9({"hours": 3}).message
    assert "fremmødet" in session5.q9({"turnout": 0.9}).message
    assert "regler" in session5.q9({"colour": "red"}).message
    assert session5.q9({"points": 0}).status == "not_yet"
    for odd in ODD:
        assert session5.q9(odd).status in ("unanswered", "not_yet")
        assert session5.q8(odd).status in ("unanswered", "not_yet")


def test_expected_values_follow_the_data(tmp_path, corpus):
    """A lecturer's own tables give their own answers: nothing is hard-coded."""
    folder = tmp_path / "own"
    shutil.copytree(course.paths.data_dir(), folder, ignore=shutil.ignore_patterns("_parts", "README.md"))
    excerpts = pd.read_csv(folder / "excerpts.csv", dtype=str, keep_default_na=False)
    police = excerpts["case"] == "police"
    excerpts.loc[police, "reference_codes"] = excerpts.loc[police, "reference_codes"].map(
        lambda codes: "DIL_ENDING;" + codes if codes and "DIL_ENDING" not in codes else codes)
    excerpts.to_csv(folder / "excerpts.csv", index=False)
    own = course.load_corpus(folder)
    own_top = reference_table(own).query("case == 'police'")["code"].value_counts().idxmax()
    assert own_top == "DIL_ENDING"
    assert session4.q4("DIL_ENDING", corpus=own).ok
    assert not session4.q4("DIL_ENDING", corpus=corpus).ok
    timeline = pd.read_csv(folder / "timeline.csv", dtype=str, keep_default_na=False)
    timeline.loc[timeline["id"] == "T-P13", "leadership"] = "hands_on"
    timeline.to_csv(folder / "timeline.csv", index=False)
    own = course.load_corpus(folder)
    assert session4.shift_table(own).loc["efter skiftet", "hands_on"] == 3
    assert session4.q5(session4.shift_table(corpus), corpus=own).status == "not_yet"


def test_english_messages(corpus):
    course.i18n.set_language("en")
    assert session4.q3(...).message.startswith("Not answered yet")
    assert session4.q4("NOPE").message.startswith("NOPE is not used")
    assert session5.q9({"early_vote": True}).message.startswith("It works in the model")
    assert "percentage points" in session5.q8(0.9).message or "sweep" in session5.q8(0.9).message


def test_period_labels_follow_the_language(corpus):
    from course import i18n

    assert (session4.PERIOD_BEFORE, session4.PERIOD_AFTER) == ("før skiftet", "efter skiftet")
    danish = session4.shift_table(corpus)
    try:
        i18n.set_language("en")
        assert (session4.PERIOD_BEFORE, session4.PERIOD_AFTER) == ("before the change", "after the change")
        english = session4.shift_table(corpus)
        assert list(english.index) == sorted([session4.PERIOD_BEFORE, session4.PERIOD_AFTER])
        assert english.loc["after the change"].equals(danish.loc["efter skiftet"])
        assert session4.q5(english).ok
        assert session4.q5(danish).ok  # typed from the Danish labels: counts the same
        assert "before the change" in session4.q5(english.rename(index={"before the change": "x"})).message
    finally:
        i18n.set_language("da")
    assert session4.q5(danish).ok and session4.PERIOD_BEFORE == "før skiftet"
