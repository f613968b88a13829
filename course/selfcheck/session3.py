"""Self-checks for session 3, "Metode: to ulige cases og feltarbejdet" (materials/exercises/03_method_cases.ipynb).

Expected values come from data/fieldwork.csv (the article's two appendix lists) through
:mod:`course.fieldwork`, so a lecturer's own fieldwork table gives its own answers.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from .. import fieldwork as fw
from ..charts import alt_text
from ..data import Corpus
from . import (
    Result,
    as_int,
    choice_question,
    corpus_or_default,
    heading,
    hint,
    not_answered,
    parsed,
    right,
    say,
    unanswered,
)


def _pairs(answer) -> dict[tuple[str, str], int] | None:
    """Counts keyed by (case, type) from a crosstab in either orientation or a dict of dicts."""
    if isinstance(answer, pd.DataFrame):
        answer = {str(c): {str(i): v for i, v in answer[c].items()} for c in answer.columns}
    if not isinstance(answer, Mapping):
        return None
    out: dict[tuple[str, str], int] = {}
    try:
        for outer, inner in answer.items():
            if not isinstance(inner, Mapping):
                return None
            for key, value in inner.items():
                if int(value):
                    out[(str(outer), str(key))] = int(value)
    except (TypeError, ValueError):
        return None
    return out


def q1(answer, corpus: Corpus | None = None) -> Result:
    """Fieldwork items per case and type (a crosstab, either way round)."""
    given = parsed(answer, _pairs, "s3.q1.hint2")
    if isinstance(given, Result):
        return given
    counts = fw.fieldwork_counts(corpus_or_default(corpus))
    expected = {(c, t): int(n) for c, row in counts.iterrows() for t, n in row.items() if n}
    flipped = {(t, c): n for (c, t), n in expected.items()}
    if given in (expected, flipped):
        kinds = {c: sum(1 for (case, _t) in expected if case == c) for c in counts.index}
        spread = ", ".join(say("s3.q1.types", case=c, n=n) for c, n in kinds.items())
        return right("s3.q1.right", spread=spread)
    total = sum(expected.values())
    if sum(given.values()) != total:
        return hint("s3.q1.hint3", total=total)
    return hint("s3.q1.hint1")


def q2(answer, corpus: Corpus | None = None) -> Result:
    """How many police items carry more than one date?"""
    given = parsed(answer, as_int, "s3.q2.hint2")
    if isinstance(given, Result):
        return given
    dates = fw.fieldwork_dates(corpus_or_default(corpus))
    police = dates[dates["case"] == "police"]
    expected = int(police.loc[police["n_dates"] > 1, "id"].nunique())
    if given == expected:
        last = police["month"].max()
        reaching = int(police.loc[(police["n_dates"] > 1) & (police["month"] == last), "id"].nunique())
        return right("s3.q2.right", expected=expected, reaching=reaching, month=fw.month_label(last))
    if given == len(police):
        return hint("s3.q2.hint3")
    if given == police["id"].nunique():
        return hint("s3.q2.hint4")
    return hint("s3.q2.hint1")


def _months(answer) -> list[str] | None:
    if isinstance(answer, str):
        return [answer.strip()]
    if isinstance(answer, pd.Series) or isinstance(answer, pd.Index):
        answer = list(answer)
    if isinstance(answer, Iterable):
        return [str(m).strip() for m in answer]
    return None


def q3(answer, corpus: Corpus | None = None) -> Result:
    """Which month(s) have the most police fieldwork dates? A list of ``YYYY-MM`` strings."""
    given = parsed(answer, _months, "s3.q3.hint2")
    if isinstance(given, Result):
        return given
    months = fw.fieldwork_months(corpus_or_default(corpus), case="police")
    top = int(months.max())
    expected = sorted(months.index[months == top])
    if not given:
        return hint("s3.q3.hint3")
    if sorted(given) == expected:
        return right("s3.q3.right", n_months=len(expected), top=top)
    if set(given) < set(expected):
        return hint("s3.q3.hint4", top=top)
    return hint("s3.q3.hint1")


def q4(answer, corpus: Corpus | None = None) -> Result:
    """Which year has the most police fieldwork dates?"""
    given = parsed(answer, as_int, "s3.q4.hint2")
    if isinstance(given, Result):
        return given
    dates = fw.fieldwork_dates(corpus_or_default(corpus))
    years = dates.loc[dates["case"] == "police", "month"].str[:4].astype(int).value_counts()
    expected = int(years.idxmax())
    if given == expected:
        first = int(years.index.min())
        return right("s3.q4.right", expected=expected, last_year=int(years.max()), first=first)
    return hint("s3.q4.hint1")


def q5(answer, corpus: Corpus | None = None) -> Result:
    """Which numbers does the workshop list print twice? A list of numbers."""
    if unanswered(answer):
        return not_answered()
    table = corpus_or_default(corpus).fieldwork
    printed = table.loc[table["case"] == "workshop", "number_printed"].astype(str)
    expected = sorted(int(n) for n in printed[printed.duplicated()].unique())
    try:
        given = sorted({int(str(n).strip()) for n in ([answer] if isinstance(answer, (int, str)) else answer)})
    except (TypeError, ValueError, KeyError, AttributeError):
        return hint("s3.q5.hint2")
    if given == expected:
        return right("s3.q5.right", months=', '.join(map(str, expected)), printed_max=printed.astype(int).max())
    return hint("s3.q5.hint1", s22=heading('S22', corpus))


def q6(chart) -> Result:
    """An Altair chart of the workshop items by stage, with alt text (``description``)."""
    import altair as alt

    if unanswered(chart):
        return not_answered()
    if not isinstance(chart, alt.TopLevelMixin):
        return hint("s3.q6.hint1")
    text = alt_text(chart)
    if not text.strip():
        return hint("s3.q6.hint2")
    if not any(ch.isdigit() for ch in text):
        return hint("s3.q6.hint3")
    return right("s3.q6.right")


def q7(answer) -> Result:
    """Why does the article call its cases "extreme" (a-d)?"""
    return choice_question(answer, "s3.q7", "b", "S04")


def q8(answer) -> Result:
    """What do the authors gain by comparing two unlike cases (a-d)?"""
    return choice_question(answer, "s3.q8", "c", "S04")
