"""The class view, part 2: the tables of a :class:`~course.class_load.ClassData`.

Codings (tidy), Krippendorff's alpha per code (nominal, one 0/1 variable per code and excerpt,
missing where a student did not code the excerpt) and across all codes (MASI), the excerpts the
class disagreed on most, the heatmap's data (excerpt × code: the share of students who applied each
code, the course's reading marked) and the moves classified wrong most often. Plain functions over
numpy arrays and pandas; no widgets, no charts (those are in :mod:`course.class_view`).
"""
from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

from . import agreement, i18n
from .class_load import STAGES, ClassData, s
from .pseudonyms import display_names


def skipped_table(data: ClassData, hide_names: bool = False, lang: str | None = None) -> pd.DataFrame:
    """One row per skipped file: ``file``, ``kind``, ``reason``. ``hide_names`` numbers the files
    instead (file names carry students' names)."""
    rows = []
    width = max(2, len(str(len(data.skipped))))
    for i, item in enumerate(data.skipped, start=1):
        name = s("file_pseudonym", lang, n=f"{i:0{width}d}") if hide_names else item.file
        rows.append({"file": name, "kind": item.kind, "reason": item.reason(lang, hide_files=hide_names)})
    return pd.DataFrame(rows, columns=["file", "kind", "reason"])


def students_table(data: ClassData, hide_names: bool = False, lang: str | None = None) -> pd.DataFrame:
    """One row per student: the file used, excerpts coded (first/final), moves answered."""
    table = pd.DataFrame({
        "student": display_names(data, hide_names, lang),
        "file": [""] * data.n_students if hide_names else data.files,
        "coded_first": data.covered["first"].sum(axis=1),
        "coded_final": data.covered["final"].sum(axis=1),
        "moves_answered": np.bincount(data.moves["student_index"].to_numpy(dtype=int),
                                      minlength=data.n_students) if data.n_students else [],
        "updated": [d["updated"] for d in data.docs],
    })
    if hide_names:
        table = table.drop(columns="file").sort_values("student", ignore_index=True)
    return table


def codings_table(data: ClassData, hide_names: bool = False, stages: Iterable[str] = STAGES,
                  lang: str | None = None) -> pd.DataFrame:
    """All codings, tidy: one row per student, excerpt, code and stage (``first``/``final``)."""
    names = np.asarray(display_names(data, hide_names, lang), dtype=object)
    excerpts = np.asarray(data.excerpts, dtype=object)
    codes = np.asarray(data.codes, dtype=object)
    stages = list(stages)
    if not stages:
        return pd.DataFrame(columns=["student", "excerpt", "case", "code", "stage"])
    # The index arrays of every stage first, then one table (no per-stage tables to concatenate).
    found = [np.nonzero(data.coded[stage]) for stage in stages]
    si, ei, ci = (np.concatenate([f[axis] for f in found]) for axis in range(3))
    stage = np.repeat(np.asarray(stages, dtype=object), [len(f[0]) for f in found])
    return pd.DataFrame({
        "student": names[si], "excerpt": excerpts[ei], "case": data.excerpt_cases[ei],
        "code": codes[ci], "stage": stage,
    })


def _select(data: ClassData, case: str | None) -> np.ndarray:
    if case is None:
        return np.arange(len(data.excerpts))
    index = np.flatnonzero(data.excerpt_cases == case)
    if not len(index):
        raise ValueError(i18n.t("error.unknown_case_no_excerpts", case=case,
                                cases=", ".join(sorted(set(data.excerpt_cases)))))
    return index


def alpha_input(data: ClassData, stage: str = "first", case: str | None = None) -> pd.DataFrame:
    """The tidy input of :func:`course.agreement.krippendorff_alpha_per_code`: one row per
    (coder, excerpt, code applied), plus one row with an empty code per excerpt a coder coded."""
    keep = _select(data, case)
    coded = data.coded[stage][:, keep, :]
    covered = data.covered[stage][:, keep]
    coders = np.arange(data.n_students).astype(str).astype(object)
    excerpts = np.asarray(data.excerpts, dtype=object)[keep]
    si, ei, ci = np.nonzero(coded)
    vi, vj = np.nonzero(covered)
    return pd.DataFrame({
        "coder": np.concatenate([coders[si], coders[vi]]),
        "excerpt": np.concatenate([excerpts[ei], excerpts[vj]]),
        "code": np.concatenate([np.asarray(data.codes, dtype=object)[ci], np.full(len(vi), "", dtype=object)]),
    })


