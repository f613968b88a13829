"""Static output for the course's website: charts as inline SVG, widgets as a "open in JupyterLab" box.

Needs vl-convert-python (the ``site`` and ``test`` extras; not the course's runtime).
The website (``python3 tasks.py site``) runs every notebook with ``SAMSKABELSE_STATIC=1`` set;
``course.setup()`` then calls :func:`enable`. Nothing here is used inside JupyterLab.

* Charts (Altair) are drawn by vl-convert to SVG in the kernel and returned as HTML: the ``<svg>``
  carries ``role="img"``, an ``aria-label`` and a ``<title>`` with the chart's alt text, so the page
  needs no script and makes no request.
* Widgets (ipywidgets) get a ``text/html`` fallback: a box saying where to work with them, with a
  launch link. The site's build fills in the link for the page (``href="#launch-binder"`` and
  ``href="#launch-hub"`` are placeholders it replaces).
"""
from __future__ import annotations

import html
import os
import re

from . import i18n

ENV_VAR = "SAMSKABELSE_STATIC"
RENDERER = "course_static"

#: The widget box's texts: the catalogue's ``static.<key>`` (a title and a sentence per kind of widget).
_BOX_KEYS = ("title", "title_ExcerptCoder", "title_MoveClassifier", "ExcerptCoder", "MoveClassifier", "other", "body",
             "binder", "hub")


def wanted() -> bool:
    """True when the environment asks for static output (the website's build sets it)."""
    return os.environ.get(ENV_VAR, "").strip().lower() not in ("", "0", "false", "no")


def svg_html(chart) -> str:
    """The chart as inline, accessible SVG (``<figure>`` with ``role="img"`` and its alt text)."""
    from .charts import alt_text, require_vl_convert

    require_vl_convert("course.static")
    import vl_convert as vlc

    spec = chart.to_dict() if hasattr(chart, "to_dict") else chart
    svg = vlc.vegalite_to_svg(spec)
    alt = alt_text(chart) if hasattr(chart, "to_dict") else spec.get("description", "")
    return _label(svg, alt)


def _label(svg: str, alt: str) -> str:
    alt = html.escape(alt or "", quote=True)
    svg = re.sub(r"^<svg ", f'<svg role="img" aria-label="{alt}" ', svg.lstrip(), count=1)
    svg = re.sub(r"(<svg[^>]*>)", rf"\1<title>{alt}</title>", svg, count=1)
    # The marks are the picture that the label describes: hidden from screen readers, which read
    # the label (Vega's per-mark roles would otherwise ask for a name of their own).
    svg = svg.replace("<g ", '<g aria-hidden="true" ', 1)
    return f'<figure class="course-chart">{svg}</figure>'


def _render_chart(spec: dict, **_options) -> dict:
    """Altair renderer: the SVG as HTML, the alt text as plain text."""
    from .charts import require_vl_convert

    require_vl_convert("course.static")
    import vl_convert as vlc

    svg = vlc.vegalite_to_svg(spec)
    alt = spec.get("description", "")
    return {"text/html": _label(svg, alt), "text/plain": alt or "chart"}


def widget_box(widget) -> str:
    """The HTML box that stands in for a widget on the website."""
    lang = getattr(widget, "lang", None) or i18n.get_language()
    text = {key: i18n.t("static." + key, lang) for key in _BOX_KEYS}
    kind = next((c.__name__ for c in type(widget).__mro__ if c.__name__ in text), "other")
    return (
        f'<div class="course-widget-box" role="note" lang="{lang}">'
        f'<p class="course-widget-box-title"><strong>{html.escape(text.get("title_" + kind, text["title"]))}</strong></p>'
        f'<p>{html.escape(text[kind])} {html.escape(text["body"])}</p>'
        f'<p class="course-widget-box-links"><a class="course-launch" href="#launch-binder">'
        f'{html.escape(text["binder"])}</a> <a class="course-launch" href="#launch-hub">'
        f'{html.escape(text["hub"])}</a></p></div>'
    )


def enable() -> None:
    """Static charts and the widget box (called by ``course.setup()`` when :func:`wanted`)."""
    import altair as alt

    from .charts import require_vl_convert, show_as_widgets

    require_vl_convert("SAMSKABELSE_STATIC")  # the site's build installs the `site` extra
    if RENDERER not in alt.renderers.names():
        alt.renderers.register(RENDERER, _render_chart)
    alt.renderers.enable(RENDERER)
    show_as_widgets(False)  # charts through the renderer above, not as widgets
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with JupyterLab
        return
    shell = get_ipython()
    if shell is None:
        return
    import ipywidgets

    formatter = shell.display_formatter.formatters["text/html"]
    formatter.for_type(ipywidgets.DOMWidget, widget_box)
