"""Side-by-side comparison of the cases (session 6), built from the data tables.

* :func:`case_comparison` — one row per case: moves per mode and per reference class, the shares of
  hands-off, hands-on and democratic anchoring among the classified moves, reference code counts per
  code group, and the span of the timeline.
* :func:`comparison_view` — the same numbers turned round (cases as columns) with readable labels.
* :func:`comparison_chart`, :func:`code_group_chart`, :func:`timeline_chart` — Altair charts with
  alt text computed from the data (the course's palettes in :mod:`course.charts`); the timelines are
  :func:`course.timeline.timeline_chart`, one per case. With nothing to compare (no moves and no
  timeline), the table is empty and each chart says so.
* :func:`student_results` / :func:`student_report` — a student's own results next to the course's
  reference: in :mod:`course.report` (still importable from here).

Every count here is a count of what the course's tables hold: moves and excerpts the course drew from
the article. They describe the article's account of the cases, not all the leadership that happened.
Altair is imported inside the chart functions, so that importing this module stays fast.
"""
from __future__ import annotations

import html
import math
import re

import pandas as pd

from . import i18n, timeline, vocab
from .data import CODE_GROUPS, NONE_CLASS, Corpus, load_corpus, split_list
from .i18n import field, get_language, lookup, pct
from .moves import MODES
from .timeline import mode_label

# Interface strings of this module (Danish first). They sit here, not in course.i18n, because this
# module is owned by session 6; they could move to i18n.STRINGS later without changing any call.
#: The module's interface strings: a live view of the catalogue's "compare.*" keys.
_TEXT = i18n.table("compare")


def _s(key: str, lang: str | None = None, **values) -> str:
    return lookup(_TEXT, key, lang, **values)


_CODE = re.compile(r"`([^`]*)`")


def _html(key: str, lang: str | None = None, **values) -> str:
    """A string of this module as HTML: the text escaped, `code` as <code>, every value escaped."""
    template = _CODE.sub(r"<code>\1</code>", html.escape(_s(key, lang), quote=False))
    return template.format(**{k: html.escape(str(v)) for k, v in values.items()})


def _join(items: list[str], lang: str | None) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + _s("and", lang) + items[-1]


# -- the comparison table ------------------------------------------------------------------------
def compared_cases(corpus: Corpus | None = None) -> list[str]:
    """The cases to compare: those with leadership moves or timeline events, in cases.csv order."""
    corpus = corpus or load_corpus()
    used = set(corpus.moves["case"]) | set(corpus.timeline["case"])
    return [c for c in corpus.cases["id"] if c in used]


def class_mode(corpus: Corpus) -> dict[str, str]:
    """Move class -> its mode (see :func:`course.vocab.class_modes`)."""
    return vocab.class_modes(corpus)


case_label = vocab.case_label
group_label = vocab.group_label


def class_label(corpus: Corpus, cls: str, lang: str | None = None) -> str:
    if cls == NONE_CLASS:
        return mode_label("none", lang)
    return field(corpus.code(cls), "label", lang)


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


def _comparison_columns(corpus: Corpus) -> list[str]:
    return ["label", "moves", *(f"mode_{m}" for m in MODES), *(f"class_{c}" for c in corpus.move_classes),
            "classified", *(f"share_{m}" for m in MODES[:-1]), "excerpts", "quotes",
            *(f"codes_{g}" for g in CODE_GROUPS), "events", "first_year", "last_year", "first_when", "last_when"]


def case_comparison(corpus: Corpus | None = None, lang: str | None = None) -> pd.DataFrame:
    """One row per compared case (index: case id), with the numbers of the side-by-side comparison.

    Columns: ``label``; ``moves``; ``mode_<mode>`` for each mode; ``class_<CLASS>`` for each move
    class; ``classified`` (moves not NONE) and ``share_hands_off``, ``share_hands_on``,
    ``share_democratic_anchoring`` among them (they add up to 1); ``excerpts``, ``quotes``;
    ``codes_<group>`` (reference code applications per code group); ``events``, ``first_year``,
    ``last_year`` (empty when the article gives no year), ``first_when``, ``last_when``. ``label``
    and the two ``when`` columns are in ``lang`` (default: the notebook's language). A corpus with
    neither moves nor a timeline gives an empty table with these columns.
    """
    corpus = corpus or load_corpus()
    lang = lang or get_language()
    moves = moves_with_mode(corpus)
    codes = code_counts(corpus)
    rows = []
    for case in compared_cases(corpus):
        mine = moves[moves["case"] == case]
        row: dict[str, object] = {"case": case, "label": case_label(corpus, case, lang), "moves": len(mine)}
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
        for group in CODE_GROUPS:
            row[f"codes_{group}"] = int(case_codes.loc[case_codes["group"] == group, "count"].sum())
        events = corpus.timeline[corpus.timeline["case"] == case].sort_values("order")
        years = pd.to_numeric(events["year"], errors="coerce").dropna()
        row["events"] = len(events)
        row["first_year"] = int(years.min()) if len(years) else pd.NA
        row["last_year"] = int(years.max()) if len(years) else pd.NA
        row["first_when"] = field(events.iloc[0], "when", lang) if len(events) else ""
        row["last_when"] = field(events.iloc[-1], "when", lang) if len(events) else ""
        rows.append(row)
    table = pd.DataFrame(rows, columns=["case", *_comparison_columns(corpus)]).set_index("case")
    for column in ("first_year", "last_year"):
        table[column] = table[column].astype("Int64")
    return table


