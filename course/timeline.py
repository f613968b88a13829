"""The cases' timelines as charts: events in the course's reconstruction of the sequence, coloured by the leadership mode.

The article dates few events (the police case: 2013, 2018 and the follow-up interviews in 2020;
the workshop case: none at all), so the chart places events by their ``order`` and labels each one
with the time as the article gives it (``when_da``), never on an invented calendar scale.

An ongoing activity (the coordinator's facilitation, the dialogue meetings) is a *span*: its row in
``timeline.csv`` has an ``order_end``, the order of the event where it stops, and the chart draws it
as a bar from its start to that event.

``timeline_chart(corpus, "police")`` returns an Altair chart whose alt text (the Vega-Lite
``description``) is computed from the data: how many events of each mode, and the runs of modes in
order, so a screen-reader user hears the shift from hands-on to hands-off that a sighted reader sees.
"""
from __future__ import annotations

import json

import pandas as pd

from . import i18n, vocab
from .charts import MODE_COLOURS
from .i18n import STRINGS, field, get_language, lookup, t

#: Lanes from top to bottom; ``both`` sits between the two modes it combines.
LEADERSHIP_ORDER = ("hands_off", "both", "hands_on", "none")
#: Shapes repeat the colour's meaning, so the chart also reads in greyscale.
LEADERSHIP_SHAPES = {"hands_off": "square", "both": "diamond", "hands_on": "circle", "none": "cross"}

# Modes other than ``both`` take their names from course.i18n (``mode_<mode>``), so that "hands-off"
# or "not metagovernance" reads the same in every chart and widget of the course.
#: The module's interface strings: a live view of the catalogue's "timeline.*" keys.
_TEXT = i18n.table("timeline")


def _t(key: str, lang: str | None, **values) -> str:
    return lookup(_TEXT, key, lang, **values)


def mode_label(mode: str, lang: str | None = None) -> str:
    """The reader's name for a leadership mode (``hands_off`` -> ``Hands-off``)."""
    key = f"mode_{mode}"
    return t(key, lang) if key in STRINGS else _t(mode, lang)


#: The columns of :func:`timeline_table` (also when a case has no events).
COLUMNS = ["id", "order", "order_end", "year", "when", "event", "leadership", "leadership_label", "step", "section"]


def timeline_table(corpus, case: str, lang: str | None = None) -> pd.DataFrame:
    """The events of one case in order, with the columns the chart draws.

    Columns: ``id``, ``order``, ``order_end`` (where a span stops; missing for a point in time), ``year``, ``when``, ``event``, ``leadership``, ``leadership_label``,
    ``step`` (the axis label ``"<order> · <when>"``) and ``section``. A case without events (a
    lecturer's own case may have no ``timeline.csv``) gives an empty table; an unknown case is an error.
    """
    lang = lang or get_language()
    table = corpus.timeline
    if case not in set(corpus.cases["id"]):
        raise ValueError(t("error.unknown_case", case=case, cases=", ".join(corpus.cases["id"])))
    rows = table[table["case"] == case].sort_values("order")
    records = []
    for r in rows.to_dict("records"):
        when = field(r, "when", lang)
        end = r.get("order_end")
        records.append({
            "id": r["id"], "order": int(r["order"]), "order_end": None if end is None or pd.isna(end) else int(end),
            "year": r.get("year", ""), "when": when,
            "event": field(r, "event", lang), "leadership": r["leadership"],
            "leadership_label": mode_label(r["leadership"], lang),
            "step": f"{int(r['order'])} · {when}", "section": r.get("section", ""),
        })
    return pd.DataFrame.from_records(records, columns=COLUMNS).astype({"order_end": "Int64"})


