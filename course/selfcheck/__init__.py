"""Self-checks for the exercises: feedback that teaches, never a crash on an unanswered question.

An exercise notebook calls ``check.<name>(answer)`` right after a question. An answer left as
``...`` (the stub) is reported as not answered yet, so an unanswered notebook runs top to bottom.
Each session's checks live in their own module (``session1`` ...). Expected values are computed
from the course's data, never typed in by hand. The helpers the session modules share (reading an
answer, pointing to a section, multiple choice, counts, charts, move classification) live here.

Every text a check shows is in the catalogue under ``selfcheck.<key>`` (``s4.q5.hint1``, ``common.choice.hint``
...) and is read with one accessor, :func:`say` (``hint``/``right`` wrap it): a check names a key and the values
that fill it, so a new interface language needs no change here.
"""
from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from ..data import Corpus, load_corpus, split_list
from ..i18n import field, get_language, t


@dataclass
class Result:
    status: str  # "unanswered", "right", "not_yet"
    message: str

    def _repr_markdown_(self) -> str:
        icon = {"unanswered": "⏳", "right": "✅", "not_yet": "💡"}[self.status]
        return f"{icon} {self.message}"

    def __repr__(self) -> str:
        return self._repr_markdown_()

    @property
    def ok(self) -> bool:
        return self.status == "right"


def unanswered(value) -> bool:
    """True for the stub value ``...`` (or None)."""
    return value is Ellipsis or value is None


def say(key: str, **values) -> str:
    """The self-checks' one accessor: the catalogue's ``selfcheck.<key>`` in the notebook's language."""
    return t("selfcheck." + key, **values)


def not_answered() -> Result:
    return Result("unanswered", say("common.not_answered.text"))


def right(key: str, **values) -> Result:
    return Result("right", say(key, **values))


def hint(key: str, **values) -> Result:
    return Result("not_yet", say(key, **values))


# -- helpers shared by the session modules ----------------------------------------------------
def corpus_or_default(corpus: Corpus | None) -> Corpus:
    return corpus if corpus is not None else load_corpus()


def heading(section_id: str, corpus: Corpus | None = None) -> str:
    """The article's heading of a section, in »...«, in the current language, to point the student to it."""
    sections = corpus_or_default(corpus).sections.set_index("id")
    if section_id not in sections.index:
        return section_id
    return f"»{field(sections.loc[section_id].to_dict(), 'heading', get_language())}«"


def parsed(answer, parse, key: str, **values):
    """The answer as ``parse`` reads it (``as_int``, ``as_counts`` ...), or the :class:`Result` to give instead:
    not answered yet, or the hint ``key`` when ``parse`` cannot read it (``parse`` returns None)."""
    if unanswered(answer):
        return not_answered()
    given = parse(answer)
    return hint(key, **values) if given is None else given


def as_counts(answer, drop_zeros: bool = False) -> dict[str, int] | None:
    """A count per key from a dict, a Series or a one-column DataFrame; None if it is none of these.

    With ``drop_zeros`` (the per-code counts of sessions 4 and 5) the keys counted 0 are left out, and only
    a non-empty dict (not another kind of mapping) counts as an answer.
    """
    if isinstance(answer, pd.DataFrame):
        if answer.shape[1] != 1:
            return None
        answer = answer.iloc[:, 0]
    if isinstance(answer, pd.Series):
        answer = answer.to_dict()
    if not isinstance(answer, dict if drop_zeros else Mapping) or (drop_zeros and not answer):
        return None
    try:
        return {str(k): int(v) for k, v in answer.items() if not drop_zeros or int(v) != 0}
    except (TypeError, ValueError):
        return None


def as_table(answer) -> pd.DataFrame | None:
    """A pandas table (a crosstab such as ``pd.crosstab(...)`` makes); None for anything else."""
    return answer if isinstance(answer, pd.DataFrame) else None


def as_int(answer) -> int | None:
    if isinstance(answer, bool):
        return None
    try:
        number = float(answer)
    except (TypeError, ValueError):
        return None
    return int(number) if number == int(number) else None


def as_code(answer) -> str | None:
    """A code id given as a string (any case, surrounding spaces ignored)."""
    if isinstance(answer, str) and answer.strip():
        return answer.strip().upper()
    return None


