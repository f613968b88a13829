"""Self-checks for session 2, "Teori: hands-off og hands-on metastyring" (materials/exercises/02_theory_metagovernance.ipynb).

Expected values come from data/codebook.csv and data/moves.csv (the course's reference
classification, with the classes a defensible reading may also give). Hints name the mode that was
right or wrong and the section to reread; they do not give the class away.
"""
from __future__ import annotations

import pandas as pd

from ..data import Corpus
from ..i18n import field
from . import (
    ClassifyTexts,
    Result,
    as_counts,
    as_int,
    choice,
    classify,
    corpus_or_default,
    heading,
    hint,
    not_answered,
    right,
    say,
    unanswered,
)

#: Three pairs of moves that students often confuse: design/framing, management/participation,
#: access/equal participation.
PAIRS = (("PM05", "PM11"), ("PM20", "PM16"), ("WM12", "WM13"))
MOVES_TO_CLASSIFY = tuple(m for pair in PAIRS for m in pair)
CLASSIFY_TEXTS = ClassifyTexts(
    example="PM05",
    same_mode=("{move}: rigtig hovedform ({mode}), men et andet redskab. Læs kodernes »brug ikke når« og afsnittet "
               "{where}.",
               "{move}: the right mode ({mode}), but another tool. Read the codes' \"do not use when\" and the "
               "section {where}."),
    other_mode=("{move}: ikke {mode}. Spørg: sker det før samskabelsen, under den i direkte samspil, eller handler "
                "det om demokratisk forankring? Se {where}.",
                "{move}: not {mode}. Ask: does it happen before the co-creation, during it in direct interaction, "
                "or is it about democratic anchoring? See {where}."),
    all_right=("Rigtigt – alle {n} følger kursets læsning (eller en forsvarlig alternativ læsning). Læg mærke til "
               "parrene: design/framing, facilitering/deltagelse, adgang/ligeværd.",
               "Right – all {n} follow the course's reading (or a defensible alternative). Note the pairs: "
               "design/framing, management/participation, access/equal participation."))


def q1(answer, corpus: Corpus | None = None) -> Result:
    """How many codes does each group of the codebook have?"""
    if unanswered(answer):
        return not_answered()
    codebook = corpus_or_default(corpus).codebook
    expected = {str(k): int(v) for k, v in codebook.groupby("group").size().items()}
    given = as_counts(answer)
    if given is None:
        return hint("Giv et antal pr. gruppe, fx `corpus.codebook.groupby(\"group\").size()`.",
                    "Give a count per group, e.g. `corpus.codebook.groupby(\"group\").size()`.")
    if set(given) != set(expected):
        return hint(f"Grupperne hedder {', '.join(sorted(expected))} (kolonnen `group`). Tæl koder pr. gruppe.",
                    f"The groups are {', '.join(sorted(expected))} (the `group` column). Count codes per group.")
    wrong = [g for g in expected if given[g] != expected[g]]
    if wrong:
        return hint(f"Antallet for {', '.join(wrong)} passer ikke. Hver række i kodebogen er én kode.",
                    f"The count for {', '.join(wrong)} is off. Each row of the codebook is one code.")
    meta = sum(v for g, v in expected.items() if g != "dilemma")
    return right(f"Rigtigt: {meta} koder beskriver metastyring og demokratisk forankring – dem bruger du, når du "
                 f"klassificerer ledelsesgreb – og {expected.get('dilemma', 0)} koder beskriver dilemmaer.",
                 f"Right: {meta} codes describe metagovernance and democratic anchoring – those are the answers "
                 f"when you classify leadership moves – and {expected.get('dilemma', 0)} describe dilemmas.")


def q2(answer, corpus: Corpus | None = None) -> Result:
    """Classify six moves (three easily confused pairs): a dict move id -> class id."""
    return classify(answer, MOVES_TO_CLASSIFY, corpus_or_default(corpus), CLASSIFY_TEXTS, normalise=False)


def q3(answers, minimum: int = 5) -> Result:
    """Have you classified at least ``minimum`` moves in the widget? ``answers`` is ``clf.answers()``."""
    if unanswered(answers):
        return not_answered()
    if not isinstance(answers, pd.DataFrame) or "result" not in answers:
        return hint("Giv tabellen fra `clf.answers()`.", "Give the table from `clf.answers()`.")
    if answers.empty:
        return Result("unanswered", say("Du har ikke klassificeret nogen greb endnu: vælg hovedform og redskab i "
                                        "widgetten, klik »Svar«, og kør så cellen igen.",
                                        "You have not classified any moves yet: choose mode and tool in the widget, "
                                        "click \"Answer\", then run this cell again."))
    n = len(answers)
    counts = answers["result"].value_counts()
    summary_da = (f"{counts.get('correct', 0)} rigtige, {counts.get('partial', 0)} med rigtig hovedform og "
                  f"{counts.get('wrong', 0)} forkerte")
    summary_en = (f"{counts.get('correct', 0)} right, {counts.get('partial', 0)} with the right mode and "
                  f"{counts.get('wrong', 0)} wrong")
    if n < minimum:
        return hint(f"Du har klassificeret {n} greb ({summary_da}). Tag mindst {minimum}, gerne fra begge cases.",
                    f"You have classified {n} moves ({summary_en}). Do at least {minimum}, ideally from both cases.")
    return right(f"Godt: {n} greb klassificeret – {summary_da}. Læs begrundelserne for dem, der ikke ramte, og "
                 "se forvekslingsmatricen.",
                 f"Good: {n} moves classified – {summary_en}. Read the rationales for those that missed, and look "
                 "at the confusion chart.")


