"""Side-by-side comparison of the cases (session 6), built from the data tables.

* :func:`case_comparison` — one row per case: moves per mode and per reference class, the shares of
  hands-off, hands-on and democratic anchoring among the classified moves, reference code counts per
  code group, and the span of the timeline.
* :func:`comparison_view` — the same numbers turned round (cases as columns) with readable labels.
* :func:`comparison_chart`, :func:`code_group_chart`, :func:`timeline_chart` — Altair charts with
  alt text computed from the data (Paul Tol's colours).
* :func:`student_results` / :func:`student_report` — a student's own saved coding and move
  classification per case, next to the course's reference. Read through :mod:`course.store` and the
  plain-Python models, so the widgets need not be open; an empty or missing save file is normal.

Every count here is a count of what the course's tables hold: moves and excerpts the course drew from
the article. They describe the article's account of the cases, not all the leadership that happened.
Altair is imported inside the chart functions, so that importing this module stays fast.
"""
from __future__ import annotations

import html
import math
from pathlib import Path

import pandas as pd

from . import agreement
from .data import NONE_CLASS, Corpus, load_corpus, split_list
from .i18n import field, get_language, t

#: The leadership modes of a move class, in the order the course shows them.
MODES = ("hands_off", "hands_on", "democratic_anchoring", "none")
#: Code groups of the codebook, in the order the course shows them.
GROUPS = ("hands_off", "hands_on", "democratic_anchoring", "dilemma")
#: Timeline leadership values.
LEADERSHIP = ("hands_off", "hands_on", "both", "none")
#: Marker shapes of the timeline (shape repeats colour, for readers who do not see colour).
SHAPES = {"hands_off": "square", "hands_on": "circle", "both": "diamond", "none": "cross"}