def choice(answer, options: dict[str, str], correct: str, why: str, **values) -> Result:
    """A multiple-choice answer: ``options`` maps each wrong letter to its hint's key, ``why`` is the key of
    the right answer's message; ``values`` fill their placeholders (the sections to reread)."""
    if unanswered(answer):
        return not_answered()
    letter = str(answer).strip().lower().strip("().: ")
    letters = sorted({*options, correct})
    if letter not in letters:
        return hint("common.choice.hint", letters=', '.join(letters), letters_0=letters[0])
    if letter == correct:
        return right(why, **values)
    return hint(options[letter], **values)


def choice_question(answer, key: str, correct: str, *sections: str, corpus: Corpus | None = None) -> Result:
    """A multiple-choice question (a-d) whose texts are the catalogue's ``selfcheck.<key>.<letter>`` (a hint for
    each wrong letter) and ``selfcheck.<key>.right``; ``sections`` are the sections the texts point to (their
    headings fill the placeholders ``{s01}``, ``{s02}`` ...)."""
    wrong = {letter: f"{key}.{letter}" for letter in "abcd" if letter != correct}
    return choice(answer, wrong, correct, f"{key}.right",
                  **{section.lower(): heading(section, corpus) for section in sections})


def counts_check(answer, expected: dict[str, int], what: str, how: str, **values) -> Result:
    """A count per code against ``expected`` (codes counted 0 are left out on both sides).

    ``what`` (where the codes are used) and ``how`` (an example of the answer) are keys; ``values`` fill them."""
    if unanswered(answer):
        return not_answered()
    given = as_counts(answer, drop_zeros=True)
    if given is None:
        return hint("common.counts_check.hint1", how=say(how, **values))
    expected = {k: v for k, v in expected.items() if v}
    missing = sorted(set(expected) - set(given))
    extra = sorted(set(given) - set(expected))
    if missing or extra:
        return Result("not_yet", say("common.counts_check.rows", what=say(what, **values))
                      + (say("common.counts_check.missing", missing=", ".join(missing)) if missing else "")
                      + (say("common.counts_check.extra", extra=", ".join(extra)) if extra else "")
                      + say("common.counts_check.rows_end"))
    off = [k for k in expected if given[k] != expected[k]]
    if off:
        return hint("common.counts_check.hint2", off=', '.join(off))
    return right("common.counts_check.right")


def chart_with_numbers(chart, numbers, example: str) -> Result:
    """An Altair chart whose alt text (``description``) states at least one of ``numbers`` (``example``: the key
    of an example of such a text)."""
    if unanswered(chart):
        return not_answered()
    if not hasattr(chart, "to_dict"):
        return hint("common.chart_with_numbers.hint1")
    try:
        spec = chart.to_dict(validate=False)
    except Exception:  # noqa: BLE001 - an unfinished chart must not crash the check
        return hint("common.chart_with_numbers.hint4")
    description = str(spec.get("description", "")).strip()
    if not description:
        return hint("common.chart_with_numbers.hint2")
    if not any(str(n) in description for n in numbers):
        return hint("common.chart_with_numbers.hint3", example=say(example))
    return right("common.chart_with_numbers.right")


# -- excerpts and their reference coding --------------------------------------------------------
def pair_counts(corpus: Corpus, case: str) -> Counter:
    """How often each pair of codes is given to the same excerpt of a case (reference coding)."""
    pairs: Counter = Counter()
    for codes in (split_list(c) for c in corpus.excerpts.loc[corpus.excerpts["case"] == case, "reference_codes"]):
        for pair in itertools.combinations(sorted(set(codes)), 2):
            pairs[frozenset(pair)] += 1
    return pairs


