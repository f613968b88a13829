"""Self-checks for session 1, "Samskabelse og New Public Governance" (materials/exercises/01_cocreation_npg.ipynb).

Each check takes the student's answer and returns ``right``, ``hint`` or ``not_answered``. Expected
values are computed from the course's data; the keys of the multiple-choice questions are the
course's reading of the article, with the section to reread in every hint.
"""
from __future__ import annotations

from ..data import Corpus
from . import (
    Result,
    as_counts,
    as_int,
    choice_question,
    corpus_or_default,
    hint,
    parsed,
    right,
    say,
)

ANALYSIS_PARTS = ("police", "workshop")


def q1(answer, corpus: Corpus | None = None) -> Result:
    """How many excerpts (quotations and vignettes) does each case have?"""
    given = parsed(answer, as_counts, "s1.q1.hint1")
    if isinstance(given, Result):
        return given
    excerpts = corpus_or_default(corpus).excerpts
    expected = {str(k): int(v) for k, v in excerpts.groupby("case").size().items()}
    missing = sorted(set(expected) - set(given))
    if missing:
        return hint("s1.q1.hint2", missing=', '.join(missing))
    extra = sorted(set(given) - set(expected))
    if extra:
        return hint("s1.q1.hint3", extra=', '.join(extra))
    wrong = [c for c in expected if given[c] != expected[c]]
    if wrong:
        return hint("s1.q1.hint4", wrong=', '.join(wrong))
    total = sum(expected.values())
    top = max(expected, key=expected.get)
    return right("s1.q1.right", total=total, top=top, top_count=expected[top])


def q2(answer, corpus: Corpus | None = None) -> Result:
    """How many of the excerpts are verbatim quotations (``kind == "quote"``)?"""
    given = parsed(answer, as_int, "s1.q2.hint2")
    if isinstance(given, Result):
        return given
    excerpts = corpus_or_default(corpus).excerpts
    quotes = int((excerpts["kind"] == "quote").sum())
    vignettes = int((excerpts["kind"] == "vignette").sum())
    if given == quotes:
        return right("s1.q2.right", quotes=quotes, vignettes=vignettes)
    if given == len(excerpts):
        return hint("s1.q2.hint3")
    if given == vignettes:
        return hint("s1.q2.hint4")
    return hint("s1.q2.hint1")


def q3(answer, corpus: Corpus | None = None) -> Result:
    """How many excerpts come from sections that are not one of the two case analyses?"""
    given = parsed(answer, as_int, "s1.q3.hint2")
    if isinstance(given, Result):
        return given
    corpus = corpus_or_default(corpus)
    parts = corpus.excerpts.merge(corpus.sections[["id", "part"]].rename(columns={"id": "section"}),
                                  on="section", how="left")["part"]
    outside = ~parts.isin(ANALYSIS_PARTS)
    expected = int(outside.sum())
    where = ", ".join(say(f"s1.part.{p}") for p in sorted(set(parts[outside].dropna())))
    general = int((corpus.excerpts["case"] == "general").sum())
    if given == expected:
        return right("s1.q3.right", expected=expected, where=where)
    if given == general:
        return hint("s1.q3.hint3")
    return hint("s1.q3.hint1")


def q4(answer) -> Result:
    """NPG as the article presents it (multiple choice, a-d)."""
    return choice_question(answer, "s1.q4", "b", "S02")


def q5(answer) -> Result:
    """What "Tordenskjolds soldater" means (multiple choice, a-d)."""
    return choice_question(answer, "s1.q5", "b", "S01")


def q6(answer) -> Result:
    """Which question the article does NOT ask (multiple choice, a-d)."""
    return choice_question(answer, "s1.q6", "c", "S02")