def q4(answer, corpus: Corpus | None = None) -> Result:
    """In which case is the share of democratic-anchoring moves (DEM_*) largest? A case id."""
    if unanswered(answer):
        return not_answered()
    corpus = corpus_or_default(corpus)
    moves = corpus.moves.assign(dem=corpus.moves["reference_class"].str.startswith("DEM_"))
    shares = moves.groupby("case")["dem"].mean()
    best = shares.idxmax()
    labels = corpus.cases.set_index("id")["label_da"].to_dict()
    given = str(answer).strip()
    given = {v.lower(): k for k, v in labels.items()}.get(given.lower(), given)
    if given not in shares.index:
        return hint(f"Svar med et case-id: {', '.join(shares.index)}.",
                    f"Answer with a case id: {', '.join(shares.index)}.")
    shown = {c: field(row, "label") for c, row in corpus.cases.set_index("id").to_dict("index").items()}
    pct = ", ".join(f"{shown.get(c, c)} {s:.0%}" for c, s in shares.items())
    if given == best:
        return right(f"Rigtigt ({pct}). Det passer med, at artiklen bruger begreberne om demokratisk forankring "
                     f"udtrykkeligt i {heading('S12', corpus)}.",
                     f"Right ({pct}). That fits the article's explicit use of democratic anchoring in "
                     f"{heading('S12', corpus)}.")
    return hint("Ikke den. Regn andelen ud pr. case: `moves[\"reference_class\"].str.startswith(\"DEM_\")` "
                "giver sand/falsk, og `.groupby(\"case\").mean()` giver andelen.",
                "Not that one. Compute the share per case: `moves[\"reference_class\"].str.startswith(\"DEM_\")` "
                "gives true/false, and `.groupby(\"case\").mean()` gives the share.")


def q5(answer, corpus: Corpus | None = None) -> Result:
    """How many moves does the course classify by its own inference (``explicitness == "inferred"``)?"""
    if unanswered(answer):
        return not_answered()
    counts = corpus_or_default(corpus).moves["explicitness"].value_counts()
    expected = int(counts.get("inferred", 0))
    given = as_int(answer)
    if given is None:
        return hint("Svaret er ét helt tal.", "The answer is one whole number.")
    if given == expected:
        return right(f"Rigtigt: {expected} af {int(counts.sum())} klassifikationer er kursets egen slutning ud fra "
                     "artiklens definitioner – artiklen navngiver ikke selv deres klasse. Dem er der mest grund til at diskutere.",
                     f"Right: {expected} of {int(counts.sum())} classifications are the course's inference from the "
                     "article's definitions – the article does not name their class itself. They are the most open to debate.")
    if given == int(counts.get("explicit", 0)):
        return hint("Det er antallet af greb, artiklen selv klassificerer (`explicit`). Tæl `inferred`.",
                    "That is the number of moves the article classifies itself (`explicit`). Count `inferred`.")
    if given == int(counts.get("none", 0)):
        return hint("Det er de greb, der ikke er metastyring (`none`). Tæl `inferred`.",
                    "Those are the moves that are not metagovernance (`none`). Count `inferred`.")
    return hint("Ikke helt. Brug `corpus.moves[\"explicitness\"].value_counts()`.",
                "Not quite. Use `corpus.moves[\"explicitness\"].value_counts()`.")


def q6(answer) -> Result:
    """Who most often does the hands-on leadership, according to the article (a-d)?"""
    s03, s09 = heading("S03"), heading("S09")
    return choice(answer, {
        "a": (f"Forskningen (Tortzen), som artiklen citerer, beskriver politikere og topledelse som tilbøjelige "
              f"til at trække sig tilbage. Se {s09}.",
              f"Research (Tortzen), quoted by the article, describes politicians and top management as "
              f"inclined to hold back. See {s09}."),
        "b": (f"Hands-off tilfalder oftest de offentlige ledere; hands-on foregår et andet sted. Se {s03}.",
              f"Hands-off usually falls to public leaders; hands-on happens elsewhere. See {s03}."),
        "d": (f"Borgerne er deltagere i samskabelsen; hands-on metastyring er at lede eller facilitere den. Se {s03}.",
              f"The citizens take part in the co-creation; hands-on metagovernance means leading or facilitating "
              f"it. See {s03}."),
    }, "c", ("Rigtigt: frontmedarbejderne, der har den direkte kontakt med borgerne. Politicasen er en "
             "undtagelse, hvor direktøren selv gik hands-on ind i de første faser.",
             "Right: the frontline workers, who have direct contact with the citizens. The police case is an "
             "exception, where the director himself went hands-on in the early phases."))


def q7(answer) -> Result:
    """Which of these is network framing (a-d)?"""
    s03 = heading("S03")
    return choice(answer, {
        "a": ("Det er netværksdesign: hvem er med, og hvordan er netværket skruet sammen.",
              "That is network design: who takes part, and how the network is put together."),
        "c": ("Det er hands-on facilitering (netværksledelse): lederen giver andre plads under processen.",
              "That is hands-on facilitation (network management): the leader makes room for others during the process."),
        "d": ("Det er netværksdeltagelse: lederen tager selv del og bruger sin beslutningskompetence.",
              "That is network participation: the leader takes part and uses his or her authority to decide."),
    }, "b", (f"Rigtigt: framing er mandat, økonomi og fortællingen om netværkets opgave og mission ({s03}).",
             f"Right: framing is the mandate, the budget and the story of the network's task and mission ({s03})."))