# Interface strings of this module (Danish first). They sit here, not in course.i18n, because this
# module is owned by session 6; they could move to i18n.STRINGS later without changing any call.
_TEXT: dict[str, dict[str, str]] = {
    "moves": {"da": "Greb i alt", "en": "Moves in all"},
    "classified": {"da": "Greb klassificeret som metastyring eller demokratisk forankring",
                   "en": "Moves classified as metagovernance or democratic anchoring"},
    "mode": {"da": "Greb: {label}", "en": "Moves: {label}"},
    "class": {"da": "Greb i klassen {label}", "en": "Moves in the class {label}"},
    "share": {"da": "Andel {label} af de klassificerede greb", "en": "Share {label} of the classified moves"},
    "excerpts": {"da": "Uddrag (citater og vignetter)", "en": "Excerpts (quotations and vignettes)"},
    "quotes": {"da": "heraf citater", "en": "of which quotations"},
    "codes": {"da": "Referencekoder i gruppen {label}", "en": "Reference codes in the group {label}"},
    "events": {"da": "Begivenheder på tidslinjen", "en": "Events on the timeline"},
    "first_year": {"da": "Første årstal på tidslinjen", "en": "First year on the timeline"},
    "last_year": {"da": "Sidste årstal på tidslinjen", "en": "Last year on the timeline"},
    "first_when": {"da": "Tidslinjen begynder", "en": "The timeline begins"},
    "last_when": {"da": "Tidslinjen slutter", "en": "The timeline ends"},
    "measure": {"da": "Mål", "en": "Measure"},
    "none_class": {"da": "Ikke metastyring", "en": "Not metagovernance"},
    "chart_moves_title": {"da": "Ledelsesgreb pr. klasse i kursets læsning", "en": "Leadership moves per class in the course's reading"},
    "chart_codes_title": {"da": "Referencekodernes grupper pr. case", "en": "Reference codes per group and case"},
    "chart_timeline_title": {"da": "Tidslinjerne: hvilken slags ledelse præger hver begivenhed?",
                             "en": "The timelines: what kind of leadership marks each event?"},
    "number_of_moves": {"da": "Antal greb", "en": "Number of moves"},
    "number_of_codes": {"da": "Antal kodeanvendelser", "en": "Number of code applications"},
    "class_axis": {"da": "Klasse (kursets læsning)", "en": "Class (the course's reading)"},
    "mode_legend": {"da": "Slags ledelse", "en": "Kind of leadership"},
    "group_legend": {"da": "Kodegruppe", "en": "Code group"},
    "order_axis": {"da": "Begivenhedens nummer i casens forløb", "en": "Event number within the case"},
    "leadership_both": {"da": "Både hands-off og hands-on", "en": "Both hands-off and hands-on"},
    "leadership_none": {"da": "Ingen metastyring nævnt", "en": "No metagovernance named"},
    "col_case": {"da": "Case", "en": "Case"},
    "col_excerpts": {"da": "Uddrag med referencekodning", "en": "Excerpts with a reference coding"},
    "col_coded": {"da": "Kodet af dig", "en": "Coded by you"},
    "col_jaccard": {"da": "Gns. overlap med kurset (Jaccard)", "en": "Mean overlap with the course (Jaccard)"},
    "col_precision": {"da": "Dine koder, som kurset også har", "en": "Your codes the course also has"},
    "col_recall": {"da": "Kursets koder, som du også fandt", "en": "The course's codes you also found"},
    "col_moves": {"da": "Greb", "en": "Moves"},
    "col_answered": {"da": "Klassificeret af dig", "en": "Classified by you"},
    "col_correct": {"da": "Rigtige i første forsøg", "en": "Right at the first attempt"},
    "col_you_on": {"da": "Hands-on i dine svar", "en": "Hands-on in your answers"},
    "col_ref_on": {"da": "Hands-on i kursets læsning (samme greb)", "en": "Hands-on in the course's reading (same moves)"},
    "no_work": {
        "da": ("Der er ingen gemte kodninger eller klassifikationer under navnet «{student}» endnu "
               "(kurset kigger i `{path}`). Det er helt i orden: sammenligningen ovenfor bygger på kursets "
               "læsning og står fint alene. Vil du se dine egne tal her, så kod nogle uddrag med "
               "`course.ExcerptCoder()` og klassificér nogle greb med `course.MoveClassifier()` i notesbog 04 "
               "og 05, og kør så denne celle igen. Har du arbejdet på Binder i en tidligere session, kan du "
               "hente din downloadede fil ind med knappen «Gendan fra fil» i en af widgetterne."),
        "en": ("There are no saved codings or classifications under the name «{student}» yet (the course "
               "looks in `{path}`). That is quite all right: the comparison above rests on the course's "
               "reading and stands on its own. To see your own figures here, code some excerpts with "
               "`course.ExcerptCoder()` and classify some moves with `course.MoveClassifier()` in notebooks "
               "04 and 05, then run this cell again. If you worked on Binder in an earlier session, bring in "
               "your downloaded file with the «Restore from file» button in one of the widgets."),
    },
    "work_intro": {
        "da": ("Dine gemte resultater («{student}»): {coded} kodede uddrag og {answered} klassificerede greb. "
               "Overlappet måler din første kodning, før du så kursets; greb tæller dit første svar. "
               "Kursets læsning er ikke facit: hvor I er uenige, er der noget at diskutere."),
        "en": ("Your saved results («{student}»): {coded} coded excerpts and {answered} classified moves. "
               "The overlap measures your first coding, before you saw the course's; moves count your first "
               "answer. The course's reading is not the only answer: where you disagree, there is something to "
               "discuss."),
    },
    "stale_note": {"da": "Bemærk: dit arbejde er lavet med en anden version af data end den, der er indlæst nu.",
                   "en": "Note: your work was made with another version of the data than the one loaded now."},
    "damaged_note": {"da": "Bemærk: din gemte fil kunne ikke læses og er lagt til side; {detail}",
                     "en": "Note: your save file could not be read and has been set aside; {detail}"},
}


def _s(key: str, lang: str | None = None, **values) -> str:
    entry = _TEXT[key]
    text = entry.get(lang or get_language()) or entry["da"]
    return text.format(**values) if values else text


