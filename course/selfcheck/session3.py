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
from . import Result, as_int, choice, corpus_or_default, heading, hint, not_answered, right, unanswered


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
    if unanswered(answer):
        return not_answered()
    counts = fw.fieldwork_counts(corpus_or_default(corpus))
    expected = {(c, t): int(n) for c, row in counts.iterrows() for t, n in row.items() if n}
    given = _pairs(answer)
    if given is None:
        return hint("Giv en krydstabel, fx `pd.crosstab(fieldwork[\"case\"], fieldwork[\"type\"])`.",
                    "Give a crosstab, e.g. `pd.crosstab(fieldwork[\"case\"], fieldwork[\"type\"])`.")
    flipped = {(t, c): n for (c, t), n in expected.items()}
    if given in (expected, flipped):
        kinds = {c: sum(1 for (case, _t) in expected if case == c) for c in counts.index}
        spread_da = ", ".join(f"{c}: {n} typer" for c, n in kinds.items())
        spread_en = ", ".join(f"{c}: {n} types" for c, n in kinds.items())
        return right(f"Rigtigt ({spread_da}). Typerne viser forskerens rolle: ved deltagelse og oplæg er forskeren "
                     "ikke kun iagttager, men også en del af feltet.",
                     f"Right ({spread_en}). The types show the researcher's role: when taking part or presenting, "
                     "the researcher is not only an observer but also part of the field.")
    total = sum(expected.values())
    if sum(given.values()) != total:
        return hint(f"Tabellen skal i alt rumme {total} poster (27 + 13). Har du filtreret noget fra – eller "
                    "talt datoer i stedet for poster?",
                    f"The table should hold {total} items in all (27 + 13). Did you filter something out – or "
                    "count dates instead of items?")
    return hint("Summen passer, men fordelingen gør ikke. Brug kolonnerne `case` og `type` direkte.",
                "The total is right but the split is not. Use the `case` and `type` columns directly.")


def q2(answer, corpus: Corpus | None = None) -> Result:
    """How many police items carry more than one date?"""
    if unanswered(answer):
        return not_answered()
    dates = fw.fieldwork_dates(corpus_or_default(corpus))
    police = dates[dates["case"] == "police"]
    expected = int(police.loc[police["n_dates"] > 1, "id"].nunique())
    given = as_int(answer)
    if given is None:
        return hint("Svaret er ét helt tal.", "The answer is one whole number.")
    if given == expected:
        last = police["month"].max()
        reaching = int(police.loc[(police["n_dates"] > 1) & (police["month"] == last), "id"].nunique())
        return right(f"Rigtigt: {expected} poster har mere end én dato – fx et interview, der er gentaget, eller "
                     f"observationer over to måneder. {reaching} af dem rækker helt frem til "
                     f"{fw.month_label(last, 'da')}, den sidste måned i listen.",
                     f"Right: {expected} items have more than one date – e.g. an interview repeated later, or "
                     f"observations over two months. {reaching} of them reach as far as "
                     f"{fw.month_label(last, 'en')}, the last month in the list.")
    if given == len(police):
        return hint("Det er antallet af datoer. Du skal tælle poster (rækker), der har mere end én dato: "
                    "kolonnen `dates` indeholder et `;`.",
                    "That is the number of dates. Count items (rows) with more than one date: the `dates` column "
                    "contains a `;`.")
    if given == police["id"].nunique():
        return hint("Det er alle politiets poster. Hvor mange af dem har to datoer?",
                    "That is every police item. How many of them have two dates?")
    return hint("Ikke helt. Prøv `fieldwork[\"dates\"].str.contains(\";\")` på politiets rækker.",
                "Not quite. Try `fieldwork[\"dates\"].str.contains(\";\")` on the police rows.")


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
    if unanswered(answer):
        return not_answered()
    months = fw.fieldwork_months(corpus_or_default(corpus), case="police")
    top = int(months.max())
    expected = sorted(months.index[months == top])
    given = _months(answer)
    if given is None:
        return hint("Svar med en liste af måneder som tekst, fx [\"2016-02\"].",
                    "Answer with a list of months as text, e.g. [\"2016-02\"].")
    if not given:
        return hint("Listen er tom. Skriv måneden eller månederne som tekst, fx [\"2016-02\"].",
                    "The list is empty. Give the month or months as text, e.g. [\"2016-02\"].")
    if sorted(given) == expected:
        return right(f"Rigtigt: {len(expected)} måneder deler førstepladsen med {top} datoer hver. Et delt maksimum "
                     "er værd at opdage: `idxmax()` ville kun have givet dig den første.",
                     f"Right: {len(expected)} months share first place with {top} dates each. A shared maximum is "
                     "worth noticing: `idxmax()` would have given you only the first.")
    if set(given) < set(expected):
        return hint(f"Rigtig måned, men der er flere, der har lige så mange ({top}). Find alle måneder, hvor "
                    "antallet er lig maksimum: `months[months == months.max()]`.",
                    f"A right month, but others have as many ({top}). Find every month whose count equals the "
                    "maximum: `months[months == months.max()]`.")
    return hint("Ikke helt. Tæl datoer pr. måned – en post med to datoer tæller i begge måneder. "
                "`course.fieldwork.fieldwork_dates(corpus)` har én række pr. dato.",
                "Not quite. Count dates per month – an item with two dates counts in both months. "
                "`course.fieldwork.fieldwork_dates(corpus)` has one row per date.")


