"""The class view, part 3: what the lecturer sees -- the heatmap chart, the HTML for a projector
and :class:`ClassView`, the thin widget over :mod:`course.class_load` and :mod:`course.class_analysis`.

The only part of the class view that imports ipywidgets (inside :class:`ClassView`) and Altair
(inside :func:`heatmap_chart`).
"""
from __future__ import annotations

import html
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd

from . import i18n
from .class_analysis import (
    alpha_overall_text,
    alpha_table,
    disagreement_table,
    heatmap_data,
    moves_wrong,
    skipped_table,
    summary,
)
from .class_load import ClassData, load_class, s
from .data import Corpus, load_corpus


def heatmap_chart(data: ClassData, stage: str = "first", case: str | None = None, lang: str | None = None):
    """Altair heatmap of excerpt × code (share of students), the course's reading as white dots."""
    import altair as alt

    lang = lang or i18n.get_language()
    table = heatmap_data(data, stage, case, lang)
    stage_name = s("stage_" + stage, lang)
    on = table.loc[table["reference"], "share"].mean()
    off = table.loc[~table["reference"], "share"].mean()
    size = {"e": table["excerpt"].nunique(), "c": len(data.codes), "s": data.n_students, "stage": stage_name}
    if table["share"].isna().all():  # nobody coded anything (yet): no share to average
        described = s("heat_alt_empty", lang, **size)
    else:
        described = s("heat_alt", lang, **size)
        if not pd.isna(on) and not pd.isna(off):
            described += s("heat_alt_both", lang, on=i18n.pct(on, lang), off=i18n.pct(off, lang))
        elif not pd.isna(on):
            described += s("heat_alt_on", lang, on=i18n.pct(on, lang))
        elif not pd.isna(off):
            described += s("heat_alt_off", lang, off=i18n.pct(off, lang))
    missed = table[table["reference"]].dropna(subset=["share"]).nsmallest(3, "share")
    if len(missed):
        described += s("heat_alt_missed", lang, cells="; ".join(
            f"{r.excerpt} {r.code} {i18n.pct(r.share, lang)}" for r in missed.itertuples()))
    extra = table[~table["reference"]].dropna(subset=["share"]).nlargest(3, "share")
    if len(extra):
        described += s("heat_alt_extra", lang, cells="; ".join(
            f"{r.excerpt} {r.code} {i18n.pct(r.share, lang)}" for r in extra.itertuples()))
    table["marker"] = s("reference_marker", lang)
    order_e = list(dict.fromkeys(table["excerpt"]))
    order_c = list(dict.fromkeys(table["label"]))
    title_code = i18n.t("code", lang)
    base = alt.Chart(table).encode(
        x=alt.X("label:N", title=title_code, sort=order_c, axis=alt.Axis(labelAngle=-45, labelLimit=200)),
        y=alt.Y("excerpt:N", title=s("excerpt", lang), sort=order_e),
    )
    tooltip = [alt.Tooltip("excerpt:N", title=s("excerpt", lang)), alt.Tooltip("label:N", title=title_code),
               alt.Tooltip("share:Q", title=s("share", lang), format=".0%"),
               alt.Tooltip("coders:Q", title=s("coders", lang)),
               alt.Tooltip("reference:N", title=s("reference_marker", lang))]
    cells = base.mark_rect().encode(
        color=alt.Color("share:Q", title=s("share", lang), scale=alt.Scale(scheme="blues", domain=[0, 1]),
                        legend=alt.Legend(format=".0%")),
        tooltip=tooltip,
    )
    marks = base.transform_filter(alt.datum.reference).mark_point(
        filled=True, fill="white", stroke="black", strokeWidth=1, size=36,
    ).encode(
        shape=alt.Shape("marker:N", title=None, scale=alt.Scale(range=["circle"])),
        tooltip=tooltip,
    )
    return (cells + marks).properties(
        title=s("heat_title", lang, stage=stage_name), width=max(240, 26 * len(data.codes)),
        height=max(120, 13 * table["excerpt"].nunique()), description=described,
    )