def coded_excerpts(summary, case: str, corpus: Corpus, minimum: int) -> Result:
    """Check ``coder.summary()``: has the student coded at least ``minimum`` excerpts of ``case``?"""
    if unanswered(summary):
        return not_answered()
    if not isinstance(summary, pd.DataFrame) or not {"excerpt", "case"} <= set(summary.columns):
        return hint("common.coded_excerpts.hint1")
    mine = summary[summary["case"] == case]
    n = mine["excerpt"].nunique()
    label = field(corpus.cases.set_index("id").loc[case].to_dict(), "label", get_language())
    if n == 0:
        return Result("unanswered", say("common.coded_excerpts.text", label=label))
    revealed = mine.loc[mine["revealed"].astype(bool), "excerpt"].nunique() if "revealed" in mine else 0
    if n < minimum:
        return hint("common.coded_excerpts.hint2", n=n, minimum=minimum)
    if revealed == 0:
        return hint("common.coded_excerpts.hint3", n=n)
    return right("common.coded_excerpts.right", n=n, revealed=revealed)


# -- leadership moves and their classes ---------------------------------------------------------
def and_join(items) -> str:
    """``items`` joined with "og"/"and" in the notebook's language."""
    return say("common.and").join(str(i) for i in items)


def mode_name(mode: str, negated: bool = False) -> str:
    """The name of a mode of leadership (a codebook group, or "none" for NONE) in the notebook's language;
    ``negated``: the mode "none" after "ikke"/"not" (so never "ikke ikke metastyring")."""
    return say(f"common.mode_negated.{mode}" if negated and mode == "none" else f"common.mode.{mode}")


def class_modes(corpus: Corpus) -> dict[str, str]:
    """The mode of each move class (see :func:`course.vocab.class_modes`)."""
    from ..vocab import class_modes as modes

    return modes(corpus)


@dataclass(frozen=True)
class ClassifyTexts:
    """The wording of a move-classification check, as catalogue keys.

    ``example`` is the move id in the "give a dict" hint; ``same_mode`` and ``other_mode`` are the notes on a
    move given another accepted class of the same mode or a class of another mode (placeholders ``{move}``,
    ``{mode}`` – the reference's mode or the given one's – and ``{where}``, the section's heading);
    ``all_right`` is the message when every move is right (placeholder ``{n}``).
    """
    example: str
    same_mode: str
    other_mode: str
    all_right: str


#: The wording of the classification checks in the case sessions (4 and 5).
CASE_CLASSIFY_TEXTS = ClassifyTexts(example="PM13", same_mode="common.classify.same_mode",
                                    other_mode="common.classify.other_mode", all_right="common.classify.all_right")


def classify(answer, moves_to_classify, corpus: Corpus, texts: ClassifyTexts = CASE_CLASSIFY_TEXTS,
             normalise: bool = True) -> Result:
    """Check a dict move id -> class against the reference class and the defensible alternatives.

    With ``normalise`` a class given as a string is read without surrounding spaces and in upper case.
    """
    if unanswered(answer):
        return not_answered()
    if not isinstance(answer, dict):
        return hint("common.classify.hint1", example=texts.example)
    moves = corpus.moves.set_index("id")
    wanted = [m for m in moves_to_classify if m in moves.index]
    if all(unanswered(answer.get(m)) for m in wanted):
        return not_answered()
    blank = [m for m in wanted if unanswered(answer.get(m))]
    if blank:
        return hint("common.classify.hint2", blank=', '.join(blank))
    modes = class_modes(corpus)
    given = {m: (answer[m].strip().upper() if normalise and isinstance(answer[m], str) else answer[m])
             for m in wanted}
    unknown = [m for m in wanted if given[m] not in modes]
    if unknown:
        return hint("common.classify.hint3", unknown=', '.join(unknown), classes=', '.join(corpus.move_classes))
    notes, correct = [], 0
    for move_id in wanted:
        record = moves.loc[move_id]
        reference = record["reference_class"]
        accepted = {reference, *split_list(record["also_accepted"])}
        if given[move_id] in accepted:
            correct += 1
            continue
        same = modes[given[move_id]] == modes[reference]
        key, mode = (texts.same_mode, modes[reference]) if same else (texts.other_mode, modes[given[move_id]])
        notes.append(say(key, move=move_id, mode=mode_name(mode, negated=not same),
                         where=heading(record["section"], corpus)))
    if not notes:
        return right(texts.all_right, n=len(wanted))
    return Result("not_yet", " ".join([say("common.classify.correct", correct=correct, n=len(wanted)), *notes]))