def alpha_table(data: ClassData, stage: str = "first", case: str | None = None,
                lang: str | None = None) -> pd.DataFrame:
    """Krippendorff's alpha per code, with its reading band and how common the code is.

    ``prevalence`` is the share of (student, excerpt) codings that used the code; ``pairs_agree``
    the share of pairs of students, on the same excerpt, who agree on it (observed agreement);
    ``units`` the number of excerpts coded by two or more students (what alpha can use);
    ``reference`` the number of excerpts the course codes with it. For a rare code alpha rests on
    few applications and moves a lot with a handful of students, and a high ``pairs_agree`` can go
    with an alpha near 0: read alpha with its prevalence.
    """
    lang = lang or i18n.get_language()
    keep = _select(data, case)
    table = agreement.krippendorff_alpha_per_code_arrays(
        data.coded[stage][:, keep, :], data.covered[stage][:, keep], data.codes)  # = on alpha_input(...)
    # A code whose variation lies only in excerpts one student coded has no pairable variation.
    table.loc[table["alpha"].isna() & (table["note"] == ""), "note"] = "no variation"
    codebook = data.corpus.codebook.set_index("id")
    covered_cells = int(data.covered[stage][:, keep].sum())
    table.insert(1, "label", [i18n.field(codebook.loc[c].to_dict(), "label", lang) for c in table["code"]])
    table.insert(2, "group", table["code"].map(codebook["group"]))
    table["prevalence"] = table["applications"] / covered_cells if covered_cells else math.nan
    # Observed agreement: the share of pairs of students (on the same excerpt) who agree on the code.
    n = data.covered[stage][:, keep].sum(axis=0).astype(float)[:, None]
    k = data.coded[stage][:, keep, :].sum(axis=0).astype(float)
    pairs = (n * (n - 1) / 2).sum()
    agree = (k * (k - 1) / 2 + (n - k) * (n - k - 1) / 2).sum(axis=0)
    table["pairs_agree"] = agree / pairs if pairs else math.nan
    table["units"] = int((n >= 2).sum())  # excerpts coded by two or more students
    table["reference"] = data.reference_matrix()[keep].sum(axis=0)

    def reading(row) -> str:
        if row.note == "unused":
            return s("band_unused", lang)
        if row.note:
            return s("band_no_variation", lang)
        return s("band_" + row.band, lang)

    table["reading"] = [reading(r) for r in table.itertuples()]
    return table[["code", "label", "group", "alpha", "band", "reading", "applications", "prevalence",
                  "pairs_agree", "units", "reference", "note"]]


def alpha_overall(data: ClassData, stage: str = "first", case: str | None = None) -> float:
    """Krippendorff's alpha across all codes at once: each student's SET of codes per excerpt
    ("no code applies" is the empty set), MASI distance (Passonneau 2006); see
    :func:`course.agreement.krippendorff_alpha_overall`. nan when nothing can be compared."""
    keep = _select(data, case)
    coded = data.coded[stage][:, keep, :]
    covered = data.covered[stage][:, keep]
    # Each cell's set of codes, found once per distinct pattern of codes (a class repeats them).
    flat = coded.reshape(-1, coded.shape[2])
    if flat.shape[1] <= 62:  # one integer per pattern: a fast unique
        keys = flat.astype(np.int64) @ (np.int64(1) << np.arange(flat.shape[1], dtype=np.int64))
        _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
        patterns = flat[first]
    else:
        patterns, inverse = np.unique(flat, axis=0, return_inverse=True)
    found = [frozenset(c for c, on in zip(data.codes, row) if on) for row in patterns]
    cells = np.asarray(inverse).reshape(coded.shape[:2])
    # How many students chose each set for each excerpt, counted with numpy (no students × excerpts
    # list of Python sets).
    units = np.broadcast_to(np.arange(len(keep)), cells.shape)[covered]
    counts = np.bincount(units * len(found) + cells[covered], minlength=len(keep) * len(found))
    return agreement.krippendorff_alpha_overall_counts(counts.reshape(len(keep), len(found)), found)


def alpha_overall_text(data: ClassData, stage: str = "first", case: str | None = None,
                       lang: str | None = None) -> str:
    """One line for the class view: the overall alpha, its band, and which alpha it is."""
    value = alpha_overall(data, stage, case)
    band = agreement.alpha_band(value)
    reading = s("band_no_variation", lang) if band == "undefined" else s("band_" + band, lang)
    lang = lang or i18n.get_language()
    return i18n.t("alpha_overall", lang, alpha=agreement.format_alpha(value, lang), reading=reading)


def excerpt_shares(data: ClassData, stage: str = "first") -> tuple[np.ndarray, np.ndarray]:
    """(coders per excerpt, share applying each code): arrays of shape (E,) and (E, C)."""
    n = data.covered[stage].sum(axis=0)
    k = data.coded[stage].sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(n[:, None] > 0, k / np.maximum(n, 1)[:, None], np.nan)
    return n, share


