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
    as_code,
    chart_with_numbers,
    classify,
    coded_excerpts,
    corpus_or_default,
    counts_check,
    hint,
    not_answered,
    pair_counts,
    right,
    unanswered,
)

CASE = "police"
#: Five moves across the whole arc of the case: design, the director in person, access, the shift, the ending.
MOVES_TO_CLASSIFY = ("PM13", "PM15", "PM25", "PM27", "PM31")
#: The timeline event where the police director changes (ids are stable and never reused; students find it by
#: its time as the article gives it, »halvvejs«, which is what the hints say).
SHIFT_EVENT = "T-P12"
SHIFT_WHEN = "halvvejs"
#: The period labels of q5's table, in each language. ``PERIOD_BEFORE``/``PERIOD_AFTER`` (module attributes, read
#: as ``check.PERIOD_BEFORE``) give them in the notebook's language; q5 accepts a table labelled in either language.
PERIODS = {"da": ("før skiftet", "efter skiftet"), "en": ("before the change", "after the change")}


def periods(lang: str | None = None) -> tuple[str, str]:
    """The labels (before, after) of the two periods in ``lang`` (default: the notebook's language)."""
    return PERIODS.get(lang or i18n.get_language(), PERIODS["da"])


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
    result = counts_check(answer, expected, "i politicasens referencekodning", "in the police case's reference coding",
                          "`ref[ref[\"case\"] == \"police\"][\"code\"].value_counts()`",
                          "`ref[ref[\"case\"] == \"police\"][\"code\"].value_counts()`")
    if result.ok:
        top = max(expected.values())
        return right(f"Rigtigt: {sum(expected.values())} kodninger fordelt på {len(expected)} koder; den hyppigste "
                     f"bruges {top} gange. Husk, at det er kursets læsning, ikke artiklens optælling.",
                     f"Right: {sum(expected.values())} codings over {len(expected)} codes; the most frequent is used "
                     f"{top} times. Remember that this is the course's reading, not a count in the article.")
    return result


def q4(answer, corpus: Corpus | None = None) -> Result:
    """Which code is used most often in the police case's reference coding?"""
    if unanswered(answer):
        return not_answered()
    corpus = corpus_or_default(corpus)
    expected = reference_counts(corpus, CASE)
    top = max(expected.values())
    best = sorted(k for k, v in expected.items() if v == top)
    code = as_code(answer)
    if code is None:
        return hint("Skriv kodens id som tekst, fx `\"HON_MANAGEMENT\"`.", "Write the code's id as text, e.g. `\"HON_MANAGEMENT\"`.")
    if code in best:
        return right(f"Rigtigt: {code} ({top} uddrag). Overvej, hvad det siger om casen: artiklen læser den som "
                     "top-down samskabelse, hvor meget afgøres, før borgerne er med.",
                     f"Right: {code} ({top} excerpts). Consider what that says about the case: the article reads it "
                     "as top-down co-creation, where much is settled before the citizens join.")
    if code in expected:
        return hint(f"{code} bruges {expected[code]} gange, men en anden kode bruges oftere. Sortér din optælling "
                    "(`.sort_values(ascending=False)`) eller brug `.idxmax()`.",
                    f"{code} is used {expected[code]} times, but another code is used more often. Sort your count "
                    "(`.sort_values(ascending=False)`) or use `.idxmax()`.")
    return hint(f"{code} bruges ikke i politicasens referencekodning. Brug din tabel fra opgaven før.",
                f"{code} is not used in the police case's reference coding. Use your table from the task before.")


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
    if unanswered(answer):
        return not_answered()
    expected = shift_table(corpus)
    if not isinstance(answer, pd.DataFrame):
        return hint("Giv en tabel lavet med `pd.crosstab(...)` over periode og ledelse.",
                    "Give a table made with `pd.crosstab(...)` over period and leadership.")
    PERIOD_BEFORE, PERIOD_AFTER = periods()  # noqa: N806 (the module's labels, in the notebook's language)
    # A table labelled in the other language (e.g. typed from the Danish text) counts the same.
    same = {label: current for labels in PERIODS.values() for label, current in zip(labels, periods())}
    answer = answer.rename(index=lambda r: same.get(str(r), r))
    rows = {str(r) for r in answer.index}
    if rows != set(expected.index):
        return hint(f"Rækkerne skal hedde »{PERIOD_BEFORE}« og »{PERIOD_AFTER}« (du har {', '.join(sorted(rows)) or 'ingen'}). "
                    f"Skiftet er begivenheden »{SHIFT_WHEN}«, og den hører selv til perioden efter.",
                    f"The rows should be \"{PERIOD_BEFORE}\" and \"{PERIOD_AFTER}\" (you have "
                    f"{', '.join(sorted(rows)) or 'none'}). The shift is the event \"{SHIFT_WHEN}\", which itself "
                    "belongs to the period after.")
    given = answer.copy()
    given.index = given.index.map(str)
    off = []
    for period in expected.index:
        for mode in expected.columns:
            value = given.loc[period, mode] if mode in given.columns else 0
            if int(value) != int(expected.loc[period, mode]):
                off.append(f"{period}/{mode}")
    if off:
        return hint(f"Tallene passer ikke for {', '.join(off)}. Tjek, at du kun har politicasens begivenheder, at "
                    f"skiftet (»{SHIFT_WHEN}«) tæller med »{PERIOD_AFTER}«, og at et forløb, der varer ud over skiftet "
                    "(`order_end` større end skiftets `order`), tæller med i begge perioder.",
                    f"The counts are off for {', '.join(off)}. Check that you have only the police case's events, that "
                    f"the shift (\"{SHIFT_WHEN}\") counts as \"{PERIOD_AFTER}\", and that an activity lasting beyond "
                    "the shift (`order_end` larger than the shift's `order`) counts in both periods.")
    on_after = int(expected.loc[PERIOD_AFTER].get("hands_on", 0)) if PERIOD_AFTER in expected.index else 0
    return right(f"Rigtigt. Efter direktørskiftet er {on_after} hands-on-forløb stadig i gang: dialogmøderne og "
                 "koordinatorens facilitering, der varer til 2018. Det, skiftet trak tilbage, var direktørens egen "
                 "hands-off- og hands-on-ledelse; de nye greb efter skiftet er den nye direktørs hands-off.",
                 f"Right. After the change of director {on_after} hands-on activities are still going on: the dialogue "
                 "meetings and the coordinator's facilitation, which last until 2018. What the change withdrew was the "
                 "director's own hands-off and hands-on leadership; the new moves after the change are the new "
                 "director's hands-off.")