def comparison_view(corpus: Corpus | None = None, lang: str | None = None) -> pd.DataFrame:
    """The comparison turned round for reading: one row per measure, one column per case."""
    corpus = corpus or load_corpus()
    lang = lang or get_language()
    table = case_comparison(corpus, lang)
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
    for group in CODE_GROUPS:
        labels[f"codes_{group}"] = _s("codes", lang, label=group_label(group, lang))
    for key in ("events", "first_year", "last_year", "first_when", "last_when"):
        labels[key] = _s(key, lang)
    shown = pd.DataFrame(index=list(labels))
    for case in table.index:
        column = []
        for key in labels:
            value = table.loc[case, key]
            if key.startswith("share_"):
                column.append(pct(value, lang))
            elif (not isinstance(value, str) and pd.isna(value)) or (isinstance(value, str) and not value.strip()):
                column.append("–")  # nothing to show (e.g. an own case without a timeline), never a blank
            else:
                column.append(str(value))
        shown[case_label(corpus, case, lang)] = column
    shown.index = [labels[k] for k in shown.index]
    shown.index.name = _s("measure", lang)
    return shown


# -- charts --------------------------------------------------------------------------------------
def _class_counts(corpus: Corpus, lang: str) -> pd.DataFrame:
    moves = moves_with_mode(corpus)
    modes = class_mode(corpus)
    rows = []
    for case in compared_cases(corpus):
        mine = moves[moves["case"] == case]
        for cls in corpus.move_classes:
            rows.append({
                "case": case, "case_label": case_label(corpus, case, lang), "class": cls,
                "class_label": class_label(corpus, cls, lang), "mode": modes[cls],
                "mode_label": mode_label(modes[cls], lang), "count": int((mine["reference_class"] == cls).sum()),
            })
    return pd.DataFrame(rows, columns=["case", "case_label", "class", "class_label", "mode", "mode_label", "count"])


def _nothing_to_compare(title: str, lang: str):
    """An empty chart whose alt text says that no case has moves or timeline events."""
    import altair as alt

    note = pd.DataFrame({"note": [_s("nothing_to_compare", lang)]})
    return alt.Chart(note).mark_text(fontSize=13, color="#555555").encode(text="note:N").properties(
        title=title, width=420, height=60, description=_s("nothing_to_compare", lang))


def comparison_alt_text(corpus: Corpus | None = None, lang: str | None = None) -> str:
    """The alt text of :func:`comparison_chart`, computed from the data."""
    corpus = corpus or load_corpus()
    lang = lang or get_language()
    table = case_comparison(corpus, lang)
    if table.empty:
        return _s("nothing_to_compare", lang)
    counts = _class_counts(corpus, lang)
    parts = []
    for case in table.index:
        r = table.loc[case]
        label = case_label(corpus, case, lang)
        if not r["moves"]:
            parts.append(_s("moves_alt_no_moves", lang, case=label))
            continue
        mine = counts[counts["case"] == case]
        top = int(mine["count"].max())
        tied = mine.loc[mine["count"] == top, "class_label"].tolist()
        largest = _s("largest_class" if len(tied) == 1 else "largest_classes", lang,
                     classes=_join(tied, lang), n=top)
        modes = ", ".join(
            f"{mode_label(m, lang)} {int(r[f'mode_{m}'])} ({pct(r[f'share_{m}'], lang)})" for m in MODES[:-1])
        parts.append(_s("moves_alt_case", lang, case=label, moves=int(r["moves"]), modes=modes,
                        classified=int(r["classified"]), none=int(r["mode_none"]), largest=largest))
    return _s("moves_alt_head", lang) + ". ".join(parts) + "."