def _frame_html(frame: pd.DataFrame, formats: dict[str, Any] | None = None,
                headers: dict[str, str] | None = None) -> str:
    """A table as escaped HTML (names, file names and memos are never run as markup).

    ``formats``: column -> a format spec (``".3f"``) or a function of the value (``i18n.pct``);
    ``headers``: column -> the heading shown (only these columns, in this order, when given)."""
    formats = formats or {}
    shown = frame.copy()
    for column, fmt in formats.items():
        if column in shown:
            shown[column] = shown[column].map(
                lambda v, f=fmt: "–" if pd.isna(v) else f(v) if callable(f) else format(v, f))
    if headers:
        shown = shown[[c for c in headers if c in shown]].rename(columns=headers)
    shown.columns.name = None
    return shown.to_html(index=False, escape=True, na_rep="–", border=0, classes="course-table")


#: The projector layout's strings are the catalogue's "classroom.*" keys too (see STRINGS).

#: Colours of the α bands (the words carry the reading too); each has 4.5:1 on white.
BAND_COLOURS = {"reliable": "#1E7A2E", "tentative": "#8A6A00", "revisit": "#B8321A", "undefined": "#4D4D4D"}

_VIEW_CSS = """<style>
.course-classview { overflow-x: auto; font-size: 14px; }
.course-classview table.course-table { border-collapse: collapse; table-layout: auto; width: auto; }
.course-classview table.course-table th { text-align: left; vertical-align: bottom; padding: 2px 8px; }
.course-classview table.course-table td { vertical-align: top; padding: 2px 8px; white-space: normal;
  max-width: 60ch; overflow-wrap: anywhere; }
.course-classview .course-band { display: flex; flex-wrap: wrap; gap: 4px 6px; margin: 4px 0; padding: 0; list-style: none; }
.course-classview .course-band li { border-left: 5px solid; padding: 1px 6px; background: #F7F7F7; color: #1A1A1A; }
.course-classview h4 { margin: 10px 0 4px; }
</style>"""


def _band_key(row) -> str:
    return "undefined" if row.note or pd.isna(row.alpha) else row.band


def _code_label(data: ClassData, code: str, lang: str) -> str:
    codebook = data.corpus.codebook.set_index("id")
    if code == "NONE":
        return s("none_class", lang)
    if code in codebook.index:
        return i18n.field(codebook.loc[code].to_dict(), "label", lang)
    return code


def _case_label(data: ClassData, case: str, lang: str) -> str:
    cases = data.corpus.cases.set_index("id")
    return i18n.field(cases.loc[case].to_dict(), "label", lang) if case in cases.index else case


def render_band(data: ClassData, stage: str = "first", lang: str | None = None) -> str:
    """α per code as a compact band: one chip per code with its label, α and reading (words and colour)."""
    lang = lang or i18n.get_language()
    table = alpha_table(data, stage, lang=lang)
    chips = []
    for row in table.itertuples():
        key = _band_key(row)
        alpha = "–" if pd.isna(row.alpha) else f"{row.alpha:.2f}".replace(".", "," if lang == "da" else ".")
        chips.append(f'<li style="border-left-color:{BAND_COLOURS[key]}" title="{html.escape(row.reading)}">'
                     f"<b>{html.escape(str(row.label))}</b> α {alpha} · "
                     f'<span style="color:{BAND_COLOURS[key]}">{html.escape(s("band_short_" + key, lang))}</span></li>')
    return (f"<h4>{html.escape(s('h_band', lang))}</h4><ul class='course-band'>{''.join(chips)}</ul>"
            f"<p><small>{html.escape(s('band_legend', lang))}</small></p>")