def spans(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of :func:`timeline_table` that last over time (those with an ``order_end``)."""
    return table[table["order_end"].notna()] if "order_end" in table else table.iloc[0:0]


def active(table: pd.DataFrame, order: int) -> pd.DataFrame:
    """The events going on at position ``order``: points at it and spans that cover it."""
    end = table["order_end"].fillna(table["order"]) if "order_end" in table else table["order"]
    return table[(table["order"] <= order) & (end >= order)]


def _ranges(orders: list[int]) -> str:
    """[4, 5, 6, 9] -> '4–6, 9'."""
    parts, start, prev = [], None, None
    for value in orders:
        if start is None:
            start = prev = value
        elif value == prev + 1:
            prev = value
        else:
            parts.append(f"{start}" if start == prev else f"{start}–{prev}")
            start = prev = value
    if start is not None:
        parts.append(f"{start}" if start == prev else f"{start}–{prev}")
    return ", ".join(parts)


def runs(table: pd.DataFrame) -> list[tuple[str, int, int]]:
    """Consecutive events with the same mode: ``[(mode, first order, last order), ...]``."""
    out: list[tuple[str, int, int]] = []
    for r in table.sort_values("order").itertuples():
        if out and out[-1][0] == r.leadership:
            out[-1] = (r.leadership, out[-1][1], r.order)
        else:
            out.append((r.leadership, r.order, r.order))
    return out


def switches(table: pd.DataFrame, modes: tuple[str, ...] = ("hands_off", "hands_on")) -> int:
    """How often the events switch between ``modes`` in order (other events are skipped)."""
    return max(len(runs(table[table["leadership"].isin(modes)])) - 1, 0)


def describe(table: pd.DataFrame, case_label: str, lang: str | None = None) -> str:
    """The alt text of a timeline, computed from its table."""
    lang = lang or get_language()
    if table.empty:
        return _t("alt_no_events", lang, case=case_label)
    first, last = table.iloc[0]["when"], table.iloc[-1]["when"]
    parts = [_t("alt_intro", lang, case=case_label, n=len(table), first=first, last=last)]
    counts = []
    for mode in LEADERSHIP_ORDER:
        chosen = table.loc[table["leadership"] == mode, "order"].tolist()
        if chosen:
            word = _t("event_word" if len(chosen) == 1 else "events_word", lang)
            counts.append(f"{mode_label(mode, lang)} {len(chosen)} {word} ({_t('no', lang).lower()} {_ranges(chosen)})")
    parts.append(_t("alt_counts", lang, counts="; ".join(counts)))
    sequence = [f"{mode_label(m, lang).lower()} ({a}{'' if a == b else f'–{b}'})" for m, a, b in runs(table)]
    parts.append(_t("alt_runs", lang, runs=" → ".join(sequence)))
    lasting = spans(table)
    if not lasting.empty:
        items = [_t("span_item", lang, first=int(r.order), last=int(r.order_end), mode=mode_label(r.leadership, lang).lower())
                 for r in lasting.itertuples()]
        parts.append(_t("alt_spans", lang, spans="; ".join(items)))
    years = sorted({str(y) for y in table["year"] if str(y).strip() and str(y) != "<NA>"})
    parts.append(_t("alt_years", lang, years=", ".join(years)) if years else _t("alt_no_years", lang))
    return " ".join(parts)


def timeline_chart(corpus, case: str, lang: str | None = None):
    """An Altair timeline of one case: events by order, one lane per leadership mode.

    Colour (Paul Tol's palette, as everywhere in the course) and shape both show the mode; the
    x axis lists every event as ``"<order> · <when>"``; hovering shows the event itself. The
    chart's alt text is computed from the data (:func:`describe`). A case without events gives an
    empty chart whose alt text says so.
    """
    import altair as alt

    lang = lang or get_language()
    table = timeline_table(corpus, case, lang)
    case_label = vocab.case_label(corpus, case, lang)
    title = alt.Title(_t("title", lang, case=case_label), subtitle=_t("subtitle", lang))
    if table.empty:
        note = pd.DataFrame({"note": [_t("no_events", lang)]})
        return alt.Chart(note).mark_text(fontSize=13, color="#555555").encode(text="note:N").properties(
            title=title, width=420, height=60, description=describe(table, case_label, lang))
    present = [m for m in LEADERSHIP_ORDER if m in set(table["leadership"])]
    labels = [mode_label(m, lang) for m in present]
    steps = dict(zip(table["order"].astype(int), table["step"]))
    # A quantitative axis (so that a span can run from one event to another), labelled with the steps.
    label_expr = "{" + ", ".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in steps.items()) + "}[datum.value]"
    first, last = min(steps), max(steps)
    x = alt.X("order:Q", title=_t("x", lang), scale=alt.Scale(domain=[first - 0.5, last + 0.5], nice=False),
              axis=alt.Axis(values=list(steps), labelExpr=label_expr, labelAngle=-45, labelLimit=220,
                            labelOverlap=False, grid=False))
    y = alt.Y("leadership_label:N", sort=labels, title=_t("y", lang), scale=alt.Scale(domain=labels))
    base = alt.Chart(table).encode(x=x, y=y)
    path = base.mark_line(color="#BBBBBB", strokeDash=[4, 3]).encode(order="order:Q")
    lasting = spans(table).assign(lane=lambda d: range(len(d)))
    bars = alt.Chart(lasting).mark_bar(height=6, opacity=0.55, cornerRadius=3).encode(
        x=x, x2="order_end:Q", y=y, yOffset=alt.YOffset("lane:O", scale=alt.Scale(paddingOuter=1)),
        color=alt.Color("leadership_label:N", sort=labels, legend=None,
                        scale=alt.Scale(domain=labels, range=[MODE_COLOURS[m] for m in present])),
        tooltip=[alt.Tooltip("order:Q", title=_t("no", lang)), alt.Tooltip("order_end:Q", title=_t("until", lang)),
                 alt.Tooltip("when:N", title=_t("when", lang)), alt.Tooltip("event:N", title=_t("event", lang))],
    )
    points = base.mark_point(size=160, filled=True, opacity=1).encode(
        color=alt.Color("leadership_label:N", title=_t("y", lang), sort=labels,
                        scale=alt.Scale(domain=labels, range=[MODE_COLOURS[m] for m in present])),
        shape=alt.Shape("leadership_label:N", title=_t("y", lang), sort=labels,
                        scale=alt.Scale(domain=labels, range=[LEADERSHIP_SHAPES[m] for m in present])),
        tooltip=[alt.Tooltip("order:Q", title=_t("no", lang)), alt.Tooltip("when:N", title=_t("when", lang)),
                 alt.Tooltip("leadership_label:N", title=_t("y", lang)),
                 alt.Tooltip("event:N", title=_t("event", lang))],
    )
    layers = [path, bars, points] if not spans(table).empty else [path, points]
    return alt.layer(*layers).properties(
        title=title,
        width=max(420, 34 * len(table)), height=40 * len(present) + 20,
        description=describe(table, case_label, lang),
    )
