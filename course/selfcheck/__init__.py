"""Self-checks for the exercises: feedback that teaches, never a crash on an unanswered question.

An exercise notebook calls ``check.<name>(answer)`` right after a question. An answer left as
``...`` (the stub) is reported as not answered yet, so an unanswered notebook runs top to bottom.
Each session's checks live in their own module (``session1`` ...). Expected values are computed
from the course's data, never typed in by hand. The helpers the session modules share (reading an
answer, pointing to a section, multiple choice, counts, charts, move classification) live here.
"""
from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from ..data import Corpus, load_corpus, split_list
from ..i18n import field, get_language


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


def say(da: str, en: str) -> str:
    return da if get_language() == "da" else en


def not_answered() -> Result:
    return Result("unanswered", say("Ikke besvaret endnu: erstat `...` med dit svar og kør cellen igen.",
                                    "Not answered yet: replace `...` with your answer and run the cell again."))


def right(da: str, en: str) -> Result:
    return Result("right", say(da, en))


def hint(da: str, en: str) -> Result:
    return Result("not_yet", say(da, en))


# -- helpers shared by the session modules ----------------------------------------------------
def corpus_or_default(corpus: Corpus | None) -> Corpus:
    return corpus if corpus is not None else load_corpus()


def heading(section_id: str, corpus: Corpus | None = None) -> str:
    """The article's heading of a section, in »...«, in the current language, to point the student to it."""
    sections = corpus_or_default(corpus).sections.set_index("id")
    if section_id not in sections.index:
        return section_id
    return f"»{field(sections.loc[section_id].to_dict(), 'heading', get_language())}«"


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


def choice(answer, options: dict[str, tuple[str, str]], correct: str, why: tuple[str, str]) -> Result:
    """A multiple-choice answer: ``options`` maps each wrong letter to its hint (da, en)."""
    if unanswered(answer):
        return not_answered()
    letter = str(answer).strip().lower().strip("().: ")
    letters = sorted({*options, correct})
    if letter not in letters:
        return hint(f"Svar med ét bogstav: {', '.join(letters)} (som en tekst, fx \"{letters[0]}\").",
                    f"Answer with one letter: {', '.join(letters)} (as a string, e.g. \"{letters[0]}\").")
    if letter == correct:
        return right(*why)
    return hint(*options[letter])


def counts_check(answer, expected: dict[str, int], what_da: str, what_en: str, how_da: str, how_en: str) -> Result:
    """A count per code against ``expected`` (codes counted 0 are left out on both sides)."""
    if unanswered(answer):
        return not_answered()
    given = as_counts(answer, drop_zeros=True)
    if given is None:
        return hint(f"Giv et antal pr. kode, fx {how_da}.", f"Give a count per code, e.g. {how_en}.")
    expected = {k: v for k, v in expected.items() if v}
    missing = sorted(set(expected) - set(given))
    extra = sorted(set(given) - set(expected))
    if missing or extra:
        return hint(f"Tabellen skal have én række pr. kode, der bruges {what_da}. "
                    + (f"Der mangler {', '.join(missing)}. " if missing else "")
                    + (f"Disse hører ikke med: {', '.join(extra)}. " if extra else "")
                    + "Har du filtreret på den rigtige case og delt kodelisten op ved `;`?",
                    f"The table needs one row per code used {what_en}. "
                    + (f"Missing: {', '.join(missing)}. " if missing else "")
                    + (f"Not wanted: {', '.join(extra)}. " if extra else "")
                    + "Did you filter on the right case and split the code list at `;`?")
    off = [k for k in expected if given[k] != expected[k]]
    if off:
        return hint(f"Antallet passer ikke for {', '.join(off)}. Tæl uddrag, ikke tegn: et uddrag med koderne "
                    "»A;B« tæller én gang for A og én gang for B.",
                    f"The count is off for {', '.join(off)}. Count excerpts, not characters: an excerpt coded "
                    "\"A;B\" counts once for A and once for B.")
    return right("Rigtigt.", "Right.")


