"""Altair charts for the course, each with alt text and a colour-blind-safe palette.

Altair is imported inside the functions, so that ``import course`` stays fast. Every chart carries
its alt text as the Vega-Lite ``description`` (read out by screen readers); :func:`alt_text` returns
it for printing under the chart.
"""
from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

import pandas as pd

from .i18n import get_language, t

#: Paul Tol's "bright" palette (colour-blind safe).
TOL_BRIGHT = ["#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377", "#BBBBBB"]
#: Colours of the leadership modes, used across charts.
MODE_COLOURS = {"hands_off": "#4477AA", "hands_on": "#228833", "both": "#AA3377",
                "democratic_anchoring": "#EE6677", "none": "#BBBBBB"}
RESULT_COLOURS = {"correct": "#228833", "partial": "#CCBB44", "wrong": "#EE6677"}
#: Colours of the codebook's groups (the dilemmas in Tol's indigo).
GROUP_COLOURS = {"hands_off": MODE_COLOURS["hands_off"], "hands_on": MODE_COLOURS["hands_on"],
                 "democratic_anchoring": MODE_COLOURS["democratic_anchoring"], "dilemma": "#332288"}

_enabled: str | None = None
#: vega-embed options for every chart the course draws (see :func:`enable_offline`).
EMBED_OPTIONS = {"actions": False}


@contextlib.contextmanager
def _without_slow_optional_imports():
    """Import Altair without jsonschema's optional ``rfc3987_syntax``.

    jsonschema imports it, when installed, only to check the "iri" string format, and it compiles
    a Lark grammar on import: 1.5-6 s of a notebook's first chart on a 2-core machine
    (benchmarks/bench_first_chart.py). Altair's Vega-Lite schema checks no "iri" format. The block
    lasts only while Altair (and so jsonschema) is first imported; later imports of the package work.
    """
    blocked = "rfc3987_syntax" not in sys.modules and "jsonschema" not in sys.modules
    if blocked:
        sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]  # import raises ImportError
    try:
        yield
    finally:
        if blocked and sys.modules.get("rfc3987_syntax", 0) is None:
            del sys.modules["rfc3987_syntax"]


def import_altair():
    """``import altair``, the fast way (see :func:`_without_slow_optional_imports`)."""
    with _without_slow_optional_imports():
        import altair
    return altair


def enable_offline(renderer: str = "jupyter") -> str:
    """Draw charts without internet: ``jupyter`` (interactive, anywidget) or ``svg`` (static)."""
    global _enabled
    alt = import_altair()

    if renderer == "jupyter":
        # actions=False: vega-embed's "..." export menu is a <details> without an accessible name
        # (axe: summary-name, serious) and offers nothing a student needs.
        alt.renderers.enable("jupyter", offline=True, embed_options=EMBED_OPTIONS)
        _load_offline_bundle()
    elif renderer == "svg":
        alt.renderers.enable("svg")
    else:
        raise ValueError("renderer must be 'jupyter' or 'svg'")
    _enabled = renderer
    return renderer


def _bundle_cache() -> Path:
    import altair as alt
    import vl_convert

    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "samskabelse-course"
    return base / f"vega-bundle-altair{alt.__version__}-vlc{vl_convert.__version__}.js"


def _load_offline_bundle() -> None:
    """Give Altair's offline chart widget its JavaScript bundle, from a disk cache when possible.

    Building the bundle (vl-convert) takes about two seconds in every new kernel; the bundle only
    changes with the Altair and vl-convert versions, so the course keeps it in ~/.cache.
    """
    from altair import JupyterChart

    if JupyterChart._is_offline:
        return
    try:
        cache = _bundle_cache()
        if cache.exists():
            JupyterChart._esm = cache.read_text(encoding="utf-8")
            JupyterChart._is_offline = True
            return
    except (OSError, ImportError, AttributeError):
        cache = None
    JupyterChart.enable_offline(True)
    if cache is not None:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(JupyterChart._esm, encoding="utf-8")
            tmp.replace(cache)
        except OSError:
            pass


def alt_text(chart) -> str:
    """The alt text of a chart made by this module."""
    return chart.to_dict(validate=False).get("description", "") if hasattr(chart, "to_dict") else ""


def _fmt(value: float) -> str:
    return "–" if pd.isna(value) else f"{value:.2f}"


