"""Self-checks for session 1, "Samskabelse og New Public Governance" (materials/exercises/01_cocreation_npg.ipynb).

Each check takes the student's answer and returns ``right``, ``hint`` or ``not_answered``. Expected
values are computed from the course's data; the keys of the multiple-choice questions are the
course's reading of the article, with the section to reread in every hint.
"""
from __future__ import annotations

from ..data import Corpus
from . import Result, as_counts, as_int, choice, corpus_or_default, heading, hint, not_answered, right, unanswered

ANALYSIS_PARTS = ("police", "workshop")
PART_NAMES_DA = {"introduction": "indledningen", "theory": "teorien", "method": "metoden",
                 "discussion": "diskussionen", "conclusion": "konklusionen", "appendix": "bilagene"}


def q1(answer, corpus: Corpus | None = None) -> Result:
    """How many excerpts (quotations and vignettes) does each case have?"""
    if unanswered(answer):
        return not_answered()
    excerpts = corpus_or_default(corpus).excerpts
    expected = {str(k): int(v) for k, v in excerpts.groupby("case").size().items()}
    given = as_counts(answer)
    if given is None:
        return hint("Giv et antal pr. case, fx som resultatet af `corpus.excerpts.groupby(\"case\").size()` "
                    "(en Series) eller en dict som {\"police\": 10, ...}.",
                    "Give a count per case, e.g. the result of `corpus.excerpts.groupby(\"case\").size()` "
                    "(a Series) or a dict such as {\"police\": 10, ...}.")
    missing = sorted(set(expected) - set(given))
    if missing:
        return hint(f"Der mangler en case: {', '.join(missing)}. Tæl alle værdier i kolonnen `case` – også "
                    "'general', som rummer uddrag fra artiklens indledning.",
                    f"A case is missing: {', '.join(missing)}. Count every value of the `case` column – "
                    "including 'general', which holds excerpts from the article's introduction.")
    extra = sorted(set(given) - set(expected))
    if extra:
        return hint(f"{', '.join(extra)} er ikke en case i `excerpts.csv`. Brug kolonnen `case`, ikke `kind` "
                    "eller `source`.",
                    f"{', '.join(extra)} is not a case in `excerpts.csv`. Use the `case` column, not `kind` "
                    "or `source`.")
    wrong = [c for c in expected if given[c] != expected[c]]
    if wrong:
        return hint(f"Tallet for {', '.join(wrong)} passer ikke. Tæller du både citater og vignetter "
                    "(kolonnen `kind`)? Tæl rækker pr. case uden at filtrere.",
                    f"The count for {', '.join(wrong)} is off. Do you count both quotations and vignettes "
                    "(the `kind` column)? Count rows per case without filtering.")
    total = sum(expected.values())
    top = max(expected, key=expected.get)
    return right(f"Rigtigt: {total} uddrag i alt, flest i casen '{top}' ({expected[top]}).",
                 f"Right: {total} excerpts in all, most in the case '{top}' ({expected[top]}).")


def q2(answer, corpus: Corpus | None = None) -> Result:
    """How many of the excerpts are verbatim quotations (``kind == "quote"``)?"""
    if unanswered(answer):
        return not_answered()
    excerpts = corpus_or_default(corpus).excerpts
    quotes = int((excerpts["kind"] == "quote").sum())
    vignettes = int((excerpts["kind"] == "vignette").sum())
    given = as_int(answer)
    if given is None:
        return hint("Svaret er ét helt tal.", "The answer is one whole number.")
    if given == quotes:
        return right(f"Rigtigt: {quotes} citater og {vignettes} vignetter. Et citat er artiklens ordlyd; en "
                     "vignet er kursets genfortælling af en begivenhed, artiklen beretter om.",
                     f"Right: {quotes} quotations and {vignettes} vignettes. A quotation is the article's wording; "
                     "a vignette is the course's retelling of an event the article reports.")
    if given == len(excerpts):
        return hint("Det er alle uddrag. Filtrér på `kind == \"quote\"`, så vignetterne ikke tæller med.",
                    "That is every excerpt. Filter on `kind == \"quote\"` so that vignettes do not count.")
    if given == vignettes:
        return hint("Det er antallet af vignetter – kursets genfortællinger. Du skal tælle citaterne.",
                    "That is the number of vignettes – the course's retellings. Count the quotations.")
    return hint("Ikke helt. Tæl rækker, hvor kolonnen `kind` er \"quote\", fx med "
                "`(corpus.excerpts[\"kind\"] == \"quote\").sum()`.",
                "Not quite. Count rows whose `kind` is \"quote\", e.g. with "
                "`(corpus.excerpts[\"kind\"] == \"quote\").sum()`.")


