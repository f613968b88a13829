"""Self-checks for session 4, "Case 1: politiets dialoginitiativ" (materials/exercises/04_police_case.ipynb).

Expected values are computed from the course's data (excerpts.csv, moves.csv, timeline.csv), never
typed in; pass ``corpus=`` to check against a lecturer's own tables. Hints say what to look at and
which section of the article to reread; they do not hand out the answer.
"""
from __future__ import annotations

import pandas as pd

from .. import i18n
from ..coding import reference_table
from ..data import Corpus
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

CASE = "police"
#: Five moves across the whole arc of the case: design, the director in person, access, the shift, the ending.
MOVES_TO_CLASSIFY = ("PM13", "PM15", "PM25", "PM27", "PM31")
#: The timeline event where the police director changes (ids are stable and never reused; students find it by
#: its time as the article gives it, »halvvejs«, which is what the hints say).
SHIFT_EVENT = "T-P12"
SHIFT_WHEN = "halvvejs"
#: The period labels of q5's table are the catalogue's ``selfcheck.s4.period.before``/``.after``.
#: ``PERIOD_BEFORE``/``PERIOD_AFTER`` (module attributes, read as ``check.PERIOD_BEFORE``) give them in the
#: notebook's language; q5 accepts a table labelled in any interface language.


def periods(lang: str | None = None) -> tuple[str, str]:
    """The labels (before, after) of the two periods in ``lang`` (default: the notebook's language)."""
    return i18n.t("selfcheck.s4.period.before", lang), i18n.t("selfcheck.s4.period.after", lang)


def __getattr__(name: str) -> str:
    if name in ("PERIOD_BEFORE", "PERIOD_AFTER"):
        return periods()[name == "PERIOD_AFTER"]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# -- this session's helpers ------------------------------------------------------------------------
def as_pair(answer) -> frozenset[str] | None:
    if isinstance(answer, (tuple, list, set, frozenset)) and len(answer) == 2 and all(isinstance(a, str) for a in answer):
        pair = frozenset(a.strip().upper() for a in answer)
        return pair if len(pair) == 2 else None
    return None


def reference_counts(corpus: Corpus, case: str) -> dict[str, int]:
    """How many excerpts of a case carry each code in the course's reference coding."""
    table = reference_table(corpus)
    return {str(k): int(v) for k, v in table[table["case"] == case]["code"].value_counts().items()}


# -- the session's questions ---------------------------------------------------------------------
def q1(summary, minimum: int = 5, corpus: Corpus | None = None) -> Result:
    """Have you coded (and compared) at least ``minimum`` police excerpts? ``summary`` is ``coder.summary()``."""
    return coded_excerpts(summary, CASE, corpus_or_default(corpus), minimum)


def q2(answer, corpus: Corpus | None = None) -> Result:
    """Classify five moves from the police case: a dict move id -> class id."""
    return classify(answer, MOVES_TO_CLASSIFY, corpus_or_default(corpus))


def q3(answer, corpus: Corpus | None = None) -> Result:
    """How many police excerpts carry each code in the course's reference coding?"""
    corpus = corpus_or_default(corpus)
    expected = reference_counts(corpus, CASE)
    result = counts_check(answer, expected, "s4.q3.what", "s4.q3.how")
    if result.ok:
        top = max(expected.values())
        return right("s4.q3.right", total=sum(expected.values()), n_codes=len(expected), top=top)
    return result


def q4(answer, corpus: Corpus | None = None) -> Result:
    """Which code is used most often in the police case's reference coding?"""
    code = parsed(answer, as_code, "s4.q4.hint2")
    if isinstance(code, Result):
        return code
    corpus = corpus_or_default(corpus)
    expected = reference_counts(corpus, CASE)
    top = max(expected.values())
    best = sorted(k for k, v in expected.items() if v == top)
    if code in best:
        return right("s4.q4.right", code=code, top=top)
    if code in expected:
        return hint("s4.q4.hint3", code=code, count=expected[code])
    return hint("s4.q4.hint1", code=code)


