"""Self-checks for session 6, "På tværs af casene: diskussion og konklusion" (materials/exercises/06_cross_case_discussion.ipynb).

Expected values are computed from the course's data (moves.csv, timeline.csv, sections.csv), never
typed in. The keys of the multiple-choice questions are the course's reading of the article, and
every hint names the section to reread.
"""
from __future__ import annotations

from collections.abc import Mapping

from ..data import Corpus, split_list
from . import Result, as_int, choice, class_modes, corpus_or_default, heading, hint, not_answered, right, unanswered

#: Other words that name a case in an alt text (besides its id and labels).
ALIASES = {"police": ("politi",), "workshop": ("fremtidsworkshop", "værested")}
#: How far a share may be from the expected one and still count as right (rounding).
TOLERANCE = 0.006


def _with_mode(corpus: Corpus):
    return corpus.moves.assign(mode=corpus.moves["reference_class"].map(class_modes(corpus)))


def _number(answer) -> float | None:
    if isinstance(answer, bool):
        return None
    try:
        return float(answer)
    except (TypeError, ValueError):
        return None


def expected_q1(corpus: Corpus | None = None) -> int:
    moves = _with_mode(corpus_or_default(corpus))
    return int(((moves["case"] == "police") & (moves["mode"] == "hands_on")).sum())


def q1(answer, corpus: Corpus | None = None) -> Result:
    """How many of the police case's moves does the course classify as hands-on?"""
    if unanswered(answer):
        return not_answered()
    corpus = corpus_or_default(corpus)
    moves = _with_mode(corpus)
    expected = expected_q1(corpus)
    given = as_int(answer)
    if given is None:
        return hint("Svaret er et helt tal, fx `int(...sum())`.", "The answer is a whole number, e.g. `int(...sum())`.")
    police = moves[moves["case"] == "police"]
    management = int((police["reference_class"] == "HON_MANAGEMENT").sum())
    both_cases = int((moves["mode"] == "hands_on").sum())
    s09 = heading("S09", corpus)
    if given == expected:
        participation = expected - management
        return right(f"Rigtigt: {expected} af politicasens {len(police)} greb er hands-on i kursets læsning: "
                     f"{management} er netværksledelse (især koordinatorens facilitering), og {participation} er "
                     f"direktørens egen deltagelse i netværket ({s09}).",
                     f"Right: {expected} of the police case's {len(police)} moves are hands-on in the course's "
                     f"reading: {management} are network management (above all the coordinator's facilitation), "
                     f"and {participation} are the director's own participation in the network ({s09}).")
    if given == management and management != expected:
        return hint("Du har kun talt én hands-on-klasse. Hands-on dækker både netværksledelse (`HON_MANAGEMENT`) og "
                    f"netværksdeltagelse (`HON_PARTICIPATION`): direktørens egne besøg hører også med ({s09}).",
                    "You counted only one hands-on class. Hands-on covers both network management (`HON_MANAGEMENT`) "
                    f"and network participation (`HON_PARTICIPATION`): the director's own visits count too ({s09}).")
    if given == both_cases and both_cases != expected:
        return hint("Det er antallet i begge cases. Filtrér på `case == \"police\"` først.",
                    "That is the number in both cases. Filter on `case == \"police\"` first.")
    return hint("Ikke helt. Brug kolonnen `mode` fra `compare.moves_with_mode(corpus)`, filtrér på politicasen og "
                "tæl rækkerne, hvor `mode` er `hands_on`.",
                "Not quite. Use the `mode` column of `compare.moves_with_mode(corpus)`, filter on the police case "
                "and count the rows where `mode` is `hands_on`.")


def expected_q2(corpus: Corpus | None = None) -> float:
    moves = _with_mode(corpus_or_default(corpus))
    workshop = moves[moves["case"] == "workshop"]
    classified = workshop[workshop["mode"] != "none"]
    return float((classified["mode"] == "hands_off").mean())


