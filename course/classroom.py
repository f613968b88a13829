"""The class view: what a whole class coded and classified, from the students' save files.

A lecturer gathers the students' save files (the ``.json`` files that the widgets' download link
makes, or the work folder on a JupyterHub) and gets

* a report of the files that could not be used (file name and reason) — the rest are processed;
* a tidy table of all codings (student, excerpt, case, code, stage ``first``/``final``);
* Krippendorff's alpha per code (nominal, one 0/1 variable per code and excerpt, missing where a
  student did not code the excerpt), with Krippendorff's reading bands;
* the excerpts the class disagreed on most;
* a heatmap of excerpt × code: the share of students who applied each code, the course's reading
  marked;
* the moves the class classified wrong most often (first attempts).

Names can be hidden behind pseudonyms ("Studerende 01") for a projector: new ones every run, the
same ones for a fixed ``seed``, or for the same files with ``seed="content"``. One function,
:func:`pseudonym_list`, makes them, here and in :mod:`course.export`. Students are told apart by
their name up to case, spacing and Unicode form (:func:`name_key`); files without a chosen name
(the store's "student") are each a student of their own.

Everything is a plain function over a :class:`ClassData` (numpy arrays ``students × excerpts ×
codes``); :class:`ClassView` is a thin widget over them.

This module is the class view's front door: it re-exports, under the names it always had, the
parts split by concern (issue 11):

* :mod:`course.class_load` -- files -> :class:`ClassData`, :class:`Skipped` (plain Python);
* :mod:`course.class_analysis` -- the tables, alpha, disagreement, the heatmap's data (plain Python);
* :mod:`course.class_view` -- the heatmap chart, the projector HTML, the :class:`ClassView` widget;
* :mod:`course.pseudonyms` -- the pseudonyms, shared with :mod:`course.export`;
* :mod:`course.class_sim` -- :func:`simulate_class`.

Importing it does not import ipywidgets (the widget imports it when it is made).
:func:`simulate_class` writes a class of real save files (made with
:func:`course.store.new_document` and checked with :func:`course.store.validate_document`), with a
few broken ones, for tests and the notebook.

Stage ``first`` is the coding a student made before seeing the course's reading; ``final`` includes
revisions made after it. Agreement between students is measured on ``first`` by default: after the
reveal, students converge on the reference and alpha says little about the codebook.
"""
from __future__ import annotations

from .class_analysis import (
    alpha_input,
    alpha_overall,
    alpha_overall_text,
    alpha_table,
    codings_table,
    disagreement_table,
    excerpt_shares,
    heatmap_data,
    moves_wrong,
    skipped_table,
    students_table,
    summary,
)
from .class_load import (
    STAGES,
    STRINGS,
    ClassData,
    Skipped,
    load_class,
    s,
    skip_for,
)
from .class_sim import BROKEN_KINDS, SimulatedClass, simulate_class
from .class_view import (
    BAND_COLOURS,
    ClassView,
    heatmap_chart,
    render_band,
    render_html,
    render_moves,
    render_notes,
    render_top,
)
from .limits import MAX_SAVE_BYTES
from .pseudonyms import (
    PLACEHOLDER,
    content_salt,
    display_names,
    is_placeholder,
    pseudonym_list,
    pseudonyms,
    unique_names,
)
from .store import SaveFileError, name_key, parse_bytes

_skip_for = skip_for  # the older name

__all__ = [
    "BAND_COLOURS", "BROKEN_KINDS", "MAX_SAVE_BYTES", "PLACEHOLDER", "STAGES", "STRINGS", "ClassData", "ClassView",
    "SaveFileError", "SimulatedClass", "Skipped", "alpha_input", "alpha_overall", "alpha_overall_text", "alpha_table",
    "codings_table", "content_salt", "disagreement_table", "display_names", "excerpt_shares", "heatmap_chart",
    "heatmap_data", "is_placeholder", "load_class", "moves_wrong", "name_key", "parse_bytes", "pseudonym_list",
    "pseudonyms", "render_band", "render_html", "render_moves", "render_notes", "render_top", "s", "simulate_class",
    "skip_for", "skipped_table", "students_table", "summary", "unique_names",
]