def chart_with_numbers(chart, numbers, example_da: str, example_en: str) -> Result:
    """An Altair chart whose alt text (``description``) states at least one of ``numbers``."""
    if unanswered(chart):
        return not_answered()
    if not hasattr(chart, "to_dict"):
        return hint("Giv selve Altair-diagrammet (variablen, ikke et billede).",
                    "Give the Altair chart itself (the variable, not a picture).")
    try:
        spec = chart.to_dict(validate=False)
    except Exception:  # noqa: BLE001 - an unfinished chart must not crash the check
        return hint("Diagrammet kan ikke laves endnu; kør cellen og læs fejlbeskeden.",
                    "The chart cannot be built yet; run the cell and read the error.")
    description = str(spec.get("description", "")).strip()
    if not description:
        return hint("Diagrammet mangler alt-tekst: tilføj `.properties(description=...)`.",
                    "The chart lacks alt text: add `.properties(description=...)`.")
    if not any(str(n) in description for n in numbers):
        return hint(f"Alt-teksten skal sige, hvad diagrammet viser, med tallene ({example_da}).",
                    f"The alt text should say what the chart shows, with the numbers ({example_en}).")
    return right("Godt: et diagram med en alt-tekst, der bærer tallene.",
                 "Good: a chart whose alt text carries the numbers.")


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
        return hint("Giv tabellen fra `coder.summary()`.", "Give the table from `coder.summary()`.")
    mine = summary[summary["case"] == case]
    n = mine["excerpt"].nunique()
    label = field(corpus.cases.set_index("id").loc[case].to_dict(), "label", get_language())
    if n == 0:
        return Result("unanswered", say(
            f"Du har ikke kodet nogen uddrag fra {label} endnu: sæt flueben ved en eller flere koder i "
            "uddragskoderen, og kør så cellen igen.",
            f"You have not coded any excerpts from {label} yet: tick one or more codes in the excerpt coder, "
            "then run this cell again."))
    revealed = mine.loc[mine["revealed"].astype(bool), "excerpt"].nunique() if "revealed" in mine else 0
    if n < minimum:
        return hint(f"Du har kodet {n} uddrag; opgaven beder om mindst {minimum}. Kod først, og klik så "
                    "»Sammenlign med kursets kodning«.",
                    f"You have coded {n} excerpts; the task asks for at least {minimum}. Code first, then click "
                    "\"Compare with the course's coding\".")
    if revealed == 0:
        return hint(f"Du har kodet {n} uddrag, men ikke sammenlignet nogen af dem med kursets kodning endnu. "
                    "Klik »Sammenlign med kursets kodning« ved hvert af dem, og læs begrundelsen.",
                    f"You have coded {n} excerpts but compared none with the course's coding yet. Click "
                    "\"Compare with the course's coding\" on each and read the rationale.")
    return right(f"Godt: {n} uddrag kodet, {revealed} af dem sammenlignet med kursets læsning. Se din enighed "
                 "pr. kode med `coder.agreement()`.",
                 f"Good: {n} excerpts coded, {revealed} of them compared with the course's reading. See your "
                 "agreement per code with `coder.agreement()`.")


# -- leadership moves and their classes ---------------------------------------------------------
#: The name of each mode of leadership (the codebook's groups, and "none" for NONE), per language.
MODE_NAMES = {"da": {"hands_off": "hands-off", "hands_on": "hands-on", "democratic_anchoring": "demokratisk forankring",
                     "none": "ikke metastyring"},
              "en": {"hands_off": "hands-off", "hands_on": "hands-on", "democratic_anchoring": "democratic anchoring",
                     "none": "not metagovernance"}}


#: The name of the mode "none" after "ikke"/"not" in a note on a move given a class of another mode.
NEGATED_MODE_NAMES = {"da": {"none": "»ikke metastyring« (kurset læser det som metastyring)"},
                      "en": {"none": "\"not metagovernance\" (the course reads it as metagovernance)"}}


def class_modes(corpus: Corpus) -> dict[str, str]:
    """The mode of each move class (see :func:`course.vocab.class_modes`)."""
    from ..vocab import class_modes as modes

    return modes(corpus)