def q2(answer, corpus: Corpus | None = None) -> Result:
    """The share of hands-off among the workshop's classified moves (not NONE), between 0 and 1."""
    if unanswered(answer):
        return not_answered()
    corpus = corpus_or_default(corpus)
    given = _number(answer)
    if given is None:
        return hint("Svaret er et tal mellem 0 og 1, fx 0.25.", "The answer is a number between 0 and 1, e.g. 0.25.")
    expected = expected_q2(corpus)
    moves = _with_mode(corpus)
    workshop = moves[moves["case"] == "workshop"]
    of_all = float((workshop["mode"] == "hands_off").mean())
    if abs(given - expected) <= TOLERANCE:
        from ..i18n import t

        counts = workshop.loc[workshop["mode"] != "none", "mode"].value_counts()
        largest = sorted(counts.index[counts == counts.max()])
        da = " og ".join(t("mode_" + m, "da").lower() for m in largest)
        en = " and ".join(t("mode_" + m, "en").lower() for m in largest)
        return right(f"Rigtigt: {expected * 100:.0f} % af workshoppens klassificerede greb er hands-off. Den største "
                     f"gruppe er {da}; demokratisk forankring fylder mere end i politicasen ({heading('S12', corpus)}).",
                     f"Right: {expected * 100:.0f}% of the workshop's classified moves are hands-off. The largest "
                     f"group is {en}; democratic anchoring takes up more than in the police case "
                     f"({heading('S12', corpus)}).")
    if 1 < given <= 100 and abs(given / 100 - expected) <= TOLERANCE:
        return hint("Du har svaret i procent. Skriv andelen som et tal mellem 0 og 1.",
                    "You answered in per cent. Write the share as a number between 0 and 1.")
    if abs(given - of_all) <= TOLERANCE:
        return hint("Du har delt med alle workshoppens greb. »Klassificerede« greb er dem, der ikke er NONE (ikke "
                    "metastyring): fjern dem før du regner andelen ud.",
                    "You divided by all the workshop's moves. \"Classified\" moves are those that are not NONE (not "
                    "metagovernance): leave those out before you compute the share.")
    return hint("Ikke helt. Filtrér på workshoppen, fjern greb med `mode == \"none\"`, og tag gennemsnittet af "
                "`mode == \"hands_off\"`.",
                "Not quite. Filter on the workshop, drop moves with `mode == \"none\"`, and take the mean of "
                "`mode == \"hands_off\"`.")


def expected_q3(corpus: Corpus | None = None) -> int:
    moves = corpus_or_default(corpus).moves
    workshop = moves[moves["case"] == "workshop"]
    return int(sum(r.reference_class == "HON_MANAGEMENT" or "HON_MANAGEMENT" in split_list(r.also_accepted)
                   for r in workshop.itertuples()))


def q3(answer, corpus: Corpus | None = None) -> Result:
    """How many workshop moves have HON_MANAGEMENT as their reference class or as a defensible reading?"""
    if unanswered(answer):
        return not_answered()
    corpus = corpus_or_default(corpus)
    given = as_int(answer)
    if given is None:
        return hint("Svaret er et helt tal.", "The answer is a whole number.")
    moves = corpus.moves
    workshop = moves[moves["case"] == "workshop"]
    expected = expected_q3(corpus)
    reference_only = int((workshop["reference_class"] == "HON_MANAGEMENT").sum())
    also_only = int(workshop["also_accepted"].map(lambda v: "HON_MANAGEMENT" in split_list(v)).sum())
    if given == expected:
        return right(f"Rigtigt: {reference_only} greb har netværksledelse som kursets klasse, og yderligere "
                     f"{expected - reference_only} kan forsvarligt læses sådan. Med den læsning ligner workshoppen "
                     f"en case med meget hands-on facilitering ({heading('S12', corpus)}).",
                     f"Right: {reference_only} moves have network management as the course's class, and "
                     f"{expected - reference_only} more can defensibly be read that way. Read like that, the "
                     f"workshop looks like a case with much hands-on facilitation ({heading('S12', corpus)}).")
    if given == reference_only:
        return hint("Du har kun talt kursets klasse. Tæl også de greb, hvor `HON_MANAGEMENT` står i kolonnen "
                    "`also_accepted` (fx med `.str.contains(\"HON_MANAGEMENT\")`).",
                    "You counted only the course's class. Also count the moves where `HON_MANAGEMENT` stands in the "
                    "`also_accepted` column (e.g. with `.str.contains(\"HON_MANAGEMENT\")`).")
    if given == also_only:
        return hint("Du har kun talt `also_accepted`. Læg de greb til, hvor `HON_MANAGEMENT` er kursets klasse "
                    "(`reference_class`).",
                    "You counted only `also_accepted`. Add the moves whose class (`reference_class`) is "
                    "`HON_MANAGEMENT`.")
    return hint("Ikke helt. Filtrér på workshoppen, og tæl de rækker, hvor `reference_class` er `HON_MANAGEMENT` "
                "ELLER `also_accepted` indeholder `HON_MANAGEMENT` (brug `|`).",
                "Not quite. Filter on the workshop and count the rows where `reference_class` is `HON_MANAGEMENT` "
                "OR `also_accepted` contains `HON_MANAGEMENT` (use `|`).")


