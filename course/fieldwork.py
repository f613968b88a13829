"""The fieldwork behind the article: its two appendix lists (``data/fieldwork.csv``), as tables and charts.

The police list dates its items by month (``YYYY-MM``; six items carry two dates); the workshop list
gives no dates, so the course places those items by ``stage`` (before, during, between and after the
two workshops). Tables come first, charts are drawn from them, and every chart's alt text is
computed from the same numbers, so what a screen reader hears is what the bars show.

Altair is imported inside the chart functions, so that importing this module stays fast.
"""
from __future__ import annotations

import pandas as pd

from . import i18n
from .charts import TOL_BRIGHT
from .data import Corpus, load_corpus, split_list

#: The fieldwork types, in the order the charts show them, each with a Paul Tol "bright" colour.
TYPE_ORDER = ("interview", "observation", "participation", "conversation", "presentation")
TYPE_COLOURS = dict(zip(TYPE_ORDER, TOL_BRIGHT))
#: Where an undated item sits in the workshop process (the order of the article's list).
STAGE_ORDER = ("before_ws1", "ws1", "between", "ws2", "after")
#: The module's interface strings: a live view of the catalogue's "fieldwork.*" keys.
TEXT = i18n.table("fieldwork")


def _lang(lang: str | None) -> str:
    return lang or i18n.get_language()


def _text(key: str, lang: str | None, **values) -> str:
    return i18n.lookup(TEXT, key, lang, **values)


def type_label(kind: str, lang: str | None = None) -> str:
    """The type in words (``participation`` -> ``deltagelse``); unknown types are shown as they are."""
    key = f"fieldwork.type_{kind}"
    return i18n.t(key, _lang(lang)) if key in i18n.STRINGS else kind


def stage_label(stage: str, lang: str | None = None) -> str:
    key = f"fieldwork.stage_{stage}"
    return i18n.t(key, _lang(lang)) if key in i18n.STRINGS else stage


def month_label(month: str, lang: str | None = None) -> str:
    """``2016-02`` -> ``februar 2016`` (or ``February 2016``)."""
    year, number = month.split("-")
    return f"{i18n.t(f'fieldwork.month_{int(number)}', _lang(lang))} {year}"