def agreement_chart(table: pd.DataFrame, lang: str | None = None):
    """Per-code agreement with the reference: kappa and F1 as bars, prevalence as a label.

    ``table`` is :meth:`course.coding.CodingSession.agreement`'s output.
    """
    import altair as alt

    lang = lang or get_language()
    label_col = f"label_{lang}" if f"label_{lang}" in table else "code"
    data = table.copy()
    data["label"] = data[label_col].where(data[label_col].astype(str).str.len() > 0, data["code"])
    long = data.melt(id_vars=["code", "label", "prevalence", "n"], value_vars=["kappa", "f1"],
                     var_name="metric", value_name="value")
    long["metric"] = long["metric"].map({"kappa": "Cohen's κ", "f1": "F1"})
    long["prevalence_text"] = long["prevalence"].map(lambda p: "" if pd.isna(p) else f"{p:.0%}")
    described = "; ".join(f"{r.label}: κ {_fmt(r.kappa)}, F1 {_fmt(r.f1)}, "
                          f"{'forekomst' if lang == 'da' else 'prevalence'} {_fmt(r.prevalence)}"
                          for r in data.itertuples())
    n = int(data["n"].max()) if len(data) else 0
    alt_description = (
        (f"Søjlediagram over din enighed med kursets kodning pr. kode på {n} kodede uddrag. " if lang == "da"
         else f"Bar chart of your agreement with the course's coding per code over {n} coded excerpts. ")
        + described
    )
    bars = alt.Chart(long).mark_bar().encode(
        y=alt.Y("label:N", title=t("code", lang), sort=list(data["label"])),
        yOffset="metric:N",
        x=alt.X("value:Q", title=t("value", lang), scale=alt.Scale(domain=[-1, 1])),
        color=alt.Color("metric:N", title=t("metric", lang),
                        scale=alt.Scale(range=[TOL_BRIGHT[0], TOL_BRIGHT[3]])),
        tooltip=[alt.Tooltip("label:N", title=t("code", lang)), alt.Tooltip("metric:N"),
                 alt.Tooltip("value:Q", format=".2f"),
                 alt.Tooltip("prevalence:Q", title=t("prevalence", lang), format=".0%"),
                 alt.Tooltip("n:Q")],
    )
    return bars.properties(
        title=t("chart_agreement_title", lang), width=360, description=alt_description,
    )


def confusion_chart(confusion: pd.DataFrame, classes: list[str], labels: dict[str, str] | None = None,
                    lang: str | None = None):
    """A heatmap of the student's answers (columns) against the course's classes (rows)."""
    import altair as alt

    lang = lang or get_language()
    labels = labels or {}
    if confusion.empty or int(confusion["count"].sum()) == 0:
        return _nothing_yet(t("confusion_empty", lang), t("chart_confusion_title", lang))
    # Every (course, answer) pair, so that the diagonal is drawn whole (0 where nobody answered).
    grid = pd.DataFrame([(r, a) for r in classes for a in classes], columns=["reference", "answer"])
    data = grid.merge(confusion, on=["reference", "answer"], how="outer")
    data["count"] = data["count"].fillna(0).astype(int)
    data["reference_label"] = data["reference"].map(lambda c: labels.get(c, c))
    data["answer_label"] = data["answer"].map(lambda c: labels.get(c, c))
    data["match"] = data["reference"] == data["answer"]
    order = [labels.get(c, c) for c in classes]
    total = int(data["count"].sum()) if len(data) else 0
    right = int(data.loc[data["match"], "count"].sum()) if len(data) else 0
    off = data[~data["match"]].sort_values("count", ascending=False).head(3)
    mixups = "; ".join(f"{r.reference_label} → {r.answer_label} ({r.count})" for r in off.itertuples())
    if lang == "da":
        description = (f"Forvekslingsmatrix: {total} svar, heraf {right} på diagonalen (samme klasse som kurset). "
                       + (f"Hyppigste forvekslinger: {mixups}." if mixups else "Ingen forvekslinger."))
    else:
        description = (f"Confusion chart: {total} answers, {right} on the diagonal (the course's class). "
                       + (f"Most frequent mix-ups: {mixups}." if mixups else "No mix-ups."))
    base = alt.Chart(data).encode(
        x=alt.X("answer_label:N", title=t("your_answer", lang), sort=order,
                axis=alt.Axis(labelAngle=-40, labelLimit=320)),
        y=alt.Y("reference_label:N", title=t("course_answer", lang), sort=order, axis=alt.Axis(labelLimit=320)),
    )
    heat = base.mark_rect().encode(
        color=alt.Color("count:Q", title=t("count", lang), scale=alt.Scale(scheme="blues")),
        tooltip=[alt.Tooltip("reference_label:N", title=t("course_answer", lang)),
                 alt.Tooltip("answer_label:N", title=t("your_answer", lang)),
                 alt.Tooltip("count:Q", title=t("count", lang))],
    )
    text = base.mark_text(fontSize=13).encode(
        text="count:Q",
        color=alt.condition(alt.datum.count > max(1, data["count"].max() / 2 if len(data) else 1),
                            alt.value("white"), alt.value("black")),
    )
    # The diagonal (same class as the course) framed in black, so it stands out from the other cells.
    diagonal = base.transform_filter(alt.datum.match).mark_rect(fill=None, stroke="black", strokeWidth=2.5)
    return (heat + diagonal + text).properties(
        title=alt.Title(t("chart_confusion_title", lang), subtitle=t("confusion_diagonal", lang)),
        width=34 * len(classes) + 40, height=30 * len(classes) + 20, description=description)


def _nothing_yet(message: str, title: str):
    """A chart that says, in words, what to do before there is anything to draw."""
    import altair as alt

    return alt.Chart(pd.DataFrame({"message": [message]})).mark_text(
        fontSize=14, align="left", x=0, y=20, color="#1A1A1A",
    ).encode(text="message:N").properties(title=title, width=520, height=40, description=message)