def q4(chart, corpus: Corpus | None = None) -> Result:
    """An Altair chart of the moves per phase in both cases, with alt text that names both cases."""
    import altair as alt

    from ..charts import alt_text

    if unanswered(chart):
        return not_answered()
    corpus = corpus_or_default(corpus)
    if not isinstance(chart, alt.TopLevelMixin):
        return hint("Giv selve Altair-diagrammet (fx `chart_1_4 = alt.Chart(...).mark_bar()...`).",
                    "Give the Altair chart itself (e.g. `chart_1_4 = alt.Chart(...).mark_bar()...`).")
    if not any("phase" in f for f in _fields(chart.to_dict(validate=False))):
        return hint("Diagrammet skal vise grebene pr. fase: brug kolonnen `phase` i en af akserne.",
                    "The chart should show the moves per phase: use the `phase` column on one of the axes.")
    text = alt_text(chart)
    if not text.strip():
        return hint("Diagrammet mangler alt-tekst. Tilføj `.properties(description=...)` med en sætning, der siger, "
                    "hvad diagrammet viser, med tallene.",
                    "The chart has no alt text. Add `.properties(description=...)` with a sentence that says what "
                    "the chart shows, with the numbers.")
    cases = corpus.cases.set_index("id")
    missing = []
    for case in ("police", "workshop"):
        names = {case, *ALIASES.get(case, ())}
        if case in cases.index:
            names |= {cases.loc[case, "label_da"], cases.loc[case, "label_en"]}
        if not any(str(n).strip() and str(n).lower() in text.lower() for n in names):
            missing.append(case)

    def named(lang: str) -> str:
        return (" og " if lang == "da" else " and ").join(
            str(cases.loc[c, f"label_{lang}"] or c) if c in cases.index else c for c in missing)

    if missing:
        return hint(f"Alt-teksten nævner ikke {named('da')}. En skærmlæser skal kunne høre begge cases.",
                    f"The alt text does not name {named('en')}. A screen reader should hear both cases.")
    if not any(ch.isdigit() for ch in text):
        return hint("Alt-teksten bør nævne tallene (hvor mange greb i hver fase), så den siger det samme som søjlerne.",
                    "The alt text should give the numbers (how many moves in each phase), so that it says what the "
                    "bars show.")
    from ..i18n import t

    phases = corpus.moves.groupby("case")["phase"].agg(lambda p: p.value_counts().idxmax())

    def label(case: str, lang: str) -> str:
        return cases.loc[case, f"label_{lang}"] if case in cases.index else case

    top_da = " og ".join(f"»{t('phase_' + ph, 'da').lower()}« i {label(c, 'da')}" for c, ph in phases.items())
    top_en = " and ".join(f"\"{t('phase_' + ph, 'en').lower()}\" in {label(c, 'en')}" for c, ph in phases.items())
    return right("Godt: et diagram pr. fase med alt-tekst, der nævner begge cases og tallene. Fasen med flest greb "
                 f"er {top_da}. Hvad siger det om, hvor artiklen ser ledelsen?",
                 "Good: a chart per phase with alt text that names both cases and the numbers. The phase with the "
                 f"most moves is {top_en}. What does that say about where the article sees leadership?")


def _fields(spec) -> list[str]:
    """Every field name a chart encodes (its data sets left out)."""
    found: list[str] = []
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key in ("datasets", "data"):
                continue
            if key == "field" and isinstance(value, str):
                found.append(value)
            else:
                found.extend(_fields(value))
    elif isinstance(spec, list):
        for item in spec:
            found.extend(_fields(item))
    return found