def _pct(value: float, lang: str | None = None) -> str:
    """A share as a percentage (Danish style "55 %", English "55%"); "–" when empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "–"
    number = f"{value * 100:.0f}"
    return f"{number} %" if (lang or get_language()) == "da" else f"{number}%"


# -- the comparison table ------------------------------------------------------------------------
def compared_cases(corpus: Corpus | None = None) -> list[str]:
    """The cases to compare: those with leadership moves or timeline events, in cases.csv order."""
    corpus = corpus or load_corpus()
    used = set(corpus.moves["case"]) | set(corpus.timeline["case"])
    return [c for c in corpus.cases["id"] if c in used]


def case_label(corpus: Corpus, case: str, lang: str | None = None) -> str:
    match = corpus.cases[corpus.cases["id"] == case]
    return case if match.empty else field(match.iloc[0].to_dict(), "label", lang)


def class_mode(corpus: Corpus) -> dict[str, str]:
    """Move class -> its mode (the codebook group; ``none`` for NONE)."""
    groups = corpus.codebook.set_index("id")["group"].to_dict()
    return {c: ("none" if c == NONE_CLASS else groups[c]) for c in corpus.move_classes}


def class_label(corpus: Corpus, cls: str, lang: str | None = None) -> str:
    if cls == NONE_CLASS:
        return _s("none_class", lang)
    return field(corpus.code(cls), "label", lang)


def mode_label(mode: str, lang: str | None = None) -> str:
    return t(f"mode_{mode}", lang)


def group_label(group: str, lang: str | None = None) -> str:
    return t(f"group_{group}", lang)


def moves_with_mode(corpus: Corpus | None = None) -> pd.DataFrame:
    """The moves table with a ``mode`` column (the reference class's mode)."""
    corpus = corpus or load_corpus()
    modes = class_mode(corpus)
    return corpus.moves.assign(mode=corpus.moves["reference_class"].map(modes))


def code_counts(corpus: Corpus | None = None) -> pd.DataFrame:
    """Tidy counts of the reference coding: one row per case and code (codes never used count 0)."""
    corpus = corpus or load_corpus()
    rows = [{"case": r.case, "code": code}
            for r in corpus.excerpts.itertuples() for code in split_list(r.reference_codes)]
    used = pd.DataFrame(rows, columns=["case", "code"])
    cases = list(corpus.cases["id"])
    full = pd.MultiIndex.from_product([cases, corpus.code_ids], names=["case", "code"])
    counts = used.groupby(["case", "code"]).size().reindex(full, fill_value=0).rename("count").reset_index()
    groups = corpus.codebook.set_index("id")["group"]
    counts["group"] = counts["code"].map(groups)
    return counts[["case", "group", "code", "count"]]


def case_comparison(corpus: Corpus | None = None) -> pd.DataFrame:
    """One row per compared case (index: case id), with the numbers of the side-by-side comparison.

    Columns: ``label``; ``moves``; ``mode_<mode>`` for each mode; ``class_<CLASS>`` for each move
    class; ``classified`` (moves not NONE) and ``share_hands_off``, ``share_hands_on``,
    ``share_democratic_anchoring`` among them (they add up to 1); ``excerpts``, ``quotes``;
    ``codes_<group>`` (reference code applications per code group); ``events``, ``first_year``,
    ``last_year`` (empty when the article gives no year), ``first_when``, ``last_when``.
    """
    corpus = corpus or load_corpus()
    moves = moves_with_mode(corpus)
    codes = code_counts(corpus)
    rows = []
    for case in compared_cases(corpus):
        mine = moves[moves["case"] == case]
        row: dict[str, object] = {"case": case, "label": case_label(corpus, case, "da"), "moves": len(mine)}
        for mode in MODES:
            row[f"mode_{mode}"] = int((mine["mode"] == mode).sum())
        for cls in corpus.move_classes:
            row[f"class_{cls}"] = int((mine["reference_class"] == cls).sum())
        classified = len(mine) - row["mode_none"]
        row["classified"] = classified
        for mode in MODES[:-1]:
            row[f"share_{mode}"] = row[f"mode_{mode}"] / classified if classified else math.nan
        excerpts = corpus.excerpts[corpus.excerpts["case"] == case]
        row["excerpts"] = len(excerpts)
        row["quotes"] = int((excerpts["kind"] == "quote").sum())
        case_codes = codes[codes["case"] == case]
        for group in GROUPS:
            row[f"codes_{group}"] = int(case_codes.loc[case_codes["group"] == group, "count"].sum())
        events = corpus.timeline[corpus.timeline["case"] == case].sort_values("order")
        years = pd.to_numeric(events["year"], errors="coerce").dropna()
        row["events"] = len(events)
        row["first_year"] = int(years.min()) if len(years) else pd.NA
        row["last_year"] = int(years.max()) if len(years) else pd.NA
        row["first_when"] = events["when_da"].iloc[0] if len(events) else ""
        row["last_when"] = events["when_da"].iloc[-1] if len(events) else ""
        rows.append(row)
    table = pd.DataFrame(rows).set_index("case")
    for column in ("first_year", "last_year"):
        if column in table:
            table[column] = table[column].astype("Int64")
    return table


def comparison_view(corpus: Corpus | None = None, lang: str | None = None) -> pd.DataFrame:
    """The comparison turned round for reading: one row per measure, one column per case."""
    corpus = corpus or load_corpus()
    lang = lang or get_language()
    table = case_comparison(corpus)
    labels: dict[str, str] = {"moves": _s("moves", lang)}
    for mode in MODES:
        labels[f"mode_{mode}"] = _s("mode", lang, label=mode_label(mode, lang))
    for cls in corpus.move_classes:
        labels[f"class_{cls}"] = _s("class", lang, label=class_label(corpus, cls, lang))
    labels["classified"] = _s("classified", lang)
    for mode in MODES[:-1]:
        labels[f"share_{mode}"] = _s("share", lang, label=mode_label(mode, lang))
    labels["excerpts"] = _s("excerpts", lang)
    labels["quotes"] = _s("quotes", lang)
    for group in GROUPS:
        labels[f"codes_{group}"] = _s("codes", lang, label=group_label(group, lang))
    for key in ("events", "first_year", "last_year", "first_when", "last_when"):
        labels[key] = _s(key, lang)
    shown = pd.DataFrame(index=list(labels))
    for case in table.index:
        column = []
        for key in labels:
            value = table.loc[case, key]
            if key.startswith("share_"):
                column.append(_pct(value, lang))
            elif not isinstance(value, str) and pd.isna(value):
                column.append("–")
            else:
                column.append(str(value))
        shown[case_label(corpus, case, lang)] = column
    shown.index = [labels[k] for k in shown.index]
    shown.index.name = _s("measure", lang)
    return shown


# -- charts --------------------------------------------------------------------------------------
def _mode_colours() -> dict[str, str]:
    from .charts import MODE_COLOURS

    return MODE_COLOURS


def _class_counts(corpus: Corpus, lang: str) -> pd.DataFrame:
    moves = moves_with_mode(corpus)
    rows = []
    for case in compared_cases(corpus):
        mine = moves[moves["case"] == case]
        for cls in corpus.move_classes:
            mode = class_mode(corpus)[cls]
            rows.append({
                "case": case, "case_label": case_label(corpus, case, lang), "class": cls,
                "class_label": class_label(corpus, cls, lang), "mode": mode,
                "mode_label": mode_label(mode, lang), "count": int((mine["reference_class"] == cls).sum()),
            })
    return pd.DataFrame(rows)


def comparison_alt_text(corpus: Corpus | None = None, lang: str | None = None) -> str:
    """The alt text of :func:`comparison_chart`, computed from the data."""
    corpus = corpus or load_corpus()
    lang = lang or get_language()
    table = case_comparison(corpus)
    counts = _class_counts(corpus, lang)
    parts = []
    for case in table.index:
        r = table.loc[case]
        mine = counts[counts["case"] == case]
        top = mine.sort_values("count", ascending=False, kind="stable").iloc[0]
        modes = ", ".join(
            f"{mode_label(m, lang)} {int(r[f'mode_{m}'])} ({_pct(r[f'share_{m}'], lang)})" for m in MODES[:-1])
        if lang == "da":
            parts.append(f"{case_label(corpus, case, lang)}: {int(r['moves'])} greb, heraf {modes} af de "
                         f"{int(r['classified'])} klassificerede, og {int(r['mode_none'])} ikke metastyring; "
                         f"største klasse: {top['class_label']} ({int(top['count'])})")
        else:
            parts.append(f"{case_label(corpus, case, lang)}: {int(r['moves'])} moves, {modes} of the "
                         f"{int(r['classified'])} classified, and {int(r['mode_none'])} not metagovernance; "
                         f"largest class: {top['class_label']} ({int(top['count'])})")
    head = ("Vandrette søjler: antal ledelsesgreb pr. klasse i kursets læsning, ét panel pr. case, farvet efter "
            "slags ledelse. " if lang == "da" else
            "Horizontal bars: number of leadership moves per class in the course's reading, one panel per case, "
            "coloured by kind of leadership. ")
    return head + ". ".join(parts) + "."


def comparison_chart(corpus: Corpus | None = None, lang: str | None = None):
    """Moves per reference class, one panel per case, coloured by mode (with alt text)."""
    import altair as alt

    corpus = corpus or load_corpus()
    lang = lang or get_language()
    data = _class_counts(corpus, lang)
    colours = _mode_colours()
    modes = [m for m in MODES if m in set(data["mode"])]
    class_order = [class_label(corpus, c, lang) for c in corpus.move_classes]
    case_order = [case_label(corpus, c, lang) for c in compared_cases(corpus)]
    base = alt.Chart(data).encode(
        y=alt.Y("class_label:N", title=_s("class_axis", lang), sort=class_order),
        x=alt.X("count:Q", title=_s("number_of_moves", lang), axis=alt.Axis(tickMinStep=1)),
    )
    bars = base.mark_bar().encode(
        color=alt.Color("mode_label:N", title=_s("mode_legend", lang),
                        sort=[mode_label(m, lang) for m in modes],
                        scale=alt.Scale(domain=[mode_label(m, lang) for m in modes],
                                        range=[colours[m] for m in modes])),
        tooltip=[alt.Tooltip("case_label:N", title=_s("col_case", lang)),
                 alt.Tooltip("class_label:N", title=_s("class_axis", lang)),
                 alt.Tooltip("mode_label:N", title=_s("mode_legend", lang)),
                 alt.Tooltip("count:Q", title=_s("number_of_moves", lang))],
    )
    labels = base.mark_text(align="left", dx=3).encode(text="count:Q")
    return (bars + labels).properties(width=230, height=220).facet(
        column=alt.Column("case_label:N", title=None, sort=case_order),
    ).properties(title=_s("chart_moves_title", lang), description=comparison_alt_text(corpus, lang))


def code_group_chart(corpus: Corpus | None = None, lang: str | None = None):
    """Reference code applications per code group, one bar per case (stacked), with alt text."""
    import altair as alt

    from .charts import TOL_BRIGHT

    corpus = corpus or load_corpus()
    lang = lang or get_language()
    cases = compared_cases(corpus)
    counts = code_counts(corpus)
    data = (counts[counts["case"].isin(cases)].groupby(["case", "group"], sort=False)["count"].sum()
            .reset_index())
    data["case_label"] = data["case"].map(lambda c: case_label(corpus, c, lang))
    data["group_label"] = data["group"].map(lambda g: group_label(g, lang))
    totals = data.groupby("case")["count"].transform("sum")
    data["share"] = data["count"] / totals.where(totals > 0)
    data["group_order"] = data["group"].map({g: i for i, g in enumerate(GROUPS)})
    palette = {"hands_off": TOL_BRIGHT[0], "hands_on": TOL_BRIGHT[2], "democratic_anchoring": TOL_BRIGHT[1],
               "dilemma": TOL_BRIGHT[3]}
    parts = []
    for case in cases:
        mine = data[data["case"] == case]
        listed = ", ".join(f"{r.group_label} {r.count} ({_pct(r.share, lang)})" for r in mine.itertuples())
        word = "kodeanvendelser" if lang == "da" else "code applications"
        parts.append(f"{case_label(corpus, case, lang)}: {int(mine['count'].sum())} {word}: {listed}")
    head = ("Stablede søjler: kursets referencekoder på uddragene, fordelt på kodegrupper, én søjle pr. case. "
            if lang == "da" else
            "Stacked bars: the course's reference codes on the excerpts by code group, one bar per case. ")
    description = head + ". ".join(parts) + "."
    groups = [g for g in GROUPS if g in set(data["group"])]
    chart = alt.Chart(data).mark_bar().encode(
        y=alt.Y("case_label:N", title=None, sort=[case_label(corpus, c, lang) for c in cases]),
        x=alt.X("count:Q", title=_s("number_of_codes", lang), stack="zero"),
        color=alt.Color("group_label:N", title=_s("group_legend", lang),
                        sort=[group_label(g, lang) for g in groups],
                        scale=alt.Scale(domain=[group_label(g, lang) for g in groups],
                                        range=[palette[g] for g in groups])),
        order=alt.Order("group_order:Q"),
        tooltip=[alt.Tooltip("case_label:N", title=_s("col_case", lang)),
                 alt.Tooltip("group_label:N", title=_s("group_legend", lang)),
                 alt.Tooltip("count:Q", title=_s("number_of_codes", lang)),
                 alt.Tooltip("share:Q", format=".0%")],
    )
    return chart.properties(title=_s("chart_codes_title", lang), width=420, height=90, description=description)


def timeline_chart(corpus: Corpus | None = None, lang: str | None = None):
    """Each case's timeline as a row of dots, coloured by the leadership the event shows (alt text)."""
    import altair as alt

    corpus = corpus or load_corpus()
    lang = lang or get_language()
    colours = _mode_colours()
    cases = compared_cases(corpus)
    data = corpus.timeline[corpus.timeline["case"].isin(cases)].copy()
    data["order"] = data["order"].astype(int)
    data["case_label"] = data["case"].map(lambda c: case_label(corpus, c, lang))

    def lead_label(value: str) -> str:
        if value in ("hands_off", "hands_on"):
            return mode_label(value, lang)
        return _s(f"leadership_{value}", lang)

    data["leadership_label"] = data["leadership"].map(lead_label)
    data["when"] = data["when_da"] if lang == "da" else data.apply(
        lambda r: r.get("when_en") or r["when_da"], axis=1)
    data["event"] = data.apply(lambda r: field(r, "event", lang), axis=1)
    present = [v for v in LEADERSHIP if v in set(data["leadership"])]
    parts = []
    for case in cases:
        mine = data[data["case"] == case].sort_values("order")
        if mine.empty:
            continue
        runs = []
        for value, group in mine.groupby((mine["leadership"] != mine["leadership"].shift()).cumsum()):
            first, last = group["order"].iloc[0], group["order"].iloc[-1]
            span = f"{first}" if first == last else f"{first}-{last}"
            runs.append(f"{span} {lead_label(group['leadership'].iloc[0]).lower()}")
        word = "begivenheder" if lang == "da" else "events"
        parts.append(f"{case_label(corpus, case, lang)} ({len(mine)} {word}, {mine['when'].iloc[0]} – "
                     f"{mine['when'].iloc[-1]}): " + "; ".join(runs))
    head = ("Prikdiagram: hver cases begivenheder i rækkefølge, farvet efter den ledelse, begivenheden viser. "
            if lang == "da" else
            "Dot chart: each case's events in order, coloured by the leadership the event shows. ")
    if not parts:
        parts = ["Tidslinjen har ingen begivenheder" if lang == "da" else "The timeline has no events"]
    description = head + ". ".join(parts) + "."
    chart = alt.Chart(data).mark_point(filled=True, size=170, opacity=1, stroke="black", strokeWidth=0.5).encode(
        x=alt.X("order:Q", title=_s("order_axis", lang), axis=alt.Axis(tickMinStep=1)),
        y=alt.Y("case_label:N", title=None, sort=[case_label(corpus, c, lang) for c in cases]),
        color=alt.Color("leadership_label:N", title=_s("mode_legend", lang),
                        sort=[lead_label(v) for v in present],
                        scale=alt.Scale(domain=[lead_label(v) for v in present],
                                        range=[colours[v] for v in present])),
        shape=alt.Shape("leadership_label:N", title=_s("mode_legend", lang),
                        sort=[lead_label(v) for v in present],
                        scale=alt.Scale(domain=[lead_label(v) for v in present],
                                        range=[SHAPES[v] for v in present])),
        tooltip=[alt.Tooltip("case_label:N", title=_s("col_case", lang)), alt.Tooltip("when:N"),
                 alt.Tooltip("leadership_label:N", title=_s("mode_legend", lang)), alt.Tooltip("event:N")],
    )
    return chart.properties(title=_s("chart_timeline_title", lang), width=460, height=110,
                            description=description)


def leadership_switches(corpus: Corpus | None = None) -> pd.Series:
    """Per case: how often the timeline switches between hands-off and hands-on events.

    Only events marked ``hands_off`` or ``hands_on`` count (``both`` and ``none`` are skipped), in
    timeline order. Many switches is what the article calls a loop or interplay (vekselvirkning).
    """
    corpus = corpus or load_corpus()
    events = corpus.timeline[corpus.timeline["leadership"].isin(["hands_off", "hands_on"])]
    out = {}
    for case in compared_cases(corpus):
        sequence = events[events["case"] == case].sort_values("order")["leadership"]
        out[case] = int((sequence != sequence.shift()).sum() - 1) if len(sequence) else 0
    return pd.Series(out, name="switches", dtype=int)


def early_moves(corpus: Corpus | None = None) -> pd.DataFrame:
    """The moves made before the co-creation itself (phases initiation and design_framing)."""
    corpus = corpus or load_corpus()
    moves = moves_with_mode(corpus)
    early = moves[moves["phase"].isin(["initiation", "design_framing"])]
    return early[["id", "case", "phase", "actor", "reference_class", "mode"]].reset_index(drop=True)


# -- the student's own results -------------------------------------------------------------------
def _student_name(folder: Path) -> str:
    from .widgets import remembered_name

    return remembered_name(folder)


def student_results(corpus: Corpus | None = None, student: str | None = None,
                    folder: str | Path | None = None) -> pd.DataFrame:
    """A student's saved work per case, next to the course's reference.

    Reads the save file of ``student`` (default: the name last typed into a widget, else
    ``"student"``) in ``folder`` (default: the course's work folder) through :class:`course.store.Store`
    and the plain models; it never writes. One row per compared case (plus any other case the
    student coded), with the columns ``label``, ``excerpts`` (with a reference coding), ``coded``,
    ``mean_jaccard`` (first coding against the reference), ``precision``, ``recall``, ``moves``,
    ``answered``, ``correct``, ``partial``, ``wrong`` (first attempts), ``share_correct``,
    ``you_hands_on`` and ``ref_hands_on`` (the share of hands-on among the answered moves that are
    hands-off or hands-on in the student's answers and in the reference). ``attrs`` holds
    ``student``, ``path``, ``has_work``, ``stale`` and ``load_error``. Nothing saved is normal: the
    counts are then 0 and the shares empty.
    """
    from .coding import CodingSession
    from .moves import MoveQuiz
    from .paths import work_dir
    from .store import Store

    corpus = corpus or load_corpus()
    folder_path = Path(folder) if folder is not None else work_dir()
    name = student or _student_name(folder_path)
    store = Store(name, corpus.key, corpus.data_version, corpus.codebook_version, folder_path)
    session = CodingSession(corpus, store)
    quiz = MoveQuiz(corpus, store)
    reference = corpus.reference_codes()
    mine = session.codings("first")
    answers = quiz.answers("first")
    modes = class_mode(corpus)
    by_case = dict(zip(corpus.excerpts["id"], corpus.excerpts["case"]))

    cases = compared_cases(corpus)
    extra = sorted({by_case[e] for e in mine if e in by_case} - set(cases),
                   key=list(corpus.cases["id"]).index)
    rows = []
    for case in [*cases, *extra]:
        with_ref = [e for e, codes in reference.items() if codes and by_case[e] == case]
        coded = {e: mine[e] for e in with_ref if e in mine}
        overlaps = [agreement.excerpt_agreement(c, reference[e])["jaccard"] for e, c in coded.items()]
        stats = agreement.per_code_agreement(coded, reference, corpus.code_ids)
        tp, fp, fn = int(stats["tp"].sum()), int(stats["fp"].sum()), int(stats["fn"].sum())
        case_answers = answers[answers["case"] == case]
        results = case_answers["result"].value_counts()
        answered = len(case_answers)
        on_off = case_answers.assign(you=case_answers["answer"].map(modes),
                                     ref=case_answers["reference"].map(modes))
        you = on_off[on_off["you"].isin(["hands_off", "hands_on"])]
        ref = on_off[on_off["ref"].isin(["hands_off", "hands_on"])]
        rows.append({
            "case": case, "label": case_label(corpus, case, "da"),
            "excerpts": len(with_ref), "coded": len(coded),
            "mean_jaccard": sum(overlaps) / len(overlaps) if overlaps else math.nan,
            "precision": tp / (tp + fp) if tp + fp else math.nan,
            "recall": tp / (tp + fn) if tp + fn else math.nan,
            "moves": int((corpus.moves["case"] == case).sum()), "answered": answered,
            "correct": int(results.get("correct", 0)), "partial": int(results.get("partial", 0)),
            "wrong": int(results.get("wrong", 0)),
            "share_correct": int(results.get("correct", 0)) / answered if answered else math.nan,
            "you_hands_on": float((you["you"] == "hands_on").mean()) if len(you) else math.nan,
            "ref_hands_on": float((ref["ref"] == "hands_on").mean()) if len(ref) else math.nan,
        })
    table = pd.DataFrame(rows, columns=[
        "case", "label", "excerpts", "coded", "mean_jaccard", "precision", "recall", "moves", "answered",
        "correct", "partial", "wrong", "share_correct", "you_hands_on", "ref_hands_on",
    ]).set_index("case")
    table.attrs.update({
        "student": store.student, "path": str(store.path),
        "has_work": bool(table["coded"].sum() or table["answered"].sum()),
        "stale": bool(store.stale and store.path.exists()),
        "load_error": None if store.load_error is None else str(store.load_error.reason),
    })
    return table


class StudentReport:
    """A kind message or a small table of the student's results; shown by Jupyter."""

    def __init__(self, results: pd.DataFrame, corpus: Corpus, lang: str):
        self.results, self.corpus, self.lang = results, corpus, lang

    def table(self) -> pd.DataFrame:
        """The results with readable column names and percentages (for display)."""
        lang, r = self.lang, self.results
        shown = pd.DataFrame({
            _s("col_case", lang): [case_label(self.corpus, c, lang) for c in r.index],
            _s("col_excerpts", lang): r["excerpts"].tolist(),
            _s("col_coded", lang): r["coded"].tolist(),
            _s("col_jaccard", lang): [_pct(v, lang) for v in r["mean_jaccard"]],
            _s("col_precision", lang): [_pct(v, lang) for v in r["precision"]],
            _s("col_recall", lang): [_pct(v, lang) for v in r["recall"]],
            _s("col_moves", lang): r["moves"].tolist(),
            _s("col_answered", lang): r["answered"].tolist(),
            _s("col_correct", lang): [f"{c} ({_pct(s, lang)})" if a else "–"
                                      for c, s, a in zip(r["correct"], r["share_correct"], r["answered"])],
            _s("col_you_on", lang): [_pct(v, lang) for v in r["you_hands_on"]],
            _s("col_ref_on", lang): [_pct(v, lang) for v in r["ref_hands_on"]],
        })
        return shown

    def message(self) -> str:
        attrs, lang = self.results.attrs, self.lang
        student = html.escape(str(attrs.get("student", "")), quote=False)
        notes = []
        if attrs.get("load_error"):
            notes.append(_s("damaged_note", lang, detail=attrs["load_error"]))
        if not attrs.get("has_work"):
            notes.append(_s("no_work", lang, student=student, path=attrs.get("path", "")))
        else:
            notes.append(_s("work_intro", lang, student=student,
                            coded=int(self.results["coded"].sum()), answered=int(self.results["answered"].sum())))
            if attrs.get("stale"):
                notes.append(_s("stale_note", lang))
        return "\n\n".join(notes)

    def _repr_markdown_(self) -> str:
        text = self.message()
        if self.results.attrs.get("has_work"):
            text += "\n\n" + _md_table(self.table())
        return text

    def __repr__(self) -> str:
        text = self.message()
        if self.results.attrs.get("has_work"):
            text += "\n\n" + self.table().to_string(index=False)
        return text


def _md_table(frame: pd.DataFrame) -> str:
    def cell(value) -> str:
        return html.escape(str(value), quote=False).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(cell(c) for c in frame.columns) + " |",
             "|" + "---|" * len(frame.columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join(lines)


def student_report(results: pd.DataFrame | None = None, corpus: Corpus | None = None,
                   lang: str | None = None) -> StudentReport:
    """Show :func:`student_results` kindly: a table when there is work, a friendly note when not."""
    corpus = corpus or load_corpus()
    results = results if results is not None else student_results(corpus)
    return StudentReport(results, corpus, lang or get_language())