def shift_table(corpus: Corpus | None = None) -> pd.DataFrame:
    """The expected answer of q5: what is going on in each period (before/after the director change), per mode.

    An event counts in the period it happens in; an activity that lasts over time (a span, with ``order_end``)
    counts in every period it covers: before the change if it starts before it, after the change if it starts
    at or after it or goes on past it (``order_end`` larger than the change).
    """
    corpus = corpus_or_default(corpus)
    timeline = corpus.timeline[corpus.timeline["case"] == CASE]
    shift = int(timeline.loc[timeline["id"] == SHIFT_EVENT, "order"].iloc[0])
    end = timeline["order_end"] if "order_end" in timeline else pd.Series(pd.NA, index=timeline.index)
    period_before, period_after = periods()
    before = timeline[timeline["order"] < shift].assign(period=period_before)
    after = timeline[(timeline["order"] >= shift) | (end.fillna(-1) > shift)].assign(period=period_after)
    both = pd.concat([before, after])
    return pd.crosstab(both["period"], both["leadership"])


def q5(answer, corpus: Corpus | None = None) -> Result:
    """A crosstab of the police timeline: period (før/efter skiftet) against leadership mode."""
    answer = parsed(answer, as_table, "s4.q5.hint1")
    if isinstance(answer, Result):
        return answer
    expected = shift_table(corpus)
    PERIOD_BEFORE, PERIOD_AFTER = periods()  # noqa: N806 (the module's labels, in the notebook's language)
    # A table labelled in the other language (e.g. typed from the Danish text) counts the same.
    same = {label: current for lang in i18n.LANGUAGES for label, current in zip(periods(lang), periods())}
    answer = answer.rename(index=lambda r: same.get(str(r), r))
    rows = {str(r) for r in answer.index}
    if rows != set(expected.index):
        return hint("s4.q5.hint2", PERIOD_BEFORE=PERIOD_BEFORE, PERIOD_AFTER=PERIOD_AFTER, rows=', '.join(sorted(rows)) or say('s4.q5.no_rows'), SHIFT_WHEN=SHIFT_WHEN)
    given = answer.copy()
    given.index = given.index.map(str)
    off = []
    for period in expected.index:
        for mode in expected.columns:
            value = given.loc[period, mode] if mode in given.columns else 0
            if int(value) != int(expected.loc[period, mode]):
                off.append(f"{period}/{mode}")
    if off:
        return hint("s4.q5.hint3", off=', '.join(off), SHIFT_WHEN=SHIFT_WHEN, PERIOD_AFTER=PERIOD_AFTER)
    on_after = int(expected.loc[PERIOD_AFTER].get("hands_on", 0)) if PERIOD_AFTER in expected.index else 0
    return right("s4.q5.right", on_after=on_after)


def q6(chart, corpus: Corpus | None = None) -> Result:
    """An Altair chart of the q5 table, with alt text (a description) that states its numbers."""
    if unanswered(chart):
        return not_answered()
    numbers = {int(v) for v in shift_table(corpus).to_numpy().ravel() if int(v)}
    return chart_with_numbers(chart, numbers, "s4.q6.example")


def q7(answer, corpus: Corpus | None = None) -> Result:
    """Which two codes are most often given to the same police excerpt (reference coding)?"""
    pair = parsed(answer, as_pair, "s4.q7.hint2")
    if isinstance(pair, Result):
        return pair
    corpus = corpus_or_default(corpus)
    pairs = pair_counts(corpus, CASE)
    top = max(pairs.values())
    best = [p for p, n in pairs.items() if n == top]
    if pair in best:
        return right("s4.q7.right", pair=and_join(sorted(pair)), top=top)
    found = pairs.get(pair, 0)
    return hint("s4.q7.hint1", found=found, top=top)