def expected_q5(corpus: Corpus | None = None) -> tuple[int, int]:
    timeline = corpus_or_default(corpus).timeline
    police = timeline[timeline["case"] == "police"]
    on = police[police["leadership"] == "hands_on"]
    # Where the hands-on leadership stops: the end of a span (order_end), or the order of a point event.
    last_on = int(on["order_end"].fillna(on["order"]).max()) if "order_end" in on else int(on["order"].max())
    change = int(police.loc[police["when_da"] == "halvvejs", "order"].iloc[0])
    return last_on, change


def q5(answer, corpus: Corpus | None = None) -> Result:
    """(where the police case's hands-on leadership stops on the timeline, order of the director change)."""
    if unanswered(answer):
        return not_answered()
    corpus = corpus_or_default(corpus)
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        return hint("Svaret er to tal i parentes: (hvor hands-on-ledelsen ophører, direktørskiftet), fx (3, 5).",
                    "The answer is two numbers in brackets: (where hands-on leadership stops, director change), e.g. (3, 5).")
    if any(unanswered(a) for a in answer):
        return not_answered()
    given = tuple(as_int(a) for a in answer)
    last_on, change = expected_q5(corpus)
    s10 = heading("S10", corpus)
    if given == (last_on, change):
        later = (f"Hands-on-ledelsen varer altså ud over skiftet: koordinatoren faciliterede dialogmøderne, til hun fik "
                 f"andre opgaver i 2018 ({s10}). Det, skiftet trak tilbage, var direktørens egen ledelse."
                 if last_on > change else "Her ophører hands-on-ledelsen senest ved skiftet.")
        later_en = (f"So hands-on leadership lasts beyond the change: the coordinator facilitated the dialogue meetings "
                    f"until she was given other tasks in 2018 ({s10}). What the change withdrew was the director's own "
                    "leadership." if last_on > change else "Here hands-on leadership stops at the change at the latest.")
        return right(f"Rigtigt: hands-on-ledelsen ophører ved nr. {last_on}, og direktørskiftet er nr. {change}. {later}",
                     f"Right: hands-on leadership stops at no. {last_on}, and the director change is no. {change}. {later_en}")
    if given == (change, last_on):
        return hint("Du har byttet om på de to tal: først hvor hands-on-ledelsen ophører, så direktørskiftet.",
                    "You swapped the two numbers: first where hands-on leadership stops, then the director change.")
    notes_da, notes_en = [], []
    if given[0] != last_on:
        notes_da.append("Se på politicasens rækker med `leadership == \"hands_on\"`. Et forløb, der strækker sig over "
                        "tid, slutter ved `order_end`; en enkelt begivenhed ved sin `order`. Tag det største af dem.")
        notes_en.append("Look at the police case's rows with `leadership == \"hands_on\"`. An activity that lasts over "
                        "time ends at `order_end`; a single event at its `order`. Take the largest of these.")
    if given[1] != change:
        notes_da.append(f"Direktørskiftet er begivenheden, hvor `when_da` er \"halvvejs\" ({s10}).")
        notes_en.append(f"The director change is the event whose `when_da` is \"halvvejs\" (halfway) ({s10}).")
    return hint(" ".join(notes_da), " ".join(notes_en))


def expected_q6(corpus: Corpus | None = None) -> dict[int, str]:
    """Recommendation number -> the discussion section it answers.

    The article's four recommendations follow the four subsections of its discussion in order (the
    first discussion section is the introduction to them).
    """
    sections = corpus_or_default(corpus).sections
    discussion = sections[sections["part"] == "discussion"].sort_values("order")["id"].tolist()
    return {number: section for number, section in enumerate(discussion[1:], start=1)}


