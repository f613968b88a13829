"""Self-checks for session 6, "På tværs af casene: diskussion og konklusion" (materials/exercises/06_cross_case_discussion.ipynb).

Expected values are computed from the course's data (moves.csv, timeline.csv, sections.csv), never
typed in. The keys of the multiple-choice questions are the course's reading of the article, and
every hint names the section to reread.
"""
from __future__ import annotations

from collections.abc import Mapping

from ..data import Corpus, split_list
from ..i18n import field, t
from . import (
    Result,
    and_join,
    as_int,
    choice_question,
    class_modes,
    corpus_or_default,
    heading,
    hint,
    not_answered,
    parsed,
    right,
    say,
    unanswered,
)

#: Other words that name a case in an alt text (besides its id and labels).
ALIASES = {"police": ("politi",), "workshop": ("fremtidsworkshop", "værested")}
#: How far a share may be from the expected one and still count as right (rounding).
TOLERANCE = 0.006


def _with_mode(corpus: Corpus):
    return corpus.moves.assign(mode=corpus.moves["reference_class"].map(class_modes(corpus)))


def _number(answer) -> float | None:
    if isinstance(answer, bool):
        return None
    try:
        return float(answer)
    except (TypeError, ValueError):
        return None


def expected_q1(corpus: Corpus | None = None) -> int:
    moves = _with_mode(corpus_or_default(corpus))
    return int(((moves["case"] == "police") & (moves["mode"] == "hands_on")).sum())


def q1(answer, corpus: Corpus | None = None) -> Result:
    """How many of the police case's moves does the course classify as hands-on?"""
    given = parsed(answer, as_int, "s6.q1.hint2")
    if isinstance(given, Result):
        return given
    corpus = corpus_or_default(corpus)
    moves = _with_mode(corpus)
    expected = expected_q1(corpus)
    police = moves[moves["case"] == "police"]
    management = int((police["reference_class"] == "HON_MANAGEMENT").sum())
    both_cases = int((moves["mode"] == "hands_on").sum())
    s09 = heading("S09", corpus)
    if given == expected:
        participation = expected - management
        return right("s6.q1.right", expected=expected, n_police=len(police), management=management, participation=participation, s09=s09)
    if given == management and management != expected:
        return hint("s6.q1.hint3", s09=s09)
    if given == both_cases and both_cases != expected:
        return hint("s6.q1.hint4")
    return hint("s6.q1.hint1")


def expected_q2(corpus: Corpus | None = None) -> float:
    moves = _with_mode(corpus_or_default(corpus))
    workshop = moves[moves["case"] == "workshop"]
    classified = workshop[workshop["mode"] != "none"]
    return float((classified["mode"] == "hands_off").mean())


def q2(answer, corpus: Corpus | None = None) -> Result:
    """The share of hands-off among the workshop's classified moves (not NONE), between 0 and 1."""
    given = parsed(answer, _number, "s6.q2.hint2")
    if isinstance(given, Result):
        return given
    corpus = corpus_or_default(corpus)
    expected = expected_q2(corpus)
    moves = _with_mode(corpus)
    workshop = moves[moves["case"] == "workshop"]
    of_all = float((workshop["mode"] == "hands_off").mean())
    if abs(given - expected) <= TOLERANCE:
        counts = workshop.loc[workshop["mode"] != "none", "mode"].value_counts()
        largest = sorted(counts.index[counts == counts.max()])
        modes = and_join(t("mode_" + m).lower() for m in largest)
        return right("s6.q2.right", percent=expected * 100, modes=modes, s12=heading("S12", corpus))
    if 1 < given <= 100 and abs(given / 100 - expected) <= TOLERANCE:
        return hint("s6.q2.hint3")
    if abs(given - of_all) <= TOLERANCE:
        return hint("s6.q2.hint4")
    return hint("s6.q2.hint1")


def expected_q3(corpus: Corpus | None = None) -> int:
    moves = corpus_or_default(corpus).moves
    workshop = moves[moves["case"] == "workshop"]
    return int(sum(r.reference_class == "HON_MANAGEMENT" or "HON_MANAGEMENT" in split_list(r.also_accepted)
                   for r in workshop.itertuples()))


def q3(answer, corpus: Corpus | None = None) -> Result:
    """How many workshop moves have HON_MANAGEMENT as their reference class or as a defensible reading?"""
    given = parsed(answer, as_int, "s6.q3.hint2")
    if isinstance(given, Result):
        return given
    corpus = corpus_or_default(corpus)
    moves = corpus.moves
    workshop = moves[moves["case"] == "workshop"]
    expected = expected_q3(corpus)
    reference_only = int((workshop["reference_class"] == "HON_MANAGEMENT").sum())
    also_only = int(workshop["also_accepted"].map(lambda v: "HON_MANAGEMENT" in split_list(v)).sum())
    if given == expected:
        return right("s6.q3.right", reference_only=reference_only, also_only=expected - reference_only, s12=heading('S12', corpus))
    if given == reference_only:
        return hint("s6.q3.hint3")
    if given == also_only:
        return hint("s6.q3.hint4")
    return hint("s6.q3.hint1")


