"""Self-checks for session 2, "Teori: hands-off og hands-on metastyring" (materials/exercises/02_theory_metagovernance.ipynb).

Expected values come from data/codebook.csv and data/moves.csv (the course's reference
classification, with the classes a defensible reading may also give). Hints name the mode that was
right or wrong and the section to reread; they do not give the class away.
"""
from __future__ import annotations

import pandas as pd

from ..data import Corpus
from ..i18n import field
from ..vocab import move_modes
from . import (
    ClassifyTexts,
    Result,
    as_counts,
    as_int,
    choice_question,
    classify,
    corpus_or_default,
    heading,
    hint,
    not_answered,
    parsed,
    right,
    say,
    unanswered,
)

#: Three pairs of moves that students often confuse: design/framing, management/participation,
#: access/equal participation.
PAIRS = (("PM05", "PM11"), ("PM20", "PM16"), ("WM12", "WM13"))
MOVES_TO_CLASSIFY = tuple(m for pair in PAIRS for m in pair)
CLASSIFY_TEXTS = ClassifyTexts(example="PM05", same_mode="s2.classify.same_mode", other_mode="s2.classify.other_mode",
                               all_right="s2.classify.all_right")


def q1(answer, corpus: Corpus | None = None) -> Result:
    """How many codes does each group of the codebook have?"""
    given = parsed(answer, as_counts, "s2.q1.hint1")
    if isinstance(given, Result):
        return given
    codebook = corpus_or_default(corpus).codebook
    expected = {str(k): int(v) for k, v in codebook.groupby("group").size().items()}
    if set(given) != set(expected):
        return hint("s2.q1.hint2", expected=', '.join(sorted(expected)))
    wrong = [g for g in expected if given[g] != expected[g]]
    if wrong:
        return hint("s2.q1.hint3", wrong=', '.join(wrong))
    meta = sum(v for g, v in expected.items() if g != "dilemma")
    return right("s2.q1.right", meta=meta, dilemmas=expected.get('dilemma', 0))


def q2(answer, corpus: Corpus | None = None) -> Result:
    """Classify six moves (three easily confused pairs): a dict move id -> class id."""
    return classify(answer, MOVES_TO_CLASSIFY, corpus_or_default(corpus), CLASSIFY_TEXTS, normalise=False)


def q3(answers, minimum: int = 5) -> Result:
    """Have you classified at least ``minimum`` moves in the widget? ``answers`` is ``clf.answers()``."""
    if unanswered(answers):
        return not_answered()
    if not isinstance(answers, pd.DataFrame) or "result" not in answers:
        return hint("s2.q3.hint1")
    if answers.empty:
        return Result("unanswered", say("s2.q3.text"))
    n = len(answers)
    counts = answers["result"].value_counts()
    summary = say("s2.q3.summary", correct=counts.get("correct", 0), partial=counts.get("partial", 0),
                  wrong=counts.get("wrong", 0))
    if n < minimum:
        return hint("s2.q3.hint2", n=n, summary=summary, minimum=minimum)
    return right("s2.q3.right", n=n, summary=summary)


def q4(answer, corpus: Corpus | None = None) -> Result:
    """In which case is the share of democratic-anchoring moves (DEM_*) largest? A case id."""
    if unanswered(answer):
        return not_answered()
    corpus = corpus_or_default(corpus)
    moves = corpus.moves.assign(dem=move_modes(corpus) == "democratic_anchoring")
    shares = moves.groupby("case")["dem"].mean()
    best = shares.idxmax()
    given = str(answer).strip()
    by_label = {str(row[column]).lower(): row["id"] for _, row in corpus.cases.iterrows()
                for column in ("label_da", "label_en") if column in row and isinstance(row[column], str)}
    given = by_label.get(given.lower(), given)
    if given not in shares.index:
        return hint("s2.q4.hint2", cases=', '.join(shares.index))
    shown = {c: field(row, "label") for c, row in corpus.cases.set_index("id").to_dict("index").items()}
    pct = ", ".join(f"{shown.get(c, c)} {s:.0%}" for c, s in shares.items())
    if given == best:
        return right("s2.q4.right", pct=pct, s12=heading('S12', corpus))
    return hint("s2.q4.hint1")


def q5(answer, corpus: Corpus | None = None) -> Result:
    """How many moves does the course classify by its own inference (``explicitness == "inferred"``)?"""
    given = parsed(answer, as_int, "s2.q5.hint2")
    if isinstance(given, Result):
        return given
    counts = corpus_or_default(corpus).moves["explicitness"].value_counts()
    expected = int(counts.get("inferred", 0))
    if given == expected:
        return right("s2.q5.right", expected=expected, total=int(counts.sum()))
    if given == int(counts.get("explicit", 0)):
        return hint("s2.q5.hint3")
    if given == int(counts.get("none", 0)):
        return hint("s2.q5.hint4")
    return hint("s2.q5.hint1")


def q6(answer) -> Result:
    """Who most often does the hands-on leadership, according to the article (a-d)?"""
    return choice_question(answer, "s2.q6", "c", "S03", "S09")


def q7(answer) -> Result:
    """Which of these is network framing (a-d)?"""
    return choice_question(answer, "s2.q7", "b", "S03")