def comparison_chart(corpus: Corpus | None = None, lang: str | None = None):
    """Moves per reference class, one panel per case, coloured by mode (with alt text)."""
    import altair as alt

    from .charts import MODE_COLOURS

    corpus = corpus or load_corpus()
    lang = lang or get_language()
    data = _class_counts(corpus, lang)
    if data.empty:
        return _nothing_to_compare(_s("chart_moves_title", lang), lang)
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
                                        range=[MODE_COLOURS[m] for m in modes])),
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

    from .charts import GROUP_COLOURS

    corpus = corpus or load_corpus()
    lang = lang or get_language()
    cases = compared_cases(corpus)
    if not cases:
        return _nothing_to_compare(_s("chart_codes_title", lang), lang)
    counts = code_counts(corpus)
    data = (counts[counts["case"].isin(cases)].groupby(["case", "group"], sort=False)["count"].sum()
            .reset_index())
    data["case_label"] = data["case"].map(lambda c: case_label(corpus, c, lang))
    data["group_label"] = data["group"].map(lambda g: group_label(g, lang))
    totals = data.groupby("case")["count"].transform("sum")
    data["share"] = data["count"] / totals.where(totals > 0)
    data["group_order"] = data["group"].map({g: i for i, g in enumerate(CODE_GROUPS)})
    parts = []
    for case in cases:
        mine = data[data["case"] == case]
        total = int(mine["count"].sum())
        if not total:
            parts.append(_s("codes_alt_none", lang, case=case_label(corpus, case, lang)))
            continue
        listed = ", ".join(f"{r.group_label} {r.count} ({pct(r.share, lang)})" for r in mine.itertuples())
        parts.append(_s("codes_alt_case", lang, case=case_label(corpus, case, lang), n=total, listed=listed))
    description = _s("codes_alt_head", lang) + ". ".join(parts) + "."
    groups = [g for g in CODE_GROUPS if g in set(data["group"])]
    chart = alt.Chart(data).mark_bar().encode(
        y=alt.Y("case_label:N", title=None, sort=[case_label(corpus, c, lang) for c in cases]),
        x=alt.X("count:Q", title=_s("number_of_codes", lang), stack="zero"),
        color=alt.Color("group_label:N", title=_s("group_legend", lang),
                        sort=[group_label(g, lang) for g in groups],
                        scale=alt.Scale(domain=[group_label(g, lang) for g in groups],
                                        range=[GROUP_COLOURS[g] for g in groups])),
        order=alt.Order("group_order:Q"),
        tooltip=[alt.Tooltip("case_label:N", title=_s("col_case", lang)),
                 alt.Tooltip("group_label:N", title=_s("group_legend", lang)),
                 alt.Tooltip("count:Q", title=_s("number_of_codes", lang)),
                 alt.Tooltip("share:Q", format=".0%")],
    )
    return chart.properties(title=_s("chart_codes_title", lang), width=420, height=90, description=description)


def timeline_chart(corpus: Corpus | None = None, lang: str | None = None):
    """The compared cases' timelines one below the other (:func:`course.timeline.timeline_chart` each).

    The alt text joins the cases' own alt texts; a case without events says so, and a corpus with
    nothing to compare gives an empty chart that says that.
    """
    import altair as alt

    from .charts import alt_text

    corpus = corpus or load_corpus()
    lang = lang or get_language()
    cases = compared_cases(corpus)
    if not cases:
        return _nothing_to_compare(_s("chart_timeline_title", lang), lang)
    panels = [timeline.timeline_chart(corpus, case, lang) for case in cases]
    description = _s("timeline_alt_head", lang) + " ".join(alt_text(p) for p in panels)
    return alt.vconcat(*panels).resolve_scale(color="independent", shape="independent").properties(
        title=_s("chart_timeline_title", lang), description=description)


def leadership_switches(corpus: Corpus | None = None) -> pd.Series:
    """Per case: how often the timeline switches between hands-off and hands-on events.

    Only events marked ``hands_off`` or ``hands_on`` count (``both`` and ``none`` are skipped), in
    timeline order (:func:`course.timeline.switches`). Many switches is what the article calls a loop
    or interplay (vekselvirkning).
    """
    corpus = corpus or load_corpus()
    events = corpus.timeline
    out = {case: timeline.switches(events[events["case"] == case]) for case in compared_cases(corpus)}
    return pd.Series(out, name="switches", dtype=int)


def early_moves(corpus: Corpus | None = None) -> pd.DataFrame:
    """The moves made before the co-creation itself (phases initiation and design_framing)."""
    corpus = corpus or load_corpus()
    moves = moves_with_mode(corpus)
    early = moves[moves["phase"].isin(["initiation", "design_framing"])]
    return early[["id", "case", "phase", "actor", "reference_class", "mode"]].reset_index(drop=True)


# -- the student's own results: in course.report (the old names stay importable from here) ------
_REPORT_NAMES = ("StudentReport", "student_report", "student_results", "_SavedWork", "_read_saved_work",
                 "_student_name")


def __getattr__(name: str):
    if name in _REPORT_NAMES:  # imported when asked for: course.report imports this module
        from . import report

        return getattr(report, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