def q6(answer, corpus: Corpus | None = None) -> Result:
    """Match each recommendation (1-4) to the discussion section it answers (a section id)."""
    if unanswered(answer):
        return not_answered()
    corpus = corpus_or_default(corpus)
    expected = expected_q6(corpus)
    if not isinstance(answer, Mapping):
        return hint("Svaret er en dict fra anbefalingens nummer til et afsnits id, fx `{1: \"S15\", 2: ...}` (id'erne står i tabellen over afsnit i notesbogen).",
                    "The answer is a dict from the recommendation's number to a section id, e.g. `{1: \"S15\", 2: ...}` (the ids are in the notebook's table of sections).")
    given = {as_int(k): str(v).strip().upper() for k, v in answer.items() if not unanswered(v)}
    if not given:
        return not_answered()
    missing = [n for n in expected if n not in given]
    if missing:
        return hint(f"Udfyld også anbefaling {', '.join(map(str, missing))}.",
                    f"Fill in recommendation {', '.join(map(str, missing))} too.")
    wrong = [n for n in expected if given[n] != expected[n]]
    if not wrong:
        return right("Rigtigt: i kursets læsning følger anbefalingerne diskussionens fire temaer i samme rækkefølge, fra tidlig "
                     "inddragelse over hands-off og hands-on og demokratisering til værdi og dokumentation.",
                     "Right: in the course's reading the recommendations follow the discussion's four themes in the same order, from early "
                     "involvement through hands-off and hands-on and democratisation to value and documentation.")
    notes_da = [f"Anbefaling {n}: læs {heading(expected[n], corpus)} igen, og se, hvilken anbefaling der svarer på "
                f"den." for n in wrong[:2]]
    notes_en = [f"Recommendation {n}: reread {heading(expected[n], corpus)} and see which recommendation answers "
                f"it." for n in wrong[:2]]
    return hint(f"{len(expected) - len(wrong)} af {len(expected)} passer. " + " ".join(notes_da),
                f"{len(expected) - len(wrong)} of {len(expected)} match. " + " ".join(notes_en))


def q7(answer) -> Result:
    """Which statement about hands-off metagovernance is right (a-d)?"""
    s03, s10 = heading("S03"), heading("S10")
    return choice(answer, {
        "a": (f"Nej. Hands-off er ikke at lade stå til: det er at lede ved at sætte rammerne – design, mandat, økonomi "
              f"og fortælling. Se {s03}.",
              f"No. Hands-off is not leaving things alone: it is leading by setting the frame – design, mandate, "
              f"budget and narrative. See {s03}."),
        "c": (f"Nej, det er hands-on: direkte deltagelse og facilitering under samskabelsen, ofte af "
              f"frontmedarbejdere. Se {s03}.",
              f"No, that is hands-on: direct participation and facilitation during the co-creation, often by "
              f"frontline staff. See {s03}."),
        "d": (f"Nej. Under den nye direktør blev koordinatoren flyttet, og initiativet omtalt på en ny måde; artiklen kalder det "
              f"en manøvre fra hands-on til hands-off, altså stadig ledelse. Se {s10}.",
              f"No. Under the new director the coordinator was moved and the initiative spoken of in a new way; the article "
              f"calls it a move from hands-on to hands-off, so still leadership. See {s10}."),
    }, "b", ("Rigtigt: hands-off er den rammesættende ledelse, der går forud for og omkring samskabelsen. Den kan "
             "støtte samskabelsen eller, som efter direktørskiftet, tage luften ud af den.",
             "Right: hands-off is the frame-setting leadership that comes before and around the co-creation. It can "
             "support the co-creation or, as after the director change, take the air out of it."))


def q8(answer) -> Result:
    """Which of these is NOT one of the three elements of democratic anchoring (a-d)?"""
    s12, s17 = heading("S12"), heading("S17")
    return choice(answer, {
        "a": (f"Adgang for alle er netop et af de tre elementer. Se {s12}.",
              f"Access for all is one of the three elements. See {s12}."),
        "b": (f"Ligeværdig deltagelse er et af de tre elementer: bliver alle stemmer hørt, når man først er med? "
              f"Se {s12}.",
              f"Equal participation is one of the three elements: is every voice heard once you are in? See {s12}."),
        "c": (f"Demokratisk ansvar er et af de tre elementer: hvem står til ansvar, og er processen gennemsigtig? "
              f"Se {s12}.",
              f"Democratic accountability is one of the three elements: who answers for what, and is the process "
              f"transparent? See {s12}."),
    }, "d", ("Rigtigt: ifølge Sørensen og Torfing (2009), som artiklen henviser til, er samskabelse et supplement til "
             "det repræsentative demokrati, ikke en afstemning. "
             f"Demokratisk forankring handler om adgang, ligeværd og ansvar – og ikke kun om adgang ({s17}).",
             "Right: according to Sørensen and Torfing (2009), whom the article cites, co-creation supplements "
             "representative democracy; it is not a vote. Democratic anchoring is "
             f"about access, equality and accountability – not about access alone ({s17})."))