def render_top(data: ClassData, stage: str = "first", lang: str | None = None, top: int = 5) -> str:
    """The ``top`` excerpts the class disagreed on most, with Danish headings and code names."""
    lang = lang or i18n.get_language()
    table = disagreement_table(data, stage, top=top, lang=lang).copy()
    table["case"] = table["case"].map(lambda c: _case_label(data, c, lang))
    table["split_code"] = table["split_code"].map(lambda c: _code_label(data, c, lang))
    table["reference"] = table["reference"].map(
        lambda codes: ", ".join(_code_label(data, c, lang) for c in codes.split(";") if c) or "–")
    pct0 = partial(i18n.pct, lang=lang)
    headers = {"excerpt": s("col_excerpt", lang), "case": s("col_case", lang), "coders": s("col_coders", lang),
               "disagreement": s("col_disagreement", lang), "split_code": s("col_split_code", lang),
               "split_share": s("col_split_share", lang), "matches_reference": s("col_matches", lang),
               "reference": s("col_reference", lang)}
    return (f"<h4>{html.escape(s('h_top', lang, n=len(table)))}</h4>"
            + _frame_html(table, {"disagreement": ".2f", "split_share": pct0, "matches_reference": pct0}, headers))


def _short(text: str, limit: int = 150) -> str:
    """A move's description cut at a word for the projector (the full text is in moves.csv)."""
    text = str(text)
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def render_moves(data: ClassData, lang: str | None = None, top: int = 5) -> str:
    lang = lang or i18n.get_language()
    table = moves_wrong(data, top=top, lang=lang).copy()
    if table.empty:
        return ""
    table["case"] = table["case"].map(lambda c: _case_label(data, c, lang))
    table["description"] = table["description"].map(_short)
    for column in ("reference", "common_answer"):
        table[column] = table[column].map(lambda c: _code_label(data, c, lang) if c else "–")
    pct0 = partial(i18n.pct, lang=lang)
    headers = {"move": s("col_move", lang), "description": s("col_description", lang),
               "reference": s("col_ref_class", lang), "answered": s("col_answered", lang),
               "share_wrong": s("col_wrong", lang), "share_partial": s("col_partial", lang),
               "common_answer": s("col_common", lang), "common_share": s("col_common_share", lang)}
    return (f"<h4>{html.escape(s('h_top_moves', lang, n=len(table)))}</h4>"
            + _frame_html(table, {"share_wrong": pct0, "share_partial": pct0, "common_share": pct0}, headers))


def render_notes(data: ClassData, hide_names: bool = True, lang: str | None = None) -> str:
    """What was left out: notes, then the skipped files and why."""
    lang = lang or i18n.get_language()
    parts = []
    notes = data.note_texts(lang)
    if notes:
        parts.append(f"<h4>{html.escape(s('h_notes', lang))}</h4><ul>"
                     + "".join(f"<li>{html.escape(n)}</li>" for n in notes) + "</ul>")
    parts.append(f"<h4>{html.escape(s('h_skipped', lang))}</h4>")
    skipped = skipped_table(data, hide_names, lang)
    if len(skipped):
        headers = {c: s("col_file", lang) if c == "file" else s("col_reason", lang) if c == "reason" else c
                   for c in skipped.columns}
        parts.append(_frame_html(skipped, headers=headers))
    else:
        parts.append(f"<p>{html.escape(s('none_skipped', lang))}</p>")
    return "\n".join(parts)


def _wrap(body: str, lang: str) -> str:
    return f'{_VIEW_CSS}<div class="course-classview" lang="{lang}">{body}</div>'


