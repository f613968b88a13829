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
    if unanswered(answer):
        return not_answered()
    expected = code_by_case(corpus)
    if not isinstance(answer, pd.DataFrame):
        return hint("Giv en tabel lavet med `pd.crosstab(ref[\"code\"], ref[\"case\"])`.",
                    "Give a table made with `pd.crosstab(ref[\"code\"], ref[\"case\"])`.")
    missing_cols = [c for c in expected.columns if c not in answer.columns]
    if missing_cols:
        return hint(f"Tabellen skal have en kolonne pr. case; der mangler {', '.join(missing_cols)}. Læg koderne i "
                    "rækkerne og casene i kolonnerne.",
                    f"The table needs a column per case; {', '.join(missing_cols)} is missing. Put the codes in the "
                    "rows and the cases in the columns.")
    for case in expected.columns:
        result = counts_check(answer[case], expected[case].to_dict(), f"i casen {case}", f"in the case {case}",
                              "`pd.crosstab(ref[\"code\"], ref[\"case\"])`", "`pd.crosstab(ref[\"code\"], ref[\"case\"])`")
        if not result.ok:
            return result
    return right("Rigtigt. Sammenlign kolonnerne: hvilke koder fylder mere i workshoppen end hos politiet, og "
                 "hvorfor kunne det være sådan?",
                 "Right. Compare the columns: which codes weigh more in the workshop than in the police case, and "
                 "why might that be?")


def q4(answer, corpus: Corpus | None = None) -> Result:
    """Which code has the largest excess of workshop over police excerpts (workshop minus police)?"""
    if unanswered(answer):
        return not_answered()
    table = code_by_case(corpus)
    difference = table[CASE] - table["police"]
    top = int(difference.max())
    best = sorted(str(c) for c in difference.index[difference == top])
    code = as_code(answer)
    if code is None:
        return hint("Skriv kodens id som tekst, fx `\"DEM_ACCESS\"`.", "Write the code's id as text, e.g. `\"DEM_ACCESS\"`.")
    if code in best:
        care = code == "DIL_CARE"
        return right(f"Rigtigt: {code} står på {top} flere uddrag i workshoppen end i politicasen."
                     + (" Artiklen knytter det til brugernes udsatte position: ansvar og omsorg må balanceres, når "
                        "brugerne får mere styring." if care else ""),
                     f"Right: {code} is on {top} more excerpts in the workshop than in the police case."
                     + (" The article ties this to the users' vulnerable position: responsibility and care must be "
                        "balanced as users gain more control." if care else ""))
    if code in difference.index:
        return hint(f"For {code} er forskellen {int(difference[code])}. Regn `workshop - police` for hver kode, og "
                    "find den største med `.idxmax()`.",
                    f"For {code} the difference is {int(difference[code])}. Compute `workshop - police` for every code "
                    "and find the largest with `.idxmax()`.")
    return hint(f"{code} bruges ikke i referencekodningen af de to cases.",
                f"{code} is not used in the reference coding of the two cases.")


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
        return hint("Skriv et kode-id som tekst (eller en liste, hvis flere står lige).",
                    "Write a code id as text (or a list if several tie).")
    if given == best:
        return right(f"Rigtigt: {' og '.join(sorted(best))} ({top} uddrag hver). Læs uddragene, de deler, og "
                     "overvej, hvorfor omsorg hænger sammen med netop det.",
                     f"Right: {' and '.join(sorted(best))} ({top} excerpts each). Read the excerpts they share and "
                     "consider why care goes with exactly that.")
    if given < best:
        return hint(f"Du har fundet en af dem, men {len(best)} koder står lige med {top} uddrag hver. Giv dem alle i "
                    "en liste.",
                    f"You found one of them, but {len(best)} codes tie with {top} excerpts each. Give them all in a list.")
    wrong = sorted(c for c in given if c not in best)
    return hint(f"{', '.join(wrong)} deler {', '.join(str(partners.get(c, 0)) for c in wrong)} uddrag med "
                f"{CARE_CODE}; find de uddrag, der har {CARE_CODE}, og tæl de andre koder på dem.",
                f"{', '.join(wrong)} share {', '.join(str(partners.get(c, 0)) for c in wrong)} excerpts with "
                f"{CARE_CODE}; take the excerpts that have {CARE_CODE} and count the other codes on them.")


def moves_per_class(corpus: Corpus | None = None) -> dict[str, int]:
    """The expected answer of q6: the workshop's moves per reference class."""
    moves = corpus_or_default(corpus).moves
    return {str(k): int(v) for k, v in moves.loc[moves["case"] == CASE, "reference_class"].value_counts().items()}


def q6(answer, corpus: Corpus | None = None) -> Result:
    """How many of the workshop's moves has each reference class?"""
    expected = moves_per_class(corpus)
    result = counts_check(answer, expected, "i workshoppens greb", "in the workshop's moves",
                          "`moves[moves[\"case\"] == \"workshop\"][\"reference_class\"].value_counts()`",
                          "`moves[moves[\"case\"] == \"workshop\"][\"reference_class\"].value_counts()`")
    if result.ok:
        dem = sum(v for k, v in expected.items() if k.startswith("DEM_"))
        return right(f"Rigtigt: {dem} af {sum(expected.values())} greb handler om demokratisk forankring.",
                     f"Right: {dem} of {sum(expected.values())} moves are about democratic anchoring.")
    return result


