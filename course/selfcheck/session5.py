"""Self-checks for session 5, "Case 2: Fremtidsworkshoppen" (materials/exercises/05_future_workshop.ipynb).

Expected values are computed from the course's data (excerpts.csv, moves.csv) and, for the dot
vote, from the made-up model in :mod:`course.dotvote`; nothing is typed in. Pass ``corpus=`` to check
against a lecturer's own tables.
"""
from __future__ import annotations

import math

import pandas as pd

from .. import dotvote
from ..coding import reference_table
from ..data import Corpus
from ..vocab import class_modes
from . import (
    Result,
    and_join,
    as_code,
    as_table,
    chart_with_numbers,
    classify,
    coded_excerpts,
    corpus_or_default,
    counts_check,
    hint,
    not_answered,
    pair_counts,
    parsed,
    right,
    say,
    unanswered,
)

CASE = "workshop"
#: Five moves: the framing PowerPoint, staff as pen-holders, and the three elements of democratic anchoring.
MOVES_TO_CLASSIFY = ("WM06", "WM08", "WM16", "WM13", "WM14")
#: The code whose companions q5 asks about.
CARE_CODE = "DIL_CARE"
#: The dot-vote questions: the article's day (10-15) against a shorter one, averaged over this many populations.
ARTICLE_HOURS, SHORT_HOURS = 5.0, 3.0
#: The number of constructed populations, the same everywhere in the course.
RUNS = dotvote.POPULATIONS
BASE_TURNOUT = dotvote.Params().turnout
RULES = ("points", "early_vote", "hours", "turnout")


def q1(summary, minimum: int = 5, corpus: Corpus | None = None) -> Result:
    """Have you coded (and compared) at least ``minimum`` workshop excerpts? ``summary`` is ``coder.summary()``."""
    return coded_excerpts(summary, CASE, corpus_or_default(corpus), minimum)


def q2(answer, corpus: Corpus | None = None) -> Result:
    """Classify five moves from the Future workshop: a dict move id -> class id."""
    return classify(answer, MOVES_TO_CLASSIFY, corpus_or_default(corpus))


def code_by_case(corpus: Corpus | None = None) -> pd.DataFrame:
    """The expected answer of q3: reference codings per code (rows) and case (police, workshop)."""
    table = reference_table(corpus_or_default(corpus))
    table = table[table["case"].isin(["police", CASE])]
    return pd.crosstab(table["code"], table["case"]).reindex(columns=["police", CASE], fill_value=0)


def q3(answer, corpus: Corpus | None = None) -> Result:
    """A crosstab of the reference coding: code (rows) against case (columns police and workshop)."""
    answer = parsed(answer, as_table, "s5.q3.hint1")
    if isinstance(answer, Result):
        return answer
    expected = code_by_case(corpus)
    missing_cols = [c for c in expected.columns if c not in answer.columns]
    if missing_cols:
        return hint("s5.q3.hint2", missing_cols=', '.join(missing_cols))
    for case in expected.columns:
        result = counts_check(answer[case], expected[case].to_dict(), "s5.q3.what", "s5.q3.how", case=case)
        if not result.ok:
            return result
    return right("s5.q3.right")


def q4(answer, corpus: Corpus | None = None) -> Result:
    """Which code has the largest excess of workshop over police excerpts (workshop minus police)?"""
    code = parsed(answer, as_code, "s5.q4.hint2")
    if isinstance(code, Result):
        return code
    table = code_by_case(corpus)
    difference = table[CASE] - table["police"]
    top = int(difference.max())
    best = sorted(str(c) for c in difference.index[difference == top])
    if code in best:
        care = say("s5.q4.care") if code == "DIL_CARE" else ""
        return right("s5.q4.right", code=code, top=top, care=care)
    if code in difference.index:
        return hint("s5.q4.hint3", code=code, difference=int(difference[code]))
    return hint("s5.q4.hint1", code=code)


