"""Self-checks for session 4, "Case 1: politiets dialoginitiativ" (materials/exercises/04_police_case.ipynb).

Expected values are computed from the course's data (excerpts.csv, moves.csv, timeline.csv), never
typed in; pass ``corpus=`` to check against a lecturer's own tables. Hints say what to look at and
which section of the article to reread; they do not hand out the answer.
"""
from __future__ import annotations

import itertools
from collections import Counter

import pandas as pd

from ..coding import reference_table
from ..data import NONE_CLASS, Corpus, load_corpus, split_list
from ..i18n import field, get_language
from . import Result, hint, not_answered, right, say, unanswered

CASE = "police"
#: Five moves across the whole arc of the case: design, the director in person, access, the shift, the ending.
MOVES_TO_CLASSIFY = ("PM13", "PM15", "PM25", "PM27", "PM31")
#: The timeline event where the police director changes (ids are stable and never reused).
SHIFT_EVENT = "T-P12"
PERIOD_BEFORE, PERIOD_AFTER = "før skiftet", "efter skiftet"
MODE_NAMES = {"da": {"hands_off": "hands-off", "hands_on": "hands-on", "democratic_anchoring": "demokratisk forankring",
                     "none": "ikke metastyring"},
              "en": {"hands_off": "hands-off", "hands_on": "hands-on", "democratic_anchoring": "democratic anchoring",
                     "none": "not metagovernance"}}


# -- helpers shared with session 5 ---------------------------------------------------------------
def corpus_or_default(corpus: Corpus | None) -> Corpus:
    return corpus if corpus is not None else load_corpus()


def heading(section_id: str, corpus: Corpus) -> str:
    """The article's heading of a section, in »…«, for a hint that says where to reread."""
    table = corpus.sections.set_index("id")
    if section_id in table.index:
        return f"»{field(table.loc[section_id].to_dict(), 'heading', get_language())}«"
    return section_id


def as_counts(answer) -> dict[str, int] | None:
    """A Series, a one-column DataFrame or a dict of counts as {label: int}; None if it is not one."""
    if isinstance(answer, pd.DataFrame):
        if answer.shape[1] != 1:
            return None
        answer = answer.iloc[:, 0]
    if isinstance(answer, pd.Series):
        answer = answer.to_dict()
    if not isinstance(answer, dict) or not answer:
        return None
    try:
        return {str(k): int(v) for k, v in answer.items() if int(v) != 0}
    except (TypeError, ValueError):
        return None


def as_code(answer) -> str | None:
    """A code id given as a string (any case, surrounding spaces ignored)."""
    if isinstance(answer, str) and answer.strip():
        return answer.strip().upper()
    return None


def as_pair(answer) -> frozenset[str] | None:
    if isinstance(answer, (tuple, list, set, frozenset)) and len(answer) == 2 and all(isinstance(a, str) for a in answer):
        pair = frozenset(a.strip().upper() for a in answer)
        return pair if len(pair) == 2 else None
    return None


def reference_counts(corpus: Corpus, case: str) -> dict[str, int]:
    """How many excerpts of a case carry each code in the course's reference coding."""
    table = reference_table(corpus)
    return {str(k): int(v) for k, v in table[table["case"] == case]["code"].value_counts().items()}


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


def _modes(corpus: Corpus) -> dict[str, str]:
    groups = corpus.codebook.set_index("id")["group"].to_dict()
    return {c: ("none" if c == NONE_CLASS else groups[c]) for c in corpus.move_classes}


def classify(answer, moves_to_classify, corpus: Corpus) -> Result:
    """Check a dict move id -> class against the reference class and the defensible alternatives."""
    if unanswered(answer):
        return not_answered()
    if not isinstance(answer, dict):
        return hint("Svaret er en dict fra gribets id til en klasse, fx {\"PM13\": \"HOFF_DESIGN\", ...}.",
                    "The answer is a dict from move id to class, e.g. {\"PM13\": \"HOFF_DESIGN\", ...}.")
    moves = corpus.moves.set_index("id")
    wanted = [m for m in moves_to_classify if m in moves.index]
    if all(unanswered(answer.get(m)) for m in wanted):
        return not_answered()
    blank = [m for m in wanted if unanswered(answer.get(m))]
    if blank:
        return hint(f"Udfyld også {', '.join(blank)}.", f"Fill in {', '.join(blank)} too.")
    modes = _modes(corpus)
    given = {m: (answer[m].strip().upper() if isinstance(answer[m], str) else answer[m]) for m in wanted}
    unknown = [m for m in wanted if given[m] not in modes]
    if unknown:
        return hint(f"{', '.join(unknown)}: brug en af klasserne {', '.join(corpus.move_classes)}.",
                    f"{', '.join(unknown)}: use one of the classes {', '.join(corpus.move_classes)}.")
    names_da, names_en = MODE_NAMES["da"], MODE_NAMES["en"]
    notes_da, notes_en, correct = [], [], 0
    for move_id in wanted:
        record = moves.loc[move_id]
        reference = record["reference_class"]
        accepted = {reference, *split_list(record["also_accepted"])}
        where = heading(record["section"], corpus)
        if given[move_id] in accepted:
            correct += 1
        elif modes[given[move_id]] == modes[reference]:
            notes_da.append(f"{move_id}: rigtig hovedform ({names_da[modes[reference]]}), men et andet redskab; "
                            f"læs kodernes »brug ikke når« og afsnittet {where}.")
            notes_en.append(f"{move_id}: the right mode ({names_en[modes[reference]]}), but another tool; read the "
                            f"codes' \"do not use when\" and the section {where}.")
        else:
            notes_da.append(f"{move_id}: ikke {names_da[modes[given[move_id]]]}. Spørg: sker det før samskabelsen, "
                            f"i direkte samspil under den, eller handler det om, hvem der kan deltage og stå til "
                            f"ansvar? Se {where}.")
            notes_en.append(f"{move_id}: not {names_en[modes[given[move_id]]]}. Ask: does it happen before the "
                            f"co-creation, in direct interaction during it, or is it about who can take part and "
                            f"who answers for it? See {where}.")
    if not notes_da:
        return right(f"Rigtigt: alle {len(wanted)} følger kursets læsning eller en forsvarlig alternativ læsning. "
                     "Læs begrundelserne i grebsklassifikatoren for dem, hvor flere læsninger er mulige.",
                     f"Right: all {len(wanted)} follow the course's reading or a defensible alternative. Read the "
                     "rationales in the move classifier where more than one reading is possible.")
    return hint(f"{correct} af {len(wanted)} følger kursets læsning. " + " ".join(notes_da),
                f"{correct} of {len(wanted)} follow the course's reading. " + " ".join(notes_en))