def q7(chart, corpus: Corpus | None = None) -> Result:
    """An Altair chart of the q6 counts, with alt text (a description) that states its numbers."""
    if unanswered(chart):
        return not_answered()
    return chart_with_numbers(chart, set(moves_per_class(corpus).values()),
                              "fx hvor mange greb hver klasse har", "e.g. how many moves each class has")


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
        return hint("Giv et tal, fx 0.07 (en andel) eller 7 (procentpoint).",
                    "Give a number, e.g. 0.07 (a share) or 7 (percentage points).")
    value = float(answer)
    value = value / 100 if abs(value) > 1 else value
    drop = expected_drop()
    if abs(value - drop) <= 0.005:
        return right(f"Rigtigt: i modellen falder andelen med ca. {100 * drop:.0f} procentpoint. Husk, at det er en "
                     "konstrueret model: tallet siger noget om modellens antagelser, ikke om workshoppen.",
                     f"Right: in the model the share falls by about {100 * drop:.0f} percentage points. Remember it is "
                     "a constructed model: the number says something about its assumptions, not about the workshop.")
    if abs(value + drop) <= 0.005:
        return hint("Fortegnet er vendt: regn 3-timersdagens andel minus 5-timersdagens.",
                    "The sign is reversed: take the 3-hour share minus the 5-hour share.")
    return hint(f"Ikke helt. Brug `course.dotvote.sweep(\"hours\", [{SHORT_HOURS:g}, {ARTICLE_HOURS:g}], runs=course.dotvote.POPULATIONS)` "
                "og træk de to værdier af `share_winners_vulnerable` fra hinanden.",
                f"Not quite. Use `course.dotvote.sweep(\"hours\", [{SHORT_HOURS:g}, {ARTICLE_HOURS:g}], runs=course.dotvote.POPULATIONS)` "
                "and subtract the two values of `share_winners_vulnerable`.")


def q9(rules) -> Result:
    """A rule change that keeps the 5-hour day and the turnout, yet gives the most vulnerable at least the
    share of winning ideas they get on a 3-hour day. ``rules`` is a dict, e.g. ``{"early_vote": True}``."""
    if unanswered(rules):
        return not_answered()
    if not isinstance(rules, dict) or not rules:
        return hint("Giv reglerne som en dict, fx {\"points\": 4} eller {\"early_vote\": True}.",
                    "Give the rules as a dict, e.g. {\"points\": 4} or {\"early_vote\": True}.")
    unknown = [k for k in rules if k not in RULES]
    if unknown:
        return hint(f"{', '.join(map(str, unknown))}: modellens regler hedder {', '.join(RULES)}.",
                    f"{', '.join(map(str, unknown))}: the model's rules are {', '.join(RULES)}.")
    if float(rules.get("hours", ARTICLE_HOURS)) != ARTICLE_HOURS:
        return hint(f"Opgaven holder dagen på {ARTICLE_HOURS:g} timer som i artiklen; find en anden regel at ændre.",
                    f"The task keeps the day at {ARTICLE_HOURS:g} hours as in the article; find another rule to change.")
    if float(rules.get("turnout", BASE_TURNOUT)) != BASE_TURNOUT:
        return hint("Opgaven holder fremmødet fast; det er reglerne for selve afstemningen, du skal ændre.",
                    "The task keeps the turnout fixed; it is the rules of the vote itself you should change.")
    try:
        share = _shares(**{k: v for k, v in rules.items() if k not in ("hours", "turnout")})
    except (TypeError, ValueError) as err:
        return hint(f"Modellen kan ikke køre med de regler: {err}", f"The model cannot run with those rules: {err}")
    target = _shares(hours=SHORT_HOURS)
    if share + 1e-9 >= target:
        return right(f"Det virker i modellen: {100 * share:.0f} % af de vindende idéer kommer fra de mest sårbare, "
                     f"mod {100 * target:.0f} % på en 3-timersdag. Argumentér nu for, om reglen også ville virke i "
                     "virkeligheden, og hvad den kræver af personalet.",
                     f"It works in the model: {100 * share:.0f}% of the winning ideas come from the most vulnerable, "
                     f"against {100 * target:.0f}% on a 3-hour day. Now argue whether the rule would work in reality, "
                     "and what it asks of the staff.")
    return hint(f"Med de regler får de mest sårbare {100 * share:.0f} % af de vindende idéer; målet er mindst "
                f"{100 * target:.0f} %. Tænk på, hvem der er i rummet, når der stemmes, og på, hvor mange point "
                "flertallet kan sprede ud.",
                f"With those rules the most vulnerable get {100 * share:.0f}% of the winning ideas; the target is at "
                f"least {100 * target:.0f}%. Think about who is in the room when the vote happens, and how many points "
                "the majority can spread.")
