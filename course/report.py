"""A student's own results per case, next to the course's reference (``student_report()``).

Reads the student's save file with the store's reader (:func:`course.store.read_save_file`) and
the plain-Python models, so the widgets need not be open and nothing is ever written; an empty or
missing save file is normal. The student's name is the one last typed into a widget
(:mod:`course.profile`). The report is escaped HTML. Plain Python (no ipywidgets).
The comparison of the cases themselves is :mod:`course.compare`.
"""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from . import agreement, i18n
from .compare import _html, _s, case_label, class_mode, compared_cases
from .data import Corpus, load_corpus
from .i18n import get_language, pct
from .moves import MoveQuiz


def _student_name(folder: Path) -> str:
    from .profile import remembered_name

    return remembered_name(folder)


class _SavedWork:
    """A read-only stand-in for :class:`course.store.Store`: one save document's entries.

    The models (:class:`course.coding.CodingSession`, :class:`course.moves.MoveQuiz`) only read
    ``coding``, ``moves`` and ``student`` when they summarise; ``save`` must never be reached.
    """

    def __init__(self, student: str, doc: dict | None):
        self.student = student
        self.doc = doc or {"coding": {}, "moves": {}}

    @property
    def coding(self) -> dict:
        return self.doc["coding"]

    @property
    def moves(self) -> dict:
        return self.doc["moves"]

    def save(self) -> None:
        raise RuntimeError(i18n.t("error.report_read_only"))


def _read_saved_work(path: Path) -> tuple[dict | None, str | None, Path | None]:
    """(document, load error, the file it came from). Never renames or writes anything.

    Like the widgets, a damaged save file falls back on its backup (``<name>.bak``) when that one is
    good; unlike the widgets, the damaged file is left where it is.
    """
    from .store import SaveFileError, read_save_file

    if not path.exists():
        return None, None, None
    try:
        return read_save_file(path), None, path
    except SaveFileError as err:
        error = err.describe()
    except OSError as err:
        error = str(err)
    backup = path.with_suffix(".json.bak")
    try:
        if backup.exists():
            return read_save_file(backup), error, backup
    except (SaveFileError, OSError):
        pass
    return None, error, None


def student_results(corpus: Corpus | None = None, student: str | None = None,
                    folder: str | Path | None = None, lang: str | None = None) -> pd.DataFrame:
    """A student's saved work per case, next to the course's reference.

    Reads the save file of ``student`` (default: the name last typed into a widget, else
    ``"student"``) in ``folder`` (default: the course's work folder) with
    :func:`course.store.read_save_file` and the plain models; it never writes, renames or creates a
    file (a damaged save file is left as it is; its good backup is read instead, if there is one).
    One row per compared case (plus any other case the student coded), with the columns ``label``
    (in ``lang``), ``excerpts`` (with a reference coding), ``coded``, ``mean_jaccard`` (first coding
    against the reference), ``precision``, ``recall``, ``moves``, ``answered``, ``correct``,
    ``partial``, ``wrong`` (first attempts), ``share_correct``, ``you_hands_on`` and ``ref_hands_on``
    (the share of hands-on among the answered moves that are hands-off or hands-on in the student's
    answers and in the reference). ``attrs`` holds ``student``, ``path``, ``has_work``, ``stale``,
    ``load_error`` and ``backup`` (the backup read instead of a damaged file, else None). Nothing
    saved is normal: the counts are then 0 and the shares empty.
    """
    from .coding import CodingSession
    from .paths import work_dir
    from .store import flush_all, save_path

    flush_all()  # this kernel's widgets write in the background: what they hold is on disk first
    corpus = corpus or load_corpus()
    lang = lang or get_language()
    folder_path = Path(folder) if folder is not None else work_dir()
    name = (student or _student_name(folder_path)).strip() or "student"
    path = save_path(folder_path, corpus.key, name)  # the file course.store.Store uses
    if not path.exists() and not path.with_name(path.name + ".bak").exists():  # not yet migrated
        from .store import legacy_paths

        path = next((p for p in legacy_paths(folder_path, (corpus.key, *corpus.legacy_keys), name)
                     if p.exists()), path)
    doc, load_error, source = _read_saved_work(path)
    saved = _SavedWork(name, doc)
    session = CodingSession(corpus, saved)
    quiz = MoveQuiz(corpus, saved)
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
            "case": case, "label": case_label(corpus, case, lang),
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
        "student": name, "path": str(path),
        "has_work": bool(table["coded"].sum() or table["answered"].sum()),
        "stale": doc is not None and doc.get("data_version") not in (None, corpus.data_version),
        "load_error": load_error,
        "backup": str(source) if load_error and source is not None else None,
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
            _s("col_jaccard", lang): [pct(v, lang) for v in r["mean_jaccard"]],
            _s("col_precision", lang): [pct(v, lang) for v in r["precision"]],
            _s("col_recall", lang): [pct(v, lang) for v in r["recall"]],
            _s("col_moves", lang): r["moves"].tolist(),
            _s("col_answered", lang): r["answered"].tolist(),
            _s("col_correct", lang): [f"{c} ({pct(s, lang)})" if a else "–"
                                      for c, s, a in zip(r["correct"], r["share_correct"], r["answered"])],
            _s("col_you_on", lang): [pct(v, lang) for v in r["you_hands_on"]],
            _s("col_ref_on", lang): [pct(v, lang) for v in r["ref_hands_on"]],
        })
        return shown

    def _notes(self, text) -> list[str]:
        """The report's paragraphs, each made by ``text(key, lang, **values)``."""
        attrs, lang = self.results.attrs, self.lang
        student = str(attrs.get("student", ""))
        notes = []
        if attrs.get("load_error"):
            note = text("damaged_note", lang, detail=attrs["load_error"])
            if attrs.get("backup"):
                note += " " + text("backup_note", lang, backup=Path(attrs["backup"]).name)
            notes.append(note)
        if not attrs.get("has_work"):
            notes.append(text("no_work", lang, student=student, path=attrs.get("path", "")))
        else:
            notes.append(text("work_intro", lang, student=student,
                              coded=int(self.results["coded"].sum()), answered=int(self.results["answered"].sum())))
            if attrs.get("stale"):
                notes.append(text("stale_note", lang))
        return notes

    def message(self) -> str:
        """The report's text as plain text (names and file contents as they are)."""
        return "\n\n".join(self._notes(_s))

    def _repr_html_(self) -> str:
        # HTML, not Markdown: every string that comes from the data, the save file or the student's
        # name is escaped, and nothing in it can become a link, an image or a script.
        parts = [f"<p>{note}</p>" for note in self._notes(_html)]
        if self.results.attrs.get("has_work"):
            parts.append(self.table().to_html(index=False, border=0, escape=True))
        return "\n".join(parts)

    def __repr__(self) -> str:
        text = self.message()
        if self.results.attrs.get("has_work"):
            text += "\n\n" + self.table().to_string(index=False)
        return text


def student_report(results: pd.DataFrame | None = None, corpus: Corpus | None = None,
                   lang: str | None = None) -> StudentReport:
    """Show :func:`student_results` kindly: a table when there is work, a friendly note when not."""
    corpus = corpus or load_corpus()
    lang = lang or get_language()
    results = results if results is not None else student_results(corpus, lang=lang)
    return StudentReport(results, corpus, lang)