def counts_check(answer, expected: dict[str, int], what_da: str, what_en: str, how_da: str, how_en: str) -> Result:
    if unanswered(answer):
        return not_answered()
    given = as_counts(answer)
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
        return hint("Skriv kodens id som tekst, fx \"HON_MANAGEMENT\".", "Write the code's id as text, e.g. \"HON_MANAGEMENT\".")
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
    """The expected answer of q5: timeline events per period (before/after the director change) and mode."""
    corpus = corpus_or_default(corpus)
    timeline = corpus.timeline[corpus.timeline["case"] == CASE]
    shift = int(timeline.loc[timeline["id"] == SHIFT_EVENT, "order"].iloc[0])
    period = timeline["order"].map(lambda o: PERIOD_AFTER if int(o) >= shift else PERIOD_BEFORE)
    return pd.crosstab(period.rename("period"), timeline["leadership"])


def q5(answer, corpus: Corpus | None = None) -> Result:
    """A crosstab of the police timeline: period (før/efter skiftet) against leadership mode."""
    if unanswered(answer):
        return not_answered()
    expected = shift_table(corpus)
    if not isinstance(answer, pd.DataFrame):
        return hint("Giv en tabel lavet med `pd.crosstab(tl[\"period\"], tl[\"leadership\"])`.",
                    "Give a table made with `pd.crosstab(tl[\"period\"], tl[\"leadership\"])`.")
    rows = {str(r) for r in answer.index}
    if rows != set(expected.index):
        return hint(f"Rækkerne skal hedde »{PERIOD_BEFORE}« og »{PERIOD_AFTER}« (du har {', '.join(sorted(rows)) or 'ingen'}). "
                    f"Skiftet er begivenheden {SHIFT_EVENT}, og den hører selv til perioden efter.",
                    f"The rows should be \"{PERIOD_BEFORE}\" and \"{PERIOD_AFTER}\" (you have "
                    f"{', '.join(sorted(rows)) or 'none'}). The shift is event {SHIFT_EVENT}, which itself belongs to "
                    "the period after.")
    given = answer.copy()
    given.index = given.index.map(str)
    off = []
    for period in expected.index:
        for mode in expected.columns:
            value = given.loc[period, mode] if mode in given.columns else 0
            if int(value) != int(expected.loc[period, mode]):
                off.append(f"{period}/{mode}")
    if off:
        return hint(f"Tallene passer ikke for {', '.join(off)}. Tjek, at du kun har politicasens begivenheder, "
                    f"og at {SHIFT_EVENT} tæller med »{PERIOD_AFTER}« (brug `>=` på `order`).",
                    f"The counts are off for {', '.join(off)}. Check that you have only the police case's events and "
                    f"that {SHIFT_EVENT} counts as \"{PERIOD_AFTER}\" (use `>=` on `order`).")
    on_after = int(expected.loc[PERIOD_AFTER].get("hands_on", 0))
    return right(f"Rigtigt. Efter direktørskiftet er der {on_after} hands-on-begivenheder i kursets tidslinje: det er "
                 "manøvren fra hands-on til hands-off, som artiklen beskriver.",
                 f"Right. After the change of director the course's timeline has {on_after} hands-on events: that is "
                 "the move from hands-on to hands-off the article describes.")


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


def q6(chart, corpus: Corpus | None = None) -> Result:
    """An Altair chart of the q5 table, with alt text (a description) that states its numbers."""
    if unanswered(chart):
        return not_answered()
    numbers = {int(v) for v in shift_table(corpus).to_numpy().ravel() if int(v)}
    return chart_with_numbers(chart, numbers, "fx hvor mange hands-on-begivenheder der er før og efter skiftet",
                              "e.g. how many hands-on events come before and after the shift")


def q7(answer, corpus: Corpus | None = None) -> Result:
    """Which two codes are most often given to the same police excerpt (reference coding)?"""
    if unanswered(answer):
        return not_answered()
    corpus = corpus_or_default(corpus)
    pairs = pair_counts(corpus, CASE)
    pair = as_pair(answer)
    if pair is None:
        return hint("Giv parret som to kode-id'er i en tuple, fx (\"HOFF_DESIGN\", \"DEM_ACCESS\").",
                    "Give the pair as two code ids in a tuple, e.g. (\"HOFF_DESIGN\", \"DEM_ACCESS\").")
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