def _join(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + _text("and", lang) + items[-1]


def _corpus(corpus: Corpus | None) -> Corpus:
    return corpus if corpus is not None else load_corpus()


def _case_labels(corpus: Corpus, lang: str) -> dict[str, str]:
    return {r["id"]: i18n.field(r, "label", lang) for r in corpus.cases.to_dict("records")}


def _types_present(frame: pd.DataFrame) -> list[str]:
    present = list(dict.fromkeys(frame["type"]))
    return [t for t in TYPE_ORDER if t in present] + [t for t in present if t not in TYPE_ORDER]


def _type_colours(types: list[str]) -> list[str]:
    spare = [c for c in TOL_BRIGHT if c not in TYPE_COLOURS.values()] or TOL_BRIGHT
    return [TYPE_COLOURS.get(t, spare[i % len(spare)]) for i, t in enumerate(types)]


def _undated(table: pd.DataFrame) -> pd.DataFrame:
    """Items without dates that say where in the process they happened."""
    undated = table["dates"].map(lambda d: not split_list(d)).astype(bool)
    return table[undated & (table["stage"].str.strip() != "")]


# -- tables -----------------------------------------------------------------------------------
def fieldwork_counts(corpus: Corpus | None = None) -> pd.DataFrame:
    """Items per case (rows) and type (columns), with whole-number counts; types in a fixed order."""
    table = _corpus(corpus).fieldwork
    types = _types_present(table) if len(table) else []
    counts = pd.crosstab(table["case"], table["type"]) if len(table) else pd.DataFrame()
    counts = counts.reindex(columns=types, fill_value=0).astype(int)
    counts.index.name, counts.columns.name = "case", "type"
    return counts


def fieldwork_dates(corpus: Corpus | None = None) -> pd.DataFrame:
    """One row per date of a dated item: an item with two dates gives two rows.

    Columns: ``id``, ``case``, ``type``, ``order``, ``month`` (``YYYY-MM``), ``date`` (the month's first
    day), ``n_dates`` (how many dates the item has).
    """
    rows = []
    for r in _corpus(corpus).fieldwork.to_dict("records"):
        dates = split_list(r["dates"])
        for month in dates:
            rows.append({"id": r["id"], "case": r["case"], "type": r["type"], "order": r["order"],
                         "month": month, "n_dates": len(dates)})
    frame = pd.DataFrame(rows, columns=["id", "case", "type", "order", "month", "n_dates"])
    frame.insert(5, "date", pd.to_datetime(frame["month"], format="%Y-%m"))
    return frame


def fieldwork_months(corpus: Corpus | None = None, case: str | None = None) -> pd.Series:
    """How many dates fall in each month (a two-date item counts in both of its months), in time order."""
    dates = fieldwork_dates(corpus)
    if case is not None:
        dates = dates[dates["case"] == case]
    return dates.groupby("month").size().sort_index().rename("dates")


def fieldwork_stages(corpus: Corpus | None = None) -> pd.DataFrame:
    """Undated items per case and stage, stages in process order. Columns: case, stage, items."""
    undated = _undated(_corpus(corpus).fieldwork)
    counts = undated.groupby(["case", "stage"], sort=False).size().rename("items").reset_index()
    rank = {s: i for i, s in enumerate(STAGE_ORDER)}
    counts["_rank"] = counts["stage"].map(lambda s: rank.get(s, len(rank)))
    return counts.sort_values(["case", "_rank"], kind="stable").drop(columns="_rank").reset_index(drop=True)


# -- alt texts --------------------------------------------------------------------------------
def _by_type_description(counts: pd.DataFrame, labels: dict[str, str], lang: str) -> str:
    total = int(counts.to_numpy().sum())
    if not total:
        return _text("by_type_alt_empty", lang)
    parts = []
    for case, row in counts.iterrows():
        kinds = [f"{int(n)} {type_label(t, lang)}" for t, n in row.items() if n]
        if kinds:
            parts.append(f"{labels.get(case, case)} ({int(row.sum())}): {', '.join(kinds)}")
    return _text("by_type_alt", lang, total=total, cases="; ".join(parts))


def _gap(months: list[str]) -> tuple[str, str] | None:
    """The longest stretch between two consecutive fieldwork months, if it is a year or more."""
    periods = [pd.Period(m, freq="M") for m in months]
    best = None
    for before, after in zip(periods, periods[1:]):
        gap = (after - before).n
        if gap >= 12 and (best is None or gap > best[0]):
            best = (gap, str(before), str(after))
    return None if best is None else (best[1], best[2])


def _dated_description(dates: pd.DataFrame, label: str, lang: str) -> str:
    items = dates["id"].nunique()
    doubles = dates.loc[dates["n_dates"] > 1, "id"].nunique()
    months = dates.groupby("month").size().sort_index()
    top = int(months.max())
    busiest = _join([month_label(m, lang) for m in months.index[months == top]], lang)
    first, last = month_label(months.index[0], lang), month_label(months.index[-1], lang)
    gap = _gap(list(months.index))
    text = _text("dated_alt", lang, case=label, items=items, dates=len(dates),
                 doubles=_text("dated_alt_doubles", lang, n=doubles) if doubles else "",
                 first=first, last=last, months=len(months), top=top, busiest=busiest)
    if gap:
        text += _text("dated_alt_gap", lang, before=month_label(gap[0], lang), after=month_label(gap[1], lang))
    return text


def _stage_description(stages: pd.DataFrame, label: str, lang: str) -> str:
    total = int(stages["items"].sum())
    listed = "; ".join(f"{stage_label(r.stage, lang)}: {int(r.items)}" for r in stages.itertuples())
    return _text("stage_alt", lang, case=label, total=total, listed=listed)


# -- charts -----------------------------------------------------------------------------------
def fieldwork_by_type(corpus: Corpus | None = None, lang: str | None = None):
    """Bars: how many fieldwork items of each type each case has (colour = case)."""
    import altair as alt

    corpus, lang = _corpus(corpus), _lang(lang)
    counts = fieldwork_counts(corpus)
    labels = _case_labels(corpus, lang)
    long = counts.reset_index().melt(id_vars="case", var_name="type", value_name="items")
    long = long[long["items"] > 0].copy()
    long["case_label"] = long["case"].map(lambda c: labels.get(c, c))
    long["type_label"] = long["type"].map(lambda t: type_label(t, lang))
    case_order = [labels.get(c, c) for c in counts.index]
    type_order = [type_label(t, lang) for t in counts.columns]
    chart = alt.Chart(long).mark_bar().encode(
        y=alt.Y("type_label:N", title=_text("type", lang), sort=type_order),
        yOffset=alt.YOffset("case_label:N", sort=case_order),
        x=alt.X("items:Q", title=_text("count", lang), axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("case_label:N", title=_text("case", lang), sort=case_order,
                        scale=alt.Scale(domain=case_order, range=TOL_BRIGHT[: len(case_order)])),
        tooltip=[alt.Tooltip("case_label:N", title=_text("case", lang)),
                 alt.Tooltip("type_label:N", title=_text("type", lang)),
                 alt.Tooltip("items:Q", title=_text("count", lang))],
    )
    return chart.properties(title=_text("by_type_title", lang), width=420,
                            description=_by_type_description(counts, labels, lang))


def fieldwork_timeline(corpus: Corpus | None = None, lang: str | None = None):
    """When the fieldwork happened: dated items per month, undated items by stage (one panel per case).

    A dated item counts once in each month it names, so the police case's 27 items give more bars'
    worth of dates than items. Colour = type of fieldwork.
    """
    import altair as alt

    corpus, lang = _corpus(corpus), _lang(lang)
    labels = _case_labels(corpus, lang)
    table = corpus.fieldwork
    types = _types_present(table) if len(table) else list(TYPE_ORDER)
    type_labels = [type_label(t, lang) for t in types]
    colour = alt.Color("type_label:N", title=_text("type", lang), sort=type_labels,
                       scale=alt.Scale(domain=type_labels, range=_type_colours(types)))
    dates = fieldwork_dates(corpus)
    dates["type_label"] = dates["type"].map(lambda t: type_label(t, lang))
    dates["month_label"] = dates["month"].map(lambda m: month_label(m, lang))
    undated = _undated(table).copy()
    undated["type_label"] = undated["type"].map(lambda t: type_label(t, lang))
    undated["stage_label"] = undated["stage"].map(lambda s: stage_label(s, lang))
    stage_counts = fieldwork_stages(corpus)

    def bars(rows, x, first: str, first_title: str, count_title: str, title: str):
        """One panel: how many items per ``x``, coloured by type."""
        return alt.Chart(rows).mark_bar().encode(
            x=x, y=alt.Y("count():Q", title=count_title, axis=alt.Axis(tickMinStep=1)), color=colour,
            tooltip=[alt.Tooltip(f"{first}:N", title=first_title),
                     alt.Tooltip("type_label:N", title=_text("type", lang)),
                     alt.Tooltip("count():Q", title=count_title)],
        ).properties(title=title, width=560, height=170)

    panels, descriptions = [], []
    for case in corpus.cases["id"]:
        label = labels.get(case, case)
        mine = dates[dates["case"] == case]
        if len(mine):
            panels.append(bars(mine, alt.X("yearmonth(date):T", title=_text("month", lang),
                                            axis=alt.Axis(format="%Y-%m", labelAngle=-40)),
                               "month_label", _text("month", lang), _text("dates", lang),
                               _text("dated_title", lang, case=label)))
            descriptions.append(_dated_description(mine, label, lang))
        theirs = undated[undated["case"] == case]
        if len(theirs):
            order = [stage_label(s, lang) for s in stage_counts.loc[stage_counts["case"] == case, "stage"]]
            panels.append(bars(theirs, alt.X("stage_label:N", title=_text("stage", lang), sort=order,
                                             axis=alt.Axis(labelAngle=0)),
                               "stage_label", _text("stage", lang), _text("count", lang),
                               _text("stage_title", lang, case=label)))
            descriptions.append(_stage_description(stage_counts[stage_counts["case"] == case], label, lang))
    intro = _text("timeline_alt", lang)
    if not panels:
        empty = alt.Chart(pd.DataFrame({"x": []})).mark_bar()
        return empty.properties(description=intro + _text("timeline_alt_empty", lang))
    chart = panels[0] if len(panels) == 1 else alt.vconcat(*panels).resolve_scale(color="shared")
    return chart.properties(description=intro + " ".join(descriptions))