def q4(answer, corpus: Corpus | None = None) -> Result:
    """Which year has the most police fieldwork dates?"""
    if unanswered(answer):
        return not_answered()
    dates = fw.fieldwork_dates(corpus_or_default(corpus))
    years = dates.loc[dates["case"] == "police", "month"].str[:4].astype(int).value_counts()
    expected = int(years.idxmax())
    given = as_int(answer)
    if given is None:
        return hint("Svar med et årstal, fx 2016.", "Answer with a year, e.g. 2016.")
    if given == expected:
        first = int(years.index.min())
        return right(f"Rigtigt: {expected} med {int(years.max())} datoer. Feltarbejdet begynder først i {first}; "
                     "sammenlign med, hvornår initiativet gik i gang (casebeskrivelsen og `corpus.timeline`).",
                     f"Right: {expected}, with {int(years.max())} dates. The fieldwork only starts in {first}; "
                     "compare with when the initiative began (the case description and `corpus.timeline`).")
    return hint("Ikke det år. Tag de fire første tegn af `month` (`.str[:4]`) og tæl med `value_counts()`.",
                "Not that year. Take the first four characters of `month` (`.str[:4]`) and count with "
                "`value_counts()`.")


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
        return hint("Svar med en liste af tal, fx [1, 2].", "Answer with a list of numbers, e.g. [1, 2].")
    if given == expected:
        return right(f"Rigtigt: {', '.join(map(str, expected))} står to gange, så 13 poster ender på nummer "
                     f"{printed.astype(int).max()}. Kurset giver derfor hver post sit eget id (F-W01 ...) og gemmer "
                     "det trykte nummer ved siden af.",
                     f"Right: {', '.join(map(str, expected))} appear twice, so 13 items end at number "
                     f"{printed.astype(int).max()}. The course therefore gives each item its own id (F-W01 ...) and "
                     "keeps the printed number beside it.")
    return hint(f"Ikke helt. Se på kolonnen `number_printed` for workshoppens rækker og brug `.duplicated()`. "
                f"Listen står i {heading('S22', corpus)}.",
                f"Not quite. Look at the `number_printed` column of the workshop rows and use `.duplicated()`. "
                f"The list stands in {heading('S22', corpus)}.")


def q6(chart) -> Result:
    """An Altair chart of the workshop items by stage, with alt text (``description``)."""
    import altair as alt

    if unanswered(chart):
        return not_answered()
    if not isinstance(chart, alt.TopLevelMixin):
        return hint("Giv selve Altair-diagrammet (fx `chart = alt.Chart(...).mark_bar()...`).",
                    "Give the Altair chart itself (e.g. `chart = alt.Chart(...).mark_bar()...`).")
    text = alt_text(chart)
    if not text.strip():
        return hint("Diagrammet mangler alt-tekst. Tilføj `.properties(description=...)` med en sætning, der siger, "
                    "hvad diagrammet viser – med tallene.",
                    "The chart has no alt text. Add `.properties(description=...)` with a sentence that says what "
                    "the chart shows – with the numbers.")
    if not any(ch.isdigit() for ch in text):
        return hint("Alt-teksten bør nævne tallene (fx hvor mange poster der er i hver fase), så en skærmlæser "
                    "giver det samme som søjlerne.",
                    "The alt text should give the numbers (e.g. how many items there are at each stage), so that a "
                    "screen reader says what the bars show.")
    return right("Godt: et diagram med alt-tekst, der nævner tallene.",
                 "Good: a chart with alt text that gives the numbers.")


def q7(answer) -> Result:
    """Why does the article call its cases "extreme" (a-d)?"""
    s04 = heading("S04")
    return choice(answer, {
        "a": (f"Typiske cases er det modsatte af ekstreme. Se {s04}.",
              f"Typical cases are the opposite of extreme ones. See {s04}."),
        "c": (f"Casene er valgt med omhu, ikke tilfældigt. Se {s04}.",
              f"The cases were chosen with care, not at random. See {s04}."),
        "d": (f"Nej – artiklen handler ikke om konflikter, men om grupper, der er svære at nå. Se {s04}.",
              f"No – the point is not conflict but groups that are hard to reach. See {s04}."),
    }, "b", ("Rigtigt: borgerne er svære at nå og deltager sjældent af egen drift; derfor viser casene samskabelsens "
             "ledelsesudfordringer tydeligt (Flyvbjerg 2006).",
             "Right: the citizens are hard to reach and rarely take part on their own initiative, so the cases show "
             "the leadership challenges of co-creation clearly (Flyvbjerg 2006)."))


def q8(answer) -> Result:
    """What do the authors gain by comparing two unlike cases (a-d)?"""
    s04 = heading("S04")
    return choice(answer, {
        "a": (f"Det er den udbredte opfattelse, artiklen tager afstand fra (med Krause 2016). Se {s04}.",
              f"That is the common view the article distances itself from (with Krause 2016). See {s04}."),
        "b": ("To cases kan ikke give statistisk generalisering; det er heller ikke formålet.",
              "Two cases cannot give statistical generalisation; nor is that the aim."),
        "d": ("Casene analyseres først hver for sig og sammenlignes bagefter – ingen af dem er kontrolgruppe.",
              "The cases are analysed one by one and then compared – neither is a control group."),
    }, "c", ("Rigtigt: når casene er forskellige, bliver det selvfølgelige synligt, og fænomenets former og "
             "udtryk kan beskrives og forklares bedre.",
             "Right: when the cases differ, what is taken for granted becomes visible, and the forms and expressions "
             "of the phenomenon can be described and explained better."))
