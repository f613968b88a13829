"""Self-checks for session 1, "Samskabelse og New Public Governance" (materials/exercises/01_cocreation_npg.ipynb).

Each check takes the student's answer and returns ``right``, ``hint`` or ``not_answered``. Expected
values are computed from the course's data; the keys of the multiple-choice questions are the
course's reading of the article, with the section to reread in every hint.
"""
from __future__ import annotations

from ..data import Corpus
from . import Result, as_counts, as_int, choice, corpus_or_default, heading, hint, not_answered, right, say, unanswered

ANALYSIS_PARTS = ("police", "workshop")


def q1(answer, corpus: Corpus | None = None) -> Result:
    """How many excerpts (quotations and vignettes) does each case have?"""
    if unanswered(answer):
        return not_answered()
    excerpts = corpus_or_default(corpus).excerpts
    expected = {str(k): int(v) for k, v in excerpts.groupby("case").size().items()}
    given = as_counts(answer)
    if given is None:
        return hint("s1.q1.hint1")
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
    return right("s1.q1.right", total=total, top=top, expected_top=expected[top])


def q2(answer, corpus: Corpus | None = None) -> Result:
    """How many of the excerpts are verbatim quotations (``kind == "quote"``)?"""
    if unanswered(answer):
        return not_answered()
    excerpts = corpus_or_default(corpus).excerpts
    quotes = int((excerpts["kind"] == "quote").sum())
    vignettes = int((excerpts["kind"] == "vignette").sum())
    given = as_int(answer)
    if given is None:
        return hint("s1.q2.hint2")
    if given == quotes:
        return right("s1.q2.right", quotes=quotes, vignettes=vignettes)
    if given == len(excerpts):
        return hint("s1.q2.hint3")
    if given == vignettes:
        return hint("s1.q2.hint4")
    return hint("s1.q2.hint1")


def q3(answer, corpus: Corpus | None = None) -> Result:
    """How many excerpts come from sections that are not one of the two case analyses?"""
    if unanswered(answer):
        return not_answered()
    corpus = corpus_or_default(corpus)
    parts = corpus.excerpts.merge(corpus.sections[["id", "part"]].rename(columns={"id": "section"}),
                                  on="section", how="left")["part"]
    outside = ~parts.isin(ANALYSIS_PARTS)
    expected = int(outside.sum())
    where = ", ".join(say(f"s1.part.{p}") for p in sorted(set(parts[outside].dropna())))
    general = int((corpus.excerpts["case"] == "general").sum())
    given = as_int(answer)
    if given is None:
        return hint("s1.q3.hint2")
    if given == expected:
        return right("s1.q3.right", expected=expected, where=where)
    if given == general:
        return hint("s1.q3.hint3")
    return hint("s1.q3.hint1")


def q4(answer) -> Result:
    """NPG as the article presents it (multiple choice, a-d)."""
    s02 = heading("S02")
    return choice(answer, {"a": "s1.q4.a", "c": "s1.q4.c", "d": "s1.q4.d"}, "b", "s1.q4.right", s02=s02)


def q5(answer) -> Result:
    """What "Tordenskjolds soldater" means (multiple choice, a-d)."""
    s01 = heading("S01")
    return choice(answer, {"a": "s1.q5.a", "c": "s1.q5.c", "d": "s1.q5.d"}, "b", "s1.q5.right", s01=s01)


def q6(answer) -> Result:
    """Which question the article does NOT ask (multiple choice, a-d)."""
    s02 = heading("S02")
    return choice(answer, {"a": "s1.q6.a", "b": "s1.q6.b", "d": "s1.q6.d"}, "c", "s1.q6.right", s02=s02)