def q6(chart, corpus: Corpus | None = None) -> Result:
    """An Altair chart of the q5 table, with alt text (a description) that states its numbers."""
    if unanswered(chart):
        return not_answered()
    numbers = {int(v) for v in shift_table(corpus).to_numpy().ravel() if int(v)}
    return chart_with_numbers(chart, numbers, "fx hvor mange hands-on-forløb der er i gang før og efter skiftet",
                              "e.g. how many hands-on activities are going on before and after the shift")


def q7(answer, corpus: Corpus | None = None) -> Result:
    """Which two codes are most often given to the same police excerpt (reference coding)?"""
    if unanswered(answer):
        return not_answered()
    corpus = corpus_or_default(corpus)
    pairs = pair_counts(corpus, CASE)
    pair = as_pair(answer)
    if pair is None:
        return hint("Giv parret som to kode-id'er i en tuple, fx `(\"HOFF_DESIGN\", \"DEM_ACCESS\")`.",
                    "Give the pair as two code ids in a tuple, e.g. `(\"HOFF_DESIGN\", \"DEM_ACCESS\")`.")
    top = max(pairs.values())
    best = [p for p, n in pairs.items() if n == top]
    if pair in best:
        return right(f"Rigtigt: {' og '.join(sorted(pair))} optræder sammen på {top} uddrag. Overvej, hvad "
                     "sammenfaldet siger: hvilke beslutninger i designet gør initiativet sårbart?",
                     f"Right: {' and '.join(sorted(pair))} occur together on {top} excerpts. Consider what that says: "
                     "which design decisions make the initiative fragile?")
    found = pairs.get(pair, 0)
    return hint(f"Det par optræder sammen på {found} uddrag; det hyppigste par optræder {top} gange. Gå uddragene "
                "igennem ét ad gangen, og tæl hvert par af koder (`itertools.combinations`).",
                f"That pair occurs together on {found} excerpts; the most frequent pair occurs {top} times. Go through "
                "the excerpts one at a time and count each pair of codes (`itertools.combinations`).")