@dataclass(frozen=True)
class ClassifyTexts:
    """The wording of a move-classification check, as (da, en) templates.

    ``example`` is the move id in the "give a dict" hint; ``same_mode`` and ``other_mode`` are the notes on a
    move given another accepted class of the same mode or a class of another mode (placeholders ``{move}``,
    ``{mode}`` – the reference's mode or the given one's – and ``{where}``, the section's heading);
    ``all_right`` is the message when every move is right (placeholder ``{n}``).
    """
    example: str
    same_mode: tuple[str, str]
    other_mode: tuple[str, str]
    all_right: tuple[str, str]


#: The wording of the classification checks in the case sessions (4 and 5).
CASE_CLASSIFY_TEXTS = ClassifyTexts(
    example="PM13",
    same_mode=("{move}: rigtig hovedform ({mode}), men et andet redskab; læs kodernes »brug ikke når« og afsnittet "
               "{where}.",
               "{move}: the right mode ({mode}), but another tool; read the codes' \"do not use when\" and the "
               "section {where}."),
    other_mode=("{move}: ikke {mode}. Spørg: sker det før samskabelsen, i direkte samspil under den, eller handler "
                "det om, hvem der kan deltage og stå til ansvar? Se {where}.",
                "{move}: not {mode}. Ask: does it happen before the co-creation, in direct interaction during it, "
                "or is it about who can take part and who answers for it? See {where}."),
    all_right=("Rigtigt: alle {n} følger kursets læsning eller en forsvarlig alternativ læsning. Læs begrundelserne "
               "i grebsklassifikatoren for dem, hvor flere læsninger er mulige.",
               "Right: all {n} follow the course's reading or a defensible alternative. Read the rationales in the "
               "move classifier where more than one reading is possible."))


def classify(answer, moves_to_classify, corpus: Corpus, texts: ClassifyTexts = CASE_CLASSIFY_TEXTS,
             normalise: bool = True) -> Result:
    """Check a dict move id -> class against the reference class and the defensible alternatives.

    With ``normalise`` a class given as a string is read without surrounding spaces and in upper case.
    """
    if unanswered(answer):
        return not_answered()
    if not isinstance(answer, dict):
        return hint(f"Svaret er en dict fra gribets id til en klasse, fx {{\"{texts.example}\": \"HOFF_DESIGN\", ...}}.",
                    f"The answer is a dict from move id to class, e.g. {{\"{texts.example}\": \"HOFF_DESIGN\", ...}}.")
    moves = corpus.moves.set_index("id")
    wanted = [m for m in moves_to_classify if m in moves.index]
    if all(unanswered(answer.get(m)) for m in wanted):
        return not_answered()
    blank = [m for m in wanted if unanswered(answer.get(m))]
    if blank:
        return hint(f"Udfyld også {', '.join(blank)}.", f"Fill in {', '.join(blank)} too.")
    modes = class_modes(corpus)
    given = {m: (answer[m].strip().upper() if normalise and isinstance(answer[m], str) else answer[m])
             for m in wanted}
    unknown = [m for m in wanted if given[m] not in modes]
    if unknown:
        return hint(f"{', '.join(unknown)}: brug en af klasserne {', '.join(corpus.move_classes)}.",
                    f"{', '.join(unknown)}: use one of the classes {', '.join(corpus.move_classes)}.")
    notes_da, notes_en, correct = [], [], 0
    for move_id in wanted:
        record = moves.loc[move_id]
        reference = record["reference_class"]
        accepted = {reference, *split_list(record["also_accepted"])}
        if given[move_id] in accepted:
            correct += 1
            continue
        same = modes[given[move_id]] == modes[reference]
        (da, en), mode = (texts.same_mode, modes[reference]) if same else (texts.other_mode, modes[given[move_id]])
        where = heading(record["section"], corpus)
        names = NEGATED_MODE_NAMES if not same and mode == "none" else MODE_NAMES  # not "ikke ikke metastyring"
        notes_da.append(da.format(move=move_id, mode=names["da"][mode], where=where))
        notes_en.append(en.format(move=move_id, mode=names["en"][mode], where=where))
    if not notes_da:
        return right(*(text.format(n=len(wanted)) for text in texts.all_right))
    return hint(f"{correct} af {len(wanted)} følger kursets læsning. " + " ".join(notes_da),
                f"{correct} of {len(wanted)} follow the course's reading. " + " ".join(notes_en))