def q4(chart, corpus: Corpus | None = None) -> Result:
    """An Altair chart of the moves per phase in both cases, with alt text that names both cases."""
    import altair as alt

    from ..charts import alt_text

    if unanswered(chart):
        return not_answered()
    corpus = corpus_or_default(corpus)
    if not isinstance(chart, alt.TopLevelMixin):
        return hint("s6.q4.hint1")
    if not any("phase" in f for f in _fields(chart.to_dict(validate=False))):
        return hint("s6.q4.hint2")
    text = alt_text(chart)
    if not text.strip():
        return hint("s6.q4.hint3")
    cases = corpus.cases.set_index("id")
    missing = []
    for case in ("police", "workshop"):
        names = {case, *ALIASES.get(case, ())}
        if case in cases.index:
            names |= {cases.loc[case, "label_da"], cases.loc[case, "label_en"]}
        if not any(str(n).strip() and str(n).lower() in text.lower() for n in names):
            missing.append(case)

    if missing:
        return hint("s6.q4.hint4", named=and_join(field(cases.loc[c].to_dict(), "label") or c if c in cases.index else c
                                                  for c in missing))
    if not any(ch.isdigit() for ch in text):
        return hint("s6.q4.hint5")
    phases = corpus.moves.groupby("case")["phase"].agg(lambda p: p.value_counts().idxmax())
    top = and_join(say("s6.q4.phase_in", phase=t("phase_" + ph).lower(),
                       case=field(cases.loc[c].to_dict(), "label") if c in cases.index else c) for c, ph in phases.items())
    return right("s6.q4.right", top=top)


def _fields(spec) -> list[str]:
    """Every field name a chart encodes (its data sets left out)."""
    found: list[str] = []
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key in ("datasets", "data"):
                continue
            if key == "field" and isinstance(value, str):
                found.append(value)
            else:
                found.extend(_fields(value))
    elif isinstance(spec, list):
        for item in spec:
            found.extend(_fields(item))
    return found


def expected_q5(corpus: Corpus | None = None) -> tuple[int, int]:
    timeline = corpus_or_default(corpus).timeline
    police = timeline[timeline["case"] == "police"]
    on = police[police["leadership"] == "hands_on"]
    # Where the hands-on leadership stops: the end of a span (order_end), or the order of a point event.
    last_on = int(on["order_end"].fillna(on["order"]).max()) if "order_end" in on else int(on["order"].max())
    change = int(police.loc[police["when_da"] == "halvvejs", "order"].iloc[0])
    return last_on, change


def q5(answer, corpus: Corpus | None = None) -> Result:
    """(where the police case's hands-on leadership stops on the timeline, order of the director change)."""
    if unanswered(answer):
        return not_answered()
    corpus = corpus_or_default(corpus)
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        return hint("s6.q5.hint1")
    if any(unanswered(a) for a in answer):
        return not_answered()
    given = tuple(as_int(a) for a in answer)
    last_on, change = expected_q5(corpus)
    s10 = heading("S10", corpus)
    if given == (last_on, change):
        later = say("s6.q5.later" if last_on > change else "s6.q5.not_later", s10=s10)
        return right("s6.q5.right", last_on=last_on, change=change, later=later)
    if given == (change, last_on):
        return hint("s6.q5.hint2")
    notes = []
    if given[0] != last_on:
        notes.append(say("s6.q5.last_on"))
    if given[1] != change:
        notes.append(say("s6.q5.change", s10=s10))
    return Result("not_yet", " ".join(notes))


def expected_q6(corpus: Corpus | None = None) -> dict[int, str]:
    """Recommendation number -> the discussion section it answers.

    The article's four recommendations follow the four subsections of its discussion in order (the
    first discussion section is the introduction to them).
    """
    sections = corpus_or_default(corpus).sections
    discussion = sections[sections["part"] == "discussion"].sort_values("order")["id"].tolist()
    return {number: section for number, section in enumerate(discussion[1:], start=1)}


def q6(answer, corpus: Corpus | None = None) -> Result:
    """Match each recommendation (1-4) to the discussion section it answers (a section id)."""
    if unanswered(answer):
        return not_answered()
    corpus = corpus_or_default(corpus)
    expected = expected_q6(corpus)
    if not isinstance(answer, Mapping):
        return hint("s6.q6.hint1")
    given = {as_int(k): str(v).strip().upper() for k, v in answer.items() if not unanswered(v)}
    if not given:
        return not_answered()
    missing = [n for n in expected if n not in given]
    if missing:
        return hint("s6.q6.hint2", missing=', '.join(map(str, missing)))
    wrong = [n for n in expected if given[n] != expected[n]]
    if not wrong:
        return right("s6.q6.right")
    notes = [say("s6.q6.note", n=n, where=heading(expected[n], corpus)) for n in wrong[:2]]
    return Result("not_yet", " ".join([say("s6.q6.matches", right=len(expected) - len(wrong), n=len(expected)), *notes]))


def q7(answer) -> Result:
    """Which statement about hands-off metagovernance is right (a-d)?"""
    return choice_question(answer, "s6.q7", "b", "S03", "S10")


def q8(answer) -> Result:
    """Which of these is NOT one of the three elements of democratic anchoring (a-d)?"""
    return choice_question(answer, "s6.q8", "d", "S12", "S17")
