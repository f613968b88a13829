"""Ledelse af samskabelse: the package behind the course's notebooks.

Start every notebook with ``course.setup()``; it turns on charts that draw without internet.
Heavy modules (Altair, ipywidgets) load only when a chart or widget is asked for.
"""
from __future__ import annotations

__version__ = "0.1.0"

from .data import Corpus, DataError, DataWarning, load_corpus  # noqa: E402

__all__ = [
    "__version__", "Corpus", "DataError", "DataWarning", "load_corpus", "setup",
    "ExcerptCoder", "MoveClassifier", "HandIn",
]


def setup(lang: str = "da", renderer: str = "jupyter") -> None:
    """Prepare a notebook: offline charts and the interface language.

    ``renderer="jupyter"`` draws interactive charts offline (anywidget + the Vega bundle that ships
    with the course); ``renderer="svg"`` draws static ones (useful for printing; needs
    vl-convert-python, the ``site`` extra). With ``SAMSKABELSE_STATIC=1`` in
    the environment (the website's build) charts become inline SVG and widgets a "open in
    JupyterLab" box (see :mod:`course.static`).
    """
    from . import charts, display, i18n, static

    i18n.set_language(lang)
    if static.wanted():
        static.enable()
    else:
        charts.enable_offline(renderer)
    display.register_formatters()  # tables without NaN, "dtype: int64" or empty header cells


#: Submodules available as ``course.<name>`` without an explicit import (loaded on first use).
_SUBMODULES = {
    "agreement", "charts", "classroom", "coding", "compare", "data", "display", "dotvote", "export",
    "fieldwork", "handin", "i18n", "moves", "paths", "selfcheck", "static", "store", "timeline",
    "widgets",
}
_SUBMODULES |= {"report", "pseudonyms", "class_load", "class_analysis", "class_view", "class_sim"}


def __getattr__(name: str):
    if name in ("ExcerptCoder", "MoveClassifier"):
        from . import widgets

        return getattr(widgets, name)
    if name == "HandIn":
        from . import handin

        return handin.HandIn
    if name in _SUBMODULES:
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'course' has no attribute {name!r}")