class ClassView:
    """Thin widget: a folder path and/or uploaded files, a pseudonym switch, "Analysér", output.

    ``ClassView(folder="aflevering")``; after a click, ``view.data`` holds the :class:`ClassData`.
    All analysis is done by this module's functions.
    """

    def __init__(self, folder: str | Path | None = None, corpus: Corpus | str | Path | None = None,
                 lang: str | None = None, stage: str = "first", hide_names: bool = True):
        import ipywidgets as w

        self.lang = lang or i18n.get_language()
        self.corpus = corpus if isinstance(corpus, Corpus) else load_corpus(corpus)
        self.data: ClassData | None = None
        if folder is None:  # the hand-in folder, when the lecturer set one (course.handin)
            from .handin import handin_dir
            folder = handin_dir()
        self.folder = w.Text(value="" if folder is None else str(folder), description=s("folder", self.lang),
                             style={"description_width": "initial"}, layout=w.Layout(width="520px"))
        from .uikit import PageMarker, UploadButton

        # A labelled button without FileUpload's "(0)" counter; the chosen files are named beside it.
        self.upload = UploadButton(label=s("upload", self.lang), hint=s("upload", self.lang), multiple=True,
                                   accept=".json,application/json,.zip",
                                   max_bytes=0)
        self.chosen = w.HTML()
        self.upload.observe(lambda _: self._show_chosen(), names="batches")
        self.hide = w.Checkbox(value=hide_names, description=s("pseudonyms", self.lang), indent=False)
        self.stage = w.ToggleButtons(options=[(s("stage_first", self.lang), "first"),
                                              (s("stage_final", self.lang), "final")], value=stage)
        self.button = w.Button(description=s("analyse", self.lang), icon="table")
        self.button.add_class("course-primary")
        self.output = w.Output()
        self.button.on_click(lambda _: self.analyse())
        self.widget = w.VBox([PageMarker(lang=self.lang), w.HBox([self.folder, self.upload, self.chosen]),
                              w.HBox([self.hide, self.stage]), self.button, self.output])
        self.widget.add_class("course-widget")
        self.widget.add_class("course-class-view")

    def _show_chosen(self) -> None:
        names = [f["name"] for f in self.upload.files]
        self.chosen.value = (f"<small>{html.escape(s('chosen', self.lang, n=len(names)))}: "
                             f"{html.escape(', '.join(names[:5]) + (' …' if len(names) > 5 else ''))}</small>"
                             if names else "")

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)

    def sources(self) -> list:
        found: list = []
        path = self.folder.value.strip()
        if path:
            found.append(Path(path).expanduser())
        found.extend(self.upload.files)
        return found

    def analyse(self) -> ClassData | None:
        """Read the files and show the view a lecturer puts on a projector: the summary, α per
        code as a band, the heatmap, the five most disputed excerpts, the moves, then what was
        left out."""
        from IPython.display import HTML, display

        lang = self.lang
        self.output.clear_output()
        with self.output:
            sources = self.sources()
            missing = [p for p in sources if isinstance(p, Path) and not p.exists()]
            if missing:
                display(HTML(f'<p role="alert" lang="{lang}">{html.escape(s("no_folder", lang, path=missing[0]))}</p>'))
                return None
            if not sources:
                display(HTML(f"<p lang='{lang}'>{html.escape(s('nothing', lang))}</p>"))
                return None
            self.data = data = load_class(sources, self.corpus)
            stage = self.stage.value
            head = f"<p><b>{html.escape(summary(data, lang))}</b></p>"
            if not data.n_students:
                display(HTML(_wrap(head + render_notes(data, self.hide.value, lang), lang)))
                return self.data
            display(HTML(_wrap(head + render_band(data, stage, lang), lang)))
            chart = heatmap_chart(data, stage, lang=lang)
            display(chart)
            display(HTML(_wrap(f"<p><small>{html.escape(s('alt', lang))}: "
                               f"{html.escape(chart.to_dict(validate=False).get('description', ''))}</small></p>"
                               + render_top(data, stage, lang) + render_moves(data, lang)
                               + render_notes(data, self.hide.value, lang), lang)))
        return self.data


def render_html(data: ClassData, stage: str = "first", hide_names: bool = True, lang: str | None = None) -> str:
    """The class view as one escaped HTML block (the widget's output, without the chart)."""
    lang = lang or i18n.get_language()
    parts = [f"<p><b>{html.escape(summary(data, lang))}</b></p>"]
    if data.n_students:
        parts += [render_band(data, stage, lang),
                  f"<p>{html.escape(alpha_overall_text(data, stage, lang=lang))}</p>", render_top(data, stage, lang), render_moves(data, lang)]
    parts.append(render_notes(data, hide_names, lang))
    return _wrap("\n".join(parts), lang)