def q5(answer, corpus: Corpus | None = None) -> Result:
    """Which code(s) most often share a workshop excerpt with DIL_CARE? A code id, or a list if several tie."""
    if unanswered(answer):
        return not_answered()
    corpus = corpus_or_default(corpus)
    partners: dict[str, int] = {}
    for pair, n in pair_counts(corpus, CASE).items():
        if CARE_CODE in pair:
            (other,) = pair - {CARE_CODE}
            partners[other] = n
    top = max(partners.values()) if partners else 0
    best = {c for c, n in partners.items() if n == top}
    given = {as_code(a) for a in answer} if isinstance(answer, (list, tuple, set)) else {as_code(answer)}
    if None in given or not given:
        return hint("s5.q5.hint2")
    if given == best:
        return right("s5.q5.right", best=and_join(sorted(best)), top=top)
    if given < best:
        return hint("s5.q5.hint3", n_best=len(best), top=top)
    wrong = sorted(c for c in given if c not in best)
    return hint("s5.q5.hint1", wrong=', '.join(wrong), partners=', '.join(str(partners.get(c, 0)) for c in wrong), CARE_CODE=CARE_CODE)


def moves_per_class(corpus: Corpus | None = None) -> dict[str, int]:
    """The expected answer of q6: the workshop's moves per reference class."""
    moves = corpus_or_default(corpus).moves
    return {str(k): int(v) for k, v in moves.loc[moves["case"] == CASE, "reference_class"].value_counts().items()}


def q6(answer, corpus: Corpus | None = None) -> Result:
    """How many of the workshop's moves has each reference class?"""
    expected = moves_per_class(corpus)
    result = counts_check(answer, expected, "s5.q6.what", "s5.q6.how")
    if result.ok:
        modes = class_modes(corpus_or_default(corpus))
        dem = sum(v for k, v in expected.items() if modes.get(k) == "democratic_anchoring")
        return right("s5.q6.right", dem=dem, total=sum(expected.values()))
    return result


def q7(chart, corpus: Corpus | None = None) -> Result:
    """An Altair chart of the q6 counts, with alt text (a description) that states its numbers."""
    if unanswered(chart):
        return not_answered()
    return chart_with_numbers(chart, set(moves_per_class(corpus).values()), "s5.q7.example")


def _shares(**rules) -> float:
    table = dotvote.sweep("hours", [rules.pop("hours", ARTICLE_HOURS)], runs=RUNS, **rules)
    return float(table["share_winners_vulnerable"].iloc[0])


def expected_drop() -> float:
    """The expected answer of q8: the fall in the most vulnerable's share of the winning ideas, 3 -> 5 hours."""
    return _shares(hours=SHORT_HOURS) - _shares(hours=ARTICLE_HOURS)


def q8(answer) -> Result:
    """How much does the most vulnerable's share of the winning ideas fall from a 3- to a 5-hour day?"""
    if unanswered(answer):
        return not_answered()
    if isinstance(answer, bool) or not isinstance(answer, (int, float)) or math.isnan(float(answer)):
        return hint("s5.q8.hint2")
    value = float(answer)
    value = value / 100 if abs(value) > 1 else value
    drop = expected_drop()
    if abs(value - drop) <= 0.005:
        return right("s5.q8.right", drop=100 * drop)
    if abs(value + drop) <= 0.005:
        return hint("s5.q8.hint3")
    return hint("s5.q8.hint1", SHORT_HOURS=SHORT_HOURS, ARTICLE_HOURS=ARTICLE_HOURS)


def q9(rules) -> Result:
    """A rule change that keeps the 5-hour day and the turnout, yet gives the most vulnerable at least the
    share of winning ideas they get on a 3-hour day. ``rules`` is a dict, e.g. ``{"early_vote": True}``."""
    if unanswered(rules):
        return not_answered()
    if not isinstance(rules, dict) or not rules:
        return hint("s5.q9.hint2")
    unknown = [k for k in rules if k not in RULES]
    if unknown:
        return hint("s5.q9.hint3", unknown=', '.join(map(str, unknown)), RULES=', '.join(RULES))
    if float(rules.get("hours", ARTICLE_HOURS)) != ARTICLE_HOURS:
        return hint("s5.q9.hint4", ARTICLE_HOURS=ARTICLE_HOURS)
    if float(rules.get("turnout", BASE_TURNOUT)) != BASE_TURNOUT:
        return hint("s5.q9.hint5")
    try:
        share = _shares(**{k: v for k, v in rules.items() if k not in ("hours", "turnout")})
    except (TypeError, ValueError) as err:
        return hint("s5.q9.hint6", err=err)
    target = _shares(hours=SHORT_HOURS)
    if share + 1e-9 >= target:
        return right("s5.q9.right", share=100 * share, target=100 * target)
    return hint("s5.q9.hint1", share=100 * share, target=100 * target)