def disagreement_table(data: ClassData, stage: str = "first", top: int | None = 10, min_coders: int = 2,
                       lang: str | None = None) -> pd.DataFrame:
    """The excerpts the class disagreed on most.

    ``disagreement`` is, averaged over the codes, the share of pairs of students who disagree on
    whether the code applies: for a code that ``k`` of ``n`` students used, ``k(n-k) / (n(n-1)/2)``
    (0 = everybody agrees; .5 for a code half the class used). ``split_code`` is the code the
    class was most divided on; ``matches_reference`` the share of students whose coding equals
    the course's reading exactly.
    """
    lang = lang or i18n.get_language()
    n, share = excerpt_shares(data, stage)
    k = data.coded[stage].sum(axis=0).astype(float)
    nn = n.astype(float)[:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        pairwise = np.where(nn >= 2, 2 * k * (nn - k) / (nn * (nn - 1)), np.nan)
    score = pairwise.mean(axis=1)
    split = np.nan_to_num(share * (1 - share), nan=-1.0)
    split_index = split.argmax(axis=1)
    reference = data.reference_matrix()
    exact = (data.coded[stage] == reference[None, :, :]).all(axis=2) & data.covered[stage]
    with np.errstate(invalid="ignore", divide="ignore"):
        matches = np.where(n > 0, exact.sum(axis=0) / np.maximum(n, 1), np.nan)
    codes = np.asarray(data.codes, dtype=object)
    table = pd.DataFrame({
        "excerpt": data.excerpts, "case": data.excerpt_cases, "coders": n, "disagreement": score,
        "split_code": codes[split_index], "split_share": share[np.arange(len(data.excerpts)), split_index],
        "matches_reference": matches,
        "reference": [";".join(codes[reference[j]]) for j in range(len(data.excerpts))],
    })
    table = table[table["coders"] >= min_coders].sort_values(
        ["disagreement", "excerpt"], ascending=[False, True], ignore_index=True)
    return table.head(top) if top else table


def heatmap_data(data: ClassData, stage: str = "first", case: str | None = None,
                 lang: str | None = None) -> pd.DataFrame:
    """One row per excerpt and code: ``share`` of the students who coded the excerpt that applied
    the code, ``applied``, ``coders``, and ``reference`` (the course's reading)."""
    lang = lang or i18n.get_language()
    keep = _select(data, case)
    n, share = excerpt_shares(data, stage)
    k = data.coded[stage].sum(axis=0)
    reference = data.reference_matrix()
    n_e, n_c = len(keep), len(data.codes)
    codebook = data.corpus.codebook.set_index("id")
    labels = [i18n.field(codebook.loc[c].to_dict(), "label", lang) for c in data.codes]
    return pd.DataFrame({
        "excerpt": np.repeat(np.asarray(data.excerpts, dtype=object)[keep], n_c),
        "case": np.repeat(data.excerpt_cases[keep], n_c),
        "code": np.tile(np.asarray(data.codes, dtype=object), n_e),
        "label": np.tile(np.asarray(labels, dtype=object), n_e),
        "share": share[keep].ravel(),
        "applied": k[keep].ravel(),
        "coders": np.repeat(n[keep], n_c),
        "reference": reference[keep].ravel(),
    })


def moves_wrong(data: ClassData, top: int | None = 10, lang: str | None = None) -> pd.DataFrame:
    """The moves the class most often classified wrong on the first attempt.

    ``wrong`` counts answers of another mode (or not metagovernance where the course sees
    metagovernance), ``partial`` the right mode but another tool; ``common_answer`` is the most
    frequent answer that was not counted correct, and ``common_share`` its share of all answers.
    Answers are judged against the moves table loaded now (as the classifier judges them), so a
    change to ``moves.csv`` after the class worked is taken into account.
    """
    lang = lang or i18n.get_language()
    columns = ["move", "case", "reference", "answered", "wrong", "partial", "correct", "share_wrong",
               "share_partial", "common_answer", "common_share", "description"]
    table = data.moves
    if table.empty:
        return pd.DataFrame(columns=columns)
    counts = pd.crosstab(table["move"], table["result"]).reindex(columns=["correct", "partial", "wrong"],
                                                                  fill_value=0)
    counts["answered"] = counts.sum(axis=1)
    missed = table[table["result"] != "correct"]
    common = missed.groupby(["move", "answer"]).size().reset_index(name="n").sort_values(
        ["move", "n", "answer"], ascending=[True, False, True]).drop_duplicates("move")
    common_answer = dict(zip(common["move"], common["answer"]))
    common_count = dict(zip(common["move"], common["n"]))
    moves = data.corpus.moves.set_index("id")
    out = counts.reset_index()
    out["case"] = out["move"].map(moves["case"])
    out["reference"] = out["move"].map(moves["reference_class"])
    out["share_wrong"] = out["wrong"] / out["answered"]
    out["share_partial"] = out["partial"] / out["answered"]
    out["common_answer"] = [common_answer.get(m, "") for m in out["move"]]
    out["common_share"] = [common_count.get(m, 0) for m in out["move"]] / out["answered"]
    out["description"] = [i18n.field(moves.loc[m].to_dict(), "description", lang) for m in out["move"]]
    out = out.sort_values(["share_wrong", "share_partial", "move"], ascending=[False, False, True],
                          ignore_index=True)
    out = out[columns]
    out.columns.name = None
    return out.head(top) if top else out


def summary(data: ClassData, lang: str | None = None) -> str:
    return s("summary", lang, files=data.n_files, students=data.n_students, skipped=len(data.skipped))