def q3(answer, corpus: Corpus | None = None) -> Result:
    """How many excerpts come from sections that are not one of the two case analyses?"""
    if unanswered(answer):
        return not_answered()
    corpus = corpus_or_default(corpus)
    parts = corpus.excerpts.merge(corpus.sections[["id", "part"]].rename(columns={"id": "section"}),
                                  on="section", how="left")["part"]
    outside = ~parts.isin(ANALYSIS_PARTS)
    expected = int(outside.sum())
    where_da = ", ".join(PART_NAMES_DA.get(p, p) for p in sorted(set(parts[outside].dropna())))
    where_en = ", ".join(sorted(set(parts[outside].dropna())))
    general = int((corpus.excerpts["case"] == "general").sum())
    given = as_int(answer)
    if given is None:
        return hint("Svaret er ét helt tal.", "The answer is one whole number.")
    if given == expected:
        return right(f"Rigtigt: {expected} uddrag stammer fra andre dele af artiklen ({where_da}). Bemærk, at "
                     "`case` siger, hvilken case et uddrag handler om, mens afsnittets `part` siger, hvor i "
                     "artiklen det står – to forskellige ting.",
                     f"Right: {expected} excerpts come from other parts of the article ({where_en}). Note that "
                     "`case` says which case an excerpt is about, while the section's `part` says where in the "
                     "article it stands – two different things.")
    if given == general:
        return hint("Du har talt casen 'general'. Men også uddrag om politiet eller workshoppen kan stå i metode- "
                    "eller diskussionsafsnittene. Flet `excerpts` med `sections` på afsnits-id og se på `part`.",
                    "You counted the case 'general'. But excerpts about the police or the workshop can also stand "
                    "in the method or discussion sections. Merge `excerpts` with `sections` on the section id and "
                    "look at `part`.")
    return hint("Ikke helt. Flet `corpus.excerpts` med `corpus.sections[[\"id\", \"part\"]]` (excerpts' `section` "
                "mod sections' `id`) og tæl de rækker, hvis `part` hverken er \"police\" eller \"workshop\".",
                "Not quite. Merge `corpus.excerpts` with `corpus.sections[[\"id\", \"part\"]]` (the excerpts' "
                "`section` against the sections' `id`) and count the rows whose `part` is neither \"police\" "
                "nor \"workshop\".")


def q4(answer) -> Result:
    """NPG as the article presents it (multiple choice, a-d)."""
    s02 = heading("S02")
    return choice(answer, {
        "a": (f"Det er snarere New Public Management: markedet, kontrakter og mål. Artiklen nævner NPM først i "
              f"perspektiveringen – som en modsætning. Læs {s02} igen.",
              f"That is rather New Public Management: markets, contracts and targets. The article mentions NPM "
              f"only in its closing perspective – as a contrast. Reread {s02}."),
        "c": (f"Det er kommunen som myndighed – den rolle, der ifølge artiklen er tegn på, at man bevæger sig væk fra. Se {s02}.",
              f"That is the municipality as an authority – the role the article takes as a sign that we are "
              f"moving away from. See {s02}."),
        "d": ("Artiklen ser med Sørensen og Torfing (2009) samskabelse som et supplement til det repræsentative "
              "demokrati, ikke en erstatning. Se teoriafsnittet.",
              "With Sørensen and Torfing (2009) the article sees co-creation as a supplement to representative "
              "democracy, not a replacement. See the theory section."),
    }, "b", ("Rigtigt: NPG bygger på netværk af gensidigt afhængige aktører, der sammen definerer problemer og "
             "løsninger – og beslutningsretten kan til en vis grad spredes.",
             "Right: NPG rests on networks of mutually dependent actors who define problems and solutions "
             "together – and decision rights can be spread to some degree."))


def q5(answer) -> Result:
    """What "Tordenskjolds soldater" means (multiple choice, a-d)."""
    s01 = heading("S01")
    return choice(answer, {
        "a": (f"Nej – udtrykket handler om dem, der altid er med, ikke om dem, der hverves. Se {s01}.",
              f"No – the phrase is about those who always take part, not about those who are recruited. See {s01}."),
        "c": (f"Nej – udtrykket handler om borgere, ikke om medarbejdere. Se {s01}.",
              f"No – the phrase is about citizens, not about staff. See {s01}."),
        "d": (f"Nej – udtrykket handler om, hvem der deltager, ikke om politikere. Se {s01}.",
              f"No – the phrase is about who takes part, not about politicians. See {s01}."),
    }, "b", ("Rigtigt: de samme få, aktive borgere går igen i mange processer, så deltagelsen ser bredere ud, end "
             "den er – og andres viden risikerer at blive holdt ude.",
             "Right: the same few active citizens turn up in many processes, so participation looks broader "
             "than it is – and other people's knowledge risks being left out."))


def q6(answer) -> Result:
    """Which question the article does NOT ask (multiple choice, a-d)."""
    s02 = heading("S02")
    return choice(answer, {
        "a": (f"Det spørger artiklen netop om – det er problemformuleringens første led. Læs den i {s02} igen.",
              f"The article asks exactly that – it is the first part of the research question. Reread it in {s02}."),
        "b": (f"Det er problemformuleringens andet led: udfordringer og dilemmaer i ledelsen af frontmedarbejderes "
              f"samskabelse. Se {s02}.",
              f"That is the second part of the research question: challenges and dilemmas in leading frontline "
              f"workers' co-creation. See {s02}."),
        "d": ("Det er en del af problemformuleringens første led – hvordan ledelse praktiseres. Artiklen svarer "
              "med begreberne hands-off og hands-on (se teoriafsnittet).",
              "That is part of the research question's first half – how leadership is practised. The article "
              "answers with the concepts hands-off and hands-on (see the theory section)."),
    }, "c", ("Rigtigt: artiklen måler ikke effekt. Den er et kvalitativt studie af, hvordan ledelse praktiseres, "
             "og hvilke dilemmaer der opstår – og den diskuterer netop, hvor svært det er at dokumentere "
             "samskabelsens effekt.",
             "Right: the article does not measure effects. It is a qualitative study of how leadership is practised "
             "and which dilemmas arise – and it discusses how hard it is to document co-creation's effect."))
